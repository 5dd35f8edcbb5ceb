package checks

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/tools/txtar"

	"github.com/agentready/agentready/audit/crawl"
	"github.com/agentready/agentready/audit/robots"
	"github.com/agentready/agentready/audit/sitemap"
	_ "github.com/agentready/agentready/internal/golden" // defines -update, which go test ./... -update hands every package
)

// Site fixtures are txtar archives of a site's files. They describe the
// site model the crawler would produce, without the network, so that each
// check is tested as the pure function it is:
//
//   - every .html file is a page (index.html serves its directory), as are
//     feed files (.rss, .atom, feed.json) and any path that _headers gives a
//     Status;
//   - robots.txt, sitemap.xml and the well-known files are what the crawler
//     fetches per origin; a missing one answers 404;
//   - _headers (Netlify's format: a path line, then indented "Name: value"
//     lines; "Status" sets the status; a trailing * matches a prefix) adds
//     response headers;
//   - _variants/<name>/<path> is the body of a page fetched again as a
//     variant (markdown, ua-GPTBot, ...); without one the variant gets what
//     the page got;
//   - _site holds "start: /path", "ttfb: 250ms", "conditional: ignore"
//     (a server that answers conditional requests with the whole page)
//     and "no-sitemaps" (a crawl with --no-sitemaps);
//   - follow-ups (audit.FollowUp) are answered from the files: a
//     conditional request gets 304 when its validator matches, another
//     origin does not resolve;
//   - _site "pad: /path N" appends N bytes of HTML comment to a file;
//   - _site "fallback: /index.html" makes the host answer every path it
//     has no file for (the soft-404 probe's random path, the missing
//     well-known files) 200 with that file, as an SPA fallback does;
//     without it they answer 404;
//   - _delete lists base files an override removes, and _headers+ is
//     appended to the base's _headers.
//
// An override archive is merged over base.txtar.
const fixtureOrigin = "http://fixture.test"

func fixtureDir() string { return filepath.Join("..", "..", "testdata", "audit", "checks") }

func readArchive(t testing.TB, name string) *txtar.Archive {
	t.Helper()
	a, err := txtar.ParseFile(filepath.Join(fixtureDir(), name))
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// loadFixture merges overrides over base.txtar (when withBase) and builds
// the Site.
func loadFixture(t testing.TB, withBase bool, names ...string) *crawl.Site {
	t.Helper()
	files := map[string][]byte{}
	if withBase {
		for _, f := range readArchive(t, "base.txtar").Files {
			files[f.Name] = f.Data
		}
	}
	for _, n := range names {
		for _, f := range readArchive(t, n).Files {
			files[f.Name] = f.Data
		}
	}
	for _, d := range strings.Fields(string(files["_delete"])) {
		delete(files, d)
	}
	if extra, ok := files["_headers+"]; ok {
		files["_headers"] = append(append([]byte{}, files["_headers"]...), extra...)
	}
	return buildSite(t, files)
}

type headerRule struct {
	pattern string
	header  http.Header
}

func parseHeaders(b []byte) []headerRule {
	var rules []headerRule
	sc := bufio.NewScanner(strings.NewReader(string(b)))
	for sc.Scan() {
		line := sc.Text()
		if strings.TrimSpace(line) == "" || strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		if line[0] != ' ' && line[0] != '\t' {
			rules = append(rules, headerRule{pattern: strings.TrimSpace(line), header: http.Header{}})
			continue
		}
		if len(rules) == 0 {
			continue
		}
		k, v, _ := strings.Cut(strings.TrimSpace(line), ":")
		rules[len(rules)-1].header.Add(strings.TrimSpace(k), strings.TrimSpace(v))
	}
	return rules
}

func headersFor(rules []headerRule, p string) http.Header {
	h := http.Header{}
	for _, r := range rules {
		if r.pattern == p || strings.HasSuffix(r.pattern, "*") && strings.HasPrefix(p, strings.TrimSuffix(r.pattern, "*")) {
			for k, vs := range r.header {
				h[k] = append(h[k], vs...)
			}
		}
	}
	return h
}

func contentTypeOf(name string) string {
	switch path.Ext(name) {
	case ".md":
		return "text/markdown; charset=utf-8"
	case ".txt":
		return "text/plain; charset=utf-8"
	case ".rss":
		return "application/rss+xml"
	case ".atom":
		return "application/atom+xml"
	case "":
		if strings.HasPrefix(name, ".well-known/") {
			return "application/json"
		}
	}
	if ct := mime.TypeByExtension(path.Ext(name)); ct != "" {
		return ct
	}
	return "application/octet-stream"
}

// urlPath is the URL path a file serves.
func urlPath(name string) string {
	p := "/" + name
	if strings.HasSuffix(p, "/index.html") {
		p = strings.TrimSuffix(p, "index.html")
	}
	return p
}

var locRE = regexp.MustCompile(`(?s)<loc>\s*(.*?)\s*</loc>`)

func buildSite(t testing.TB, files map[string][]byte) *crawl.Site {
	t.Helper()
	rules := parseHeaders(files["_headers"])
	start := "/"
	ttfb := 5 * time.Millisecond
	ignoreConditional := false
	fallback := ""
	for _, line := range strings.Split(string(files["_site"]), "\n") {
		k, v, _ := strings.Cut(line, ":")
		switch strings.TrimSpace(k) {
		case "start":
			start = strings.TrimSpace(v)
		case "pad":
			// "pad: /index.html 600000" appends an HTML comment of that size.
			var name string
			var n int
			fmt.Sscan(strings.TrimSpace(v), &name, &n)
			name = strings.TrimPrefix(name, "/")
			files[name] = append(append([]byte{}, files[name]...), []byte("<!--"+strings.Repeat("x", n)+"-->")...)
		case "ttfb":
			d, err := time.ParseDuration(strings.TrimSpace(v))
			if err != nil {
				t.Fatal(err)
			}
			ttfb = d
		case "fallback":
			fallback = strings.TrimPrefix(strings.TrimSpace(v), "/")
		case "conditional":
			// "conditional: ignore": the server answers conditional
			// requests with the whole page.
			ignoreConditional = strings.TrimSpace(v) == "ignore"
		}
	}
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	respond := func(p string, body []byte, ct string, exists bool) crawl.Response {
		h := headersFor(rules, p)
		status := 200
		if !exists {
			status = 404
		}
		if s := h.Get("Status"); s != "" {
			fmt.Sscan(s, &status)
			h.Del("Status")
		}
		if h.Get("Content-Type") == "" && exists {
			h.Set("Content-Type", ct)
		}
		mt, _, _ := mime.ParseMediaType(h.Get("Content-Type"))
		r := crawl.Response{URL: fixtureOrigin + p, FinalURL: fixtureOrigin + p, Status: status, Header: h, ContentType: mt,
			Body: body, Bytes: int64(len(body)), Attempts: 1}
		r.SetCoding("", h.Get("Content-Encoding"))
		r.SetFetched(now)
		r.SetTiming(crawl.Timing{FirstByte: ttfb, Total: ttfb + time.Millisecond})
		if loc := h.Get("Location"); loc != "" && status >= 300 && status < 400 {
			r.SetRedirects([]crawl.Redirect{{URL: r.URL, Status: status, Location: loc}})
			r.FinalURL = fixtureOrigin + loc
			target := strings.TrimPrefix(loc, "/")
			if b, ok := files[target]; ok {
				r.Status, r.Body, r.Bytes, r.ContentType = 200, b, int64(len(b)), "text/html"
			} else {
				r.Status, r.Body, r.Bytes = 404, nil, 0
			}
		}
		return r
	}
	site := &crawl.Site{Origin: fixtureOrigin, Target: fixtureOrigin + start, UserAgent: "agentready/test", Token: "agentready", Extras: map[string]*crawl.Response{}}

	// robots.txt
	if b, ok := files["robots.txt"]; ok {
		r := respond("/robots.txt", b, "text/plain", true)
		rf := &crawl.RobotsFile{Response: r, Raw: b, Semantics: "parsed", Policy: robots.ForStatus(r.Status, b)}
		switch {
		case r.Status >= 500 || r.Status == 429:
			rf.Semantics = "disallow-all"
		case r.Status >= 400:
			rf.Semantics = "allow-all"
		}
		site.Robots = rf
	} else {
		r := respond("/robots.txt", nil, "", false)
		site.Robots = &crawl.RobotsFile{Response: r, Semantics: "allow-all", Policy: robots.AllowAll()}
	}
	// sitemaps
	if b, ok := files["sitemap.xml"]; ok {
		sm := &crawl.Sitemap{Response: respond("/sitemap.xml", b, "application/xml", true), From: "default"}
		if site.Robots.Policy != nil && len(site.Robots.Policy.Sitemaps) > 0 {
			sm.From = "robots"
		}
		if !strings.Contains(string(b), "<urlset") && !strings.Contains(string(b), "<sitemapindex") {
			sm.ParseError = "not a sitemap: no <urlset> or <sitemapindex>"
		}
		sm.Index = strings.Contains(string(b), "<sitemapindex")
		for _, m := range locRE.FindAllStringSubmatch(string(b), -1) {
			sm.URLs = append(sm.URLs, m[1])
		}
		sm.Count = len(sm.URLs)
		if parsed, _ := sitemap.ParseAt(bytes.NewReader(b), 0, 0, now); parsed != nil {
			sm.LastMod = parsed.LastMod
		}
		site.Sitemaps = append(site.Sitemaps, sm)
	} else if files["_site"] == nil || !strings.Contains(string(files["_site"]), "no-sitemaps") {
		// The crawler asks for /sitemap.xml and records the 404 (unless
		// _site says "no-sitemaps", as --no-sitemaps does).
		site.Sitemaps = append(site.Sitemaps, &crawl.Sitemap{Response: respond("/sitemap.xml", nil, "", false), From: "default"})
	}
	// extras
	for _, w := range append(slices.Clone(WellKnown), probeExtra()) {
		name := strings.TrimPrefix(w.Path, "/")
		b, ok := files[name]
		ct := contentTypeOf(name)
		if !ok && fallback != "" {
			b, ok, ct = files[fallback], true, "text/html; charset=utf-8"
		}
		r := respond(w.Path, b, ct, ok)
		site.Extras[w.Name] = &r
	}
	// pages
	paths := map[string]string{} // url path -> file
	for name := range files {
		if strings.HasPrefix(name, "_") || strings.HasPrefix(name, ".well-known/") {
			continue
		}
		ext := path.Ext(name)
		if ext == ".html" || ext == ".rss" || ext == ".atom" || strings.HasSuffix(name, "feed.json") {
			paths[urlPath(name)] = name
		}
	}
	for _, r := range rules {
		if !strings.HasSuffix(r.pattern, "*") && r.header.Get("Status") != "" && !strings.HasPrefix(r.pattern, "/_") {
			if _, ok := paths[r.pattern]; !ok {
				paths[r.pattern] = ""
			}
		}
	}
	var sorted []string
	for p := range paths {
		sorted = append(sorted, p)
	}
	slices.Sort(sorted)
	for _, p := range sorted {
		name := paths[p]
		b, ok := files[name]
		pg := &crawl.Page{Response: respond(p, b, contentTypeOf(name), ok || name == ""), Source: "link", Depth: 1}
		if name == "" {
			pg.Body, pg.Bytes = nil, 0
		}
		if p == start {
			pg.Source, pg.Depth = "start", 0
		}
		if site.Robots.Policy != nil {
			pg.SetRobots(site.Robots.Policy.Check(site.Token, pg.URL))
		}
		pg.SetFact(FactsKey, Facts(pg.Status, pg.Header, pg.ContentType, pg.FinalURL, pg.Body, nil))
		if strings.HasPrefix(pg.ContentType, "text/html") && len(pg.Body) > 0 {
			if doc, err := goquery.NewDocumentFromReader(bytes.NewReader(pg.Body)); err == nil {
				serviceDescExtractor().Extract(&crawl.Document{Page: pg, HTML: doc})
				aiCatalogLinkExtractor().Extract(&crawl.Document{Page: pg, HTML: doc})
			}
		}
		if p == start {
			names := []string{"markdown", "ua-browser"}
			for _, a := range ParityAgents {
				names = append(names, "ua-"+a.Token)
			}
			for _, v := range names {
				vp := "_variants/" + v + strings.TrimSuffix(p, "/")
				if strings.HasSuffix(p, "/") {
					vp += "/index.html"
				}
				vp = strings.TrimPrefix(strings.ReplaceAll(vp, "//", "/"), "/")
				var r crawl.Response
				if vb, ok := files[vp]; ok {
					r = respond("/"+vp, vb, contentTypeOf(vp), true)
				} else if vb, ok := files[strings.TrimSuffix(vp, ".html")+".md"]; ok {
					r = respond("/"+strings.TrimSuffix(vp, ".html")+".md", vb, "text/markdown", true)
				} else {
					r = pg.Response
				}
				r.URL, r.FinalURL = pg.URL, pg.FinalURL
				rc := r
				summarize(&rc, variantSummarize[v]) // as the crawler does
				pg.SetVariant(v, &rc)
			}
		}
		site.Pages = append(site.Pages, pg)
	}
	site.Stats.Pages = len(site.Pages)

	// follow-ups: what the checks ask for after the crawl, answered from
	// the files like everything else (another origin does not resolve).
	asked := map[string]bool{}
	for range crawl.MaxFollowRounds {
		for _, u := range Follower(CrawlSettings{})(site) {
			if asked[u.Page+"\x00"+u.Name] {
				continue
			}
			asked[u.Page+"\x00"+u.Name] = true
			var r crawl.Response
			switch {
			case !strings.HasPrefix(u.URL, fixtureOrigin+"/"):
				r = crawl.Response{URL: u.URL, FinalURL: u.URL, Error: "dns: no such host"}
			case u.Agent != "" && !site.Allowed(u.Agent, u.URL):
				r = crawl.Response{URL: u.URL, FinalURL: u.URL, Error: "disallowed by robots.txt for " + u.Agent}
			default:
				p := strings.TrimPrefix(u.URL, fixtureOrigin)
				if i := strings.IndexAny(p, "?#"); i >= 0 {
					p = p[:i]
				}
				name := strings.TrimPrefix(p, "/")
				if strings.HasSuffix(p, "/") {
					name += "index.html"
				}
				b, ok := files[name]
				hp := p // the path whose _headers apply
				if u.Method == http.MethodPost {
					// A JSON-RPC call is answered by _rpc/<path>/<method>.json.
					var call struct{ Method string }
					json.Unmarshal(u.Body, &call)
					name = "_rpc" + strings.TrimSuffix(p, "/") + "/" + strings.ReplaceAll(call.Method, "/", "-") + ".json"
					b, ok = files[name]
					hp = "/" + name
				}
				if strings.HasPrefix(u.Name, "ua-") || u.Name == "markdown" {
					// _variants/<name>/<path> is what this variant gets.
					if vb, vok := files["_variants/"+u.Name+"/"+name]; vok {
						b, ok, hp = vb, true, "/_variants/"+u.Name+"/"+name
					}
				}
				r = respond(hp, b, contentTypeOf(name), ok)
				r.URL, r.FinalURL = u.URL, u.URL
				if ignoreConditional {
					// The server ignores validators.
				} else if inm := u.Header.Get("If-None-Match"); inm != "" && inm == r.Header.Get("ETag") ||
					u.Header.Get("If-Modified-Since") != "" && u.Header.Get("If-Modified-Since") == r.Header.Get("Last-Modified") {
					r.Status, r.Body, r.Bytes = 304, nil, 0
				}
				if u.MaxBytes > 0 && r.Bytes > u.MaxBytes {
					r.Body, r.Bytes, r.Truncated = r.Body[:u.MaxBytes], u.MaxBytes, true
				}
			}
			summarize(&r, u.Summarize) // as the crawler does
			if u.Page == "" {
				site.Extras[u.Name] = &r
				continue
			}
			if pg := site.Page(u.Page); pg != nil && pg.Skipped() == "" {
				pg.SetVariant(u.Name, &r)
			}
		}
	}
	return site
}

// variantSummarize are the Summarize functions of the per-page extras the
// checks declare, by name.
var variantSummarize = func() map[string]func(*crawl.Response) any {
	var o crawl.Options
	Configure(&o)
	m := map[string]func(*crawl.Response) any{}
	for _, e := range o.Extras {
		if e.Path == "" {
			m[e.Name] = e.Summarize
		}
	}
	return m
}()

// summarize keeps what f returns of r instead of its body, as the crawler
// does for an Extra or FollowUp with a Summarize function.
func summarize(r *crawl.Response, f func(*crawl.Response) any) {
	if f == nil {
		return
	}
	v := f(r)
	r.Body = nil
	r.SetSummary(v)
}
