package crawl

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

var home = "<title>home</title>" + strings.Repeat("x", 1000) + "<a href=/old>old</a>"

// TestSummarize: a variant, a well-known path and a follow-up with a
// Summarize function keep what it returns instead of their body; their
// status, headers, byte count and redirect chain are kept.
func TestSummarize(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt":
			io.WriteString(w, "User-agent: *\nAllow: /\n")
		case "/old":
			http.Redirect(w, r, "/", http.StatusMovedPermanently)
		case "/", "/about.txt":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("X-Agent", r.UserAgent())
			io.WriteString(w, home)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	n := len(home)
	var mu sync.Mutex
	var calls []string
	sum := func(r *Response) any { // one variant, one extra, one follow-up
		mu.Lock()
		defer mu.Unlock()
		calls = append(calls, r.URL)
		return len(r.Body)
	}
	o := Options{Rate: -1, Concurrency: 1, NoSitemaps: true, Version: "test", ResponseTimeout: 5 * time.Second,
		Extras: []Extra{{Name: "v", UserAgent: "Summarised/1", Summarize: sum}, {Name: "kept", UserAgent: "Kept/1"},
			{Name: "about", Path: "/about.txt", Summarize: sum}},
		Followers: []Follower{func(s *Site) []FollowUp {
			return []FollowUp{{Name: "f", URL: s.Origin + "/old", Page: s.Origin + "/", Summarize: sum}}
		}},
	}
	sites, err := Crawl(context.Background(), []Target{{URL: srv.URL}}, o)
	if err != nil {
		t.Fatal(err)
	}
	s := sites[0]
	start := s.Page(srv.URL + "/")
	if start == nil {
		t.Fatalf("no start page in %v", s.Pages)
	}
	if len(calls) != 3 {
		t.Errorf("Summarize ran %d times (%v), want 3", len(calls), calls)
	}
	check := func(name string, r *Response, redirects int) {
		t.Helper()
		if r == nil {
			t.Fatalf("%s: not fetched", name)
		}
		if r.Body != nil || r.Summary() != n || r.Bytes != int64(n) || r.Status != 200 || r.ContentType != "text/html" || r.Charset() != "utf-8" {
			t.Errorf("%s: body %d bytes, summary %v, bytes %d, status %d, type %q, charset %q", name, len(r.Body), r.Summary(), r.Bytes, r.Status, r.ContentType, r.Charset())
		}
		if len(r.Redirects()) != redirects {
			t.Errorf("%s: redirects %v", name, r.Redirects())
		}
	}
	check("variant", start.Variant("v"), 0)
	if h := start.Variant("v").Header.Get("X-Agent"); h != "Summarised/1" {
		t.Errorf("variant: header X-Agent %q", h)
	}
	check("extra", s.Extras["about"], 0)
	check("follow-up", start.Variant("f"), 1)
	if k := start.Variant("kept"); k == nil || len(k.Body) != n || k.Summary() != nil {
		t.Error("a variant without Summarize lost its body")
	}
}

// TestSummaryMeta: the summary survives changes to the charset, encoding
// and redirect chain, and they survive it.
func TestSummaryMeta(t *testing.T) {
	var r Response
	r.SetCoding("utf-8", "gzip")
	r.SetSummary("s")
	if r.Summary() != "s" || r.Charset() != "utf-8" || r.Encoding() != "gzip" {
		t.Errorf("after SetSummary: %v %q %q", r.Summary(), r.Charset(), r.Encoding())
	}
	r.SetRedirects([]Redirect{{URL: "http://a.test/", Status: 301, Location: "/b"}})
	r.SetCoding("iso-8859-1", "br")
	if r.Summary() != "s" || len(r.Redirects()) != 1 || r.Charset() != "iso-8859-1" || r.Encoding() != "br" {
		t.Errorf("after SetRedirects, SetCoding: %v %v %q %q", r.Summary(), r.Redirects(), r.Charset(), r.Encoding())
	}
	var q Response
	q.SetCoding("utf-8", "")
	q.SetSummary("x")
	q.SetSummary(nil)
	if q.Summary() != nil || q.Charset() != "utf-8" || q.meta != internMeta("utf-8", "") {
		t.Errorf("after SetSummary(nil): %v %q, interned %v", q.Summary(), q.Charset(), q.meta == internMeta("utf-8", ""))
	}
}
