package render

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/agentready/agentready/audit/checks"
)

// TestCompare: a passage the server's HTML has (even split differently)
// is not JavaScript's; the first one it lacks is quoted; links and
// structured data the server already had do not count.
func TestCompare(t *testing.T) {
	server := read([]byte(`<html><head><script type="application/ld+json">{"@context":"https://schema.org","@type":"Organization","name":"A"}</script></head>
<body><p>Hello <b>world</b>, this is the server.</p><a href="/a">A</a><a href="https://other.test/">x</a><noscript>Enable JavaScript</noscript></body></html>`), "https://site.test/")
	rendered := read([]byte(`<html><head><script type="application/ld+json">{"@context":"https://schema.org","@type":"Organization","name":"A"}</script>
<script type="application/ld+json">{"@context":"https://schema.org","@type":"Product","name":"B"}</script></head>
<body><main><p>Hello world, this is the server.</p><div>Prices from <span>12 EUR</span> today</div></main><a href="/a#top">A</a><a href="/b">B</a><p hidden>secret</p></body></html>`), "https://site.test/")
	var r checks.Rendered
	compare(&r, server, rendered)
	if r.ServerWords != 7 || r.Words != 12 || r.JSWords != 6 || r.FirstMissing != "Prices from 12 EUR today" {
		t.Errorf("text: server %d, rendered %d, JS %d, first %q", r.ServerWords, r.Words, r.JSWords, r.FirstMissing)
	}
	if r.Links != 2 || r.JSLinkCount != 1 || r.JSLinks[0] != "https://site.test/b" {
		t.Errorf("links: %d, %d %v", r.Links, r.JSLinkCount, r.JSLinks)
	}
	if r.JSItems != 1 || len(r.JSTypes) != 1 || r.JSTypes[0] != "Product" {
		t.Errorf("structured data: %d %v", r.JSItems, r.JSTypes)
	}
	if len(rendered.main) != 2 {
		t.Errorf("main passages %q", rendered.main)
	}
}

// TestReadAX: controls without a name, fields without a label, and the
// main content's words the tree's text holds; ignored nodes do not count.
func TestReadAX(t *testing.T) {
	nodes := []axNode{{Role: "button"}, {Role: "button", Name: "Buy"}, {Role: "link", Name: " "}, {Role: "textbox"}, {Role: "textbox"},
		{Role: "checkbox", Name: "Agree"}, {Role: "button", Ignored: true}, {Role: "StaticText", Name: "Hello world"},
		{Role: "StaticText", Name: "hidden words", Ignored: true}, {Role: "combobox", Name: "Every"}, {Role: "MenuListOption", Name: "monthly"}}
	f := readAX(nodes, []string{"Hello, world!", "hidden words", "monthly"})
	if f.Interactive != 3 || f.Unnamed != 2 || strings.Join(f.UnnamedEx, ",") != "1 button,1 link" || f.Fields != 4 || f.Unlabelled != 2 ||
		f.UnlabelledEx[0] != "2 textboxes" || f.MainWords != 5 || f.Reachable != 3 {
		t.Errorf("%+v", f)
	}
}

// TestReadTool: names, descriptions and schemas are checked; a $ref out of
// the schema is not followed.
func TestReadTool(t *testing.T) {
	for _, tc := range []struct {
		tool browserTool
		want string // a problem's substring, "" for none
	}{
		{browserTool{Name: "search", Description: "Search", InputSchema: json.RawMessage(`{"type":"object","properties":{"q":{"type":"string"}}}`)}, ""},
		{browserTool{Name: "search", Description: "Search"}, ""},
		{browserTool{Name: "bad name", Description: "x"}, "the name is not"},
		{browserTool{Name: "x", Description: " "}, "no description"},
		{browserTool{Name: "x", Description: "d", InputSchema: json.RawMessage(`{"type":"array"}`)}, "type is array, not object"},
		{browserTool{Name: "x", Description: "d", InputSchema: json.RawMessage(`{"type":"object","properties":{"n":{"type":"numbr"}}}`)}, "at /properties/n/type"},
		{browserTool{Name: "x", Description: "d", InputSchema: json.RawMessage(`{"type":"object","properties":{"n":{"$ref":"file:///etc/passwd"}}}`)}, "is not followed"},
		{browserTool{Name: "x", Description: "d", InputSchema: json.RawMessage(`"str"`)}, "not a JSON object"},
	} {
		got := readTool(tc.tool)
		p := strings.Join(got.Problems, "; ")
		if tc.want == "" && p != "" || tc.want != "" && !strings.Contains(p, tc.want) {
			t.Errorf("%+v: problems %q, want %q", tc.tool, p, tc.want)
		}
	}
}

// FuzzRead: any bytes read as a page give a bounded reading, without a
// panic.
func FuzzRead(f *testing.F) {
	f.Add([]byte(`<html><body><main><p>Hi <a href="/x">x</a></p></main></body></html>`))
	f.Add([]byte(`<base href="//evil.test/"><a href="javascript:x">`))
	f.Add([]byte(`<div hidden><p>a</p></div><svg><text>b</text></svg>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		r := read(b, "https://site.test/p")
		var out checks.Rendered
		compare(&out, r, r)
		if out.JSWords != 0 || out.JSLinkCount != 0 || out.JSItems != 0 {
			t.Errorf("a page differs from itself: %+v", out)
		}
		if !utf8.ValidString(out.Text) && utf8.Valid(b) {
			t.Errorf("text cut inside a rune: %q", out.Text)
		}
	})
}

// FuzzSchema: any bytes as a tool's input schema give problems or none,
// without a panic or a load.
func FuzzSchema(f *testing.F) {
	f.Add([]byte(`{"type":"object","properties":{"a":{"$ref":"#/$defs/x"}},"$defs":{"x":{"type":"string"}}}`))
	f.Add([]byte(`{"$ref":"https://example.com/s.json"}`))
	f.Add([]byte(`[1,2`))
	f.Fuzz(func(t *testing.T, b []byte) {
		_ = schemaProblems(b)
	})
}
