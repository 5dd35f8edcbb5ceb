package checks

import (
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/agentready/agentready/audit/crawl"
	"github.com/agentready/agentready/report"
)

// TestDeferredFindings: the per-page findings a check collects compactly
// are the same whether the check runs alone (its Result's Findings) or
// under Run (built straight into the site's findings), in the same order
// and counted in the check's result.
func TestDeferredFindings(t *testing.T) {
	const n = 40
	site := &crawl.Site{Origin: "http://e.test", Target: "http://e.test/", Extras: map[string]*crawl.Response{}}
	for i := range n {
		u := fmt.Sprintf("http://e.test/p/%d.html", i)
		body := syntheticPage(i, n) // a relative canonical: one finding per page
		pg := &crawl.Page{Response: crawl.Response{URL: u, FinalURL: u, Status: 200, ContentType: "text/html", Header: http.Header{}, Bytes: int64(len(body))}, Source: "link"}
		if i == 0 {
			pg.Source = "start"
		}
		SetFacts(pg, Facts(200, pg.Header, pg.ContentType, u, body, nil))
		site.Pages = append(site.Pages, pg)
	}
	c, _ := Lookup("canonical-hreflang")
	alone := c.Run(&Pass{Site: site, Start: startPage(site)})
	if len(alone.Findings) != n {
		t.Fatalf("alone: %d findings, want %d", len(alone.Findings), n)
	}
	res := Run(site, Options{})
	var got []report.Finding
	for _, f := range res.Findings {
		if f.RuleID == c.ID {
			got = append(got, f)
		}
	}
	want := make([]report.Finding, len(alone.Findings))
	for i, f := range alone.Findings {
		f.RuleID, f.Category, f.Help = c.ID, string(c.Category), c.FixHint()
		want[i] = f
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("under Run:\n%+v\nalone:\n%+v", got, want)
	}
	for _, cr := range res.Checks {
		if cr.ID == c.ID && cr.Findings != n {
			t.Errorf("check result counts %d findings, want %d", cr.Findings, n)
		}
	}
	for _, row := range res.Pages {
		if row.Findings < 1 {
			t.Errorf("page row %s counts %d findings", row.URL, row.Findings)
		}
	}
}

// TestPageLevelFindingsNameThePage: a page-level problem is a finding at
// each page that has it, never a count at the start page. The site has
// four pages, the start page and two others with JSON-LD, one without: the
// one structured-data-present finding is at that page (it was "1 of 4
// pages have no structured data" at the start page). The checks that
// stopped at five pages, or skipped pages that lack everything, report
// every page at fault: the printers cap what they show.
func TestPageLevelFindingsNameThePage(t *testing.T) {
	const ld = `<script type="application/ld+json">{"@context":"https://schema.org","@type":"WebPage","name":"A page"}</script>`
	text := strings.Repeat("<p>Words about anvils, rockets and the people who sell them to coyotes. </p>", 40)
	page := func(title, head, body string) string {
		return `<!doctype html><html lang="en"><head><title>` + title + `</title>` + head + `</head><body><main><h1>` + title + `</h1>` + text + body + `</main></body></html>`
	}
	const n = 8 // pages without structured data under /p/
	pages := map[string]string{
		"/":  page("Home", ld, `<a href="/a">a</a> <a href="/b">b</a> <a href="/c">c</a>`+pLinks(n)),
		"/a": page("A", ld, ""),
		"/b": page("B", ld, ""),
		"/c": page("C", "", ""),
		// /ok passes the checks that every other page fails, so that
		// each of those is named (with no page passing, the site is at
		// fault: one finding, see "no page passes").
		"/ok": page("OK", ld+`<link rel="alternate" type="text/markdown" href="/ok.md"><meta property="og:title" content="OK"><meta property="og:type" content="article">`+
			`<meta property="og:image" content="https://x.test/i.png"><meta property="og:url" content="https://x.test/ok"><meta name="twitter:card" content="summary">`, ""),
	}
	for i := range n {
		pages[fmt.Sprintf("/p/%d", i)] = page(fmt.Sprintf("P%d", i), "", `<form action="/s"><input name="q"></form>`)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := pages[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if r.URL.Path == "/ok" {
			w.Header().Set("ETag", `"ok"`)
			w.Header().Set("Content-Encoding", "gzip")
			gz := gzip.NewWriter(w)
			io.WriteString(gz, body)
			gz.Close()
			return
		}
		io.WriteString(w, body)
	}))
	defer srv.Close()

	t.Run("no page passes", func(t *testing.T) {
		// Every page fails compression, validators, Markdown mirrors and
		// social cards: one finding each, at the start page, with the
		// count, not one a page.
		plain := map[string]string{"/": page("Home", "", `<a href="/x">x</a> <a href="/y">y</a>`), "/x": page("X", "", ""), "/y": page("Y", "", "")}
		srv3 := serveHTML(plain)
		defer srv3.Close()
		res := Run(crawlChecked(t, srv3.URL, CrawlSettings{}), Options{})
		got := map[string][]string{}
		for _, f := range res.Findings {
			got[f.RuleID] = append(got[f.RuleID], f.Location.URL+": "+f.Message)
		}
		for _, rule := range []string{"compression", "caching-validators", "markdown-mirrors", "social-cards"} {
			if len(got[rule]) != 1 || !strings.HasPrefix(got[rule][0], srv3.URL+"/: no page ") || !strings.Contains(got[rule][0], "(all 3 pages)") {
				t.Errorf("%s: %q, want one finding at the start page for every page", rule, got[rule])
			}
		}
	})

	t.Run("one page of four", func(t *testing.T) {
		// The start page and /a, /b with JSON-LD, /c without.
		four := map[string]string{"/": page("Home", ld, `<a href="/a">a</a> <a href="/b">b</a> <a href="/c">c</a>`), "/a": pages["/a"], "/b": pages["/b"], "/c": pages["/c"]}
		srv4 := serveHTML(four)
		defer srv4.Close()
		res := Run(crawlChecked(t, srv4.URL, CrawlSettings{}), Options{})
		var at []string
		for _, f := range res.Findings {
			if f.RuleID == "structured-data-present" {
				at = append(at, f.Location.URL+": "+f.Message)
			}
		}
		if want := srv4.URL + "/c: the page has no JSON-LD, microdata or RDFa"; len(at) != 1 || at[0] != want {
			t.Errorf("structured-data-present findings %q, want [%q]", at, want)
		}
		for _, c := range res.Checks {
			if c.ID == "structured-data-present" && c.Detail != "3 of 4 HTML pages pass" {
				t.Errorf("detail %q", c.Detail)
			}
		}
	})

	res := Run(crawlChecked(t, srv.URL, CrawlSettings{}), Options{})
	at := map[string]map[string]bool{} // rule -> URLs
	for _, f := range res.Findings {
		if at[f.RuleID] == nil {
			at[f.RuleID] = map[string]bool{}
		}
		if summaryRE.MatchString(f.Message) {
			t.Errorf("%s: a summary at the site: %s", f.RuleID, f.Message)
		}
		at[f.RuleID][f.Location.URL] = true
	}
	for rule, want := range map[string]int{
		"structured-data-present": n + 1,          // /c and the /p/ pages
		"markdown-mirrors":        len(pages) - 1, // all but /ok
		"caching-validators":      len(pages) - 1,
		"compression":             len(pages) - 1,
		"social-cards":            len(pages) - 1,
		"webmcp-tools":            n,
	} {
		if got := len(at[rule]); got != want {
			t.Errorf("%s: findings at %d pages, want %d", rule, got, want)
		}
	}
	for i := range n {
		if u := fmt.Sprintf("%s/p/%d", srv.URL, i); !at["structured-data-present"][u] || !at["webmcp-tools"][u] {
			t.Errorf("%s: no structured-data-present or webmcp-tools finding", u)
		}
	}
}

// serveHTML serves the pages, by path, as HTML; 404 for any other path.
func serveHTML(pages map[string]string) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := pages[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, body)
	}))
}

// summaryRE matches a finding that counts pages instead of naming one.
var summaryRE = regexp.MustCompile(`\b\d+ of \d+ pages\b|\band \d+ more\b`)

func pLinks(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, ` <a href="/p/%d">p%d</a>`, i, i)
	}
	return b.String() + ` <a href="/ok">ok</a>`
}

// TestParityNamesEveryPage: every agent fetch that differs from a
// browser's is a finding at its page; the check stopped at ten and put
// "and N more" at the origin.
func TestParityNamesEveryPage(t *testing.T) {
	const n = 10 // pages, each linking to the next
	page := func(i int) string {
		return fmt.Sprintf(`<!doctype html><html lang="en"><head><title>Page %d</title></head><body><main><h1>Page %d</h1><p>%s</p><a href="/%d">next</a></main></body></html>`,
			i, i, strings.Repeat("Words about anvils and rockets. ", 120), (i+1)%n)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var i int
		if r.URL.Path != "/" {
			if _, err := fmt.Sscanf(r.URL.Path, "/%d", &i); err != nil || i >= n {
				http.NotFound(w, r)
				return
			}
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if !strings.Contains(r.UserAgent(), "Chrome/") && !strings.Contains(r.UserAgent(), "agentready") {
			io.WriteString(w, challengePage)
			return
		}
		io.WriteString(w, page(i))
	}))
	defer srv.Close()
	c, _ := Lookup("user-agent-parity")
	s := crawlChecked(t, srv.URL, CrawlSettings{ParityPages: n})
	r := c.Run(&Pass{Site: s, Start: startPage(s)})
	fetches := n * len(ParityAgents) // each page of the sample as every agent
	if len(r.Findings) != fetches {
		t.Errorf("%d findings, want one per agent fetch (%d)", len(r.Findings), fetches)
	}
	for _, f := range r.Findings {
		if f.Location.URL == s.Origin || summaryRE.MatchString(f.Message) {
			t.Errorf("a summary: %s at %s", f.Message, f.Location.URL)
		}
	}
}
