package crawl

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// TestBrowserFetch: the fetch a Renderer gets applies the crawl's rules to
// each request before it is sent (GET only, the crawl's scope, robots.txt)
// and to each redirect hop, and answers what the crawler may fetch with
// the crawler's client. Fails before --render (no Renderer).
func TestBrowserFetch(t *testing.T) {
	var hits atomic.Int64
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer other.Close()
	var private atomic.Int64
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/robots.txt":
			fmt.Fprint(w, "User-agent: *\nDisallow: /private/\n")
		case strings.HasPrefix(r.URL.Path, "/private/"):
			private.Add(1)
		case r.URL.Path == "/away":
			http.Redirect(w, r, other.URL+"/x", http.StatusFound)
		case r.URL.Path == "/app.js":
			w.Header().Set("Content-Type", "text/javascript")
			fmt.Fprint(w, "console.log(1)")
		default:
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, "<html><body>hi</body></html>")
		}
	}))
	defer site.Close()
	type answer struct {
		r   *Response
		err error
	}
	got := map[string]answer{}
	o := Options{MaxPages: 1, NoSitemaps: true, Rate: -1, Render: func(ctx context.Context, s *Site, fetch BrowserFetch) {
		for _, rq := range [][2]string{{"GET", site.URL + "/app.js"}, {"POST", site.URL + "/api"}, {"GET", other.URL + "/x"},
			{"GET", site.URL + "/private/a"}, {"GET", site.URL + "/away"}, {"GET", "file:///etc/passwd"}} {
			r, err := fetch(ctx, rq[0], rq[1], http.Header{"Cookie": {"a=b"}})
			got[rq[0]+" "+rq[1]] = answer{r, err}
		}
	}}
	sites, err := Crawl(context.Background(), []Target{{URL: site.URL + "/"}}, o)
	if err != nil {
		t.Fatal(err)
	}
	if a := got["GET "+site.URL+"/app.js"]; a.err != nil || a.r.Status != 200 || string(a.r.Body) != "console.log(1)" {
		t.Errorf("app.js: %+v %v", a.r, a.err)
	}
	for rq, want := range map[string]string{"POST " + site.URL + "/api": "POST request", "GET " + other.URL + "/x": "out of the crawl's scope",
		"GET " + site.URL + "/private/a": "disallowed by robots.txt", "GET file:///etc/passwd": "not an http(s) URL"} {
		if a := got[rq]; !errors.Is(a.err, ErrNotCrawled) || !strings.Contains(a.err.Error(), want) {
			t.Errorf("%s: %v, want an ErrNotCrawled saying %q", rq, a.err, want)
		}
	}
	if a := got["GET "+site.URL+"/away"]; a.err != nil || a.r.Error == "" || !strings.Contains(a.r.Error, "out of the crawl's scope") {
		t.Errorf("redirect off the site: %+v %v", a.r, a.err)
	}
	if hits.Load() != 0 || private.Load() != 0 {
		t.Errorf("requests the crawler would not make were sent: %d to the other host, %d disallowed", hits.Load(), private.Load())
	}
	if n := sites[0].Stats.Requests; n < 4 {
		t.Errorf("the browser's requests are not counted: %d requests", n)
	}
}
