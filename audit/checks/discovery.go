package checks

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/agentready/agentready/audit/crawl"
	"github.com/agentready/agentready/report"
)

func init() {
	register(
		&Check{ID: "sitemap", Title: "A valid sitemap lists the site", FailTitle: "The sitemap is missing or invalid", PartTitle: "The sitemap has problems",
			Category: Discovery, Weight: 5, Severity: report.Warning, Needs: []string{"sitemaps", "robots"}, Since: "0.1.0", Run: checkSitemap,
			Equivalents: []Equivalent{{Tool: "Cloudflare", ID: "sitemap"}}},
		&Check{ID: "feeds", Title: "Feeds are advertised and valid", FailTitle: "Feeds are missing or invalid", PartTitle: "Some feeds are invalid",
			Category: Discovery, Weight: 2, Severity: report.Info, Needs: []string{"pages"}, Since: "0.1.0", Run: checkFeeds},
		&Check{ID: "link-headers", Title: "Link headers advertise machine entry points", FailTitle: "No Link header advertises machine entry points",
			Category: Discovery, Weight: 0, Severity: report.Hint, Needs: []string{"pages"}, Since: "0.1.0", HostOnly: true, Run: checkLinkHeaders,
			Equivalents: []Equivalent{{Tool: "Cloudflare", ID: "linkHeaders"}}},
		&Check{ID: "crawlable-links", Title: "Links are crawlable", FailTitle: "Links are not crawlable", PartTitle: "Some links are not crawlable",
			Category: Discovery, Weight: 3, Severity: report.Warning, Needs: []string{"pages"}, Since: "0.1.0", Run: checkCrawlableLinks},
	)
}

// Sitemap limits of sitemaps.org.
const (
	sitemapMaxURLs  = 50000
	sitemapMaxBytes = 50 << 20
)

func checkSitemap(p *Pass) Result {
	var fs []report.Finding
	sms := p.Site.Sitemaps
	if len(sms) == 0 {
		// The crawler records every sitemap it asks for, /sitemap.xml
		// answering 404 included: none means none was asked for
		// (--no-sitemaps, or the crawl stopped first), not that the site
		// has none.
		return NA("no sitemap was read (--no-sitemaps, or the crawl stopped before it)")
	}
	found := false
	for _, sm := range sms {
		if sm.OK() && sm.ParseError == "" {
			found = true
		}
	}
	if !found {
		u := p.Site.Origin + "/sitemap.xml"
		why := "none was found in robots.txt or at /sitemap.xml"
		for _, sm := range sms {
			u = sm.URL
			why = statusOrErr(&sm.Response)
			switch {
			case softSitemap(p.Site, sm):
				why = softAbsentError(sm.Status)
			case sm.ParseError != "":
				why = sm.ParseError
			}
		}
		return Score(0, "missing", finding(u, report.Warning, "no valid sitemap (%s): agents must crawl links to find pages", why))
	}
	problems := 0
	listed := p.Site.Robots != nil && p.Site.Robots.Policy != nil && len(p.Site.Robots.Policy.Sitemaps) > 0
	if !listed {
		// A note: it costs nothing (docs/scoring.md, "Notes are not scored").
		fs = append(fs, finding(p.Site.Origin+"/robots.txt", report.Info, "robots.txt has no Sitemap line: crawlers look only at /sitemap.xml"))
	}
	origin, _ := url.Parse(p.Site.Origin)
	var outOfScope, bad int
	var examples []string
	for _, sm := range sms {
		if sm.ParseError != "" {
			fs = append(fs, finding(sm.URL, report.Error, "sitemap cannot be read: %s", sm.ParseError))
			problems++
			continue
		}
		if sm.Count > sitemapMaxURLs {
			fs = append(fs, finding(sm.URL, report.Error, "%d URLs: a sitemap holds at most %d", sm.Count, sitemapMaxURLs))
			problems++
		}
		if sm.Bytes > sitemapMaxBytes || sm.Truncated {
			fs = append(fs, finding(sm.URL, report.Error, "larger than 50 MB uncompressed"))
			problems++
		}
		if sm.Index {
			continue
		}
		for _, raw := range sm.URLs {
			u, err := url.Parse(strings.TrimSpace(raw))
			if err != nil || !u.IsAbs() {
				bad++
				continue
			}
			if p.Site.Folder != "" && origin != nil {
				// A build folder's sitemap names the production host; match
				// its paths against the served folder instead.
				u.Scheme, u.Host = origin.Scheme, origin.Host
			} else if origin != nil && !strings.EqualFold(u.Host, origin.Host) {
				outOfScope++
				if len(examples) < 3 {
					examples = append(examples, raw)
				}
				continue
			}
			if pg := p.Site.Page(u.String()); pg != nil && pg.Skipped() == "" && (pg.Error != "" || pg.Status != 200) {
				fs = append(fs, finding(pg.URL, report.Warning, "listed in the sitemap but answers %s", statusOrErr(&pg.Response)))
				problems++
			}
		}
	}
	if bad > 0 {
		fs = append(fs, finding(sms[0].URL, report.Warning, "%d sitemap entries are not absolute URLs", bad))
		problems++
	}
	fs, problems = checkLastMod(sms, fs, problems)
	if outOfScope > 0 {
		fs = append(fs, finding(sms[0].URL, report.Warning, "%d sitemap URLs are on another host (%s): crawlers ignore them", outOfScope, strings.Join(examples, ", ")))
		problems++
	}
	return Score(1-min(1, 0.25*float64(problems)), count(len(sms), "sitemap file", "sitemap files")+", "+count(problems, "problem", "problems"), fs...)
}

// checkLastMod looks at the sitemaps' <lastmod> values: each must be a W3C
// datetime and not in the future (both count as problems), and most
// entries should have one (crawlers and agents use it to fetch only what
// changed).
func checkLastMod(sms []*crawl.Sitemap, fs []report.Finding, problems int) ([]report.Finding, int) {
	for _, sm := range sms {
		l := sm.LastMod
		if sm.ParseError != "" || l.Entries == 0 {
			continue
		}
		if l.Invalid > 0 {
			fs = append(fs, finding(sm.URL, report.Warning, "%s (YYYY-MM-DD, or a date and time with a time zone), such as %s",
				count(l.Invalid, "<lastmod> value is not a W3C datetime", "<lastmod> values are not W3C datetimes"), strings.Join(l.InvalidExamples, ", ")))
			problems++
		}
		if l.Future > 0 {
			fs = append(fs, finding(sm.URL, report.Warning, "%s in the future, such as %s: crawlers distrust such dates",
				count(l.Future, "<lastmod> date is", "<lastmod> dates are"), strings.Join(l.FutureExamples, ", ")))
			problems++
		}
		if missing := l.Entries - l.With; missing > 0 {
			sev := report.Info
			if 2*missing > l.Entries {
				sev = report.Warning
				problems++
			}
			fs = append(fs, finding(sm.URL, sev, "%d of %d %s (%d%%) %s no <lastmod>: crawlers and agents cannot tell which pages changed",
				missing, l.Entries, plural(l.Entries, "entry", "entries"), 100*missing/l.Entries, plural(missing, "has", "have")))
		}
	}
	return fs, problems
}

func checkFeeds(p *Pass) Result {
	var fs []report.Finding
	advertised := map[string]string{} // href -> page
	for _, pg := range p.HTMLPages() {
		for _, f := range p.facts(pg).Feeds {
			if _, ok := advertised[f[1]]; !ok {
				advertised[f[1]] = pageURL(pg)
			}
		}
	}
	// Feeds the crawl fetched (linked with rel=alternate, or found as pages).
	valid, invalid := 0, 0
	for _, pg := range p.Pages() {
		f := p.facts(pg)
		if f == nil || f.Feed == nil {
			continue
		}
		if f.Feed.Error != "" || !pg.OK() {
			invalid++
			msg := f.Feed.Error
			if msg == "" {
				msg = statusOrErr(&pg.Response)
			}
			fs = append(fs, finding(pageURL(pg), report.Warning, "%s feed is invalid: %s", f.Feed.Format, msg))
		} else {
			valid++
		}
	}
	for href, page := range advertised {
		if pg := p.Site.Page(href); pg != nil && pg.Skipped() == "" && !pg.OK() {
			fs = append(fs, finding(page, report.Warning, "the advertised feed %s answers %s", href, statusOrErr(&pg.Response)))
			invalid++
		}
	}
	if len(advertised) == 0 && valid == 0 && invalid == 0 {
		if p.Start == nil {
			return NA("nothing was fetched")
		}
		return NA(notScored("no feed"), finding(pageURL(p.Start), report.Info, "no RSS, Atom or JSON Feed is advertised with <link rel=\"alternate\">: agents cannot follow updates"))
	}
	if valid+invalid == 0 {
		// No evidence either way (the crawl stopped before them).
		return NA(count(len(advertised), "feed", "feeds")+" advertised, none fetched", fs...)
	}
	return Score(float64(valid)/float64(valid+invalid), fmt.Sprintf("%d valid, %d invalid feeds", valid, invalid), fs...)
}

// machineRels are the RFC 8288 relations that point agents at machine
// entry points.
var machineRels = []string{"api-catalog", "service-desc", "service-doc", "describedby", "sitemap", "llms-txt", "alternate"}

// linkRel is LinkRels(pg's Link headers)[rel], without a map for the
// pages that have no Link header (most: the checks ask of every page).
func linkRel(pg *crawl.Page, rel string) (string, bool) {
	ls := pg.Header.Values("Link")
	if len(ls) == 0 {
		return "", false
	}
	href, ok := LinkRels(ls)[rel]
	return href, ok
}

// LinkRels parses the rel values of Link headers (RFC 8288).
func LinkRels(values []string) map[string]string {
	out := map[string]string{}
	for _, v := range values {
		for _, part := range splitLinks(v) {
			target, params, _ := strings.Cut(part, ";")
			target = strings.Trim(strings.TrimSpace(target), "<>")
			for _, prm := range strings.Split(params, ";") {
				k, val, ok := strings.Cut(strings.TrimSpace(prm), "=")
				if !ok || !strings.EqualFold(strings.TrimSpace(k), "rel") {
					continue
				}
				for _, r := range strings.Fields(strings.Trim(strings.TrimSpace(val), `"`)) {
					out[strings.ToLower(r)] = target
				}
			}
		}
	}
	return out
}

// splitLinks splits a Link header on the commas between links (not those
// inside <...> or quotes).
func splitLinks(v string) []string {
	var out []string
	depth, inQ, start := 0, false, 0
	for i, c := range v {
		switch {
		case c == '"':
			inQ = !inQ
		case c == '<' && !inQ:
			depth++
		case c == '>' && !inQ:
			depth--
		case c == ',' && !inQ && depth == 0:
			out = append(out, v[start:i])
			start = i + 1
		}
	}
	return append(out, v[start:])
}

func checkLinkHeaders(p *Pass) Result {
	if p.Start == nil {
		return NA("nothing was fetched")
	}
	rels := LinkRels(p.Start.Header.Values("Link"))
	var have []string
	for _, r := range machineRels {
		if r == "alternate" {
			continue
		}
		if _, ok := rels[r]; ok {
			have = append(have, r)
		}
	}
	if len(have) == 0 {
		return NA(notScored("none"), finding(pageURL(p.Start), report.Hint, "the start page sends no Link header with rel api-catalog, service-desc, describedby or sitemap (RFC 8288, RFC 9727)"))
	}
	return Score(1, "rel "+strings.Join(have, ", "))
}

func checkCrawlableLinks(p *Pass) Result {
	var fs []report.Finding
	pages := p.HTMLPages()
	pass := 0
	for _, pg := range pages {
		f := p.facts(pg)
		if len(f.Uncrawlable) > 0 {
			fs = append(fs, finding(pageURL(pg), report.Warning, "%s no crawlable href (javascript: or onclick only): %s", count(len(f.Uncrawlable), "link has", "links have"), quoteList(f.Uncrawlable)))
			continue
		}
		pass++
	}
	r := share(pass, len(pages), "HTML page", "HTML pages")
	r.Findings = fs
	return r
}
