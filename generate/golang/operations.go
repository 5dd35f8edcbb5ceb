package golang

import (
	"fmt"
	"maps"
	"mime"
	"slices"
	"strings"

	"github.com/agentready/agentready/generate/ir"
)

func (g *gen) operations(ops []*ir.Operation) []byte {
	g.start()
	for _, op := range ops {
		g.params(op)
		g.response(op)
		g.method(op)
		if op.Pagination != nil {
			g.iterator(op)
		}
	}
	return g.finish()
}

// paramType is a parameter field's Go type and whether it is a pointer.
func (g *gen) paramType(op *ir.Operation, p *ir.Param) (string, bool) {
	if op.IdempotencyKey == p {
		return "string", false
	}
	t := g.typ(p.Type)
	if p.Required || nilable(p.Type) {
		return t, false
	}
	return "*" + t, true
}

// bodyMedia is the media type the client sends, or nil.
func bodyMedia(op *ir.Operation) *ir.Media {
	if op.Body == nil || len(op.Body.Media) == 0 {
		return nil
	}
	return op.Body.Media[0]
}

// bodyChoices are the body's other media types that the params' Body
// field carries as it is (the same Go type and an encoding of the same
// kind), in the body's order: a caller picks one with BodyMediaType.
func bodyChoices(op *ir.Operation) []*ir.Media {
	m := bodyMedia(op)
	if m == nil || m.Item != nil {
		return nil
	}
	var out []*ir.Media
	for _, o := range op.Body.Media[1:] {
		if o.Item == nil && sameCarrier(m, o) {
			out = append(out, o)
		}
	}
	return out
}

// sameCarrier reports whether a body field typed for a can be sent as b:
// raw bytes as raw bytes, text as text, and JSON, form and multipart
// bodies of one declared type as one another.
func sameCarrier(a, b *ir.Media) bool {
	kind := func(enc string) string {
		if enc == "binary" || enc == "text" {
			return enc
		}
		return "structured"
	}
	if kind(a.Encoding) != kind(b.Encoding) || a.Nullable != b.Nullable {
		return false
	}
	if kind(a.Encoding) != "structured" {
		return true
	}
	return a.Type != nil && a.Type == b.Type
}

// bodyType is the Go type of the params' Body field and whether it is a pointer.
func (g *gen) bodyType(op *ir.Operation) (string, bool) {
	m := bodyMedia(op)
	switch m.Encoding {
	case "binary":
		g.use("io")
		return "io.Reader", false
	case "text":
		if op.Body.Required {
			return "string", false
		}
		return "*string", true
	}
	t := g.typ(m.Type)
	if op.Body.Required || nilable(m.Type) {
		return t, false
	}
	return "*" + t, true
}

func (g *gen) params(op *ir.Operation) {
	name := esc(asIdent, op.ParamsName)
	g.p("// %s are the parameters of %s.", name, esc(asIdent, op.Name))
	g.p("type %s struct {", name)
	for _, p := range op.Params {
		t, _ := g.paramType(op, p)
		doc := p.Wire + " (" + p.In + ")"
		if p.Required {
			doc += ", required"
		}
		if d := docText(p.Description); d != "" {
			doc += ": " + d
		}
		if op.IdempotencyKey == p {
			doc += "\n\nLeft empty, a random key is generated and kept across retries."
		}
		if p.Deprecated {
			doc += "\n\nDeprecated: the API marks this parameter deprecated."
		}
		g.doc(doc)
		g.field(esc(asIdent, p.Name), t, "")
	}
	if m := bodyMedia(op); m != nil {
		t, _ := g.bodyType(op)
		doc := "Body is the request body, sent as " + m.MediaType + "."
		if d := docText(op.Body.Description); d != "" {
			doc += " " + d
		}
		g.doc(doc)
		g.field("Body", t, "")
		if choices := bodyChoices(op); len(choices) > 0 {
			doc := "BodyMediaType is the media type Body is sent as: " + m.MediaType + " when empty"
			for _, o := range choices {
				doc += ", or " + o.MediaType
			}
			g.doc(doc + ".")
			g.field("BodyMediaType", "string", "")
		}
	}
	g.p("}")
	g.p("")
}

// responseField is the Go type of a typed response field, or "" when the
// response has no body the client decodes.
func (g *gen) responseField(r *ir.Response) string {
	if len(r.Media) == 0 {
		return ""
	}
	m := r.Media[0]
	if streamed(m) {
		return "[]" + g.typ(m.Item)
	}
	switch m.Encoding {
	case "json":
		if nilable(m.Type) {
			return g.typ(m.Type) // a slice, map or raw JSON: nil is "not set"
		}
		return "*" + g.typ(m.Type)
	case "text":
		return "*string"
	case "binary":
		return "[]byte"
	}
	return ""
}

func (g *gen) response(op *ir.Operation) {
	name := esc(asIdent, op.ResponseName)
	g.use("net/http")
	g.p("// %s is the response of %s. Exactly one typed field is set when the", name, esc(asIdent, op.Name))
	g.p("// status has a declared body.")
	g.p("type %s struct {", name)
	g.field("StatusCode", "int", "")
	g.field("Header", "http.Header", "")
	g.p("// Body is the raw response body.")
	g.field("Body", "[]byte", "")
	for _, r := range op.Responses {
		t := g.responseField(r)
		if t == "" {
			continue
		}
		doc := r.Name + " is the body of a " + r.Status + " response"
		if d := docText(r.Description); d != "" {
			doc += ": " + d
		}
		g.doc(doc)
		g.field(esc(asIdent, r.Name), t, "")
	}
	g.p("}")
	g.p("")
}

// statusCond is the Go condition that selects a response.
func statusCond(status string) string {
	if status[1] == 'X' {
		return fmt.Sprintf("resp.StatusCode/100 == %c", status[0])
	}
	return "resp.StatusCode == " + status
}

func (g *gen) method(op *ir.Operation) {
	g.use("context")
	name := esc(asIdent, op.Name)
	opName := esc(asString, op.Name)
	summary, desc := docText(op.Summary), docText(op.Description)
	doc, more := opSentence(op.Name, op.Method, op.Path, summary)
	if more != "" {
		doc += "\n\n" + more
	}
	if desc != "" && desc != summary && sentence(desc) != sentence(summary) && !sameWords(op.Name, desc) {
		doc += "\n\n" + desc
	}
	if op.Deprecated {
		doc += "\n\nDeprecated: the API marks this operation deprecated."
	}
	g.doc(doc)
	g.p("func (c *Client) %s(ctx context.Context, params *%s) (*%s, error) {", name, esc(asIdent, op.ParamsName), esc(asIdent, op.ResponseName))
	g.p("if params == nil {\nparams = new(%s)\n}", esc(asIdent, op.ParamsName))
	g.p("r := newRequest(%s, %s, %s)", opName, esc(asString, op.Method), esc(asString, op.Path))
	for _, p := range op.Params {
		field := "params." + esc(asIdent, p.Name)
		_, ptr := g.paramType(op, p)
		val := field
		guard := ""
		switch {
		case op.IdempotencyKey == p:
			g.p("r.idempotencyKey(%s, &%s)", esc(asString, p.Wire), field)
			continue
		case ptr:
			guard, val = field+" != nil", "*"+field
		case !p.Required && nilable(p.Type):
			guard = field + " != nil"
		}
		var call string
		switch {
		case p.ContentType != "" && p.In == "query":
			call = fmt.Sprintf("r.queryJSON(%s, %s)", esc(asString, p.Wire), val)
		case p.In == "path":
			call = fmt.Sprintf("r.pathParam(%s, %s, %t, %s)", esc(asString, p.Wire), esc(asString, p.Style), p.Explode, val)
		case p.In == "query":
			call = fmt.Sprintf("r.queryParam(%s, %s, %t, %t, %s)", esc(asString, p.Wire), esc(asString, p.Style), p.Explode, p.AllowReserved, val)
		case p.In == "header":
			call = fmt.Sprintf("r.headerParam(%s, %t, %s)", esc(asString, p.Wire), p.Explode, val)
		case p.In == "cookie":
			call = fmt.Sprintf("r.cookieParam(%s, %t, %s)", esc(asString, p.Wire), p.Explode, val)
		}
		if guard != "" {
			g.p("if %s {\n%s\n}", guard, call)
		} else {
			g.p("%s", call)
		}
	}
	if len(op.Security) > 0 {
		g.p("r.security = %s", securityLiteral(op.Security))
	}
	if m := bodyMedia(op); m != nil {
		if choices := bodyChoices(op); len(choices) > 0 {
			g.use("fmt")
			g.p("switch params.BodyMediaType {")
			g.p("case \"\", %s:", esc(asString, m.MediaType))
			g.body(op, m)
			for _, o := range choices {
				g.p("case %s:", esc(asString, o.MediaType))
				g.body(op, o)
			}
			g.p("default:")
			g.p("r.fail(fmt.Errorf(%s, params.BodyMediaType))", esc(asString, "body media type %q: not one the operation declares"))
			g.p("}")
		} else {
			g.body(op, m)
		}
	}
	g.p("resp, body, err := c.send(ctx, r)")
	g.p("if err != nil {\nreturn nil, err\n}")
	g.p("out := &%s{StatusCode: resp.StatusCode, Header: resp.Header, Body: body}", esc(asIdent, op.ResponseName))
	g.p("switch {")
	hasDefault := false
	for _, r := range op.Responses {
		if r.Status == "default" {
			hasDefault = true
		}
		if r.Status == "default" {
			g.p("default:")
		} else {
			g.p("case %s:", statusCond(r.Status))
		}
		ft := g.responseField(r)
		if ft != "" {
			field := esc(asIdent, r.Name)
			if m := r.Media[0]; streamed(m) {
				call := fmt.Sprintf("decodeItems(%s, resp, body, %s, &out.%s)", opName, esc(asString, m.MediaType), field)
				switch {
				case r.Success():
					g.p("return out, %s", call)
				case r.Status == "default":
					g.p("if resp.StatusCode/100 == 2 {\nreturn out, %s\n}", call)
					g.p("_ = %s", call)
					g.p("return out, newAPIError(%s, resp, body, out.%s)", opName, field)
				default:
					g.p("_ = %s", call)
					g.p("return out, newAPIError(%s, resp, body, out.%s)", opName, field)
				}
			} else if enc := r.Media[0].Encoding; enc == "text" || enc == "binary" {
				if enc == "text" {
					g.p("out.%s = Ptr(string(body))", field)
				} else {
					g.p("out.%s = body", field)
				}
				switch {
				case r.Success():
					g.p("return out, nil")
				case r.Status == "default":
					g.p("if resp.StatusCode/100 == 2 {\nreturn out, nil\n}")
					g.p("return out, newAPIError(%s, resp, body, out.%s)", opName, field)
				default:
					g.p("return out, newAPIError(%s, resp, body, out.%s)", opName, field)
				}
			} else if !strings.HasPrefix(ft, "*") && r.Success() {
				g.p("return out, decodeValue(%s, resp, body, &out.%s)", opName, field)
			} else if !strings.HasPrefix(ft, "*") {
				g.p("return out, decodeErrorValue(%s, resp, body, &out.%s)", opName, field)
			} else if r.Success() {
				g.p("return out, decodeResult(%s, resp, body, &out.%s, new(%s))", opName, field, g.typ(r.Media[0].Type))
			} else {
				g.p("return out, decodeError(%s, resp, body, &out.%s, new(%s))", opName, field, g.typ(r.Media[0].Type))
			}
			continue
		}
		if r.Success() {
			g.p("return out, nil")
		} else if r.Status == "default" {
			g.p("if resp.StatusCode/100 == 2 {\nreturn out, nil\n}")
			g.p("return out, newAPIError(%s, resp, body, nil)", opName)
		} else {
			g.p("return out, newAPIError(%s, resp, body, nil)", opName)
		}
	}
	if !hasDefault {
		g.p("case resp.StatusCode/100 == 2:")
		g.p("return out, nil")
	}
	g.p("}")
	if !hasDefault {
		g.p("return out, newAPIError(%s, resp, body, nil)", opName)
	}
	g.p("}")
	g.p("")
}

func (g *gen) body(op *ir.Operation, m *ir.Media) {
	_, ptr := g.bodyType(op)
	val := "params.Body"
	guard := ""
	if ptr {
		guard = "params.Body != nil"
	} else if !op.Body.Required && m.Encoding != "binary" && nilable(m.Type) {
		guard = "params.Body != nil"
	}
	open := func() {
		if guard != "" {
			g.p("if %s {", guard)
		}
	}
	closeIf := func() {
		if guard != "" {
			g.p("}")
		}
	}
	mt := esc(asString, m.MediaType)
	switch m.Encoding {
	case "json":
		if strings.Contains(m.MediaType, "*") {
			mt = esc(asString, "application/json") // a request names the type it sends
		}
		open()
		g.p("r.jsonBody(%s, %s)", mt, val)
		closeIf()
	case "form":
		open()
		// Pairs of a property and its declared style, sorted by property.
		styles := maps.Clone(m.FormStyles)
		if styles == nil {
			styles = map[string]string{}
		}
		for _, d := range m.DeepObject {
			styles[d] = "deepObject"
		}
		args := val
		for _, name := range slices.Sorted(maps.Keys(styles)) {
			args += ", " + esc(asString, name) + ", " + esc(asString, styles[name])
		}
		g.p("r.formBody(%s)", args)
		closeIf()
	case "text":
		if ptr {
			val = "*params.Body"
		}
		open()
		g.p("r.textBody(%s, %s)", mt, val)
		closeIf()
	case "binary":
		g.p("r.rawBody(%s, params.Body)", mt)
	case "multipart":
		open()
		g.p("r.multipartBody(func(w *multipartWriter) {")
		g.p("b := params.Body")
		if g.multipartFields(deref(m.Type), m) == 0 {
			g.p("_ = b")
		}
		g.p("})")
		closeIf()
	}
}

// peekFieldType is f's Go type for a decision about the code to write,
// where the type itself is not written: it records no import, so that a
// field of type json.RawMessage does not leave "encoding/json" imported
// and unused (ReadMe's multipart createAPI body, whose fields have no
// type, did).
func (g *gen) peekFieldType(f *ir.Field) string {
	saved := maps.Clone(g.uses)
	ft, _ := g.fieldType(f)
	g.uses = saved
	return ft
}

func (g *gen) multipartFields(t *ir.Type, m *ir.Media) int {
	n := 0
	for _, f := range t.Fields {
		if g.cycle[f] {
			continue
		}
		n++
		ft := g.peekFieldType(f)
		field := "b." + esc(asIdent, f.Name)
		wire := esc(asString, f.JSONName)
		d := deref(f.Type)
		isFile := d != nil && d.Kind == ir.String && d.Format == "binary"
		partType := esc(asString, m.PartTypes[f.JSONName])
		// A deepObject property goes out as one part a leaf (name[key]).
		write := "field"
		if slices.Contains(m.DeepObject, f.JSONName) && !isFile {
			write = "deep"
		}
		switch {
		case strings.HasPrefix(ft, "Nullable["):
			g.p("if %s.Valid {\nw.%s(%s, %s.Value)\n}", field, write, wire, field)
		case isFile && strings.HasPrefix(ft, "*"):
			g.p("if %s != nil {\nw.file(%s, *%s, %s)\n}", field, wire, field, partType)
		case isFile:
			g.p("w.file(%s, %s, %s)", wire, field, partType)
		case write == "field" && d != nil && d.Kind == ir.Array:
			e := deref(d.Elem)
			if e != nil && e.Kind == ir.String && e.Format == "binary" {
				g.p("for _, x := range %s {\nw.file(%s, x, %s)\n}", field, wire, partType)
			} else {
				g.p("for _, x := range %s {\nw.field(%s, x)\n}", field, wire)
			}
		case strings.HasPrefix(ft, "*"):
			g.p("if %s != nil {\nw.%s(%s, *%s)\n}", field, write, wire, field)
		case !f.Required && nilable(f.Type):
			g.p("if %s != nil {\nw.%s(%s, %s)\n}", field, write, wire, field)
		default:
			g.p("w.%s(%s, %s)", write, wire, field)
		}
	}
	return n
}

// access renders the read of a field path from root as nested guards: it
// returns the statements' opening lines, the final expression and the number
// of braces to close. ok is false when the path goes through a type the
// generator cannot walk safely.
func (g *gen) access(root string, path []*ir.Field) (opens []string, expr string, closes int) {
	expr = root
	for i, f := range path {
		ft := g.peekFieldType(f)
		next := expr + "." + esc(asIdent, f.Name)
		last := i == len(path)-1
		switch {
		case strings.HasPrefix(ft, "Nullable["):
			opens = append(opens, "if "+next+".Valid {")
			closes++
			next += ".Value"
		case strings.HasPrefix(ft, "*"):
			opens = append(opens, "if "+next+" != nil {")
			closes++
			if last {
				next = "(*" + next + ")"
			}
		}
		expr = next
	}
	return opens, expr, closes
}

func (g *gen) iterator(op *ir.Operation) {
	p := op.Pagination
	var resp *ir.Response
	for _, r := range op.Responses {
		if r.Status == p.Status {
			resp = r
		}
	}
	if resp == nil {
		return
	}
	g.use("iter")
	name := esc(asIdent, p.IterName)
	item := g.typ(p.Item)
	pname := esc(asIdent, op.ParamsName)
	g.p("// %s iterates over every item of %s, fetching pages as needed", name, esc(asIdent, op.Name))
	switch p.Kind {
	case "link":
		g.p("// by following the Link header's rel=\"next\" URL.")
	case "next-url":
		g.p("// by following the next page's URL that each page gives.")
	case "cursor":
		g.p("// by passing each page's next cursor back as %s.", esc(asString, p.Param.Wire))
	case "last-id":
		g.p("// by passing the last item's ID back as %s.", esc(asString, p.Param.Wire))
	case "page":
		g.p("// by incrementing %s.", esc(asString, p.Param.Wire))
	case "offset":
		g.p("// by advancing %s.", esc(asString, p.Param.Wire))
	}
	g.p("// It stops at the first error, which it yields.")
	g.p("func (c *Client) %s(ctx context.Context, params *%s) iter.Seq2[%s, error] {", name, pname, item)
	g.p("return func(yield func(%s, error) bool) {", item)
	g.p("var p %s", pname)
	g.p("if params != nil {\np = *params\n}")
	g.p("pageCtx := ctx")
	if p.Kind == "page" || p.Kind == "offset" {
		// n is the page (or offset) the first request asks for: the
		// caller's, else the one the server answers when none is sent.
		g.p("n := int64(%d)", p.First)
		_, ptr := g.paramType(op, p.Param)
		field := "p." + esc(asIdent, p.Param.Name)
		if ptr {
			g.p("if %s != nil {\nn = int64(*%s)\n}", field, field)
		} else {
			g.p("n = int64(%s)", field)
		}
	}
	if p.Kind == "cursor" || p.Kind == "last-id" || p.Kind == "next-url" {
		g.p("seen := map[string]bool{}")
	}
	g.p("for {")
	g.p("resp, err := c.%s(pageCtx, &p)", esc(asIdent, op.Name))
	g.p("if err != nil {")
	g.p("var zero %s", item)
	g.p("yield(zero, err)")
	g.p("return")
	g.p("}")
	g.p("page := resp.%s", esc(asIdent, resp.Name))
	g.p("if page == nil {\nreturn\n}")
	// items
	if len(p.Items) == 0 && strings.HasPrefix(g.responseField(resp), "*") {
		g.p("items := *page")
	} else if len(p.Items) == 0 {
		g.p("items := page")
	} else {
		g.p("var items []%s", item)
		g.assignAt("items = %s", "page", p.Items)
	}
	g.p("for _, it := range items {")
	g.p("if !yield(it, nil) {\nreturn\n}")
	g.p("}")
	g.p("if len(items) == 0 {\nreturn\n}")
	if len(p.HasMore) > 0 {
		g.p("more := true")
		g.assignAt("more = bool(%s)", "page", p.HasMore)
		g.p("if !more {\nreturn\n}")
	}
	setParam := func(value string) {
		_, ptr := g.paramType(op, p.Param)
		field := "p." + esc(asIdent, p.Param.Name)
		pt := g.typ(p.Param.Type)
		if ptr {
			g.p("%s = Ptr(%s(%s))", field, pt, value)
		} else {
			g.p("%s = %s(%s)", field, pt, value)
		}
	}
	switch p.Kind {
	case "link":
		g.p("next := nextLink(resp.Header, c.base)")
		g.p("if next == \"\" {\nreturn\n}")
		g.p("pageCtx = withNext(ctx, next)")
	case "next-url":
		g.use("fmt")
		g.nextToken("page", p.Next)
		g.p("u, err := nextURL(next, c.base)")
		g.p("if err != nil {")
		g.p("var zero %s", item)
		g.p("yield(zero, fmt.Errorf(\"%s: %%w\", err))", esc(asIdent, p.IterName))
		g.p("return")
		g.p("}")
		g.p("pageCtx = withNext(ctx, u)")
	case "cursor":
		g.nextToken("page", p.Next)
		setParam("next")
	case "last-id":
		g.nextToken("items[len(items)-1]", []*ir.Field{p.ItemID})
		setParam("next")
	case "page", "offset":
		if p.Limit != nil {
			_, ptr := g.paramType(op, p.Limit)
			field := "p." + esc(asIdent, p.Limit.Name)
			if ptr {
				g.p("if %s != nil && int64(len(items)) < int64(*%s) {\nreturn\n}", field, field)
			} else {
				g.p("if int64(len(items)) < int64(%s) {\nreturn\n}", field)
			}
		}
		if p.Kind == "page" {
			g.p("n++")
		} else {
			g.p("n += int64(len(items))")
		}
		setParam("n")
	}
	g.p("}")
	g.p("}")
	g.p("}")
	g.p("")
}

// nextToken emits the code that reads the next page's token from the field
// at path under root into `next`, and stops the iteration when it is empty
// or was seen before (a server that repeats a cursor would loop forever).
func (g *gen) nextToken(root string, path []*ir.Field) {
	g.p("next := \"\"")
	g.assignAt("next = string(%s)", root, path)
	g.p("if next == \"\" || seen[next] {\nreturn\n}")
	g.p("seen[next] = true")
}

// assignAt emits an assignment (format with one %s for the value) of the
// field at path under root, inside the nil checks that reaching it needs.
func (g *gen) assignAt(format, root string, path []*ir.Field) {
	opens, expr, closes := g.access(root, path)
	for _, o := range opens {
		g.p("%s", o)
	}
	g.p(format, expr)
	for range closes {
		g.p("}")
	}
}

// streamed reports whether a response body is decoded item by item: a
// sequential media type (server-sent events, JSON Lines, NDJSON, JSON text
// sequences) whose items OpenAPI 3.2's itemSchema describes.
func streamed(m *ir.Media) bool {
	if m == nil || m.Item == nil {
		return false
	}
	mt, _, err := mime.ParseMediaType(m.MediaType)
	if err != nil {
		return false
	}
	switch mt {
	case "text/event-stream", "application/jsonl", "application/x-jsonl", "application/x-ndjson", "application/ndjson", "application/json-seq":
		return true
	}
	return strings.HasSuffix(mt, "+json-seq") || strings.HasSuffix(mt, "+jsonl")
}

// hasStreams reports whether an operation of api has a streamed response.
func hasStreams(api *ir.API) bool {
	for _, o := range api.Operations {
		for _, r := range o.Responses {
			if len(r.Media) > 0 && streamed(r.Media[0]) {
				return true
			}
		}
	}
	return false
}
