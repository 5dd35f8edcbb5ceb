package checks

import (
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/agentready/agentready/audit/crawl"
	"github.com/agentready/agentready/report"
)

// Profile adjusts category weights to what a site is for, so that a blog is
// not marked down for having no API.
type Profile string

// Profiles. Auto picks one from what the site exposes.
const (
	ProfileAuto     Profile = "auto"
	ProfileContent  Profile = "content"
	ProfileDocs     Profile = "docs"
	ProfileCommerce Profile = "commerce"
	ProfileAPI      Profile = "api"
)

// Profiles lists the profile names.
var Profiles = []Profile{ProfileAuto, ProfileContent, ProfileDocs, ProfileCommerce, ProfileAPI}

// CategoryWeights are the weights of the categories in the overall score,
// by profile. They sum to 100 (before categories with no applicable check
// drop out), and agentic browsing adds 10: it is scored only with --render.
var CategoryWeights = map[Profile]map[Category]float64{
	ProfileContent:  {Access: 25, Content: 25, Structured: 20, Discovery: 15, API: 10, Policy: 5, Efficiency: 5, Browsing: 10},
	ProfileDocs:     {Access: 25, Content: 30, Structured: 10, Discovery: 15, API: 10, Policy: 5, Efficiency: 5, Browsing: 10},
	ProfileCommerce: {Access: 25, Content: 20, Structured: 30, Discovery: 10, API: 5, Policy: 5, Efficiency: 5, Browsing: 10},
	ProfileAPI:      {Access: 20, Content: 15, Structured: 10, Discovery: 15, API: 25, Policy: 10, Efficiency: 5, Browsing: 10},
}

// WallCap is the highest overall score a site gets when its start page is
// behind a bot wall or a login wall: nothing else matters if agents cannot
// get in.
const WallCap = 40

// Grade turns a score (0-100) into a letter, by the score as reports print
// it (rounded: 89.5 prints 90, an A).
func Grade(score float64) string {
	switch score = math.Round(score); {
	case score >= 90:
		return "A"
	case score >= 80:
		return "B"
	case score >= 70:
		return "C"
	case score >= 60:
		return "D"
	case score >= 50:
		return "E"
	}
	return "F"
}

// CheckResult is the outcome of one check on one site.
type CheckResult struct {
	ID       string   `json:"id"`
	Category Category `json:"category"`
	Weight   float64  `json:"weight"`
	// Score is 0-100, or null when the check is not applicable.
	Score  *float64 `json:"score"`
	Detail string   `json:"detail,omitempty"`
	// Findings counts the check's findings.
	Findings int `json:"findings"`
	// Equivalents are the checks of other tools that look at the same
	// thing (Check.Equivalents).
	Equivalents []Equivalent `json:"equivalents,omitempty"`
}

// Passed reports whether the check passed: applicable and scored at least
// 90 as reports print it (rounded: 89.5 prints 90 and passes).
func (c CheckResult) Passed() bool { return c.Score != nil && math.Round(*c.Score) >= 90 }

// SiteResult is the audit of one origin.
type SiteResult struct {
	Origin string `json:"origin"`
	// Folder is the folder of a folder target, as the user named it:
	// reports name the site by it (its Origin, http://NAME.localhost, is
	// served only by agentready, during the run).
	Folder  string        `json:"folder,omitempty"`
	Profile Profile       `json:"profile"`
	Score   float64       `json:"score"`
	Grade   string        `json:"grade"`
	Capped  string        `json:"capped,omitempty"` // why the score was capped
	Checks  []CheckResult `json:"checks"`
	// Categories are the category scores (0-100) of applicable categories.
	Categories []report.CategoryScore `json:"categories"`
	// Policy is the declared AI policy in one line.
	Policy string `json:"policy,omitempty"`
	// Access is the AI crawler access matrix for the start page.
	Access []AccessRow `json:"access,omitempty"`
	// Pages is the per-page table.
	Pages    []PageRow        `json:"pages,omitempty"`
	Findings []report.Finding `json:"-"`
}

// Name is how reports name the site: the folder of a folder target, else
// the origin.
func (r *SiteResult) Name() string {
	if r.Folder != "" {
		return r.Folder
	}
	return r.Origin
}

// PageRow summarises one page for reports.
type PageRow struct {
	URL string `json:"url"`
	// File is the file a folder target served for the page (the folder as
	// the user named it, then the path in it), empty for a URL target.
	File       string `json:"file,omitempty"`
	Status     int    `json:"status"`
	Words      int    `json:"words"`
	Bytes      int64  `json:"bytes"`
	Structured int    `json:"structuredData"`
	Wall       string `json:"wall,omitempty"`
	Findings   int    `json:"findings"`
	// Rendered is the browser's reading of the page (--render), for the
	// html report's side-by-side; the json report has it in the page's
	// facts.
	Rendered *Rendered `json:"-"`
}

// Options configure Run.
type Options struct {
	Profile Profile
	// Only, when set, runs only these check IDs; Skip drops some.
	Only, Skip []string
	// Render runs the checks of the pages' Rendered facts too (--render;
	// RenderChecks).
	Render bool
}

// DetectProfile picks a profile from what the site exposes: api when it
// publishes an API, commerce when its pages describe products, docs when it
// has an llms.txt or Markdown mirrors, content otherwise.
func DetectProfile(p *Pass) Profile {
	if apiSignals(p) {
		return ProfileAPI
	}
	products, mdAlt := 0, 0
	for _, pg := range p.HTMLPages() {
		f := p.facts(pg)
		if f.MarkdownAlt != "" {
			mdAlt++
		}
		if !f.hasStructuredData() {
			continue
		}
		for _, e := range p.Entities(FactsOf(pg)) {
			for _, t := range e.Types {
				if t == "Product" || t == "Offer" || t == "ProductGroup" {
					products++
				}
			}
		}
	}
	if products > 0 {
		return ProfileCommerce
	}
	if e := p.Extra("llms-txt"); (e != nil && e.OK() && !looksHTML(e.Body)) || mdAlt > 0 {
		return ProfileDocs
	}
	return ProfileContent
}

// Run runs the checks over one site and scores it:
//
//	check score     in [0,1] or not applicable
//	category score  = 100 × Σ weight(check) × score(check) / Σ weight(check), over applicable checks
//	overall         = Σ weight(category) × score(category) / Σ weight(category), over categories with an applicable check
//	overall         = min(overall, WallCap) when the start page is behind a bot or login wall
func Run(site *crawl.Site, opts Options) *SiteResult {
	p := &Pass{Site: site, Start: startPage(site), deferBuild: true}
	prof := opts.Profile
	if prof == "" || prof == ProfileAuto {
		prof = DetectProfile(p)
	}
	res := &SiteResult{Origin: site.Origin, Profile: prof}
	if site.Folder != "" {
		res.Folder = site.Target
	}
	type acc struct{ sum, w float64 }
	cat := map[Category]*acc{}
	// The checks' findings are copied into res.Findings once all have run,
	// into a slice of the exact size: a large site's findings (one per page
	// for a site-wide problem) are the largest thing the checks allocate,
	// and growing the slice check by check held them twice over. The
	// per-page findings that checks collect compactly (pageFindings) are
	// built straight into it (Pass.deferBuild), never into a slice of the
	// check's own.
	type ran struct {
		c       *Check
		fs      []report.Finding
		pending pageFindings
	}
	var all []ran
	nf := 0
	var sel []*Check
	for _, c := range opts.checks() {
		if len(opts.Only) > 0 && !slices.Contains(opts.Only, c.ID) || slices.Contains(opts.Skip, c.ID) || c.OptIn != "" && c.OptIn != opts.Profile {
			continue
		}
		sel = append(sel, c)
	}
	outs := runAll(p, sel)
	for i, c := range sel {
		r, pending := outs[i].r, outs[i].pending
		outs[i] = checkOut{}
		cr := CheckResult{ID: c.ID, Category: c.Category, Weight: c.Weight, Detail: r.Detail, Findings: len(r.Findings) + len(pending), Equivalents: c.Equivalents}
		if r.Score != nil {
			s := math.Round(*r.Score*1000) / 10
			cr.Score = &s
			if c.Weight > 0 {
				if cat[c.Category] == nil {
					cat[c.Category] = &acc{}
				}
				cat[c.Category].sum += c.Weight * *r.Score
				cat[c.Category].w += c.Weight
			}
		}
		if n := len(r.Findings) + len(pending); n > 0 {
			all = append(all, ran{c, r.Findings, pending})
			nf += n
		}
		res.Checks = append(res.Checks, cr)
	}
	pages := p.Pages()
	perPage := make(map[string]int, len(pages))
	if nf > 0 {
		res.Findings = make([]report.Finding, 0, nf)
	}
	for i, r := range all {
		c := r.c
		help := c.FixHint()
		add := func(f report.Finding) {
			f.RuleID = c.ID
			if f.Help == "" && f.Severity >= report.Warning {
				f.Help = help
			}
			f.Category = string(c.Category)
			if f.Location.URL == "" && f.Location.File == "" {
				f.Location.URL = site.Origin
			}
			perPage[f.Location.URL]++
			res.Findings = append(res.Findings, f)
		}
		for _, f := range r.fs {
			add(f)
		}
		// A check that defers its per-page findings returns none of its own
		// (see Pass.findings); they come after any it returned.
		// Page findings of one check mostly repeat a few messages ("the
		// page has no JSON-LD, ..." on every page of a large site): each
		// distinct text is kept once, the copies go with the check's own
		// list.
		msgs := map[string]string{}
		for _, f := range r.pending {
			m, ok := msgs[f.msg]
			if !ok {
				m = f.msg
				msgs[m] = m
			}
			add(findingMsg(f.url, f.sev, m))
		}
		all[i] = ran{} // copied: the check's own findings can go
	}
	weights := CategoryWeights[prof]
	var total, tw float64
	for _, c := range Categories {
		a := cat[c]
		if a == nil || a.w == 0 {
			continue
		}
		s := math.Round(1000*a.sum/a.w) / 10
		res.Categories = append(res.Categories, report.CategoryScore{ID: string(c), Title: c.Title(), Score: s, Weight: weights[c]})
		total += weights[c] * s
		tw += weights[c]
	}
	if tw > 0 {
		res.Score = math.Round(10*total/tw) / 10
	}
	if why, walled := StartWall(p); walled {
		res.Score = min(res.Score, WallCap)
		res.Capped = fmt.Sprintf("the start page is behind %s %s: the score is capped at %d", article(why), why, WallCap)
	}
	res.Grade = Grade(res.Score)
	if start := accessURL(p); start != "" {
		res.Policy = PolicyLine(p)
		res.Access = AccessMatrix(site, start)
	}
	if len(pages) > 0 {
		res.Pages = make([]PageRow, 0, len(pages))
	}
	for _, pg := range pages {
		row := PageRow{URL: pageURL(pg), Status: pg.Status, Bytes: pg.Bytes, Findings: perPage[pageURL(pg)]}
		if site.Folder != "" {
			row.File = File(site, row.URL)
		}
		if f := p.facts(pg); f != nil {
			row.Words = f.Words
			if f.hasStructuredData() {
				row.Structured = len(p.Entities(FactsOf(pg)))
			}
			if f.Wall.Wall {
				row.Wall = f.Wall.Vendor
			}
		}
		row.Rendered = RenderedOf(pg)
		res.Pages = append(res.Pages, row)
	}
	return res
}

// checkOut is what one check returned, with the per-page findings it
// deferred (see Pass.deferBuild).
type checkOut struct {
	r       Result
	pending pageFindings
}

// runAll runs the checks, on as many goroutines as Go has CPUs, each with
// a Pass of its own (checks are pure functions of the site, and a Pass's
// scratch memory is not shared); the page lists are computed once, by p,
// and shared read-only. Results are in the order of cs, whichever
// goroutine ran them. On a 1,000-page site this halves the time between
// the end of the crawl and the report on two CPUs (9.3 to 6.7 ms).
func runAll(p *Pass, cs []*Check) []checkOut {
	outs := make([]checkOut, len(cs))
	p.cache()
	n := min(runtime.GOMAXPROCS(0), len(cs))
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range n {
		wp := p
		if w > 0 {
			wp = &Pass{Site: p.Site, Start: p.Start, deferBuild: p.deferBuild,
				pages: p.pages, htmlPages: p.htmlPages, soft: p.soft, cached: true}
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(cs) {
					return
				}
				wp.pending = nil
				outs[i].r = safeRun(cs[i], wp)
				outs[i].pending, wp.pending = wp.pending, nil
			}
		}()
	}
	wg.Wait()
	return outs
}

// safeRun runs a check, turning a panic into a finding: one broken check
// must not lose the report.
func safeRun(c *Check, p *Pass) (r Result) {
	if c.HostOnly && p.Site != nil && p.Site.Folder != "" {
		return NA(folderNA)
	}
	defer func() {
		if e := recover(); e != nil {
			p.pending = nil
			r = NA("internal error", report.Finding{Severity: report.Error, Message: fmt.Sprintf("check %s failed: %v (please report this bug)", c.ID, e), Location: report.Location{URL: p.Site.Origin}})
		}
	}()
	return c.Run(p)
}

// folderNA is the detail of a HostOnly check in a folder audit.
const folderNA = "not applicable to a folder: it depends on the server that will host it (audit the deployed URL)"

// Combine merges the results of several sites (a --urls list) into the
// report's scores: each category and the overall score are the mean over
// the sites.
func Combine(rs []*SiteResult) *report.Scores {
	if len(rs) == 0 {
		return nil
	}
	s := &report.Scores{}
	byCat := map[string][]report.CategoryScore{}
	for _, r := range rs {
		s.Overall += r.Score
		for _, c := range r.Categories {
			byCat[c.ID] = append(byCat[c.ID], c)
		}
	}
	s.Overall = math.Round(10*s.Overall/float64(len(rs))) / 10
	s.Grade = Grade(s.Overall)
	for _, c := range Categories {
		cs := byCat[string(c)]
		if len(cs) == 0 {
			continue
		}
		sum := 0.0
		for _, x := range cs {
			sum += x.Score
		}
		s.Categories = append(s.Categories, report.CategoryScore{ID: string(c), Title: c.Title(), Score: math.Round(10*sum/float64(len(cs))) / 10, Weight: cs[0].Weight})
	}
	return s
}

// DefaultParityPages is how many pages per site are fetched again as a
// browser and as every parity agent for user-agent parity (the start page
// included): 6 requests a page, 30 per site.
const DefaultParityPages = 5

// MaxParityPages bounds ParityPages: the pages besides the start page are
// follow-ups, 6 requests each, which must stay under crawl.MaxFollowUps
// with the other checks' follow-ups.
const MaxParityPages = 10

// CrawlSettings tune what the checks ask the crawler for.
type CrawlSettings struct {
	// ParityPages is how many pages per site the user-agent parity check
	// compares, each as a browser and as every parity agent: the start
	// page and ParityPages-1 more, one of each top-level section first
	// (paritySample); 0 means DefaultParityPages, negative only the start
	// page.
	ParityPages int
}

// Configure adds what every scored check needs to crawl options with the
// default settings.
func Configure(o *crawl.Options) { ConfigureWith(o, CrawlSettings{}) }

// ConfigureWith adds what every scored check needs to crawl options.
func ConfigureWith(o *crawl.Options, cs CrawlSettings) { ConfigureFor(o, registry, cs) }

// ConfigureFor adds what the checks sel declare they need (Check.Needs) to
// crawl options, and nothing else: the extractors when a check reads
// pages, each artifact (a well-known path, a variant of the start pages)
// whose name a need matches, and the follow-ups a need names (service-desc
// links, llms.txt links, conditional requests, user-agent parity beyond
// the start page). With no check, the crawl fetches only pages, robots.txt
// and sitemaps, which the crawl's own findings report.
func ConfigureFor(o *crawl.Options, sel []*Check, cs CrawlSettings) {
	if len(sel) == 0 {
		return
	}
	ns := needSet(sel)
	// Profile detection (DetectProfile) and the page table read every
	// page's facts whichever checks run.
	o.Extractors = append(o.Extractors, Extractor())
	if ns.need("extra:" + serviceDescName("")) {
		o.Extractors = append(o.Extractors, serviceDescExtractor())
	}
	if ns.need("extra:" + aiCatalogLinkedName) {
		o.Extractors = append(o.Extractors, aiCatalogLinkExtractor())
	}
	have := map[string]bool{}
	for _, e := range o.Extras {
		have[e.Name] = true
	}
	for _, a := range artifacts() {
		kind := "variant:"
		if a.Path != "" {
			kind = "extra:"
		}
		if !have[a.Name] && ns.need(kind+a.Name) {
			// What only host checks read measures the server, and so
			// does an artifact that is host-only itself (the soft-404
			// probe): a folder audit does not fetch it (see
			// Check.HostOnly).
			a.HostOnly = a.HostOnly || ns.hostOnly(kind+a.Name)
			o.Extras = append(o.Extras, a)
			have[a.Name] = true
		}
	}
	o.Followers = append(o.Followers, follower(ns, cs))
}

// needSet is the checks that run, for what they need.
type needSet []*Check

// need reports whether a check needs the artifact: a need ending in "*"
// matches every name it is a prefix of.
func (ns needSet) need(artifact string) bool {
	return slices.ContainsFunc(ns, func(c *Check) bool { return c.needs(artifact) })
}

// hostOnly reports whether only HostOnly checks need the artifact: it is
// not fetched for a folder, whose checks of it are not applicable.
func (ns needSet) hostOnly(artifact string) bool {
	n := 0
	for _, c := range ns {
		if c.needs(artifact) {
			if !c.HostOnly {
				return false
			}
			n++
		}
	}
	return n > 0
}

func (c *Check) needs(artifact string) bool {
	for _, n := range c.Needs {
		if p, ok := strings.CutSuffix(n, "*"); ok && strings.HasPrefix(artifact, p) || n == artifact {
			return true
		}
	}
	return false
}

// artifacts are the per-origin artifacts a check may name in its Needs,
// by name: the well-known paths ("extra:NAME") and the variants of the
// start pages ("variant:NAME").
func artifacts() []crawl.Extra {
	out := append(slices.Clone(WellKnown), probeExtra())
	// The checks read the variants' status, headers and byte count, and of
	// the user-agent ones' bodies only a bot-wall verdict: the crawl keeps
	// that instead of the bodies.
	out = append(out, crawl.Extra{Name: "markdown", Accept: "text/markdown", Summarize: dropBody})
	// The start page is fetched as a browser and as every parity agent
	// during the crawl; the rest of the parity sample, a page of each
	// section, is only known once the crawl is done (parityFollowUps).
	out = append(out, crawl.Extra{Name: "ua-browser", UserAgent: BrowserUserAgent, Summarize: summarizeWall})
	for _, a := range ParityAgents {
		out = append(out, crawl.Extra{Name: "ua-" + a.Token, UserAgent: a.UserAgent, Agent: a.Token, Summarize: summarizeWall})
	}
	return out
}

// article is "an" before a word that starts with a vowel letter, else "a".
func article(word string) string {
	if word != "" && strings.ContainsRune("AEIOUaeiou", rune(word[0])) {
		return "an"
	}
	return "a"
}

// Titles returns the title that says what a check's result on a site is:
// its Title when it passed, or when it is not applicable and reported
// nothing; its FailTitle when it scored 0, or is not applicable with a
// finding (a note on something absent: "security.txt is missing or
// invalid", not scored); its PartTitle (FailTitle when it has none) for a
// score between.
func Titles(c *Check, r CheckResult) string {
	switch {
	case r.Passed(), r.Score == nil && r.Findings == 0:
		return c.Title
	case r.Score != nil && *r.Score > 0 && c.PartTitle != "":
		return c.PartTitle
	}
	return c.FailTitle
}

// Scorecard is what the audit command stores in the report's Extra (under
// "scorecard") for the printers that show more than findings and scores.
type Scorecard struct {
	Sites []*SiteResult `json:"sites"`
}

// File is the file of a folder target that the page at u was
// served from (the folder as the user named it, then the path in it), or
// "" when u is not on the folder's origin or no file serves it.
func File(site *crawl.Site, u string) string {
	f, _ := site.File(u)
	return f
}
