package crawl

import (
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestScopes(t *testing.T) {
	other, olog := mux(t, map[string]http.HandlerFunc{
		"/robots.txt": func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "User-agent: *\nDisallow: /no\n") },
		"/yes":        html200("yes"),
		"/no":         html200("no"),
	})
	srv, _ := mux(t, map[string]http.HandlerFunc{
		"/docs/":       html200(`<a href="/docs/a">a</a><a href="/blog/b">b</a><a href="` + other.URL + `/yes">o</a><a href="` + other.URL + `/no">n</a><a href="/docs/deep/1">d</a>`),
		"/docs/a":      html200("a"),
		"/blog/b":      html200("b"),
		"/docs/deep/1": html200(`<a href="/docs/deep/2">2</a>`),
		"/docs/deep/2": html200("2"),
	})
	start := srv.URL + "/docs/"
	crawl := func(o Options) map[string]*Page {
		s := crawlOne(t, Target{URL: start}, o)
		m := map[string]*Page{}
		for _, p := range s.Pages {
			m[p.URL] = p
		}
		return m
	}
	has := func(m map[string]*Page, u string) bool { p := m[u]; return p != nil && p.Skipped() == "" }

	o := fastOptions()
	m := crawl(o)
	if !has(m, srv.URL+"/blog/b") || has(m, other.URL+"/yes") || len(olog.paths) != 0 {
		t.Errorf("host scope: %v, other host requests %v", keys(m), olog.paths)
	}

	o.Scope = ScopePrefix
	m = crawl(o)
	if has(m, srv.URL+"/blog/b") || !has(m, srv.URL+"/docs/a") {
		t.Errorf("prefix scope: %v", keys(m))
	}

	// 127.0.0.1 is its own "domain", so both test servers are in it; the
	// other origin's robots.txt is fetched and obeyed.
	o.Scope = ScopeDomain
	m = crawl(o)
	if !has(m, other.URL+"/yes") || has(m, other.URL+"/no") || olog.count("/no") != 0 || olog.count("/robots.txt") != 1 {
		t.Errorf("domain scope: %v; other host saw %v", keys(m), olog.paths)
	}
	if p := m[other.URL+"/no"]; p == nil || p.Skipped() != "robots" {
		t.Errorf("other origin's disallowed page = %+v", p)
	}

	o = fastOptions()
	o.MaxDepth = 1
	m = crawl(o)
	if !has(m, srv.URL+"/docs/deep/1") || has(m, srv.URL+"/docs/deep/2") {
		t.Errorf("max depth 1: %v", keys(m))
	}

	o = fastOptions()
	o.Exclude = []*regexp.Regexp{regexp.MustCompile(`/deep/`)}
	o.Include = []*regexp.Regexp{regexp.MustCompile(`/docs/`)}
	m = crawl(o)
	if has(m, srv.URL+"/docs/deep/1") || has(m, srv.URL+"/blog/b") || !has(m, srv.URL+"/docs/a") {
		t.Errorf("include/exclude: %v", keys(m))
	}
}

func keys(m map[string]*Page) []string {
	var out []string
	for k, p := range m {
		out = append(out, k+" "+p.Skipped())
	}
	return out
}

// A start URL that redirects to another origin (http to https, the apex to
// www) makes that origin the site: its links are in scope and its
// robots.txt is obeyed.
func TestStartRedirectAdoptsOrigin(t *testing.T) {
	www, wlog := mux(t, map[string]http.HandlerFunc{
		"/robots.txt": func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "User-agent: *\nDisallow: /private\n") },
		"/home":       html200(`<a href="/a">a</a><a href="/private">p</a>`),
		"/a":          html200("a"),
		"/private":    html200("p"),
		"/llms.txt":   func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "# www\n") },
	})
	apex, alog := mux(t, map[string]http.HandlerFunc{
		"/": func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, www.URL+"/home", http.StatusMovedPermanently)
		},
		"/llms.txt": func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "# apex\n") },
	})
	o := fastOptions()
	o.Extras = []Extra{{Name: "llms", Path: "/llms.txt"}}
	s := crawlOne(t, Target{URL: apex.URL}, o)
	// The extras were fetched on the apex while its start page loaded (the
	// bet that it stays there, once); once it moved, they are the adopted
	// origin's.
	if e := s.Extras["llms"]; e == nil || e.URL != www.URL+"/llms.txt" || string(e.Body) != "# www\n" {
		t.Errorf("extra llms = %+v, want the adopted origin's", e)
	}
	if alog.count("/llms.txt") != 1 || wlog.count("/llms.txt") != 1 {
		t.Errorf("llms.txt fetched %d times on the apex, %d on www", alog.count("/llms.txt"), wlog.count("/llms.txt"))
	}
	if s.Origin != www.URL {
		t.Errorf("origin = %s, want %s", s.Origin, www.URL)
	}
	m := map[string]*Page{}
	for _, p := range s.Pages {
		m[p.URL] = p
	}
	if p := m[www.URL+"/a"]; p == nil || p.Status != 200 {
		t.Errorf("/a on the adopted origin not crawled: %v", keys(m))
	}
	if p := m[www.URL+"/private"]; p == nil || p.Skipped() != "robots" || wlog.count("/private") != 0 {
		t.Errorf("the adopted origin's robots.txt was not obeyed: %+v", p)
	}
	if s.Robots == nil || s.Robots.URL != www.URL+"/robots.txt" {
		t.Errorf("robots = %+v", s.Robots)
	}
	if wlog.count("/home") != 1 {
		t.Errorf("/home fetched %d times", wlog.count("/home"))
	}
}

// TestSpeculativeExtraRedirects: an extra fetched while the start page
// loads does not follow a redirect off the start origin then: that origin
// may become the site, and its robots.txt is not read yet. If the site
// moves there, the extra is fetched again on it, within its robots.txt; if
// the site stays, the extra is fetched again as any extra and follows the
// redirect.
func TestSpeculativeExtraRedirects(t *testing.T) {
	t.Run("site moves", func(t *testing.T) {
		www, wlog := mux(t, map[string]http.HandlerFunc{
			"/robots.txt": func(w http.ResponseWriter, r *http.Request) {
				io.WriteString(w, "User-agent: *\nDisallow: /llms.txt\n")
			},
			"/home":     html200("home"),
			"/llms.txt": html200("# www"),
		})
		apex, _ := mux(t, map[string]http.HandlerFunc{
			"/": func(w http.ResponseWriter, r *http.Request) {
				time.Sleep(30 * time.Millisecond)
				http.Redirect(w, r, www.URL+"/home", http.StatusMovedPermanently)
			},
			"/llms.txt": func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, www.URL+"/llms.txt", http.StatusMovedPermanently)
			},
		})
		o := fastOptions()
		o.Extras = []Extra{{Name: "llms", Path: "/llms.txt"}}
		s := crawlOne(t, Target{URL: apex.URL}, o)
		if n := wlog.count("/llms.txt"); n != 0 {
			t.Errorf("www /llms.txt, which its robots.txt disallows, was requested %d times", n)
		}
		if e := s.Extras["llms"]; e == nil || e.URL != www.URL+"/llms.txt" || !strings.Contains(e.Error, "disallowed by robots.txt") {
			t.Errorf("extra llms = %+v, want www's, disallowed", e)
		}
	})
	t.Run("site stays", func(t *testing.T) {
		other, olog := mux(t, map[string]http.HandlerFunc{"/llms.txt": html200("# other")})
		srv, slog := mux(t, map[string]http.HandlerFunc{
			"/": func(w http.ResponseWriter, r *http.Request) { time.Sleep(30 * time.Millisecond); html200("home")(w, r) },
			"/llms.txt": func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, other.URL+"/llms.txt", http.StatusMovedPermanently)
			},
		})
		o := fastOptions()
		o.Extras = []Extra{{Name: "llms", Path: "/llms.txt"}}
		s := crawlOne(t, Target{URL: srv.URL}, o)
		if e := s.Extras["llms"]; e == nil || e.Status != 200 || string(e.Body) != "# other" {
			t.Errorf("extra llms = %+v, want the redirect followed once the start page stayed", e)
		}
		if slog.count("/llms.txt") != 2 || olog.count("/llms.txt") != 1 {
			t.Errorf("/llms.txt fetched %d times, the other origin's %d; want 2 and 1", slog.count("/llms.txt"), olog.count("/llms.txt"))
		}
	})
}
