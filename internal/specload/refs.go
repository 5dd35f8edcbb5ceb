package specload

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	yamlv4 "go.yaml.in/yaml/v4"
	"gopkg.in/yaml.v3"
)

// loader returns a kin-openapi loader whose $ref reads obey opts: local files
// only under the spec's directory (unless AllowOutsideRefs), URLs only when
// AllowRemoteRefs or under the URL directory of a spec fetched from a URL,
// and every read bounded by MaxBytes.
func (d *Document) loader(ctx context.Context, opts Options) *openapi3.Loader {
	l := openapi3.NewLoader()
	l.Context = ctx
	l.IsExternalRefsAllowed = true // enforced by readRef below
	var mu sync.Mutex
	cache := map[string][]byte{}
	base := d.base
	l.ReadFromURIFunc = func(_ *openapi3.Loader, u *url.URL) ([]byte, error) {
		key := u.String()
		mu.Lock()
		b, ok := cache[key]
		mu.Unlock()
		if ok {
			return b, nil
		}
		b, err := readRef(ctx, base, u, opts)
		if err != nil {
			return nil, err
		}
		mu.Lock()
		cache[key] = b
		d.refs = append(d.refs, refRead{name: d.refName(u), data: b})
		mu.Unlock()
		return b, nil
	}
	return l
}

// refRead is a document read for a $ref: its name for positions and its
// bytes.
type refRead struct {
	name string
	data []byte
}

// refName is what an error in the document u calls it: the URL, or the
// path next to the spec's own name when it is under the spec's directory
// ("api/common.yaml" for api/openapi.yaml), else its absolute path.
func (d *Document) refName(u *url.URL) string {
	if u.Scheme != "" && u.Scheme != "file" {
		return u.String()
	}
	p := refPath(d.base, u)
	if d.base == nil || d.base.Host != "" || d.Name == "<stdin>" || isURL(d.Name) {
		return p
	}
	if rel, err := filepath.Rel(filepath.Dir(filepath.FromSlash(d.base.Path)), p); err == nil && within(".", rel) {
		return filepath.Join(filepath.Dir(d.Name), rel)
	}
	return p
}

// refSyntaxError is the first document read for a $ref that is not YAML
// or JSON, located in that document; nil when every one parses. kin-openapi
// reports such a document ("failed to unmarshal data: ... yaml: line N")
// without naming it, and with yaml.v3's line.
//
// Only kin-openapi's unmarshal errors call for it (err), and a document is
// broken only when kin-openapi cannot read it either: it parses with
// go.yaml.in/yaml/v4 and falls back to encoding/json, so a document either
// accepts (flow-style YAML, a JSON key longer than yaml.v3 takes) is no
// culprit, and the real error (a missing file) must not be hidden.
func (d *Document) refSyntaxError(err error) *ParseError {
	if err == nil || !strings.Contains(err.Error(), "unmarshal") {
		return nil
	}
	for _, r := range d.refs {
		if json.Valid(r.data) {
			continue
		}
		var n yamlv4.Node
		if yamlv4.Unmarshal(r.data, &n) == nil {
			continue
		}
		rd := &Document{Name: r.name, Bytes: r.data, Format: detectFormat(r.data)}
		if rd.Format == JSON {
			var v any
			if pe, ok := rd.jsonError(json.Unmarshal(r.data, &v)).(*ParseError); ok {
				return pe
			}
			continue
		}
		var n3 yaml.Node
		yerr := yaml.Unmarshal(r.data, &n3)
		if yerr == nil {
			// yaml.v3 reads what v4 does not: v4's mark places it.
			yerr = errors.New("yaml: line 1: not YAML")
		}
		if pe, ok := rd.yamlSyntaxError(yerr).(*ParseError); ok {
			return pe
		}
	}
	return nil
}

// refPath is the local path a file $ref reads: relative references are
// resolved against the spec's directory.
func refPath(base, u *url.URL) string {
	p := filepath.FromSlash(u.Path)
	if !filepath.IsAbs(p) && base != nil {
		p = filepath.Join(filepath.Dir(filepath.FromSlash(base.Path)), p)
	}
	return filepath.Clean(p)
}

func readRef(ctx context.Context, base, u *url.URL, opts Options) ([]byte, error) {
	switch u.Scheme {
	case "http", "https":
		sameTree := base != nil && base.Host != "" && base.Scheme == u.Scheme && base.Host == u.Host &&
			strings.HasPrefix(path.Clean(u.Path), path.Dir(base.Path))
		if !opts.AllowRemoteRefs && !sameTree {
			return nil, fmt.Errorf("remote $ref %q not allowed (use --allow-remote-refs)", u.String())
		}
		return fetch(ctx, opts.HTTPClient, u, opts.MaxBytes)
	case "", "file":
		if base != nil && base.Host != "" {
			return nil, fmt.Errorf("$ref %q: a spec fetched from a URL cannot read local files", u.String())
		}
		p := refPath(base, u)
		if !opts.AllowOutsideRefs && base != nil {
			root := filepath.Dir(filepath.FromSlash(base.Path))
			if !within(root, p) {
				return nil, fmt.Errorf("$ref %q reads outside the spec's directory %s: not allowed (use --allow-outside-refs)", u.String(), root)
			}
			// A symlink inside the tree may still point out of it.
			if real, err := filepath.EvalSymlinks(p); err == nil {
				if realRoot, err := filepath.EvalSymlinks(root); err == nil && !within(realRoot, real) {
					return nil, fmt.Errorf("$ref %q resolves outside the spec's directory %s through a symlink: not allowed (use --allow-outside-refs)", u.String(), root)
				}
			}
		}
		st, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("$ref %q: %v", u.String(), err)
		}
		if !st.Mode().IsRegular() {
			return nil, fmt.Errorf("$ref %q: not a regular file", u.String())
		}
		f, err := os.Open(p)
		if err != nil {
			return nil, fmt.Errorf("$ref %q: %v", u.String(), err)
		}
		defer f.Close()
		return readLimited(f, opts.MaxBytes, p)
	default:
		return nil, fmt.Errorf("$ref %q: unsupported scheme %q", u.String(), u.Scheme)
	}
}

func within(root, p string) bool {
	rel, err := filepath.Rel(root, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}
