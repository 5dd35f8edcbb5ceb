package crawl

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// TestEmptyQueryRobots: robots.txt rules are matched against the path and
// query as given (RFC 9309), so "Disallow: /questions/ask?" (a rule of
// Stack Overflow's robots.txt) keeps out a link to /questions/ask? but not
// one to /questions/ask, even when the disallowed form is found first;
// and a page linked as /a and as /a? is fetched once.
func TestEmptyQueryRobots(t *testing.T) {
	var mu sync.Mutex
	got := map[string]int{} // request URIs
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got[r.RequestURI]++
		mu.Unlock()
		switch r.URL.Path {
		case "/robots.txt":
			io.WriteString(w, "User-agent: *\nDisallow: /questions/ask?\nDisallow: /search?\n")
		case "/":
			w.Header().Set("Content-Type", "text/html")
			io.WriteString(w, `<a href="/questions/ask?">ask</a> <a href="/questions/ask">ask</a> <a href="/a">a</a> <a href="/a?">a?</a> <a href="/search?">s</a> <a href="/search?q=x">s</a>`)
		default:
			w.Header().Set("Content-Type", "text/html")
			io.WriteString(w, `<a href="/a?">a?</a> <a href="/">home</a>`)
		}
	}))
	defer srv.Close()
	sites, err := Crawl(context.Background(), []Target{{URL: srv.URL}}, Options{Rate: -1, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	s := sites[0]
	mu.Lock()
	defer mu.Unlock()
	for uri, n := range got {
		if strings.HasPrefix(uri, "/questions/ask?") || strings.HasPrefix(uri, "/search?") {
			t.Errorf("%s was fetched though robots.txt disallows it", uri)
		}
		if n > 1 {
			t.Errorf("%s was fetched %d times", uri, n)
		}
	}
	if got["/questions/ask"] != 1 {
		t.Errorf("/questions/ask was fetched %d times, want 1 (robots.txt allows it): %v", got["/questions/ask"], got)
	}
	if got["/a"]+got["/a?"] != 1 {
		t.Errorf("/a and /a? were fetched %d and %d times, want once in all: %v", got["/a"], got["/a?"], got)
	}
	skipped := map[string]string{}
	for _, p := range s.Pages {
		if p.Skipped() != "" {
			skipped[strings.TrimPrefix(p.URL, srv.URL)] = p.Robots().Rule
		}
	}
	want := map[string]string{"/questions/ask?": "disallow: /questions/ask?", "/search?": "disallow: /search?", "/search?q=x": "disallow: /search?"}
	for u, rule := range want {
		if skipped[u] != rule {
			t.Errorf("%s: skipped by %q, want %q (skipped: %v)", u, skipped[u], rule, skipped)
		}
	}
	if len(skipped) != len(want) {
		t.Errorf("skipped %v, want %v", skipped, want)
	}
}
