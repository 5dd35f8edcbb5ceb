package render_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/tools/txtar"

	"github.com/agentready/agentready/audit/checks"
	"github.com/agentready/agentready/audit/crawl"
	"github.com/agentready/agentready/audit/render"
	_ "github.com/agentready/agentready/internal/golden"
)

// browser starts the browser, or skips the test when there is none.
func browser(t *testing.T, o render.Options) *render.Browser {
	t.Helper()
	if _, err := render.FindChrome(o.Chrome); errors.Is(err, render.ErrNoBrowser) {
		t.Skip("no Chromium or Google Chrome in PATH: the --render tests need one (apt-get install chromium)")
	}
	b, err := render.Start(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	return b
}

// folder writes the txtar archive into a temporary folder.
func folder(t *testing.T, archive string) string {
	t.Helper()
	a, err := txtar.ParseFile(archive)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "site")
	for _, f := range a.Files {
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func crawlRendered(t *testing.T, b *render.Browser, target crawl.Target, o crawl.Options) *crawl.Site {
	t.Helper()
	o.Render = b.Render
	o.Extractors = append(o.Extractors, checks.Extractor())
	o.Rate = -1
	sites, err := crawl.Crawl(context.Background(), []crawl.Target{target}, o)
	if err != nil {
		t.Fatal(err)
	}
	return sites[0]
}

func renderedAt(t *testing.T, s *crawl.Site, path string) *checks.Rendered {
	t.Helper()
	for _, pg := range s.Pages {
		if strings.HasSuffix(pg.URL, path) {
			r := checks.RenderedOf(pg)
			if r == nil {
				t.Fatalf("%s was not rendered", pg.URL)
			}
			if r.Error != "" {
				t.Fatalf("%s: %s", pg.URL, r.Error)
			}
			return r
		}
	}
	t.Fatalf("no page %s among %d", path, len(s.Pages))
	return nil
}

// TestRenderFolder renders a folder target (served in-process: the
// browser's requests are answered by the crawler's fetch) with its four
// kinds of page, and reads each as a browsing agent does.
func TestRenderFolder(t *testing.T) {
	b := browser(t, render.Options{})
	s := crawlRendered(t, b, crawl.Target{Folder: folder(t, "testdata/site.txtar")}, crawl.Options{})

	// The React-style shell: all of its text comes from script, after an
	// API call the browser made through the crawler.
	shell := renderedAt(t, s, "/")
	if shell.ServerWords > 5 || shell.Words < 40 || shell.JSWords*10 < shell.Words*9 || !strings.HasPrefix(shell.FirstMissing, "Handmade ceramic cups") {
		t.Errorf("shell: server %d words, rendered %d, JS-only %d, first missing %q", shell.ServerWords, shell.Words, shell.JSWords, shell.FirstMissing)
	}
	if shell.JSLinkCount != 1 || !slices.Contains(shell.JSLinks, "http://site.localhost/catalogue.html") {
		t.Errorf("shell: links only after rendering %d %v", shell.JSLinkCount, shell.JSLinks)
	}
	if shell.AX.Unnamed != 1 || !slices.Contains(shell.AX.UnnamedEx, "1 button") || shell.AX.Unlabelled != 1 || shell.AX.MainWords < 40 || shell.AX.Reachable != shell.AX.MainWords {
		t.Errorf("shell: accessibility tree %+v", shell.AX)
	}
	// What the crawler would not fetch was refused before it was sent:
	// another host, a private address, robots.txt's /private/, a POST.
	for _, want := range []string{"https://cdn.example.net/lib.js: out of the crawl's scope", "http://10.0.0.1/admin: out of the crawl's scope",
		"/private/secret.json: disallowed by robots.txt", "/api/log: POST request"} {
		if !slices.ContainsFunc(shell.Blocked, func(s string) bool { return strings.Contains(s, want) }) {
			t.Errorf("shell: %q not among the blocked requests %q", want, shell.Blocked)
		}
	}

	// The server-rendered page reads the same either way.
	ssr := renderedAt(t, s, "/ssr.html")
	if ssr.JSWords != 0 || ssr.Words != ssr.ServerWords || ssr.Words < 40 || ssr.JSLinkCount != 0 || ssr.JSItems != 0 {
		t.Errorf("ssr: %+v", ssr)
	}
	if ssr.AX.Unnamed != 0 || ssr.AX.Unlabelled != 0 || ssr.AX.Fields != 1 {
		t.Errorf("ssr: accessibility tree %+v", ssr.AX)
	}

	// JSON-LD injected by script is structured data only after rendering.
	ld := renderedAt(t, s, "/jsonld.html")
	if ld.JSItems != 1 || !slices.Equal(ld.JSTypes, []string{"Product"}) || ld.JSWords != 0 {
		t.Errorf("jsonld: %d items %v, %d JS-only words", ld.JSItems, ld.JSTypes, ld.JSWords)
	}

	// WebMCP: Chromium lists the declarative tool (the form) and the
	// imperative ones; the broken schema is reported.
	w := renderedAt(t, s, "/webmcp.html")
	if w.WebMCP.API == "" {
		t.Skipf("%s lacks the WebMCP API", w.Browser)
	}
	tools := map[string]checks.WebMCPTool{}
	for _, tl := range w.WebMCP.Tools {
		tools[tl.Name] = tl
	}
	if tl, ok := tools["search_cups"]; !ok || !tl.Declarative || len(tl.Problems) != 0 || tl.Description != "Search the catalogue of cups" {
		t.Errorf("declarative tool: %+v (all %+v)", tl, w.WebMCP.Tools)
	}
	if tl, ok := tools["add_to_basket"]; !ok || tl.Declarative || len(tl.Problems) != 0 {
		t.Errorf("imperative tool: %+v (all %+v)", tl, w.WebMCP.Tools)
	}
	if tl, ok := tools["broken_schema"]; !ok || len(tl.Problems) == 0 || !strings.Contains(strings.Join(tl.Problems, " "), "/properties/n/type") && !strings.Contains(strings.Join(tl.Problems, " "), "refused") {
		t.Errorf("broken tool: %+v (all %+v)", tl, w.WebMCP.Tools)
	}
}

// TestRenderNothingEscapes: a page on an http target that asks for a
// private address, another host, a WebSocket and a robots.txt-disallowed
// path reaches none of them: a canary server on loopback never hears from
// the browser, and the site's server never sees the disallowed path.
func TestRenderNothingEscapes(t *testing.T) {
	b := browser(t, render.Options{})
	var canary atomic.Int64
	c := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { canary.Add(1) }))
	defer c.Close()
	var private atomic.Int64
	page := fmt.Sprintf(`<!doctype html><html><head><title>t</title></head><body><main><p>Hello there, this is the page.</p></main>
<img src="%[1]s/img.png"><script src="%[1]s/x.js"></script>
<script>
fetch(%[2]q).catch(() => {});
try { new WebSocket(%[3]q); } catch (e) {}
fetch('/private/x').catch(() => {});
const i = document.createElement('iframe'); i.src = %[2]q; document.body.appendChild(i);
</script></body></html>`, c.URL, c.URL+"/fetch", strings.Replace(c.URL, "http://", "ws://", 1)+"/ws")
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt":
			fmt.Fprint(w, "User-agent: *\nDisallow: /private/\n")
		case "/":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, page)
		default:
			if strings.HasPrefix(r.URL.Path, "/private/") {
				private.Add(1)
			}
			http.NotFound(w, r)
		}
	}))
	defer site.Close()
	// The site is on loopback, and so is the canary: only the scope rule
	// (another origin) and the proxy keep the browser from it.
	s := crawlRendered(t, b, crawl.Target{URL: site.URL + "/"}, crawl.Options{MaxPages: 1, NoSitemaps: true})
	r := renderedAt(t, s, "/")
	time.Sleep(200 * time.Millisecond) // a late connection would land now
	if n := canary.Load(); n != 0 {
		t.Errorf("the canary server got %d requests from the browser", n)
	}
	if n := private.Load(); n != 0 {
		t.Errorf("the site served %d requests robots.txt disallows", n)
	}
	if r.BlockedCount < 3 {
		t.Errorf("blocked %d: %q", r.BlockedCount, r.Blocked)
	}
}

// TestFindChrome: a --chrome path that does not exist is an error naming
// it; with an empty PATH no browser is found.
func TestFindChrome(t *testing.T) {
	if _, err := render.FindChrome("/no/such/chromium"); err == nil || !strings.Contains(err.Error(), "/no/such/chromium") {
		t.Errorf("FindChrome(missing) = %v", err)
	}
	t.Setenv("PATH", t.TempDir())
	if _, err := render.FindChrome(""); !errors.Is(err, render.ErrNoBrowser) {
		t.Errorf("FindChrome with an empty PATH = %v", err)
	}
}

// TestRenderBounds: a page that never goes quiet (a request that hangs) is
// still read, within its time; past --render-pages the pages are not
// rendered; past the memory bound no page is.
func TestRenderBounds(t *testing.T) {
	b := browser(t, render.Options{PageTimeout: 4 * time.Second, MaxPages: 1})
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/hang":
			<-r.Context().Done()
		case "/", "/b":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, `<!doctype html><html><head><title>t</title></head><body><main><p>Waiting for the stream to say something.</p><a href="/b">b</a></main><script>fetch('/hang').catch(() => {});</script></body></html>`)
		default:
			http.NotFound(w, r)
		}
	}))
	defer site.Close()
	started := time.Now()
	s := crawlRendered(t, b, crawl.Target{URL: site.URL + "/"}, crawl.Options{NoSitemaps: true})
	if r := renderedAt(t, s, "/"); r.Words < 5 {
		t.Errorf("the hanging page read %d words", r.Words)
	}
	if d := time.Since(started); d > 15*time.Second {
		t.Errorf("the crawl took %v", d)
	}
	for _, pg := range s.Pages {
		if strings.HasSuffix(pg.URL, "/b") && checks.RenderedOf(pg) != nil {
			t.Errorf("%s was rendered past MaxPages 1", pg.URL)
		}
	}

	small := browser(t, render.Options{MaxMemMiB: 1})
	for deadline := time.Now().Add(10 * time.Second); small.PeakMemMiB() < 2 && time.Now().Before(deadline); {
		time.Sleep(50 * time.Millisecond) // the first memory sample
	}
	s = crawlRendered(t, small, crawl.Target{URL: site.URL + "/b"}, crawl.Options{NoSitemaps: true, MaxPages: 1})
	for _, pg := range s.Pages {
		if r := checks.RenderedOf(pg); pg.OK() && (r == nil || !strings.Contains(r.Error, "over --render-max-memory 1 MiB")) {
			t.Errorf("%s under a 1 MiB bound: %+v", pg.URL, r)
		}
	}
}
