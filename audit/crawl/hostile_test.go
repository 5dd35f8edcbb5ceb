package crawl

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Hostile and broken servers, beyond faults_test.go: each case must end
// within its bounds (time, bytes, pages), never panic, and say what
// happened in the page's Error or the site's Errors.

// rawServer is a loopback HTTP/1.1 server whose handlers write raw bytes to
// the connection, for answers net/http's server will not send (lying
// Content-Length, endless headers, 1xx storms, a close mid-body). A path
// without a handler gets a 404 that keeps the connection; a handler's
// connection is closed when it returns.
type rawServer struct {
	URL  string
	ln   net.Listener
	mu   sync.Mutex
	hits map[string]int
	wg   sync.WaitGroup
}

func newRawServer(t *testing.T, routes map[string]func(c net.Conn, r *http.Request)) *rawServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &rawServer{URL: "http://" + ln.Addr().String(), ln: ln, hits: map[string]int{}}
	done := make(chan struct{})
	s.wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.wg.Go(func() {
				defer c.Close()
				go func() { <-done; c.Close() }()
				br := bufio.NewReader(c)
				for {
					r, err := http.ReadRequest(br)
					if err != nil {
						return
					}
					s.mu.Lock()
					s.hits[r.URL.Path]++
					s.mu.Unlock()
					if h := routes[r.URL.Path]; h != nil {
						h(c, r)
						return
					}
					io.WriteString(c, "HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\nContent-Type: text/plain\r\n\r\nnot found")
				}
			})
		}
	})
	t.Cleanup(func() { close(done); ln.Close(); s.wg.Wait() })
	return s
}

func (s *rawServer) count(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

// write writes to c until the peer goes away or stop is closed; it reports
// whether it wrote everything.
func write(c net.Conn, s string) bool {
	c.SetWriteDeadline(time.Now().Add(20 * time.Second))
	_, err := io.WriteString(c, s)
	return err == nil
}

// linksTo is an HTML page linking to each path.
func linksTo(paths ...string) string {
	var b strings.Builder
	b.WriteString("<html><body>")
	for _, p := range paths {
		fmt.Fprintf(&b, `<a href="%s">%s</a>`, p, p)
	}
	b.WriteString("</body></html>")
	return b.String()
}

func rawHTML(body string) func(net.Conn, *http.Request) {
	return func(c net.Conn, _ *http.Request) {
		write(c, fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n%s", len(body), body))
	}
}

// hostileCase is one hostile answer: the page it serves and what the
// crawler must record for it.
type hostileCase struct {
	path  string
	serve func(c net.Conn, r *http.Request, stop <-chan struct{})
	check func(t *testing.T, p *Page)
}

// crawlHostile serves the cases (and a start page linking to each) on a
// raw server and crawls it with a 1 MiB body cap, a 2 s first-byte and a
// 3 s response timeout.
func crawlHostile(t *testing.T, cases []hostileCase) (*Site, *rawServer, time.Duration) {
	t.Helper()
	stop := make(chan struct{})
	routes := map[string]func(net.Conn, *http.Request){}
	var paths []string
	for _, c := range cases {
		paths = append(paths, c.path)
		routes[c.path] = func(conn net.Conn, r *http.Request) { c.serve(conn, r, stop) }
	}
	routes["/"] = rawHTML(linksTo(paths...))
	srv := newRawServer(t, routes)
	t.Cleanup(func() { close(stop) }) // before the server's cleanup waits for its handlers
	o := fastOptions()
	o.ResponseTimeout = 3 * time.Second
	o.FirstByteTimeout = 2 * time.Second
	o.MaxBodyBytes = 1 << 20
	o.KeepBodies = false
	start := time.Now()
	s := crawlOne(t, Target{URL: srv.URL}, o)
	return s, srv, time.Since(start)
}

func runHostile(t *testing.T, cases []hostileCase) {
	t.Helper()
	s, srv, took := crawlHostile(t, cases)
	// A guard against hangs, not a speed test: every case is bounded by
	// the 3 s response timeout, and they run at once.
	if took > 30*time.Second {
		t.Errorf("crawl took %v", took)
	}
	pages := pageMap(s)
	for _, c := range cases {
		t.Run(strings.TrimPrefix(c.path, "/"), func(t *testing.T) {
			p := pages[c.path]
			if p == nil {
				t.Fatalf("not crawled (%d requests)", srv.count(c.path))
			}
			c.check(t, p)
		})
	}
}

func wantError(t *testing.T, p *Page, sub string) {
	t.Helper()
	if !strings.Contains(p.Error, sub) {
		t.Errorf("error %q, want it to say %q (status %d, %d bytes)", p.Error, sub, p.Status, p.Bytes)
	}
}

func TestHostileHeaders(t *testing.T) {
	runHostile(t, []hostileCase{
		{"/headers-forever", func(c net.Conn, _ *http.Request, stop <-chan struct{}) {
			if !write(c, "HTTP/1.1 200 OK\r\n") {
				return
			}
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				if !write(c, fmt.Sprintf("X-Filler-%d: %s\r\n", i, strings.Repeat("a", 1000))) {
					return
				}
			}
		}, func(t *testing.T, p *Page) {
			wantError(t, p, "headers exceeded 262144 bytes")
			if strings.Contains(p.Error, `Get "`) {
				t.Errorf("error %q repeats the request", p.Error)
			}
		}},
		{"/header-10mb", func(c net.Conn, _ *http.Request, _ <-chan struct{}) {
			write(c, "HTTP/1.1 200 OK\r\nX-Big: "+strings.Repeat("b", 10<<20)+"\r\n\r\n")
		}, func(t *testing.T, p *Page) { wantError(t, p, "headers exceeded") }},
		{"/headers-trickle", func(c net.Conn, _ *http.Request, stop <-chan struct{}) {
			write(c, "HTTP/1.1 200 OK\r\n")
			for i := range 100 {
				if !write(c, fmt.Sprintf("X-Slow-%d: 1\r\n", i)) {
					return
				}
				select {
				case <-stop:
					return
				case <-time.After(200 * time.Millisecond):
				}
			}
		}, func(t *testing.T, p *Page) {
			// The first-byte timeout (2s) ends it, and the error names it,
			// not the response timeout (3s).
			wantError(t, p, "timeout: no response headers within 2s")
		}},
		{"/1xx-storm", func(c net.Conn, _ *http.Request, _ <-chan struct{}) {
			for range 100_000 {
				if !write(c, "HTTP/1.1 102 Processing\r\n\r\n") {
					return
				}
			}
			write(c, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
		}, func(t *testing.T, p *Page) {
			// net/http counts informational headers toward the header limit.
			wantError(t, p, "headers exceeded")
		}},
		{"/103-then-200", func(c net.Conn, _ *http.Request, _ <-chan struct{}) {
			write(c, "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 2\r\n\r\nok")
		}, func(t *testing.T, p *Page) {
			if p.Status != 200 || p.Error != "" || p.Bytes != 2 {
				t.Errorf("status %d bytes %d error %q", p.Status, p.Bytes, p.Error)
			}
		}},
	})
}

func TestHostileBodies(t *testing.T) {
	brBomb := func() []byte {
		var b bytes.Buffer
		bw := brotli.NewWriterLevel(&b, 5)
		zeros := make([]byte, 1<<20)
		for range 200 { // 200 MiB
			bw.Write(zeros)
		}
		bw.Close()
		return b.Bytes()
	}()
	gzipped := func(b []byte) []byte {
		var out bytes.Buffer
		zw := gzip.NewWriter(&out)
		zw.Write(b)
		zw.Close()
		return out.Bytes()
	}
	raw := func(head string, body []byte) func(net.Conn, *http.Request, <-chan struct{}) {
		return func(c net.Conn, _ *http.Request, _ <-chan struct{}) {
			write(c, fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n%sContent-Length: %d\r\n\r\n%s", head, len(body), body))
		}
	}
	page := []byte(`<html><body><a href="/twice-target">decoded</a></body></html>`)
	runHostile(t, []hostileCase{
		{"/chunked-endless", func(c net.Conn, _ *http.Request, stop <-chan struct{}) {
			if !write(c, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n") {
				return
			}
			chunk := fmt.Sprintf("%x\r\n%s\r\n", 4096, strings.Repeat("<p>x</p>", 512))
			for write(c, chunk) {
				select {
				case <-stop:
					return
				default:
				}
			}
		}, func(t *testing.T, p *Page) {
			if !p.Truncated || p.Bytes != 1<<20 || p.Error != "" {
				t.Errorf("truncated %v bytes %d error %q", p.Truncated, p.Bytes, p.Error)
			}
		}},
		{"/stall-after-headers", func(c net.Conn, _ *http.Request, stop <-chan struct{}) {
			write(c, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 1000\r\n\r\n<html><body>")
			<-stop
		}, func(t *testing.T, p *Page) {
			wantError(t, p, "timeout: no complete response within 3s")
			if p.Status != 200 || p.Bytes != 12 {
				t.Errorf("status %d bytes %d", p.Status, p.Bytes)
			}
		}},
		{"/length-longer", func(c net.Conn, _ *http.Request, _ <-chan struct{}) {
			write(c, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 1000\r\n\r\n<html><body>short</body></html>")
		}, func(t *testing.T, p *Page) {
			wantError(t, p, "body cut short: the connection closed after 31 of the 1000 bytes of its Content-Length")
		}},
		{"/length-shorter", func(c net.Conn, _ *http.Request, _ <-chan struct{}) {
			write(c, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 12\r\n\r\n<html><body>longer than it said</body></html>")
		}, func(t *testing.T, p *Page) {
			// As a browser does: the body is what Content-Length says.
			if p.Status != 200 || p.Bytes != 12 || p.Error != "" {
				t.Errorf("status %d bytes %d error %q", p.Status, p.Bytes, p.Error)
			}
		}},
		{"/close-mid-chunk", func(c net.Conn, _ *http.Request, _ <-chan struct{}) {
			write(c, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n<html\r\n")
		}, func(t *testing.T, p *Page) {
			wantError(t, p, "body cut short: the connection closed after 5 bytes, before the chunked body's end")
		}},
		{"/gzip-cut", func(c net.Conn, _ *http.Request, _ <-chan struct{}) {
			z := gzipped(bytes.Repeat([]byte("<p>compressed</p>"), 1000))
			write(c, fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\nContent-Length: %d\r\n\r\n%s", len(z), z[:len(z)/2]))
		}, func(t *testing.T, p *Page) { wantError(t, p, "body cut short: the gzip stream ended early") }},
		{"/gzip-corrupt", raw("Content-Encoding: gzip\r\n", append(gzipped(page)[:10], "not deflate at all"...)),
			func(t *testing.T, p *Page) { wantError(t, p, "body cut short: gzip: flate: corrupt input") }},
		{"/http10-no-length", func(c net.Conn, _ *http.Request, _ <-chan struct{}) {
			write(c, "HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n<html><body>"+strings.Repeat("<p>old</p>", 1000)+"</body></html>")
		}, func(t *testing.T, p *Page) {
			if p.Status != 200 || p.Bytes != 12+10*1000+14 || p.Error != "" || p.Truncated {
				t.Errorf("status %d bytes %d error %q", p.Status, p.Bytes, p.Error)
			}
		}},
		{"/304-unasked", func(c net.Conn, _ *http.Request, _ <-chan struct{}) {
			write(c, "HTTP/1.1 304 Not Modified\r\nETag: \"x\"\r\nContent-Length: 0\r\n\r\n")
		}, func(t *testing.T, p *Page) {
			if p.Status != 304 || p.Bytes != 0 || p.Error != "" {
				t.Errorf("status %d bytes %d error %q", p.Status, p.Bytes, p.Error)
			}
		}},
		{"/gzip-in-gzip", raw("Content-Encoding: gzip\r\nContent-Encoding: gzip\r\n", gzipped(gzipped(page))), func(t *testing.T, p *Page) {
			if p.Error != "" || p.Bytes != int64(len(page)) || p.Encoding() != "gzip, gzip" || p.LinkCount != 1 {
				t.Errorf("error %q bytes %d encoding %q links %d", p.Error, p.Bytes, p.Encoding(), p.LinkCount)
			}
		}},
		{"/gzip-br-identity", func(c net.Conn, r *http.Request, stop <-chan struct{}) {
			var b bytes.Buffer
			bw := brotli.NewWriter(&b)
			bw.Write(gzipped(page))
			bw.Close()
			raw("Content-Encoding: gzip, br, identity\r\n", b.Bytes())(c, r, stop)
		}, func(t *testing.T, p *Page) {
			if p.Error != "" || p.Bytes != int64(len(page)) || p.Encoding() != "gzip, br" {
				t.Errorf("error %q bytes %d encoding %q", p.Error, p.Bytes, p.Encoding())
			}
		}},
		{"/four-codings", raw("Content-Encoding: gzip, gzip, gzip, gzip\r\n", gzipped(gzipped(gzipped(gzipped(page))))),
			func(t *testing.T, p *Page) { wantError(t, p, "4 codings, at most 3 are decoded") }},
		{"/br-bomb", raw("Content-Encoding: br\r\n", brBomb), func(t *testing.T, p *Page) {
			if !p.Truncated || p.Bytes != 1<<20 || p.Encoding() != "br" || p.Error != "" {
				t.Errorf("truncated %v bytes %d encoding %q error %q", p.Truncated, p.Bytes, p.Encoding(), p.Error)
			}
		}},
		{"/utf16-on-ascii", func(c net.Conn, r *http.Request, _ <-chan struct{}) {
			b := `<html><body><a href="/x">x</a></body></html>!` // an odd length
			write(c, fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-16\r\nContent-Length: %d\r\n\r\n%s", len(b), b))
		}, func(t *testing.T, p *Page) {
			// As a browser does (WHATWG encoding: the transport's charset
			// wins when there is no BOM), the bytes are read as UTF-16LE:
			// no markup, so no links.
			if p.Error != "" || p.Status != 200 || p.Charset() != "utf-16le" || p.LinkCount != 0 {
				t.Errorf("status %d error %q charset %q links %d", p.Status, p.Error, p.Charset(), p.LinkCount)
			}
		}},
	})
}

func TestHostileRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for v, want := range map[string]time.Duration{
		"31536000":                      365 * 24 * time.Hour, // a year
		"10000000000":                   time.Duration(math.MaxInt64),
		"99999999999999999999999999999": time.Duration(math.MaxInt64),
		"Fri, 01 Jan 2027 00:00:00 GMT": 365 * 24 * time.Hour,
	} {
		if got, ok := retryAfter(http.Header{"Retry-After": {v}}, now); !ok || got != want {
			t.Errorf("retryAfter(%q) = %v %v, want %v", v, got, ok, want)
		}
	}
	for _, v := range []string{"-5", "+5", "1e3", "soon"} {
		if d, ok := retryAfter(http.Header{"Retry-After": {v}}, now); ok {
			t.Errorf("retryAfter(%q) = %v, accepted", v, d)
		}
	}
	// In a crawl, a year (or more than a Duration holds) waits the cap.
	for _, v := range []string{"31536000", "10000000000"} {
		t.Run(v, func(t *testing.T) {
			srv, log := mux(t, map[string]http.HandlerFunc{"/": func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Retry-After", v)
				http.Error(w, "later", http.StatusTooManyRequests)
			}})
			o := fastOptions()
			o.RetryAfterCap = 300 * time.Millisecond
			o.MaxRetries = 1
			s := crawlOne(t, Target{URL: srv.URL}, o)
			if p := pageMap(s)["/"]; p.Status != 429 || p.Attempts != 2 {
				t.Fatalf("status %d attempts %d", p.Status, p.Attempts)
			}
			log.mu.Lock()
			defer log.mu.Unlock()
			var times []time.Time
			for i, p := range log.paths {
				if p == "/" {
					times = append(times, log.times[i])
				}
			}
			if len(times) != 2 || times[1].Sub(times[0]) < 250*time.Millisecond {
				t.Errorf("retries at %v: want them the capped 300ms apart", times)
			}
		})
	}
}

func TestHostileRedirects(t *testing.T) {
	internal, ilog := mux(t, map[string]http.HandlerFunc{"/admin": html200("internal")})
	_, port, _ := net.SplitHostPort(internal.Listener.Addr().String())
	var auth []string
	var mu sync.Mutex
	to := func(loc string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Location", strings.ReplaceAll(loc, "HOST", r.Host))
			w.WriteHeader(302)
		}
	}
	long := "/" + strings.Repeat("x", 200<<10)
	routes := map[string]http.HandlerFunc{
		"/file":       to("file:///etc/passwd"),
		"/gopher":     to("gopher://127.0.0.1:70/1"),
		"/javascript": to("javascript:alert(1)"),
		"/userinfo":   to("http://user:secret@HOST/landing"),
		"/long":       to(long),
		"/localhost":  to("http://localhost:" + port + "/admin"),
		"/v6":         to("http://[::1]:" + port + "/admin"),
		"/zero":       to("http://0.0.0.0:" + port + "/admin"),
		"/mapped":     to("http://[::ffff:127.0.0.1]:" + port + "/admin"),
		"/landing": func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			auth = append(auth, r.Header.Get("Authorization"))
			mu.Unlock()
			html200("landed")(w, r)
		},
	}
	var paths []string
	for p := range routes {
		if p != "/landing" {
			paths = append(paths, p)
		}
	}
	routes["/"] = html200(linksTo(paths...))
	srv, _ := mux(t, routes)
	o := fastOptions()
	o.forcePublic = true // srv stands for a public site
	o.allowAddrs = map[string]bool{srv.Listener.Addr().String(): true}
	s := crawlOne(t, Target{URL: srv.URL}, o)
	pages := pageMap(s)
	for path, want := range map[string]string{
		"/file":       `bad redirect location "file:///etc/passwd": file: not an http or https URL`,
		"/gopher":     "gopher: not an http or https URL",
		"/javascript": "javascript: not an http or https URL",
		"/long":       fmt.Sprintf("redirect location of %d bytes (at most %d)", len(long), maxURLBytes),
		"/localhost":  "private, loopback or link-local",
		"/v6":         "private, loopback or link-local",
		"/zero":       "private, loopback or link-local",
		"/mapped":     "private, loopback or link-local",
	} {
		if p := pages[path]; p == nil || !strings.Contains(p.Error, want) {
			t.Errorf("%s: %+v, want error %q", path, p, want)
		}
	}
	if len(ilog.paths) != 0 {
		t.Errorf("the loopback server was reached: %v", ilog.paths)
	}
	// The page keeps a bounded chain, not the 200 KiB location.
	if p := pages["/long"]; p != nil {
		n := 0
		for _, r := range p.Redirects() {
			n += len(r.URL) + len(r.Location)
		}
		for _, vs := range p.Header {
			for _, v := range vs {
				n += len(v)
			}
		}
		if n > 4<<10 {
			t.Errorf("the page keeps %d bytes of redirect chain and header", n)
		}
	}
	// Userinfo is dropped: followed, with no credentials sent.
	if p := pages["/userinfo"]; p == nil || p.Status != 200 || p.FinalURL != srv.URL+"/landing" {
		t.Errorf("userinfo: %+v", p)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(auth) != 1 || auth[0] != "" {
		t.Errorf("Authorization headers sent: %q", auth)
	}
}

func TestHostileRobotsRedirectChain(t *testing.T) {
	for _, c := range []struct {
		hops      int
		semantics string
	}{{5, "parsed"}, {6, "allow-all"}} {
		t.Run(fmt.Sprint(c.hops), func(t *testing.T) {
			routes := map[string]http.HandlerFunc{
				"/":            html200(`<a href="/private/x">x</a>`),
				"/private/x":   html200("x"),
				"/robots.txt":  func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/r/1", http.StatusFound) },
				"/sitemap.xml": http.NotFound,
			}
			for i := 1; i <= c.hops; i++ {
				routes[fmt.Sprintf("/r/%d", i)] = func(w http.ResponseWriter, r *http.Request) {
					if i == c.hops {
						io.WriteString(w, "User-agent: *\nDisallow: /private/\n")
						return
					}
					http.Redirect(w, r, fmt.Sprintf("/r/%d", i+1), http.StatusFound)
				}
			}
			srv, log := mux(t, routes)
			s := crawlOne(t, Target{URL: srv.URL}, fastOptions())
			// RFC 9309 2.3.1.2: at least five redirects are followed; past
			// that, robots.txt is unavailable (4xx semantics: allow all).
			if s.Robots.Semantics != c.semantics {
				t.Errorf("semantics %s (%q), want %s", s.Robots.Semantics, s.Robots.Error, c.semantics)
			}
			if got, want := log.count("/private/x"), map[bool]int{true: 0, false: 1}[c.semantics == "parsed"]; got != want {
				t.Errorf("/private/x fetched %d times, want %d", got, want)
			}
			if n := log.count(fmt.Sprintf("/r/%d", c.hops)); n != map[bool]int{true: 1, false: 0}[c.hops <= 5] {
				t.Errorf("last hop fetched %d times", n)
			}
		})
	}
}

func TestHostileSitemapIndex(t *testing.T) {
	srv, log := mux(t, map[string]http.HandlerFunc{
		"/": html200("home"),
		"/sitemap.xml": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/xml")
			io.WriteString(w, "<sitemapindex>")
			fmt.Fprintf(w, "<sitemap><loc>http://%s/sitemap.xml</loc></sitemap>", r.Host) // itself
			for i := range 50_000 {
				fmt.Fprintf(w, "<sitemap><loc>http://%s/sm/%d.xml</loc></sitemap>", r.Host, i)
			}
			io.WriteString(w, "</sitemapindex>")
		},
	})
	o := fastOptions()
	o.MaxBodyBytes = 8 << 20
	s := crawlOne(t, Target{URL: srv.URL}, o)
	if n := log.count("/sitemap.xml"); n != 1 {
		t.Errorf("the index that lists itself was fetched %d times", n)
	}
	sms := 0
	for _, p := range log.paths {
		if strings.HasPrefix(p, "/sm/") {
			sms++
		}
	}
	if sms != maxSitemapFiles-1 || len(s.Sitemaps) != maxSitemapFiles {
		t.Errorf("%d listed sitemaps fetched, %d recorded; want %d", sms, len(s.Sitemaps), maxSitemapFiles)
	}
	want := fmt.Sprintf("sitemap index %s/sitemap.xml: 49990 listed sitemaps not read (at most %d", srv.URL, maxSitemapFiles)
	if len(s.Errors) != 1 || !strings.HasPrefix(s.Errors[0], want) {
		t.Errorf("site errors %q, want %q", s.Errors, want)
	}
}

func TestHostileMarkup(t *testing.T) {
	longLink := "/" + strings.Repeat("l", maxURLBytes)
	srv, log := mux(t, map[string]http.HandlerFunc{
		"/": html200(linksTo("/million-links", "/nested", "/jsonld-50mb", "/long-links")),
		"/million-links": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			bw := bufio.NewWriterSize(w, 64<<10)
			defer bw.Flush()
			for i := range 1_000_000 {
				if _, err := fmt.Fprintf(bw, `<a href="/l/%d">x</a>`, i); err != nil {
					return
				}
			}
		},
		// 100,000 unclosed elements: html.Parse refuses more than 512.
		"/nested": html200("<html><head><title>deep</title></head><body>" + strings.Repeat("<div>", 100_000) +
			`<a href="/deep">deep</a>` + strings.Repeat("<span><b><table><tr><td>", 1000) + `<a href="/deeper">deeper</a>`),
		"/jsonld-50mb": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			io.WriteString(w, `<html><head><script type="application/ld+json">{"@type":"Thing","name":"`)
			chunk := strings.Repeat("a", 1<<20)
			for range 50 {
				if _, err := io.WriteString(w, chunk); err != nil {
					return
				}
			}
			io.WriteString(w, `"}</script></head><body>x</body></html>`)
		},
		"/long-links": html200(linksTo(longLink, "/short")),
		"/deep":       html200("deep"), "/deeper": html200("deeper"), "/short": html200("short"),
	})
	o := fastOptions()
	o.KeepBodies = false
	o.MaxPages = 8
	titles := map[string]string{}
	var mu sync.Mutex
	o.Extractors = []Extractor{ExtractorFunc{N: "title", F: func(d *Document) {
		if d.HTML != nil {
			mu.Lock()
			titles[d.Page.URL] = d.HTML.Find("title").Text()
			mu.Unlock()
		}
	}}}
	s := crawlOne(t, Target{URL: srv.URL}, o)
	pages := pageMap(s)
	if p := pages["/million-links"]; p == nil || !p.Truncated || p.LinkCount != maxLinksPerPage || p.Error != "" {
		t.Errorf("a million links: %+v", p)
	}
	// The deep page is read: its links (past 100,000 open elements) are
	// followed, and the extractors get its document.
	if p := pages["/nested"]; p == nil || p.Error != "" || p.LinkCount != 2 || titles[p.URL] != "deep" {
		t.Errorf("nested: %+v, title %q", p, titles[srv.URL+"/nested"])
	}
	if log.count("/deep") != 1 || log.count("/deeper") != 1 {
		t.Errorf("links of the deep page not followed: %v", log.paths)
	}
	if p := pages["/jsonld-50mb"]; p == nil || !p.Truncated || p.Bytes != DefaultMaxBodyBytes {
		t.Errorf("50 MB JSON-LD: %+v", p)
	}
	// A link longer than maxURLBytes is not followed (or remembered).
	if p := pages["/long-links"]; p == nil || p.LinkCount != 1 || log.count("/short") != 1 || log.count(longLink) != 0 {
		t.Errorf("long links: %+v", p)
	}
}

// TestHostileMarkupMemory bounds what parsing a hostile page allocates:
// the million-link page (cut at the 5 MiB cap) and the 100,000-deep one.
func TestHostileMarkupMemory(t *testing.T) {
	var links bytes.Buffer
	for i := 0; links.Len() < DefaultMaxBodyBytes; i++ {
		fmt.Fprintf(&links, `<a href="/l/%d">x</a>`, i)
	}
	deep := "<html><body>" + strings.Repeat("<div>", 1_100_000)
	base, _ := url.Parse("https://example.com/")
	for name, body := range map[string][]byte{"links": links.Bytes()[:DefaultMaxBodyBytes], "deep": []byte(deep[:DefaultMaxBodyBytes])} {
		c := &siteCrawl{o: &Options{}}
		p := &Page{Response: Response{FinalURL: base.String(), Body: body}}
		var ms0, ms1 runtime.MemStats
		runtime.ReadMemStats(&ms0)
		ls := c.parse(p)
		runtime.ReadMemStats(&ms1)
		alloc := ms1.TotalAlloc - ms0.TotalAlloc
		t.Logf("%s: %d links, %d MiB allocated", name, len(ls), alloc>>20)
		if p.Error != "" || name == "links" && len(ls) != maxLinksPerPage {
			t.Errorf("%s: error %q, %d links", name, p.Error, len(ls))
		}
		// 17 (links) to 35 (deep) bytes per input byte for the parse tree of a 5 MiB
		// page of tiny elements; far beyond it is a leak or a blow-up.
		if alloc > 50*DefaultMaxBodyBytes {
			t.Errorf("%s: %d MiB allocated to parse a 5 MiB page", name, alloc>>20)
		}
	}
}

func FuzzFlattenDeep(f *testing.F) {
	for _, s := range []string{"<div><div><a href=/x>x</a></div></div>", "<b><i></b></i><p>", "</div></p><br>",
		"<script><div><div></script><div>", strings.Repeat("<table><tr><td>", 20), "<svg><a href=x><g><g>"} {
		f.Add(s, 3)
	}
	f.Fuzz(func(t *testing.T, s string, limit int) {
		limit = 1 + abs(limit)%16
		out := flattenDeep([]byte(s), limit)
		// Every start tag is kept, and the tags nest at most limit deep.
		starts := func(b []byte) (n, deepest int) {
			z := html.NewTokenizer(bytes.NewReader(b))
			var open []string
			for {
				switch z.Next() {
				case html.ErrorToken:
					return n, deepest
				case html.StartTagToken, html.SelfClosingTagToken:
					n++
					name, _ := z.TagName()
					if z.Token().Type == html.StartTagToken && !leafElement(atom.Lookup(name)) {
						open = append(open, string(name))
						deepest = max(deepest, len(open))
					}
				case html.EndTagToken:
					name, _ := z.TagName()
					for i := len(open) - 1; i >= 0; i-- {
						if open[i] == string(name) {
							open = open[:i]
							break
						}
					}
				}
			}
		}
		n0, _ := starts([]byte(s))
		n1, deepest := starts(out)
		if n0 != n1 {
			t.Errorf("%d start tags, %d after", n0, n1)
		}
		if deepest > limit {
			t.Errorf("nested %d deep after flattening at %d", deepest, limit)
		}
		// And the parser takes it: the flattened document exists to parse.
		if _, err := html.Parse(bytes.NewReader(out)); err != nil {
			t.Errorf("the flattened document does not parse: %v", err)
		}
	})
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// TestHostileDecompressionMemory bounds what decoding a bomb allocates: a
// 128 MiB brotli bomb and three gzip layers of 128 MiB of zeros, each cut
// at a 1 MiB body cap.
func TestHostileDecompressionMemory(t *testing.T) {
	gz := func(src io.Reader) []byte {
		var b bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
		io.Copy(zw, src)
		zw.Close()
		return b.Bytes()
	}
	zeros := io.LimitReader(zeroReader{}, 128<<20)
	gz3 := gz(bytes.NewReader(gz(bytes.NewReader(gz(zeros)))))
	var br bytes.Buffer
	bw := brotli.NewWriterLevel(&br, 5)
	io.Copy(bw, io.LimitReader(zeroReader{}, 128<<20))
	bw.Close()
	srv, _ := mux(t, map[string]http.HandlerFunc{
		"/gz3": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Encoding", "gzip, gzip, gzip")
			w.Write(gz3)
		},
		"/br": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Encoding", "br")
			w.Write(br.Bytes())
		},
	})
	o := fastOptions().withDefaults()
	o.MaxBodyBytes = 1 << 20
	f := newFetcher(&o, &dialGuard{allowPrivate: true})
	defer f.close()
	for _, path := range []string{"/gz3", "/br"} {
		var ms0, ms1 runtime.MemStats
		runtime.ReadMemStats(&ms0)
		r, _, _ := f.do(t.Context(), request{url: srv.URL + path})
		runtime.ReadMemStats(&ms1)
		alloc := ms1.TotalAlloc - ms0.TotalAlloc
		t.Logf("%s: %d compressed bytes, %d KiB allocated", path, map[string]int{"/gz3": len(gz3), "/br": br.Len()}[path], alloc>>10)
		if !r.Truncated || r.Bytes != 1<<20 || r.Error != "" {
			t.Errorf("%s: truncated %v bytes %d error %q", path, r.Truncated, r.Bytes, r.Error)
		}
		// The 1 MiB body (and the buffer growth to it), the decoders'
		// windows and the compressed body in flight: far below the
		// decoded size.
		if alloc > 24<<20 {
			t.Errorf("%s: %d MiB allocated", path, alloc>>20)
		}
	}
}

type zeroReader struct{}

func (zeroReader) Read(b []byte) (int, error) {
	clear(b)
	return len(b), nil
}

func TestHostileSitemapURLBytes(t *testing.T) {
	pad := strings.Repeat("p", 200)
	sitemapOf := func(n int) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/xml")
			bw := bufio.NewWriterSize(w, 64<<10)
			defer bw.Flush()
			io.WriteString(bw, "<urlset>")
			for i := range 40_000 {
				fmt.Fprintf(bw, "<url><loc>http://%s/%d/%s/%d</loc></url>", r.Host, n, pad, i)
			}
			io.WriteString(bw, "</urlset>")
		}
	}
	srv, _ := mux(t, map[string]http.HandlerFunc{
		"/": html200("home"),
		"/robots.txt": func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprintf(w, "Sitemap: /s1.xml\nSitemap: /s2.xml\nSitemap: /s3.xml\n")
		},
		"/s1.xml": sitemapOf(1), "/s2.xml": sitemapOf(2), "/s3.xml": sitemapOf(3),
	})
	o := fastOptions()
	o.MaxPages = 1
	o.MaxBodyBytes = 16 << 20
	s := crawlOne(t, Target{URL: srv.URL}, o)
	kept, counted := 0, 0
	for _, sm := range s.Sitemaps {
		counted += sm.Count
		for _, u := range sm.URLs {
			kept += len(u)
		}
	}
	// Three files of 40,000 URLs of ~230 bytes: 27 MiB of URLs, of which
	// 16 MiB are kept; every entry is counted.
	if kept > maxSitemapURLBytes || kept < maxSitemapURLBytes-1024 || counted != 120_000 {
		t.Errorf("kept %d bytes of sitemap URLs (bound %d), counted %d", kept, maxSitemapURLBytes, counted)
	}
	for _, sm := range s.Sitemaps {
		if strings.HasSuffix(sm.URL, "/s3.xml") && (!sm.Truncated || len(sm.URLs) == 40_000) {
			t.Errorf("the cut sitemap: truncated %v, %d URLs kept", sm.Truncated, len(sm.URLs))
		}
	}
}
