package checks

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"reflect"
	"strconv"
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

// TestCountWords checks the eight-bytes-at-a-time word count against a
// byte-by-byte count on random strings of the bytes that matter (every
// white-space byte, their neighbours, bytes with the high bit set) at every
// alignment of the tail.
func TestCountWords(t *testing.T) {
	plain := func(s string) int {
		n, in := 0, false
		for i := 0; i < len(s); i++ {
			switch s[i] {
			case ' ', '\n', '\t', '\r', '\f', '\v':
				in = false
			default:
				if !in {
					n++
				}
				in = true
			}
		}
		return n
	}
	alphabet := []byte{' ', '\t', '\n', '\v', '\f', '\r', 0x08, 0x0e, 0x1f, 0x21, 0x00, 'a', 'Z', 0x7f, 0x80, 0x85, 0x89, 0xa0, 0xa9, 0xff}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		b := make([]byte, rng.IntN(40))
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		if got, want := countWords(string(b)), plain(string(b)); got != want {
			t.Fatalf("countWords(%q) = %d, want %d", b, got, want)
		}
	}
	for c := range 256 {
		for _, s := range []string{string(rune(0)) + strings.Repeat(string([]byte{byte(c)}), 17), "ab " + strings.Repeat(string([]byte{byte(c)}), 9) + " x"} {
			if got, want := countWords(s), plain(s); got != want {
				t.Fatalf("countWords(%q) = %d, want %d", s, got, want)
			}
		}
	}
}

// TestJSONSize checks the shortcut for no items against the encoding.
func TestJSONSize(t *testing.T) {
	enc := func(v any) int {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return len(b)
	}
	for _, c := range []struct{ got, want int }{
		{jsonSize([]any(nil)), enc([]any(nil))},
		{jsonSize([]any{}), enc([]any{})},
		{jsonSize([]any{map[string]any{"@type": "Thing"}}), enc([]any{map[string]any{"@type": "Thing"}})},
		{jsonSize([]extract.JSONLDBlock(nil)), enc([]extract.JSONLDBlock(nil))},
		{jsonSize([]extract.JSONLDBlock{}), enc([]extract.JSONLDBlock{})},
		{jsonSize([]extract.JSONLDBlock{{Line: 3}}), enc([]extract.JSONLDBlock{{Line: 3}})},
	} {
		if c.got != c.want {
			t.Errorf("jsonSize = %d, want %d", c.got, c.want)
		}
	}
}

// BenchmarkFactsArticle measures Facts on a page shaped like the crawl
// benchmark's (bench/audit/site: navigation, 20 links, ~27 KB of
// paragraphs, no structured data), the common case the crawl bench pays
// for on every page.
func BenchmarkFactsArticle(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(`<!doctype html><html lang=en><head><meta charset=utf-8><title>Page 7</title><link rel=canonical href="/p/7.html"><meta name=description content="Synthetic page 7"></head><body><nav>`)
	for i := 1; i <= 10; i++ {
		sb.WriteString(`<a href="/p/` + strconv.Itoa(i) + `.html">Section ` + strconv.Itoa(i) + `</a> `)
	}
	sb.WriteString(`</nav><main><h1>Page 7</h1><ul>`)
	for i := 0; i < 20; i++ {
		sb.WriteString(`<li><a href="/p/` + strconv.Itoa(70+i) + `.html">Page ` + strconv.Itoa(70+i) + `</a></li>`)
	}
	sb.WriteString(`</ul><article>` + strings.Repeat("<p>Machine-readable pages help agents and search engines understand a site. "+
		"This paragraph is filler text of a realistic size for an article body, repeated to about thirty kilobytes.</p>\n", 140) +
		`</article></main><footer><a href="/">Home</a></footer></body></html>`)
	page := []byte(sb.String())
	doc, err := xhtml.Parse(bytes.NewReader(page))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	for b.Loop() {
		Facts(200, http.Header{}, "text/html", "http://bench.test/p/7.html", page, doc)
	}
}
