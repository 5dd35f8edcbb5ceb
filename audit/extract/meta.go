package extract

import (
	"regexp"
	"strings"

	xhtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// OpenGraphNamespaces are the prefixes of the Open Graph protocol
// (https://ogp.me) recognised without a prefix declaration.
var OpenGraphNamespaces = map[string]string{
	"og":      "http://ogp.me/ns#",
	"music":   "http://ogp.me/ns/music#",
	"video":   "http://ogp.me/ns/video#",
	"article": "http://ogp.me/ns/article#",
	"book":    "http://ogp.me/ns/book#",
	"profile": "http://ogp.me/ns/profile#",
	"product": "http://ogp.me/ns/product#", // not in ogp.me but common on shops
}

// OpenGraph is the Open Graph data of one part (head or body) of a page, in
// extruct's shape: the namespaces in use and the properties in document
// order (a property may repeat, as og:image does).
type OpenGraph struct {
	Namespace  map[string]string `json:"namespace"`
	Properties [][2]string       `json:"properties"`
}

// Get returns the first value of a property ("og:title"), or "".
func (o OpenGraph) Get(prop string) string {
	for _, p := range o.Properties {
		if p[0] == prop {
			return p[1]
		}
	}
	return ""
}

var prefixPattern = regexp.MustCompile(`\s*(\w+):\s*(\S+)`)

// OpenGraphData extracts the Open Graph properties of a document: the
// <meta property content> children of head and of body whose prefix is an
// Open Graph namespace or is declared in a prefix attribute.
func OpenGraphData(doc *xhtml.Node) []OpenGraph {
	htmlEl := find(doc, atom.Html)
	var out []OpenGraph
	for _, a := range []atom.Atom{atom.Head, atom.Body} {
		root := find(doc, a)
		if root == nil {
			continue
		}
		ns := map[string]string{}
		if htmlEl != nil {
			for _, m := range prefixPattern.FindAllStringSubmatch(attr(htmlEl, "prefix"), -1) {
				ns[m[1]] = m[2]
			}
		}
		for _, m := range prefixPattern.FindAllStringSubmatch(attr(root, "prefix"), -1) {
			ns[m[1]] = m[2]
		}
		var props [][2]string
		for c := root.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != xhtml.ElementNode || c.DataAtom != atom.Meta || !hasAttr(c, "property") || !hasAttr(c, "content") {
				continue
			}
			p, v := attr(c, "property"), attr(c, "content")
			pre, _, _ := strings.Cut(p, ":")
			if u, ok := OpenGraphNamespaces[pre]; ok {
				ns[pre] = u
			}
			if _, ok := ns[pre]; ok {
				props = append(props, [2]string{p, v})
			}
		}
		if len(props) > 0 {
			out = append(out, OpenGraph{Namespace: ns, Properties: props})
		}
	}
	return out
}

// TwitterCard returns the twitter:* meta tags of a document (by name, or by
// property as some sites write them), first value of each.
func TwitterCard(doc *xhtml.Node) map[string]string {
	out := map[string]string{}
	each(doc, func(n *xhtml.Node) {
		if n.DataAtom != atom.Meta {
			return
		}
		k := attr(n, "name")
		if k == "" {
			k = attr(n, "property")
		}
		k = strings.ToLower(strings.TrimSpace(k))
		if strings.HasPrefix(k, "twitter:") {
			if _, dup := out[k]; !dup {
				out[k] = attr(n, "content")
			}
		}
	})
	return out
}

// find returns the first element with atom a, in document order.
func find(n *xhtml.Node, a atom.Atom) *xhtml.Node {
	if n.Type == xhtml.ElementNode && n.DataAtom == a {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := find(c, a); f != nil {
			return f
		}
	}
	return nil
}

// each calls fn for every element under n, in document order.
func each(n *xhtml.Node, fn func(*xhtml.Node)) {
	if n.Type == xhtml.ElementNode {
		fn(n)
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		each(c, fn)
	}
}
