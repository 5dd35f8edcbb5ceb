package lint

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/agentready/agentready/internal/specload"
	"github.com/agentready/agentready/report"
	"github.com/getkin/kin-openapi/openapi3"
)

// Pass is what a rule sees: the spec, its operations and schemas in a
// deterministic order, and a way to report.
type Pass struct {
	// Doc is the loaded spec; Spec is its OpenAPI 3 model.
	Doc  *specload.Document
	Spec *openapi3.T
	// Base is the earlier version of the spec that versioning rules compare
	// against, or nil.
	Base *specload.Document
	// Rule is the rule being run.
	Rule *Rule
	// Versioning is the versioning policy the config declares.
	Versioning Versioning
	// ToolTokenBudget is the lint.tool-token-budget config (0: the default).
	ToolTokenBudget int

	idx      *index
	base     *baseDiff // shared by the run's passes; nil without a base
	ctx      context.Context
	findings []report.Finding
}

// Context is the run's context; long rules check it.
func (p *Pass) Context() context.Context { return p.ctx }

// Report records a finding at a JSON pointer into Spec.
func (p *Pass) Report(ptr string, format string, args ...any) {
	p.ReportFinding(report.Finding{Message: fmt.Sprintf(format, args...), Location: report.Location{Pointer: ptr}})
}

// ReportFinding records a finding; RuleID, Severity and Category default to
// the rule's.
func (p *Pass) ReportFinding(f report.Finding) {
	if f.RuleID == "" {
		f.RuleID = p.Rule.ID
	}
	if f.Severity == 0 && p.Rule.Severity != 0 {
		f.Severity = p.Rule.Severity
	}
	if f.Category == "" {
		f.Category = string(p.Rule.Category)
	}
	p.findings = append(p.findings, f)
}

// Op is one operation, with where it is and what applies to it.
type Op struct {
	Path   string // the path template
	Method string // lower case
	Item   *openapi3.PathItem
	Op     *openapi3.Operation
	Ptr    string // /paths/~1pets/get
	// Params are the operation's parameters merged with the path item's
	// (the operation's win), resolved.
	Params []ParamAt
	// Security is the effective security requirement: the operation's, or
	// the document's when the operation has none.
	Security openapi3.SecurityRequirements
}

// ParamAt is a parameter with its pointer.
type ParamAt struct {
	P   *openapi3.Parameter
	Ptr string
}

// Name is how messages name the operation: its operationId, or METHOD path.
func (o *Op) Name() string {
	if o.Op.OperationID != "" {
		return o.Op.OperationID
	}
	return strings.ToUpper(o.Method) + " " + o.Path
}

// Operations returns every operation, sorted by path then method.
func (p *Pass) Operations() []*Op { return p.idx.ops }

// SchemaVisit is one schema in the spec.
type SchemaVisit struct {
	Schema *openapi3.Schema
	Ptr    string
	// Name is the property name when the schema is an object property,
	// the component name for a component, else "".
	Name string
	// Parent is the schema holding this one, or nil.
	Parent *openapi3.Schema
	// Request is true when the schema describes something a client sends
	// (a parameter or request body, or a component reachable from one).
	Request bool
	// Response is true when the schema describes something a client gets.
	Response bool
	// Depth counts schema levels from the top of the walk.
	Depth int
}

// Schemas returns every schema written in the spec once each: component
// schemas and inline schemas, without following $refs (a referenced schema
// is visited where it is defined).
func (p *Pass) Schemas() []SchemaVisit { return p.idx.schemas() }

// index is computed once per run and shared by every rule's pass.
type index struct {
	spec *openapi3.T
	ops  []*Op

	once   sync.Once
	visits []SchemaVisit

	keysOnce sync.Once
	keys     map[string][]specload.KeyMatch
	textOnce sync.Once
	texts    []specload.KeyMatch
	reqComp  map[string]bool // component schemas reachable from requests
	respComp map[string]bool // ... from responses
}

var methods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace", "query"}

func newIndex(spec *openapi3.T) *index {
	x := &index{spec: spec}
	if spec.Paths == nil {
		return x
	}
	paths := spec.Paths.InMatchingOrder()
	slices.Sort(paths)
	for _, path := range paths {
		item := spec.Paths.Value(path)
		if item == nil {
			continue
		}
		// OpenAPI 3.2's additionalOperations (LINK, say) come after the
		// fixed methods, by name; Method is their name in lower case.
		type at struct{ method, ptr string }
		var ats []at
		for _, m := range methods {
			ats = append(ats, at{m, specload.Pointer("paths", path, m)})
		}
		for _, m := range sortedKeys(item.AdditionalOperations) {
			ats = append(ats, at{m, specload.Pointer("paths", path, "additionalOperations", m)})
		}
		for i, a := range ats {
			var op *openapi3.Operation
			m := a.method
			if i < len(methods) {
				op = item.GetOperation(strings.ToUpper(m))
			} else {
				op, m = item.AdditionalOperations[m], strings.ToLower(m)
			}
			if op == nil {
				continue
			}
			o := &Op{Path: path, Method: m, Item: item, Op: op, Ptr: a.ptr}
			seen := map[string]bool{}
			for i, pr := range op.Parameters {
				if pr == nil || pr.Value == nil {
					continue
				}
				seen[pr.Value.In+" "+pr.Value.Name] = true
				o.Params = append(o.Params, ParamAt{pr.Value, o.Ptr + "/parameters/" + strconv.Itoa(i)})
			}
			for i, pr := range item.Parameters {
				if pr == nil || pr.Value == nil || seen[pr.Value.In+" "+pr.Value.Name] {
					continue
				}
				o.Params = append(o.Params, ParamAt{pr.Value, specload.Pointer("paths", path, "parameters", strconv.Itoa(i))})
			}
			o.Security = spec.Security
			if op.Security != nil {
				o.Security = *op.Security
			}
			x.ops = append(x.ops, o)
		}
	}
	return x
}

func (x *index) schemas() []SchemaVisit {
	x.once.Do(x.walk)
	return x.visits
}

const compSchemaPrefix = "#/components/schemas/"

// walk fills visits: first it finds which components requests and
// responses reach, then it visits every schema once.
func (x *index) walk() {
	x.reqComp, x.respComp = map[string]bool{}, map[string]bool{}
	comps := openapi3.Schemas{}
	if x.spec.Components != nil && x.spec.Components.Schemas != nil {
		comps = x.spec.Components.Schemas
	}
	var reach func(s *openapi3.SchemaRef, into map[string]bool, depth int)
	reach = func(s *openapi3.SchemaRef, into map[string]bool, depth int) {
		if s == nil || depth > 200 {
			return
		}
		if name, ok := strings.CutPrefix(s.Ref, compSchemaPrefix); ok {
			if into[name] {
				return
			}
			into[name] = true
			reach(comps[name], into, depth+1)
			return
		}
		if s.Ref != "" || s.Value == nil {
			return
		}
		forEachChild(s.Value, func(_ []string, c *openapi3.SchemaRef) { reach(c, into, depth+1) })
	}
	for _, o := range x.ops {
		for _, pa := range o.Params {
			reach(pa.P.Schema, x.reqComp, 0)
			for _, mt := range pa.P.Content {
				reach(mt.Schema, x.reqComp, 0)
			}
		}
		if rb := o.Op.RequestBody; rb != nil && rb.Value != nil {
			for _, mt := range rb.Value.Content {
				reach(mt.Schema, x.reqComp, 0)
			}
		}
		if o.Op.Responses != nil {
			for _, r := range o.Op.Responses.Map() {
				if r == nil || r.Value == nil {
					continue
				}
				for _, mt := range r.Value.Content {
					reach(mt.Schema, x.respComp, 0)
				}
			}
		}
	}

	add := func(s *openapi3.SchemaRef, ptr, name string, req, resp bool) {
		x.visitSchema(s, ptr, name, nil, req, resp, 0)
	}
	for _, name := range sortedKeys(comps) {
		add(comps[name], specload.Pointer("components", "schemas", name), name, x.reqComp[name], x.respComp[name])
	}
	for _, o := range x.ops {
		for i, pr := range o.Op.Parameters {
			if pr == nil || pr.Ref != "" || pr.Value == nil {
				continue
			}
			base := o.Ptr + "/parameters/" + strconv.Itoa(i)
			add(pr.Value.Schema, base+"/schema", pr.Value.Name, true, false)
			for _, mtName := range sortedKeys(pr.Value.Content) {
				add(pr.Value.Content[mtName].Schema, base+"/content/"+specload.EscapeToken(mtName)+"/schema", pr.Value.Name, true, false)
			}
		}
		if rb := o.Op.RequestBody; rb != nil && rb.Ref == "" && rb.Value != nil {
			for _, mtName := range sortedKeys(rb.Value.Content) {
				add(rb.Value.Content[mtName].Schema, o.Ptr+"/requestBody/content/"+specload.EscapeToken(mtName)+"/schema", "", true, false)
			}
		}
		if o.Op.Responses != nil {
			resps := o.Op.Responses.Map()
			for _, code := range sortedKeys(resps) {
				r := resps[code]
				if r == nil || r.Ref != "" || r.Value == nil {
					continue
				}
				for _, mtName := range sortedKeys(r.Value.Content) {
					add(r.Value.Content[mtName].Schema, o.Ptr+"/responses/"+specload.EscapeToken(code)+"/content/"+specload.EscapeToken(mtName)+"/schema", "", false, true)
				}
			}
		}
	}
	if c := x.spec.Components; c != nil {
		for _, name := range sortedKeys(c.Parameters) {
			pr := c.Parameters[name]
			if pr != nil && pr.Ref == "" && pr.Value != nil {
				add(pr.Value.Schema, specload.Pointer("components", "parameters", name, "schema"), pr.Value.Name, true, false)
			}
		}
		for _, name := range sortedKeys(c.RequestBodies) {
			rb := c.RequestBodies[name]
			if rb != nil && rb.Ref == "" && rb.Value != nil {
				for _, mtName := range sortedKeys(rb.Value.Content) {
					add(rb.Value.Content[mtName].Schema, specload.Pointer("components", "requestBodies", name, "content", mtName, "schema"), "", true, false)
				}
			}
		}
		for _, name := range sortedKeys(c.Responses) {
			r := c.Responses[name]
			if r != nil && r.Ref == "" && r.Value != nil {
				for _, mtName := range sortedKeys(r.Value.Content) {
					add(r.Value.Content[mtName].Schema, specload.Pointer("components", "responses", name, "content", mtName, "schema"), "", false, true)
				}
			}
		}
	}
}

// maxSchemaDepth bounds the walk of inline schemas; deeper nesting is
// reported by the strict-mode rule, not walked.
const maxSchemaDepth = 64

func (x *index) visitSchema(s *openapi3.SchemaRef, ptr, name string, parent *openapi3.Schema, req, resp bool, depth int) {
	if s == nil || s.Ref != "" || s.Value == nil || depth > maxSchemaDepth {
		return
	}
	x.visits = append(x.visits, SchemaVisit{Schema: s.Value, Ptr: ptr, Name: name, Parent: parent, Request: req, Response: resp, Depth: depth})
	forEachChild(s.Value, func(path []string, c *openapi3.SchemaRef) {
		childName := ""
		if len(path) == 2 && path[0] == "properties" {
			childName = path[1]
		}
		x.visitSchema(c, ptr+"/"+joinTokens(path), childName, s.Value, req, resp, depth+1)
	})
}

func joinTokens(path []string) string {
	var b strings.Builder
	for i, t := range path {
		if i > 0 {
			b.WriteByte('/')
		}
		b.WriteString(specload.EscapeToken(t))
	}
	return b.String()
}

// forEachChild calls fn for each sub-schema of s with its pointer tokens,
// in a fixed order.
func forEachChild(s *openapi3.Schema, fn func(path []string, c *openapi3.SchemaRef)) {
	for _, name := range sortedKeys(s.Properties) {
		fn([]string{"properties", name}, s.Properties[name])
	}
	if s.Items != nil {
		fn([]string{"items"}, s.Items)
	}
	if ap := s.AdditionalProperties.Schema; ap != nil {
		fn([]string{"additionalProperties"}, ap)
	}
	for _, kl := range []struct {
		kw   string
		list openapi3.SchemaRefs
	}{{"allOf", s.AllOf}, {"anyOf", s.AnyOf}, {"oneOf", s.OneOf}, {"prefixItems", s.PrefixItems}} {
		for i, c := range kl.list {
			fn([]string{kl.kw, strconv.Itoa(i)}, c)
		}
	}
	for _, kc := range []struct {
		kw string
		c  *openapi3.SchemaRef
	}{{"not", s.Not}, {"if", s.If}, {"then", s.Then}, {"else", s.Else}, {"contains", s.Contains}, {"propertyNames", s.PropertyNames}} {
		if kc.c != nil {
			fn([]string{kc.kw}, kc.c)
		}
	}
	for _, name := range sortedKeys(s.PatternProperties) {
		fn([]string{"patternProperties", name}, s.PatternProperties[name])
	}
	for _, name := range sortedKeys(s.Defs) {
		fn([]string{"$defs", name}, s.Defs[name])
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// ScanKeys are the object keys rules look for in the raw spec. Pass them as
// specload.Options.ScanKeys so that the scan overlaps the spec's decoding.
var ScanKeys = []string{"$ref", "mapping", IgnoreKey}

// rawKeys returns the matches of the raw-key scan for the given keys, in
// file order.
func (p *Pass) rawKeys(keys ...string) []specload.KeyMatch {
	p.idx.keysOnce.Do(func() {
		p.idx.keys = map[string][]specload.KeyMatch{}
		for _, m := range p.Doc.FindKeys(ScanKeys...) {
			p.idx.keys[m.Key] = append(p.idx.keys[m.Key], m)
		}
	})
	if len(keys) == 1 {
		return p.idx.keys[keys[0]]
	}
	var out []specload.KeyMatch
	for _, k := range keys {
		out = append(out, p.idx.keys[k]...)
	}
	return out
}

// texts returns every description, summary and title in the file, in file
// order. The scan runs once, for the first rule that needs it.
func (p *Pass) texts() []specload.KeyMatch {
	p.idx.textOnce.Do(func() { p.idx.texts = p.Doc.FindKeys("description", "summary", "title") })
	return p.idx.texts
}
