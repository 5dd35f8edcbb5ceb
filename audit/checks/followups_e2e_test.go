package checks

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/agentready/agentready/audit/crawl"
)

// TestFollowUpsEndToEnd crawls a loopback site with the checks configured
// and checks what the follow-up requests found: an OpenAPI description
// linked only from the api-catalog, llms.txt links, 304 revalidation,
// user-agent parity on a page deep in the site, sitemap lastmod. It also
// counts the requests they add.
func TestFollowUpsEndToEnd(t *testing.T) {
	var mu sync.Mutex
	reqs := map[string]int{}
	uaSeen := map[string]string{} // path: the parity agents it was fetched as
	// The start page links to /a, /b, /c and /d, all in the start page's
	// section: the sample of 5 is all of them, each fetched as every
	// agent, and one agent is refused on /c.
	const blocked = "ClaudeBot"
	const etag = `"abc"`
	page := func(title string) string {
		return `<!doctype html><html lang="en"><head><title>` + title + `</title></head><body><main><h1>` + title + `</h1><p>` +
			strings.Repeat("Words about anvils and rockets. ", 120) + `</p><a href="/a">a</a> <a href="/b">b</a> <a href="/c">c</a> <a href="/d">d</a></main></body></html>`
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		reqs[r.URL.Path]++
		for _, a := range ParityAgents {
			if strings.Contains(r.UserAgent(), a.Token+"/") {
				uaSeen[r.URL.Path] += a.Token + " "
			}
		}
		mu.Unlock()
		switch r.URL.Path {
		case "/robots.txt":
			io.WriteString(w, "User-agent: *\nAllow: /\n\nSitemap: http://"+r.Host+"/sitemap.xml\n")
		case "/sitemap.xml":
			w.Header().Set("Content-Type", "application/xml")
			fmt.Fprintf(w, `<urlset><url><loc>http://%s/</loc><lastmod>2020-01-01</lastmod></url><url><loc>http://%s/a</loc><lastmod>2999-01-01</lastmod></url></urlset>`, r.Host, r.Host)
		case "/.well-known/api-catalog":
			w.Header().Set("Content-Type", "application/linkset+json")
			io.WriteString(w, `{"linkset":[{"anchor":"/api","service-desc":[{"href":"/specs/orders-v3.json"}]}]}`)
		case "/specs/orders-v3.json":
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"openapi":"3.1.0","info":{"title":"Orders","version":"3"},"paths":{"/orders":{"get":{"operationId":"listOrders","summary":"List orders","responses":{"200":{"description":"The orders."}}}}}}`)
		case "/llms.txt":
			w.Header().Set("Content-Type", "text/markdown")
			io.WriteString(w, "# Site\n\n> A site.\n\n## Docs\n\n- [A](/a): crawled\n- [Guide](/guide.md): exists\n- [Gone](/gone.md): 404\n")
		case "/guide.md":
			w.Header().Set("Content-Type", "text/markdown")
			io.WriteString(w, "# Guide\n")
		case "/", "/a", "/b", "/c", "/d":
			w.Header().Set("ETag", etag)
			if r.Header.Get("If-None-Match") == etag && r.URL.Path != "/c" {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			if r.URL.Path == "/c" && strings.Contains(r.UserAgent(), blocked+"/") {
				http.Error(w, "blocked", http.StatusForbidden)
				return
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(w, page("Page "+r.URL.Path))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()

	site := crawlChecked(t, srv.URL, CrawlSettings{ParityPages: 5})
	res := Run(site, Options{})
	byID := map[string]CheckResult{}
	for _, c := range res.Checks {
		byID[c.ID] = c
	}
	msgs := map[string][]string{}
	for _, f := range res.Findings {
		msgs[f.RuleID] = append(msgs[f.RuleID], fmt.Sprintf("%s %d: %s", f.Location.URL, f.Location.Line, f.Message))
	}
	has := func(id, sub string) {
		t.Helper()
		for _, m := range msgs[id] {
			if strings.Contains(m, sub) {
				return
			}
		}
		t.Errorf("%s: no finding with %q in %q", id, sub, msgs[id])
	}
	if c := byID["openapi"]; c.Score == nil || *c.Score < 50 {
		t.Errorf("openapi: %+v", c)
	}
	has("openapi", "OpenAPI found (linked from api-catalog): 1 operation;")
	has("llms-txt", "/gone.md answers status 404")
	for _, m := range msgs["llms-txt"] {
		if strings.Contains(m, "guide.md") {
			t.Errorf("llms-txt: the working link is reported: %s", m)
		}
	}
	if c := byID["conditional-requests"]; c.Score == nil || *c.Score >= 90 {
		t.Errorf("conditional-requests (/c ignores If-None-Match; / and /a are sampled with it): %+v", c)
	}
	has("conditional-requests", "/c 0: a conditional request (If-None-Match \"abc\") got 200")
	if c := byID["user-agent-parity"]; c.Score == nil || *c.Score != 80 {
		t.Errorf("user-agent-parity (%s blocked on /c): %+v", blocked, c)
	}
	has("user-agent-parity", "/c 0: as "+blocked+" the page answers 403, as a browser 200 (section /)")
	has("sitemap", `1 <lastmod> date is in the future, such as "2999-01-01"`)

	// Requests added after the crawl: the spec (1), llms.txt links not
	// crawled (2), conditional requests (3), 4 more pages of the parity
	// sample as a browser and five agents each. The start page as a browser
	// and five agents is fetched during the crawl.
	mu.Lock()
	defer mu.Unlock()
	if reqs["/specs/orders-v3.json"] != 1 || reqs["/guide.md"] != 1 || reqs["/gone.md"] != 1 {
		t.Errorf("follow-up requests: %v", reqs)
	}
	want := map[string]string{}
	for _, p := range []string{"/", "/a", "/b", "/c", "/d"} {
		want[p] = "GPTBot ChatGPT-User ClaudeBot Claude-User PerplexityBot "
	}
	for p, w := range want {
		got := strings.Fields(uaSeen[p])
		slices.Sort(got)
		ws := strings.Fields(w)
		slices.Sort(ws)
		if !slices.Equal(got, ws) {
			t.Errorf("%s was fetched as %q, want %q", p, got, ws)
		}
	}
	pages := reqs["/"] + reqs["/a"] + reqs["/b"] + reqs["/c"] + reqs["/d"]
	// 5 crawl fetches + 7 start-page variants (markdown, browser, five
	// agents) + 3 conditional + 4 × 6 parity.
	if want := 5 + 7 + 3 + 24; pages != want {
		t.Errorf("%d page requests, want %d: %v", pages, want, reqs)
	}
	if got := site.Stats.Requests; got < pages+3 {
		t.Errorf("Stats.Requests %d does not count the follow-ups", got)
	}
}

// TestLinkedCatalogEndToEnd: an api-catalog named only by a Link header is
// fetched in the first round of follow-ups, the description it links in the
// second.
func TestLinkedCatalogEndToEnd(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/":
			w.Header().Set("Link", `</apis/catalog.json>; rel="api-catalog"`)
			w.Header().Set("Content-Type", "text/html")
			io.WriteString(w, `<!doctype html><title>Home</title><h1>Home</h1>`)
		case "/apis/catalog.json":
			w.Header().Set("Content-Type", "application/linkset+json")
			io.WriteString(w, `{"linkset":[{"anchor":"/api","service-desc":[{"href":"/apis/v1.json"}]}]}`)
		case "/apis/v1.json":
			io.WriteString(w, `{"openapi":"3.1.0","info":{"title":"T","version":"1"},"paths":{"/x":{"get":{"operationId":"getX","summary":"Get x","responses":{"200":{"description":"x"}}}}}}`)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	res := Run(crawlChecked(t, srv.URL, CrawlSettings{}), Options{})
	for _, f := range res.Findings {
		if f.RuleID == "openapi" && strings.Contains(f.Message, "OpenAPI found (linked from api-catalog): 1 operation;") {
			return
		}
	}
	t.Errorf("the description behind the linked catalog was not found: %+v", res.Findings)
}

// TestRedirectedStartRevalidated: a start page that redirects is
// revalidated at its final URL.
func TestRedirectedStartRevalidated(t *testing.T) {
	var conditional int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/":
			http.Redirect(w, r, "/home", http.StatusMovedPermanently)
		case "/home":
			w.Header().Set("Last-Modified", "Mon, 02 Nov 2026 10:00:00 GMT")
			if r.Header.Get("If-Modified-Since") != "" {
				conditional++
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("Content-Type", "text/html")
			io.WriteString(w, `<!doctype html><title>Home</title><h1>Home</h1>`)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	for _, c := range Run(crawlChecked(t, srv.URL, CrawlSettings{}), Options{}).Checks {
		if c.ID == "conditional-requests" && (c.Score == nil || *c.Score != 100 || conditional != 1) {
			t.Errorf("conditional-requests: %+v (%d conditional requests)", c, conditional)
		}
	}
}

// crawlChecked crawls url on loopback as `agentready audit` does with every
// check on (follow-ups included) and returns its one site.
func crawlChecked(t *testing.T, url string, cs CrawlSettings) *crawl.Site {
	t.Helper()
	o := crawl.Options{Rate: -1, Version: "test", ResponseTimeout: 5 * time.Second}
	ConfigureWith(&o, cs)
	sites, err := crawl.Crawl(context.Background(), []crawl.Target{{URL: url}}, o)
	if err != nil {
		t.Fatal(err)
	}
	return sites[0]
}
