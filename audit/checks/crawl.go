package checks

import (
	"fmt"
	"slices"
	"time"

	"github.com/agentready/agentready/audit/crawl"
	"github.com/agentready/agentready/audit/sitemap"
	"github.com/agentready/agentready/report"
)

// Crawl is the category of the crawl's own findings: what was fetched and
// what stopped the crawl. Its checks weigh 0 and are not among Categories:
// they report, they do not score.
const Crawl Category = "crawl"

func init() { categoryTitles[Crawl] = "Crawl" }

// crawlChecks are the checks of the crawl's own findings, in the order a
// reader meets them. They run on every site (CrawlFindings), with or
// without the scored checks, and even on a site with no page.
var crawlChecks = []*Check{
	{ID: "crawl-page", Title: "Page fetched", FailTitle: "Page fetched", Severity: report.Hint, Run: crawlPage},
	{ID: "crawl-http-error", Title: "Page answered with an HTTP error", FailTitle: "Page answered with an HTTP error", Severity: report.Warning, Run: crawlHTTPError},
	{ID: "crawl-fetch-failed", Title: "Page could not be fetched", FailTitle: "Page could not be fetched", Severity: report.Warning, Run: crawlFetchFailed},
	{ID: "crawl-truncated", Title: "Body cut at the size limit", FailTitle: "Body cut at the size limit", Severity: report.Info, Run: crawlTruncated},
	{ID: "crawl-robots", Title: "robots.txt", FailTitle: "robots.txt", Severity: report.Info, Needs: []string{"robots"}, Run: crawlRobots},
	{ID: "crawl-robots-disallowed", Title: "Not fetched: robots.txt disallows it", FailTitle: "Not fetched: robots.txt disallows it", Severity: report.Info, Needs: []string{"robots"}, Run: crawlDisallowed},
	{ID: "crawl-sitemap", Title: "Sitemap", FailTitle: "Sitemap", Severity: report.Info, Needs: []string{"sitemaps"}, Run: crawlSitemap},
	{ID: "crawl-limit", Title: "Crawl stopped at a limit", FailTitle: "Crawl stopped at a limit", Severity: report.Info, Run: crawlLimit},
	{ID: "crawl-site-error", Title: "The site could not be crawled", FailTitle: "The site could not be crawled", Severity: report.Error, Run: crawlSiteError},
}

func init() {
	for _, c := range crawlChecks {
		c.Category, c.Since = Crawl, "0.1.0"
		if c.Needs == nil {
			c.Needs = []string{"pages"}
		}
	}
}

// CrawlChecks returns the checks of the crawl's own findings.
func CrawlChecks() []*Check { return slices.Clone(crawlChecks) }

// CrawlFindings runs the crawl checks over a site: findings for what went
// wrong (HTTP errors, failed fetches, an unreachable robots.txt, sitemaps
// that fail or do not parse, the crawl's errors) and for what the audit
// could not see (bodies cut, URLs robots.txt disallows, a limit that
// stopped the crawl), located at URLs. With logs it adds the crawl's log
// lines: every page fetched (crawl-page), robots.txt and each sitemap read
// (crawl-robots, crawl-sitemap); the site model holds the same whether or
// not they are findings. They carry no help text: their documentation says
// what they are, not what to fix.
func CrawlFindings(s *crawl.Site, logs bool) []report.Finding {
	p := &Pass{Site: s, crawlLogs: logs}
	var fs []report.Finding
	for _, c := range crawlChecks {
		for _, f := range c.Run(p).Findings {
			f.RuleID, f.Category = c.ID, string(c.Category)
			fs = append(fs, f)
		}
	}
	return fs
}

// CrawlLogIDs are the crawl checks whose findings include the crawl's log
// lines (see CrawlFindings): a report that shows them shows them whole.
func CrawlLogIDs() []string { return []string{"crawl-page", "crawl-robots", "crawl-sitemap"} }

// SiteName is how reports name a site: a folder target by its folder
// (the user's name for it), else its origin (the target when nothing was
// fetched to give one).
func SiteName(s *crawl.Site) string {
	if s.Folder != "" || s.Origin == "" {
		return s.Target
	}
	return s.Origin
}

// Unread reports whether the run ended (Ctrl-C, SIGTERM, --max-duration)
// before a page of the site was fetched, because it cut the start page (or
// robots.txt before it): nothing was learnt about the site, which is no
// failure of it, and it has no score. A start page robots.txt disallows is
// evidence (the site is not scored for it either, having no page).
func Unread(s *crawl.Site) bool {
	if s.Stats.Pages > 0 || s.Stats.Limit != "cancelled" && s.Stats.Limit != "max-duration" {
		return false
	}
	if stoppedBeforeStart(s) {
		return true // (with --urls, one cut start is enough: no page was fetched)
	}
	return !slices.ContainsFunc(s.Pages, func(p *crawl.Page) bool { return p.Source == "start" || p.Source == "list" }) // robots.txt was cut: no start page was asked for
}

// Unreachable says why a site could not be fetched at all for a network
// reason (DNS, connect, TLS, a timeout, an address the guard refuses): no
// page got an HTTP answer, or robots.txt did not, which makes RFC 9309
// disallow everything. It is "" when the site answered anything (an HTTP
// error status is the site's answer, reported as a finding), for a folder,
// and when the end of the run cut the fetch (Unread: no evidence either
// way). Such a site is not audited: the CLI exits 2.
func Unreachable(s *crawl.Site) string {
	if s.Folder != "" || s.Origin == "" || Unread(s) {
		return ""
	}
	var start *crawl.Page
	for _, pg := range fetched(s) {
		if pg.Status != 0 || pg.Error == "" {
			return "" // the site answered
		}
		if start == nil || isStart(pg) && !isStart(start) {
			start = pg
		}
	}
	if start != nil {
		return start.Error + redirectNote(start)
	}
	if r := s.Robots; r != nil && r.Status == 0 && r.Error != "" && !r.Ignored &&
		slices.ContainsFunc(s.Pages, func(pg *crawl.Page) bool { return pg.Skipped() == "robots" }) {
		return "robots.txt: " + r.Error
	}
	return ""
}

func isStart(pg *crawl.Page) bool { return pg.Source == "start" || pg.Source == "list" }

// crawlOrigin is where a site-level crawl finding is located.
func crawlOrigin(s *crawl.Site) string {
	if s.Origin == "" {
		return s.Target
	}
	return s.Origin
}

// fetched lists the pages whose fetch ran to an end: not skipped (by
// robots.txt, or by the end of the run, which is counted in crawl-limit's
// URLs not fetched and is no failure of the site).
func fetched(s *crawl.Site) []*crawl.Page {
	var out []*crawl.Page
	for _, p := range s.Pages {
		if p.Skipped() == "" {
			out = append(out, p)
		}
	}
	return out
}

func crawlPage(p *Pass) Result {
	if !p.crawlLogs {
		return NA("")
	}
	var fs []report.Finding
	for _, pg := range fetched(p.Site) {
		if pg.Error != "" || pg.Status >= 400 {
			continue
		}
		f := finding(pg.URL, report.Hint, "%d %s, %s in %s (connect %s, first byte %s), depth %d via %s; robots.txt: %s%s",
			pg.Status, orDash(pg.ContentType), formatBytes(pg.Bytes), ms(pg.Timing().Total), ms(pg.Timing().Connect), ms(pg.Timing().FirstByte),
			pg.Depth, pg.Source, verdictText(pg), redirectNote(pg))
		f.Key = "fetched" // the message's size and timings change each run
		fs = append(fs, f)
	}
	return NA("", fs...)
}

func crawlHTTPError(p *Pass) Result {
	var fs []report.Finding
	for _, pg := range fetched(p.Site) {
		if pg.Error == "" && pg.Status >= 400 {
			fs = append(fs, finding(pg.URL, report.Warning, "HTTP %d%s", pg.Status, redirectNote(pg)))
		}
	}
	return NA("", fs...)
}

func crawlFetchFailed(p *Pass) Result {
	var fs []report.Finding
	for _, pg := range fetched(p.Site) {
		if pg.Error != "" {
			fs = append(fs, finding(pg.URL, report.Warning, "%s%s", pg.Error, redirectNote(pg)))
		}
	}
	return NA("", fs...)
}

func crawlTruncated(p *Pass) Result {
	var fs []report.Finding
	for _, pg := range fetched(p.Site) {
		if pg.Truncated {
			fs = append(fs, finding(pg.URL, report.Info, "body cut at %s", formatBytes(pg.Bytes)))
		}
	}
	return NA("", fs...)
}

func crawlRobots(p *Pass) Result {
	s, r := p.Site, p.Site.Robots
	if r == nil {
		return NA("")
	}
	if (r.Semantics == "parsed" || r.Semantics == "allow-all") && !p.crawlLogs {
		return NA("") // read as expected: a log line
	}
	var f report.Finding
	switch r.Semantics {
	case "parsed":
		groups := 0
		if r.Policy != nil {
			groups = len(r.Policy.Groups)
		}
		delay := ""
		if d, ok := r.Policy.CrawlDelay(s.Token); ok && d > 0 && !r.Ignored && s.Folder == "" {
			delay = fmt.Sprintf("; Crawl-delay %v honoured", d)
		}
		f = finding(r.URL, report.Info, "HTTP %d, %s, %d %s; obeyed for %q%s%s", r.Status, formatBytes(r.Bytes), groups, plural(groups, "group", "groups"), s.Token, delay, ignoredNote(r))
	case "allow-all":
		f = finding(r.URL, report.Info, "%s: no robots.txt, so everything may be crawled", statusOrError(&r.Response))
	default:
		f = finding(r.URL, report.Warning, "%s: robots.txt is unreachable, so RFC 9309 says nothing may be crawled%s", statusOrError(&r.Response), ignoredNote(r))
	}
	return NA("", f)
}

func crawlDisallowed(p *Pass) Result {
	var fs []report.Finding
	for _, pg := range p.Site.Pages {
		if pg.Skipped() == "robots" {
			fs = append(fs, finding(pg.URL, report.Info, "not fetched: robots.txt disallows it for %s (%s)", p.Site.Token, verdictRule(pg)))
		}
	}
	return NA("", fs...)
}

func crawlSitemap(p *Pass) Result {
	var fs []report.Finding
	for _, sm := range p.Site.Sitemaps {
		switch {
		case sm.Error != "" || !sm.OK():
			if sm.From != "default" || sm.Status != 404 {
				fs = append(fs, finding(sm.URL, report.Info, "sitemap (from %s): %s", sm.From, statusOrError(&sm.Response)))
			}
		case softSitemap(p.Site, sm):
			// The host's page for any path, not a broken sitemap: the
			// sitemap and soft-404 checks say so.
		case sm.ParseError != "":
			fs = append(fs, finding(sm.URL, report.Warning, "sitemap (from %s) does not parse: %s", sm.From, sm.ParseError))
		case p.crawlLogs: // read: a log line
			kind := "sitemap"
			if sm.Index {
				kind = "sitemap index"
			}
			trunc := ""
			if sm.Truncated {
				trunc = " (truncated)"
			}
			fs = append(fs, finding(sm.URL, report.Info, "%s (from %s): %s%s%s", kind, sm.From, count(sm.Count, "URL", "URLs"), trunc, lastModSummary(sm.LastMod)))
		}
	}
	return NA("", fs...)
}

func crawlLimit(p *Pass) Result {
	s := p.Site
	if s.Stats.Limit == "" {
		return NA("")
	}
	more := ""
	if s.Stats.Queued > 0 {
		more = fmt.Sprintf("; %d more in-scope URLs were not fetched", s.Stats.Queued)
	}
	if Unread(s) {
		// Nothing was learnt about the site: no failure of it, but the
		// audit did not do its job, which CI must not read as a pass
		// (--fail-on error, the default, fails on it).
		return NA("", finding(crawlOrigin(s), report.Error, "crawl stopped: %s before any page was fetched%s; the site is not scored", s.Stats.Limit, more))
	}
	return NA("", finding(crawlOrigin(s), report.Info, "crawl stopped: %s after %s%s", s.Stats.Limit, count(s.Stats.Pages, "page", "pages"), more))
}

func crawlSiteError(p *Pass) Result {
	s := p.Site
	var fs []report.Finding
	for _, e := range s.Errors {
		fs = append(fs, finding(crawlOrigin(s), report.Error, "%s", e))
	}
	if why := Unreachable(s); why != "" {
		return NA("", append(fs, finding(crawlOrigin(s), report.Error, "unreachable: %s; the site is not audited", why))...)
	}
	ok := slices.ContainsFunc(fetched(s), func(pg *crawl.Page) bool { return pg.Error == "" && pg.Status < 400 })
	switch {
	case ok || len(s.Errors) > 0 || Unread(s):
	case startDisallowed(s) != nil:
		pg := startDisallowed(s)
		fs = append(fs, finding(crawlOrigin(s), report.Error, "%s was not crawled: robots.txt disallows the start page for %s (%s); "+
			"only robots.txt and what it allows were read. On a site you run, audit it with --ignore-robots",
			SiteName(s), s.Token, verdictRule(pg)))
	default:
		fs = append(fs, finding(crawlOrigin(s), report.Error, "no page of %s could be read", SiteName(s)))
	}
	return NA("", fs...)
}

// startDisallowed is the start page when robots.txt disallows it for the
// crawler's token (and --ignore-robots was not given), else nil.
func startDisallowed(s *crawl.Site) *crawl.Page {
	for _, pg := range s.Pages {
		if (pg.Source == "start" || pg.Source == "list") && pg.Skipped() == "robots" {
			return pg
		}
	}
	return nil
}

func ignoredNote(r *crawl.RobotsFile) string {
	if r.Ignored {
		return " (ignored: --ignore-robots)"
	}
	return ""
}

func statusOrError(r *crawl.Response) string {
	if r.Error != "" {
		return r.Error
	}
	return fmt.Sprintf("HTTP %d", r.Status)
}

func verdictRule(p *crawl.Page) string {
	if p.Robots().Line > 0 {
		return fmt.Sprintf("%s, line %d", p.Robots().Rule, p.Robots().Line)
	}
	return p.Robots().Rule
}

func verdictText(p *crawl.Page) string {
	if !p.Robots().Allowed {
		return "disallowed, fetched with --ignore-robots"
	}
	if p.Robots().Rule != "" {
		return "allowed (" + verdictRule(p) + ")"
	}
	return "allowed"
}

func redirectNote(p *crawl.Page) string {
	if len(p.Redirects()) == 0 {
		return ""
	}
	return fmt.Sprintf(" (after %d %s, to %s)", len(p.Redirects()), plural(len(p.Redirects()), "redirect", "redirects"), p.FinalURL)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func ms(d time.Duration) string {
	switch {
	case d <= 0:
		return "0ms"
	case d < time.Millisecond:
		return "<1ms"
	}
	return d.Round(time.Millisecond).String()
}

func formatBytes(n int64) string { return crawl.FormatBytes(n) }

// lastModSummary is what a sitemap's <lastmod> values say, for its
// crawl-sitemap line ("" for a sitemap with no entries).
func lastModSummary(l sitemap.LastMod) string {
	if l.Entries == 0 {
		return ""
	}
	s := fmt.Sprintf("; <lastmod> on %d of %s", l.With, count(l.Entries, "entry", "entries"))
	if !l.Latest.IsZero() {
		s += ", latest " + l.Latest.UTC().Format("2006-01-02")
	}
	if l.Invalid > 0 {
		s += fmt.Sprintf(", %d not W3C datetimes", l.Invalid)
	}
	if l.Future > 0 {
		s += fmt.Sprintf(", %d in the future", l.Future)
	}
	return s
}

// count is n with its noun: "1 page", "3 pages".
func count(n int, one, many string) string { return fmt.Sprintf("%d %s", n, plural(n, one, many)) }

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
