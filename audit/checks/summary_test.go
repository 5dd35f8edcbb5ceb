package checks

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/agentready/agentready/audit/botwall"
	"github.com/agentready/agentready/audit/crawl"
)

// challengePage is a Cloudflare challenge served with status 200: only
// the body tells it from the page.
const challengePage = `<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title></head><body>
<div id="challenge-body-text">Checking if the site connection is secure</div>
<form id="challenge-form" action="/?__cf_chl_f_tk=x" method="POST"></form>
<script src="/cdn-cgi/challenge-platform/h/b/orchestrate/chl_page/v1"></script></body></html>`

// TestParitySummaries crawls a loopback site where GPTBot and
// ChatGPT-User get a challenge page with status 200: on the start page,
// fetched as variants during the crawl, and on /a and /b, follow-ups that
// complete the sample after the crawl. The crawl keeps the bot-wall verdict of each
// user-agent fetch instead of its body, and the parity check reports the
// wall from it as it did from the body.
func TestParitySummaries(t *testing.T) {
	page := func(title, link string) string {
		return `<!doctype html><html lang="en"><head><title>` + title + `</title></head><body><main><h1>` + title + `</h1><p>` +
			strings.Repeat("Words about anvils and rockets. ", 120) + `</p><a href="` + link + `">next</a></main></body></html>`
	}
	walled := func(ua string) bool { return strings.Contains(ua, "GPTBot/") || strings.Contains(ua, "ChatGPT-User/") }
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt":
			io.WriteString(w, "User-agent: *\nAllow: /\n")
		case "/", "/a", "/b":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			if walled(r.UserAgent()) {
				io.WriteString(w, challengePage)
				return
			}
			io.WriteString(w, page("Page "+r.URL.Path, map[string]string{"/": "/a", "/a": "/b", "/b": "/"}[r.URL.Path]))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()

	s := crawlChecked(t, srv.URL, CrawlSettings{ParityPages: 3})
	wantWall := botwall.Detect(200, http.Header{"Content-Type": {"text/html; charset=utf-8"}}, []byte(challengePage))
	if !wantWall.Wall {
		t.Fatalf("the challenge page is not a wall: %+v", wantWall)
	}
	want := wantWall.Vendor + " " + wantWall.Kind.String() + " page"
	variants := 0
	for _, pg := range s.Pages {
		for name, v := range pg.Variants() {
			variants++
			if v.Body != nil {
				t.Errorf("%s %s: the body was kept (%d bytes)", pg.URL, name, len(v.Body))
			}
			if v.Bytes == 0 && name != "revalidate" {
				t.Errorf("%s %s: no byte count", pg.URL, name)
			}
			w, ok := v.Summary().(wallSummary)
			switch {
			case strings.HasPrefix(name, "ua-") && !ok:
				t.Errorf("%s %s: no bot-wall summary: %#v", pg.URL, name, v.Summary())
			case (name == "ua-GPTBot" || name == "ua-ChatGPT-User") && string(w) != want:
				t.Errorf("%s %s: summary %q, want %q", pg.URL, name, w, want)
			case strings.HasPrefix(name, "ua-") && name != "ua-GPTBot" && name != "ua-ChatGPT-User" && w != "":
				t.Errorf("%s %s: summary %q, want none", pg.URL, name, w)
			case !strings.HasPrefix(name, "ua-") && v.Summary() != nil:
				t.Errorf("%s %s: summary %#v, want nil", pg.URL, name, v.Summary())
			}
		}
	}
	// The start page: markdown, the browser and five agents; two more
	// pages: the browser and five agents each.
	if variants != 7+2*6 {
		t.Errorf("%d variants, want %d", variants, 7+2*6)
	}
	res := Run(s, Options{})
	var got []string
	for _, f := range res.Findings {
		if f.RuleID == "user-agent-parity" {
			got = append(got, strings.TrimPrefix(f.Location.URL, srv.URL)+": "+f.Message)
		}
	}
	wantMsgs := []string{
		"/: as GPTBot the page differs from a browser's: " + want,
		"/: as ChatGPT-User the page differs from a browser's: " + want,
		"/a: as GPTBot the page differs from a browser's: " + want + " (section /)",
		"/a: as ChatGPT-User the page differs from a browser's: " + want + " (section /)",
		"/b: as GPTBot the page differs from a browser's: " + want + " (section /)",
		"/b: as ChatGPT-User the page differs from a browser's: " + want + " (section /)",
	}
	if strings.Join(got, "\n") != strings.Join(wantMsgs, "\n") {
		t.Errorf("parity findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(wantMsgs, "\n"))
	}
}

// TestWallOfBody: a response that was not summarised (a page kept with
// its body, a fixture) is still judged from its body.
func TestWallOfBody(t *testing.T) {
	r := &crawl.Response{Status: 200, Header: http.Header{}, Body: []byte(challengePage)}
	if wallOf(r) == "" {
		t.Error("no wall found in the body")
	}
	r.SetSummary(summarizeWall(r))
	w := wallOf(r)
	r.Body = nil
	if wallOf(r) != w || w == "" {
		t.Errorf("summary %q, body verdict %q", wallOf(r), w)
	}
	if wallOf(&crawl.Response{Status: 200}) != "" {
		t.Error("a response with neither body nor summary has a wall")
	}
}
