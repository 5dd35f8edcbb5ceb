// This file holds reading an HTML page's links, and flattening documents
// nested too deep for the HTML parser.

package crawl

import (
	"bytes"
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/agentready/agentready/audit/urlnorm"
)

// link is a normalised link of a page: s is its string form
// (urlnorm.Format), and its URL is built only when asked for, as a link the
// crawl has seen before needs only s.
type link struct {
	s    string
	u    *url.URL // nil for a plain path, built from root and path
	root *url.URL
	path string
	// anchor is set for a[href] and area[href], the links a reader
	// follows, unlike link[href] in the head.
	anchor bool
}

// URL returns the link as a URL (shared: not to be modified).
func (l *link) URL() *url.URL {
	if l.u == nil {
		l.u = &url.URL{Scheme: l.root.Scheme, Host: l.root.Host, Path: l.path, RawPath: l.path}
	}
	return l.u
}

// extractLinks returns the normalised http(s) links of a page as URLs.
func extractLinks(doc *html.Node, base *url.URL) []*url.URL {
	ls := pageLinks(doc, base)
	out := make([]*url.URL, len(ls))
	for i := range ls {
		out[i] = ls[i].URL()
	}
	return out
}

// pageLinks returns the normalised http(s) links of a page:
// a[href], area[href] and link[href] with rel alternate, canonical or next,
// resolved against <base href> when present.
func pageLinks(doc *html.Node, base *url.URL) []link {
	var hrefs []string
	var anchors []bool
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Base:
				if h := attr(n, "href"); h != "" {
					if b, err := urlnorm.Resolve(base, h); err == nil {
						base = b
					}
				}
			case atom.A, atom.Area:
				if h := attr(n, "href"); h != "" {
					hrefs = append(hrefs, h)
					anchors = append(anchors, true)
				}
			case atom.Link:
				rel := strings.ToLower(attr(n, "rel"))
				for _, r := range strings.Fields(rel) {
					if r == "alternate" || r == "canonical" || r == "next" {
						if h := attr(n, "href"); h != "" {
							hrefs = append(hrefs, h)
							anchors = append(anchors, false)
						}
						break
					}
				}
			}
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			walk(ch)
		}
	}
	walk(doc)
	if len(hrefs) > maxLinksPerPage {
		hrefs = hrefs[:maxLinksPerPage]
	}
	return resolveLinks(base, hrefs, anchors)
}

// resolveLinks resolves hrefs against base as urlnorm.Resolve does,
// dropping those it rejects. Most links of a site are plain absolute paths
// ("/docs/intro.html"), which normalise to themselves on the page's origin:
// those are built from the origin, resolved once per page, without parsing
// each (resolving was most of the cost of a page's links).
// anchors, when not nil, says which hrefs are anchors (link.anchor).
func resolveLinks(base *url.URL, hrefs []string, anchors []bool) []link {
	out := make([]link, 0, len(hrefs))
	var root *url.URL
	var prefix string // root's string form without the final "/"
	rooted := false
	for i, h := range hrefs {
		anchor := anchors != nil && anchors[i]
		if plainPath(h) {
			if !rooted {
				if root, _ = urlnorm.Resolve(base, "/"); root != nil {
					prefix = strings.TrimSuffix(urlnorm.Format(root), "/")
				}
				rooted = true
			}
			if root != nil {
				out = append(out, link{s: prefix + h, root: root, path: h, anchor: anchor})
				continue
			}
		}
		if u, err := urlnorm.Resolve(base, h); err == nil {
			out = append(out, link{s: urlnorm.Format(u), u: u, anchor: anchor})
		}
	}
	return out
}

// plainPath reports whether href is an absolute path that urlnorm.Resolve
// returns unchanged: unreserved characters and single slashes only, no
// segment starting with a dot, no query or fragment.
func plainPath(h string) bool {
	if len(h) == 0 || h[0] != '/' || len(h) > 2048 {
		return false
	}
	for i := 1; i < len(h); i++ {
		c := h[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '_', c == '~':
		case c == '.':
			if h[i-1] == '/' {
				return false
			}
		case c == '/':
			if h[i-1] == '/' {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// maxNesting is the element depth flattenDeep keeps. It is far under
// html.Parse's limit of 512 open elements (implied elements such as tbody
// and reopened formatting elements take the parser's stack beyond the
// tags' own count), and low because each element costs the parser time in
// proportion to its depth: a 5 MiB page of unclosed <div>s, flattened at
// 64, parses in a few seconds; at 256 it took four times as long.
const maxNesting = 64

// flattenDeep returns the document b with its elements nested at most
// limit deep (by a count of the tags as written): a start tag that would
// open an element deeper first closes the innermost open one, so deep
// elements become siblings and every element, text and link is kept.
// An end tag first closes the elements still open inside its element. End
// tags of elements not open (closed that way, or stray) are dropped.
func flattenDeep(b []byte, limit int) []byte {
	z := html.NewTokenizer(bytes.NewReader(b))
	out := make([]byte, 0, len(b)+len(b)/8)
	var open []string
	for {
		switch z.Next() {
		case html.ErrorToken:
			return out
		case html.StartTagToken:
			name, _ := z.TagName()
			if leafElement(atom.Lookup(name)) {
				break
			}
			if len(open) >= limit {
				out = append(append(append(out, "</"...), open[len(open)-1]...), '>')
				open = open[:len(open)-1]
			}
			open = append(open, string(name))
		case html.EndTagToken:
			name, _ := z.TagName()
			if leafElement(atom.Lookup(name)) {
				break
			}
			i := len(open) - 1
			for i >= 0 && open[i] != string(name) {
				i--
			}
			if i < 0 {
				// An empty comment stands for it, so that the text around
				// it does not join into a tag ("<" "</a>" "a>").
				out = append(out, "<!---->"...)
				continue
			}
			// Elements left open inside this one are closed here, as
			// written: the parser would otherwise reopen unclosed
			// formatting elements (<b>, <a>, <font>...) after it, and
			// nest past its limit again.
			for j := len(open) - 1; j > i; j-- {
				out = append(append(append(out, "</"...), open[j]...), '>')
			}
			open = open[:i]
		}
		out = append(out, z.Raw()...)
	}
}

// leafElement reports whether elements of a holds no other elements: void
// elements and those whose content is raw text.
func leafElement(a atom.Atom) bool {
	switch a {
	case atom.Area, atom.Base, atom.Br, atom.Col, atom.Embed, atom.Hr, atom.Img, atom.Input, atom.Link,
		atom.Meta, atom.Param, atom.Source, atom.Track, atom.Wbr, atom.Keygen,
		atom.Script, atom.Style, atom.Textarea, atom.Title, atom.Xmp, atom.Iframe, atom.Noembed,
		atom.Noframes, atom.Noscript, atom.Plaintext:
		return true
	}
	return false
}

// maxLinksPerPage bounds the links read from one page (a bound on what
// one hostile site can make the crawler hold).
const maxLinksPerPage = 10_000

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key && a.Namespace == "" {
			return a.Val
		}
	}
	return ""
}
