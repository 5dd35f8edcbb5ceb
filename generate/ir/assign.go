package ir

import (
	"strings"
)

// The pagination patterns, by normalised parameter or field name.
var (
	cursorParams = set("cursor", "after", "pagetoken", "nextpagetoken", "continuationtoken", "nexttoken", "marker",
		"startcursor", "pagecursor", "continuation", "nextcursor", "skiptoken")
	cursorFields = set("nextcursor", "nextpagetoken", "cursor", "endcursor", "continuationtoken", "nexttoken",
		"nextmarker", "after", "next", "nextpagecursor", "nextskiptoken")
	lastIDParams = set("startingafter")
	// nextURLFields hold the URL of the next page (Twilio's
	// meta.next_page_url, next_page_uri); a field named next holds one when
	// it has format uri or sits in a links object (JSON:API's links.next).
	nextURLFields = set("nextpageurl", "nextpageuri", "nexturl", "nexturi", "nextlink", "nexthref", "nextpagelink")
	linkObjects   = set("links", "paging", "pagination", "meta")
	hasMore       = set("hasmore", "hasnextpage", "more", "hasnext")
	pageParams    = set("page", "pagenumber", "pageno", "pagenum")
	offsetParams  = set("offset", "skip", "start")
	limitParams   = set("limit", "perpage", "pagesize", "maxresults", "count", "size", "first", "per", "top", "maxitems")
	itemFields    = []string{"data", "items", "results", "records", "entries", "values", "nodes", "elements", "list", "content"}
)

func set(xs ...string) map[string]bool {
	m := map[string]bool{}
	for _, x := range xs {
		m[x] = true
	}
	return m
}

// norm lower-cases s and drops everything but letters and digits.
func normName(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func deref(t *Type) *Type {
	for i := 0; t != nil && t.Kind == Alias && i < 16; i++ {
		t = t.Elem
	}
	return t
}

// paginate recognises the operation's pagination pattern, if any.
func (b *builder) paginate(o *Operation) {
	if o.Method != "GET" {
		return
	}
	var resp *Response
	var body *Type
	for _, r := range o.Responses {
		if !r.Success() || len(r.Media) == 0 || r.Media[0].Encoding != "json" || r.Media[0].Type == nil {
			continue
		}
		resp, body = r, r.Media[0].Type
		break
	}
	if resp == nil {
		return
	}
	p := &Pagination{Status: resp.Status, Body: body}
	bt := deref(body)
	switch {
	case bt.Kind == Array:
		p.Item = bt.Elem
	case bt.Kind == Object:
		var arrays []*Field
		for _, f := range bt.Fields {
			if ft := deref(f.Type); ft != nil && ft.Kind == Array {
				arrays = append(arrays, f)
			}
		}
		var pick *Field
		for _, want := range itemFields {
			for _, f := range arrays {
				if normName(f.JSONName) == want {
					pick = f
					break
				}
			}
			if pick != nil {
				break
			}
		}
		if pick == nil && len(arrays) == 1 {
			pick = arrays[0]
		}
		if pick == nil {
			return
		}
		p.Items, p.Item = []*Field{pick}, deref(pick.Type).Elem
	default:
		return
	}
	var limit *Param
	type named struct {
		n string
		q *Param
	}
	var byNorm []named // query parameters in spec order
	for _, q := range o.Params {
		if q.In != "query" {
			continue
		}
		n := normName(q.Wire)
		byNorm = append(byNorm, named{n, q})
		if limitParams[n] && limit == nil && isScalar(q.Type, Integer) {
			limit = q
		}
	}
	p.Limit = limit
	for _, h := range resp.Headers {
		if strings.EqualFold(h, "link") {
			p.Kind = "link"
			o.Pagination = p
			return
		}
	}
	if bt.Kind == Object {
		for _, nq := range byNorm {
			n, q := nq.n, nq.q
			if !cursorParams[n] || !isScalar(q.Type, String) {
				continue
			}
			if next := findField(bt, cursorFields, String, 2); next != nil {
				p.Kind, p.Param, p.Next = "cursor", q, next
				p.HasMore = findField(bt, hasMore, Bool, 2)
				o.Pagination = p
				return
			}
		}
		for _, nq := range byNorm {
			n, q := nq.n, nq.q
			if !lastIDParams[n] || !isScalar(q.Type, String) {
				continue
			}
			more := findField(bt, hasMore, Bool, 1)
			item := deref(p.Item)
			if more == nil || item == nil || item.Kind != Object {
				continue
			}
			for _, f := range item.Fields {
				if f.JSONName == "id" && isScalar(f.Type, String) {
					p.Kind, p.Param, p.HasMore, p.ItemID = "last-id", q, more, f
					o.Pagination = p
					return
				}
			}
		}
	}
	if bt.Kind == Object {
		// The server names the next page: follow it rather than count pages.
		if next := findNextURL(bt, 2, false); next != nil {
			p.Kind, p.Next = "next-url", next
			p.HasMore = findField(bt, hasMore, Bool, 2)
			o.Pagination = p
			return
		}
	}
	for _, kinds := range []struct {
		names map[string]bool
		kind  string
	}{{pageParams, "page"}, {offsetParams, "offset"}} {
		for _, nq := range byNorm {
			n, q := nq.n, nq.q
			if kinds.names[n] && isScalar(q.Type, Integer) {
				p.Kind, p.Param = kinds.kind, q
				if p.Kind == "page" {
					p.First = firstPage(q.Type)
				}
				if bt.Kind == Object {
					p.HasMore = findField(bt, hasMore, Bool, 1)
				}
				o.Pagination = p
				return
			}
		}
	}
}

// firstPage is the page a server answers when its page parameter, of type
// t, is not sent: the schema's default, else its minimum, else 1 (most page
// counts start at 1; a default of 0 says this one starts at 0).
func firstPage(t *Type) int64 {
	t = deref(t)
	if t == nil || t.Constraints == nil {
		return 1
	}
	c := t.Constraints
	var d float64
	switch x := c.Default.(type) {
	case float64:
		d = x
	case int:
		d = float64(x)
	case int64:
		d = float64(x)
	default:
		d = -1
	}
	if d >= 0 && d == float64(int64(d)) {
		return int64(d)
	}
	if c.Minimum != nil && *c.Minimum >= 0 && *c.Minimum == float64(int64(*c.Minimum)) {
		m := int64(*c.Minimum)
		if c.ExclusiveMinimum {
			m++
		}
		return m
	}
	return 1
}

// findNextURL searches t's fields, then their object fields, to depth
// levels, for a string field that holds the next page's URL. inLinks says
// t is a links object, where a plain "next" is a URL too.
func findNextURL(t *Type, depth int, inLinks bool) []*Field {
	t = deref(t)
	if t == nil || t.Kind != Object || depth == 0 {
		return nil
	}
	for _, f := range t.Fields {
		if !isScalar(f.Type, String) {
			continue
		}
		n := normName(f.JSONName)
		if nextURLFields[n] || n == "next" && (inLinks || deref(f.Type).Format == "uri") {
			return []*Field{f}
		}
	}
	for _, f := range t.Fields {
		if sub := findNextURL(f.Type, depth-1, linkObjects[normName(f.JSONName)]); sub != nil {
			return append([]*Field{f}, sub...)
		}
	}
	return nil
}

func isScalar(t *Type, k Kind) bool {
	t = deref(t)
	return t != nil && (t.Kind == k || (t.Kind == Enum && t.Base == k))
}

// findField searches t's fields, then their object fields, to depth levels,
// for a field whose normalised JSON name is in names and whose type is kind k.
func findField(t *Type, names map[string]bool, k Kind, depth int) []*Field {
	t = deref(t)
	if t == nil || t.Kind != Object || depth == 0 {
		return nil
	}
	for _, f := range t.Fields {
		if names[normName(f.JSONName)] && isScalar(f.Type, k) && !(k == String && deref(f.Type).Format == "uri") {
			return []*Field{f}
		}
	}
	for _, f := range t.Fields {
		if sub := findField(f.Type, names, k, depth-1); sub != nil {
			return append([]*Field{f}, sub...)
		}
	}
	return nil
}

// assignNames is the naming pass: it gives every declared type, operation,
// field, parameter, variant, enum constant and security scheme its
// identifier, in a fixed order, so that names are unique within their
// namespace and identical from run to run.
func (b *builder) assignNames() {
	pkg := NewNamespace(b.opts.Reserved...)
	// Component schemas first: they keep the names their authors gave them.
	for _, t := range b.declared {
		if t.SchemaName != "" {
			t.Name = pkg.Claim(Ident(t.SchemaName, "Schema"))
		}
	}
	client := NewNamespace(b.opts.ClientReserved...)
	for _, s := range b.ops {
		s.op.Name = client.Claim(s.want)
		s.op.ParamsName = pkg.Claim(s.op.Name + "Params")
		s.op.ResponseName = pkg.Claim(s.op.Name + "Response")
	}
	for _, s := range b.ops {
		if p := s.op.Pagination; p != nil {
			p.IterName = client.Claim(s.op.Name + "Iter")
		}
	}
	for _, t := range b.declared {
		if t.SchemaName == "" {
			t.Name = pkg.Claim(Ident(strings.Join(t.hint, " "), "Type"))
		}
	}
	for _, t := range b.declared {
		for _, v := range t.Values {
			v.Name = pkg.Claim(t.Name + enumValueWord(v.Value))
		}
	}
	for _, t := range b.declared {
		fields := NewNamespace(b.opts.FieldReserved...)
		if t.Additional != nil {
			fields.Claim("AdditionalProperties")
		}
		for _, f := range t.Fields {
			f.Name = fields.Claim(Ident(f.JSONName, "Field"))
		}
		variants := NewNamespace(append([]string{"Raw"}, b.opts.FieldReserved...)...)
		for _, v := range t.Variants {
			v.Name = variants.Claim(variantWant(v.Type))
		}
	}
	for _, s := range b.ops {
		params := NewNamespace(append([]string{"Body", "BodyMediaType"}, b.opts.FieldReserved...)...)
		for _, q := range s.op.Params {
			q.Name = params.Claim(Ident(q.Wire, "Param"))
		}
		statuses := NewNamespace("StatusCode", "Header", "Body")
		for _, r := range s.op.Responses {
			if r.Status == "default" {
				r.Name = statuses.Claim("Default")
			} else {
				r.Name = statuses.Claim("Status" + r.Status)
			}
		}
	}
	schemes := NewNamespace()
	for _, s := range b.api.SecuritySchemes {
		s.Name = schemes.Claim(Ident(s.Key, "Auth"))
	}
}

// variantWant proposes a union variant's field name from its type.
func variantWant(t *Type) string {
	if t.Name != "" {
		return t.Name
	}
	switch t.Kind {
	case Array:
		if t.Elem != nil && t.Elem.Name != "" {
			return t.Elem.Name + "List"
		}
		return "Array"
	case Map:
		return "Map"
	case Any:
		return "JSON"
	}
	return Ident(t.Kind.String(), "Value")
}
