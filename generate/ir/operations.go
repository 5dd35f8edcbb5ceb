package ir

import (
	"mime"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// opWant is the identifier an operation asks for before collisions are resolved.
type opState struct {
	op   *Operation
	want string
}

func (b *builder) operations() {
	if b.doc.Paths == nil {
		return
	}
	paths := b.doc.Paths.Keys()
	sort.Strings(paths)
	for _, path := range paths {
		item := b.doc.Paths.Value(path)
		if item == nil {
			continue
		}
		ops := item.Operations()
		methods := make([]string, 0, len(ops))
		for m := range ops {
			methods = append(methods, strings.ToUpper(m))
		}
		sort.Slice(methods, func(i, j int) bool {
			return methodRank(methods[i]) < methodRank(methods[j]) || (methodRank(methods[i]) == methodRank(methods[j]) && methods[i] < methods[j])
		})
		for _, m := range methods {
			op := ops[m]
			if op == nil {
				for k, v := range ops {
					if strings.ToUpper(k) == m {
						op = v
					}
				}
			}
			if op == nil {
				continue
			}
			b.operation(path, m, item, op)
		}
	}
}

func methodRank(m string) int {
	for i, x := range Methods {
		if x == m {
			return i
		}
	}
	return len(Methods)
}

func (b *builder) operation(path, method string, item *openapi3.PathItem, op *openapi3.Operation) {
	ptr := "/paths/" + pointerToken(path) + "/" + strings.ToLower(method)
	o := &Operation{
		ID: op.OperationID, Method: method, Path: path, Summary: op.Summary, Description: op.Description,
		Tags: op.Tags, Deprecated: op.Deprecated, Pointer: ptr,
	}
	want := Ident(op.OperationID, "")
	if op.OperationID == "" || want == "" {
		want = Ident(strings.ToLower(method)+" "+path, "Operation")
	}
	hint := Words(want)
	b.params(o, item, op, hint, ptr)
	if op.RequestBody != nil {
		if rb := op.RequestBody.Value; rb != nil {
			o.Body = &Body{Required: rb.Required, Description: rb.Description}
			o.Body.Media = b.media(rb.Content, append(clone(hint), "Request"), ptr+"/requestBody")
			if len(o.Body.Media) == 0 {
				o.Body = nil
			}
		} else {
			b.warn(ptr+"/requestBody", "unresolved request body %q; the operation is generated without a body", op.RequestBody.Ref)
		}
	}
	b.responses(o, op, hint, ptr)
	b.security(o, op)
	b.paginate(o)
	b.ops = append(b.ops, opState{op: o, want: want})
	b.api.Operations = append(b.api.Operations, o)
}

var locationRank = map[string]int{"path": 0, "query": 1, "header": 2, "cookie": 3}

func (b *builder) params(o *Operation, item *openapi3.PathItem, op *openapi3.Operation, hint []string, ptr string) {
	type key struct{ in, name string }
	var list []*openapi3.Parameter
	index := map[key]int{}
	add := func(ps openapi3.Parameters, at string) {
		for i, pr := range ps {
			if pr == nil || pr.Value == nil {
				ref := ""
				if pr != nil {
					ref = pr.Ref
				}
				b.warn(at+"/parameters/"+strconv.Itoa(i), "unresolved parameter %q; skipped", ref)
				continue
			}
			p := pr.Value
			k := key{p.In, p.Name}
			if j, ok := index[k]; ok {
				list[j] = p
				continue
			}
			index[k] = len(list)
			list = append(list, p)
		}
	}
	add(item.Parameters, "/paths/"+pointerToken(o.Path))
	add(op.Parameters, ptr)
	// A template variable that no parameter declares still has to be filled.
	for _, name := range templateVars(o.Path) {
		if _, ok := index[key{"path", name}]; !ok {
			b.warn(ptr, "path parameter %q is not declared; generated as a required string", name)
			p := &openapi3.Parameter{Name: name, In: "path", Required: true, Schema: openapi3.NewStringSchema().NewRef()}
			index[key{"path", name}] = len(list)
			list = append(list, p)
		}
	}
	sort.SliceStable(list, func(i, j int) bool { return locationRank[list[i].In] < locationRank[list[j].In] })
	for _, p := range list {
		if _, ok := locationRank[p.In]; !ok {
			b.warn(ptr, "parameter %q has unknown location %q; skipped", p.Name, p.In)
			continue
		}
		if p.In == "header" {
			switch strings.ToLower(p.Name) {
			case "accept", "content-type", "authorization":
				continue // OpenAPI: these are ignored; the client sets them
			}
		}
		q := &Param{
			Wire: p.Name, In: p.In, Style: p.Style, Required: p.Required || p.In == "path",
			Description: p.Description, Deprecated: p.Deprecated, AllowReserved: p.AllowReserved,
		}
		if q.Style == "" {
			if p.In == "query" || p.In == "cookie" {
				q.Style = "form"
			} else {
				q.Style = "simple"
			}
		}
		q.Explode = q.Style == "form"
		if p.Explode != nil {
			q.Explode = *p.Explode
		}
		ph := append(clone(hint), Words(p.Name)...)
		pptr := ptr + "/parameters/" + pointerToken(p.Name)
		switch {
		case p.Schema != nil:
			q.Type, q.Nullable = b.typeOf(p.Schema, ph, pptr)
		case len(p.Content) > 0:
			mts := sortedKeys(p.Content)
			mt := mts[0]
			q.ContentType = mt
			if c := p.Content[mt]; c != nil {
				q.Type, q.Nullable = b.typeOf(c.Schema, ph, pptr)
			} else {
				q.Type = &Type{Kind: Any}
			}
		default:
			q.Type = &Type{Kind: String}
		}
		if strings.EqualFold(p.Name, "Idempotency-Key") && p.In == "header" {
			o.IdempotencyKey = q
		}
		o.Params = append(o.Params, q)
	}
}

// templateVars returns the {names} of a path template in order.
func templateVars(path string) []string {
	var out []string
	for {
		i := strings.IndexByte(path, '{')
		if i < 0 {
			return out
		}
		j := strings.IndexByte(path[i:], '}')
		if j < 0 {
			return out
		}
		out = append(out, path[i+1:i+j])
		path = path[i+j+1:]
	}
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// Encoding classifies a media type: "json", "form", "multipart", "text" or "binary".
func Encoding(mediaType string) string {
	mt, _, err := mime.ParseMediaType(mediaType)
	if err != nil {
		mt = strings.ToLower(strings.TrimSpace(mediaType))
	}
	switch {
	case mt == "application/json" || strings.HasSuffix(mt, "+json") || mt == "text/json" || strings.HasSuffix(mt, "/json"):
		return "json"
	case mt == "application/x-www-form-urlencoded":
		return "form"
	case strings.HasPrefix(mt, "multipart/"):
		return "multipart"
	case strings.HasPrefix(mt, "text/"):
		return "text"
	}
	return "binary"
}

// formStyle is how a form body's property with encoding e goes out, when
// not as a form field exploded (the default): "form" (explode false),
// "spaceDelimited", "pipeDelimited" or "json".
func formStyle(e *openapi3.Encoding) string {
	switch {
	case e.Style == "" && e.Explode == nil && Encoding(e.ContentType) == "json":
		return "json"
	case e.Style == "spaceDelimited" || e.Style == "pipeDelimited":
		if e.Explode == nil || !*e.Explode {
			return e.Style
		}
	case (e.Style == "" || e.Style == "form") && e.Explode != nil && !*e.Explode:
		return "form"
	}
	return ""
}

// wildcard reports a media range such as */* or application/*.
func wildcard(mediaType string) bool {
	mt, _, _ := strings.Cut(mediaType, ";")
	return strings.HasSuffix(strings.TrimSpace(mt), "/*")
}

// bytesSchema reports a schema of raw bytes or text: a string (binary or
// not), or one that constrains nothing.
func bytesSchema(s *openapi3.Schema) bool {
	if s.Type != nil {
		return s.Type.Is("string")
	}
	return len(s.Properties) == 0 && s.Items == nil && len(s.AllOf) == 0 && len(s.OneOf) == 0 && len(s.AnyOf) == 0 && s.AdditionalProperties.Schema == nil
}

var encodingRank = map[string]int{"json": 0, "form": 1, "multipart": 2, "binary": 3, "text": 4}

func (b *builder) media(content openapi3.Content, hint []string, ptr string) []*Media {
	var out []*Media
	for _, mt := range sortedKeys(content) {
		c := content[mt]
		m := &Media{MediaType: mt, Encoding: Encoding(mt)}
		if m.Encoding == "binary" && wildcard(mt) && c != nil && c.Schema != nil && c.Schema.Value != nil && !bytesSchema(c.Schema.Value) {
			// */* (Swagger 2.0's consumes and produces, converted) with a
			// schema of structured data: the data is JSON.
			m.Encoding = "json"
		}
		if c != nil && c.ItemSchema != nil && c.Schema == nil {
			// OpenAPI 3.2: a stream described item by item.
			m.Item, _ = b.typeOf(c.ItemSchema, append(slices.Clone(hint), "Item"), ptr+"/content/"+pointerToken(mt)+"/itemSchema")
		}
		switch m.Encoding {
		case "binary":
		case "text":
			m.Type = &Type{Kind: String}
		default:
			if c == nil || c.Schema == nil {
				if m.Encoding == "json" {
					m.Type = &Type{Kind: Any}
				} else {
					m.Encoding = "binary"
				}
			} else {
				m.Type, m.Nullable = b.typeOf(c.Schema, hint, ptr+"/content/"+pointerToken(mt)+"/schema")
			}
			if m.Encoding == "multipart" || m.Encoding == "form" {
				if m.Type.Kind == Alias {
					m.Type = m.Type.Elem
				}
				if m.Type.Kind != Object {
					b.warn(ptr, "%s body is not an object; sent as raw bytes", mt)
					m.Encoding, m.Type = "binary", nil
				}
			}
			if m.Encoding == "form" || m.Encoding == "multipart" {
				for _, name := range sortedKeys(c.Encoding) {
					e := c.Encoding[name]
					if e == nil {
						continue
					}
					if e.Style == "deepObject" {
						m.DeepObject = append(m.DeepObject, name)
					} else if st := formStyle(e); st != "" && m.Encoding == "form" {
						if m.FormStyles == nil {
							m.FormStyles = map[string]string{}
						}
						m.FormStyles[name] = st
					}
					if ct, _, _ := strings.Cut(e.ContentType, ","); m.Encoding == "multipart" && strings.TrimSpace(ct) != "" {
						if m.PartTypes == nil {
							m.PartTypes = map[string]string{}
						}
						m.PartTypes[name] = strings.TrimSpace(ct)
					}
				}
			}
		}
		out = append(out, m)
	}
	sort.SliceStable(out, func(i, j int) bool {
		ri, rj := encodingRank[out[i].Encoding], encodingRank[out[j].Encoding]
		if ri != rj {
			return ri < rj
		}
		return out[i].MediaType == "application/json" && out[j].MediaType != "application/json"
	})
	return out
}

func statusRank(s string) (int, int) {
	if len(s) == 3 && s[0] >= '1' && s[0] <= '5' && s[1] >= '0' && s[1] <= '9' && s[2] >= '0' && s[2] <= '9' {
		n, _ := strconv.Atoi(s)
		return 0, n
	}
	if len(s) == 3 && s[0] >= '1' && s[0] <= '5' && (s[1] == 'X' || s[1] == 'x') && (s[2] == 'X' || s[2] == 'x') {
		return 1, int(s[0])
	}
	return 2, 0
}

func (b *builder) responses(o *Operation, op *openapi3.Operation, hint []string, ptr string) {
	if op.Responses == nil {
		return
	}
	codes := op.Responses.Keys()
	sort.Slice(codes, func(i, j int) bool {
		ai, an := statusRank(codes[i])
		bi, bn := statusRank(codes[j])
		if ai != bi {
			return ai < bi
		}
		if an != bn {
			return an < bn
		}
		return codes[i] < codes[j]
	})
	first := true
	for _, code := range codes {
		rr := op.Responses.Value(code)
		rptr := ptr + "/responses/" + pointerToken(code)
		if rr == nil || rr.Value == nil {
			b.warn(rptr, "unresolved response; skipped")
			continue
		}
		status := strings.ToUpper(code)
		if code == "default" {
			status = "default"
		} else if a, _ := statusRank(status); a == 2 || len(status) != 3 {
			b.warn(rptr, "response key %q is not a status code; skipped", code)
			continue
		}
		r := &Response{Status: status}
		if rr.Value.Description != nil {
			r.Description = *rr.Value.Description
		}
		var rh []string
		switch {
		case r.Success() && first:
			rh = append(clone(hint), "Result")
		case r.Success():
			rh = append(clone(hint), status, "Result")
		default:
			rh = append(clone(hint), strings.ToUpper(status[:1])+status[1:], "Error")
		}
		r.Media = b.media(rr.Value.Content, rh, rptr)
		if r.Success() && len(r.Media) > 0 {
			first = false
		}
		for h := range rr.Value.Headers {
			r.Headers = append(r.Headers, h)
		}
		sort.Strings(r.Headers)
		o.Responses = append(o.Responses, r)
	}
}

func (b *builder) securitySchemes() {
	if b.doc.Components == nil {
		return
	}
	for _, k := range sortedKeys(b.doc.Components.SecuritySchemes) {
		sr := b.doc.Components.SecuritySchemes[k]
		if sr == nil || sr.Value == nil {
			b.warn("/components/securitySchemes/"+pointerToken(k), "unresolved security scheme; ignored")
			continue
		}
		v := sr.Value
		s := &SecurityScheme{Key: k, Type: v.Type, Description: v.Description, In: v.In, ParamName: v.Name, Scheme: strings.ToLower(v.Scheme)}
		if v.Flows != nil && v.Flows.ClientCredentials != nil {
			s.TokenURL = v.Flows.ClientCredentials.TokenURL
			s.Scopes = sortedKeys(v.Flows.ClientCredentials.Scopes)
		}
		b.api.SecuritySchemes = append(b.api.SecuritySchemes, s)
	}
}

func (b *builder) security(o *Operation, op *openapi3.Operation) {
	reqs := b.doc.Security
	if op.Security != nil {
		reqs = *op.Security
	}
	byKey := map[string]*SecurityScheme{}
	for _, s := range b.api.SecuritySchemes {
		byKey[s.Key] = s
	}
	for _, req := range reqs {
		var alt SecurityRequirement
		for _, k := range sortedKeys(req) {
			s := byKey[k]
			if s == nil {
				b.warn(o.Pointer, "security scheme %q is not defined; ignored", k)
				continue
			}
			alt = append(alt, SecurityUse{Scheme: s, Scopes: req[k]})
		}
		o.Security = append(o.Security, alt)
	}
}
