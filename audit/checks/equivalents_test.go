package checks

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
	"testing"

	_ "github.com/agentready/agentready/internal/golden"
)

// The other tools' check IDs, as their sources give them (read December
// 2026): Lighthouse's agentic-browsing category in
// GoogleChrome/lighthouse core/config/default-config.js, and the check
// keys of isitagentready.com's scan API in
// https://isitagentready.com/llms-full.txt (18 checks).
var (
	lighthouseAgentic = []string{"agent-accessibility-tree", "webmcp-form-coverage", "webmcp-registered-tools", "webmcp-schema-validity", "cumulative-layout-shift", "llms-txt", "ard-schema"}
	cloudflareChecks  = []string{"robotsTxt", "sitemap", "linkHeaders", "markdownNegotiation", "robotsTxtAiRules", "contentSignals", "webBotAuth", "mcpServerCard", "a2aAgentCard", "agentSkills", "webMcp", "apiCatalog", "oauthDiscovery", "oauthProtectedResource", "x402", "ucp", "acp", "ap2"}
)

// TestEquivalentsAreReal: every equivalent a check names is an ID the
// other tool uses, and the check's doc names it in its Equivalents
// section (the old code named Lighthouse "webmcp-tools", a gatherer, and
// Cloudflare checks by invented titles such as "AI Catalog" and
// "llms.txt", which its scanner does not have).
func TestEquivalentsAreReal(t *testing.T) {
	known := map[string][]string{"Lighthouse": lighthouseAgentic, "Cloudflare": cloudflareChecks}
	for _, c := range append(All(), renderRegistry...) {
		doc := c.Doc()
		for _, e := range c.Equivalents {
			ids, ok := known[e.Tool]
			if !ok {
				t.Errorf("%s: unknown tool %q", c.ID, e.Tool)
				continue
			}
			if !slices.Contains(ids, e.ID) {
				t.Errorf("%s: %s has no check %q", c.ID, e.Tool, e.ID)
			}
			sec := doc[max(0, strings.Index(doc, "## Equivalents")):]
			if !strings.Contains(doc, "## Equivalents") || !strings.Contains(sec, "`"+e.ID+"`") {
				t.Errorf("%s: the doc's Equivalents section does not name %s's `%s`", c.ID, e.Tool, e.ID)
			}
		}
	}
}

// TestCapabilitiesMessage: the disagreement between a card without a
// tools capability and a server that declares one reads as a sentence
// (the old code said "the endpoint's discover answer declare").
func TestCapabilitiesMessage(t *testing.T) {
	files := map[string][]byte{}
	for _, f := range readArchive(t, "base.txtar").Files {
		files[f.Name] = f.Data
	}
	files["mcp/server-card"] = []byte(strings.Replace(string(files["mcp/server-card"]), `"capabilities": {"tools": {}}`, `"capabilities": {}`, 1))
	site := buildSite(t, files)
	c, _ := Lookup("discovery-consistency")
	r := runOne(c, &Pass{Site: site, Start: startPage(site)})
	want := "the card's capabilities do not declare tools but the endpoint's discover answer declares them"
	for _, f := range r.Findings {
		if strings.HasPrefix(f.Message, want) {
			return
		}
	}
	t.Errorf("no %q in %+v", want, r.Findings)
}

// TestSkillsIndexRFCForm: an index in the discovery RFC's v0.2.0 shape
// (cloudflare/agent-skills-discovery-rfc: a top-level version, each
// skill's files with per-file digests, SKILL.md at <name>/SKILL.md) is
// read and its SKILL.md verified (the old code asked it for $schema, type
// and url, and verified nothing).
func TestSkillsIndexRFCForm(t *testing.T) {
	files := map[string][]byte{}
	for _, f := range readArchive(t, "base.txtar").Files {
		files[f.Name] = f.Data
	}
	sum := sha256.Sum256(files[".well-known/agent-skills/orders/SKILL.md"])
	files[".well-known/agent-skills/index.json"] = []byte(`{"version": "0.2.0", "skills": [{"name": "orders", "description": "Order from Acme.",
		"digest": "sha256:` + strings.Repeat("0", 64) + `", "files": [{"path": "SKILL.md", "digest": "sha256:` + hex.EncodeToString(sum[:]) + `"}]}]}`)
	site := buildSite(t, files)
	c, _ := Lookup("agent-skills")
	r := runOne(c, &Pass{Site: site, Start: startPage(site)})
	if r.Score == nil || *r.Score < 1 || len(r.Findings) != 0 || !strings.HasPrefix(r.Detail, "1 of 1 skill verified") {
		t.Errorf("%v %s %+v", fmtScore(r.Score), r.Detail, r.Findings)
	}
}
