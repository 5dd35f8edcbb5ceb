package htmlreport

import (
	"bytes"
	"fmt"
	"html"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	xhtml "golang.org/x/net/html"

	"github.com/agentready/agentready/audit/checks"
	"github.com/agentready/agentready/audit/crawl"
	"github.com/agentready/agentready/audit/robots"
	"github.com/agentready/agentready/internal/golden"
	"github.com/agentready/agentready/report"
)

const hostile = `<script>alert("x")</script><img src=x onerror=alert(1)>`

// sampleReport audits a small hand-built site whose pages carry hostile
// strings in every place a report shows them.
func sampleReport(t testing.TB) *report.Report {
	page := func(path, body string, status int) *crawl.Page {
		u := "http://site.test" + path
		p := &crawl.Page{Response: crawl.Response{URL: u, FinalURL: u, Status: status, ContentType: "text/html",
			Header: http.Header{"Content-Type": {"text/html"}}, Body: []byte(body), Bytes: int64(len(body))}, Source: "link"}
		p.SetTiming(crawl.Timing{FirstByte: 20 * time.Millisecond})
		p.SetFact(checks.FactsKey, checks.Facts(status, p.Header, p.ContentType, u, p.Body, nil))
		return p
	}
	start := page("/", `<!doctype html><html lang="en"><head><title>Home `+hostile+`</title></head><body><main><h1>Welcome</h1><p>`+
		strings.Repeat("Plenty of readable words here. ", 30)+`</p><a href="javascript:alert(1)">`+hostile+`</a></main></body></html>`, 200)
	start.Source = "start"
	wall := page("/shop?q="+hostile, `<html><head><title>Just a moment...</title></head><body><form id="challenge-form"></form></body></html>`, 403)
	robotsTxt := []byte("User-agent: GPTBot\nDisallow: /\n\nUser-agent: *\nAllow: /\nContent-Signal: ai-train=no, search=yes\n")
	site := &crawl.Site{Origin: "http://site.test", Target: "http://site.test/", Pages: []*crawl.Page{start, wall},
		Robots: &crawl.RobotsFile{Response: crawl.Response{URL: "http://site.test/robots.txt", Status: 200, ContentType: "text/plain"}, Raw: robotsTxt, Policy: robots.Parse(robotsTxt), Semantics: "parsed"},
		Extras: map[string]*crawl.Response{}}
	// The crawler records the /sitemap.xml it asked for, 404 included.
	site.Sitemaps = []*crawl.Sitemap{{Response: crawl.Response{URL: "http://site.test/sitemap.xml", FinalURL: "http://site.test/sitemap.xml", Status: 404, ContentType: "text/plain"}, From: "default"}}
	res := checks.Run(site, checks.Options{})
	extra := &checks.Scorecard{Sites: []*checks.SiteResult{res}}
	r := &report.Report{Tool: report.Tool{Name: "agentready", Version: "test"}, Command: "audit", Targets: []string{"http://site.test/"},
		Rules: checks.Descriptors(), Findings: res.Findings, Scores: checks.Combine([]*checks.SiteResult{res}), Extra: extra}
	if err := report.Process(r, report.Policy{}); err != nil {
		t.Fatal(err)
	}
	return r
}

// printHTML prints r with the scorecard its Extra holds, as the audit
// command does.
func printHTML(w io.Writer, r *report.Report) error {
	sc, _ := r.Extra.(*checks.Scorecard)
	return Print(w, r, sc, report.PrintOptions{})
}

func render(t testing.TB) []byte {
	var b bytes.Buffer
	if err := printHTML(&b, sampleReport(t)); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestGolden(t *testing.T) {
	got := render(t)
	golden.Check(t, "report.html", got)
	if !bytes.Equal(got, render(t)) {
		t.Error("output is not deterministic")
	}
}

// TestEscaping: no hostile markup survives, no script element or event
// handler exists, and javascript: URLs are not links.
func TestEscaping(t *testing.T) {
	out := render(t)
	if bytes.Contains(out, []byte("<script")) || bytes.Contains(out, []byte("<img src=x")) {
		t.Error("hostile markup is not escaped")
	}
	doc, err := xhtml.Parse(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	var walk func(*xhtml.Node)
	walk = func(n *xhtml.Node) {
		if n.Type == xhtml.ElementNode {
			if n.Data == "script" || n.Data == "iframe" || n.Data == "object" {
				t.Errorf("<%s> in the report", n.Data)
			}
			for _, a := range n.Attr {
				if strings.HasPrefix(a.Key, "on") {
					t.Errorf("event handler %s", a.Key)
				}
				if (a.Key == "href" || a.Key == "src") && !strings.HasPrefix(a.Val, "http") {
					t.Errorf("%s=%q", a.Key, a.Val)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	for _, want := range []string{"Machine readability report", "AI crawler access", "Declared AI policy", "bot-wall", "How to fix", "&lt;script&gt;"} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("report lacks %q", want)
		}
	}
}

// TestChromium renders the report in headless Chromium at a phone's width
// (390 px) and a laptop's (1280 px) and fails on any console error or on
// anything wider than the window (the old report's tables ran off a phone's
// screen and its category chart shrank to a few pixels). The screenshots,
// audit-report-390.png and audit-report-1280.png, are kept in
// $AGENTREADY_ARTIFACTS (or the test's temp dir). Skipped when Chromium is
// not installed.
func TestChromium(t *testing.T) {
	bin := ""
	for _, b := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(b); err == nil {
			bin = p
			break
		}
	}
	if bin == "" {
		t.Skip("chromium is not installed")
	}
	dir := t.TempDir()
	out := render(t)
	// Headless Chromium lays a page out at least 500 px wide whatever
	// --window-size says, so the report is shown in an iframe of the width
	// under test (an iframe has a viewport of its own, which the media
	// queries read), scaled 2x for the 390 px screenshot as a phone shows it.
	// The probe, added to a copy only (the report itself has no scripts),
	// opens every <details>, then names each element whose right edge is
	// past the frame's.
	const probe = `<script>
document.querySelectorAll("details").forEach(d => d.open = true);
const w = document.documentElement.clientWidth, wide = [];
for (const e of document.body.querySelectorAll("*")) {
  const r = e.getBoundingClientRect();
  if (r.width > 0 && r.right > w + 0.5) wide.push(e.tagName.toLowerCase() + (e.className ? "." + e.className : "") + " " + Math.round(r.right));
}
parent.document.body.setAttribute("data-overflow", [document.documentElement.scrollWidth, w, wide.length].join(" ") + ": " + wide.slice(0, 8).join(", "));
</script></body>`
	frame := func(name string, w, h, scale int, doc []byte) string {
		page := fmt.Sprintf(`<!doctype html><html><body style="margin:0;background:#888"><iframe style="border:0;width:%dpx;height:%dpx;transform:scale(%d);transform-origin:0 0" srcdoc="%s"></iframe></body></html>`,
			w, h, scale, html.EscapeString(string(doc)))
		f := filepath.Join(dir, name)
		if err := os.WriteFile(f, []byte(page), 0o644); err != nil {
			t.Fatal(err)
		}
		return "file://" + f
	}
	art := os.Getenv("AGENTREADY_ARTIFACTS")
	if art == "" {
		art = dir
	}
	os.MkdirAll(art, 0o755)
	chromium := func(width, height int, args ...string) (stdout, stderr string) {
		t.Helper()
		cmd := exec.Command(bin, append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars",
			"--user-data-dir=" + filepath.Join(dir, "profile"), "--enable-logging=stderr", "--v=0", "--virtual-time-budget=2000",
			fmt.Sprintf("--window-size=%d,%d", width, height)}, args...)...)
		var o, e bytes.Buffer
		cmd.Stdout, cmd.Stderr = &o, &e
		done := make(chan error, 1)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("chromium: %v\n%s", err, e.String())
			}
		case <-time.After(90 * time.Second):
			cmd.Process.Kill()
			t.Fatal("chromium did not finish in 90 s")
		}
		return o.String(), e.String()
	}
	for _, size := range []struct{ w, h, scale int }{{390, 2400, 2}, {1280, 2000, 1}} {
		w, h := size.w, size.h
		shot := filepath.Join(art, fmt.Sprintf("audit-report-%d.png", w))
		_, stderr := chromium(w*size.scale, h*size.scale, "--screenshot="+shot, frame(fmt.Sprintf("shot-%d.html", w), w, h, size.scale, out))
		for _, line := range strings.Split(stderr, "\n") {
			if strings.Contains(line, "CONSOLE") && (strings.Contains(line, "ERROR") || strings.Contains(line, "Uncaught")) ||
				strings.Contains(line, "Failed to load resource") {
				t.Errorf("%d px: console error: %s", w, line)
			}
		}
		st, err := os.Stat(shot)
		if err != nil || st.Size() < 10000 {
			t.Fatalf("%d px: no screenshot (%v): %s", w, err, stderr)
		}
		t.Logf("screenshot: %s (%d bytes)", shot, st.Size())

		probed := bytes.Replace(out, []byte("</body>"), []byte(probe), 1)
		dom, _ := chromium(w+100, 800, "--dump-dom", frame(fmt.Sprintf("probe-%d.html", w), w, 800, 1, probed))
		_, rest, ok := strings.Cut(dom, `data-overflow="`)
		if !ok {
			t.Fatalf("%d px: the layout probe did not run:\n%.300s", w, dom)
		}
		res, _, _ := strings.Cut(rest, `"`)
		res = html.UnescapeString(res)
		var scrollW, frameW, past int
		if _, err := fmt.Sscanf(res, "%d %d %d", &scrollW, &frameW, &past); err != nil || frameW != w {
			t.Fatalf("%d px: the probe says %q", w, res)
		}
		if scrollW > frameW || past > 0 {
			t.Errorf("%d px: the report is wider than the window (scroll width, window width, elements past its edge): %s", w, res)
		}
	}
}

// TestRounding: scores print as the text and markdown reports print them
// (math.Round, halves up), and take the colour of the number shown. The
// html report printed 90.5 as 90 (fmt's %.0f rounds half to even) where
// text and markdown printed 91.
func TestRounding(t *testing.T) {
	half, low := 62.5, 89.5
	sc := checks.Scorecard{Sites: []*checks.SiteResult{{Origin: "http://site.test", Profile: "content", Score: 90.5, Grade: "A",
		Checks: []checks.CheckResult{{ID: "llms-txt", Category: checks.Content, Weight: 1, Score: &half}, {ID: "feeds", Category: checks.Discovery, Weight: 1, Score: &low}}}}}
	extra := &sc
	r := &report.Report{Tool: report.Tool{Name: "agentready", Version: "test"}, Command: "audit", Targets: []string{"http://site.test/"},
		Scores: &report.Scores{Overall: 90.5, Grade: "A", Categories: []report.CategoryScore{{ID: "access", Title: "Access", Score: 89.5}, {ID: "content", Title: "Content", Score: 2.5}}},
		Extra:  extra}
	var b bytes.Buffer
	if err := printHTML(&b, r); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		`aria-label="Score 91 of 100`, `fill="#0c7d3e">91</text>`, // the gauge
		`<span class="bar" style="width:89.5%;background:#0c7d3e"></span></span><span class="num">90</span>`, // Access 89.5, green as the 90 it shows
		`<span class="num">3</span>`,                       // Content 2.5
		`<strong style="color:#0c7d3e">91</strong>`,        // the site's score
		`<span class="badge warn">63</span>`, `>90</span>`, // check scores 62.5 and 89.5
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %s", want)
		}
	}
	for _, bad := range []string{">90</text>\n<text x=\"80\" y=\"114\"", `color:#0c7d3e">90<`, `>62</span>`, `"num">2<`} {
		if strings.Contains(out, bad) {
			t.Errorf("report has %s (rounded half to even)", bad)
		}
	}
}

// TestIncomplete: the html report of a run that did not finish says so,
// as every other format does.
func TestIncomplete(t *testing.T) {
	r := &report.Report{Tool: report.Tool{Name: "agentready", Version: "test"}, Command: "audit", Targets: []string{"http://site.test/"}}
	var b bytes.Buffer
	if err := printHTML(&b, r); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "Incomplete") {
		t.Error("a complete run's report says Incomplete")
	}
	r.Incomplete = "interrupted"
	b.Reset()
	if err := printHTML(&b, r); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `<p role="alert"><strong>Incomplete:</strong> interrupted; this report holds only what was found before.</p>`) {
		t.Errorf("an interrupted run's report does not say it is incomplete:\n%s", b.String())
	}
}
