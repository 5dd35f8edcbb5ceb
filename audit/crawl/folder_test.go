package crawl

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// writeFolder writes files (slash-separated name: content) under dir.
func writeFolder(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// Two crawls of one folder give the same origin and the same URLs: a
// folder has one identity, run after run (a loopback server's port
// changed every run).
func TestFolderOriginStable(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "Public")
	writeFolder(t, dir, map[string]string{
		"index.html":      `<!doctype html><title>Home</title><a href="/about">about</a> <a href="/gone.html">gone</a>`,
		"about.html":      `<!doctype html><title>About</title><a href="/docs/">docs</a>`,
		"docs/index.html": `<!doctype html><title>Docs</title>`,
	})
	crawlURLs := func() (string, []string) {
		s := crawlOne(t, Target{Folder: dir}, fastOptions())
		var urls []string
		for _, p := range s.Pages {
			urls = append(urls, p.URL+" "+p.FinalURL)
		}
		return s.Origin, urls
	}
	o1, u1 := crawlURLs()
	o2, u2 := crawlURLs()
	if o1 != "http://public.localhost" || o2 != o1 {
		t.Errorf("origins %q and %q, want http://public.localhost twice", o1, o2)
	}
	if strings.Join(u1, "\n") != strings.Join(u2, "\n") || len(u1) != 4 {
		t.Errorf("pages differ or are not the 4 expected:\n%s\n--\n%s", strings.Join(u1, "\n"), strings.Join(u2, "\n"))
	}
}

func TestFolderLabel(t *testing.T) {
	for in, want := range map[string]string{
		"/x/public":                     "public",
		"/x/My Site_v2.0":               "my-site-v2-0",
		"/x/--dist--":                   "dist",
		"/x/Café Noir":                  "caf-noir",
		"/x/___":                        "site",
		"/":                             "site",
		"/x/" + strings.Repeat("a", 80): strings.Repeat("a", maxFolderLabel),
	} {
		if got := folderLabel(in); got != want {
			t.Errorf("folderLabel(%q) = %q, want %q", in, got, want)
		}
	}
	got := folderOrigins([]Target{{Folder: "/a/public"}, {URL: "https://example.com/"}, {Folder: "/b/public"},
		{Folder: "/c/PUBLIC"}, {Folder: "/d/public-2"}, {Folder: "/e/docs"}})
	want := []string{"http://public.localhost", "", "http://public-2.localhost", "http://public-3.localhost",
		"http://public-2-2.localhost", "http://docs.localhost"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("folderOrigins = %q, want %q", got, want)
	}
}

// inProcessFetcher is a fetcher whose requests to http://test.localhost go
// to h.
func inProcessFetcher(o Options, h http.Handler) *fetcher {
	o = o.withDefaults()
	f := newFetcher(&o, &dialGuard{})
	f.serveInProcess("test.localhost", h)
	return f
}

// The in-process transport streams: a handler writing far more than the
// body cap is stopped near the cap, not read (or buffered) to its end.
func TestInProcessStreams(t *testing.T) {
	const limit = 1 << 20
	const chunk = 32 << 10
	var written atomic.Int64
	done := make(chan error, 1)
	f := inProcessFetcher(Options{MaxBodyBytes: limit}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		b := make([]byte, chunk)
		for range (1 << 30) / chunk { // 1 GiB
			n, err := w.Write(b)
			written.Add(int64(n))
			if err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}))
	resp, _, _ := f.do(t.Context(), request{url: "http://test.localhost/big.bin"})
	if resp.Error != "" || !resp.Truncated || resp.Bytes != limit || resp.Status != 200 {
		t.Fatalf("status %d, %d bytes, truncated %v, error %q", resp.Status, resp.Bytes, resp.Truncated, resp.Error)
	}
	select {
	case err := <-done:
		if err == nil {
			t.Error("the handler wrote its whole gigabyte")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the handler was not stopped once the body cap was reached")
	}
	if n := written.Load(); n > limit+2*chunk {
		t.Errorf("the handler wrote %d bytes for a cap of %d", n, limit)
	}
}

// Compression, the response timeout and the first-byte timeout apply to
// the in-process handler as to a server.
func TestInProcessFetcherRules(t *testing.T) {
	f := inProcessFetcher(Options{ResponseTimeout: 300 * time.Millisecond, FirstByteTimeout: 200 * time.Millisecond},
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch r.URL.Path {
			case "/gz.txt":
				w.Header().Set("Content-Type", "text/plain")
				w.Header().Set("Content-Encoding", "gzip")
				zw := gzip.NewWriter(w)
				zw.Write([]byte("hello, folder"))
				zw.Close()
			case "/no-headers":
				<-r.Context().Done()
			case "/slow-body":
				w.Header().Set("Content-Type", "text/plain")
				w.Write([]byte("a"))
				<-r.Context().Done()
			case "/short":
				w.Header().Set("Content-Length", "100")
				w.Write([]byte("only ten b"))
			}
		}))
	if r, _, _ := f.do(t.Context(), request{url: "http://test.localhost/gz.txt"}); string(r.Body) != "hello, folder" || r.Encoding() != "gzip" {
		t.Errorf("gzip: body %q, encoding %q, error %q", r.Body, r.Encoding(), r.Error)
	}
	if r, _, _ := f.do(t.Context(), request{url: "http://test.localhost/no-headers"}); r.Error != "timeout: no response headers within 200ms" {
		t.Errorf("no headers: error %q", r.Error)
	}
	if r, _, _ := f.do(t.Context(), request{url: "http://test.localhost/slow-body"}); !strings.HasPrefix(r.Error, "timeout: no complete response") {
		t.Errorf("slow body: error %q", r.Error)
	}
	if r, _, _ := f.do(t.Context(), request{url: "http://test.localhost/short"}); !strings.Contains(r.Error, "closed after 10 of the 100 bytes") {
		t.Errorf("short body: error %q", r.Error)
	}
	ctx, cancel := context.WithCancel(t.Context())
	time.AfterFunc(50*time.Millisecond, cancel)
	if r, _, _ := f.do(ctx, request{url: "http://test.localhost/no-headers"}); r.Error != "cancelled" {
		t.Errorf("cancelled: error %q", r.Error)
	}
}

type recordingTransport struct{ urls []string }

func (r *recordingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	r.urls = append(r.urls, req.URL.String())
	return nil, errors.New("not served here")
}

// Only http://HOST itself is served in-process.
func TestInProcessOnlyItsOrigin(t *testing.T) {
	next := &recordingTransport{}
	tr := &inProcess{host: "public.localhost", next: next, handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("folder"))
	})}
	client := &http.Client{Transport: tr}
	for _, u := range []string{"http://public.localhost/", "http://PUBLIC.localhost:80/x"} {
		resp, err := client.Get(u)
		if err != nil {
			t.Fatalf("%s: %v", u, err)
		}
		resp.Body.Close()
	}
	for _, u := range []string{"https://public.localhost/", "http://public.localhost:8080/", "http://other.localhost/", "http://127.0.0.1/"} {
		if _, err := client.Get(u); err == nil {
			t.Errorf("%s: served in-process", u)
		}
	}
	if len(next.urls) != 4 {
		t.Errorf("sent on: %q", next.urls)
	}
}

// A handler's panic is the request's error (or breaks off a body already
// started), never the end of the crawl.
func TestInProcessPanic(t *testing.T) {
	f := inProcessFetcher(Options{}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/late" {
			w.Header().Set("Content-Type", "text/plain")
			w.Write(bytes.Repeat([]byte("x"), 100))
		}
		panic("boom")
	}))
	if r, _, _ := f.do(t.Context(), request{url: "http://test.localhost/early"}); !strings.Contains(r.Error, "folder server: internal error: boom") {
		t.Errorf("panic before headers: status %d, error %q", r.Status, r.Error)
	}
	if r, _, _ := f.do(t.Context(), request{url: "http://test.localhost/late"}); r.Status != 200 || !strings.Contains(r.Error, "internal error: boom") {
		t.Errorf("panic in the body: status %d, error %q", r.Status, r.Error)
	}

	dir := filepath.Join(t.TempDir(), "site")
	writeFolder(t, dir, map[string]string{
		"index.html": `<!doctype html><title>Home</title><a href="/about.html">about</a> <a href="/docs.html">docs</a>`,
		"about.html": `<!doctype html><title>About</title>`,
		"docs.html":  `<!doctype html><title>Docs</title>`,
	})
	o := fastOptions()
	o.wrapFolder = func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/about.html" {
				panic("boom")
			}
			h.ServeHTTP(w, r)
		})
	}
	s := crawlOne(t, Target{Folder: dir}, o)
	pages := pageMap(s)
	if p := pages["/about.html"]; p == nil || !strings.Contains(p.Error, "internal error: boom") {
		t.Errorf("about: %+v", p)
	}
	if p := pages["/docs.html"]; p == nil || p.Status != 200 {
		t.Errorf("docs: %+v", p)
	}
}

// Site.File names the file a folder served at a URL, the folder as the
// user named it.
func TestSiteFile(t *testing.T) {
	dir := t.TempDir()
	writeFolder(t, dir, map[string]string{"index.html": "x", "docs/index.html": "x", "about.html": "x", "my page.html": "x"})
	s := &Site{Origin: "http://public.localhost", Target: "./public", Folder: dir}
	for in, want := range map[string]string{
		"http://public.localhost":                "public/index.html",
		"http://public.localhost/":               "public/index.html",
		"http://public.localhost/docs/?q=1#x":    "public/docs/index.html",
		"http://public.localhost/about":          "public/about.html",
		"http://public.localhost/my%20page.html": "public/my page.html",
		"http://public.localhost/missing.html":   "",
		"http://public.localhostx/about.html":    "",
		"http://public.localhost.example/":       "",
		"https://example.com/about.html":         "",
	} {
		got, ok := s.File(in)
		if got != want || ok != (want != "") {
			t.Errorf("File(%q) = %q %v, want %q", in, got, ok, want)
		}
	}
	if _, ok := (&Site{Origin: "https://example.com", Target: "https://example.com"}).File("https://example.com/"); ok {
		t.Error("a URL target has files")
	}
}
