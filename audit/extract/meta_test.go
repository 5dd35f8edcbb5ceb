package extract

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"
)

func parse(t testing.TB, s string) *xhtml.Node {
	d, err := xhtml.Parse(strings.NewReader(s))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestOpenGraphCorpus(t *testing.T) {
	dir := corpusDir(t, "extruct/tests/samples/misc")
	for _, name := range []string{"opengraph_test", "opengraph_ns_product_test"} {
		body, _ := os.ReadFile(filepath.Join(dir, name+".html"))
		exp, _ := os.ReadFile(filepath.Join(dir, name+".json"))
		var want any
		if err := json.Unmarshal(exp, &want); err != nil {
			t.Fatal(err)
		}
		doc, _ := xhtml.Parse(bytes.NewReader(body))
		got := roundTrip(t, OpenGraphData(doc))
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %v\nwant %v", name, got, want)
		}
	}
}

func TestTwitterCard(t *testing.T) {
	d := parse(t, `<meta name="twitter:card" content="summary"><meta property="twitter:title" content="T"><meta name="twitter:card" content="x">`)
	got := TwitterCard(d)
	if got["twitter:card"] != "summary" || got["twitter:title"] != "T" {
		t.Errorf("%v", got)
	}
}

func TestRDFaLite(t *testing.T) {
	d := parse(t, `<div vocab="http://schema.org/" typeof="Person" resource="#me">
	<span property="name">Alice</span><a property="url" href="/a">x</a>
	<div property="address" typeof="PostalAddress"><span property="addressLocality">Paris</span></div></div>
	<p prefix="dc: http://purl.org/dc/terms/" typeof="schema:CreativeWork"><span property="dc:title">T</span></p>`)
	got := roundTrip(t, RDFaLite(d, "http://ex.com/p"))
	want := roundTrip(t, []any{
		map[string]any{"type": []any{"http://schema.org/Person"}, "id": "http://ex.com/p#me", "properties": map[string]any{
			"http://schema.org/name": []any{"Alice"}, "http://schema.org/url": []any{"http://ex.com/a"},
			"http://schema.org/address": []any{map[string]any{"type": []any{"http://schema.org/PostalAddress"},
				"properties": map[string]any{"http://schema.org/addressLocality": []any{"Paris"}}}},
		}},
		map[string]any{"type": []any{"http://schema.org/CreativeWork"}, "properties": map[string]any{"http://purl.org/dc/terms/title": []any{"T"}}},
	})
	if !reflect.DeepEqual(got, want) {
		g, _ := json.Marshal(got)
		t.Errorf("got %s", g)
	}
}

func TestTextContent(t *testing.T) {
	d := parse(t, `<div>Hello <b>world</b>, <!-- c -->again<script>x()</script>!<p>Para (<i>one</i>)</p><style>p{}</style>tail&nbsp;end</div>`)
	div := d.FirstChild.LastChild.FirstChild // html > body > div
	if s := TextContent(div); s != "Hello world, again!\n\nPara (one)\n\ntail end" {
		t.Errorf("%q", s)
	}
}

func TestParseLLMsTxt(t *testing.T) {
	src := "# Example\n\n> A site about examples.\n\nSome details.\n\n## Docs\n\n- [Guide](https://ex.com/guide.md): how to start\n- [API](/api.md)\n- not a link\n\n## Optional\n\n- [Blog](https://ex.com/blog.md)\n\n## Empty\n"
	l := ParseLLMsTxt([]byte(src))
	if l.Title != "Example" || l.Summary != "A site about examples." || l.Details != "Some details." {
		t.Errorf("%+v", l)
	}
	if len(l.Sections) != 3 || len(l.Sections[0].Links) != 2 || l.Sections[0].Links[0].Notes != "how to start" || l.Sections[0].Links[1].Line != 10 {
		t.Errorf("sections %+v", l.Sections)
	}
	var msgs []string
	for _, p := range l.Problems {
		msgs = append(msgs, p.Msg)
	}
	j := strings.Join(msgs, "|")
	if !strings.Contains(j, "not a link") || !strings.Contains(j, `"Empty" has no links`) || len(l.Problems) != 2 {
		t.Errorf("problems %q", j)
	}
	bad := ParseLLMsTxt([]byte("<!doctype html><html>nope</html>"))
	if bad.Title != "" || len(bad.Problems) < 2 {
		t.Errorf("html: %+v", bad)
	}
}

func FuzzParseLLMsTxt(f *testing.F) {
	f.Add([]byte("# T\n> s\n## A\n- [x](y): z\n"))
	f.Add([]byte("```\n# not\n```\n## S\n* [a](b \"t\")"))
	f.Add([]byte("# T\n\n> s\n\n## A\n\n**bold**\n\n1. [x][r] and [y](z)\n   - `[c](d)` <https://e.test>\n\n[r]: /r\n"))
	f.Add([]byte("T\n=\n## S\n- [](<>)\n+ [a\n](b)\n>\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		l := ParseLLMsTxt(b)
		lines := bytes.Count(b, []byte("\n")) + 1
		for _, s := range l.Sections {
			for _, k := range s.Links {
				if k.Line < 1 || k.Line > lines {
					t.Fatalf("link %q on line %d of %d", k.URL, k.Line, lines)
				}
			}
		}
	})
}

func FuzzMicrodata(f *testing.F) {
	f.Add(`<div itemscope itemtype="http://schema.org/Thing" itemref="a"><span itemprop="name">x</span></div><p id="a" itemprop="b" itemscope itemref="a">`)
	f.Add(`<div vocab="http://schema.org/" typeof="Person"><span property="name">A</span></div><meta property="og:title" content="t">`)
	f.Fuzz(func(t *testing.T, s string) {
		d, err := xhtml.Parse(strings.NewReader(s))
		if err != nil {
			return
		}
		if _, err := json.Marshal(Microdata(d, "http://ex.com/", MicrodataOptions{})); err != nil {
			t.Fatal(err)
		}
		_ = RDFaLite(d, "http://ex.com/")
		_ = OpenGraphData(d)
		_ = TwitterCard(d)
		_ = TextContent(d)
	})
}
