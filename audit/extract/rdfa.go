package extract

import (
	"net/url"
	"strings"

	xhtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// RDFa Lite 1.1 (https://www.w3.org/TR/rdfa-lite/) uses five attributes:
// vocab, typeof, property, resource and prefix. RDFaLite reads them into
// items shaped like microdata items, with absolute type and property IRIs
// where a vocabulary or prefix makes them so:
//
//	{"type": ["http://schema.org/Person"], "id": "#me",
//	 "properties": {"http://schema.org/name": ["Alice"]}}
//
// It is the subset that schema.org publishers use; full RDFa 1.1 processing
// (rel/rev chaining, XML literals, the initial context beyond common
// prefixes) is out of scope.
func RDFaLite(doc *xhtml.Node, base string) []any {
	r := &rdfa{}
	if base != "" {
		r.base, _ = url.Parse(base)
	}
	var out []any
	r.walk(doc, rdfaCtx{prefixes: defaultPrefixes()}, nil, &out, 0)
	return out
}

type rdfa struct{ base *url.URL }

type rdfaCtx struct {
	vocab    string
	prefixes map[string]string
}

func defaultPrefixes() map[string]string {
	return map[string]string{
		"schema": "http://schema.org/", "og": "http://ogp.me/ns#", "dc": "http://purl.org/dc/terms/",
		"dcterms": "http://purl.org/dc/terms/", "foaf": "http://xmlns.com/foaf/0.1/",
		"rdfs": "http://www.w3.org/2000/01/rdf-schema#", "xsd": "http://www.w3.org/2001/XMLSchema#",
	}
}

// iri expands a term, a CURIE or an IRI.
func (r *rdfa) iri(term string, c rdfaCtx) string {
	if pre, local, ok := strings.Cut(term, ":"); ok {
		if ns, ok := c.prefixes[pre]; ok && !strings.HasPrefix(local, "//") {
			return ns + local
		}
		return term // an absolute IRI
	}
	return c.vocab + term
}

func (r *rdfa) resolve(ref string) string {
	ref = strings.TrimSpace(ref)
	if r.base == nil {
		return ref
	}
	u, err := url.Parse(ref)
	if err != nil {
		return ref
	}
	return r.base.ResolveReference(u).String()
}

func (r *rdfa) walk(n *xhtml.Node, c rdfaCtx, cur map[string]any, out *[]any, depth int) {
	if depth > 256 {
		return
	}
	if n.Type == xhtml.ElementNode {
		if v, ok := attrOK(n, "vocab"); ok {
			c.vocab = strings.TrimSpace(v)
		}
		if p := attr(n, "prefix"); p != "" {
			np := make(map[string]string, len(c.prefixes)+2)
			for k, v := range c.prefixes {
				np[k] = v
			}
			for _, m := range prefixPattern.FindAllStringSubmatch(p, -1) {
				np[m[1]] = m[2]
			}
			c.prefixes = np
		}
		props := strings.Fields(attr(n, "property"))
		typeOf, hasType := attrOK(n, "typeof")
		if hasType {
			it := map[string]any{"properties": map[string]any{}}
			var types []any
			for _, t := range strings.Fields(typeOf) {
				types = append(types, r.iri(t, c))
			}
			if len(types) > 0 {
				it["type"] = types
			}
			if res, ok := attrOK(n, "resource"); ok {
				it["id"] = r.resolve(res)
			}
			if len(props) > 0 && cur != nil {
				addProp(cur, props, it, r, c)
			} else {
				*out = append(*out, it)
			}
			cur = it
			for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
				r.walk(ch, c, cur, out, depth+1)
			}
			return
		}
		if len(props) > 0 && cur != nil {
			addProp(cur, props, r.literal(n), r, c)
			return
		}
	}
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		r.walk(ch, c, cur, out, depth+1)
	}
}

func addProp(it map[string]any, props []string, v any, r *rdfa, c rdfaCtx) {
	pm := it["properties"].(map[string]any)
	for _, p := range props {
		k := r.iri(p, c)
		l, _ := pm[k].([]any)
		pm[k] = append(l, v)
	}
}

// literal is the value of a property element without typeof: content,
// then a resource or link, then the text.
func (r *rdfa) literal(n *xhtml.Node) any {
	if v, ok := attrOK(n, "content"); ok {
		return v
	}
	if v, ok := attrOK(n, "resource"); ok {
		return r.resolve(v)
	}
	switch n.DataAtom {
	case atom.A, atom.Link, atom.Area:
		if v, ok := attrOK(n, "href"); ok {
			return r.resolve(v)
		}
	case atom.Img, atom.Audio, atom.Video, atom.Source, atom.Iframe, atom.Embed:
		if v, ok := attrOK(n, "src"); ok {
			return r.resolve(v)
		}
	case atom.Time:
		if v, ok := attrOK(n, "datetime"); ok {
			return v
		}
	}
	return TextContent(n)
}

func attrOK(n *xhtml.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}
