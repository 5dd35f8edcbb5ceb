package checks

import (
	"fmt"
	"slices"
	"strings"

	"github.com/agentready/agentready/audit/crawl"
	"github.com/agentready/agentready/report"
)

// RenderedKey is the key of a page's Rendered facts (audit/render stores
// them with --render).
const RenderedKey = "rendered"

// Rendered is what a browser read of a page (audit/render, --render),
// beside what the server's HTML gives: the two readings of an agent that
// runs JavaScript and of one that does not.
type Rendered struct {
	// Error says why the page could not be rendered; the other fields are
	// then empty.
	Error string `json:"error,omitempty"`
	// Browser is the browser's product string ("Chrome/156.0...").
	Browser string `json:"browser,omitempty"`

	// ServerWords and Words are the words of the server's HTML and of the
	// rendered DOM, read the same way (visible text, by passage); JSWords
	// the rendered words in passages the server's HTML lacks, and
	// FirstMissing the first such passage (shortened).
	ServerWords  int    `json:"serverWords"`
	Words        int    `json:"words"`
	JSWords      int    `json:"jsWords"`
	FirstMissing string `json:"firstMissing,omitempty"`
	// ServerText and Text are the start of each reading (for the html
	// report's side-by-side).
	ServerText string `json:"serverText,omitempty"`
	Text       string `json:"text,omitempty"`

	// JSTypes are the structured-data types only the rendered DOM has
	// (JSON-LD, microdata, RDFa), sorted; JSItems counts those items.
	JSTypes []string `json:"jsTypes,omitempty"`
	JSItems int      `json:"jsItems,omitempty"`
	// JSLinks are the in-site links only the rendered DOM has (at most
	// 10); JSLinkCount counts them all, Links the rendered DOM's.
	JSLinks     []string `json:"jsLinks,omitempty"`
	JSLinkCount int      `json:"jsLinkCount,omitempty"`
	Links       int      `json:"links"`

	// AX is the accessibility tree's reading.
	AX AXFacts `json:"ax"`
	// WebMCP is what the page registered with the browser.
	WebMCP WebMCPFacts `json:"webmcp"`

	// Blocked are requests of the page that the crawl's rules refused
	// ("URL: reason", at most 10); BlockedCount counts them all.
	Blocked      []string `json:"blocked,omitempty"`
	BlockedCount int      `json:"blockedCount,omitempty"`
}

// AXFacts is what the accessibility tree of a rendered page holds.
type AXFacts struct {
	// Interactive counts the interactive elements (links, buttons, form
	// fields, ...); Unnamed those without an accessible name, with
	// examples ("button", "link /cart").
	Interactive int      `json:"interactive"`
	Unnamed     int      `json:"unnamed,omitempty"`
	UnnamedEx   []string `json:"unnamedExamples,omitempty"`
	// Fields counts the form fields; Unlabelled those without a label.
	Fields       int      `json:"fields,omitempty"`
	Unlabelled   int      `json:"unlabelled,omitempty"`
	UnlabelledEx []string `json:"unlabelledExamples,omitempty"`
	// MainWords are the words of the main content (main, else body) and
	// Reachable those of its passages the tree exposes as text.
	MainWords int `json:"mainWords"`
	Reachable int `json:"reachable"`
}

// WebMCPFacts is the WebMCP reading of a rendered page.
type WebMCPFacts struct {
	// API names the browser's WebMCP entry point ("document.modelContext"
	// or "navigator.modelContext"); empty when the browser lacks the API,
	// and then Tools is empty too.
	API string `json:"api,omitempty"`
	// Insecure is set when the page is not a secure context (http:// off
	// localhost): WebMCP is not offered to it, whatever the browser.
	Insecure bool `json:"insecure,omitempty"`
	// Tools are the tools the page registered, declarative (forms) and
	// imperative (registerTool, provideContext), in the browser's order.
	Tools []WebMCPTool `json:"tools,omitempty"`
}

// WebMCPTool is one registered tool, as the browser lists it.
type WebMCPTool struct {
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	// Declarative is set for a tool a form declares.
	Declarative bool `json:"declarative,omitempty"`
	// Problems are what is wrong with the tool (no description, an input
	// schema that is not a valid JSON Schema object, ...).
	Problems []string `json:"problems,omitempty"`
}

// RenderedOf returns the page's Rendered facts, or nil without --render.
func RenderedOf(p *crawl.Page) *Rendered {
	r, _ := p.Fact(RenderedKey).(*Rendered)
	return r
}

// Browsing is the category of what a browsing agent meets (the
// accessibility tree, WebMCP): scored only with --render.
const Browsing Category = "agentic-browsing"

// renderRegistry holds the checks that read Rendered facts: they run only
// with --render (Options.Render), so that an audit without it reports
// exactly the checks it did before.
var renderRegistry = []*Check{
	{ID: "js-only-structured-data", Title: "Structured data is in the HTML", FailTitle: "Structured data appears only after JavaScript", PartTitle: "Some structured data appears only after JavaScript",
		Category: Structured, Weight: 3, Severity: report.Warning, Needs: []string{"pages", "render"}, Since: "0.2.0", Run: checkJSStructured},
	{ID: "js-only-links", Title: "Links are in the HTML", FailTitle: "Links appear only after JavaScript", PartTitle: "Some links appear only after JavaScript",
		Category: Discovery, Weight: 2, Severity: report.Warning, Needs: []string{"pages", "render"}, Since: "0.2.0", Run: checkJSLinks},
	{ID: "ax-names", Title: "Interactive elements have accessible names", FailTitle: "Interactive elements lack accessible names", PartTitle: "Some interactive elements lack accessible names",
		Category: Browsing, Weight: 4, Severity: report.Warning, Needs: []string{"pages", "render"}, Since: "0.2.0", Run: checkAXNames,
		Equivalents: []Equivalent{{Tool: "Lighthouse", ID: "agent-accessibility-tree"}}},
	{ID: "ax-form-labels", Title: "Form fields have labels", FailTitle: "Form fields lack labels", PartTitle: "Some form fields lack labels",
		Category: Browsing, Weight: 3, Severity: report.Warning, Needs: []string{"pages", "render"}, Since: "0.2.0", Run: checkAXLabels,
		Equivalents: []Equivalent{{Tool: "Lighthouse", ID: "agent-accessibility-tree"}}},
	{ID: "ax-main-content", Title: "The main content is in the accessibility tree", FailTitle: "The main content is missing from the accessibility tree", PartTitle: "Some main content is missing from the accessibility tree",
		Category: Browsing, Weight: 3, Severity: report.Warning, Needs: []string{"pages", "render"}, Since: "0.2.0", Run: checkAXMain},
	{ID: "webmcp-registered", Title: "WebMCP tools are registered with valid schemas", FailTitle: "WebMCP tools have invalid schemas", PartTitle: "Some WebMCP tools have problems",
		Category: Browsing, Weight: 2, Severity: report.Warning, Needs: []string{"pages", "render"}, Since: "0.2.0", Run: checkWebMCPRegistered,
		Equivalents: []Equivalent{{Tool: "Lighthouse", ID: "webmcp-registered-tools"}, {Tool: "Lighthouse", ID: "webmcp-schema-validity"}}},
}

// RenderChecks returns the checks that run only with --render, in report
// order.
func RenderChecks() []*Check { return sortChecks(slices.Clone(renderRegistry)) }

func sortChecks(cs []*Check) []*Check {
	slices.SortStableFunc(cs, func(a, b *Check) int {
		ia, ib := slices.Index(Categories, a.Category), slices.Index(Categories, b.Category)
		if ia != ib {
			return ia - ib
		}
		return strings.Compare(a.ID, b.ID)
	})
	return cs
}

// checks is the registry a run reads: with Render, the render checks too.
func (o Options) checks() []*Check {
	if !o.Render {
		return registry
	}
	return sortChecks(slices.Concat(registry, renderRegistry))
}

// rendered returns the HTML pages the browser read, with their facts.
func (p *Pass) rendered() (pages []*crawl.Page, rs []*Rendered) {
	for _, pg := range p.HTMLPages() {
		if r := RenderedOf(pg); r != nil && r.Error == "" {
			pages = append(pages, pg)
			rs = append(rs, r)
		}
	}
	return pages, rs
}

const noRendered = "no page was rendered"

func checkJSStructured(p *Pass) Result {
	pages, rs := p.rendered()
	if len(pages) == 0 {
		return NA(noRendered)
	}
	var fs pageFindings
	pass := 0
	for i, r := range rs {
		if r.JSItems == 0 {
			pass++
			continue
		}
		fs.addf(pageURL(pages[i]), report.Warning, "%d structured-data %s (%s) only after JavaScript runs: agents that read the HTML do not see %s",
			r.JSItems, plural(r.JSItems, "item appears", "items appear"), strings.Join(r.JSTypes, ", "), plural(r.JSItems, "it", "them"))
	}
	res := share(pass, len(pages), "rendered page", "rendered pages")
	res.Findings = p.findings(fs)
	return res
}

func checkJSLinks(p *Pass) Result {
	pages, rs := p.rendered()
	if len(pages) == 0 {
		return NA(noRendered)
	}
	var fs pageFindings
	pass := 0
	for i, r := range rs {
		// A few links added by script (a cookie banner's, a widget's) do
		// not hide the site; a page whose links are mostly added does.
		if r.JSLinkCount == 0 || r.JSLinkCount*4 < r.Links {
			pass++
		}
		if r.JSLinkCount > 0 {
			sev := report.Warning
			if r.JSLinkCount*4 < r.Links {
				sev = report.Info
			}
			fs.addf(pageURL(pages[i]), sev, "%d of %d in-site links appear only after JavaScript runs (%s): crawlers that read the HTML cannot follow them",
				r.JSLinkCount, r.Links, strings.Join(r.JSLinks[:min(3, len(r.JSLinks))], ", "))
		}
	}
	res := share(pass, len(pages), "rendered page", "rendered pages")
	res.Findings = p.findings(fs)
	return res
}

func checkAXNames(p *Pass) Result {
	return axShare(p, func(r *Rendered) (int, int, []string) { return r.AX.Interactive, r.AX.Unnamed, r.AX.UnnamedEx },
		"%d of %d interactive elements have no accessible name (%s): a browsing agent cannot tell what they do",
		"no interactive element in the rendered pages", "%d of %d interactive elements named")
}

func checkAXLabels(p *Pass) Result {
	return axShare(p, func(r *Rendered) (int, int, []string) { return r.AX.Fields, r.AX.Unlabelled, r.AX.UnlabelledEx },
		"%d of %d form fields have no label (%s): an agent filling the form must guess what they take",
		"no form field in the rendered pages", "%d of %d form fields labelled")
}

// axShare scores the share of the rendered pages' elements that have what
// count reports missing (a name, a label), with a finding per page that
// lacks some: missing (missing, all, examples); none when no page has any;
// detail (have, all).
func axShare(p *Pass, count func(*Rendered) (all, missing int, ex []string), missing, none, detail string) Result {
	pages, rs := p.rendered()
	var fs pageFindings
	total, have := 0, 0
	for i, r := range rs {
		all, miss, ex := count(r)
		total += all
		have += all - miss
		if miss > 0 {
			fs.addf(pageURL(pages[i]), report.Warning, missing, miss, all, strings.Join(ex, ", "))
		}
	}
	if total == 0 {
		return NA(notScored(none))
	}
	return Score(float64(have)/float64(total), fmt.Sprintf(detail, have, total), p.findings(fs)...)
}

func checkAXMain(p *Pass) Result {
	pages, rs := p.rendered()
	var fs pageFindings
	total, reach := 0, 0
	for i, r := range rs {
		total += r.AX.MainWords
		reach += r.AX.Reachable
		if r.AX.MainWords >= minWords && r.AX.Reachable*10 < r.AX.MainWords*9 {
			fs.addf(pageURL(pages[i]), report.Warning, "only %d of the main content's %d words are in the accessibility tree: an agent reading the tree misses the rest (aria-hidden, role=presentation, or text drawn without DOM text)",
				r.AX.Reachable, r.AX.MainWords)
		}
	}
	if total == 0 {
		return NA(notScored("no main text in the rendered pages"))
	}
	return Score(float64(reach)/float64(total), fmt.Sprintf("%d of %d main-content words reachable", reach, total), p.findings(fs)...)
}

func checkWebMCPRegistered(p *Pass) Result {
	pages, rs := p.rendered()
	if len(pages) == 0 {
		return NA(noRendered)
	}
	api, insecure := "", 0
	for _, r := range rs {
		if r.WebMCP.API != "" {
			api = r.WebMCP.API
		}
		if r.WebMCP.Insecure {
			insecure++
		}
	}
	if api == "" && insecure == len(rs) {
		return NA(notScored("the pages are not a secure context (http://): browsers offer WebMCP to https:// pages only"))
	}
	if api == "" {
		return NA(notScored(fmt.Sprintf("the browser (%s) lacks the WebMCP API (document.modelContext, navigator.modelContext): tools not read", rs[0].Browser)))
	}
	var fs pageFindings
	tools, good := 0, 0
	for i, r := range rs {
		for _, t := range r.WebMCP.Tools {
			tools++
			if len(t.Problems) == 0 {
				good++
				continue
			}
			kind := "imperative"
			if t.Declarative {
				kind = "declarative"
			}
			fs.addf(pageURL(pages[i]), report.Warning, "WebMCP tool %q (%s): %s", t.Name, kind, strings.Join(t.Problems, "; "))
		}
	}
	if tools == 0 {
		return NA(notScored(fmt.Sprintf("no page registers a WebMCP tool (%s)", api)))
	}
	return Score(float64(good)/float64(tools), fmt.Sprintf("%d of %d WebMCP tools valid (%s)", good, tools, api), p.findings(fs)...)
}

// measuredShell is the server-rendered verdict on a rendered page: the
// share of its rendered text only JavaScript provides. ok is false when
// the page was not rendered (the check then infers from the markup).
func measuredShell(pg *crawl.Page) (why string, measured bool) {
	r := RenderedOf(pg)
	if r == nil || r.Error != "" {
		return "", false
	}
	if r.Words == 0 || r.JSWords*2 < r.Words {
		return "", true
	}
	why = fmt.Sprintf("rendered in Chromium, %d of its %d words (%.0f%%) come only from JavaScript", r.JSWords, r.Words, 100*float64(r.JSWords)/float64(r.Words))
	if r.FirstMissing != "" {
		why += fmt.Sprintf("; the HTML lacks %q", r.FirstMissing)
	}
	return why, true
}
