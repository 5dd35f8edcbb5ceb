package htmlreport

import (
	"bytes"
	"strings"
	"testing"

	"github.com/agentready/agentready/audit/checks"
	"github.com/agentready/agentready/report"
)

// TestReadings: with --render the report shows each rendered page's two
// readings side by side (the server's HTML, the rendered DOM) with what
// only JavaScript gives, the accessibility tree and the WebMCP tools, and
// every string from the site escaped. Fails before --render (no such
// section).
func TestReadings(t *testing.T) {
	r := sampleReport(t)
	sc := r.Extra.(*checks.Scorecard)
	rendered := &checks.Rendered{Browser: "Chrome/156", ServerWords: 1, Words: 90, JSWords: 89, FirstMissing: "Cups " + hostile,
		ServerText: "Loading", Text: "Cups for sale\n" + hostile, JSTypes: []string{"Product"}, JSItems: 1,
		JSLinks: []string{"http://site.test/x"}, JSLinkCount: 1, Links: 2,
		AX:      checks.AXFacts{Interactive: 3, Unnamed: 1, Fields: 1, Unlabelled: 1, MainWords: 90, Reachable: 90},
		WebMCP:  checks.WebMCPFacts{API: "document.modelContext", Tools: []checks.WebMCPTool{{Name: "search" + hostile, Declarative: true, Problems: []string{"no description"}}}},
		Blocked: []string{"https://cdn.test/x.js: out of the crawl's scope"}, BlockedCount: 1}
	sc.Sites[0].Pages[0].Rendered = rendered
	sc.Sites[0].Pages[1].Rendered = &checks.Rendered{Error: "the page did not load in the browser: " + hostile}
	var b bytes.Buffer
	if err := Print(&b, r, sc, report.PrintOptions{}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"What a fetcher reads and what a browser renders", "Without JavaScript: the server's HTML", "In Chrome/156: the rendered DOM",
		">Loading</pre>", "1 word in the HTML, 90 rendered", `<span class="fail">89 only with JavaScript</span>`, "Structured data only after rendering: Product",
		"1 of 2 in-site links only after rendering", "1 without a name", "1 without a label", "90 of 90 main-content words reachable",
		"(form)", "no description", "1 request the crawl's rules refused", "the page did not load in the browser"} {
		if !strings.Contains(out, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	if strings.Contains(out, hostile) || strings.Contains(out, "<script") {
		t.Error("a string from the site is not escaped")
	}
}
