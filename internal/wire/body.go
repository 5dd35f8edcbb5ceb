package wire

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
)

// ownBody judges the request body itself where the validator's decoders
// cannot read what the spec declares, and reports whether it did (then
// openapi3filter is told to skip the body):
//   - a form body with bracketed keys (Stripe's deepObject encoding,
//     a[b][0][c]=x), with properties that are objects or arrays of objects,
//     or with untyped properties (which the validator's decoder makes null):
//     the body is rebuilt into JSON by the schema and the encoding's styles;
//   - a body of a media type the validator has no decoder for (application/jwt)
//     whose schema is a string: the body is that string.
//
// The rebuilt value is validated with the kin-openapi schema, as the
// validator would have. msg is the failure, "" when valid.
func ownBody(r *http.Request, sent []byte, op *openapi3.Operation, opts []openapi3.SchemaValidationOption) (handled bool, msg string) {
	if op.RequestBody == nil || op.RequestBody.Value == nil {
		return false, ""
	}
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		return false, ""
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return false, ""
	}
	media := op.RequestBody.Value.Content.Get(mt)
	if media == nil || media.Schema == nil || media.Schema.Value == nil {
		return false, ""
	}
	s := media.Schema.Value
	var v any
	switch {
	case mt == "application/x-www-form-urlencoded":
		vals, err := url.ParseQuery(string(sent))
		if err != nil || !formNeedsOwnDecoder(vals, s) {
			return false, ""
		}
		v = decodeForm(vals, s, media.Encoding)
	case isJWT(mt) && schemaType(s) == "object":
		claims, err := jwtClaims(string(sent))
		if err != nil {
			return true, "request body has an error: " + err.Error()
		}
		v = claims
	case openapi3filter.RegisteredBodyDecoder(mt) == nil && !strings.HasSuffix(mt, "+json") && schemaType(s) == "string" && s.Format != "binary":
		v = string(sent)
	default:
		return false, ""
	}
	if len(sent) == 0 && op.RequestBody.Value.Required {
		return true, "request body has an error: value is required but missing"
	}
	if err := s.VisitJSON(v, append([]openapi3.SchemaValidationOption{openapi3.VisitAsRequest()}, opts...)...); err != nil {
		return true, "request body has an error: doesn't match schema: " + oneLine(err.Error())
	}
	return true, ""
}

// formNeedsOwnDecoder reports whether a form body is one the validator's
// decoder misreads: a bracketed key, or a sent property whose schema is an
// object, an array of objects, or has no type.
func formNeedsOwnDecoder(vals url.Values, s *openapi3.Schema) bool {
	for k := range vals {
		if strings.Contains(k, "[") {
			return true
		}
		p := s.Properties[k]
		if p == nil || p.Value == nil {
			continue
		}
		ps := p.Value
		if untyped(ps) {
			return true
		}
		t := schemaType(ps)
		if t == "object" || (t == "array" && ps.Items != nil && ps.Items.Value != nil && schemaType(ps.Items.Value) == "object") {
			return true
		}
	}
	return false
}

// untyped reports whether s says nothing of its type (no type, no
// keyword that implies one, no composition).
func untyped(s *openapi3.Schema) bool {
	return s.Type == nil && len(s.Properties) == 0 && s.Items == nil && s.AdditionalProperties.Has == nil &&
		s.AdditionalProperties.Schema == nil && len(s.AllOf) == 0 && len(s.OneOf) == 0 && len(s.AnyOf) == 0
}

// formNode is a form body as a tree of its bracketed keys: a[b][0]=x is
// a → b → 0 holding x.
type formNode struct {
	leaf []string
	kids map[string]*formNode
}

func formTree(vals url.Values) *formNode {
	root := &formNode{}
	for k, vs := range vals {
		n := root
		for _, part := range splitKey(k) {
			if n.kids == nil {
				n.kids = map[string]*formNode{}
			}
			c := n.kids[part]
			if c == nil {
				c = &formNode{}
				n.kids[part] = c
			}
			n = c
		}
		n.leaf = append(n.leaf, vs...)
	}
	return root
}

// splitKey cuts a[b][0] into a, b, 0; a key with unbalanced brackets is
// one name.
func splitKey(k string) []string {
	i := strings.IndexByte(k, '[')
	if i <= 0 || !strings.HasSuffix(k, "]") {
		return []string{k}
	}
	out := []string{k[:i]}
	rest := k[i:]
	for rest != "" {
		if rest[0] != '[' {
			return []string{k}
		}
		j := strings.IndexByte(rest, ']')
		if j < 0 {
			return []string{k}
		}
		out = append(out, rest[1:j])
		rest = rest[j+1:]
	}
	return out
}

// decodeForm rebuilds a form body into the JSON value its schema
// describes, property by property with the encoding's style: a deepObject
// property must come bracketed (an array as name[0]=x, an object as
// name[key]=x); a form-style array as repeated names (explode) or one
// delimited value; an object property not bracketed is JSON text (its
// default content type).
func decodeForm(vals url.Values, s *openapi3.Schema, enc map[string]*openapi3.Encoding) map[string]any {
	root := formTree(vals)
	out := map[string]any{}
	for k, n := range root.kids {
		var ps *openapi3.Schema
		if p := s.Properties[k]; p != nil {
			ps = p.Value
		} else if s.AdditionalProperties.Schema != nil {
			ps = s.AdditionalProperties.Schema.Value
		}
		e := enc[k]
		deep := e != nil && e.Style == "deepObject"
		explode := e == nil || e.Explode == nil || *e.Explode
		style := "form"
		if e != nil && e.Style != "" {
			style = e.Style
		}
		out[k] = formValue(n, ps, deep, explode, style, 0)
	}
	return out
}

// formValue is a node's value by its schema. A value that does not fit
// its schema's shape is left as the text sent, for the schema to reject.
func formValue(n *formNode, s *openapi3.Schema, deep, explode bool, style string, depth int) any {
	if depth > 32 {
		return nil
	}
	if s == nil || untyped(s) {
		if n.kids != nil {
			m := map[string]any{}
			for k, c := range n.kids {
				m[k] = formValue(c, nil, deep, true, "form", depth+1)
			}
			return m
		}
		if len(n.leaf) > 0 {
			return n.leaf[0]
		}
		return nil
	}
	if alts := append(append(openapi3.SchemaRefs{}, s.OneOf...), s.AnyOf...); len(alts) > 0 {
		// The first variant that accepts its reading of the node.
		var first any
		for i, a := range alts {
			if a.Value == nil {
				continue
			}
			v := formValue(n, a.Value, deep, explode, style, depth+1)
			if i == 0 {
				first = v
			}
			if a.Value.VisitJSON(v, openapi3.VisitAsRequest()) == nil {
				return v
			}
		}
		return first
	}
	if len(s.AllOf) > 0 {
		merged := &openapi3.Schema{Properties: openapi3.Schemas{}}
		for _, a := range s.AllOf {
			if a.Value == nil {
				continue
			}
			if merged.Type == nil {
				merged.Type = a.Value.Type
			}
			for k, p := range a.Value.Properties {
				merged.Properties[k] = p
			}
			if merged.Items == nil {
				merged.Items = a.Value.Items
			}
			if merged.AdditionalProperties.Schema == nil {
				merged.AdditionalProperties = a.Value.AdditionalProperties
			}
		}
		if len(merged.Properties) == 0 {
			merged.Properties = nil
		}
		return formValue(n, merged, deep, explode, style, depth+1)
	}
	switch schemaType(s) {
	case "object":
		if n.kids == nil {
			if len(n.leaf) == 0 {
				return nil
			}
			var v any
			if !deep && json.Unmarshal([]byte(n.leaf[0]), &v) == nil {
				return v
			}
			return n.leaf[0]
		}
		m := map[string]any{}
		for k, c := range n.kids {
			var ps *openapi3.Schema
			if p := s.Properties[k]; p != nil {
				ps = p.Value
			} else if s.AdditionalProperties.Schema != nil {
				ps = s.AdditionalProperties.Schema.Value
			}
			m[k] = formValue(c, ps, deep, true, "form", depth+1)
		}
		return m
	case "array":
		var items *openapi3.Schema
		if s.Items != nil {
			items = s.Items.Value
		}
		out := []any{}
		if n.kids != nil {
			type index struct {
				i   int
				key string
			}
			idx := make([]index, 0, len(n.kids))
			for k := range n.kids {
				i, err := strconv.Atoi(k)
				if err != nil || i < 0 {
					return fmt.Sprintf("%s (not an index)", k)
				}
				idx = append(idx, index{i, k})
			}
			sort.Slice(idx, func(a, b int) bool {
				if idx[a].i != idx[b].i {
					return idx[a].i < idx[b].i
				}
				return idx[a].key < idx[b].key
			})
			for _, x := range idx {
				out = append(out, formValue(n.kids[x.key], items, deep, true, "form", depth+1))
			}
			return out
		}
		if deep {
			// A deepObject array must be sent bracketed: its plain
			// form is another serialization.
			return strings.Join(n.leaf, ",")
		}
		leaves := n.leaf
		if !explode && len(leaves) == 1 {
			sep := map[string]string{"spaceDelimited": " ", "pipeDelimited": "|"}[style]
			if sep == "" {
				sep = ","
			}
			leaves = strings.Split(leaves[0], sep)
		}
		for _, l := range leaves {
			out = append(out, formValue(&formNode{leaf: []string{l}}, items, deep, true, "form", depth+1))
		}
		return out
	}
	if n.kids != nil || len(n.leaf) == 0 {
		return nil
	}
	l := n.leaf[0]
	switch schemaType(s) {
	case "integer":
		if v, err := strconv.ParseInt(l, 10, 64); err == nil {
			return float64(v)
		}
	case "number":
		if v, err := strconv.ParseFloat(l, 64); err == nil {
			return v
		}
	case "boolean":
		if v, err := strconv.ParseBool(l); err == nil {
			return v
		}
	}
	return l
}

// isMixed reports whether p is a query parameter whose oneOf or anyOf has
// an array variant beside a non-array one (GitHub's "has": a string or an
// array of strings). The validator decodes every value of such a parameter
// as the array, so a single value fails the string variant; the server
// judges it against each variant instead (checkMixed).
func isMixed(p *openapi3.Parameter) bool {
	s := paramSchema(p)
	if p.In != "query" || s == nil {
		return false
	}
	arrays, others := 0, 0
	for _, a := range append(append(openapi3.SchemaRefs{}, s.OneOf...), s.AnyOf...) {
		if a.Value == nil {
			continue
		}
		if schemaType(a.Value) == "array" {
			arrays++
		} else {
			others++
		}
	}
	return arrays > 0 && others > 0
}

func mixedParams(ps openapi3.Parameters) []*openapi3.Parameter {
	var out []*openapi3.Parameter
	for _, p := range ps {
		if p != nil && p.Value != nil && isMixed(p.Value) {
			out = append(out, p.Value)
		}
	}
	return out
}

// checkMixed judges each mixed parameter (isMixed): its values as each
// variant reads them (a non-array variant takes a single value; an array
// takes the repeated values, or one value split at its style's delimiter
// when not exploded) must satisfy one variant; a required one must be sent.
func (s *server) checkMixed(r *http.Request, c *call, opts *openapi3filter.Options) string {
	q := r.URL.Query()
	vopts := append([]openapi3.SchemaValidationOption{openapi3.VisitAsRequest()}, opts.SchemaValidationOptions...)
	for _, p := range s.mixed[c.op] {
		vals, sent := q[p.Name]
		if !sent {
			if p.Required {
				return fmt.Sprintf("parameter %q in query has an error: value is required but missing", p.Name)
			}
			continue
		}
		sch := paramSchema(p)
		var errs []string
		ok := false
		for _, a := range append(append(openapi3.SchemaRefs{}, sch.OneOf...), sch.AnyOf...) {
			if a.Value == nil {
				continue
			}
			var v any
			if schemaType(a.Value) == "array" {
				items := vals
				if p.Explode != nil && !*p.Explode && len(vals) == 1 {
					sep := map[string]string{"spaceDelimited": " ", "pipeDelimited": "|"}[p.Style]
					if sep == "" {
						sep = ","
					}
					items = strings.Split(vals[0], sep)
				}
				var is *openapi3.Schema
				if a.Value.Items != nil {
					is = a.Value.Items.Value
				}
				arr := []any{}
				for _, it := range items {
					arr = append(arr, formValue(&formNode{leaf: []string{it}}, is, false, true, "form", 0))
				}
				v = arr
			} else {
				if len(vals) != 1 {
					errs = append(errs, fmt.Sprintf("%d values for a single one", len(vals)))
					continue
				}
				v = formValue(&formNode{leaf: vals}, a.Value, false, true, "form", 0)
			}
			if err := a.Value.VisitJSON(v, vopts...); err != nil {
				errs = append(errs, oneLine(err.Error()))
				continue
			}
			ok = true
		}
		if !ok {
			return fmt.Sprintf("parameter %q in query has an error: no variant accepts %q: %s", p.Name, vals, strings.Join(errs, "; "))
		}
	}
	return ""
}

// isFreeMap reports whether p is a query parameter in exploded form style
// whose schema is a map (an object with no declared properties: AWS's
// attributes, additionalProperties strings). Exploded, its keys are the
// query's names (?key=value), so the validator, which looks for the
// parameter's name or declared properties, calls a required one missing;
// the server judges it instead (checkFree).
func isFreeMap(p *openapi3.Parameter) bool {
	s := paramSchema(p)
	if p.In != "query" || p.Content != nil || s == nil || schemaType(s) != "object" || len(s.Properties) > 0 {
		return false
	}
	return (p.Style == "" || p.Style == "form") && (p.Explode == nil || *p.Explode)
}

func freeMaps(ps openapi3.Parameters) []*openapi3.Parameter {
	var out []*openapi3.Parameter
	for _, p := range ps {
		if p != nil && p.Value != nil && isFreeMap(p.Value) {
			out = append(out, p.Value)
		}
	}
	return out
}

// checkFree judges each map parameter (isFreeMap): the query's names that
// no other parameter or credential has are its keys, valid by its schema;
// a required one must have one.
func (s *server) checkFree(r *http.Request, c *call, opts *openapi3filter.Options) string {
	q := r.URL.Query()
	vopts := append([]openapi3.SchemaValidationOption{openapi3.VisitAsRequest()}, opts.SchemaValidationOptions...)
	for _, p := range s.free[c.op] {
		sch := paramSchema(p)
		var vs *openapi3.Schema
		if sch.AdditionalProperties.Schema != nil {
			vs = sch.AdditionalProperties.Schema.Value
		}
		m := map[string]any{}
		for k, v := range q {
			if !s.named[c.op][k] && len(v) > 0 {
				m[k] = formValue(&formNode{leaf: v}, vs, false, true, "form", 0)
			}
		}
		if len(m) == 0 {
			if p.Required {
				return fmt.Sprintf("parameter %q in query has an error: value is required but missing (no key of the map sent)", p.Name)
			}
			continue
		}
		if err := sch.VisitJSON(m, vopts...); err != nil {
			return fmt.Sprintf("parameter %q in query has an error: %s", p.Name, oneLine(err.Error()))
		}
	}
	return ""
}

// isJWT reports whether a media type is a JSON Web Token (RFC 7519 §10.3.1
// registers application/jwt; +jwt types are its kind).
func isJWT(mt string) bool {
	mt = strings.ToLower(mt)
	return mt == "application/jwt" || strings.HasSuffix(mt, "+jwt")
}

// jwtOf is an unsigned JWT (RFC 7519 §6) carrying the claims.
func jwtOf(claims map[string]any) string {
	b, _ := json.Marshal(claims)
	enc := base64.RawURLEncoding
	return enc.EncodeToString([]byte(`{"alg":"none"}`)) + "." + enc.EncodeToString(b) + "."
}

// jwtClaims reads a JWT's claims (its second part, base64url JSON): the
// value a JWT body's object schema describes.
func jwtClaims(token string) (any, error) {
	parts := strings.Split(strings.TrimSpace(token), ".")
	if len(parts) != 3 {
		return nil, fmt.Errorf("not a JWT: %d dot-separated parts, want 3", len(parts))
	}
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return nil, fmt.Errorf("JWT claims: %v", err)
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return nil, fmt.Errorf("JWT claims: %v", err)
	}
	return v, nil
}
