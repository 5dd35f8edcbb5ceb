package checks

import (
	"slices"
	"strings"
	"testing"

	"github.com/agentready/agentready/audit/crawl"
	_ "github.com/agentready/agentready/internal/golden"
	"github.com/agentready/agentready/report"
)

// renderedSite is a site of HTML pages with the given server facts and
// rendered facts (nil: not rendered).
func renderedSite(pages map[string]struct {
	f *PageFacts
	r *Rendered
}) *crawl.Site {
	s := &crawl.Site{Origin: "https://example.com", Target: "https://example.com/"}
	for _, u := range slices.Sorted(func(yield func(string) bool) {
		for u := range pages {
			if !yield(u) {
				return
			}
		}
	}) {
		p := pages[u]
		pg := &crawl.Page{Response: crawl.Response{URL: u, FinalURL: u, Status: 200, ContentType: "text/html"}, Source: "link"}
		if u == "https://example.com/" {
			pg.Source = "start"
		}
		f := p.f
		f.HTML = true
		SetFacts(pg, f)
		if p.r != nil {
			pg.SetFact(RenderedKey, p.r)
		}
		s.Pages = append(s.Pages, pg)
	}
	return s
}

func resultOf(t *testing.T, s *crawl.Site, render bool, id string) (CheckResult, []report.Finding) {
	t.Helper()
	r := Run(s, Options{Profile: ProfileContent, Render: render})
	var fs []report.Finding
	for _, f := range r.Findings {
		if f.RuleID == id {
			fs = append(fs, f)
		}
	}
	for _, c := range r.Checks {
		if c.ID == id {
			return c, fs
		}
	}
	t.Fatalf("check %s did not run (render %v)", id, render)
	return CheckResult{}, nil
}

// TestServerRenderedMeasured: with rendered facts, server-rendered holds a
// page to the share of its rendered text that only JavaScript provides,
// not to its markup: an empty #root whose text the server also sends
// passes, a page with some HTML text that JavaScript mostly fills fails
// and quotes the first missing passage. Fails before --render (the
// markup decided both).
func TestServerRenderedMeasured(t *testing.T) {
	type page = struct {
		f *PageFacts
		r *Rendered
	}
	s := renderedSite(map[string]page{
		"https://example.com/":  {&PageFacts{ShellRoot: true, Words: 80}, &Rendered{Words: 85, JSWords: 5}},
		"https://example.com/a": {&PageFacts{Words: 120}, &Rendered{Words: 900, JSWords: 780, FirstMissing: "Our prices"}},
	})
	c, fs := resultOf(t, s, true, "server-rendered")
	if c.Score == nil || *c.Score != 50 || len(fs) != 1 || fs[0].Location.URL != "https://example.com/a" ||
		!strings.Contains(fs[0].Message, "780 of its 900 words") || !strings.Contains(fs[0].Message, `"Our prices"`) {
		t.Fatalf("server-rendered = %v, %+v", c.Score, fs)
	}
	// Without rendered facts the markup decides, as before.
	s = renderedSite(map[string]page{
		"https://example.com/":  {&PageFacts{ShellRoot: true, Words: 80}, nil},
		"https://example.com/a": {&PageFacts{Words: 120}, nil},
	})
	if c, fs := resultOf(t, s, false, "server-rendered"); c.Score == nil || *c.Score != 50 || len(fs) != 1 || fs[0].Location.URL != "https://example.com/" {
		t.Fatalf("server-rendered inferred = %v, %+v", c.Score, fs)
	}
}

// TestRenderChecksOnlyWithRender: the render checks neither run nor are
// listed without --render, so an audit without it reports what it did.
func TestRenderChecksOnlyWithRender(t *testing.T) {
	s := renderedSite(map[string]struct {
		f *PageFacts
		r *Rendered
	}{"https://example.com/": {&PageFacts{Words: 300}, nil}})
	r := Run(s, Options{Profile: ProfileContent})
	for _, c := range r.Checks {
		if _, ok := lookupRender(c.ID); ok {
			t.Errorf("%s ran without Render", c.ID)
		}
	}
	for _, c := range r.Categories {
		if c.ID == string(Browsing) {
			t.Errorf("agentic-browsing scored without Render")
		}
	}
	for _, c := range RenderChecks() {
		if !slices.Contains(c.Needs, "render") {
			t.Errorf("%s does not need render", c.ID)
		}
		if l, ok := Lookup(c.ID); !ok || l != c {
			t.Errorf("Lookup(%s) does not find it", c.ID)
		}
		if slices.ContainsFunc(All(), func(a *Check) bool { return a.ID == c.ID }) {
			t.Errorf("%s is in All()", c.ID)
		}
	}
	// With Render but no rendered page, every render check is not
	// applicable.
	r = Run(s, Options{Profile: ProfileContent, Render: true})
	n := 0
	for _, c := range r.Checks {
		if _, ok := lookupRender(c.ID); ok {
			n++
			if c.Score != nil {
				t.Errorf("%s scored %v with no rendered page", c.ID, *c.Score)
			}
		}
	}
	if n != len(RenderChecks()) {
		t.Errorf("%d render checks ran, want %d", n, len(RenderChecks()))
	}
}

func lookupRender(id string) (*Check, bool) {
	for _, c := range renderRegistry {
		if c.ID == id {
			return c, true
		}
	}
	return nil, false
}

// TestBrowsingChecks: each render check scores and reports from the
// rendered facts; WebMCP is not scored when the browser lacks the API.
func TestBrowsingChecks(t *testing.T) {
	type page = struct {
		f *PageFacts
		r *Rendered
	}
	s := renderedSite(map[string]page{
		"https://example.com/": {&PageFacts{Words: 300}, &Rendered{Words: 300, Links: 8, JSLinkCount: 4, JSLinks: []string{"https://example.com/x"},
			JSItems: 1, JSTypes: []string{"Product"},
			AX:     AXFacts{Interactive: 10, Unnamed: 2, UnnamedEx: []string{"2 buttons"}, Fields: 4, Unlabelled: 1, UnlabelledEx: []string{"1 textbox"}, MainWords: 200, Reachable: 100},
			WebMCP: WebMCPFacts{API: "document.modelContext", Tools: []WebMCPTool{{Name: "search", Description: "Search"}, {Name: "bad tool", Problems: []string{"no description"}}}}}},
		"https://example.com/b": {&PageFacts{Words: 300}, &Rendered{Words: 300, Links: 8, AX: AXFacts{Interactive: 10, MainWords: 200, Reachable: 200}, WebMCP: WebMCPFacts{API: "document.modelContext"}}},
	})
	for _, tc := range []struct {
		id    string
		score float64
		msg   string
	}{
		{"js-only-structured-data", 50, "(Product) only after JavaScript"},
		{"js-only-links", 50, "4 of 8 in-site links"},
		{"ax-names", 90, "2 of 10 interactive elements have no accessible name (2 buttons)"},
		{"ax-form-labels", 75, "1 of 4 form fields have no label (1 textbox)"},
		{"ax-main-content", 75, "only 100 of the main content's 200 words"},
		{"webmcp-registered", 50, `WebMCP tool "bad tool" (imperative): no description`},
	} {
		c, fs := resultOf(t, s, true, tc.id)
		if c.Score == nil || *c.Score != tc.score || len(fs) != 1 || !strings.Contains(fs[0].Message, tc.msg) || fs[0].Location.URL != "https://example.com/" {
			t.Errorf("%s = %v, %+v; want %v and a finding with %q", tc.id, c.Score, fs, tc.score, tc.msg)
		}
	}
	r := Run(s, Options{Profile: ProfileContent, Render: true})
	if !slices.ContainsFunc(r.Categories, func(c report.CategoryScore) bool { return c.ID == string(Browsing) && c.Weight == 10 }) {
		t.Errorf("no agentic-browsing category: %+v", r.Categories)
	}

	insecure := renderedSite(map[string]page{"https://example.com/": {&PageFacts{Words: 300}, &Rendered{Browser: "Chrome/156", Words: 300, WebMCP: WebMCPFacts{Insecure: true}}}})
	if c, _ := resultOf(t, insecure, true, "webmcp-registered"); c.Score != nil || !strings.Contains(c.Detail, "not a secure context") {
		t.Errorf("webmcp-registered on http:// pages = %v %q", c.Score, c.Detail)
	}
	noAPI := renderedSite(map[string]page{"https://example.com/": {&PageFacts{Words: 300}, &Rendered{Browser: "Chrome/120", Words: 300}}})
	if c, _ := resultOf(t, noAPI, true, "webmcp-registered"); c.Score != nil || !strings.Contains(c.Detail, "Chrome/120") || !strings.Contains(c.Detail, "lacks the WebMCP API") {
		t.Errorf("webmcp-registered without the API = %v %q", c.Score, c.Detail)
	}
}
