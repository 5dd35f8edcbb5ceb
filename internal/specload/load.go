// Package specload loads an OpenAPI description (2.0, 3.0, 3.1 or 3.2, JSON
// or YAML) from a file, standard input or a URL into kin-openapi's model,
// leniently: a document that parses is loaded even when it is not valid, and
// its validation problems are returned as data (see Document.Validate).
//
// It also maps JSON pointers to line:column positions in the original bytes
// (see Document.Locate) without kin-openapi's IncludeOrigin, which costs
// about a quarter more load time on large specs: positions are computed
// only for the pointers asked for, with one scan of the bytes.
//
// Both lint and generate use it, so that "SPEC" means the same to each.
package specload

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi2conv"
	"github.com/getkin/kin-openapi/openapi3"
	yamlv4 "go.yaml.in/yaml/v4"
	"gopkg.in/yaml.v3"
)

// DefaultMaxBytes bounds the size of a spec, and of each file it refers to,
// when Options.MaxBytes is zero. GitHub's description, one of the largest in
// use, is 13 MB.
const DefaultMaxBytes = 32 << 20

// Options say where a spec may reach.
type Options struct {
	// AllowRemoteRefs lets $refs fetch http(s) URLs. A spec loaded from a
	// URL may always refer to files under the same URL directory.
	AllowRemoteRefs bool
	// AllowOutsideRefs lets $refs read local files outside the directory
	// tree of the spec.
	AllowOutsideRefs bool
	// MaxBytes bounds the size of the spec and of each referenced file;
	// zero means DefaultMaxBytes.
	MaxBytes int64
	// HTTPClient fetches URLs; nil means a client with a 30 s timeout.
	HTTPClient *http.Client
	// ScanKeys are object keys to find in the raw bytes (see FindKeys)
	// while kin-openapi decodes the spec, on another goroutine; FindKeys
	// then answers from the result for these keys.
	ScanKeys []string
}

// Format is the syntax of a spec.
type Format string

// Formats.
const (
	JSON Format = "json"
	YAML Format = "yaml"
)

// Document is a loaded spec.
type Document struct {
	// Source is the spec as it was named: a path, "-" or a URL.
	Source string
	// Name is what findings should call the file: the path as given, the
	// URL, or "<stdin>".
	Name string
	// Bytes are the spec's original bytes.
	Bytes []byte
	// Format is JSON or YAML.
	Format Format
	// Version is the declared version ("2.0", "3.0.3", "3.1.0", "3.2.0").
	Version string
	// Spec is the description as OpenAPI 3, converted from 2.0 when needed.
	// Its $refs are resolved.
	Spec *openapi3.T
	// V2 is the original 2.0 description, or nil.
	V2 *openapi2.T

	base  *url.URL
	index *yamlIndex
	refs  []refRead // documents read for $refs, in order

	scanned     map[string]bool // keys of the prescan
	scanMatches []KeyMatch
}

// IsV2 reports whether the spec was written as Swagger/OpenAPI 2.0.
func (d *Document) IsV2() bool { return d.V2 != nil }

// ParseError is a spec that could not be parsed, with a position when one is
// known.
type ParseError struct {
	File   string
	Line   int // 1-based; 0 when unknown
	Column int // 1-based; 0 when unknown
	Msg    string
}

func (e *ParseError) Error() string {
	loc := e.File
	if e.Line > 0 {
		loc += ":" + strconv.Itoa(e.Line)
		if e.Column > 0 {
			loc += ":" + strconv.Itoa(e.Column)
		}
	}
	return loc + ": " + e.Msg
}

// Load reads and parses the spec named by src: a file path, "-" for stdin,
// or an http(s) URL. A document that parses is returned even when it is
// invalid; an error means it could not be read or parsed (a *ParseError for
// syntax, with a position) or one of its $refs could not be resolved.
func Load(ctx context.Context, src string, stdin io.Reader, opts Options) (*Document, error) {
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = DefaultMaxBytes
	}
	if opts.HTTPClient == nil {
		opts.HTTPClient = &http.Client{Timeout: 30 * time.Second}
	}
	d := &Document{Source: src, Name: src}
	var err error
	switch {
	case src == "-":
		d.Name = "<stdin>"
		if stdin == nil {
			return nil, errors.New("no standard input")
		}
		d.Bytes, err = readLimited(stdin, opts.MaxBytes, d.Name)
		if err != nil {
			return nil, err
		}
		wd, _ := os.Getwd()
		d.base = &url.URL{Path: filepath.ToSlash(filepath.Join(wd, "stdin"))}
	case isURL(src):
		u, perr := url.Parse(src)
		if perr != nil {
			return nil, fmt.Errorf("%s: %v", src, perr)
		}
		d.Bytes, err = fetch(ctx, opts.HTTPClient, u, opts.MaxBytes)
		if err != nil {
			return nil, err
		}
		d.base = u
	default:
		f, oerr := os.Open(src)
		if oerr != nil {
			return nil, oerr
		}
		d.Bytes, err = readLimited(f, opts.MaxBytes, src)
		f.Close()
		if err != nil {
			return nil, err
		}
		abs, aerr := filepath.Abs(src)
		if aerr != nil {
			return nil, aerr
		}
		d.base = &url.URL{Path: filepath.ToSlash(abs)}
	}
	if err := d.parse(ctx, opts); err != nil {
		return nil, err
	}
	return d, nil
}

// LoadBytes parses a spec already in memory; name is used in positions and
// base (a file path or URL, may be empty) to resolve relative $refs.
func LoadBytes(ctx context.Context, name string, data []byte, base string, opts Options) (*Document, error) {
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = DefaultMaxBytes
	}
	if opts.HTTPClient == nil {
		opts.HTTPClient = &http.Client{Timeout: 30 * time.Second}
	}
	if int64(len(data)) > opts.MaxBytes {
		return nil, tooBig(name, opts.MaxBytes)
	}
	d := &Document{Source: name, Name: name, Bytes: data}
	switch {
	case isURL(base):
		u, err := url.Parse(base)
		if err != nil {
			return nil, err
		}
		d.base = u
	case base != "":
		abs, err := filepath.Abs(base)
		if err != nil {
			return nil, err
		}
		d.base = &url.URL{Path: filepath.ToSlash(abs)}
	default:
		wd, _ := os.Getwd()
		d.base = &url.URL{Path: filepath.ToSlash(filepath.Join(wd, "spec"))}
	}
	if err := d.parse(ctx, opts); err != nil {
		return nil, err
	}
	return d, nil
}

func isURL(s string) bool {
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
}

func tooBig(name string, max int64) error {
	return fmt.Errorf("%s: larger than the %d MiB limit", name, max>>20)
}

func readLimited(r io.Reader, max int64, name string) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	if int64(len(b)) > max {
		return nil, tooBig(name, max)
	}
	return b, nil
}

func fetch(ctx context.Context, c *http.Client, u *url.URL, max int64) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json, application/yaml, application/openapi+json, application/openapi+yaml, */*;q=0.5")
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: HTTP %s", u, resp.Status)
	}
	return readLimited(resp.Body, max, u.String())
}

// jsonName reports whether a spec's source (a path or a URL) is named
// .json.
func jsonName(src string) bool {
	if isURL(src) {
		if u, err := url.Parse(src); err == nil {
			src = u.Path
		}
	}
	return strings.EqualFold(path.Ext(src), ".json")
}

// yamlName reports whether a spec's source (a path or a URL) is named
// .yaml or .yml.
func yamlName(src string) bool {
	if isURL(src) {
		if u, err := url.Parse(src); err == nil {
			src = u.Path
		}
	}
	ext := path.Ext(src)
	return strings.EqualFold(ext, ".yaml") || strings.EqualFold(ext, ".yml")
}

// detectFormat says whether b is JSON (its first significant byte opens an
// object) or YAML.
func detectFormat(b []byte) Format {
	t := bytes.TrimLeft(b, " \t\r\n\ufeff")
	if len(t) > 0 && t[0] == '{' {
		return JSON
	}
	return YAML
}

// versionProbe is the part of a spec that tells its version.
type versionProbe struct {
	Swagger any `json:"swagger" yaml:"swagger"`
	OpenAPI any `json:"openapi" yaml:"openapi"`
}

func (d *Document) parse(ctx context.Context, opts Options) (err error) {
	defer func() { d.refs = nil }() // kept only to locate a syntax error in one
	d.Format = detectFormat(d.Bytes)
	if d.Format == JSON && yamlName(d.Source) && !json.Valid(d.Bytes) {
		// A YAML document in flow style ({openapi: 3.1.0, ...}). JSON in a
		// .yaml file stays JSON, read by the JSON path as before.
		d.Format = YAML
	}
	var probe versionProbe
	if d.Format == JSON {
		// Read only the top-level version keys; a full decode here would
		// cost as much as a tenth of kin-openapi's. Syntax errors surface
		// below, where they are located with encoding/json.
		probe = jsonProbe(d.Bytes)
		if jsonName(d.Source) {
			// kin-openapi reads JSON as YAML, which takes what JSON does
			// not ("x": tru, unquoted keys, trailing commas): a .json file
			// must be JSON. Checked while kin-openapi decodes.
			valid := make(chan bool, 1)
			go func() { valid <- json.Valid(d.Bytes) }()
			defer func() {
				if ok := <-valid; !ok && err == nil {
					var v any
					err = d.jsonError(json.Unmarshal(d.Bytes, &v))
				}
			}()
		}
	} else {
		// Parsed once, with kin-openapi's parser, whose tree is then both
		// the position index and what kin-openapi decodes (yamlnode.go).
		// A document it refuses is read as before, with yaml.v3 (which
		// words and places a syntax error) and kin-openapi's own load.
		var root yamlv4.Node
		if yamlv4.Unmarshal(d.Bytes, &root) == nil {
			if root.Kind == 0 || len(root.Content) == 0 {
				return &ParseError{File: d.Name, Msg: "empty document"}
			}
			if top := root.Content[0]; top.Kind != yamlv4.MappingNode {
				return &ParseError{File: d.Name, Line: top.Line, Column: top.Column, Msg: "not an OpenAPI description: the document is not a mapping"}
			}
			if err := root.Decode(&probe); err != nil {
				return d.yamlError(err)
			}
			d.index = &yamlIndex{root: &root}
		} else {
			var n3 yaml.Node
			if err := yaml.Unmarshal(d.Bytes, &n3); err != nil {
				return d.yamlSyntaxError(err)
			}
			if n3.Kind == 0 || len(n3.Content) == 0 {
				return &ParseError{File: d.Name, Msg: "empty document"}
			}
			if top := n3.Content[0]; top.Kind != yaml.MappingNode {
				return &ParseError{File: d.Name, Line: top.Line, Column: top.Column, Msg: "not an OpenAPI description: the document is not a mapping"}
			}
			if err := n3.Decode(&probe); err != nil {
				return d.yamlError(err)
			}
		}
	}
	sw, oa := scalarString(probe.Swagger), scalarString(probe.OpenAPI)
	var yamlTree *yamlv4.Node
	if d.index != nil && sw == "" && strings.HasPrefix(oa, "3.") && !noFastYAML && yamlPlain(d.index.root) {
		// Retagged before the key scan below reads the tree.
		prepareYAML(d.index.root)
		yamlTree = d.index.root
	}
	if len(opts.ScanKeys) > 0 && (sw != "" || oa != "") {
		done := make(chan struct{})
		go func() {
			defer close(done)
			d.scanMatches = d.findKeys(opts.ScanKeys)
		}()
		defer func() {
			<-done
			d.scanned = map[string]bool{}
			for _, k := range opts.ScanKeys {
				d.scanned[k] = true
			}
		}()
	}
	loader := d.loader(ctx, opts)
	switch {
	case sw != "":
		d.Version = sw
		if !strings.HasPrefix(sw, "2.") {
			return d.topError("swagger", fmt.Sprintf("unsupported swagger version %q (want 2.0)", sw))
		}
		var v2 openapi2.T
		if err := openapi2.UnmarshalFromData(d.Bytes, &v2); err != nil {
			return d.decodeError(d.syntaxFirst(err))
		}
		d.V2 = &v2
		v3, err := openapi2conv.ToV3WithLoader(&v2, loader, d.base)
		if err != nil {
			if pe := d.refSyntaxError(err); pe != nil {
				return pe
			}
			return d.refError(fmt.Errorf("converting OpenAPI 2.0 to 3.0: %w", err))
		}
		d.Spec = v3
	case oa != "":
		d.Version = oa
		if !strings.HasPrefix(oa, "3.") {
			return d.topError("openapi", fmt.Sprintf("unsupported openapi version %q (want 3.0, 3.1 or 3.2)", oa))
		}
		// kin-openapi decodes JSON through its YAML parser too. Decoding a
		// JSON spec with encoding/json into its types was measured slower
		// (3.4 s against 2.7 s of CPU on GitHub's 13 MB spec: its nested
		// UnmarshalJSON methods re-validate the bytes at every level),
		// though it needs half the memory; so the default path it is.
		var doc *openapi3.T
		err := errNotFast
		if d.Format == JSON && !noFastJSON {
			// The fast path reads no other document: a $ref to one sends
			// the spec down the usual path.
			fast := openapi3.NewLoader()
			fast.Context = ctx
			fast.IsExternalRefsAllowed = true
			fast.ReadFromURIFunc = func(*openapi3.Loader, *url.URL) ([]byte, error) { return nil, errNotFast }
			doc, err = loadJSONFast(fast, d.Bytes)
		}
		if yamlTree != nil {
			fast := openapi3.NewLoader()
			fast.Context = ctx
			fast.IsExternalRefsAllowed = true
			fast.ReadFromURIFunc = func(*openapi3.Loader, *url.URL) ([]byte, error) { return nil, errNotFast }
			doc, err = loadYAMLFast(fast, d.Bytes, yamlTree)
		}
		if err != nil {
			doc, err = loader.LoadFromDataWithPath(d.Bytes, d.base)
		}
		if err != nil {
			// A $ref'd document that does not parse is reported in it.
			if pe := d.refSyntaxError(err); pe != nil {
				return pe
			}
			if strings.Contains(err.Error(), "failed to unmarshal") {
				return d.decodeError(d.syntaxFirst(err))
			}
			return d.refError(err)
		}
		d.Spec = doc
	default:
		if d.Format == JSON {
			var v any
			if err := json.Unmarshal(d.Bytes, &v); err != nil {
				return d.jsonError(err)
			}
			if _, ok := v.(map[string]any); !ok {
				return &ParseError{File: d.Name, Line: 1, Column: 1, Msg: "not an OpenAPI description: the document is not an object"}
			}
		}
		return &ParseError{File: d.Name, Line: 1, Column: 1, Msg: `not an OpenAPI description: no "openapi" or "swagger" field`}
	}
	if d.Spec.Paths == nil {
		d.Spec.Paths = openapi3.NewPaths()
	}
	return nil
}

// noFastJSON and noFastYAML turn loadJSONFast and loadYAMLFast off; the
// tests compare the paths.
var noFastJSON, noFastYAML = false, false

func scalarString(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case int:
		return strconv.Itoa(v)
	default:
		return fmt.Sprint(v)
	}
}

func (d *Document) topError(key, msg string) error {
	line, col := 1, 1
	if p, ok := d.Locate([]string{"/" + key})["/"+key]; ok {
		line, col = p.Line, p.Column
	}
	return &ParseError{File: d.Name, Line: line, Column: col, Msg: msg}
}

func (d *Document) jsonError(err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		// Offset counts the bytes read, the wrong one included: point at
		// it, or, when the input ended too soon, just past its last
		// character.
		off := int(se.Offset) - 1
		if off >= len(bytes.TrimRight(d.Bytes, " \t\r\n")) || off < 0 {
			off = len(bytes.TrimRight(d.Bytes, " \t\r\n"))
		}
		l, c := lineCol(d.Bytes, off)
		return &ParseError{File: d.Name, Line: l, Column: c, Msg: "invalid JSON: " + se.Error()}
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		l, c := lineCol(d.Bytes, int(te.Offset))
		return &ParseError{File: d.Name, Line: l, Column: c, Msg: "not an OpenAPI description: " + te.Error()}
	}
	return &ParseError{File: d.Name, Msg: "invalid JSON: " + err.Error()}
}

var yamlLineRe = regexp.MustCompile(`line (\d+)(?:, column (\d+))?: (.*)`)

func (d *Document) yamlError(err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if m := yamlLineRe.FindStringSubmatch(msg); m != nil {
		l, _ := strconv.Atoi(m[1])
		c, _ := strconv.Atoi(m[2])
		return &ParseError{File: d.Name, Line: l, Column: c, Msg: "invalid YAML: " + m[3]}
	}
	return &ParseError{File: d.Name, Msg: "invalid YAML: " + msg}
}

// yamlSyntaxError locates a document that is not YAML. yaml.v3's message
// names, for a parser error, the line where the enclosing construct began,
// counted from 0 ("line 1" for a "{" opened on line 2 and found unclosed on
// line 4), and never a column. go.yaml.in/yaml/v4, the maintained
// continuation of the same libyaml port (kin-openapi already links it),
// reports the mark where the problem was found, with its column, and the
// construct it was in; so, on this error path only, the document is parsed
// again with it. v3's line is kept when v4 accepts the document or names a
// line before v3's.
func (d *Document) yamlSyntaxError(err error) error {
	v3 := d.yamlError(err).(*ParseError)
	var n yamlv4.Node
	var le *yamlv4.LoadError
	if !errors.As(yamlv4.Unmarshal(d.Bytes, &n), &le) || le.Mark.Line <= 0 || le.Mark.Line < v3.Line {
		return v3
	}
	line, col := le.Mark.Line, le.Mark.Column
	if endLine, endCol := yamlEnd(d.Bytes); line > endLine || line == endLine && col > endCol {
		// A problem found at the end of the document (an unclosed "[") is
		// marked after its last line break, on a line an editor does not
		// show: point at the end of the last line instead.
		line, col = endLine, endCol
	}
	msg := le.Message
	if c := le.ContextMark; le.ContextMsg != "" && c.Line > 0 && c != le.Mark {
		msg += fmt.Sprintf(" (%s at line %d, column %d)", le.ContextMsg, c.Line, c.Column)
	}
	return &ParseError{File: d.Name, Line: line, Column: col, Msg: "invalid YAML: " + msg}
}

// yamlEnd is the position just past the last character of b before its
// final line breaks, counted as YAML counts: lines broken by \n, \r\n, a
// lone \r, NEL, LS or PS; columns in characters from 1.
func yamlEnd(b []byte) (line, col int) {
	b = bytes.TrimRight(b, "\r\n\u0085\u2028\u2029")
	line, col = 1, 1
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		switch {
		case r == '\r' && i+1 < len(b) && b[i+1] == '\n':
			n = 2
			fallthrough
		case r == '\n' || r == '\r' || r == '\u0085' || r == '\u2028' || r == '\u2029':
			line, col = line+1, 1
		default:
			col++
		}
		i += n
	}
	return line, col
}

// decodeError reports a document that is well-formed but whose shape
// kin-openapi cannot decode (a string where an object belongs, say).
func (d *Document) decodeError(err error) error {
	var pe *ParseError
	if errors.As(err, &pe) {
		return pe
	}
	msg := err.Error()
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		ptr := "/" + strings.ReplaceAll(te.Field, ".", "/")
		if p, ok := d.Locate([]string{ptr})[ptr]; ok {
			return &ParseError{File: d.Name, Line: p.Line, Column: p.Column, Msg: "cannot decode " + ptr + ": " + msg}
		}
	}
	if m := yamlLineRe.FindStringSubmatch(msg); m != nil {
		l, _ := strconv.Atoi(m[1])
		c, _ := strconv.Atoi(m[2])
		return &ParseError{File: d.Name, Line: l, Column: c, Msg: "cannot decode: " + m[3]}
	}
	return &ParseError{File: d.Name, Line: 1, Column: 1, Msg: "cannot decode: " + msg}
}

// RefError is a $ref that could not be resolved or was not allowed.
type RefError struct {
	File string
	Line int
	Col  int
	Ref  string
	Err  error
}

func (e *RefError) Error() string {
	loc := e.File
	if e.Line > 0 {
		loc += fmt.Sprintf(":%d:%d", e.Line, e.Col)
	}
	return loc + ": " + e.Err.Error()
}

func (e *RefError) Unwrap() error { return e.Err }

// refError places a $ref failure on the $ref the error names, when one can
// be found: kin-openapi names the file it failed to read by its resolved
// path, so each external $ref of the spec is compared by that too.
func (d *Document) refError(err error) error {
	re := &RefError{File: d.Name, Err: err}
	msg := err.Error()
	for _, m := range d.findKeys([]string{"$ref"}) {
		ref, ok := m.Value.(string)
		if !ok || ref == "" || strings.HasPrefix(ref, "#") {
			continue
		}
		file, _, _ := strings.Cut(ref, "#")
		cands := []string{ref, file}
		if d.base != nil && !isURL(file) && !filepath.IsAbs(file) {
			cands = append(cands, filepath.ToSlash(filepath.Join(filepath.Dir(filepath.FromSlash(d.base.Path)), file)))
		}
		for _, c := range cands {
			if c != "" && strings.Contains(msg, c) {
				re.Ref, re.Line, re.Col = ref, m.Line, m.Column
				return re
			}
		}
	}
	return re
}

// lineCol converts a byte offset into a 1-based line and column (in bytes).
func lineCol(b []byte, off int) (int, int) {
	if off > len(b) {
		off = len(b)
	}
	if off < 0 {
		off = 0
	}
	line := 1 + bytes.Count(b[:off], []byte{'\n'})
	col := off - bytes.LastIndexByte(b[:off], '\n')
	return line, col
}

// syntaxFirst returns a located syntax error when a JSON document is not
// well-formed, else err: kin-openapi's decoders report syntax errors
// without a usable offset.
func (d *Document) syntaxFirst(err error) error {
	if d.Format != JSON {
		return err
	}
	var v any
	if jerr := json.Unmarshal(d.Bytes, &v); jerr != nil {
		return d.jsonError(jerr)
	}
	return err
}

// jsonProbe reads the top-level "openapi" and "swagger" members of a JSON
// document without decoding the rest.
func jsonProbe(b []byte) versionProbe {
	var p versionProbe
	s := &jsonScanner{b: b}
	s.skipWS()
	if s.i >= len(b) || b[s.i] != '{' {
		return p
	}
	s.i++
	for {
		s.skipWS()
		if s.i >= len(b) {
			return p
		}
		switch b[s.i] {
		case '}':
			return p
		case ',':
			s.i++
			continue
		case '"':
		default:
			return p
		}
		raw, _ := s.str()
		key := string(raw)
		s.skipWS()
		if s.i < len(b) && b[s.i] == ':' {
			s.i++
		}
		s.skipWS()
		start := s.i
		s.skip()
		if key == "openapi" || key == "swagger" {
			var v any
			if json.Unmarshal(b[start:s.i], &v) == nil {
				if key == "openapi" {
					p.OpenAPI = v
				} else {
					p.Swagger = v
				}
			}
		}
	}
}
