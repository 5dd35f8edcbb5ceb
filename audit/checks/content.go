package checks

import (
	"bytes"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/agentready/agentready/audit/crawl"
	"github.com/agentready/agentready/audit/extract"
	"github.com/agentready/agentready/report"
)

// Thresholds of the content checks.
const (
	// minWords is the visible text below which a page is a JavaScript shell
	// (unless it is a short page by design: it then still passes when it is
	// not a shell by markup).
	minWords = 50
	// maxPageBytes is the HTML size above which a page is heavy for an
	// agent's context window (Lighthouse flags 5 MB of total weight; an
	// agent reads the HTML only).
	maxPageBytes = 512 << 10
)

func init() {
	register(
		&Check{ID: "server-rendered", Title: "Main text is in the HTML", FailTitle: "Pages are JavaScript shells", PartTitle: "Some pages are JavaScript shells",
			Category: Content, Weight: 5, Severity: report.Error, Needs: []string{"pages"}, Since: "0.1.0", Run: checkServerRendered},
		&Check{ID: "markdown-negotiation", Title: "Accept: text/markdown gets Markdown", FailTitle: "Accept: text/markdown is not answered with Markdown", PartTitle: "Markdown is negotiated without Vary: Accept",
			Category: Content, Weight: 3, Severity: report.Info, Needs: []string{"variant:markdown"}, Since: "0.1.0", HostOnly: true, Run: checkMarkdown,
			Equivalents: []Equivalent{{Tool: "Cloudflare", ID: "markdownNegotiation"}}},
		&Check{ID: "llms-txt", Title: "/llms.txt is valid", FailTitle: "/llms.txt is missing or invalid", PartTitle: "/llms.txt has problems",
			Category: Content, Weight: 4, Severity: report.Warning, Needs: []string{"extra:llms-txt", "extra:llms-link:*", "pages", needProbe}, Since: "0.1.0", Run: checkLLMsTxt,
			Equivalents: []Equivalent{{Tool: "Lighthouse", ID: "llms-txt"}}},
		&Check{ID: "markdown-mirrors", Title: "Pages link a Markdown version", FailTitle: "Pages have no Markdown version", PartTitle: "Some pages have no Markdown version",
			Category: Content, Weight: 1, Severity: report.Hint, Needs: []string{"pages"}, Since: "0.1.0", Run: checkMarkdownMirrors},
		&Check{ID: "page-weight", Title: "Pages fit an agent's context window", FailTitle: "Pages are heavy for an agent's context window", PartTitle: "Some pages are heavy for an agent's context window",
			Category: Content, Weight: 2, Severity: report.Warning, Needs: []string{"pages"}, Since: "0.1.0", Run: checkPageWeight},
		&Check{ID: "semantic-html", Title: "Pages use semantic HTML", FailTitle: "Pages lack semantic HTML", PartTitle: "Pages lack some semantic HTML",
			Category: Content, Weight: 4, Severity: report.Warning, Needs: []string{"pages"}, Since: "0.1.0", Run: checkSemanticHTML},
		&Check{ID: "title-description", Title: "Pages have a title and a meta description", FailTitle: "Pages lack a title or meta description", PartTitle: "Some pages lack a title or meta description",
			Category: Content, Weight: 3, Severity: report.Warning, Needs: []string{"pages"}, Since: "0.1.0", Run: checkTitleDescription},
		&Check{ID: "canonical-hreflang", Title: "Canonical and hreflang links are valid", FailTitle: "Canonical or hreflang links are invalid", PartTitle: "Some canonical or hreflang links are invalid",
			Category: Content, Weight: 2, Severity: report.Warning, Needs: []string{"pages"}, Since: "0.1.0", Run: checkCanonical},
	)
}

func checkServerRendered(p *Pass) Result {
	var fs []report.Finding
	pages := p.HTMLPages()
	pass := 0
	for _, pg := range pages {
		f := p.facts(pg)
		if f.Wall.Wall {
			continue // the bot-wall check reports it
		}
		var why []string
		if m, measured := measuredShell(pg); measured {
			// Rendered: the share only JavaScript provides is measured,
			// not inferred from the markup.
			if m != "" {
				why = append(why, m)
			}
		} else {
			why = inferredShell(f)
		}
		if len(why) > 0 {
			fs = append(fs, finding(pageURL(pg), report.Error, "the main text is not in the HTML (%s): agents that do not run JavaScript see an empty page", strings.Join(why, "; ")))
			continue
		}
		pass++
	}
	r := share(pass, len(pages), "HTML page", "HTML pages")
	r.Findings = fs
	return r
}

// inferredShell is why the markup of a page that was not rendered says it
// is a shell: an empty application root is one unless the page has real
// text elsewhere; a <noscript> notice or a big page with no text only
// count on a page with almost no text (SSR pages keep both).
func inferredShell(f *PageFacts) []string {
	var why []string
	if f.ShellRoot && f.Words < 4*minWords {
		why = append(why, "an empty application root (#root, #__next, #app)")
	}
	if f.NoscriptJS && f.Words < minWords {
		why = append(why, "a <noscript> that asks to enable JavaScript")
	}
	if f.Words < minWords && f.HTMLBytes > 50<<10 {
		why = append(why, fmt.Sprintf("only %d words of text in %d KiB of HTML", f.Words, f.HTMLBytes>>10))
	}
	return why
}

func checkMarkdown(p *Pass) Result {
	if p.Start == nil || p.Start.Variant("markdown") == nil {
		return NA("the Markdown variant was not fetched")
	}
	v := p.Start.Variant("markdown")
	u := pageURL(p.Start)
	if v.Error != "" || !v.OK() {
		return NA(notScored("failed"), finding(u, report.Info, "with Accept: text/markdown the page answers %d %s", v.Status, v.Error))
	}
	if v.ContentType != "text/markdown" && v.ContentType != "text/x-markdown" {
		return NA(notScored("not negotiated"), finding(u, report.Info, "with Accept: text/markdown the page is served as %s: agents must convert HTML themselves", orNone(v.ContentType)))
	}
	if !varyAccept(v.Header.Values("Vary")) {
		return Score(0.5, "no Vary: Accept", finding(u, report.Warning, "Markdown is negotiated but the response lacks Vary: Accept, so caches may serve Markdown to browsers"))
	}
	return Score(1, "text/markdown with Vary: Accept")
}

func varyAccept(vs []string) bool {
	for _, v := range vs {
		for _, f := range strings.Split(v, ",") {
			if f = strings.TrimSpace(f); strings.EqualFold(f, "accept") || f == "*" {
				return true
			}
		}
	}
	return false
}

func orNone(s string) string {
	if s == "" {
		return "no content type"
	}
	return s
}

func checkLLMsTxt(p *Pass) Result {
	e := p.Extra("llms-txt")
	if e == nil {
		return NA("/llms.txt was not fetched")
	}
	u := p.Site.Origin + "/llms.txt"
	if e.Error != "" || !e.OK() {
		return Score(0, "missing", finding(u, report.Warning, "no /llms.txt (%s): agents have no curated map of the site", statusOrErr(e)))
	}
	l := extract.ParseLLMsTxt(e.Body)
	var fs []report.Finding
	bad := 0
	for _, pr := range l.Problems {
		fs = append(fs, report.Finding{Severity: report.Warning, Message: pr.Msg, Location: report.Location{URL: u, Line: pr.Line}})
		bad++
	}
	if ct := e.ContentType; ct != "" && ct != "text/plain" && ct != "text/markdown" {
		fs = append(fs, finding(u, report.Info, "/llms.txt is served as %s; text/markdown or text/plain is expected", ct))
	}
	// Links must resolve: those the crawl fetched by their page, the
	// others (within the bounds of llmsLinkFollowUps) by a request after
	// the crawl.
	broken, unchecked := 0, 0
	for _, ln := range llmsLinks(p.Site) {
		if ln.URL == "" {
			fs = append(fs, report.Finding{Severity: report.Warning, Message: "a link's target is not a URL", Location: report.Location{URL: u, Line: ln.Line}})
			broken++
			continue
		}
		r := p.Extra(llmsLinkName(ln.URL))
		if pg := p.Site.Page(ln.URL); pg != nil && pg.Skipped() == "" {
			r = &pg.Response
		}
		switch {
		case r == nil || r.Error == crawl.ErrFollowLimit:
			unchecked++
		case strings.HasPrefix(r.Error, "disallowed by robots.txt"):
			// Not ours to fetch; agents that obey robots.txt cannot either.
			fs = append(fs, report.Finding{Severity: report.Info, Message: fmt.Sprintf("link %s is disallowed by robots.txt for the crawler: agents that obey it cannot follow the link", ln.URL), Location: report.Location{URL: u, Line: ln.Line}})
		case r.Error != "" || r.Status >= 400 || r.Status == 0:
			fs = append(fs, report.Finding{Severity: report.Warning, Message: fmt.Sprintf("link %s answers %s", ln.URL, statusOrErr(r)), Location: report.Location{URL: u, Line: ln.Line}})
			broken++
		}
	}
	if l.Title == "" {
		return Score(0, "no H1", fs...)
	}
	// Lighthouse's llms-txt audit (core/audits/agentic/llms-txt.js) fails
	// a file without an H1, without a Markdown link or shorter than 50
	// characters (a leading BOM not counted). It does not look for the
	// blockquote summary, which the parser reports as llmstxt.org's
	// format has it. A file without sections is reported by the parser.
	if len(l.Sections) > 0 && !mdLink.Match(e.Body) {
		fs = append(fs, finding(u, report.Warning, "/llms.txt links nothing: add \"- [title](url): notes\" lines under H2 sections (Lighthouse's llms-txt audit fails a file without a Markdown link)"))
		bad++
	}
	if n := utf8.RuneCount(bytes.TrimPrefix(e.Body, []byte("\uFEFF"))); n < 50 {
		fs = append(fs, finding(u, report.Warning, "/llms.txt is %d characters long: describe the site and link its key pages (Lighthouse's llms-txt audit fails a file under 50 characters)", n))
		bad++
	}
	score := 1 - min(0.5, 0.1*float64(bad)) - min(0.5, 0.1*float64(broken))
	detail := fmt.Sprintf("%s, %s, %s", count(len(l.Sections), "section", "sections"), count(len(l.Links()), "link", "links"), count(bad+broken, "problem", "problems"))
	if unchecked > 0 {
		detail += fmt.Sprintf(", %s not checked (over %d on the site or %d on other hosts, or on another host of a folder)", count(unchecked, "link", "links"), maxLLMsLinks, maxLLMsOtherLinks)
	}
	return Score(score, detail, fs...)
}

// mdLink is Lighthouse's test for a Markdown link in llms.txt.
var mdLink = regexp.MustCompile(`\[.+\]\(.+\)`)

func statusOrErr(r *crawl.Response) string {
	if r.Error != "" {
		return r.Error
	}
	return fmt.Sprintf("status %d", r.Status)
}

func checkMarkdownMirrors(p *Pass) Result {
	pages := p.HTMLPages()
	pass := 0
	var fs pageFindings
	for _, pg := range pages {
		if p.facts(pg).MarkdownAlt != "" {
			pass++
			continue
		}
		fs.add(pageURL(pg), report.Hint, "the page links no Markdown version (<link rel=\"alternate\" type=\"text/markdown\" href=\"….md\">)")
	}
	r := share(pass, len(pages), "HTML page", "HTML pages")
	r.Findings = p.sitewide(fs, pass, len(pages), report.Hint, "no page links a Markdown version (<link rel=\"alternate\" type=\"text/markdown\" href=\"….md\">)")
	return r
}

func checkPageWeight(p *Pass) Result {
	var fs []report.Finding
	pages := p.HTMLPages()
	pass := 0
	for _, pg := range pages {
		f := p.facts(pg)
		if f.HTMLBytes > maxPageBytes || pg.Truncated {
			fs = append(fs, finding(pageURL(pg), report.Warning, "%d KiB of HTML for %d words of text (about %d tokens of markup): agents spend their context on markup", f.HTMLBytes>>10, f.Words, f.HTMLBytes/4))
			continue
		}
		pass++
	}
	r := share(pass, len(pages), "HTML page", "HTML pages")
	r.Findings = fs
	return r
}

var langRE = regexp.MustCompile(`^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$`)

func checkSemanticHTML(p *Pass) Result {
	var fs []report.Finding
	pages := p.HTMLPages()
	sum := 0.0
	for _, pg := range pages {
		f := p.facts(pg)
		u := pageURL(pg)
		ok, n := 0, 0
		rule := func(pass bool, sev report.Severity, msg string, args ...any) {
			n++
			if pass {
				ok++
				return
			}
			fs = append(fs, finding(u, sev, msg, args...))
		}
		rule(langRE.MatchString(f.Lang), report.Warning, "<html> has no valid lang attribute (%q)", f.Lang)
		rule(f.H1 == 1, report.Warning, "the page has %d <h1> elements; one names its topic", f.H1)
		rule(len(f.HeadingSkips) == 0, report.Info, "headings skip levels (%s)", strings.Join(f.HeadingSkips, ", "))
		rule(f.Main, report.Info, "no <main> element marks the main content")
		if f.Images > 0 {
			rule(f.ImagesNoAlt == 0, report.Warning, "%d of %d %s no alt text", f.ImagesNoAlt, f.Images, plural(f.Images, "image has", "images have"))
		}
		if f.Anchors > 0 {
			rule(len(f.VagueLinks) == 0, report.Info, "links with text that says nothing of their target: %s", quoteList(f.VagueLinks))
		}
		if f.Tables > 0 {
			rule(f.TablesNoHeader == 0, report.Info, "%d of %d %s no <th> header cells", f.TablesNoHeader, f.Tables, plural(f.Tables, "table has", "tables have"))
		}
		sum += float64(ok) / float64(n)
	}
	if len(pages) == 0 {
		return NA("no HTML pages")
	}
	return Score(sum/float64(len(pages)), "mean over "+count(len(pages), "page", "pages"), fs...)
}

func quoteList(s []string) string {
	q := make([]string, 0, len(s))
	seen := map[string]bool{}
	for _, v := range s {
		if !seen[v] {
			seen[v] = true
			q = append(q, fmt.Sprintf("%q", v))
		}
	}
	return list(q, 5)
}

func checkTitleDescription(p *Pass) Result {
	var fs []report.Finding
	pages := p.HTMLPages()
	sum := 0.0
	// Pages that declare the same canonical are one page at several URLs
	// ("/" and "/index.html"): their shared title is not a duplicate. A
	// title's pages are grouped by canonical only when it has several:
	// most titles have one page, and resolving every page's canonical was
	// a fifth of the checks' time on a large site.
	type titled struct {
		pg  *crawl.Page
		url string
	}
	titles := make(map[string][]titled, len(pages))
	var order []string // titles in page order, for deterministic findings
	for _, pg := range pages {
		f := p.facts(pg)
		u := pageURL(pg)
		s := 0.0
		if f.Title == "" {
			fs = append(fs, finding(u, report.Warning, "the page has no <title>"))
		} else {
			s += 0.5
			if titles[f.Title] == nil {
				order = append(order, f.Title)
			}
			titles[f.Title] = append(titles[f.Title], titled{pg, u})
		}
		if f.Description == "" {
			fs = append(fs, finding(u, report.Info, "the page has no meta description"))
		} else {
			s += 0.5
		}
		sum += s
	}
	if len(pages) > 2 {
		for _, t := range order {
			ps := titles[t]
			if len(ps) < 2 {
				continue
			}
			var us []string
			keys := make(map[string]bool, len(ps))
			for _, x := range ps {
				key := canonicalKey(x.pg, p.facts(x.pg))
				if !keys[key] {
					keys[key] = true
					us = append(us, x.url)
				}
			}
			if len(us) < 2 {
				continue
			}
			// Name the others, so that the owner can tell a copy from one
			// page at two URLs ("/" and "/index.html") that wants a
			// canonical link.
			// Paths, not URLs: the site's origin is the report's heading.
			others := make([]string, 0, len(us)-1)
			for _, o := range us[1:] {
				others = append(others, strings.TrimPrefix(o, p.Site.Origin))
			}
			fs = append(fs, finding(us[0], report.Info, "%d pages share the title %q (also %s)", len(us), truncate(t, 60), list(others, 3)))
		}
	}
	if len(pages) == 0 {
		return NA("no HTML pages")
	}
	return Score(sum/float64(len(pages)), "mean over "+count(len(pages), "page", "pages"), fs...)
}

// canonicalKey is the URL a page declares as its canonical (one, after
// resolution against the page), else the page's own URL.
func canonicalKey(pg *crawl.Page, f *PageFacts) string {
	u := pageURL(pg)
	if len(f.Canonicals) == 0 {
		return u
	}
	c := strings.TrimSpace(f.Canonicals[0])
	for _, o := range f.Canonicals[1:] {
		if strings.TrimSpace(o) != c {
			return u // conflicting canonicals name no one page
		}
	}
	base, err := url.Parse(pg.FinalURL)
	if err != nil || c == "" {
		return u
	}
	return resolve(base, c)
}

// canonicalProblem applies Lighthouse's canonical rules.
func canonicalProblem(pg *crawl.Page, f *PageFacts, folder bool) string {
	if len(f.Canonicals) == 0 {
		return ""
	}
	uniq := map[string]bool{}
	for _, c := range f.Canonicals {
		uniq[c] = true
	}
	if len(uniq) > 1 {
		return fmt.Sprintf("%d conflicting canonical links", len(uniq))
	}
	c := f.Canonicals[0]
	cu, err := url.Parse(strings.TrimSpace(c))
	if err != nil || c == "" {
		return fmt.Sprintf("canonical %q is not a valid URL", c)
	}
	if !cu.IsAbs() {
		return fmt.Sprintf("canonical %q is relative; use an absolute URL", c)
	}
	// A file: or other non-web canonical (documentation builds made for
	// local reading carry file:///usr/share/doc/... links) names nothing
	// an agent or search engine can fetch, served or in a folder.
	if s := strings.ToLower(cu.Scheme); s != "http" && s != "https" {
		return fmt.Sprintf("canonical %s is not an http(s) URL: agents and search engines cannot fetch it", c)
	}
	pu, err := url.Parse(pageURL(pg))
	if err != nil {
		return ""
	}
	// A folder is served at http://NAME.localhost while its canonical links name the
	// production host: only a crawled site can be judged on the domain.
	if !folder && !strings.EqualFold(registrable(cu.Hostname()), registrable(pu.Hostname())) {
		return fmt.Sprintf("canonical %s points to another domain", c)
	}
	if (cu.Path == "" || cu.Path == "/") && pu.Path != "" && pu.Path != "/" {
		return fmt.Sprintf("canonical %s points to the site root from a deeper page", c)
	}
	return ""
}

// registrable approximates the registrable domain: the last two labels.
func registrable(host string) string {
	parts := strings.Split(strings.TrimSuffix(host, "."), ".")
	if len(parts) <= 2 {
		return host
	}
	return strings.Join(parts[len(parts)-2:], ".")
}

var hreflangRE = regexp.MustCompile(`^(?i:x-default|[a-z]{2,3}(-[a-z]{4})?(-([a-z]{2}|[0-9]{3}))?)$`)

func checkCanonical(p *Pass) Result {
	var fs pageFindings
	pages := p.HTMLPages()
	pass, total := 0, 0
	for _, pg := range pages {
		f := p.facts(pg)
		if len(f.Canonicals) == 0 && len(f.Hreflangs) == 0 {
			continue
		}
		total++
		u := pageURL(pg)
		bad := false
		if why := canonicalProblem(pg, f, p.Site.Folder != ""); why != "" {
			fs.add(u, report.Warning, why)
			bad = true
		}
		for _, h := range f.Hreflangs {
			if !hreflangRE.MatchString(h[0]) {
				fs.addf(u, report.Warning, "hreflang %q is not a language code", h[0])
				bad = true
			}
			if hu, err := url.Parse(h[1]); err != nil || !hu.IsAbs() {
				fs.addf(u, report.Warning, "hreflang %s link %q is not an absolute URL", h[0], h[1])
				bad = true
			}
		}
		if !bad {
			pass++
		}
	}
	r := share(pass, total, "page with canonical or hreflang links", "pages with canonical or hreflang links")
	r.Findings = p.findings(fs)
	return r
}
