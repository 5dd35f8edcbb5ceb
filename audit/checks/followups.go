package checks

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/agentready/agentready/audit/crawl"
	"github.com/agentready/agentready/audit/extract"
	"github.com/agentready/agentready/report"
)

// What the checks ask the crawler to fetch after the crawl (audit.FollowUp),
// and the bounds on it. Per site, at most:
//
//	service-desc links        maxServiceDescs (5)
//	llms.txt links            maxLLMsLinks (20), same origin, not crawled,
//	                          and maxLLMsOtherLinks (10) on other hosts
//	                          (with their robots.txt), not for a folder
//	conditional requests      maxRevalidate (3) pages with a validator
//	user-agent parity         (ParityPages-1) pages × (1 browser + 5 agents):
//	                          a page of each top-level section (paritySample)
//	the AI Catalog            1 announced copy and maxCatalogEntries (10)
//	                          entries (agents.go)
//	MCP endpoints             maxMCPEndpoints (2) × mcpPOSTs (4): server/discover
//	                          and initialize, then tools/list (after
//	                          notifications/initialized for an older
//	                          server), or for a 401 the GET of its resource
//	                          metadata; not for a folder
//	Agent Skills              maxSkills (10)
//
// so 5 + 20 + 20 + 3 + 4×6 = 72 requests with the defaults, and at most 29
// more on a site that publishes every agent document, whatever the size of
// the site. crawl.MaxFollowUps (100) cuts what is over it: on a site at
// every bound with the default ParityPages, the last second-round MCP
// request (a tools/list, reported as not listed); with a larger
// ParityPages (at most 10), more of the agent documents' requests. The start page's parity variants are fetched
// during the crawl (see ConfigureFor).

// Follower returns what the scored checks ask the crawler to fetch once a
// site is crawled (see ConfigureFor).
func Follower(cs CrawlSettings) crawl.Follower { return follower(needSet(registry), cs) }

// follower returns the follow-ups that the checks ns need. What only host
// checks read (a revalidation, a page as another user agent) is not asked
// of a folder: agentready's in-process server would answer for the site.
func follower(ns needSet, cs CrawlSettings) crawl.Follower {
	n := parityPages(cs)
	type want struct {
		hostOnly bool
		ups      func(*crawl.Site) []crawl.FollowUp
	}
	var wants []want
	for _, w := range []struct {
		artifact string
		ups      func(*crawl.Site) []crawl.FollowUp
	}{
		{"extra:" + serviceDescName(""), serviceDescFollowUps},
		{"extra:" + llmsLinkName(""), llmsLinkFollowUps},
		{"variant:" + revalidateName, revalidateFollowUps},
		{"variant:ua-browser", func(s *crawl.Site) []crawl.FollowUp { return parityFollowUps(s, n) }},
		// The agent documents come last: on a site that reaches
		// crawl.MaxFollowUps they, not the follow-ups above, are cut.
		{"extra:" + aiEntryName(""), catalogFollowUps},
		{"extra:" + mcpRPCName("", "")[:4], mcpFollowUps},
		{"extra:" + skillName(""), skillFollowUps},
	} {
		if ns.need(w.artifact) {
			wants = append(wants, want{ns.hostOnly(w.artifact), w.ups})
		}
	}
	return func(s *crawl.Site) []crawl.FollowUp {
		var ups []crawl.FollowUp
		for _, w := range wants {
			if !w.hostOnly || s.Folder == "" {
				ups = append(ups, w.ups(s)...)
			}
		}
		return ups
	}
}

// maxLLMsLinks bounds the llms.txt links checked per site.
const maxLLMsLinks = 20

// llmsLinkName is the name of an llms.txt link check in Site.Extras.
func llmsLinkName(u string) string { return "llms-link:" + u }

// llmsLinks returns the links of /llms.txt resolved against its URL, with
// the line of each, or nil when there is no llms.txt.
func llmsLinks(s *crawl.Site) []extract.LLMsLink {
	e := siteExtra(s, "llms-txt")
	if e == nil || !e.OK() || looksHTML(e.Body) {
		return nil
	}
	base, err := url.Parse(s.Origin + "/llms.txt")
	if err != nil {
		return nil
	}
	var out []extract.LLMsLink
	for _, ln := range extract.ParseLLMsTxt(e.Body).Links() {
		ref, err := url.Parse(strings.TrimSpace(ln.URL))
		if err != nil {
			ln.URL = ""
		} else {
			u := base.ResolveReference(ref)
			u.Fragment = ""
			ln.URL = u.String()
		}
		out = append(out, ln)
	}
	return out
}

// maxLLMsOtherLinks bounds the llms.txt links on other hosts checked per
// site (each other origin also costs its robots.txt, and the crawler's
// follow-up bounds allow 5 per origin).
const maxLLMsOtherLinks = 10

// llmsLinkFollowUps asks for the links of /llms.txt that the crawl did not
// fetch, only their status (a few KiB of body): at most maxLLMsLinks on the
// site's origin and maxLLMsOtherLinks on other hosts. A folder audit stays
// offline: its links to other hosts are not fetched.
func llmsLinkFollowUps(s *crawl.Site) []crawl.FollowUp {
	var ups []crawl.FollowUp
	seen := map[string]bool{}
	same, other := 0, 0
	for _, ln := range llmsLinks(s) {
		if ln.URL == "" || seen[ln.URL] {
			continue
		}
		seen[ln.URL] = true
		if strings.HasPrefix(ln.URL, s.Origin+"/") {
			if same == maxLLMsLinks {
				continue
			}
			if pg := s.Page(ln.URL); pg != nil && pg.Skipped() == "" {
				continue // crawled: its status is known
			}
			same++
		} else {
			if s.Folder != "" || other == maxLLMsOtherLinks || !strings.HasPrefix(ln.URL, "http://") && !strings.HasPrefix(ln.URL, "https://") {
				continue
			}
			other++
		}
		ups = append(ups, crawl.FollowUp{Name: llmsLinkName(ln.URL), URL: ln.URL, MaxBytes: 4 << 10, Summarize: dropBody,
			Accept: "text/markdown,text/plain;q=0.9,text/html;q=0.8,*/*;q=0.5"})
	}
	return ups
}

// maxRevalidate bounds the pages revalidated with a conditional request.
const maxRevalidate = 3

// revalidateName is the name of the conditional request in a page's
// Variants.
const revalidateName = "revalidate"

// revalidateFollowUps asks for the start page and up to two more pages
// again, conditionally: If-None-Match with the ETag, If-Modified-Since with
// the Last-Modified date. A server that supports revalidation answers 304.
func revalidateFollowUps(s *crawl.Site) []crawl.FollowUp {
	var ups []crawl.FollowUp
	for _, pg := range sampledPages(s, maxRevalidate, true) {
		h := http.Header{}
		if et := pg.Header.Get("ETag"); et != "" {
			h.Set("If-None-Match", et)
		}
		if lm := pg.Header.Get("Last-Modified"); lm != "" {
			h.Set("If-Modified-Since", lm)
		}
		if len(h) == 0 {
			continue
		}
		ups = append(ups, crawl.FollowUp{Name: revalidateName, Page: pg.URL, URL: pageURL(pg), Header: h, Summarize: dropBody})
	}
	return ups
}

// parityPages is the size of the user-agent parity sample, the start page
// included.
func parityPages(cs CrawlSettings) int {
	switch {
	case cs.ParityPages == 0:
		return DefaultParityPages
	case cs.ParityPages < 0:
		return 1
	}
	return cs.ParityPages
}

// parityFollowUps fetches the user-agent parity sample (paritySample)
// besides the start page, whose variants the crawl fetched: each page as a
// browser and as every parity agent, so that an agent refused on one
// section of the site is caught there. That is 1 + len(ParityAgents)
// requests for each of at most n-1 pages.
func parityFollowUps(s *crawl.Site, n int) []crawl.FollowUp {
	start := startPage(s)
	var ups []crawl.FollowUp
	for _, pg := range paritySample(s, n) {
		if pg == start || pg.Variant("ua-browser") != nil {
			continue
		}
		u := pageURL(pg)
		ups = append(ups, crawl.FollowUp{Name: "ua-browser", Page: pg.URL, URL: u, UserAgent: BrowserUserAgent, Summarize: summarizeWall})
		for _, a := range ParityAgents {
			ups = append(ups, crawl.FollowUp{Name: "ua-" + a.Token, Page: pg.URL, URL: u, UserAgent: a.UserAgent, Agent: a.Token, Summarize: summarizeWall})
		}
	}
	return ups
}

// paritySample picks the pages compared for user-agent parity, at most n
// of the site's 2xx HTML pages, deterministically: the start page; then
// the first page (by URL) of each top-level section (sectionOf) the start
// page is not in, the sections with the most pages first, then by name;
// then, while n allows, pages spread evenly over the others sorted by URL.
// A site that refuses an agent on a section is caught whenever n covers
// the section, however its pages link to each other.
func paritySample(s *crawl.Site, n int) []*crawl.Page {
	if n <= 0 {
		n = 1
	}
	// Every candidate: the start page first, if it is one, then the rest
	// sorted by URL.
	cands := sampledPages(s, len(s.Pages)+1, false)
	var out, rest []*crawl.Page
	covered := map[string]bool{}
	if start := startPage(s); len(cands) > 0 && cands[0] == start {
		out = append(out, start)
		covered[sectionOf(s.Origin, pageURL(start))] = true
		cands = cands[1:]
	}
	type section struct {
		name  string
		first int // index in cands
		pages int
	}
	var secs []*section
	bySec := map[string]*section{}
	for i, pg := range cands {
		name := sectionOf(s.Origin, pageURL(pg))
		if sec := bySec[name]; sec != nil {
			sec.pages++
			continue
		}
		bySec[name] = &section{name, i, 1}
		secs = append(secs, bySec[name])
	}
	slices.SortStableFunc(secs, func(a, b *section) int {
		if a.pages != b.pages {
			return b.pages - a.pages
		}
		return strings.Compare(a.name, b.name)
	})
	picked := map[int]bool{}
	for _, sec := range secs {
		if len(out) >= n {
			break
		}
		if !covered[sec.name] {
			covered[sec.name] = true
			picked[sec.first] = true
			out = append(out, cands[sec.first])
		}
	}
	for i, pg := range cands {
		if !picked[i] {
			rest = append(rest, pg)
		}
	}
	k := min(n-len(out), len(rest))
	for i := range k {
		out = append(out, rest[i*len(rest)/k])
	}
	return out
}

// sectionOf is the top-level section of a page, as parity samples the
// site: "/" and the first segment of its path when more of the path
// follows ("/blog" for /blog/ and /blog/2024/a), else "/" (the start page
// and the pages beside it, /about). A page on another host of the site
// (--scope domain) is in a section of that host ("docs.example.com/").
func sectionOf(origin, u string) string {
	host := ""
	rest, ok := strings.CutPrefix(u, origin)
	if !ok || rest != "" && rest[0] != '/' {
		pu, err := url.Parse(u)
		if err != nil {
			return u
		}
		host, rest = pu.Host, pu.EscapedPath()
	}
	if i := strings.IndexAny(rest, "?#"); i >= 0 {
		rest = rest[:i]
	}
	seg, _, more := strings.Cut(strings.TrimPrefix(rest, "/"), "/")
	if !more {
		return host + "/"
	}
	return host + "/" + seg
}

// sampledPages picks up to n of a site's 2xx HTML pages deterministically:
// the start page, then pages spread evenly over the others sorted by URL.
// With validators set, only pages with an ETag or Last-Modified count.
func sampledPages(s *crawl.Site, n int, validators bool) []*crawl.Page {
	if n <= 0 {
		n = 1
	}
	ok := func(pg *crawl.Page) bool {
		// The content type, not FactsOf: facts may be stored compactly and
		// decoded on each call, and this looks at every page.
		if pg == nil || pg.Skipped() != "" || !pg.OK() ||
			pg.ContentType != "text/html" && pg.ContentType != "application/xhtml+xml" {
			return false
		}
		return !validators || pg.Header.Get("ETag") != "" || pg.Header.Get("Last-Modified") != ""
	}
	var out, rest []*crawl.Page
	start := startPage(s)
	if ok(start) {
		out = append(out, start)
	}
	// Pages that redirect are fetched at their final URL; one final URL
	// counts once.
	final := map[string]bool{}
	if len(out) > 0 {
		final[pageURL(start)] = true
	}
	for _, pg := range s.Pages {
		if pg != start && ok(pg) && !final[pageURL(pg)] {
			final[pageURL(pg)] = true
			rest = append(rest, pg)
		}
	}
	slices.SortFunc(rest, func(a, b *crawl.Page) int { return strings.Compare(a.URL, b.URL) })
	k := min(n-len(out), len(rest))
	for i := range k {
		out = append(out, rest[i*len(rest)/k])
	}
	return out
}

func init() {
	register(&Check{ID: "conditional-requests", Title: "Revalidation answers 304 Not Modified", FailTitle: "Conditional requests get the whole page again", PartTitle: "Some conditional requests get the whole page again",
		Category: Efficiency, Weight: 1, Severity: report.Info, Needs: []string{"variant:" + revalidateName}, Since: "0.1.0", HostOnly: true, Run: checkConditional})
}

func checkConditional(p *Pass) Result {
	var fs []report.Finding
	pass, total := 0, 0
	for _, pg := range p.Pages() {
		v := pg.Variant(revalidateName)
		if v == nil {
			continue
		}
		total++
		cond := "If-None-Match " + pg.Header.Get("ETag")
		if pg.Header.Get("ETag") == "" {
			cond = "If-Modified-Since " + pg.Header.Get("Last-Modified")
		}
		switch {
		case v.Error != "":
			fs = append(fs, finding(pageURL(pg), report.Info, "the conditional request (%s) failed: %s", cond, v.Error))
		case v.Status == http.StatusNotModified:
			pass++
		case v.Status >= 200 && v.Status < 300:
			fs = append(fs, finding(pageURL(pg), report.Info, "a conditional request (%s) got %d with %s instead of 304 Not Modified: agents download the unchanged page again", cond, v.Status, kib(v.Bytes)))
		default:
			fs = append(fs, finding(pageURL(pg), report.Info, "a conditional request (%s) got %d instead of 304 Not Modified", cond, v.Status))
		}
	}
	if total == 0 {
		return NA("no page was revalidated (no ETag or Last-Modified)")
	}
	r := share(pass, total, "conditional request", "conditional requests")
	r.Findings = fs
	return r
}

func kib(n int64) string {
	if n < 1024 {
		return fmt.Sprintf("%d bytes", n)
	}
	return fmt.Sprintf("%d KiB", n>>10)
}
