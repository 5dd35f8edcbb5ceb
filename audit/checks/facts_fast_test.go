package checks

import (
	"bytes"
	"net/http"
	"reflect"
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/agentready/agentready/audit/extract"
)

// FuzzFactsFastPaths checks the shortcuts Facts takes against the plain
// computations they stand for: the structured-data extractors skipped on
// pages without their markup, the allocation-free link text and the
// branch-free word count.
func FuzzFactsFastPaths(f *testing.F) {
	f.Add(`<html><head><meta name="twitter:card" content="x"><meta property="TWİTTER:site" content="y"><script type=" Application/LD+JSON ">{"@type":"A"}</script></head><body><a href="/">  Click
	HERE!! </a><a href="/">. here</a><a href="/">more »</a><a href="/"><b>here</b></a><a href="/">ＨＥＲＥ</a><a href="/">go` + "\x1c" + `</a><a href="/"></a></body></html>`)
	f.Add(`<div vocab="https://schema.org/" typeof="Person"><span property="name">A</span></div><div itemscope itemtype="https://schema.org/Offer"><span itemprop="price">1</span></div>`)
	f.Add(`<svg><script type="application/ld+json">{}</script><a href="x">here</a></svg><p>a b	c` + "\v\f" + `d</p>`)
	f.Add(`<p>plain page</p><meta property="og:title" content="t">`)
	f.Fuzz(func(t *testing.T, body string) {
		doc, err := xhtml.Parse(strings.NewReader(body))
		if err != nil {
			return
		}
		const u = "http://h.test/p"
		fs := Facts(200, http.Header{}, "text/html", u, []byte(body), doc)
		if !fs.Truncated {
			js := extract.JSONLDFromTree(doc)
			locateJSONLD(js, []byte(body))
			if !reflect.DeepEqual(fs.JSONLD, js) {
				t.Errorf("JSONLD = %#v, want %#v", fs.JSONLD, js)
			}
			if md := extract.Microdata(doc, u, extract.MicrodataOptions{}); !reflect.DeepEqual(fs.Microdata, md) {
				t.Errorf("Microdata = %#v, want %#v", fs.Microdata, md)
			}
			if rd := extract.RDFaLite(doc, u); !reflect.DeepEqual(fs.RDFa, rd) {
				t.Errorf("RDFa = %#v, want %#v", fs.RDFa, rd)
			}
		}
		var tw map[string]string
		if m := extract.TwitterCard(doc); len(m) > 0 {
			tw = m
		}
		if !reflect.DeepEqual(fs.Twitter, tw) {
			t.Errorf("Twitter = %#v, want %#v", fs.Twitter, tw)
		}
		var walk func(*xhtml.Node)
		walk = func(n *xhtml.Node) {
			if n.Type == xhtml.TextNode {
				if got, want := countWords(n.Data), len(bytes.FieldsFunc([]byte(n.Data), func(r rune) bool {
					return r == ' ' || r == '\n' || r == '\t' || r == '\r' || r == '\f' || r == '\v'
				})); got != want {
					t.Errorf("countWords(%q) = %d, want %d", n.Data, got, want)
				}
			}
			if n.Type == xhtml.ElementNode && n.DataAtom == atom.A {
				var buf [32]byte
				if got, ok := asciiLinkText(n, buf[:0]); ok {
					if want := strings.ToLower(strings.Trim(extract.TextContent(n), " .!?»›→")); string(got) != want {
						t.Errorf("asciiLinkText = %q, want %q", got, want)
					}
				}
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
		}
		walk(doc)
	})
}
