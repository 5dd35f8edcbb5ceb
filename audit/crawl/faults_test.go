package crawl

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
)

// mux builds a test server from handlers; unknown paths are 404 and
// robots.txt is allow-all unless given.
func mux(t *testing.T, routes map[string]http.HandlerFunc) (*httptest.Server, *requestLog) {
	t.Helper()
	log := &requestLog{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		log.add(r)
		if h, ok := routes[r.URL.Path]; ok {
			h(w, r)
			return
		}
		http.NotFound(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, log
}

func html200(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, body)
	}
}

func TestRedirects(t *testing.T) {
	routes := map[string]http.HandlerFunc{
		"/":      html200(`<a href="/loop1">loop</a><a href="/chain/0">chain</a><a href="/moved">moved</a><a href="/to-secret">secret</a>`),
		"/loop1": func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop2", http.StatusFound) },
		"/loop2": func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop1", http.StatusFound) },
		"/moved": func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/new", http.StatusMovedPermanently) },
		"/new":   html200("new"),
		"/to-secret": func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/secret", http.StatusFound)
		},
		"/secret":     html200("secret"),
		"/robots.txt": func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "User-agent: *\nDisallow: /secret\n") },
	}
	for i := range 15 {
		routes[fmt.Sprintf("/chain/%d", i)] = func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, fmt.Sprintf("/chain/%d", i+1), http.StatusFound)
		}
	}
	srv, log := mux(t, routes)
	s := crawlOne(t, Target{URL: srv.URL}, fastOptions())
	pages := pageMap(s)
	if p := pages["/loop1"]; p == nil || !strings.Contains(p.Error, "redirect loop") {
		t.Errorf("loop = %+v", p)
	}
	if p := pages["/chain/0"]; p == nil || !strings.Contains(p.Error, "more than 10 redirects") || len(p.Redirects()) != 11 {
		t.Errorf("chain = error %q, %d hops", p.Error, len(p.Redirects()))
	}
	if p := pages["/moved"]; p == nil || p.Status != 200 || p.FinalURL != srv.URL+"/new" || len(p.Redirects()) != 1 || p.Redirects()[0].Status != 301 {
		t.Errorf("moved = %+v", p)
	}
	if p := pages["/to-secret"]; p == nil || !strings.Contains(p.Error, "disallowed by robots.txt") {
		t.Errorf("redirect into a disallowed path = %+v", p)
	}
	if log.count("/secret") != 0 {
		t.Error("a redirect led the crawler into a disallowed URL")
	}
}

func TestRobotsFaults(t *testing.T) {
	big := strings.Repeat("# filler line of a huge robots.txt file\n", (10<<20)/40)
	for _, c := range []struct {
		name      string
		h         http.HandlerFunc
		semantics string
		home      bool // the home page is fetched
	}{
		{"10MB", func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, "User-agent: *\nDisallow: /x\n"+big)
		}, "parsed", true},
		{"html-200", html200("<html><body><h1>Welcome</h1><p>Disallow: nothing</p></body></html>"), "parsed", true},
		{"404", http.NotFound, "allow-all", true},
		{"503", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "down", http.StatusServiceUnavailable) }, "disallow-all", false},
		{"429", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "slow down", http.StatusTooManyRequests) }, "disallow-all", false},
		{"redirect-loop", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/robots.txt", http.StatusFound) }, "allow-all", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv, log := mux(t, map[string]http.HandlerFunc{"/robots.txt": c.h, "/": html200("home")})
			o := fastOptions()
			o.MaxRetries = -1
			s := crawlOne(t, Target{URL: srv.URL}, o)
			if s.Robots.Semantics != c.semantics {
				t.Errorf("semantics = %s, want %s", s.Robots.Semantics, c.semantics)
			}
			if got := log.count("/") == 1; got != c.home {
				t.Errorf("home fetched = %v, want %v (pages %+v)", got, c.home, s.Pages)
			}
		})
	}
}

func TestBodyLimits(t *testing.T) {
	gzBomb := func() []byte {
		var b bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&b, gzip.BestSpeed)
		zw.Write([]byte("<html><body>"))
		zeros := make([]byte, 1<<20)
		for range 24 { // 24 MiB of zeros in about 24 KiB, 24 times the cap
			zw.Write(zeros)
		}
		zw.Close()
		return b.Bytes()
	}()
	srv, _ := mux(t, map[string]http.HandlerFunc{
		"/": html200(`<a href="/bomb">bomb</a><a href="/huge">huge</a><a href="/trickle">trickle</a>`),
		"/bomb": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(gzBomb)
		},
		"/huge": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			chunk := bytes.Repeat([]byte("<p>thirty megabytes of page</p>\n"), 1<<10)
			for sent := 0; sent < 30<<20; sent += len(chunk) {
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
		},
		"/trickle": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			for range 60 {
				if _, err := w.Write([]byte("x")); err != nil {
					return
				}
				w.(http.Flusher).Flush()
				select {
				case <-r.Context().Done():
					return
				case <-time.After(time.Second):
				}
			}
		},
	})
	o := fastOptions()
	o.ResponseTimeout = 1500 * time.Millisecond
	o.MaxBodyBytes = 1 << 20
	start := time.Now()
	s := crawlOne(t, Target{URL: srv.URL}, o)
	// A guard against hangs, not a speed test: the trickle alone would
	// take a minute without the response timeout.
	if d := time.Since(start); d > 45*time.Second {
		t.Errorf("crawl took %v", d)
	}
	pages := pageMap(s)
	if p := pages["/bomb"]; !p.Truncated || p.Bytes != 1<<20 || p.Encoding() != "gzip" {
		t.Errorf("gzip bomb: truncated %v bytes %d encoding %q error %q", p.Truncated, p.Bytes, p.Encoding(), p.Error)
	}
	if p := pages["/huge"]; !p.Truncated || p.Bytes != 1<<20 || p.Error != "" {
		t.Errorf("30 MB page: truncated %v bytes %d error %q", p.Truncated, p.Bytes, p.Error)
	}
	if p := pages["/trickle"]; !strings.Contains(p.Error, "timeout") {
		t.Errorf("trickle: error %q", p.Error)
	}
}

func TestEncodingsAndCharsets(t *testing.T) {
	page := `<html><head><title>café</title></head><body><a href="/latin1">l</a><a href="/meta">m</a><a href="/bad">b</a><a href="/deflate">d</a><a href="/raw-deflate">r</a><a href="/nothing">n</a></body></html>`
	srv, _ := mux(t, map[string]http.HandlerFunc{
		"/": func(w http.ResponseWriter, r *http.Request) {
			if !strings.Contains(r.Header.Get("Accept-Encoding"), "br") {
				t.Error("no br in Accept-Encoding")
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("Content-Encoding", "br")
			bw := brotli.NewWriter(w)
			io.WriteString(bw, page)
			bw.Close()
		},
		"/latin1": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=ISO-8859-1")
			w.Write([]byte("<p>caf\xe9</p>"))
		},
		"/meta": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte("<meta charset=\"windows-1252\"><p>caf\xe9 \x80</p>"))
		},
		"/bad": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte("<p>bad \xff\xfe utf-8</p>"))
		},
		"/deflate": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.Header().Set("Content-Encoding", "deflate")
			zw := zlib.NewWriter(w)
			io.WriteString(zw, "<p>zlib</p>")
			zw.Close()
		},
		"/nothing": func(w http.ResponseWriter, r *http.Request) {
			// A 204 (as a 304) carries the representation's
			// Content-Encoding and no content: nothing to gunzip.
			w.Header().Set("Content-Encoding", "gzip")
			w.WriteHeader(http.StatusNoContent)
		},
	})
	s := crawlOne(t, Target{URL: srv.URL}, fastOptions())
	pages := pageMap(s)
	if p := pages["/nothing"]; p == nil || p.Error != "" {
		t.Errorf("204 with Content-Encoding gzip: %+v", p)
	}
	if p := pages["/"]; p.Encoding() != "br" || !strings.Contains(string(p.Body), "café") || len(p.Links()) != 6 {
		t.Errorf("brotli page: encoding %q links %v body %q", p.Encoding(), p.Links(), p.Body)
	}
	if p := pages["/latin1"]; string(p.Body) != "<p>café</p>" || p.Charset() != "windows-1252" {
		t.Errorf("latin1: %q %q", p.Body, p.Charset())
	}
	if p := pages["/meta"]; !strings.Contains(string(p.Body), "café €") {
		t.Errorf("meta charset: %q %q", p.Body, p.Charset())
	}
	if p := pages["/bad"]; string(p.Body) != "<p>bad \uFFFD utf-8</p>" {
		t.Errorf("invalid utf-8: %q", p.Body)
	}
	if p := pages["/deflate"]; string(p.Body) != "<p>zlib</p>" {
		t.Errorf("deflate: %q %q", p.Body, p.Error)
	}
}

func TestRetryAfter(t *testing.T) {
	var calls atomic.Int32
	var times []time.Time
	var mu sync.Mutex
	srv, _ := mux(t, map[string]http.HandlerFunc{
		"/": func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			times = append(times, time.Now())
			mu.Unlock()
			if calls.Add(1) == 1 {
				w.Header().Set("Retry-After", "3")
				http.Error(w, "slow down", http.StatusTooManyRequests)
				return
			}
			html200("ok")(w, r)
		},
	})
	o := fastOptions()
	o.RetryAfterCap = 600 * time.Millisecond // Retry-After: 3, capped
	s := crawlOne(t, Target{URL: srv.URL}, o)
	p := pageMap(s)["/"]
	if p.Status != 200 || p.Attempts != 2 {
		t.Fatalf("status %d attempts %d", p.Status, p.Attempts)
	}
	if gap := times[1].Sub(times[0]); gap < 550*time.Millisecond {
		t.Errorf("retried after %v, want the capped Retry-After of 600ms", gap)
	}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for v, want := range map[string]time.Duration{"3": 3 * time.Second, "Thu, 01 Jan 2026 00:00:10 GMT": 10 * time.Second, "Wed, 31 Dec 2025 00:00:00 GMT": 0} {
		h := http.Header{"Retry-After": {v}}
		if got, ok := retryAfter(h, now); !ok || got != want {
			t.Errorf("retryAfter(%q) = %v %v, want %v", v, got, ok, want)
		}
	}
	if _, ok := retryAfter(http.Header{"Retry-After": {"soon"}}, now); ok {
		t.Error("garbage Retry-After accepted")
	}
}

func TestStopAfter5xx(t *testing.T) {
	var links strings.Builder
	for i := range 30 {
		fmt.Fprintf(&links, `<a href="/p%d">p</a>`, i)
	}
	routes := map[string]http.HandlerFunc{"/": html200(links.String())}
	for i := range 30 {
		routes[fmt.Sprintf("/p%d", i)] = func(w http.ResponseWriter, r *http.Request) { http.Error(w, "boom", 500) }
	}
	srv, log := mux(t, routes)
	o := fastOptions()
	o.Concurrency = 1
	s := crawlOne(t, Target{URL: srv.URL}, o)
	if s.Stats.Limit != "5xx" || s.Stats.Pages != 6 {
		t.Errorf("stats = %+v", s.Stats)
	}
	if n := len(log.paths); n > 8 {
		t.Errorf("%d requests; the host should have been left alone", n)
	}
}

func TestRateLimit(t *testing.T) {
	var links strings.Builder
	for i := range 12 {
		fmt.Fprintf(&links, `<a href="/p%d">p</a>`, i)
	}
	routes := map[string]http.HandlerFunc{"/": html200(links.String())}
	for i := range 12 {
		routes[fmt.Sprintf("/p%d", i)] = html200("p")
	}
	srv, log := mux(t, routes)
	o := fastOptions()
	o.Rate = 20
	o.NoSitemaps = true
	crawlOne(t, Target{URL: srv.URL}, o)
	// robots.txt, / and 12 pages: 14 requests at 20/s take at least 650 ms
	// (550 allows for network jitter).
	log.mu.Lock()
	defer log.mu.Unlock()
	if n := len(log.times); n != 14 {
		t.Fatalf("%d requests", n)
	}
	if span := log.times[len(log.times)-1].Sub(log.times[0]); span < 550*time.Millisecond {
		t.Errorf("14 requests in %v: faster than 20/s", span)
	}
	// In any 200 ms window the server sees at most 4 requests, plus one for
	// the limiter's burst and one for network jitter.
	for i := range log.times {
		n := 0
		for j := i; j < len(log.times) && log.times[j].Sub(log.times[i]) < 200*time.Millisecond; j++ {
			n++
		}
		if n > 6 {
			t.Errorf("%d requests within 200ms from request %d", n, i)
		}
	}
}

func TestCrawlDelay(t *testing.T) {
	srv, log := mux(t, map[string]http.HandlerFunc{
		"/robots.txt": func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "User-agent: *\nCrawl-delay: 0.3\n") },
		"/":           html200(`<a href="/a">a</a><a href="/b">b</a>`),
		"/a":          html200("a"), "/b": html200("b"),
	})
	o := fastOptions()
	o.NoSitemaps = true
	crawlOne(t, Target{URL: srv.URL}, o)
	log.mu.Lock()
	defer log.mu.Unlock()
	// After robots.txt: /, /a and /b, 300 ms apart (with slack for network
	// jitter on a loaded machine).
	if n := len(log.times); n != 4 {
		t.Fatalf("%d requests: %v", n, log.paths)
	}
	if span := log.times[3].Sub(log.times[1]); span < 500*time.Millisecond {
		t.Errorf("3 requests in %v; Crawl-delay is 300ms", span)
	}
	for i := 2; i < len(log.times); i++ {
		if gap := log.times[i].Sub(log.times[i-1]); gap < 150*time.Millisecond {
			t.Errorf("requests %s and %s %v apart; Crawl-delay is 300ms", log.paths[i-1], log.paths[i], gap)
		}
	}
}

func TestPrivateAddressGuard(t *testing.T) {
	internal, ilog := mux(t, map[string]http.HandlerFunc{"/admin": html200("internal admin")})
	srv, _ := mux(t, map[string]http.HandlerFunc{
		"/": html200(`<a href="/go">go</a>`),
		"/go": func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, internal.URL+"/admin", http.StatusFound)
		},
		"/other": html200("x"),
	})
	o := fastOptions()
	o.forcePublic = true // srv stands for a public site...
	o.allowAddrs = map[string]bool{srv.Listener.Addr().String(): true}
	s := crawlOne(t, Target{URL: srv.URL}, o)
	p := pageMap(s)["/go"]
	if p == nil || !strings.Contains(p.Error, "private") {
		t.Errorf("redirect to 127.0.0.1 = %+v", p)
	}
	if len(ilog.paths) != 0 {
		t.Error("the internal server was reached")
	}
	// With --allow-private the same redirect is followed.
	o.AllowPrivate = true
	s = crawlOne(t, Target{URL: srv.URL}, o)
	if p := pageMap(s)["/go"]; p.Status != 200 {
		t.Errorf("with AllowPrivate: %+v", p)
	}
}

func TestMaxPagesAndSitemapFlood(t *testing.T) {
	srv, log := mux(t, map[string]http.HandlerFunc{
		"/": html200("home"),
		"/sitemap.xml": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/xml")
			bw := &bytes.Buffer{}
			bw.WriteString("<urlset>")
			for i := range 200_000 {
				fmt.Fprintf(bw, "<url><loc>http://%s/p/%d</loc></url>\n", r.Host, i)
			}
			bw.WriteString("</urlset>")
			w.Write(bw.Bytes())
		},
	})
	o := fastOptions()
	o.MaxPages = 20
	o.MaxBodyBytes = 16 << 20
	o.ResponseTimeout = 30 * time.Second
	s := crawlOne(t, Target{URL: srv.URL}, o)
	if s.Stats.Pages != 20 || s.Stats.Limit != "max-pages" || s.Stats.Queued == 0 {
		t.Errorf("stats = %+v", s.Stats)
	}
	if sm := s.Sitemaps[0]; sm.Count != 50_000 || !sm.Truncated {
		t.Errorf("sitemap count %d truncated %v", sm.Count, sm.Truncated)
	}
	if n := len(log.paths); n > 22 {
		t.Errorf("%d requests for 20 pages", n)
	}
}

func TestMaxDurationAndCancel(t *testing.T) {
	srv, _ := mux(t, map[string]http.HandlerFunc{
		"/": func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-time.After(10 * time.Second):
			}
		},
	})
	o := fastOptions()
	o.MaxDuration = 500 * time.Millisecond
	start := time.Now()
	s := crawlOne(t, Target{URL: srv.URL}, o)
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("took %v", d)
	}
	if s.Stats.Limit != "max-duration" {
		t.Errorf("limit = %q", s.Stats.Limit)
	}
}

func TestCancel(t *testing.T) {
	srv, _ := mux(t, map[string]http.HandlerFunc{
		"/": func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-time.After(10 * time.Second):
			}
		},
	})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(300*time.Millisecond, cancel)
	start := time.Now()
	sites, err := Crawl(ctx, []Target{{URL: srv.URL}}, fastOptions())
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("cancel took %v", d)
	}
	s := sites[0]
	// The start page's fetch was cut: listed as skipped, counted as not
	// fetched, not as an error of the site.
	if s.Stats.Limit != "cancelled" || len(s.Pages) != 1 || s.Pages[0].Skipped() != "cancelled" || s.Pages[0].Error != errCutCancelled ||
		s.Stats.Errors != 0 || s.Stats.Queued != 1 || s.Stats.Pages != 0 {
		t.Errorf("limit %q stats %+v pages %+v", s.Stats.Limit, s.Stats, s.Pages)
	}
}

// TestMaxDurationUnderRateLimit: when the rate limiter will not wait past
// --max-duration, the crawl stops there; the pages it could not send are
// counted as not fetched, not listed one by one or called failures.
func TestMaxDurationUnderRateLimit(t *testing.T) {
	var links strings.Builder
	for i := range 50 {
		fmt.Fprintf(&links, `<a href="/p%d">p</a>`, i)
	}
	srv, _ := mux(t, map[string]http.HandlerFunc{
		"/": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			io.WriteString(w, "<html><body>"+links.String()+"</body></html>")
		},
	})
	o := fastOptions()
	o.Rate = 2
	o.NoSitemaps = true
	o.MaxDuration = 1200 * time.Millisecond
	s := crawlOne(t, Target{URL: srv.URL}, o)
	if s.Stats.Limit != "max-duration" || s.Stats.Errors != 0 || s.Stats.Queued < 40 {
		t.Errorf("stats %+v", s.Stats)
	}
	skipped := 0
	for _, p := range s.Pages {
		switch {
		case p.Skipped() == "max-duration":
			skipped++
		case p.Skipped() != "" || p.Error != "":
			t.Errorf("%s: skipped %q, error %q", p.URL, p.Skipped(), p.Error)
		}
	}
	if skipped > 2*DefaultConcurrency {
		t.Errorf("%d pages listed as cut: the crawl went on claiming pages it could not send", skipped)
	}
}
