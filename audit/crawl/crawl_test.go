package crawl

import (
	"context"
	"io"
	"io/fs"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"golang.org/x/tools/txtar"

	_ "github.com/agentready/agentready/internal/golden" // defines -update, which go test ./... -update hands every package
)

// loadSite reads testdata/audit/sites/NAME.txtar into an in-memory file
// system; {{ORIGIN}} in files is replaced once the server's URL is known.
func loadSite(t testing.TB, name string) *txtar.Archive {
	t.Helper()
	a, err := txtar.ParseFile(filepath.Join("..", "..", "testdata", "audit", "sites", name+".txtar"))
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// serveSite serves an archive as a static host would, recording requests.
func serveSite(t testing.TB, a *txtar.Archive) (*httptest.Server, *requestLog) {
	t.Helper()
	log := &requestLog{}
	mfs := fstest.MapFS{}
	var h http.Handler
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		log.add(r)
		h.ServeHTTP(w, r)
	}))
	srv.Start()
	t.Cleanup(srv.Close)
	for _, f := range a.Files {
		mfs[f.Name] = &fstest.MapFile{Data: []byte(strings.ReplaceAll(string(f.Data), "{{ORIGIN}}", srv.URL)), Mode: 0o644}
	}
	h = FolderHandler(mfs)
	return srv, log
}

type requestLog struct {
	mu    sync.Mutex
	paths []string
	times []time.Time
	uas   []string
}

func (l *requestLog) add(r *http.Request) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.paths = append(l.paths, r.URL.RequestURI())
	l.times = append(l.times, time.Now())
	l.uas = append(l.uas, r.UserAgent())
}

func (l *requestLog) count(path string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, p := range l.paths {
		if p == path {
			n++
		}
	}
	return n
}

func fastOptions() Options {
	return Options{Rate: -1, Version: "test", ResponseTimeout: 5 * time.Second, KeepBodies: true, KeepLinks: true}
}

func crawlOne(t testing.TB, target Target, o Options) *Site {
	t.Helper()
	sites, err := Crawl(context.Background(), []Target{target}, o)
	if err != nil {
		t.Fatal(err)
	}
	return sites[0]
}

func pageMap(s *Site) map[string]*Page {
	m := map[string]*Page{}
	for _, p := range s.Pages {
		m[strings.TrimPrefix(p.URL, s.Origin)] = p
	}
	return m
}

func TestCrawlBasicSite(t *testing.T) {
	srv, log := serveSite(t, loadSite(t, "basic"))
	o := fastOptions()
	o.RobotsAgents = []string{"GPTBot", "ClaudeBot"}
	o.Extras = []Extra{{Name: "llms", Path: "/llms.txt"}, {Name: "markdown", Accept: "text/markdown"}, {Name: "gptbot", UserAgent: "GPTBot/1.0"},
		{Name: "private", Path: "/private/extra.json"}}
	var extracted sync.Map
	o.Extractors = []Extractor{ExtractorFunc{N: "title", F: func(d *Document) {
		if d.HTML != nil {
			d.Page.SetFact("title", d.HTML.Find("title").Text())
			extracted.Store(d.Page.URL, true)
		}
	}}}
	s := crawlOne(t, Target{URL: srv.URL + "/"}, o)
	if len(s.Errors) != 0 {
		t.Errorf("errors: %v", s.Errors)
	}
	if s.Robots == nil || s.Robots.Semantics != "parsed" || s.Robots.Status != 200 {
		t.Fatalf("robots = %+v", s.Robots)
	}
	pages := pageMap(s)
	want := map[string]int{"/index.md": 200, "/": 200, "/about": 200, "/docs/": 200, "/docs/guide.html": 200, "/only-in-sitemap.html": 200, "/missing.html": 404}
	for p, st := range want {
		pg := pages[p]
		if pg == nil {
			t.Errorf("page %s not crawled", p)
			continue
		}
		if pg.Status != st {
			t.Errorf("%s: status %d, want %d", p, pg.Status, st)
		}
	}
	if pg := pages["/private/secret.html"]; pg == nil || pg.Skipped() != "robots" || pg.Status != 0 {
		t.Errorf("private page = %+v, want skipped by robots", pg)
	}
	if n := log.count("/private/secret.html"); n != 0 {
		t.Errorf("disallowed URL requested %d times", n)
	}
	for p := range pages {
		if strings.Contains(p, "elsewhere") || strings.HasPrefix(p, "javascript") || strings.HasPrefix(p, "mailto") {
			t.Errorf("out-of-scope page %s", p)
		}
	}
	if n := log.count("/docs/"); n != 1 {
		t.Errorf("/docs/ fetched %d times (fragment variants must be de-duplicated)", n)
	}
	home := pages["/"]
	if home.Fact("title") != "Home" || home.Source != "start" || home.Depth != 0 {
		t.Errorf("home = facts %v source %s depth %d", home.Facts(), home.Source, home.Depth)
	}
	if home.ContentType != "text/html" || home.Charset() != "utf-8" || home.Timing().Total <= 0 {
		t.Errorf("home content type %q charset %q timing %+v", home.ContentType, home.Charset(), home.Timing())
	}
	if got := strings.Join(home.Links(), " "); !strings.Contains(got, srv.URL+"/about") || strings.Contains(got, "#") {
		t.Errorf("home links = %s", got)
	}
	if len(home.Agents()) != 2 || home.Agents()[0].Agent != "ClaudeBot" || !home.Agents()[0].Allowed || home.Agents()[1].Allowed {
		t.Errorf("agent verdicts = %+v", home.Agents())
	}
	if v := home.Variant("markdown"); v == nil || v.Status != 200 {
		t.Errorf("markdown variant = %+v", v)
	}
	if e := s.Extras["llms"]; e == nil || e.Status != 404 {
		t.Errorf("llms extra = %+v", e)
	}
	if e := s.Extras["private"]; e == nil || !strings.Contains(e.Error, "disallowed by robots.txt") || log.count("/private/extra.json") != 0 {
		t.Errorf("an extra robots.txt disallows = %+v", e)
	}
	if pages["/about"].Variants() != nil {
		t.Error("variants are for start pages only by default")
	}
	if len(s.Sitemaps) != 1 || s.Sitemaps[0].Count != 2 || s.Sitemaps[0].From != "robots" {
		t.Errorf("sitemaps = %+v", s.Sitemaps)
	}
	if pages["/only-in-sitemap.html"].Source != "sitemap" {
		t.Errorf("orphan source = %s", pages["/only-in-sitemap.html"].Source)
	}
	if _, ok := extracted.Load(srv.URL + "/about"); !ok {
		t.Error("extractor did not run on /about")
	}
	if s.Stats.Pages != 7 || s.Stats.Disallowed != 1 || s.Stats.Limit != "" {
		t.Errorf("stats = %+v", s.Stats)
	}
	// Every request carried our user agent, except the GPTBot variant.
	for i, ua := range log.uas {
		if !strings.HasPrefix(ua, "agentready/test ") && ua != "GPTBot/1.0" {
			t.Errorf("request %s with UA %q", log.paths[i], ua)
		}
	}
}

func TestCrawlFolder(t *testing.T) {
	dir := t.TempDir()
	a := loadSite(t, "basic")
	for _, f := range a.Files {
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, f.Data, 0o644)
	}
	// A symlink out of the folder must not be served.
	os.Symlink("/etc/passwd", filepath.Join(dir, "passwd.html"))
	s := crawlOne(t, Target{Folder: dir}, fastOptions())
	pages := pageMap(s)
	if pages["/"] == nil || pages["/"].Status != 200 || pages["/about"].Status != 200 {
		t.Fatalf("pages = %v", pages)
	}
	if s.Folder != dir || s.Origin != "http://"+folderLabel(dir)+".localhost" {
		t.Errorf("folder %q origin %q", s.Folder, s.Origin)
	}
	if pg := pages["/missing.html"]; pg.Status != 404 || !strings.Contains(string(pg.Body), "Nothing here") {
		t.Errorf("missing page = %d %q", pg.Status, pg.Body)
	}
	f, err := openFolder(dir, "http://folder.localhost")
	if err != nil {
		t.Fatal(err)
	}
	defer f.close()
	client := &http.Client{Transport: &inProcess{host: f.host, handler: f.handler, next: http.DefaultTransport}}
	const origin = "http://folder.localhost"
	for path, want := range map[string]string{"/style.css": "text/css; charset=utf-8", "/index.md": "text/markdown; charset=utf-8", "/sitemap.xml": "application/xml", "/robots.txt": "text/plain; charset=utf-8"} {
		resp, err := client.Get(origin + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if ct := resp.Header.Get("Content-Type"); ct != want || resp.StatusCode != 200 {
			t.Errorf("%s: %d %q, want %q", path, resp.StatusCode, ct, want)
		}
	}
	if resp, err := client.Get(origin + "/passwd.html"); err == nil {
		resp.Body.Close()
		if resp.StatusCode == 200 {
			t.Error("symlink escaping the folder was served")
		}
	}
	if resp, err := client.Get(origin + "/private/"); err == nil {
		resp.Body.Close()
		if resp.StatusCode != 404 {
			t.Errorf("directory without index: %d, want 404", resp.StatusCode)
		}
	}
}

var _ fs.FS = fstest.MapFS{}

func TestFolderFile(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"index.html", "about.html", "docs/index.html", "docs/guide.html", "robots.txt"} {
		p := filepath.Join(dir, filepath.FromSlash(f))
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte("x"), 0o644)
	}
	os.MkdirAll(filepath.Join(dir, "empty"), 0o755)
	for in, want := range map[string]string{"/": "index.html", "/about": "about.html", "/about.html": "about.html",
		"/docs/": "docs/index.html", "/docs": "docs/index.html", "/docs/guide.html": "docs/guide.html", "/robots.txt": "robots.txt",
		"/missing.html": "", "/empty/": "", "/../../etc/passwd": ""} {
		got, ok := FolderFile(dir, in)
		if got != want || ok != (want != "") {
			t.Errorf("FolderFile(%q) = %q %v, want %q", in, got, ok, want)
		}
	}
}

// TestSampledVariants: a variant with Sample goes to the start page and
// to the pages the start page's anchors queue, by their order in the
// document (not the order the crawl fetches them in), once they answer
// 2xx HTML; head links are not sampled, and Agent keeps a variant within
// that agent's robots.txt.
func TestSampledVariants(t *testing.T) {
	h := func(body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			io.WriteString(w, body)
		}
	}
	srv, log := mux(t, map[string]http.HandlerFunc{
		"/robots.txt": func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, "User-agent: *\nAllow: /\n\nUser-agent: GPTBot\nDisallow: /c\n")
		},
		"/": h(`<link rel="alternate" href="/feed"><a href="/a">a</a> <a href="/doc.pdf">pdf</a> <a href="/b">b</a> <a href="/c">c</a> <a href="/d">d</a>`),
		"/feed": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/rss+xml")
			io.WriteString(w, "<rss/>")
		},
		"/doc.pdf": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/pdf")
			io.WriteString(w, "%PDF")
		},
		"/a": h(`<a href="/e">e</a>`), "/b": h("b"), "/c": h("c"), "/d": h("d"), "/e": h("e"),
	})
	o := fastOptions()
	o.Concurrency = 4
	o.Extras = []Extra{
		{Name: "bot", UserAgent: "GPTBot/1.2", Agent: "GPTBot", Sample: func(n int) bool { return n <= 4 }},
		{Name: "plain", Accept: "text/plain"}, // the start page only
	}
	for range 3 {
		s := crawlOne(t, Target{URL: srv.URL}, o)
		got := map[string]string{}
		for _, p := range s.Pages {
			for name, v := range p.Variants() {
				got[strings.TrimPrefix(p.URL, srv.URL)+" "+name] = v.Error
			}
		}
		// Anchors in order: /a (1), /doc.pdf (2, not HTML), /b (3), /c (4,
		// GPTBot may not fetch it); /d is the fifth.
		want := map[string]string{"/ bot": "", "/ plain": "", "/a bot": "", "/b bot": "",
			"/c bot": "disallowed by robots.txt for GPTBot (disallow: /c)"}
		if !maps.Equal(got, want) {
			t.Fatalf("variants %v, want %v", got, want)
		}
	}
	log.mu.Lock()
	defer log.mu.Unlock()
	for i, p := range log.paths {
		if p == "/c" && strings.Contains(log.uas[i], "GPTBot") {
			t.Errorf("/c was fetched as GPTBot, which robots.txt keeps out")
		}
	}
}

// TestStartPageFirstUnderRateLimit: with a rate limit, nothing is fetched
// alongside the start page (no variants, no speculative extras): the start
// page is answered before anything else is asked for, as the limiter would
// otherwise let the others go first.
func TestStartPageFirstUnderRateLimit(t *testing.T) {
	var mu sync.Mutex
	var answered time.Time
	var early []string
	srv, _ := mux(t, map[string]http.HandlerFunc{
		"/": func(w http.ResponseWriter, r *http.Request) {
			if strings.HasPrefix(r.UserAgent(), "agentready/") && r.Header.Get("Accept") != "text/markdown" {
				time.Sleep(50 * time.Millisecond)
				mu.Lock()
				answered = time.Now()
				mu.Unlock()
			} else {
				mu.Lock()
				if answered.IsZero() {
					early = append(early, r.UserAgent()+" "+r.Header.Get("Accept"))
				}
				mu.Unlock()
			}
			html200(`<a href="/a">a</a>`)(w, r)
		},
		"/a": html200("a"),
		"/llms.txt": func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			if answered.IsZero() {
				early = append(early, "/llms.txt")
			}
			mu.Unlock()
			html200("# x")(w, r)
		},
	})
	o := fastOptions()
	o.Rate = 200
	o.Extras = []Extra{{Name: "llms", Path: "/llms.txt"}, {Name: "md", Accept: "text/markdown"}, {Name: "bot", UserAgent: "GPTBot/1.2"}}
	s := crawlOne(t, Target{URL: srv.URL}, o)
	if len(early) > 0 {
		t.Errorf("asked for before the start page was answered: %q", early)
	}
	if p := pageMap(s)["/"]; p == nil || p.Variant("md") == nil || p.Variant("bot") == nil || s.Extras["llms"] == nil {
		t.Errorf("variants or extras missing: %+v %v", p, s.Extras)
	}
}

// TestFolderHostOnly: a folder audit fetches no HostOnly extra, per page or
// per origin (agentready's own in-process server would answer for the site);
// the others are fetched as for a URL.
func TestFolderHostOnly(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "index.html"), []byte(`<!doctype html><title>x</title><a href="/b.html">b</a>`), 0o644)
	os.WriteFile(filepath.Join(dir, "b.html"), []byte(`<!doctype html><title>b</title>`), 0o644)
	os.WriteFile(filepath.Join(dir, "x.txt"), []byte("x"), 0o644)
	o := fastOptions()
	o.Extras = []Extra{
		{Name: "path", Path: "/x.txt"},
		{Name: "path-host", Path: "/x.txt", HostOnly: true},
		{Name: "variant", Accept: "text/markdown"},
		{Name: "variant-host", Accept: "text/markdown", HostOnly: true},
	}
	s := crawlOne(t, Target{Folder: dir}, o)
	if s.Extras["path"] == nil || s.Extras["path-host"] != nil {
		t.Errorf("extras = %v: want path, not path-host", s.Extras)
	}
	start := pageMap(s)["/"]
	if start == nil || start.Variant("variant") == nil || start.Variant("variant-host") != nil {
		t.Errorf("start page variants: want variant, not variant-host")
	}
}
