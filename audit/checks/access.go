package checks

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/agentready/agentready/audit/botwall"
	"github.com/agentready/agentready/audit/crawl"
	"github.com/agentready/agentready/audit/data"
	"github.com/agentready/agentready/audit/robots"
	"github.com/agentready/agentready/report"
)

// ParityAgents are the AI user agents each start page is fetched as, to
// compare with what a browser gets. The User-Agent strings are the ones the
// operators document.
var ParityAgents = []struct{ Token, UserAgent string }{
	{"GPTBot", "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko); compatible; GPTBot/1.2; +https://openai.com/gptbot"},
	{"ChatGPT-User", "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko); compatible; ChatGPT-User/1.0; +https://openai.com/bot"},
	{"ClaudeBot", "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; ClaudeBot/1.0; +claudebot@anthropic.com)"},
	{"Claude-User", "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; Claude-User/1.0; +Claude-User@anthropic.com)"},
	{"PerplexityBot", "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; PerplexityBot/1.0; +https://perplexity.ai/perplexitybot)"},
}

// BrowserUserAgent is the browser the AI agents are compared with.
const BrowserUserAgent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"

func init() {
	register(
		&Check{ID: "start-page-reachable", Title: "The start page answers 2xx with content", FailTitle: "The start page is not reachable",
			Category: Access, Weight: 5, Severity: report.Error, Needs: []string{"pages"}, Since: "0.1.0", Run: checkStartPage},
		&Check{ID: "bot-wall", Title: "Pages are served without a bot wall", FailTitle: "A CAPTCHA or challenge is served instead of content", PartTitle: "A CAPTCHA or challenge is served instead of content on some pages",
			Category: Access, Weight: 5, Severity: report.Error, Needs: []string{"pages"}, Since: "0.1.0", Run: checkBotWall},
		&Check{ID: "user-agent-parity", Title: "AI agents get the same page as a browser", FailTitle: "AI agents get a different page than a browser",
			Category: Access, Weight: 3, Severity: report.Warning, Needs: []string{"variant:ua-*"}, Since: "0.1.0", HostOnly: true, Run: checkUAParity},
		&Check{ID: "login-wall", Title: "The start page is readable without logging in", FailTitle: "The start page requires a login",
			Category: Access, Weight: 2, Severity: report.Error, Needs: []string{"pages"}, Since: "0.1.0", Run: checkLoginWall},
		&Check{ID: "ai-crawler-access", Title: "AI assistants and agents may fetch the site", FailTitle: "robots.txt blocks AI assistants or agents",
			Category: Access, Weight: 4, Severity: report.Warning, Needs: []string{"robots"}, Since: "0.1.0", Run: checkAIAccess,
			Equivalents: []Equivalent{{Tool: "Cloudflare", ID: "robotsTxtAiRules"}}},
		&Check{ID: "robots-txt-valid", Title: "robots.txt is valid", FailTitle: "robots.txt is missing or has problems",
			Category: Access, Weight: 3, Severity: report.Warning, Needs: []string{"robots", needProbe}, Since: "0.1.0", Run: checkRobotsValid,
			Equivalents: []Equivalent{{Tool: "Cloudflare", ID: "robotsTxt"}}},
		&Check{ID: "indexable", Title: "Pages are not marked noindex", FailTitle: "Pages are marked noindex", PartTitle: "Some pages are marked noindex",
			Category: Access, Weight: 2, Severity: report.Warning, Needs: []string{"pages"}, Since: "0.1.0", Run: checkIndexable},
		&Check{ID: "rate-limit-signals", Title: "Rate limits say when to retry", FailTitle: "Rate-limited responses do not say when to retry", PartTitle: "Some rate-limited responses do not say when to retry",
			Category: Access, Weight: 1, Severity: report.Warning, Needs: []string{"pages"}, Since: "0.1.0", Run: checkRateLimit},
	)
}

// startPage picks the page the crawl started from.
func startPage(s *crawl.Site) *crawl.Page {
	for _, p := range s.Pages {
		if p.Skipped() == "" && (p.Source == "start" || p.Source == "list") {
			return p
		}
	}
	for _, p := range s.Pages {
		if p.Skipped() == "" {
			return p
		}
	}
	return nil
}

func checkStartPage(p *Pass) Result {
	s := p.Start
	if s == nil && stoppedBeforeStart(p.Site) {
		return NA("the run ended before the start page was fetched")
	}
	if s == nil && slices.ContainsFunc(p.Site.Pages, func(pg *crawl.Page) bool {
		return (pg.Source == "start" || pg.Source == "list") && pg.Skipped() == "robots"
	}) {
		// Not asked for, so nothing is known of its answer; crawl-site-error
		// says why, and ai-crawler-access scores what robots.txt allows.
		return NA("robots.txt disallows the start page for agentready: not fetched")
	}
	if s == nil {
		return Score(0, "nothing was fetched", finding(p.Site.Target, report.Error, "no page was fetched from %s", p.Site.Origin))
	}
	u := s.FinalURL
	if u == "" {
		u = s.URL
	}
	switch {
	case s.Error != "":
		return Score(0, "fetch failed", finding(s.URL, report.Error, "the start page could not be fetched: %s", s.Error))
	case !s.OK():
		return Score(0, fmt.Sprintf("status %d", s.Status), finding(u, report.Error, "the start page answers %d", s.Status))
	}
	if f := FactsOf(s); f != nil && f.Soft404 {
		return Score(0, "soft 404", finding(u, report.Error, "the start page answers %d but says it was not found (title %q): a soft 404", s.Status, f.Title))
	}
	return Score(1, fmt.Sprintf("status %d", s.Status))
}

// stoppedBeforeStart reports whether the end of the run (cancellation,
// max-duration) cut the fetch of a start page: its absence is no
// evidence about the site.
func stoppedBeforeStart(s *crawl.Site) bool {
	for _, p := range s.Pages {
		if (p.Source == "start" || p.Source == "list") && (p.Skipped() == "cancelled" || p.Skipped() == "max-duration") {
			return true
		}
	}
	return false
}

func checkBotWall(p *Pass) Result {
	var fs []report.Finding
	pass, total := 0, 0
	for _, pg := range p.Pages() {
		f := p.facts(pg)
		if f == nil {
			continue
		}
		total++
		u := pageURL(pg)
		switch {
		case f.Wall.Wall:
			fs = append(fs, finding(u, report.Error, "%s %s served instead of content (status %d; markers: %s)",
				f.Wall.Vendor, f.Wall.Kind, pg.Status, strings.Join(f.Wall.Matches, ", ")))
			continue
		case f.Wall.Widget:
			fs = append(fs, finding(u, report.Info, "%s CAPTCHA widget on a form of a readable page: agents can read the page but not submit the form", f.Wall.Vendor))
		}
		pass++
	}
	r := share(pass, total, "page", "pages")
	r.Findings = fs
	return r
}

// StartWall reports whether the start page is behind a bot wall or a login
// wall; the overall score is capped when it is.
func StartWall(p *Pass) (string, bool) {
	if p.Start == nil {
		return "", false
	}
	if f := FactsOf(p.Start); f != nil && f.Wall.Wall {
		return f.Wall.Vendor + " bot wall", true
	}
	if why := loginWall(p.Start); why != "" {
		return "login wall", true
	}
	return "", false
}

var loginPathRE = regexp.MustCompile(`(?i)/(log-?in|sign-?in|signon|auth|sso|account/login|users/sign_in|session/new)(/|\.|$|\?)`)

// loginWall says why a page looks like a login wall, or "". A bot wall
// (Anubis answers 401) is no login wall: the bot-wall check reports it.
func loginWall(pg *crawl.Page) string {
	if f := FactsOf(pg); f != nil && f.Wall.Wall {
		return ""
	}
	if pg.Status == 401 || pg.Status == 407 {
		return fmt.Sprintf("status %d", pg.Status)
	}
	if pg.FinalURL != "" && pg.FinalURL != pg.URL {
		if u, err := url.Parse(pg.FinalURL); err == nil && loginPathRE.MatchString(u.Path) {
			return "redirected to " + pg.FinalURL
		}
	}
	if f := FactsOf(pg); f != nil && f.HTML && f.PasswordInputs > 0 && f.Words < 150 {
		return "the page is a login form"
	}
	return ""
}

func checkLoginWall(p *Pass) Result {
	if p.Start == nil {
		return NA("nothing was fetched")
	}
	if why := loginWall(p.Start); why != "" {
		return Score(0, why, finding(pageURL(p.Start), report.Error, "the start page requires a login (%s): agents cannot read it", why))
	}
	return Score(1, "no login wall")
}

// checkUAParity compares what AI agents and a browser get for the start
// page and the pages sampled for parity (see paritySample, one of each
// top-level section): each page fetched as an agent that robots.txt lets
// in is one comparison.
func checkUAParity(p *Pass) Result {
	var pages []*crawl.Page
	if p.Start != nil && p.Start.Variants() != nil {
		pages = append(pages, p.Start)
	}
	for _, pg := range p.Pages() {
		if pg != p.Start && pg.Variant("ua-browser") != nil {
			pages = append(pages, pg)
		}
	}
	if len(pages) == 0 {
		return NA("no user-agent variants were fetched")
	}
	var fs []report.Finding
	// An agent passes when it gets what a browser gets on every page it
	// may fetch: blocking it on one page is enough to fail it.
	fetched, failed := map[string]bool{}, map[string]bool{}
	compared := map[string]bool{} // sections
	for _, pg := range pages {
		base := pg.Variant("ua-browser")
		if base == nil || base.Error != "" {
			base = &pg.Response
		}
		u := pageURL(pg)
		sec := sectionOf(p.Site.Origin, u)
		compared[sec] = true
		where := ""
		if pg != p.Start {
			where = " (section " + sec + ")"
		}
		for _, a := range ParityAgents {
			v := pg.Variant("ua-" + a.Token)
			if v == nil {
				continue
			}
			// An agent that robots.txt keeps out is not expected to get the
			// page; the access matrix reports that.
			if !p.Site.Allowed(a.Token, pageURL(pg)) {
				continue
			}
			fetched[a.Token] = true
			var msg string
			switch {
			case v.Error != "":
				msg = fmt.Sprintf("as %s the fetch failed (%s) while a browser got %d", a.Token, v.Error, base.Status)
			case statusClass(v.Status) != statusClass(base.Status):
				msg = fmt.Sprintf("as %s the page answers %d, as a browser %d", a.Token, v.Status, base.Status)
			case comparable(base, v) != "":
				msg = fmt.Sprintf("as %s the page differs from a browser's: %s", a.Token, comparable(base, v))
			default:
				continue
			}
			failed[a.Token] = true
			fs = append(fs, finding(u, report.Warning, "%s%s", msg, where))
		}
	}
	over := " (over " + count(len(pages), "page", "pages") + ")"
	r := share(len(fetched)-len(failed), len(fetched), "AI user agent"+over, "AI user agents"+over)
	// The sections --parity-pages left out are not known to be fine.
	var left []string
	for _, pg := range sampledPages(p.Site, len(p.Site.Pages)+1, false) {
		if sec := sectionOf(p.Site.Origin, pageURL(pg)); !compared[sec] {
			compared[sec] = true
			left = append(left, sec)
		}
	}
	if len(left) > 0 {
		slices.Sort(left)
		fs = append(fs, finding(p.Site.Origin, report.Info, "%d top-level %s not compared as AI agents (a larger --parity-pages compares them): %s",
			len(left), plural(len(left), "section was", "sections were"), list(left, 8)))
	}
	r.Findings = fs
	return r
}

func statusClass(s int) int { return s / 100 }

// comparable says how two responses of the same URL differ materially, or
// "" when they are comparable: a bot wall in one, or a body less than half
// the size of the other.
func comparable(a, b *crawl.Response) string {
	wa := wallOf(a)
	wb := wallOf(b)
	if wb != "" && wa == "" {
		return wb
	}
	if a.Bytes > 2048 && b.Bytes*2 < a.Bytes {
		return fmt.Sprintf("%d bytes instead of %d", b.Bytes, a.Bytes)
	}
	return ""
}

// wallOf is the bot-wall verdict of a response: the one summarizeWall
// kept at fetch time for a parity fetch, else the body's.
func wallOf(r *crawl.Response) string {
	if w, ok := r.Summary().(wallSummary); ok {
		return string(w)
	}
	return wallVerdict(r)
}

// wallSummary is what a parity fetch keeps of its body: the bot-wall
// verdict (wallOf), empty when there is none. The parity check reads
// nothing else of the body (its byte count stays in Response.Bytes), so
// the crawl need not keep ten or more full bodies until the checks run.
type wallSummary string

// summarizeWall is the Summarize function of the user-agent fetches.
func summarizeWall(r *crawl.Response) any { return wallSummary(wallVerdict(r)) }

// dropBody is the Summarize function of fetches whose body no check reads
// (the Markdown variant, conditional requests): their status, headers and
// byte count are all the checks look at.
func dropBody(*crawl.Response) any { return nil }

func wallVerdict(r *crawl.Response) string {
	if r.Body == nil {
		return ""
	}
	// The bot-wall verdict alone: all of Facts (a parse and every
	// extractor) for each of the parity fetches cost more than the rest of
	// the check.
	if v := botwall.Detect(r.Status, r.Header, r.Body); v.Wall {
		return v.Vendor + " " + v.Kind.String() + " page"
	}
	return ""
}

// AccessRow is one row of the AI crawler access matrix.
type AccessRow struct {
	Token    string        `json:"token"`
	Operator string        `json:"operator,omitempty"`
	Function data.Function `json:"function"`
	Allowed  bool          `json:"allowed"`
	// Group is the robots.txt group that decided ("*" or a token).
	Group string `json:"group,omitempty"`
	Rule  string `json:"rule,omitempty"`
	Line  int    `json:"line,omitempty"`
}

// AccessMatrix answers, for every AI crawler token of ai.robots.txt, whether
// robots.txt lets it fetch the start page.
func AccessMatrix(s *crawl.Site, start string) []AccessRow {
	rows := make([]AccessRow, 0, len(data.AICrawlers))
	for _, c := range data.AICrawlers {
		row := AccessRow{Token: c.Token, Operator: c.Operator, Function: c.Function, Allowed: true}
		if s.Robots != nil && s.Robots.Policy != nil {
			v := s.Robots.Policy.Check(robots.ProductToken(c.Token), start)
			row.Allowed, row.Group, row.Rule, row.Line = v.Allowed, v.Group, v.Rule, v.Line
		}
		rows = append(rows, row)
	}
	return rows
}

// accessURL is the URL the AI crawler access matrix is read for: the start
// page, or the start URL when robots.txt kept agentready's own token from
// fetching it (the matrix needs only robots.txt, and a site that lets in
// only named crawlers is the case it matters most for); "" when neither.
func accessURL(p *Pass) string {
	if p.Start != nil {
		return p.Start.URL
	}
	if p.Site.Robots == nil {
		return ""
	}
	for _, pg := range p.Site.Pages {
		if (pg.Source == "start" || pg.Source == "list") && pg.Skipped() == "robots" {
			return pg.URL
		}
	}
	return ""
}

func checkAIAccess(p *Pass) Result {
	start := accessURL(p)
	if start == "" {
		return NA("nothing was fetched")
	}
	rows := AccessMatrix(p.Site, start)
	type tally struct{ allowed, total int }
	t := map[data.Function]*tally{}
	var blocked = map[data.Function][]string{}
	for _, r := range rows {
		if t[r.Function] == nil {
			t[r.Function] = &tally{}
		}
		t[r.Function].total++
		if r.Allowed {
			t[r.Function].allowed++
		} else {
			blocked[r.Function] = append(blocked[r.Function], r.Token)
		}
	}
	robotsURL := p.Site.Origin + "/robots.txt"
	fs := []report.Finding{finding(robotsURL, report.Info, "declared AI policy: %s", PolicyLine(p))}
	for _, fn := range []data.Function{data.Assistant, data.Agent, data.Search} {
		if b := blocked[fn]; len(b) > 0 {
			sev := report.Warning
			if fn == data.Search {
				sev = report.Info
			}
			fs = append(fs, finding(robotsURL, sev, "robots.txt blocks %d of %d %s user agents from the start page: %s", len(b), t[fn].total, fn, list(b, 8)))
		}
	}
	if b := blocked[data.Training]; len(b) > 0 {
		fs = append(fs, finding(robotsURL, report.Info, "training opt-out: robots.txt blocks %d of %d AI training crawlers (%s); reported, not penalised", len(b), t[data.Training].total, list(b, 6)))
	}
	// User-initiated fetchers (assistants and agents) count twice as much
	// as search crawlers; training crawlers do not count.
	score, weights := 0.0, 0.0
	for fn, w := range map[data.Function]float64{data.Assistant: 2, data.Agent: 2, data.Search: 1} {
		if tt := t[fn]; tt != nil && tt.total > 0 {
			score += w * float64(tt.allowed) / float64(tt.total)
			weights += w
		}
	}
	if weights == 0 {
		return NA("no AI crawler tokens", fs...)
	}
	detail := fmt.Sprintf("%d/%d assistants, %d/%d agents, %d/%d search crawlers allowed", cnt(t[data.Assistant]).allowed, cnt(t[data.Assistant]).total,
		cnt(t[data.Agent]).allowed, cnt(t[data.Agent]).total, cnt(t[data.Search]).allowed, cnt(t[data.Search]).total)
	return Score(score/weights, detail, fs...)
}

func cnt[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func list(s []string, n int) string {
	if len(s) <= n {
		return strings.Join(s, ", ")
	}
	return strings.Join(s[:n], ", ") + fmt.Sprintf(" and %d more", len(s)-n)
}

func checkRobotsValid(p *Pass) Result {
	r := p.Site.Robots
	if r == nil {
		return NA("robots.txt was not fetched")
	}
	u := r.URL
	if u == "" {
		u = p.Site.Origin + "/robots.txt"
	}
	var fs []report.Finding
	problems := 0
	switch {
	case r.Error != "" || r.Status >= 500 || r.Status == 429:
		why := r.Error
		if why == "" {
			why = fmt.Sprintf("status %d", r.Status)
		}
		return Score(0, "unreachable", finding(u, report.Error, "robots.txt is unreachable (%s): crawlers must then assume the whole site is disallowed (RFC 9309 2.3.1.4)", why))
	case r.Status == 404 || r.Status == 410:
		return NA(notScored("missing"), finding(u, report.Info, "no robots.txt (%d): every crawler may fetch everything, and there is nowhere to list sitemaps or AI preferences", r.Status))
	case softRobots(p.Site):
		return NA(notScored("missing"), finding(u, report.Info, "no robots.txt (%s): every crawler may fetch everything, and there is nowhere to list sitemaps or AI preferences", softAbsentError(r.Status)))
	case r.Status >= 400:
		fs = append(fs, finding(u, report.Warning, "robots.txt answers %d: crawlers treat that as \"allow all\"", r.Status))
		problems++
	}
	if r.ContentType != "" && r.ContentType != "text/plain" {
		fs = append(fs, finding(u, report.Warning, "robots.txt is served as %s, not text/plain", r.ContentType))
		problems++
	}
	pol := r.Policy
	if r.Semantics == "parsed" && pol != nil {
		if pol.Truncated {
			fs = append(fs, finding(u, report.Error, "robots.txt is larger than %d bytes: the rest is ignored by crawlers", robots.MaxSize))
			problems++
		}
		if len(r.Raw) > 0 && looksHTML(r.Raw) {
			fs = append(fs, finding(u, report.Error, "robots.txt is an HTML page: a soft 404 or a misconfigured server"))
			problems++
		} else if unknown, first := unknownLines(pol); unknown > 0 {
			fs = append(fs, report.Finding{Severity: report.Warning, Message: fmt.Sprintf("%s no directive a crawler understands", count(unknown, "line has", "lines have")), Location: report.Location{URL: u, Line: first}})
			problems++
		}
		for _, rec := range pol.Records {
			if strings.EqualFold(rec.Key, "sitemap") {
				if su, err := url.Parse(rec.Value); err != nil || !su.IsAbs() {
					fs = append(fs, report.Finding{Severity: report.Warning, Message: fmt.Sprintf("Sitemap %q is not an absolute URL", rec.Value), Location: report.Location{URL: u, Line: rec.Line}})
					problems++
				}
			}
		}
		for _, rec := range pol.Records {
			if rec.Group < 0 && (strings.EqualFold(rec.Key, "crawl-delay")) {
				fs = append(fs, report.Finding{Severity: report.Info, Message: "Crawl-delay before any user-agent line applies to no group", Location: report.Location{URL: u, Line: rec.Line}})
			}
		}
	}
	return Score(1-min(1, float64(problems)/3), count(problems, "problem", "problems"), fs...)
}

// noindex reports the directives that keep a page out of indexes.
func noindex(pg *crawl.Page, f *PageFacts) []string {
	var out []string
	for _, m := range f.RobotsMeta {
		_, v, _ := strings.Cut(m, ": ")
		for _, d := range strings.Split(v, ",") {
			if d = strings.TrimSpace(d); d == "noindex" || d == "none" {
				out = append(out, "meta "+m)
			}
		}
	}
	for _, h := range pg.Header.Values("X-Robots-Tag") {
		l := strings.ToLower(h)
		if strings.Contains(l, "noindex") || regexp.MustCompile(`(^|[\s,:])none\b`).MatchString(l) {
			out = append(out, "X-Robots-Tag: "+h)
		}
	}
	return out
}

func checkIndexable(p *Pass) Result {
	var fs []report.Finding
	pages := p.HTMLPages()
	pass := 0
	for _, pg := range pages {
		if d := noindex(pg, p.facts(pg)); len(d) > 0 {
			fs = append(fs, finding(pageURL(pg), report.Warning, "the page is kept out of search and AI answer indexes by %s", strings.Join(d, "; ")))
			continue
		}
		pass++
	}
	r := share(pass, len(pages), "page", "pages")
	r.Findings = fs
	return r
}

func checkRateLimit(p *Pass) Result {
	var fs []report.Finding
	total, pass := 0, 0
	seen := map[int]bool{}
	for _, pg := range p.Pages() {
		switch pg.Status {
		case 402:
			if !seen[402] {
				fs = append(fs, finding(pageURL(pg), report.Info, "402 Payment Required: the site charges crawlers per request (pay per crawl)%s", headerNote(pg, "Crawler-Price")))
				seen[402] = true
			}
		case 429, 503:
			total++
			if pg.Header.Get("Retry-After") != "" || pg.Header.Get("RateLimit") != "" || pg.Header.Get("RateLimit-Reset") != "" || pg.Header.Get("RateLimit-Policy") != "" {
				pass++
				continue
			}
			fs = append(fs, finding(pageURL(pg), report.Warning, "%d without Retry-After or RateLimit headers: clients cannot tell when to come back", pg.Status))
		}
	}
	if total == 0 {
		return NA("no 429 or 503 responses", fs...)
	}
	r := share(pass, total, "rate-limited response", "rate-limited responses")
	r.Findings = append(fs, r.Findings...)
	return r
}

func headerNote(pg *crawl.Page, h string) string {
	if v := pg.Header.Get(h); v != "" {
		return " (" + h + ": " + v + ")"
	}
	return ""
}

func pageURL(pg *crawl.Page) string {
	if pg.FinalURL != "" {
		return pg.FinalURL
	}
	return pg.URL
}

// knownExtensions are robots.txt keys outside RFC 9309 that crawlers or
// standards use; they are not errors.
var knownExtensions = map[string]bool{"crawl-delay": true, "host": true, "content-signal": true, "content-usage": true,
	"clean-param": true, "request-rate": true, "visit-time": true}

// unknownLines counts the lines of a robots.txt that no crawler reads, and
// the first one's line.
func unknownLines(pol *robots.Robots) (int, int) {
	known := 0
	first := 0
	for _, rec := range pol.Records {
		k := strings.ToLower(rec.Key)
		if k == "sitemap" || k == "site-map" {
			continue // a Sitemap line is a directive, not counted as unknown
		}
		if knownExtensions[k] {
			known++
		} else if first == 0 {
			first = rec.Line
		}
	}
	return max(0, pol.Unknown-known), first
}

// functionLabels name the functions in the access matrix of reports.
var functionLabels = map[data.Function]string{
	data.Training:  "training",
	data.Search:    "search",
	data.Assistant: "user-initiated assistant",
	data.Agent:     "agent",
}

// AccessSection is the AI crawler access matrix of a site result in the
// compact form the text and markdown reports show: one row per function
// (training, search, user-initiated assistant, agent) with the allowed
// count and the blocked tokens. name names the site in the title (its
// origin, or the folder a folder target served). ok is false when the site
// has no matrix.
func AccessSection(r *SiteResult, name string) (report.Section, bool) {
	if r == nil || len(r.Access) == 0 {
		return report.Section{}, false
	}
	sec := report.Section{Title: "AI crawler access per robots.txt: " + name, Columns: [3]string{"Function", "Allowed", "Blocked"}}
	for _, fn := range data.Functions {
		total := 0
		var blocked []string
		for _, row := range r.Access {
			if row.Function != fn {
				continue
			}
			total++
			if !row.Allowed {
				blocked = append(blocked, row.Token)
			}
		}
		if total == 0 {
			continue
		}
		row := report.SectionRow{Label: functionLabels[fn], Value: fmt.Sprintf("%d/%d allowed", total-len(blocked), total)}
		if len(blocked) > 0 {
			row.Detail = "blocked: " + list(blocked, 8)
		}
		switch {
		case fn == data.Training:
			// A training opt-out is the owner's choice: not coloured as a
			// problem.
		case len(blocked) == 0:
			row.Level = "good"
		case len(blocked) == total:
			row.Level = "poor"
		default:
			row.Level = "average"
		}
		sec.Rows = append(sec.Rows, row)
	}
	if r.Policy != "" {
		sec.Rows = append(sec.Rows, report.SectionRow{Label: "declared policy", Detail: r.Policy})
	}
	return sec, true
}
