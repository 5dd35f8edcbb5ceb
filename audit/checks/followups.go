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
//	user-agent parity         (ParityPages-1) pages × (1 browser + 1 agent),
//	                          when the start page links to fewer such pages
//
// so 5 + 20 + 20 + 3 + 4×2 = 56 requests with the defaults, whatever the size
// of the site. The parity sample is mostly fetched during the crawl, as
// variants (see ConfigureFor).

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
	e := s.Extras["llms-txt"]
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

// parityAgentFor is the index in ParityAgents of the agent the nth
// sampled page besides the start page is fetched as (n >= 1): the agents
// take turns, so that with the default sample each but one is compared on
// a second page, for two requests a page instead of six.
func parityAgentFor(n int) int { return (n - 1) % len(ParityAgents) }

// parityFollowUps completes the user-agent parity sample of n pages. The
// crawl fetched the start page as a browser and as every parity agent, and
// the first pages it links to as a browser and as one agent each
// (Extra.Sample); when it links to fewer 2xx HTML pages than that, pages
// spread evenly over the others make up the rest, fetched now, each as an
// agent not compared on another page yet.
func parityFollowUps(s *crawl.Site, n int) []crawl.FollowUp {
	start := startPage(s)
	have := 0
	used := map[int]bool{} // agents compared on a page besides the start page
	for _, pg := range s.Pages {
		if pg.Variant("ua-browser") == nil {
			continue
		}
		have++
		for i, a := range ParityAgents {
			if pg != start && pg.Variant("ua-"+a.Token) != nil {
				used[i] = true
			}
		}
	}
	if start == nil || start.Variant("ua-browser") == nil {
		have++ // the start page is not sampled again
	}
	if have >= n {
		return nil // the crawl sampled them all
	}
	var ups []crawl.FollowUp
	for _, pg := range sampledPages(s, n, false) {
		if have >= n {
			break
		}
		if pg == start || pg.Variant("ua-browser") != nil {
			continue
		}
		// The next agent not compared beyond the start page yet, so that
		// as many agents as pages get a second page.
		k := parityAgentFor(have)
		for i := range ParityAgents {
			if !used[i] {
				k = i
				break
			}
		}
		used[k] = true
		a := ParityAgents[k]
		have++
		u := pageURL(pg)
		ups = append(ups,
			crawl.FollowUp{Name: "ua-browser", Page: pg.URL, URL: u, UserAgent: BrowserUserAgent, Summarize: summarizeWall},
			crawl.FollowUp{Name: "ua-" + a.Token, Page: pg.URL, URL: u, UserAgent: a.UserAgent, Agent: a.Token, Summarize: summarizeWall})
	}
	return ups
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
