package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
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
	"github.com/spf13/cobra"
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
	p := crawl.NewProgressLine(&b)
	p.Clear()
	if b.Len() != 0 {
		t.Errorf("clear before any update wrote %q", b.String())
	}
	p.Update(crawl.Progress{Done: 10, Queued: 5, Errors: 1, Bytes: 2048, Elapsed: 2 * time.Second, Requests: 40})
	if got := b.String(); got != "\r\x1b[Kcrawling: 10 pages done, 5 queued, 1 errors, 5.0 pages/s, 40 requests, 2.0 KiB" {
		t.Errorf("progress = %q", got)
	}
	b.Reset()
	p.Update(crawl.Progress{Done: 10, Elapsed: 2 * time.Second, Requests: 52, FollowUps: 7})
	if got := b.String(); got != "\r\x1b[Kcrawling: 10 pages done, 0 queued, 0 errors, 5.0 pages/s, 52 requests, 0 B, 7 follow-ups to go" {
		t.Errorf("progress in the follow-up phase = %q", got)
	}
	b.Reset()
	p.Clear()
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
	// The reports say the run did not finish.
	var doc struct{ Incomplete string }
	readJSON(t, filepath.Join(dir, "int.json"), &doc)
	if doc.Incomplete != "interrupted" || !strings.Contains(r.stdout, "incomplete: interrupted") {
		t.Errorf("json incomplete = %q; text:\n%s", doc.Incomplete, r.stdout)
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

// lockedBuffer is stdout and stderr at once, as a terminal shows them.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// onTerminal is an extra command for execute that makes every stream a
// terminal (the progress line is drawn) and does nothing else.
func onTerminal(g *globalOpts) *cobra.Command {
	g.isTerminal = func(io.Writer) bool { return true }
	return &cobra.Command{Use: "noop", Hidden: true, RunE: func(*cobra.Command, []string) error { return nil }}
}

// TestProgressClearedBeforeReport: on a terminal the progress line is
// erased before the report is printed, not after it (which left the report
// printed after the line's text, and erased the report's last line); a
// warning the standard logger prints during the crawl erases it first too.
func TestProgressClearedBeforeReport(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/a" {
			// After the progress line's first tick (200ms): the warning
			// comes while the line is drawn.
			time.Sleep(450 * time.Millisecond)
			log.Print("a warning during the crawl")
		}
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, `<!doctype html><title>Home</title><a href="/a">a</a>`)
	}))
	defer srv.Close()
	var term lockedBuffer
	code := execute([]string{"audit", "--no-config", "--no-checks", "--rate", "0", "--max-pages", "2", srv.URL}, strings.NewReader(""), &term, &term, onTerminal)
	out := term.String()
	if code != 0 {
		t.Fatalf("exit %d\n%q", code, out)
	}
	const erase = "\r\x1b[K"
	if !strings.Contains(out, erase+"crawling: ") {
		t.Fatalf("no progress line drawn:\n%q", out)
	}
	i := strings.LastIndex(out, erase)
	report := out[i+len(erase):]
	if !strings.HasPrefix(report, srv.URL) || strings.Contains(report, "crawling: ") {
		t.Errorf("the report does not follow the erased progress line:\n%q", out)
	}
	// The warning is on a line of its own, never after the progress text.
	if w := strings.Index(out, "agentready: a warning during the crawl"); w < 0 || !strings.HasSuffix(out[:w], erase) {
		t.Errorf("the warning is printed over the progress line:\n%q", out)
	}
}

// refusedURL returns the URL of a loopback port nothing listens on.
func refusedURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	u := "http://" + l.Addr().String() + "/"
	l.Close()
	return u
}

// TestAuditUnreachable: a start page that cannot be fetched for a network
// reason is an error (exit 2, the URL and the reason on stderr) whatever
// --fail-on; it used to score 0 and exit 1, or 0 with --fail-on none, so
// CI read "score dropped" when the server had not started. An HTTP error
// status is the site's answer: it stays a finding. With --urls the other
// sites are reported and the run still exits 2.
func TestAuditUnreachable(t *testing.T) {
	isolate(t)
	refused := refusedURL(t)
	status := func(code int) *httptest.Server {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/robots.txt" {
				io.WriteString(w, "User-agent: *\nAllow: /\n")
				return
			}
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(code)
			io.WriteString(w, "<!doctype html><title>no</title><p>no</p>")
		}))
		t.Cleanup(srv.Close)
		return srv
	}
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	}))
	defer hang.Close()
	good := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<!doctype html><html lang=en><title>Anvils</title><main><h1>Anvils</h1><p>"+strings.Repeat("Words about anvils. ", 50)+"</p></main></html>")
	}))
	defer good.Close()

	for _, failOn := range []string{"error", "none"} {
		r := runTest(t, "audit", refused, "--rate", "0", "--fail-on", failOn)
		r.expect(t, 2, "", "agentready: "+refused+": unreachable: robots.txt: dial tcp ")
		if !strings.Contains(r.stderr, "connection refused") || r.stdout != "" {
			t.Errorf("--fail-on %s: want the reason on stderr and no report\nstdout:\n%s\nstderr:\n%s", failOn, r.stdout, r.stderr)
		}
	}
	// Past robots.txt (--ignore-robots), the start page's own error.
	runTest(t, "audit", refused, "--rate", "0", "--ignore-robots", "-f", "json").
		expect(t, 2, "", refused+": unreachable: dial tcp ")
	runTest(t, "audit", hang.URL+"/", "--rate", "0", "--timeout", "300ms", "--fail-on", "none").
		expect(t, 2, "", hang.URL+"/: unreachable: robots.txt: timeout")

	for _, code := range []int{500, 403} {
		srv := status(code)
		runTest(t, "audit", srv.URL+"/", "--rate", "0").expect(t, 1, fmt.Sprintf("the start page answers %d", code), "")
		runTest(t, "audit", srv.URL+"/", "--rate", "0", "--fail-on", "none").expect(t, 0, "start-page-reachable", "")
	}

	list := filepath.Join(t.TempDir(), "list.txt")
	os.WriteFile(list, []byte(good.URL+"/\n"+refused+"\n"), 0o644)
	origin := strings.TrimSuffix(refused, "/")
	r := runTest(t, "audit", "--urls", list, "--rate", "0", "--fail-on", "none")
	r.expect(t, 2, "unreachable: robots.txt: dial tcp", "1 target unreachable, not audited (the report covers the other 1):\n  "+origin+": robots.txt: dial tcp ")
	if !strings.Contains(r.stdout, good.URL) || !strings.Contains(r.stdout, "Scores") {
		t.Errorf("the reachable site is not reported:\n%s", r.stdout)
	}
	// Its score is the reachable site's alone: the unreachable one is not
	// scored (0), which would halve it.
	dir := t.TempDir()
	runTest(t, "audit", good.URL+"/", "--rate", "0", "--fail-on", "none", "-f", "json="+filepath.Join(dir, "one.json")).expect(t, 0, "", "")
	// Every format lists the unreachable site.
	runTest(t, "audit", "--urls", list, "--rate", "0", "--fail-on", "none", "-f", "sarif="+filepath.Join(dir, "both.sarif")).expect(t, 2, "", "1 target unreachable")
	if b, _ := os.ReadFile(filepath.Join(dir, "both.sarif")); !strings.Contains(string(b), "unreachable: robots.txt: dial tcp") {
		t.Errorf("the sarif report does not list the unreachable site:\n%s", b)
	}
	var one report.Report
	b, _ := os.ReadFile(filepath.Join(dir, "one.json"))
	if err := json.Unmarshal(b, &one); err != nil || one.Scores == nil {
		t.Fatalf("one.json: %v", err)
	}
	if want := fmt.Sprintf("Overall (grade %s)", one.Scores.Grade); !strings.Contains(r.stdout, want) {
		t.Errorf("the list's score is not the reachable site's (%s):\n%s", want, r.stdout)
	}
}

// TestAuditSoft404Host: a blog on a host that answers every path with its
// page and 200 is audited as a blog: no API warnings, no "robots.txt is an
// HTML page" error failing the default --fail-on error, one soft-404
// warning.
func TestAuditSoft404Host(t *testing.T) {
	isolate(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, `<!doctype html><html lang="en"><head><title>Green Fingers</title><meta name="description" content="A gardening blog."></head><body><main><h1>Green Fingers</h1><p>`+
			strings.Repeat("Tomatoes want sun, water and patience. ", 40)+`</p></main></body></html>`)
	}))
	defer srv.Close()
	r := runTest(t, "audit", srv.URL+"/", "--rate", "0")
	r.expect(t, 0, "the host answers unknown paths with 200", "")
	for _, bad := range []string{"JSON object", "robots.txt is an HTML page", "has an API"} {
		if strings.Contains(r.stdout, bad) {
			t.Errorf("stdout has %q:\n%s", bad, r.stdout)
		}
	}
}
