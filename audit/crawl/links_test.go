package crawl

import (
	"bytes"
	"fmt"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/agentready/agentready/audit/urlnorm"
)

func TestExtractLinks(t *testing.T) {
	doc, _ := html.Parse(strings.NewReader(`<html><head><base href="https://example.com/docs/">
<link rel="canonical" href="/c"><link rel="stylesheet" href="/s.css"><link rel="Next Prefetch" href="p2">
<link rel="alternate" hreflang="fr" href="/fr/"></head><body>
<a href="a.html#x">a</a><a href="javascript:void(0)">j</a><a href="mailto:x@example.com">m</a>
<a>no href</a><map><area href="/area"></map><a href="  https://Other.example:443/B  ">o</a>
<svg><a href="/svg">s</a></svg></body></html>`))
	base, _ := url.Parse("https://example.com/index.html")
	var got []string
	for _, u := range extractLinks(doc, base) {
		got = append(got, u.String())
	}
	want := "https://example.com/c https://example.com/docs/p2 https://example.com/fr/ https://example.com/docs/a.html https://example.com/area https://other.example/B https://example.com/svg" // SVG links are links too
	if strings.Join(got, " ") != want {
		t.Errorf("links:\n got %s\nwant %s", strings.Join(got, " "), want)
	}
}

func FuzzExtractLinks(f *testing.F) {
	f.Add([]byte(`<base href="//x/"><a href="../a?b#c">x</a><link rel=next href=%zz>`))
	f.Add([]byte(`<a href="javascript:x"><area href="\\\\host\\p">`))
	f.Add([]byte(strings.Repeat("<a href=/x>", 50)))
	base, _ := url.Parse("https://example.com/dir/page")
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := html.Parse(bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, u := range extractLinks(doc, base) {
			if u.Scheme != "http" && u.Scheme != "https" || u.Fragment != "" {
				t.Fatalf("bad link %s", u)
			}
		}
	})
}

// FuzzResolveLinks checks resolveLinks, with its fast path for plain
// absolute paths, against urlnorm.Resolve and urlnorm.Format of each link.
func FuzzResolveLinks(f *testing.F) {
	for _, s := range []string{"/a", "/", "/a/b.html", "/a//b", "/./a", "/a/../b", "/a/.b", "/a.", "/a/b/", "/~u_x-y.z", "//h/a", "/a?b",
		"/a#b", "/%41", "/A/%7e", "/ a", "/\\a", "/é", "a", "../a", "https://x/a"} {
		f.Add("https://Example.COM:443/dir/page?q", s)
		f.Add("http://xn--bcher-kva.example/", s)
		f.Add("https://[::1]:8443/p", s)
	}
	f.Add("mailto:x@example.com", "/a")
	f.Add("https://example.com/", "/"+strings.Repeat("a", 3000))
	f.Fuzz(func(t *testing.T, b, h string) {
		base, err := url.Parse(b)
		if err != nil {
			return
		}
		got := resolveLinks(base, []string{h}, nil)
		want, err := urlnorm.Resolve(base, h)
		if err != nil {
			if len(got) != 0 {
				t.Fatalf("resolveLinks(%q, %q) = %v, want none (%v)", b, h, got[0].s, err)
			}
			return
		}
		if len(got) != 1 || !reflect.DeepEqual(*got[0].URL(), *want) || got[0].s != urlnorm.Format(want) {
			t.Fatalf("resolveLinks(%q, %q) = %#v, want %#v", b, h, got, want)
		}
	})
}

// BenchmarkExtractLinks measures the crawl's link extraction (pageLinks)
// from a page shaped like the crawl benchmark's (navigation, a list of
// related pages, a footer: 32 absolute-path links) and 30 KB of text.
func BenchmarkExtractLinks(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(`<!doctype html><html lang=en><head><title>Page 7</title><link rel=canonical href="/p/7.html"></head><body><nav>`)
	for i := 1; i <= 10; i++ {
		fmt.Fprintf(&sb, `<a href="/p/%d.html">Section %d</a> `, i, i)
	}
	sb.WriteString(`</nav><main><h1>Page 7</h1><ul>`)
	for i := 0; i < 20; i++ {
		fmt.Fprintf(&sb, `<li><a href="/p/%d.html">Page %d</a></li>`, 70+i*37, i)
	}
	sb.WriteString(`</ul><article>` + strings.Repeat("<p>Filler text of a realistic size for an article body.</p>\n", 450) + `</article></main><footer><a href="/">Home</a></footer></body></html>`)
	doc, err := html.Parse(strings.NewReader(sb.String()))
	if err != nil {
		b.Fatal(err)
	}
	base, _ := url.Parse("http://127.0.0.1:8080/p/7.html")
	b.ReportAllocs()
	for b.Loop() {
		if n := len(pageLinks(doc, base)); n != 32 {
			b.Fatalf("%d links", n)
		}
	}
}

// FuzzOriginOf: the sliced origin of a URL is what parsing it gives (a URL
// that does not parse, such as one with a bad escape in its path, keeps its
// sliced origin, so robots.txt still applies to it).
func FuzzOriginOf(f *testing.F) {
	for _, s := range []string{"http://a.test/x", "https://a.test:8443/x?y", "https://a.test", "http://A.test/",
		"http://u@a.test/", "http://[::1]:80/", "https://a.test#f", "http://a.test:/", "http:///x", "http://a%2e.test/",
		"http://a.test?x", "ftp://a.test/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if o, ok := originPrefix(s); ok {
			if p := parsedOrigin(s); p != "" && o != p {
				t.Fatalf("originPrefix(%q) = %q, parsing gives %q", s, o, p)
			}
		}
	})
}

// Unclosed formatting elements inside closed blocks (<div><b></div>...)
// are reopened by the parser after each block, nesting past its 512-element
// limit although the tags as written do not; the flattened document closes
// them where their block ends, so it parses and its links are read.
func TestFlattenDeepReopenedFormatting(t *testing.T) {
	var b strings.Builder
	b.WriteString("<html><body>")
	for i := range 700 {
		fmt.Fprintf(&b, "<div><b id=b%d></div>", i)
	}
	b.WriteString(`x<a href="/found">found</a>`)
	if _, err := html.Parse(strings.NewReader(b.String())); err == nil {
		t.Skip("html.Parse no longer refuses this page")
	}
	doc, err := html.Parse(bytes.NewReader(flattenDeep([]byte(b.String()), maxNesting)))
	if err != nil {
		t.Fatalf("the flattened page does not parse: %v", err)
	}
	base, _ := url.Parse("http://example.com/")
	var found bool
	for _, l := range pageLinks(doc, base) {
		found = found || strings.HasSuffix(l.s, "/found")
	}
	if !found {
		t.Error("the link after the blocks is lost")
	}
}
