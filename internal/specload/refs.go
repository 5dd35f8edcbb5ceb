package specload

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
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
		mu.Unlock()
		return b, nil
	}
	return l
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
		p := filepath.FromSlash(u.Path)
		if !filepath.IsAbs(p) && base != nil {
			p = filepath.Join(filepath.Dir(filepath.FromSlash(base.Path)), p)
		}
		p = filepath.Clean(p)
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
