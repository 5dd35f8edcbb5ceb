package audit

import (
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/agentready/agentready/audit/urlnorm"
)

// extractLinks returns the normalised http(s) links of a page:
// a[href], area[href] and link[href] with rel alternate, canonical or next,
// resolved against <base href> when present.
func extractLinks(doc *html.Node, base *url.URL) []*url.URL {
	var hrefs []string
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
				}
			case atom.Link:
				rel := strings.ToLower(attr(n, "rel"))
				for _, r := range strings.Fields(rel) {
					if r == "alternate" || r == "canonical" || r == "next" {
						if h := attr(n, "href"); h != "" {
							hrefs = append(hrefs, h)
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
	return resolveLinks(base, hrefs)
}

// resolveLinks resolves hrefs against base as urlnorm.Resolve does,
// dropping those it rejects. Most links of a site are plain absolute paths
// ("/docs/intro.html"), which normalise to themselves on the page's origin:
// those are built from the origin, resolved once per page, without parsing
// each (resolving was most of the cost of a page's links).
func resolveLinks(base *url.URL, hrefs []string) []*url.URL {
	out := make([]*url.URL, 0, len(hrefs))
	var root *url.URL
	rooted := false
	for _, h := range hrefs {
		if plainPath(h) {
			if !rooted {
				root, _ = urlnorm.Resolve(base, "/")
				rooted = true
			}
			if root != nil {
				out = append(out, &url.URL{Scheme: root.Scheme, Host: root.Host, Path: h, RawPath: h})
				continue
			}
		}
		if u, err := urlnorm.Resolve(base, h); err == nil {
			out = append(out, u)
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
