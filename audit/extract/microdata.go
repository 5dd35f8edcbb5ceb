package extract

import (
	"net/url"
	"strings"

	xhtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// MicrodataOptions shape the output of Microdata. The zero value gives
// extruct's default output (nested items, single values unwrapped).
type MicrodataOptions struct {
	// Strict keeps every type and property value in a list, as the W3C
	// microdata-to-JSON algorithm does.
	Strict bool
	// Flat lists nested items at the top level with an "iid" and refers to
	// them with {"iid_ref": n} instead of nesting them.
	Flat bool
	// TextContent adds each item's text as "textContent".
	TextContent bool
}

// Microdata extracts the microdata items of a document in the JSON shape of
// the W3C microdata specification (and extruct): a list of objects with
// "type", "id", "properties" (or "value" for an item with no properties).
// base resolves URL-valued properties; empty leaves them as written.
func Microdata(doc *xhtml.Node, base string, opts MicrodataOptions) []any {
	m := &microdata{opts: opts, ids: map[*xhtml.Node]int{}, seen: map[int]bool{}, byID: map[string]*xhtml.Node{}}
	if base != "" {
		if u, err := url.Parse(base); err == nil {
			m.base = u
		}
	}
	var scopes []*xhtml.Node
	var walk func(*xhtml.Node)
	walk = func(n *xhtml.Node) {
		if n.Type == xhtml.ElementNode {
			if hasAttr(n, "itemscope") {
				scopes = append(scopes, n)
				m.ids[n] = len(scopes)
			}
			if id := attr(n, "id"); id != "" {
				if _, dup := m.byID[id]; !dup {
					m.byID[id] = n
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	out := []any{}
	for _, s := range scopes {
		if it := m.item(s, 0); it != nil {
			out = append(out, it)
		}
	}
	return out
}

type microdata struct {
	opts MicrodataOptions
	base *url.URL
	ids  map[*xhtml.Node]int
	seen map[int]bool
	byID map[string]*xhtml.Node
}

type prop struct {
	name  string
	value any
}

// item extracts the item rooted at n, or nil when it was already extracted
// as the value of another item's property.
func (m *microdata) item(n *xhtml.Node, depth int) map[string]any {
	id := m.ids[n]
	if !m.opts.Flat {
		if m.seen[id] {
			return nil
		}
		m.seen[id] = true
	}
	it := map[string]any{}
	if m.opts.Flat {
		it["iid"] = float64(id)
	}
	if types := strings.Fields(attr(n, "itemtype")); len(types) > 0 {
		if !m.opts.Strict && len(types) == 1 {
			it["type"] = types[0]
		} else {
			it["type"] = toAny(types)
		}
		if v := strings.TrimSpace(attr(n, "itemid")); v != "" {
			it["id"] = v
		}
	}
	var order []string
	props := map[string][]any{}
	add := func(ps []prop) {
		for _, p := range ps {
			if _, ok := props[p.name]; !ok {
				order = append(order, p.name)
			}
			props[p.name] = append(props[p.name], p.value)
		}
	}
	for _, p := range propertyNodes(n) {
		add(m.property(p, depth))
	}
	for _, ref := range strings.Fields(attr(n, "itemref")) {
		rn := m.byID[ref]
		if rn == nil {
			continue
		}
		if hasAttr(rn, "itemprop") && hasAttr(rn, "itemscope") {
			add(m.property(rn, depth))
			continue
		}
		scope := nearestScope(rn, true)
		for _, p := range descendantsOrSelfWithItemprop(rn) {
			if nearestScope(p, false) == scope {
				add(m.property(p, depth))
			}
		}
	}
	if len(order) > 0 {
		pm := map[string]any{}
		for _, k := range order {
			vs := props[k]
			if !m.opts.Strict && len(vs) == 1 {
				pm[k] = vs[0]
			} else {
				pm[k] = vs
			}
		}
		it["properties"] = pm
	} else {
		it["value"] = m.value(n, true, depth)
	}
	if m.opts.TextContent {
		if t := TextContent(n); t != "" {
			it["textContent"] = t
		}
	}
	return it
}

func toAny(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

// propertyNodes returns the descendants of n with itemprop that are not
// inside a nested itemscope, in document order.
func propertyNodes(n *xhtml.Node) []*xhtml.Node {
	var out []*xhtml.Node
	var walk func(*xhtml.Node)
	walk = func(p *xhtml.Node) {
		for c := p.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != xhtml.ElementNode {
				continue
			}
			if hasAttr(c, "itemprop") {
				out = append(out, c)
			}
			if !hasAttr(c, "itemscope") {
				walk(c)
			}
		}
	}
	walk(n)
	return out
}

func descendantsOrSelfWithItemprop(n *xhtml.Node) []*xhtml.Node {
	var out []*xhtml.Node
	var walk func(*xhtml.Node)
	walk = func(p *xhtml.Node) {
		if p.Type == xhtml.ElementNode && hasAttr(p, "itemprop") {
			out = append(out, p)
		}
		for c := p.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

// nearestScope returns the closest ancestor (or n itself when self) with
// itemscope.
func nearestScope(n *xhtml.Node, self bool) *xhtml.Node {
	p := n
	if !self {
		p = n.Parent
	}
	for ; p != nil; p = p.Parent {
		if p.Type == xhtml.ElementNode && hasAttr(p, "itemscope") {
			return p
		}
	}
	return nil
}

func (m *microdata) property(n *xhtml.Node, depth int) []prop {
	v := m.value(n, false, depth)
	var out []prop
	for _, name := range strings.Fields(attr(n, "itemprop")) {
		out = append(out, prop{name, v})
	}
	return out
}

// maxItemDepth bounds item nesting (itemref can build cycles).
const maxItemDepth = 64

func (m *microdata) value(n *xhtml.Node, force bool, depth int) any {
	if !force && hasAttr(n, "itemscope") {
		if m.opts.Flat {
			return map[string]any{"iid_ref": float64(m.ids[n])}
		}
		if depth >= maxItemDepth {
			return nil
		}
		it := m.item(n, depth+1)
		if it == nil {
			return nil
		}
		return it
	}
	switch n.DataAtom {
	case atom.Meta:
		return attr(n, "content")
	case atom.Audio, atom.Embed, atom.Iframe, atom.Img, atom.Source, atom.Track, atom.Video:
		return m.urlValue(n, "src")
	case atom.A, atom.Area, atom.Link:
		return m.urlValue(n, "href")
	case atom.Object:
		return m.urlValue(n, "data")
	case atom.Data, atom.Meter:
		return attr(n, "value")
	case atom.Time:
		return attr(n, "datetime")
	}
	if c := attr(n, "content"); c != "" {
		return c
	}
	if ip := attr(n, "itemprop"); strings.HasSuffix(ip, "-input") || strings.HasSuffix(ip, "-output") {
		r := map[string]any{}
		if hasAttr(n, "required") {
			r["valueRequired"] = true
		}
		if name := attr(n, "name"); name != "" {
			r["valueName"] = name
		}
		return r
	}
	return TextContent(n)
}

// html5Space is the HTML "ASCII whitespace" set that URL attributes are
// stripped of.
const html5Space = " \t\n\r\f"

func (m *microdata) urlValue(n *xhtml.Node, key string) string {
	u := attr(n, key)
	if u == "" {
		u = attr(n, "content")
	}
	u = strings.Trim(u, html5Space)
	if u == "" {
		return ""
	}
	if m.base == nil {
		return u
	}
	ref, err := url.Parse(u)
	if err != nil {
		return u
	}
	return m.base.ResolveReference(ref).String()
}
