package crawl

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// TestFollowUps: a Follower's requests are fetched once the crawl is done,
// with their headers, into Extras or the page's Variants; robots.txt (the
// crawler's token, the follow-up's agent, another origin's file) is obeyed
// and the bounds hold.
func TestFollowUps(t *testing.T) {
	other, olog := mux(t, map[string]http.HandlerFunc{
		"/robots.txt": func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "User-agent: *\nDisallow: /private\n") },
		"/spec.json":  func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, `{"openapi":"3.1.0"}`) },
		"/private":    html200("no"),
	})
	var gotINM, gotUA string
	srv, log := mux(t, map[string]http.HandlerFunc{
		"/robots.txt": func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, "User-agent: *\nDisallow: /secret\n\nUser-agent: GPTBot\nDisallow: /page\n")
		},
		"/": func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("If-None-Match") == `"v1"` {
				gotINM = r.Header.Get("If-None-Match")
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("ETag", `"v1"`)
			html200(`<a href="/page">page</a>`)(w, r)
		},
		"/page": func(w http.ResponseWriter, r *http.Request) {
			gotUA = r.UserAgent()
			html200("page")(w, r)
		},
		"/late":   html200("late"),
		"/secret": html200("secret"),
	})
	var seen *Site
	o := fastOptions()
	o.Followers = []Follower{func(s *Site) []FollowUp {
		seen = s
		ups := []FollowUp{
			{Name: "revalidate", Page: s.Origin + "/", URL: s.Origin + "/", Header: http.Header{"If-None-Match": {`"v1"`}}},
			{Name: "as-claude", Page: s.Origin + "/page", URL: s.Origin + "/page", UserAgent: "ClaudeBot/1.0", Agent: "ClaudeBot"},
			{Name: "as-gptbot", Page: s.Origin + "/page", URL: s.Origin + "/page", UserAgent: "GPTBot/1.2", Agent: "GPTBot"},
			{Name: "late", URL: s.Origin + "/late"},
			{Name: "late", URL: s.Origin + "/late"}, // a repeated name is fetched once
			{Name: "secret", URL: s.Origin + "/secret"},
			{Name: "spec", URL: other.URL + "/spec.json"},
			{Name: "other-private", URL: other.URL + "/private"},
			{Name: "bad", URL: "javascript:alert(1)"},
			{Name: "no-page", Page: s.Origin + "/never-crawled", URL: s.Origin + "/late"},
		}
		for i := range 7 {
			ups = append(ups, FollowUp{Name: fmt.Sprintf("many-%d", i), URL: fmt.Sprintf("%s/spec.json?%d", other.URL, i)})
		}
		return ups
	}}
	var progMu sync.Mutex
	var last Progress
	o.OnProgress = func(p Progress) {
		progMu.Lock()
		defer progMu.Unlock()
		last = p
	}
	s := crawlOne(t, Target{URL: srv.URL}, o)
	progMu.Lock()
	if last.Requests != s.Stats.Requests || last.FollowUps != 0 {
		t.Errorf("last progress %+v: want %d requests and no follow-up to go", last, s.Stats.Requests)
	}
	progMu.Unlock()
	if seen == nil || len(seen.Pages) == 0 {
		t.Fatal("the follower was not called with the crawled site")
	}
	pages := pageMap(s)
	if r := pages["/"].Variant("revalidate"); r == nil || r.Status != 304 || gotINM != `"v1"` {
		t.Errorf("conditional request: %+v (If-None-Match %q)", r, gotINM)
	}
	if r := pages["/page"].Variant("as-claude"); r == nil || r.Status != 200 || gotUA != "ClaudeBot/1.0" {
		t.Errorf("as ClaudeBot: %+v (UA %q)", r, gotUA)
	}
	if r := pages["/page"].Variant("as-gptbot"); r == nil || !strings.Contains(r.Error, "disallowed by robots.txt for GPTBot") {
		t.Errorf("as GPTBot (disallowed for it): %+v", r)
	}
	if r := s.Extras["late"]; r == nil || r.Status != 200 || log.count("/late") != 1 {
		t.Errorf("late: %+v, fetched %d times", r, log.count("/late"))
	}
	if r := s.Extras["secret"]; r == nil || !strings.Contains(r.Error, "disallowed by robots.txt") || log.count("/secret") != 0 {
		t.Errorf("secret: %+v, fetched %d times", r, log.count("/secret"))
	}
	if r := s.Extras["spec"]; r == nil || r.Status != 200 || string(r.Body) != `{"openapi":"3.1.0"}` {
		t.Errorf("spec on another origin: %+v", r)
	}
	if r := s.Extras["other-private"]; r == nil || r.Error == "" || olog.count("/private") != 0 {
		t.Errorf("another origin's robots.txt: %+v", r)
	}
	if olog.count("/robots.txt") != 1 {
		t.Errorf("the other origin's robots.txt fetched %d times", olog.count("/robots.txt"))
	}
	if r := s.Extras["bad"]; r == nil || !strings.Contains(r.Error, "bad URL") {
		t.Errorf("bad URL: %+v", r)
	}
	if _, ok := s.Extras["no-page"]; ok {
		t.Error("a follow-up for a page that was not crawled was stored")
	}
	// spec and other-private are 2 of the other origin's 5; 3 of the 7
	// more get through.
	limited, fetched := 0, 0
	for i := range 7 {
		r := s.Extras[fmt.Sprintf("many-%d", i)]
		switch {
		case r == nil:
			t.Errorf("many-%d: no response", i)
		case r.Error == ErrFollowLimit:
			limited++
		case r.Status == 200:
			fetched++
		}
	}
	if fetched != 3 || limited != 4 {
		t.Errorf("per-origin bound: %d fetched, %d limited; want 3 and 4", fetched, limited)
	}
	if s.Stats.Requests < 10 {
		t.Errorf("follow-up requests not counted: %d", s.Stats.Requests)
	}
}

// TestFollowUpPrivateGuard: a follow-up of a public target to a private
// address is refused at dial time.
func TestFollowUpPrivateGuard(t *testing.T) {
	internal, ilog := mux(t, map[string]http.HandlerFunc{"/spec.json": html200("internal")})
	srv, _ := mux(t, map[string]http.HandlerFunc{"/": html200("home")})
	o := fastOptions()
	o.forcePublic = true
	o.allowAddrs = map[string]bool{srv.Listener.Addr().String(): true}
	o.Followers = []Follower{func(s *Site) []FollowUp {
		return []FollowUp{{Name: "spec", URL: internal.URL + "/spec.json"}}
	}}
	s := crawlOne(t, Target{URL: srv.URL}, o)
	// Its robots.txt is refused first, so it counts as unreachable.
	if r := s.Extras["spec"]; r == nil || !strings.Contains(r.Error, "private") && !strings.Contains(r.Error, "unreachable") {
		t.Errorf("follow-up to a private address: %+v", r)
	}
	if len(ilog.paths) != 0 {
		t.Errorf("the internal server was reached: %v", ilog.paths)
	}
}

// TestFollowRounds: a round's responses are in the Site when the Followers
// run again, so a follow-up can lead to another; rounds stop at
// MaxFollowRounds, and a name is asked for once.
func TestFollowRounds(t *testing.T) {
	srv, log := mux(t, map[string]http.HandlerFunc{
		"/":          html200("home"),
		"/catalog":   func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "/spec.json") },
		"/spec.json": func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, `{}`) },
	})
	calls := 0
	o := fastOptions()
	o.Followers = []Follower{func(s *Site) []FollowUp {
		calls++
		ups := []FollowUp{{Name: "catalog", URL: s.Origin + "/catalog"}}
		if c := s.Extras["catalog"]; c != nil && c.OK() {
			ups = append(ups, FollowUp{Name: "spec", URL: s.Origin + string(c.Body)})
		}
		// A follower that always wants something new is cut off.
		ups = append(ups, FollowUp{Name: fmt.Sprintf("round-%d", calls), URL: s.Origin + "/"})
		return ups
	}}
	s := crawlOne(t, Target{URL: srv.URL}, o)
	if calls != MaxFollowRounds {
		t.Errorf("followers called %d times, want %d", calls, MaxFollowRounds)
	}
	if r := s.Extras["spec"]; r == nil || r.Status != 200 {
		t.Errorf("second-round follow-up: %+v", r)
	}
	if log.count("/catalog") != 1 || log.count("/spec.json") != 1 {
		t.Errorf("catalog fetched %d times, spec %d", log.count("/catalog"), log.count("/spec.json"))
	}
	if _, ok := s.Extras[fmt.Sprintf("round-%d", MaxFollowRounds+1)]; ok {
		t.Error("a round past MaxFollowRounds ran")
	}
}

// TestFollowUpIgnoreRobotsOwnSiteOnly: --ignore-robots lets follow-ups
// into the site's own disallowed paths, not into another host's.
func TestFollowUpIgnoreRobotsOwnSiteOnly(t *testing.T) {
	other, olog := mux(t, map[string]http.HandlerFunc{
		"/robots.txt": func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "User-agent: *\nDisallow: /\n") },
		"/spec.json":  func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, `{}`) },
	})
	srv, log := mux(t, map[string]http.HandlerFunc{
		"/robots.txt": func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "User-agent: *\nDisallow: /private\n") },
		"/":           html200("home"),
		"/private":    html200("mine"),
	})
	o := fastOptions()
	o.IgnoreRobots = true
	o.Followers = []Follower{func(s *Site) []FollowUp {
		return []FollowUp{{Name: "own", URL: s.Origin + "/private"}, {Name: "other", URL: other.URL + "/spec.json"}}
	}}
	s := crawlOne(t, Target{URL: srv.URL}, o)
	if r := s.Extras["own"]; r == nil || r.Status != 200 || log.count("/private") != 1 {
		t.Errorf("own disallowed path with IgnoreRobots: %+v", r)
	}
	if r := s.Extras["other"]; r == nil || !strings.Contains(r.Error, "disallowed by robots.txt") || olog.count("/spec.json") != 0 {
		t.Errorf("another host's disallowed path: %+v", r)
	}
}

// TestFollowerPanic: a Follower that panics costs its follow-ups, not the
// crawl.
func TestFollowerPanic(t *testing.T) {
	srv, _ := mux(t, map[string]http.HandlerFunc{"/": html200("home")})
	o := fastOptions()
	o.Followers = []Follower{
		func(s *Site) []FollowUp { panic("boom") },
		func(s *Site) []FollowUp { return []FollowUp{{Name: "ok", URL: s.Origin + "/"}} },
	}
	s := crawlOne(t, Target{URL: srv.URL}, o)
	if len(s.Pages) != 1 || s.Extras["ok"] == nil || s.Extras["ok"].Status != 200 {
		t.Errorf("pages %d, ok %+v", len(s.Pages), s.Extras["ok"])
	}
	if len(s.Errors) == 0 || !strings.Contains(s.Errors[0], "follow-ups: internal error: boom") {
		t.Errorf("errors %q", s.Errors)
	}
}

// TestFollowUpPost: a follow-up with a Method is sent as that method with
// its Body and headers, within robots.txt, and a redirect is not followed
// (the body would go to another URL).
func TestFollowUpPost(t *testing.T) {
	var gotMethod, gotBody, gotCT string
	srv, log := mux(t, map[string]http.HandlerFunc{
		"/robots.txt": func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "User-agent: *\nDisallow: /private\n") },
		"/":           html200("home"),
		"/mcp": func(w http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			gotMethod, gotBody, gotCT = r.Method, string(b), r.Header.Get("Content-Type")
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"jsonrpc":"2.0","id":1,"result":{}}`)
		},
		"/moved": func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/mcp", http.StatusTemporaryRedirect)
		},
		"/private": func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "{}") },
	})
	o := fastOptions()
	body := []byte(`{"jsonrpc":"2.0","id":1,"method":"server/discover"}`)
	h := http.Header{"Content-Type": {"application/json"}}
	o.Followers = []Follower{func(s *Site) []FollowUp {
		return []FollowUp{
			{Name: "discover", URL: s.Origin + "/mcp", Method: http.MethodPost, Body: body, Header: h},
			{Name: "moved", URL: s.Origin + "/moved", Method: http.MethodPost, Body: body, Header: h},
			{Name: "private", URL: s.Origin + "/private", Method: http.MethodPost, Body: body, Header: h},
		}
	}}
	s := crawlOne(t, Target{URL: srv.URL}, o)
	if r := s.Extras["discover"]; r == nil || r.Status != 200 || gotMethod != http.MethodPost || gotBody != string(body) || gotCT != "application/json" {
		t.Errorf("POST follow-up: %+v, server got %s %q %q", r, gotMethod, gotBody, gotCT)
	}
	if r := s.Extras["moved"]; r == nil || r.Status != http.StatusTemporaryRedirect {
		t.Errorf("a POST's redirect was followed: %+v", r)
	}
	if log.count("/mcp") != 1 {
		t.Errorf("/mcp reached %d times, want once (the redirect not followed)", log.count("/mcp"))
	}
	if r := s.Extras["private"]; r == nil || !strings.HasPrefix(r.Error, "disallowed by robots.txt") || log.count("/private") != 0 {
		t.Errorf("a POST into a disallowed path: %+v", r)
	}
}
