package checks

import (
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
)

// sectionSite serves a site with the sections /, /blog and /docs whose
// server answers 403 on /blog/* to ClaudeBot's user agent only. The start
// page links to three pages of /docs before /blog, so that sampling the
// start page's links in order with the agents taking turns fetches /blog
// only as Claude-User. reqs counts the requests by path and agent token
// ("" for any other user agent).
func sectionSite(t *testing.T) (*httptest.Server, func() map[string]int) {
	var mu sync.Mutex
	reqs := map[string]int{}
	page := func(title string) string {
		return `<!doctype html><html lang="en"><head><title>` + title + `</title></head><body><main><h1>` + title + `</h1><p>` +
			strings.Repeat("Words about anvils and rockets. ", 120) + `</p>` +
			`<a href="/docs/a">a</a> <a href="/docs/b">b</a> <a href="/docs/c">c</a> <a href="/blog/a">blog</a> <a href="/blog/b">blog b</a> <a href="/about">about</a>` +
			`</main></body></html>`
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		agent := ""
		for _, a := range ParityAgents {
			if strings.Contains(r.UserAgent(), a.Token+"/") {
				agent = a.Token
			}
		}
		mu.Lock()
		reqs[r.URL.Path+" "+agent]++
		mu.Unlock()
		switch r.URL.Path {
		case "/robots.txt":
			io.WriteString(w, "User-agent: *\nAllow: /\n")
		case "/", "/about", "/docs/a", "/docs/b", "/docs/c", "/blog/a", "/blog/b":
			if strings.HasPrefix(r.URL.Path, "/blog/") && agent == "ClaudeBot" {
				http.Error(w, "Forbidden", http.StatusForbidden)
				return
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(w, page("Page "+r.URL.Path))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, func() map[string]int {
		mu.Lock()
		defer mu.Unlock()
		out := map[string]int{}
		for k, v := range reqs {
			out[k] = v
		}
		return out
	}
}

// TestParitySectionBlock: a site that refuses ClaudeBot on /blog only
// fails user-agent-parity with a finding on a /blog page that names
// ClaudeBot, with the default --parity-pages: every agent is tried on a
// page of each top-level section, not one agent per page in turn.
func TestParitySectionBlock(t *testing.T) {
	srv, _ := sectionSite(t)
	site := crawlChecked(t, srv.URL, CrawlSettings{})
	res := Run(site, Options{})
	var c *CheckResult
	for i := range res.Checks {
		if res.Checks[i].ID == "user-agent-parity" {
			c = &res.Checks[i]
		}
	}
	if c == nil || c.Score == nil {
		t.Fatalf("user-agent-parity did not run: %+v", c)
	}
	if c.Passed() {
		t.Errorf("user-agent-parity passed (%v, %s) though ClaudeBot gets 403 on /blog", *c.Score, c.Detail)
	}
	var msgs []string
	found := false
	for _, f := range res.Findings {
		if f.RuleID != "user-agent-parity" {
			continue
		}
		msgs = append(msgs, f.Location.URL+": "+f.Message)
		if strings.HasPrefix(f.Location.URL, srv.URL+"/blog/") && strings.Contains(f.Message, "as ClaudeBot the page answers 403, as a browser 200") &&
			strings.Contains(f.Message, "section /blog") {
			found = true
		}
	}
	if !found {
		t.Errorf("no finding names /blog and ClaudeBot:\n%s", strings.Join(msgs, "\n"))
	}
	if len(msgs) != 1 {
		t.Errorf("want one finding (the other agents and sections get the browser's page):\n%s", strings.Join(msgs, "\n"))
	}
}

// TestParitySampleRequests: the parity sample costs 6 requests (a browser
// and five agents) for each of --parity-pages pages, the start page
// included, and the same site gives the same pages: / (the start page),
// a page of /docs (3 pages) and of /blog (2), then pages spread over the
// rest.
func TestParitySampleRequests(t *testing.T) {
	for _, c := range []struct {
		n    int
		want []string // the pages fetched as each parity agent
	}{
		{1, []string{"/"}},
		{2, []string{"/", "/docs/a"}},
		{3, []string{"/", "/docs/a", "/blog/a"}},
		{5, []string{"/", "/docs/a", "/blog/a", "/about", "/docs/b"}},
	} {
		for range 2 { // deterministic: twice the same
			srv, reqs := sectionSite(t)
			crawlChecked(t, srv.URL, CrawlSettings{ParityPages: c.n})
			got := reqs()
			var sampled []string
			for _, p := range []string{"/", "/about", "/blog/a", "/blog/b", "/docs/a", "/docs/b", "/docs/c"} {
				n := 0
				for _, a := range ParityAgents {
					n += got[p+" "+a.Token]
				}
				switch n {
				case 0:
				case len(ParityAgents):
					sampled = append(sampled, p)
				default:
					t.Errorf("n=%d: %s fetched %d times as a parity agent, want 0 or %d", c.n, p, n, len(ParityAgents))
				}
			}
			agentReqs := 0
			for k, v := range got {
				if !strings.HasSuffix(k, " ") {
					agentReqs += v
				}
			}
			if agentReqs != c.n*len(ParityAgents) {
				t.Errorf("n=%d: %d requests as a parity agent, want %d", c.n, agentReqs, c.n*len(ParityAgents))
			}
			if !slices.Equal(slices.Sorted(slices.Values(sampled)), slices.Sorted(slices.Values(c.want))) {
				t.Errorf("n=%d: sample %q, want %q", c.n, sampled, c.want)
			}
		}
	}
}

// TestAccessMatrixWhitelist: robots.txt in whitelist style (everyone
// disallowed but named search and preview bots) keeps agentready out of
// the start page, yet the AI crawler access matrix, which needs only
// robots.txt, is read for the start URL and ai-crawler-access is scored.
func TestAccessMatrixWhitelist(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt":
			io.WriteString(w, "User-agent: Googlebot\nAllow: /\n\nUser-agent: facebookexternalhit\nAllow: /\n\nUser-agent: LinkedInBot\nAllow: /\n\nUser-agent: *\nDisallow: /\n")
		default:
			t.Errorf("%s was fetched though robots.txt disallows it", r.URL.Path)
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	site := crawlChecked(t, srv.URL, CrawlSettings{})
	res := Run(site, Options{})
	if len(res.Access) == 0 {
		t.Fatal("no AI crawler access matrix")
	}
	for _, row := range res.Access {
		named := row.Token == "facebookexternalhit" // an AI training crawler in ai.robots.txt
		if named && (!row.Allowed || row.Rule != "allow: /") || !named && (row.Allowed || row.Group != "*" || row.Rule != "disallow: /") {
			t.Errorf("%s: %+v", row.Token, row)
		}
	}
	if res.Policy == "" {
		t.Error("no declared policy line")
	}
	for _, c := range res.Checks {
		if c.ID == "ai-crawler-access" && (c.Score == nil || *c.Score != 0) {
			t.Errorf("ai-crawler-access: %+v, want scored 0", c)
		}
	}
	var msgs []string
	for _, f := range CrawlFindings(site, false) {
		msgs = append(msgs, f.RuleID+": "+f.Message)
	}
	if !slices.ContainsFunc(msgs, func(m string) bool {
		return strings.HasPrefix(m, "crawl-site-error: ") && strings.Contains(m, "was not crawled: robots.txt disallows the start page for agentready") &&
			strings.Contains(m, "--ignore-robots")
	}) {
		t.Errorf("no crawl finding says robots.txt kept agentready out:\n%s", strings.Join(msgs, "\n"))
	}
}
