// Package tools turns the generator IR (package generate/ir) into LLM tool
// definitions: OpenAI and Anthropic function tools, Gemini function
// declarations and MCP tools. One provider-neutral [Tool] is built per
// selected operation: a name valid for the target, a description cleaned of
// Markdown and within the target's limit, one input object schema that
// merges path, query, header and cookie parameters with the request body
// under conflict-free property names, an output schema from the success
// response, and MCP annotations derived from HTTP semantics. Strict modes,
// selection and grouping under a tool cap are options. [Marshal] writes the
// target's JSON with encoding/json over typed structs.
package tools

import (
	"fmt"
	"sort"
	"strings"

	"github.com/agentready/agentready/generate/ir"
)

// Options tune [Build].
type Options struct {
	Target Target
	// Strict asks for the target's strict mode: OpenAI structured outputs,
	// Anthropic strict tool use, Gemini's OpenAPI-subset parameters. A tool
	// whose schema cannot be made strict is written non-strict, with a warning.
	Strict bool
	// Include and Exclude select operations (see [Selector]).
	Include, Exclude []Selector
	// MaxTools, when positive, caps the number of tools: the largest tag
	// groups are folded into one tool each until the cap holds.
	MaxTools int
	// Mode ModeTags folds every tag into one tool; ModeAll and ModeSearch
	// build one tool per operation (search mode's two tools are the
	// server's: see [Set.SearchDocs]).
	Mode Mode
}

// Set is the tools built for one target.
type Set struct {
	Target   Target
	Strict   bool
	Tools    []*Tool
	Warnings []Warning
}

// Warning is a non-fatal problem: a cap exceeded, a schema made lossy, a
// tool that could not be strict.
type Warning struct {
	// Kind is "cap" (a cap exceeded), "strict" (a tool left non-strict) or
	// "lossy" (a schema approximated).
	Kind    string
	Tool    string // tool name, or "" for the whole set
	Pointer string // JSON pointer into the source spec, when known
	Message string
}

func (w Warning) String() string {
	s := w.Message
	if w.Tool != "" {
		s = w.Tool + ": " + s
	}
	if w.Pointer != "" {
		s += " (" + w.Pointer + ")"
	}
	return s
}

// Tool is one tool in provider-neutral form.
type Tool struct {
	Name        string
	Title       string
	Description string
	// Input is the arguments' schema: always an object.
	Input *Schema
	// Output is the structured result's schema (an object), or nil when the
	// operation has no JSON success response.
	Output *Schema
	// OutputWrapped says the response body is not an object and sits under
	// the "result" property of the structured result.
	OutputWrapped bool
	Annotations   Annotations
	// Strict says the target's strict mode applies to this tool.
	Strict bool
	// Operation is the operation the tool calls (nil for a group).
	Operation *ir.Operation
	// Args map the input's properties to the operation's parameters and body.
	Args []Arg
	// Group lists the member tools of a tool that stands for several
	// operations (see [Options.MaxTools]); its input is
	// {"operation": NAME, "arguments": {...}}.
	Group []*Tool
}

// Arg ties an input property to where its value goes in the request.
type Arg struct {
	// Property is the key in the tool's input object.
	Property string
	// Param is the parameter the value fills, or nil for the body.
	Param *ir.Param
	// Field is the body property the value fills when the body's properties
	// are flattened into the input; nil with a nil Param means the value is
	// the whole body.
	Field *ir.Field
	// Required says the input schema requires the property.
	Required bool
}

// BodyWhole reports whether the value is the whole request body.
func (a Arg) BodyWhole() bool { return a.Param == nil && a.Field == nil }

// Annotations are MCP's tool hints, derived from HTTP semantics.
type Annotations struct {
	Title           string `json:"title,omitempty"`
	ReadOnlyHint    bool   `json:"readOnlyHint"`
	DestructiveHint *bool  `json:"destructiveHint,omitempty"`
	IdempotentHint  bool   `json:"idempotentHint"`
	OpenWorldHint   *bool  `json:"openWorldHint,omitempty"`
}

// Build makes the tools for the operations of api that opts select.
func Build(api *ir.API, opts Options) (*Set, error) {
	lim, ok := TargetLimits[opts.Target]
	if !ok {
		return nil, fmt.Errorf("unknown target %q", opts.Target)
	}
	set := &Set{Target: opts.Target, Strict: opts.Strict}
	ops := Select(api.Operations, opts.Include, opts.Exclude)
	if len(ops) == 0 {
		return nil, fmt.Errorf("no operation selected (the spec has %d)", len(api.Operations))
	}
	names := newNamer(lim)
	for _, op := range ops {
		t := buildTool(op, opts.Target, lim, names, set)
		set.Tools = append(set.Tools, t)
	}
	if opts.Strict {
		if opts.Target == MCP {
			set.Warnings = append(set.Warnings, Warning{Kind: "lossy", Message: "MCP has no strict mode; --strict only closes input objects (additionalProperties: false)"})
		}
		for _, t := range set.Tools {
			strictTool(t, opts.Target, lim, set)
		}
	}
	if opts.Mode == ModeTags || opts.MaxTools > 0 && len(set.Tools) > opts.MaxTools {
		if err := group(set, opts, lim); err != nil {
			return nil, err
		}
	}
	caps(set, lim)
	return set, nil
}

// caps warns when the set exceeds what one request may carry.
func caps(set *Set, lim Limits) {
	if lim.MaxTools > 0 && len(set.Tools) > lim.MaxTools {
		set.Warnings = append(set.Warnings, Warning{Kind: "cap", Message: fmt.Sprintf("%d tools exceed %s's limit of %d per request; select fewer (--include/--exclude) or group them (--max-tools %d)", len(set.Tools), set.Target, lim.MaxTools, lim.MaxTools)})
	}
	if lim.MaxStrictTools > 0 && set.Strict {
		n := 0
		for _, t := range set.Tools {
			if t.Strict {
				n++
			}
		}
		if n > lim.MaxStrictTools {
			set.Warnings = append(set.Warnings, Warning{Kind: "cap", Message: fmt.Sprintf("%d strict tools exceed %s's limit of %d strict tools per request; select fewer or group them (--max-tools %d)", n, set.Target, lim.MaxStrictTools, lim.MaxStrictTools)})
		}
	}
}

func buildTool(op *ir.Operation, target Target, lim Limits, names *namer, set *Set) *Tool {
	t := &Tool{Operation: op}
	t.Name = names.claim(names.base(op), op.Method+" "+op.Path)
	t.Title = title(op)
	t.Description = truncate(describe(op), lim.Description)
	refs := !(target == Gemini && set.Strict)
	t.Input, t.Args = inputSchema(op, refs, t, set)
	t.Output, t.OutputWrapped = outputSchema(op, refs, t, set)
	t.Annotations = annotate(op, t.Title)
	return t
}

// title is a short human title: the summary's first line, or the name in words.
func title(op *ir.Operation) string {
	if s := firstLine(cleanMarkdown(op.Summary)); s != "" {
		return truncate(strings.TrimSuffix(s, "."), 120)
	}
	ws := ir.Words(op.Name)
	if len(ws) == 0 {
		return op.Method + " " + op.Path
	}
	for i := range ws {
		if i > 0 {
			ws[i] = strings.ToLower(ws[i])
		}
	}
	return strings.Join(ws, " ")
}

// describe joins summary and description, cleaned, and says when the
// operation is deprecated.
func describe(op *ir.Operation) string {
	sum, desc := cleanMarkdown(op.Summary), cleanMarkdown(op.Description)
	var d string
	switch {
	case desc == "" || desc == sum:
		d = sum
	case sum == "" || strings.HasPrefix(desc, strings.TrimSuffix(sum, ".")):
		d = desc
	default:
		if !strings.HasSuffix(sum, ".") {
			sum += "."
		}
		d = sum + "\n\n" + desc
	}
	if d == "" {
		d = op.Method + " " + op.Path
	}
	if op.Deprecated {
		d = "Deprecated. " + d
	}
	return d
}

// annotate derives MCP hints: GET and HEAD read only; DELETE destructive;
// PUT and DELETE idempotent, and POST too when it carries an idempotency
// key; POST only adds. Every tool reaches an outside API (open world).
func annotate(op *ir.Operation, title string) Annotations {
	a := Annotations{Title: title, OpenWorldHint: ptr(true)}
	switch op.Method {
	case "GET", "HEAD", "OPTIONS":
		a.ReadOnlyHint, a.IdempotentHint = true, true
	case "DELETE":
		a.DestructiveHint, a.IdempotentHint = ptr(true), true
	case "PUT":
		a.DestructiveHint, a.IdempotentHint = ptr(true), true
	case "PATCH":
		a.DestructiveHint = ptr(true)
	case "POST":
		a.DestructiveHint = ptr(false)
		a.IdempotentHint = op.IdempotencyKey != nil
	}
	return a
}

func ptr[T any](v T) *T { return &v }

var locationPrefix = map[string]string{"path": "path_", "query": "query_", "header": "header_", "cookie": "cookie_"}

// propertyKey makes a wire name a valid input property key.
func propertyKey(wire string) string {
	var b strings.Builder
	for _, r := range wire {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_', r == '-', r == '.':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	s := strings.Trim(b.String(), "_")
	if strings.Trim(s, "_.-") == "" {
		s = "arg"
	}
	if len(s) > 60 {
		s = s[:60]
	}
	return s
}

// inputSchema merges parameters and body into one object. Parameters claim
// their names first (path, query, header, cookie); a later claim of a taken
// name gets its location as a prefix. An object body's properties are
// flattened into the input; any other body is the "body" property.
func inputSchema(op *ir.Operation, refs bool, t *Tool, set *Set) (*Schema, []Arg) {
	c := newConverter(input, refs)
	for _, p := range op.Params {
		c.visit(p.Type)
	}
	m := bodyMedia(op)
	var bodyObj *ir.Type
	if m != nil && m.Type != nil {
		if bt := resolve(m.Type); bt.Kind == ir.Object && bt.Additional == nil && len(bt.Fields) > 0 && !m.Nullable {
			bodyObj = bt
			for _, f := range bt.Fields {
				if !f.ReadOnly {
					c.visit(f.Type)
				}
			}
		} else {
			c.visit(m.Type)
		}
	}
	s := &Schema{Type: Types{"object"}, Properties: map[string]*Schema{}}
	taken := map[string]bool{}
	claim := func(want, prefix string) string {
		k := propertyKey(want)
		if taken[strings.ToLower(k)] {
			k = propertyKey(prefix + want)
		}
		for i := 2; taken[strings.ToLower(k)]; i++ {
			k = propertyKey(fmt.Sprintf("%s%s_%d", prefix, want, i))
		}
		taken[strings.ToLower(k)] = true
		return k
	}
	var args []Arg
	for _, p := range op.Params {
		if p == op.IdempotencyKey {
			continue // the client makes one and keeps it across retries
		}
		k := claim(p.Wire, locationPrefix[p.In])
		ps := c.schema(p.Type)
		d := p.Description
		if p.In == "header" || p.In == "cookie" {
			d = appendSentence(d, "Sent as the "+p.Wire+" "+p.In+".")
		}
		if d != "" {
			ps = withDescription(ps, d)
		}
		if p.Deprecated {
			ps = withDeprecated(ps)
		}
		if p.Nullable {
			ps = nullable(ps)
		}
		s.Properties[k] = ps
		if p.Required {
			s.Required = append(s.Required, k)
		}
		args = append(args, Arg{Property: k, Param: p, Required: p.Required})
	}
	if m != nil {
		required := op.Body.Required
		if bodyObj != nil {
			for _, f := range bodyObj.Fields {
				if f.ReadOnly {
					continue
				}
				k := claim(f.JSONName, "body_")
				fs := c.schema(f.Type)
				if f.Description != "" {
					fs = withDescription(fs, f.Description)
				}
				if f.Deprecated {
					fs = withDeprecated(fs)
				}
				if f.Nullable {
					fs = nullable(fs)
				}
				s.Properties[k] = fs
				req := required && f.Required
				if req {
					s.Required = append(s.Required, k)
				}
				args = append(args, Arg{Property: k, Field: f, Required: req})
			}
		} else {
			k := claim("body", "request_")
			var bs *Schema
			switch m.Encoding {
			case "binary":
				bs = &Schema{Type: Types{"string"}, Description: "The request body (" + m.MediaType + "), as text."}
			case "text":
				bs = &Schema{Type: Types{"string"}}
			default:
				bs = c.schema(m.Type)
				if m.Nullable {
					bs = nullable(bs)
				}
			}
			d := op.Body.Description
			if d == "" {
				d = "The request body (" + m.MediaType + ")."
			}
			bs = withDescription(bs, d)
			s.Properties[k] = bs
			if required {
				s.Required = append(s.Required, k)
			}
			args = append(args, Arg{Property: k, Required: required})
		}
	}
	sort.Strings(s.Required)
	if len(c.defs) > 0 {
		s.Defs = c.defs
	}
	for _, n := range c.notes {
		set.Warnings = append(set.Warnings, Warning{Kind: "lossy", Tool: t.Name, Pointer: op.Pointer, Message: "input: " + n})
	}
	return s, args
}

// bodyMedia is the media type the generated client sends: the preferred one.
func bodyMedia(op *ir.Operation) *ir.Media {
	if op.Body == nil || len(op.Body.Media) == 0 {
		return nil
	}
	return op.Body.Media[0]
}

// SuccessResponse is the first 2xx response with a JSON body, or nil.
func SuccessResponse(op *ir.Operation) *ir.Response {
	for _, r := range op.Responses {
		if r.Success() && len(r.Media) > 0 && r.Media[0].Encoding == "json" && r.Media[0].Type != nil {
			return r
		}
	}
	return nil
}

// outputSchema describes the structured result: the success body when it is
// an object, else {"result": body}.
func outputSchema(op *ir.Operation, refs bool, t *Tool, set *Set) (*Schema, bool) {
	r := SuccessResponse(op)
	if r == nil {
		return nil, false
	}
	m := r.Media[0]
	c := newConverter(output, refs)
	c.visit(m.Type)
	body := c.schema(m.Type)
	if m.Nullable {
		body = nullable(body)
	}
	for _, n := range c.notes {
		set.Warnings = append(set.Warnings, Warning{Kind: "lossy", Tool: t.Name, Pointer: op.Pointer, Message: "output: " + n})
	}
	rt := resolve(m.Type)
	isObject := (rt.Kind == ir.Object || rt.Kind == ir.Map) && !m.Nullable && body.Ref == "" && len(body.Type) == 1 && body.Type[0] == "object"
	if isObject {
		if len(c.defs) > 0 {
			body.Defs = c.defs
		}
		return body, false
	}
	if r.Description != "" && body.Description == "" && body.Ref == "" {
		body.Description = cleanMarkdown(r.Description)
	}
	out := &Schema{Type: Types{"object"}, Properties: map[string]*Schema{"result": body}, Required: []string{"result"}}
	if len(c.defs) > 0 {
		out.Defs = c.defs
	}
	return out, true
}
