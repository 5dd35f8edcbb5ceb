package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/agentready/agentready/audit/crawl"
	"github.com/agentready/agentready/report"
)

func TestAuditExitCodes(t *testing.T) {
	dir := t.TempDir()
	site := filepath.Join(dir, "public")
	os.MkdirAll(site, 0o755)
	os.WriteFile(filepath.Join(site, "index.html"), []byte(`<!doctype html><title>Home</title><a href="/gone.html">gone</a>`), 0o644)
	empty := filepath.Join(dir, "empty")
	os.MkdirAll(empty, 0o755)
	down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { http.Error(w, "down", http.StatusServiceUnavailable) }))
	defer down.Close()

	for _, c := range []struct {
		name string
		args []string
		code int
		out  string // a substring of stdout or stderr
	}{
		{"folder", []string{"audit", "--no-config", "--no-checks", site}, 0, "crawl-page"},
		{"warnings fail at --fail-on warning", []string{"audit", "--no-config", "--no-checks", "--fail-on", "warning", site}, 1, "HTTP 404"},
		{"nothing readable", []string{"audit", "--no-config", "--no-checks", empty}, 1, "no page of " + empty + " could be read"},
		{"robots.txt unreachable", []string{"audit", "--no-config", "--no-checks", "--rate", "0", down.URL}, 1, "robots.txt unreachable (HTTP 503)"},
		{"--fail-on none", []string{"audit", "--no-config", "--no-checks", "--fail-on", "none", empty}, 0, "crawl-site-error"},
		{"missing folder", []string{"audit", "--no-config", "--no-checks", filepath.Join(dir, "nope")}, 2, "not an http(s) URL or an existing folder"},
		{"a file", []string{"audit", "--no-config", "--no-checks", filepath.Join(site, "index.html")}, 2, "is a file"},
		{"bad concurrency", []string{"audit", "--no-config", "--no-checks", "--concurrency", "0", site}, 2, "--concurrency"},
		{"missing list", []string{"audit", "--no-config", "--no-checks", "--urls", filepath.Join(dir, "none.txt")}, 2, "--urls"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(c.args, strings.NewReader(""), &out, &errb)
			if code != c.code {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, c.code, out.String(), errb.String())
			}
			if !strings.Contains(out.String()+errb.String(), c.out) {
				t.Errorf("output lacks %q\nstdout:\n%s\nstderr:\n%s", c.out, out.String(), errb.String())
			}
		})
	}
}

func TestAuditJSONLinesInListOrder(t *testing.T) {
	a := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<title>a</title>"))
	}))
	defer a.Close()
	b := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<title>b</title>"))
	}))
	defer b.Close()
	list := filepath.Join(t.TempDir(), "list.txt")
	os.WriteFile(list, []byte(b.URL+"/x\n"+a.URL+"/y\n"+b.URL+"/z\n"), 0o644)
	var out, errb bytes.Buffer
	code := run([]string{"audit", "--no-config", "--no-checks", "--urls", list, "-f", "json", "--rate", "0"}, strings.NewReader(""), &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d: %s\n%s", code, errb.String(), out.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d lines:\n%s", len(lines), out.String())
	}
	for i, want := range []string{b.URL, a.URL} {
		var doc struct {
			Targets []string
			Extra   struct {
				Sites []struct {
					Origin string
					Pages  []struct{ URL string }
				}
			}
		}
		if err := json.Unmarshal([]byte(lines[i]), &doc); err != nil {
			t.Fatalf("line %d: %v", i, err)
		}
		if len(doc.Extra.Sites) != 1 || doc.Extra.Sites[0].Origin != want {
			t.Errorf("line %d is %+v, want site %s", i, doc.Extra.Sites, want)
		}
	}
	if !strings.Contains(lines[0], b.URL+"/x") || !strings.Contains(lines[0], b.URL+"/z") {
		t.Errorf("site b's line lacks its two URLs: %s", lines[0])
	}
}

func TestProgressLine(t *testing.T) {
	var b bytes.Buffer
	p := &progressLine{w: &b}
	p.clear()
	if b.Len() != 0 {
		t.Errorf("clear before any update wrote %q", b.String())
	}
	p.update(crawl.Progress{Done: 10, Queued: 5, Errors: 1, Bytes: 2048, Elapsed: 2 * time.Second, Requests: 40})
	if got := b.String(); got != "\r\x1b[Kcrawling: 10 pages done, 5 queued, 1 errors, 5.0 pages/s, 40 requests, 2.0 KiB" {
		t.Errorf("progress = %q", got)
	}
	b.Reset()
	p.update(crawl.Progress{Done: 10, Elapsed: 2 * time.Second, Requests: 52, FollowUps: 7})
	if got := b.String(); got != "\r\x1b[Kcrawling: 10 pages done, 0 queued, 0 errors, 5.0 pages/s, 52 requests, 0 B, 7 follow-ups to go" {
		t.Errorf("progress in the follow-up phase = %q", got)
	}
	b.Reset()
	p.clear()
	if b.String() != "\r\x1b[K" {
		t.Errorf("clear = %q", b.String())
	}
}

// The crawl-page findings carry each page's timings; their fingerprints
// must not change from run to run, or code scanning and baselines would
// see every page as new each time.
func TestAuditFingerprintsStable(t *testing.T) {
	site := filepath.Join(t.TempDir(), "public")
	os.MkdirAll(site, 0o755)
	os.WriteFile(filepath.Join(site, "index.html"), []byte(`<!doctype html><title>Home</title><a href="/a.html">a</a>`), 0o644)
	os.WriteFile(filepath.Join(site, "a.html"), []byte(`<!doctype html><title>A</title><p>text</p>`), 0o644)
	fingerprints := func() (map[string]string, map[string]string) {
		var out, errb bytes.Buffer
		if code := run([]string{"audit", "--no-config", "--no-checks", "-f", "json", site}, strings.NewReader(""), &out, &errb); code != 0 {
			t.Fatalf("exit %d\n%s", code, errb.String())
		}
		var doc struct {
			Findings []struct {
				RuleID      string `json:"ruleId"`
				Message     string `json:"message"`
				Fingerprint string `json:"fingerprint"`
				Location    struct {
					File string `json:"file"`
					URL  string `json:"url"`
				} `json:"location"`
			} `json:"findings"`
		}
		if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		fps, msgs := map[string]string{}, map[string]string{}
		for _, f := range doc.Findings {
			if f.RuleID == "crawl-page" { // a folder's file; the URL's port changes each run
				fps[f.Location.File] = f.Fingerprint
				msgs[f.Location.File] = f.Message
			}
		}
		return fps, msgs
	}
	first, _ := fingerprints()
	if len(first) != 2 {
		t.Fatalf("crawl-page findings: %v", first)
	}
	// Timings differ between runs only by chance: run until a message
	// differs (it carries milliseconds), at most a few times.
	for range 5 {
		second, msgs := fingerprints()
		for k, fp := range first {
			if second[k] != fp {
				t.Errorf("%s: fingerprint %s then %s (message now %q)", k, fp, second[k], msgs[k])
			}
		}
	}
}

// TestAuditInterrupted: Ctrl-C once the start page has answered, while
// its variants are in flight. The run exits 130 with the reports of what
// was found; the requests the interrupt cut are no finding and no score
// (the reports said "as GPTBot the fetch failed (cancelled) while a
// browser got 200" and scored Access on it).
func TestAuditInterrupted(t *testing.T) {
	dir := isolate(t)
	var once sync.Once
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/robots.txt":
			io.WriteString(w, "User-agent: *\nAllow: /\n")
		case r.URL.Path == "/" && strings.HasPrefix(r.UserAgent(), "agentready/") && r.Header.Get("Accept") != "text/markdown":
			w.Header().Set("Content-Type", "text/html")
			io.WriteString(w, `<!doctype html><html lang="en"><head><title>Home</title></head><body><main><h1>Home</h1><p>`+
				strings.Repeat("Words about anvils. ", 80)+`</p><a href="/a">a</a></main></body></html>`)
		default: // the variants, the extras, the other pages
			once.Do(func() { syscall.Kill(os.Getpid(), syscall.SIGINT) })
			select {
			case <-r.Context().Done():
			case <-time.After(10 * time.Second):
			}
		}
	}))
	defer srv.Close()
	r := runTest(t, "audit", srv.URL+"/", "--rate", "1000", "-f", "text", "-f", "json="+filepath.Join(dir, "int.json"))
	if r.code != 130 {
		t.Fatalf("code %d, want 130\nstderr: %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, "crawl stopped: cancelled after 1 page") || !strings.Contains(r.stdout, "Scores") {
		t.Errorf("the report of what was found is lost:\n%s", r.stdout)
	}
	for _, line := range strings.Split(r.stdout, "\n") {
		if strings.Contains(line, "cancelled") && !strings.Contains(line, "crawl-limit") || strings.Contains(line, "user-agent-parity") {
			t.Errorf("text: %s", line)
		}
	}
	b, err := os.ReadFile(filepath.Join(dir, "int.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rep report.Report
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	for _, f := range rep.Findings {
		if strings.Contains(f.Message, "cancelled") && f.RuleID != "crawl-limit" || f.RuleID == "crawl-fetch-failed" {
			t.Errorf("json: %s: %s", f.RuleID, f.Message)
		}
	}
}

// TestAuditInterruptedBeforeAnyPage: Ctrl-C while robots.txt is fetched.
// Nothing was learnt about the site: no "robots.txt is unreachable", no
// "no page could be read", no score.
func TestAuditInterruptedBeforeAnyPage(t *testing.T) {
	isolate(t)
	var once sync.Once
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		once.Do(func() { syscall.Kill(os.Getpid(), syscall.SIGINT) })
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	}))
	defer srv.Close()
	r := runTest(t, "audit", srv.URL+"/", "--rate", "1000")
	if r.code != 130 {
		t.Fatalf("code %d, want 130\nstderr: %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, "crawl stopped: cancelled before any page was fetched; 1 more in-scope URLs were not fetched; the site is not scored") {
		t.Errorf("no crawl-limit finding:\n%s", r.stdout)
	}
	for _, bad := range []string{"unreachable", "could be read", "Scores"} {
		if strings.Contains(r.stdout, bad) {
			t.Errorf("stdout has %q:\n%s", bad, r.stdout)
		}
	}
}

// TestAuditMaxDurationBeforeAnyPage: a start page that hangs past
// --max-duration leaves the site unread and unscored; that is no pass: the
// crawl-limit finding is an error, and a score gate fails on it.
func TestAuditMaxDurationBeforeAnyPage(t *testing.T) {
	isolate(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			io.WriteString(w, "User-agent: *\nDisallow: /private\n")
			return
		}
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	}))
	defer srv.Close()
	r := runTest(t, "audit", srv.URL+"/", "--rate", "0", "--max-duration", "1s", "--min-score", "50", "--fail-on", "none")
	if r.code != 1 || !strings.Contains(r.stderr, "the run ended (max-duration) before any page was fetched: no score to hold to --min-score") {
		t.Errorf("code %d, want 1 and the gate's reason\nstderr: %s", r.code, r.stderr)
	}
	// With --urls, a URL robots.txt disallows (sorting first) beside the
	// cut one: still no page fetched, still no pass.
	list := filepath.Join(t.TempDir(), "list.txt")
	os.WriteFile(list, []byte(srv.URL+"/private\n"+srv.URL+"/zhang\n"), 0o644)
	r = runTest(t, "audit", "--urls", list, "--rate", "0", "--max-duration", "1s", "--min-score", "20", "--fail-on", "none")
	if r.code != 1 || !strings.Contains(r.stderr, "the run ended (max-duration) before any page was fetched: no score to hold to --min-score") {
		t.Errorf("code %d, want 1 and the gate's reason\nstderr: %s", r.code, r.stderr)
	}
	r = runTest(t, "audit", srv.URL+"/", "--rate", "0", "--max-duration", "1s")
	if r.code != 1 || !strings.Contains(r.stdout, "error  crawl stopped: max-duration before any page was fetched") {
		t.Errorf("code %d, want 1 and an error finding\nstdout: %s", r.code, r.stdout)
	}
}

// TestAuditJSONLinesKeptOnBadInput: a --urls run refused for its input (a
// missing list, a bad --shard, a missing baseline) leaves an earlier json
// lines file as it was; the file was emptied before the input was read.
func TestAuditJSONLinesKeptOnBadInput(t *testing.T) {
	dir := isolate(t)
	list := filepath.Join(dir, "list.txt")
	os.WriteFile(list, []byte("https://example.invalid/\n"), 0o644)
	out := filepath.Join(dir, "shard.jsonl")
	for _, args := range [][]string{
		{"--urls", filepath.Join(dir, "missing.txt")},
		{"--urls", list, "--shard", "3/2"},
		{"--urls", list, "--baseline", filepath.Join(dir, "missing.json")},
	} {
		os.WriteFile(out, []byte("earlier shard\n"), 0o644)
		var stdout, stderr bytes.Buffer
		code := run(append([]string{"audit", "--no-config", "-f", "json=" + out}, args...), strings.NewReader(""), &stdout, &stderr)
		if code != 2 {
			t.Errorf("%v: exit %d, want 2: %s", args, code, stderr.String())
		}
		if b, _ := os.ReadFile(out); string(b) != "earlier shard\n" {
			t.Errorf("%v: the earlier file became %q", args, b)
		}
	}
}
