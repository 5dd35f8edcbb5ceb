package audit

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/agentready/agentready/audit/checks"
	"github.com/agentready/agentready/report"
)

// gardenPage is a gardening blog's single-page app shell with its content
// server-rendered; nonce changes per request, as a CSP nonce does.
func gardenPage(nonce string) string {
	return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Green Fingers: a gardening blog</title>
<meta name="description" content="Notes from a small garden: soil, seeds and seasons.">
<script nonce="` + nonce + `" src="/assets/index-4f9a2c.js" type="module"></script></head>
<body><div id="root"><main><h1>Green Fingers</h1><p>` + strings.Repeat("Tomatoes want sun, water and patience; mulch keeps the soil moist. ", 30) +
		`</p><a href="/posts/tomatoes">Tomatoes</a></main></div></body></html>`
}

var nonces atomic.Int64

func nonce() string { return fmt.Sprintf("n0nce%08dQx7Zk2", nonces.Add(1)) }

// auditURL audits one URL target and returns the result and its only site.
func auditURL(t *testing.T, u string, cfg Config) (*Result, *checks.SiteResult) {
	t.Helper()
	cfg.Rate = 0
	res, err := Run(context.Background(), []string{u}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if res.Scorecard == nil || len(res.Scorecard.Sites) != 1 {
		t.Fatalf("scorecard %+v", res.Scorecard)
	}
	return res, res.Scorecard.Sites[0]
}

func checkResult(t *testing.T, r *checks.SiteResult, id string) checks.CheckResult {
	t.Helper()
	for _, c := range r.Checks {
		if c.ID == id {
			return c
		}
	}
	t.Fatalf("no check %s", id)
	return checks.CheckResult{}
}

var apiChecks = []string{"api-catalog", "openapi", "oauth-metadata", "mcp-discovery", "a2a-agent-card", "ai-plugin-legacy"}

// TestSoft404 audits a host that answers every path with its HTML page
// and 200 (an SPA fallback), beside the same site on a host that answers
// 404. A gardening blog on such a host got the api profile, warnings that
// its api-catalog, agent card, MCP and OAuth documents were "not a JSON
// object", and an F: the documents the host answers with the page for a
// random path are absent, as on the 404 host, and one finding says why.
func TestSoft404(t *testing.T) {
	var probes atomic.Int64
	spa := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/agentready-probe-") {
			probes.Add(1)
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, gardenPage(nonce()))
	}))
	defer spa.Close()
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" && r.URL.Path != "/posts/tomatoes" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, gardenPage(nonce()))
	}))
	defer plain.Close()

	res, spaSite := auditURL(t, spa.URL+"/", DefaultConfig())
	_, plainSite := auditURL(t, plain.URL+"/", DefaultConfig())
	if spaSite.Profile != checks.ProfileContent || plainSite.Profile != checks.ProfileContent {
		t.Errorf("profiles %s (SPA host), %s (404 host), want content", spaSite.Profile, plainSite.Profile)
	}
	for _, id := range apiChecks {
		if c := checkResult(t, spaSite, id); c.Score != nil {
			t.Errorf("SPA host: %s scored %v (%s), want not applicable", id, *c.Score, c.Detail)
		}
	}
	if got := probes.Load(); got != 1 {
		t.Errorf("%d probes of the SPA host, want 1", got)
	}
	var soft []report.Finding
	for _, f := range res.Findings {
		if strings.Contains(f.Message, "not a JSON object") || f.Category == string(checks.API) && f.Severity >= report.Warning {
			t.Errorf("SPA host: %s: %s", f.RuleID, f.Message)
		}
		if f.RuleID == "soft-404" {
			soft = append(soft, f)
		}
		// The default /sitemap.xml answered with the page is no sitemap,
		// not one that does not parse.
		if f.RuleID == "crawl-sitemap" || f.RuleID == "sitemap" && !strings.Contains(f.Message, "no valid sitemap (soft 404") {
			t.Errorf("SPA host: %s: %s", f.RuleID, f.Message)
		}
		if f.RuleID == "llms-txt" && !strings.Contains(f.Message, "no /llms.txt (soft 404") ||
			f.RuleID == "robots-txt-valid" && !strings.HasPrefix(f.Message, "no robots.txt (soft 404") {
			t.Errorf("SPA host: %s: %s", f.RuleID, f.Message)
		}
	}
	if len(soft) != 1 || soft[0].Severity != report.Warning || soft[0].Location.URL != spa.URL ||
		!strings.Contains(soft[0].Message, "the host answers unknown paths with 200") ||
		!strings.Contains(soft[0].Message, "read as absent: /robots.txt, /llms.txt, /.well-known/api-catalog, /openapi.json") {
		t.Errorf("soft-404 findings: %+v", soft)
	}
	if c := checkResult(t, plainSite, "soft-404"); c.Score == nil || *c.Score != 100 {
		t.Errorf("404 host: soft-404 %+v", c)
	}
	// The same site, the same score, whichever way the host answers what
	// it does not have.
	if spaSite.Score != plainSite.Score {
		t.Errorf("score %v on the SPA host, %v on the 404 host", spaSite.Score, plainSite.Score)
	}
	for _, c := range spaSite.Checks {
		if p := checkResult(t, plainSite, c.ID); c.ID != "soft-404" && fmt.Sprint(deref(c.Score)) != fmt.Sprint(deref(p.Score)) {
			t.Errorf("%s: %v (%s) on the SPA host, %v (%s) on the 404 host", c.ID, deref(c.Score), c.Detail, deref(p.Score), p.Detail)
		}
	}
}

func deref(s *float64) any {
	if s == nil {
		return "n/a"
	}
	return *s
}

// TestSoft404RealDocuments: on a host with a fallback, a document it does
// publish is judged as usual, and one that answers another body (a JSON
// error that echoes its path, as an API host's catch-all does) is absent
// when the random path gets the same answer.
func TestSoft404RealDocuments(t *testing.T) {
	card := `{"name":"Orders","description":"Order anvils","supportedInterfaces":[{"url":"https://example.com/a2a","protocolBinding":"JSONRPC","protocolVersion":"1.0"}],"version":"1.0","capabilities":{},"defaultInputModes":["text"],"defaultOutputModes":["text"],"skills":[]}`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(w, gardenPage(nonce()))
		case "/.well-known/agent-card.json":
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, card)
		default:
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"error":"no route","path":%q,"requestId":"%s"}`, r.URL.Path, nonce())
		}
	}))
	defer srv.Close()
	res, site := auditURL(t, srv.URL+"/", DefaultConfig())
	if c := checkResult(t, site, "a2a-agent-card"); c.Score == nil || *c.Score != 100 {
		t.Errorf("a2a-agent-card %+v, want the published card scored", c)
	}
	for _, id := range []string{"api-catalog", "oauth-metadata", "mcp-discovery", "ai-plugin-legacy"} {
		if c := checkResult(t, site, id); c.Score != nil {
			t.Errorf("%s scored %v (%s), want not applicable", id, *c.Score, c.Detail)
		}
	}
	for _, f := range res.Findings {
		if f.Category == string(checks.API) && f.Severity >= report.Warning {
			t.Errorf("%s: %s", f.RuleID, f.Message)
		}
	}
}

// TestSoft404Folder: a folder is served by agentready with real 404s:
// no probe is fetched and nothing changes.
func TestSoft404Folder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "public")
	os.MkdirAll(dir, 0o755)
	os.WriteFile(filepath.Join(dir, "index.html"), []byte(gardenPage("static")), 0o644)
	cfg := DefaultConfig()
	cfg.Rate = 0
	res, err := Run(context.Background(), []string{dir}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	for name := range res.Sites[0].Extras {
		if strings.HasPrefix(name, "soft404") {
			t.Errorf("a folder audit fetched %s", name)
		}
	}
	if c := checkResult(t, res.Scorecard.Sites[0], "soft-404"); c.Score != nil {
		t.Errorf("soft-404 scored %v on a folder (%s)", *c.Score, c.Detail)
	}
}
