package checks

import (
	"net/http"
	"strings"
	"testing"
)

func TestFactsHostile(t *testing.T) {
	deep := strings.Repeat("<div>", 100000) + "text" + strings.Repeat("</div>", 100000)
	cases := map[string]string{
		"deep nesting":   deep,
		"deep json-ld":   `<script type="application/ld+json">` + strings.Repeat("[", 200000) + `</script>`,
		"itemref cycle":  `<div id="a" itemscope itemref="b"><span itemprop="x" id="b" itemscope itemref="a">y</span></div>`,
		"unclosed tags":  `<html><head><title>x<script>var a = "</script><body><table><tr><td><a href="javascript:x">`,
		"invalid utf-8":  "<html lang=\"en\"><title>\xff\xfe</title><p>\xc3\x28</p>",
		"huge attribute": `<a href="` + strings.Repeat("x", 1<<20) + `">click here</a>`,
	}
	for name, body := range cases {
		t.Run(name, func(t *testing.T) {
			f := Facts(200, http.Header{}, "text/html", "http://h.test/", []byte(body), nil)
			if f == nil || !f.HTML {
				t.Fatal("no facts")
			}
		})
	}
}

func FuzzFacts(f *testing.F) {
	f.Add("text/html", `<html lang="en"><title>T</title><h1>x</h1><h3>y</h3><img src=a><a href="javascript:void(0)">here</a><div id="root"></div><noscript>enable JavaScript</noscript><script type="application/ld+json">{"@type":"Product",}</script><div itemscope itemtype="https://schema.org/Offer"><span itemprop="price">1</span></div><meta property="og:title" content="t"><link rel="alternate" type="application/rss+xml" href="/f"><form toolname="s"><input type="password"></form>`)
	f.Add("application/rss+xml", `<?xml version="1.0"?><rss><channel><title>t</title><item></item></channel></rss>`)
	f.Add("application/feed+json", `{"version":"https://jsonfeed.org/version/1.1","title":"t","items":[{}]}`)
	f.Fuzz(func(t *testing.T, ct, body string) {
		fs := Facts(200, http.Header{}, ct, "http://h.test/p", []byte(body), nil)
		if fs == nil {
			t.Fatal("nil facts")
		}
		Entities(fs)
	})
}

func TestLinkRels(t *testing.T) {
	got := LinkRels([]string{`</.well-known/api-catalog>; rel="api-catalog", <https://x.test/a,b>; rel="service-desc describedby"`, `</sitemap.xml>;rel=sitemap`})
	want := map[string]string{"api-catalog": "/.well-known/api-catalog", "service-desc": "https://x.test/a,b", "describedby": "https://x.test/a,b", "sitemap": "/sitemap.xml"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %q, want %q (all: %v)", k, got[k], v, got)
		}
	}
}

func FuzzLinkRels(f *testing.F) {
	f.Add(`</a>; rel="x y", <b>; rel=z; title="a,b"`)
	f.Add(`<<>>;;rel==,"`)
	f.Fuzz(func(t *testing.T, h string) {
		for k := range LinkRels([]string{h}) {
			if k == "" {
				t.Fatal("empty rel")
			}
		}
	})
}
