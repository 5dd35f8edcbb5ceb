// Package checks holds the audit's machine-readability checks and the
// scoring model. A check is data (ID, titles, Markdown documentation,
// category, weight, the artifacts it needs) plus a pure function of the
// crawled site model: it never does I/O, and returns a score in [0,1] or
// "not applicable", and findings located at page URLs.
//
// The crawler runs this package's Extractor over every page (once, while the
// body and parsed document are alive) and fetches the Extras it declares;
// the checks read only what that left in the Site.
package checks

import (
	"embed"
	"fmt"
	"slices"
	"strings"

	"github.com/agentready/agentready/audit/crawl"
	"github.com/agentready/agentready/report"
)

// Category groups checks; its weight in the overall score depends on the
// profile.
type Category string

// The categories, in report order.
const (
	Access     Category = "access"
	Content    Category = "content"
	Structured Category = "structured-data"
	Discovery  Category = "discovery"
	API        Category = "api"
	Policy     Category = "policy"
	Efficiency Category = "efficiency"
)

// Categories lists the categories in report order.
var Categories = []Category{Access, Content, Structured, Discovery, API, Policy, Efficiency, Browsing}

var categoryTitles = map[Category]string{
	Access:     "Access",
	Content:    "Content",
	Structured: "Structured data",
	Discovery:  "Discovery",
	API:        "API and agent capabilities",
	Policy:     "Policy and trust",
	Efficiency: "Efficiency",
	Browsing:   "Agentic browsing",
}

// Title returns the category's title.
func (c Category) Title() string { return categoryTitles[c] }

// Check is one audit check.
type Check struct {
	// ID is kebab-case and stable forever.
	ID string
	// Title says what passing means ("robots.txt is valid"); FailTitle what
	// failing means ("robots.txt has errors"), true of a score of 0 and of
	// a note on something absent; PartTitle, when a check can score
	// between 0 and a pass, what that means ("Some pages are JavaScript
	// shells"), so that no row reads "No loadable OpenAPI description" beside
	// the lint score of the description it loaded. Titles picks one.
	Title, FailTitle, PartTitle string
	Category                    Category
	// Weight is the check's weight inside its category; 0 makes a check
	// informational (it reports but does not score).
	Weight float64
	// Severity is the default severity of the check's failure findings.
	Severity report.Severity
	// Needs names the artifacts the check reads: "pages", "robots",
	// "sitemaps", "variant:<name>", "extra:<name>" (a trailing "*" matches
	// any name it prefixes). The crawl fetches exactly what the checks of
	// a run need (ConfigureFor).
	Needs []string
	Since string
	// HostOnly marks a check that judges the HTTP host rather than the
	// site's files: compression, validators, timings, content
	// negotiation, response headers, answers per user agent. A folder
	// audit serves the files from agentready's own in-process server, so
	// such a check is not applicable there (it would grade agentready's
	// server); audit the deployed URL for it. What only such checks need
	// is not fetched for a folder either (ConfigureFor).
	HostOnly bool
	// Equivalents name the checks of other tools that look at the same
	// thing, so that results can be compared (docs and --list-checks).
	Equivalents []Equivalent
	// OptIn, when set, is the profile that must be asked for (--profile)
	// for the check to run: the commerce protocols are not every site's.
	OptIn Profile
	// Run computes the result. It must not do I/O.
	Run func(p *Pass) Result
}

// Equivalent is another tool's check of the same thing.
type Equivalent struct {
	// Tool is "Lighthouse" (an audit ID of its agentic-browsing category,
	// core/config/default-config.js) or "Cloudflare" (a check of
	// isitagentready.com, by the key its scan API's JSON gives it, as its
	// llms-full.txt documents them).
	Tool string `json:"tool"`
	ID   string `json:"id"`
}

// Doc returns the check's Markdown documentation (how to fix, spec links).
func (c *Check) Doc() string {
	b, err := docFS.ReadFile("docs/" + c.ID + ".md")
	if err != nil {
		return ""
	}
	return string(b)
}

//go:embed docs/*.md
var docFS embed.FS

// FixHint returns the first step of the documentation's "How to fix"
// section, as a one-line help text for findings.
func (c *Check) FixHint() string {
	_, rest, ok := strings.Cut(c.Doc(), "## How to fix")
	if !ok {
		return ""
	}
	for _, line := range strings.Split(rest, "\n") {
		if l, ok := strings.CutPrefix(strings.TrimSpace(line), "- "); ok {
			return l
		}
	}
	return ""
}

// HelpURI is where the check's documentation is published.
func (c *Check) HelpURI() string {
	return "https://github.com/agentready/agentready/blob/main/audit/checks/docs/" + c.ID + ".md"
}

// Result is what a check returns for one site.
type Result struct {
	// Score is in [0,1]; nil means not applicable (the site does not have
	// what the check looks at, and should not be marked down for it).
	Score *float64
	// Findings located at page URLs. Their RuleID, Category and (when zero)
	// Severity are filled from the check.
	Findings []report.Finding
	// Detail is a one-line summary for reports ("12 of 14 pages pass").
	Detail string
}

// Score returns a Result with score s.
func Score(s float64, detail string, fs ...report.Finding) Result {
	s = min(1, max(0, s))
	return Result{Score: &s, Detail: detail, Findings: fs}
}

// NA returns a not-applicable Result.
func NA(detail string, fs ...report.Finding) Result {
	return Result{Detail: detail, Findings: fs}
}

// Pass hands a check what it reads.
type Pass struct {
	Site *crawl.Site
	// Start is the start page (the first page with Source "start" or
	// "list", else the first page), or nil when nothing was fetched.
	Start *crawl.Page

	// entities caches Entities per page's facts (keyed by
	// PageFacts.identity: FactsOf may decode a page's facts again).
	entities map[any][]*Entity
	// pages and htmlPages cache Pages and HTMLPages: most checks ask for
	// one of them, and HTMLPages decodes every page's facts.
	pages, htmlPages []*crawl.Page
	cached           bool
	// soft holds the well-known documents the host answered as it
	// answered a random path (softAbsent), computed with the pages.
	soft map[string]*crawl.Response
	// deferBuild, set by Run, makes Pass.findings hand a check's compact
	// per-page findings to Run (pending) instead of building a slice of
	// them: Run builds them straight into the site's findings.
	deferBuild bool
	pending    pageFindings
	// crawlLogs makes the crawl checks report their log lines too (see
	// CrawlFindings).
	crawlLogs bool
	// scratch is what Pass.facts decodes into, with the slices and maps of
	// bufs.
	scratch *PageFacts
	bufs    decodeBufs
}

// facts is FactsOf for a check's loop over the pages: the page's facts
// decoded into one PageFacts that the pass reuses (nil when the page has
// none), so that a check over every page does not allocate a PageFacts
// per page. It is valid until the next call, its slices and maps too:
// read its fields (strings may be kept), never keep the pointer, a slice
// or a map, and never hand it to Entities (use FactsOf there).
func (p *Pass) facts(pg *crawl.Page) *PageFacts {
	if p.scratch == nil {
		p.scratch = new(PageFacts)
	}
	if !peekFacts(pg, p.scratch, &p.bufs) {
		return nil
	}
	return p.scratch
}

// findings turns a check's compact per-page findings into its Result's
// Findings; under Run they are handed over to Run instead (see
// deferBuild), and the Result's Findings are nil.
func (p *Pass) findings(fs pageFindings) []report.Finding {
	if p.deferBuild {
		if p.pending == nil {
			p.pending = fs
		} else {
			p.pending = append(p.pending, fs...)
		}
		return nil
	}
	return fs.build()
}

// sitewide returns the findings of a check that judges each page: each
// page at fault at its URL (fs), or, when no page of several passes, one
// finding at the start page that says so: a template or the server's
// configuration is at fault, not a page, and one line says it better than
// one a page (5,000 on a large site, each kept in memory and in the json
// report). total is the pages judged; format and args say what every page
// lacks, and the count of pages is added.
func (p *Pass) sitewide(fs pageFindings, pass, total int, sev report.Severity, format string, args ...any) []report.Finding {
	if pass > 0 || total < 2 || len(fs) != total || p.Start == nil {
		return p.findings(fs)
	}
	return []report.Finding{finding(pageURL(p.Start), sev, format+" (all %d pages)", append(args, total)...)}
}

// Entities returns the structured-data items of a page, computed once per
// pass.
func (p *Pass) Entities(f *PageFacts) []*Entity {
	if f == nil || len(f.JSONLD) == 0 && len(f.Microdata) == 0 && len(f.RDFa) == 0 {
		return nil // nothing to cache for most pages
	}
	if es, ok := p.entities[f.identity()]; ok {
		return es
	}
	if p.entities == nil {
		p.entities = map[any][]*Entity{}
	}
	es := Entities(f)
	p.entities[f.identity()] = es
	return es
}

// entitiesOf is Entities(FactsOf(pg)) without decoding the page's facts
// when it has no structured data (most pages of most sites) or its
// entities are cached already.
func (p *Pass) entitiesOf(pg *crawl.Page) []*Entity {
	if s, ok := pg.Fact(FactsKey).(*storedFacts); ok {
		// Structured data is never in the encoding, only in rest.
		if s == nil || s.rest == nil || !s.rest.hasStructuredData() {
			return nil
		}
		if es, ok := p.entities[s]; ok { // keyed as PageFacts.identity
			return es
		}
	}
	return p.Entities(FactsOf(pg))
}

// Pages returns the fetched pages (not skipped), in the Site's order. The
// slice is shared by the checks of the pass: read-only (appending to it
// copies it).
func (p *Pass) Pages() []*crawl.Page {
	p.cache()
	return p.pages
}

// HTMLPages returns the fetched 2xx HTML pages with facts. The slice is
// shared by the checks of the pass: read-only (appending to it copies it).
func (p *Pass) HTMLPages() []*crawl.Page {
	p.cache()
	return p.htmlPages
}

// cache lists the pages and HTML pages once per pass (a pass reads a site
// whose crawl is done).
func (p *Pass) cache() {
	if p.cached {
		return
	}
	p.cached = true
	p.soft = softAbsent(p.Site)
	n := 0
	for _, pg := range p.Site.Pages {
		if pg.Skipped() == "" {
			n++
		}
	}
	if n > 0 {
		p.pages = make([]*crawl.Page, 0, n)
	}
	for _, pg := range p.Site.Pages {
		if pg.Skipped() != "" {
			continue
		}
		p.pages = append(p.pages, pg)
		if pg.OK() && htmlFacts(pg) { // FactsOf(pg).HTML without decoding
			p.htmlPages = append(p.htmlPages, pg)
		}
	}
	// A check that appends gets a copy, never another check's pages.
	p.pages, p.htmlPages = slices.Clip(p.pages), slices.Clip(p.htmlPages)
}

// Extra returns the per-origin extra response with the given name, or nil.
// A well-known document that the host answered as it answered a random
// path (its page for any path: a soft 404) reads as absent, as a 404
// would: its Error says so, and it has no body.
func (p *Pass) Extra(name string) *crawl.Response {
	if p.Site.Extras == nil {
		return nil
	}
	if r := p.absent()[name]; r != nil {
		return r
	}
	return p.Site.Extras[name]
}

// absent is the well-known documents read as absent (see Pass.Extra).
func (p *Pass) absent() map[string]*crawl.Response {
	p.cache()
	return p.soft
}

// registry is every check, sorted by category order then ID.
var registry []*Check

func register(cs ...*Check) {
	registry = append(registry, cs...)
	slices.SortStableFunc(registry, func(a, b *Check) int {
		ia, ib := slices.Index(Categories, a.Category), slices.Index(Categories, b.Category)
		if ia != ib {
			return ia - ib
		}
		return strings.Compare(a.ID, b.ID)
	})
}

// All returns every scored check in report order (the crawl's own checks
// are CrawlChecks).
func All() []*Check { return slices.Clone(registry) }

// Explain is --explain: the documentation of the check (scored or crawl)
// with the given ID, or an error listing the IDs there are.
func Explain(id string) (string, error) {
	c, ok := Lookup(id)
	if !ok {
		var ids []string
		for _, c := range slices.Concat(CrawlChecks(), All(), RenderChecks()) {
			ids = append(ids, c.ID)
		}
		return "", fmt.Errorf("no check %q (checks: %s)", id, strings.Join(ids, ", "))
	}
	return fmt.Sprintf("%s: %s\n\ncategory %s, weight %g, severity %s\n\n%s", c.ID, c.Title, c.Category.Title(), c.Weight, c.Severity, c.Doc()), nil
}

// Lookup returns the check with the given ID, a scored check or a crawl
// check: every rule ID a report prints.
func Lookup(id string) (*Check, bool) {
	for _, cs := range [][]*Check{crawlChecks, registry, renderRegistry} {
		for _, c := range cs {
			if c.ID == id {
				return c, true
			}
		}
	}
	return nil, false
}

// Descriptors returns the report.Rule descriptors of every scored check.
func Descriptors() []report.Rule { return DescriptorsOf(registry) }

// DescriptorsOf returns the report.Rule descriptors of the checks cs.
func DescriptorsOf(cs []*Check) []report.Rule {
	out := make([]report.Rule, 0, len(cs))
	for _, c := range cs {
		out = append(out, report.Rule{
			ID: c.ID, Title: c.Title, Doc: c.Doc(), Severity: c.Severity,
			Category: string(c.Category), HelpURI: c.HelpURI(), Since: c.Since,
		})
	}
	return out
}

// finding builds a finding at a URL.
func finding(url string, sev report.Severity, format string, args ...any) report.Finding {
	return report.Finding{Severity: sev, Message: fmt.Sprintf(format, args...), Location: report.Location{URL: url}}
}

// findingMsg builds a finding at a URL with a message formatted already.
func findingMsg(url string, sev report.Severity, msg string) report.Finding {
	return report.Finding{Severity: sev, Message: msg, Location: report.Location{URL: url}}
}

// pageFindings collects the findings of a per-page check compactly: a
// site-wide problem gives one finding per page, and a report.Finding is
// 184 bytes, most of them empty here, so growing a []report.Finding page
// by page allocated several times the findings' size. build makes the
// slice once, of the exact size.
type pageFindings []pageFinding

type pageFinding struct {
	url, msg string
	sev      report.Severity
}

func (fs *pageFindings) add(url string, sev report.Severity, msg string) {
	*fs = append(*fs, pageFinding{url, msg, sev})
}

func (fs *pageFindings) addf(url string, sev report.Severity, format string, args ...any) {
	fs.add(url, sev, fmt.Sprintf(format, args...))
}

// build returns the findings (nil when there are none).
func (fs pageFindings) build() []report.Finding {
	if len(fs) == 0 {
		return nil
	}
	out := make([]report.Finding, len(fs))
	for i, f := range fs {
		out[i] = findingMsg(f.url, f.sev, f.msg)
	}
	return out
}

// share scores a per-page check: the share of pages that pass. It is not
// applicable when no page was examined.
func share(pass, total int, one, many string) Result {
	if total == 0 {
		return NA("no " + many + " to examine")
	}
	verb := "pass"
	if pass == 1 || total == 1 {
		verb = "passes" // "1 of 3 pages passes", "0 of 1 page passes"
	}
	return Score(float64(pass)/float64(total), fmt.Sprintf("%d of %d %s %s", pass, total, plural(total, one, many), verb))
}

// notScored is the detail of a check that found absent what it looks at
// and reports that as a note (info or hint): a note never marks a site
// down, so the check is not applicable (docs/scoring.md, "Notes are not
// scored"). An absence that should cost is reported as a warning instead.
func notScored(what string) string { return what + " (a note: not scored)" }
