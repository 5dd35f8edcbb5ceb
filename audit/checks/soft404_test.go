package checks

import (
	"strings"
	"testing"
)

// spaShell is a create-react-app build's index.html (the shape of the
// public builds found in repositories), with the CSP nonce a server adds
// per request and an og:title and canonical link that some servers fill
// in from the path (as a photo site's Lambda does for its SPA shell).
func spaShell(nonce, path string) string {
	seg := path[strings.LastIndexByte(path, '/')+1:]
	return `<!doctype html><html lang="en"><head><meta charset="utf-8"/><link rel="icon" href="/favicon.ico"/>` +
		`<meta name="viewport" content="width=device-width,initial-scale=1"/><meta name="theme-color" content="#000000"/>` +
		`<meta property="og:title" content="wisaw photo ` + seg + `"/><link rel="canonical" href="https://example.com` + path + `"/>` +
		`<meta name="description" content="Shinder react hooks"/><title>Shinder react hooks</title>` +
		`<script nonce="` + nonce + `" defer="defer" src="/static/js/main.6a205622.js"></script></head>` +
		`<body><noscript>You need to enable JavaScript to run this app.</noscript><div id="root"></div></body></html>`
}

// TestSoft404Bodies: what counts as the answer a random path got.
func TestSoft404Bodies(t *testing.T) {
	const probe = "/agentready-probe-0123456789abcdef01234567"
	article := "<!doctype html><html><head><title>Tomatoes</title></head><body><main><h1>Tomatoes</h1><p>" + strings.Repeat("Sun, water, patience. ", 40) + "</p></main></body></html>"
	home := strings.Replace(strings.Replace(article, "Tomatoes", "Home", 2), strings.Repeat("Sun, water, patience. ", 40),
		strings.Repeat(`<a href="/posts/x">A post about seeds</a> `, 20), 1)
	for _, c := range []struct {
		name, doc, path, probeBody string
		same                       bool
	}{
		{"the same shell, another nonce and path", spaShell("r4nd0mN0nce7x9Qk2LmP", "/.well-known/mcp/server-card.json"), "/.well-known/mcp/server-card.json",
			spaShell("Zq81kd0Pw9vXn3Lr5TyU", probe), true},
		{"a greeting by the time of day", strings.Replace(home, "<h1>Home</h1>", "<h1>Good morning</h1>", 1), "/llms.txt",
			strings.Replace(home, "<h1>Home</h1>", "<h1>Good evening</h1>", 1), true},
		{"a not-found line that echoes the path", "<html><body><p>No page at /llms.txt, sorry.</p></body></html>", "/llms.txt",
			"<html><body><p>No page at " + probe + ", sorry.</p></body></html>", true},
		{"a JSON catch-all", `{"error":"no route","path":"/.well-known/api-catalog","requestId":"a1b2c3d4e5f6a7b8c9"}`, "/.well-known/api-catalog",
			`{"error":"no route","path":"` + probe + `","requestId":"ffe1d2c3b4a5968778"}`, true},
		{"both empty", "", "/.well-known/security.txt", "", true},
		{"a real llms.txt", "# Green Fingers\n\n> A gardening blog.\n\n## Posts\n\n- [Tomatoes](/posts/tomatoes.md)\n", "/llms.txt", spaShell("x", probe), false},
		{"a real agent card", `{"name":"Orders","url":"https://example.com/a2a"}`, "/.well-known/agent-card.json", `{"error":"not found"}`, false},
		{"another page of the same layout", article, "/openapi.json", home, false},
		{"two short answers", "ok", "/llms.txt", "no", false},
	} {
		strip := pathStrings(c.path, probe)
		if got := nearlySame(normalizeBody([]byte(c.doc), strip), normalizeBody([]byte(c.probeBody), strip)); got != c.same {
			t.Errorf("%s: same = %v, want %v", c.name, got, c.same)
		}
	}
}

// TestSoft404Fixture: on a host that answers what it lacks with its home
// page, the documents it lacks are absent (the agent card and MCP server
// card: not applicable, no "not a JSON object"), the ones it publishes are
// read as before, and one finding lists what was read as absent.
func TestSoft404Fixture(t *testing.T) {
	site := loadFixture(t, true, "soft-404.fail.txtar")
	res := Run(site, Options{})
	var msgs []string
	for _, f := range res.Findings {
		if strings.Contains(f.Message, "JSON object") || f.RuleID == "a2a-agent-card" || f.RuleID == "mcp-discovery" || f.RuleID == "ai-catalog" {
			t.Errorf("%s: %s", f.RuleID, f.Message)
		}
		if f.RuleID == "soft-404" {
			msgs = append(msgs, f.Message)
		}
	}
	if len(msgs) != 1 || !strings.HasSuffix(msgs[0], "read as absent: /openapi.yaml, /swagger.json, /.well-known/openid-configuration, /.well-known/ai-catalog.json, /.well-known/mcp/server-card.json, /.well-known/mcp.json, /.well-known/agent-card.json, /.well-known/agent.json, /.well-known/ai-plugin.json, /.well-known/agent-skills/index.json, /.well-known/http-message-signatures-directory") {
		t.Errorf("soft-404: %q", msgs)
	}
	for _, c := range res.Checks {
		switch c.ID {
		case "a2a-agent-card", "mcp-discovery", "ai-plugin-legacy", "ai-catalog", "agent-skills", "web-bot-auth":
			if c.Score != nil {
				t.Errorf("%s scored %v (%s)", c.ID, *c.Score, c.Detail)
			}
		case "api-catalog", "openapi", "oauth-metadata", "llms-txt", "security-txt":
			if c.Score == nil || *c.Score < 90 {
				t.Errorf("%s: %v (%s): the published document is not read", c.ID, fmtScore(c.Score), c.Detail)
			}
		}
	}
	if res.Profile != ProfileAPI {
		t.Errorf("profile %s", res.Profile)
	}
}

func FuzzSoft404Bodies(f *testing.F) {
	f.Add([]byte(spaShell("a", "/x")), []byte(spaShell("b", "/y")), "/llms.txt")
	f.Add([]byte(""), []byte("{}"), "/")
	f.Fuzz(func(t *testing.T, a, b []byte, path string) {
		strip := pathStrings(path, "/agentready-probe-x")
		na, nb := normalizeBody(a, strip), normalizeBody(b, strip)
		if nearlySame(na, nb) != nearlySame(nb, na) {
			t.Fatalf("not symmetric: %q %q", na, nb)
		}
		if !nearlySame(na, na) {
			t.Fatal("not reflexive")
		}
	})
}
