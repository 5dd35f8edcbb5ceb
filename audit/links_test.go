package audit

import (
	"bytes"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"
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
