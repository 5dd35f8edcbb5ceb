package checks

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/agentready/agentready/audit/crawl"
)

// TestRunCutShort: requests that the end of the run (Ctrl-C, SIGTERM,
// --max-duration) cut are no evidence about the site. An interrupted
// audit reported "as GPTBot the fetch failed (cancelled) while a browser
// got 200" and "the page answers 0 cancelled", and scored Access and
// Content on them. The site here answers its start page and robots.txt at
// once and holds every other request until the run ends.
func TestRunCutShort(t *testing.T) {
	for _, tc := range []struct {
		name     string
		hang     func(r *http.Request) bool
		duration bool // stop with MaxDuration instead of cancelling
		// want: the start page fetched (its variants cut), else skipped
		// with this reason.
		skipped string
		robots  bool // robots.txt read
		// followUp: only a follow-up hangs (the rest is fetched).
		followUp bool
	}{
		{name: "variants", hang: func(r *http.Request) bool { return r.URL.Path != "/" && r.URL.Path != "/robots.txt" || isVariant(r) }, robots: true},
		{name: "max-duration", hang: func(r *http.Request) bool { return r.URL.Path != "/" && r.URL.Path != "/robots.txt" || isVariant(r) },
			duration: true, robots: true},
		{name: "start-page", hang: func(r *http.Request) bool { return r.URL.Path != "/robots.txt" }, skipped: "cancelled", robots: true},
		{name: "start-page-max-duration", hang: func(r *http.Request) bool { return r.URL.Path != "/robots.txt" }, duration: true, skipped: "max-duration", robots: true},
		{name: "robots", hang: func(r *http.Request) bool { return true }, skipped: "cancelled"},
		// The crawl is done; a follow-up (a link of llms.txt) is cut.
		{name: "follow-up", hang: func(r *http.Request) bool { return r.URL.Path == "/guide.md" }, robots: true, followUp: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tc.hang(r) {
					select {
					case <-r.Context().Done():
					case <-time.After(10 * time.Second):
					}
					return
				}
				switch r.URL.Path {
				case "/robots.txt":
					io.WriteString(w, "User-agent: *\nAllow: /\n")
					return
				case "/llms.txt":
					w.Header().Set("Content-Type", "text/markdown")
					io.WriteString(w, "# Site\n\n> A site.\n\n## Docs\n\n- [Guide](/guide.md): the guide\n")
					return
				case "/sitemap.xml", "/guide.md", "/openapi.json":
					http.NotFound(w, r)
					return
				}
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				io.WriteString(w, `<!doctype html><html lang="en"><head><title>Home</title><link rel="service-desc" href="/openapi.json"></head><body><main><h1>Home</h1><p>`+
					strings.Repeat("Words about anvils and rockets. ", 60)+`</p><a href="/a">a</a> <a href="/b">b</a></main></body></html>`)
			}))
			defer srv.Close()
			o := crawl.Options{Rate: -1, Version: "test", ResponseTimeout: 5 * time.Second}
			ConfigureWith(&o, CrawlSettings{})
			ctx := context.Background()
			if tc.duration {
				o.MaxDuration = 400 * time.Millisecond
			} else {
				var cancel context.CancelFunc
				ctx, cancel = context.WithCancel(ctx)
				defer cancel()
				time.AfterFunc(400*time.Millisecond, cancel)
			}
			sites, err := crawl.Crawl(ctx, []crawl.Target{{URL: srv.URL}}, o)
			if err != nil {
				t.Fatal(err)
			}
			s := sites[0]
			limit := "cancelled"
			if tc.duration {
				limit = "max-duration"
			}
			if s.Stats.Limit != limit || s.Stats.Errors != 0 || len(s.Errors) != 0 {
				t.Errorf("limit %q, %d errors, site errors %q", s.Stats.Limit, s.Stats.Errors, s.Errors)
			}
			if (s.Robots != nil) != tc.robots {
				t.Errorf("robots.txt %+v", s.Robots)
			}
			start := s.Page(srv.URL + "/")
			if start == nil {
				t.Fatalf("no start page in %+v", s.Pages)
			}
			if start.Skipped() != tc.skipped {
				t.Errorf("start page skipped %q, want %q (error %q)", start.Skipped(), tc.skipped, start.Error)
			}
			if tc.followUp {
				if !start.OK() || s.Extras["llms-txt"] == nil || len(start.Variants()) == 0 {
					t.Fatalf("the crawl did not finish: start page %d %q, extras %v", start.Status, start.Error, s.Extras)
				}
				for name, e := range s.Extras {
					if e.Error != "" {
						t.Errorf("extra %s kept: %q", name, e.Error)
					}
				}
			} else if tc.skipped == "" {
				if !start.OK() || len(start.Variants()) != 0 {
					t.Errorf("start page %d %q, variants %v: the cut variants were kept", start.Status, start.Error, start.Variants())
				}
			} else if s.Stats.Queued < 1 {
				t.Errorf("the cut start page is not counted: %+v", s.Stats)
			}
			for name, e := range s.Extras {
				if !tc.followUp {
					t.Errorf("extra %s kept: %q", name, e.Error)
				}
			}
			if len(s.Sitemaps) != 0 && !tc.followUp {
				t.Errorf("sitemap kept: %q", s.Sitemaps[0].Error)
			}

			res := Run(s, Options{})
			// In the follow-up case every document was fetched, and the
			// server answers unknown paths with its home page: the
			// api-catalog of a site that links an OpenAPI description is
			// missing (it read as invalid before soft 404s were detected),
			// not cut.
			for _, f := range res.Findings {
				if m := strings.ToLower(f.Message); strings.Contains(m, "cancel") || strings.Contains(m, "not fetched") ||
					strings.Contains(m, "timeout") || strings.Contains(m, "duration") || strings.Contains(m, "unreachable") ||
					strings.Contains(m, "was not fetched") || strings.Contains(m, "has an api but no") && !tc.followUp {
					t.Errorf("%s: %s", f.RuleID, f.Message)
				}
			}
			var na []string
			if !tc.followUp {
				// The page links an OpenAPI description: the site has an
				// API, but the run ended before its documents were read.
				na = append(na, "user-agent-parity", "markdown-negotiation", "llms-txt", "api-catalog", "openapi", "oauth-metadata")
			}
			if tc.skipped != "" {
				na = append(na, "start-page-reachable", "login-wall", "ai-crawler-access")
			}
			if !tc.robots {
				na = append(na, "robots-txt-valid")
			}
			for _, c := range res.Checks {
				if slices.Contains(na, c.ID) && c.Score != nil {
					t.Errorf("%s scored %v on what the run cut (%s)", c.ID, *c.Score, c.Detail)
				}
				if tc.followUp && c.ID == "llms-txt" && !strings.Contains(c.Detail, "1 link not checked") {
					t.Errorf("llms-txt: %s; want its cut link not checked", c.Detail)
				}
			}
		})
	}
}

// isVariant reports whether r is a start page variant: the Markdown one
// or one as an AI agent or a browser.
func isVariant(r *http.Request) bool {
	return r.Header.Get("Accept") == "text/markdown" || !strings.HasPrefix(r.UserAgent(), "agentready/")
}

// TestRunCutLinkedOpenAPI: a service-desc link at no conventional path, and
// an api-catalog a Link header names, are fetched after the crawl; when the
// run ends before they answer, the openapi and api-catalog checks are not
// applicable (openapi said no description was linked, though the page
// links one).
func TestRunCutLinkedOpenAPI(t *testing.T) {
	for _, serviceDesc := range []bool{true, false} {
		t.Run(fmt.Sprint("service-desc=", serviceDesc), func(t *testing.T) { runCutLinked(t, serviceDesc) })
	}
}

// runCutLinked: with serviceDesc the start page links /api/spec.json as
// well as naming /catalog.json in a Link header; without, only the
// catalog names the API (and an OAuth document says there is one).
func runCutLinked(t *testing.T, serviceDesc bool) {
	sd := ""
	if serviceDesc {
		sd = `<link rel="service-desc" href="/api/spec.json">`
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/spec.json", "/catalog.json":
			select {
			case <-r.Context().Done():
			case <-time.After(10 * time.Second):
			}
			return
		case "/":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("Link", `</catalog.json>; rel="api-catalog"`)
			io.WriteString(w, `<!doctype html><html lang="en"><head><title>Home</title>`+sd+`</head><body><main><h1>Home</h1><p>`+
				strings.Repeat("Words about anvils and rockets. ", 60)+`</p></main></body></html>`)
			return
		case "/.well-known/oauth-protected-resource":
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"resource": "`+"http://"+r.Host+`/api", "authorization_servers": ["https://auth.example"]}`)
			return
		}
		http.NotFound(w, r)
	}))
	defer srv.Close()
	o := crawl.Options{Rate: -1, Version: "test", ResponseTimeout: 5 * time.Second, MaxDuration: 1500 * time.Millisecond}
	ConfigureWith(&o, CrawlSettings{})
	sites, err := crawl.Crawl(context.Background(), []crawl.Target{{URL: srv.URL}}, o)
	if err != nil {
		t.Fatal(err)
	}
	s := sites[0]
	if start := s.Page(srv.URL + "/"); start == nil || !start.OK() {
		t.Fatalf("the start page was not fetched: %+v", s.Pages)
	}
	res := Run(s, Options{})
	for _, c := range res.Checks {
		if (c.ID == "openapi" || c.ID == "api-catalog") && c.Score != nil {
			t.Errorf("%s scored %v on a description the run cut (%s)", c.ID, *c.Score, c.Detail)
		}
	}
	for _, f := range res.Findings {
		if strings.Contains(f.Message, "none is linked") {
			t.Errorf("%s: %s", f.RuleID, f.Message)
		}
	}
}
