package checks

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/agentready/agentready/report"
)

// FuzzAgentDocs: the parsers of the agent-discovery documents never panic
// and locate every problem with a JSON pointer (or the document's root).
func FuzzAgentDocs(f *testing.F) {
	for _, s := range []string{
		`{"specVersion":"1.0","entries":[{"identifier":"a","type":"application/mcp-server-card+json","url":"/x"},{"identifier":"a","data":{}}]}`,
		`{"name":"a/b","version":"1","capabilities":{"tools":{}},"remotes":[{"type":"streamable-http","url":"/mcp","supportedProtocolVersions":["2026-07-28"],"authentication":{"required":true}}],"tools":[{}]}`,
		`{"name":"x","supportedInterfaces":[{"url":"/a2a"},7],"url":"/old"}`,
		`{"$schema":"s","skills":[{"name":"n","type":"skill-md","description":"d","url":"/s","digest":"sha256:00"}]}`,
		`{"keys":[{"kty":"OKP","crv":"Ed25519","x":"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8","d":"x"}]}`,
		`{"x402Version":2,"resource":{"url":"/p"},"accepts":[{"scheme":"exact","network":"eip155:8453","amount":"10","asset":"0x","payTo":"0x","maxTimeoutSeconds":60}]}`,
		`{"jsonrpc":"2.0","id":1,"result":{"supportedVersions":["2026-07-28"]}}`,
		"event: message\ndata: {\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}\n\n",
		`null`, `[]`, `{"entries":{"a":1}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		check := func(name string, ps problems) {
			for _, p := range ps {
				if p.Msg == "" || p.Pointer != "" && p.Pointer[0] != '/' {
					t.Errorf("%s: problem %+v", name, p)
				}
			}
		}
		if _, ps, _ := parseAICatalog(b); true {
			check("catalog", ps)
		}
		if _, ps, _ := parseServerCard(b); true {
			check("server card", ps)
		}
		if _, ps, _ := parseA2ACard(b); true {
			check("agent card", ps)
		}
		if _, ps, _ := parseSkillsIndex(b); true {
			check("skills", ps)
		}
		if _, ps, _ := parseKeyDirectory(b); true {
			check("keys", ps)
		}
		if _, ps, _ := parsePaymentRequired(base64.StdEncoding.EncodeToString(b)); true {
			check("x402", ps)
		}
		parsePaymentRequired(string(b))
		parseRPCAnswer("application/json", b)
		parseRPCAnswer("text/event-stream", b)
		wwwAuthParam(string(b), "resource_metadata")
	})
}

func TestParsePaymentRequired(t *testing.T) {
	good := base64.StdEncoding.EncodeToString([]byte(`{"x402Version":2,"resource":{"url":"https://x.test/p"},"accepts":[{"scheme":"exact","network":"eip155:8453","amount":"10000","asset":"0xA","payTo":"0xB","maxTimeoutSeconds":60}]}`))
	pr, ps, err := parsePaymentRequired(good)
	if err != nil || len(ps) != 0 || pr.Accepts != 1 || pr.Version != 2 {
		t.Errorf("good: %+v %+v %v", pr, ps, err)
	}
	bad := base64.StdEncoding.EncodeToString([]byte(`{"x402Version":1,"accepts":[{"scheme":"exact","network":"base","amount":"0.01"}]}`))
	_, ps, err = parsePaymentRequired(bad)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"/x402Version": true, "/resource/url": true, "/accepts/0/network": true, "/accepts/0/amount": true, "/accepts/0/asset": true, "/accepts/0/payTo": true, "/accepts/0/maxTimeoutSeconds": true}
	for _, p := range ps {
		delete(want, p.Pointer)
	}
	if len(want) > 0 {
		t.Errorf("not reported: %v (got %+v)", want, ps)
	}
	if _, _, err := parsePaymentRequired("%%%"); err == nil {
		t.Error("non-base64 accepted")
	}
}

// TestConsistencyFindsPlantedMismatch: a server card that names an
// endpoint the AI Catalog does not list is a located finding.
func TestConsistencyFindsPlantedMismatch(t *testing.T) {
	site := loadFixture(t, true, "discovery-consistency.fail.txtar")
	c, _ := Lookup("discovery-consistency")
	r := runOne(c, &Pass{Site: site, Start: startPage(site)})
	found := false
	for _, f := range r.Findings {
		if f.Location.URL == fixtureOrigin+"/.well-known/mcp/server-card.json" && f.Location.Pointer == "/remotes/0/url" &&
			f.Message == "the MCP server card (legacy) names the endpoint http://fixture.test/other-mcp, which the AI Catalog (http://fixture.test/.well-known/ai-catalog.json) does not list" {
			found = true
		}
	}
	if !found {
		t.Errorf("the planted mismatch is not reported: %+v", r.Findings)
	}
	site = loadFixture(t, true)
	if r := runOne(c, &Pass{Site: site, Start: startPage(site)}); len(r.Findings) != 0 || r.Score == nil || *r.Score != 1 {
		t.Errorf("base: %v %s %+v", fmtScore(r.Score), r.Detail, r.Findings)
	}
}

// TestContentUsageHeader: a malformed Content-Usage response header is a
// warning at the page that sends it; a key of an earlier AIPREF draft a
// note.
func TestContentUsageHeader(t *testing.T) {
	site := loadFixture(t, true, "ai-preferences.fail.txtar")
	c, _ := Lookup("ai-preferences")
	r := runOne(c, &Pass{Site: site, Start: startPage(site)})
	want := map[string]report.Severity{
		`Content-Usage header train-ai="maybe": the value must be y or n`:                                                          report.Warning,
		`Content-Usage header key "bots" is not in the AIPREF vocabulary (draft-ietf-aipref-vocab-06 defines train-ai and search)`: report.Info,
	}
	for _, f := range r.Findings {
		if sev, ok := want[f.Message]; ok && sev == f.Severity && f.Location.URL == fixtureOrigin+"/about.html" {
			delete(want, f.Message)
		}
	}
	if len(want) > 0 {
		t.Errorf("not reported: %v in %+v", want, r.Findings)
	}
}

// TestLLMsTxtBlockquote: an llms.txt without the blockquote after its H1
// is reported once, as a departure from llmstxt.org's format, not as a
// Lighthouse failure: Lighthouse's llms-txt audit does not look for the
// blockquote (the old code reported it twice, the second time naming
// Lighthouse).
func TestLLMsTxtBlockquote(t *testing.T) {
	site := loadFixture(t, true, "llms-txt.blockquote.fail.txtar")
	c, _ := Lookup("llms-txt")
	r := runOne(c, &Pass{Site: site, Start: startPage(site)})
	n := 0
	for _, f := range r.Findings {
		if strings.Contains(f.Message, "blockquote") {
			n++
		}
		if strings.Contains(f.Message, "Lighthouse") {
			t.Errorf("names Lighthouse: %s", f.Message)
		}
	}
	if r.Score == nil || *r.Score >= 1 || n != 1 {
		t.Errorf("%v %s %+v", fmtScore(r.Score), r.Detail, r.Findings)
	}
}

// TestLLMsTxtLighthouse: an llms.txt with an H1 but no Markdown link and
// under 50 characters fails as Lighthouse's llms-txt audit fails it (the
// old code passed it).
func TestLLMsTxtLighthouse(t *testing.T) {
	site := loadFixture(t, true, "llms-txt.nolink.fail.txtar")
	c, _ := Lookup("llms-txt")
	r := runOne(c, &Pass{Site: site, Start: startPage(site)})
	var msgs []string
	for _, f := range r.Findings {
		if f.Severity == report.Warning {
			msgs = append(msgs, f.Message)
		}
	}
	got := strings.Join(msgs, "\n")
	if r.Score == nil || *r.Score >= 1 || !strings.Contains(got, "links nothing") || !strings.Contains(got, "characters long") {
		t.Errorf("%v %s %+v", fmtScore(r.Score), r.Detail, r.Findings)
	}
}

// TestCommerceOptIn: the commerce checks run, and their documents are
// fetched, only with --profile commerce.
func TestCommerceOptIn(t *testing.T) {
	site := loadFixture(t, true)
	ids := func(res *SiteResult) map[string]bool {
		m := map[string]bool{}
		for _, c := range res.Checks {
			m[c.ID] = true
		}
		return m
	}
	for _, prof := range []Profile{ProfileAuto, ProfileAPI, ProfileCommerce} {
		got := ids(Run(site, Options{Profile: prof}))
		ns := needSet(Selected(prof))
		for _, id := range []string{"ucp-profile", "acp-discovery", "x402"} {
			if got[id] != (prof == ProfileCommerce) {
				t.Errorf("profile %s: %s ran = %v", prof, id, got[id])
			}
		}
		if ns.need("extra:ucp") != (prof == ProfileCommerce) || ns.need("extra:acp") != (prof == ProfileCommerce) {
			t.Errorf("profile %s: /.well-known/ucp fetched = %v", prof, ns.need("extra:ucp"))
		}
	}
	res := Run(site, Options{Profile: ProfileCommerce})
	for _, c := range res.Checks {
		if (c.ID == "x402" || c.ID == "ucp-profile" || c.ID == "acp-discovery") && (c.Score == nil || *c.Score < 100) {
			t.Errorf("%s on the base site: %v (%s)", c.ID, fmtScore(c.Score), c.Detail)
		}
	}
}

// TestCatalogEntryType: an entry typed application/mcp-server+json (seen
// in published catalogs) is not found by clients looking for server cards.
func TestCatalogEntryType(t *testing.T) {
	site := loadFixture(t, true)
	site.Extras["ai-catalog"].Body = []byte(`{"specVersion":"1.0","entries":[{"identifier":"urn:ai:acme.com:tool:ocr","type":"application/mcp-server+json","url":"http://fixture.test/mcp/server-card"}]}`)
	c, _ := Lookup("ai-catalog")
	r := runOne(c, &Pass{Site: site, Start: startPage(site)})
	for _, f := range r.Findings {
		if f.Location.Pointer == "/entries/0/type" && f.Severity == report.Warning {
			return
		}
	}
	t.Errorf("%v %+v", fmtScore(r.Score), r.Findings)
}

// TestConsistencyAuthAndTools: what the endpoint answers is compared with
// its card and with the OAuth metadata it points to.
func TestConsistencyAuthAndTools(t *testing.T) {
	c, _ := Lookup("discovery-consistency")
	for fixture, want := range map[string][]string{
		"discovery-consistency.auth.txtar": {
			"/remotes/0 the endpoint http://fixture.test/mcp answers 401 (authorization needed) but the card's authentication.required is not true",
			`/resource the protected resource is "https://api.fixture.test" but the MCP endpoint http://fixture.test/mcp points here (RFC 9728 section 3.3: the resource must be the endpoint)`,
		},
		"discovery-consistency.tools.txtar": {
			"/tools the card lists 1 tool, tools/list at http://fixture.test/mcp answers 2 tools",
			"/remotes/0/supportedProtocolVersions the card gives protocol versions 2026-07-28, 2025-11-25, the endpoint http://fixture.test/mcp answers 2027-01-01: none in common",
		},
	} {
		site := loadFixture(t, true, fixture)
		r := runOne(c, &Pass{Site: site, Start: startPage(site)})
		var got []string
		for _, f := range r.Findings {
			got = append(got, f.Location.Pointer+" "+f.Message)
		}
		for _, w := range want {
			if !strings.Contains(strings.Join(got, "\n"), w) {
				t.Errorf("%s: no %q in\n%s", fixture, w, strings.Join(got, "\n"))
			}
		}
	}
}

// TestCatalogAnnounced: a catalog announced by a robots.txt Agentmap line
// or a <link rel="ai-catalog"> is read (with a note that the well-known
// path is where clients look).
func TestCatalogAnnounced(t *testing.T) {
	c, _ := Lookup("ai-catalog")
	site := loadFixture(t, true, "ai-catalog.agentmap.pass.txtar")
	r := runOne(c, &Pass{Site: site, Start: startPage(site)})
	if r.Score == nil || *r.Score < 0.9 || len(r.Findings) == 0 || r.Findings[0].Location.URL != fixtureOrigin+"/agents/catalog.json" ||
		!strings.Contains(r.Findings[0].Message, "only announced") {
		t.Errorf("Agentmap: %v %s %+v", fmtScore(r.Score), r.Detail, r.Findings)
	}
	// The same catalog announced by the start page's <link>.
	files := map[string][]byte{}
	for _, f := range readArchive(t, "base.txtar").Files {
		files[f.Name] = f.Data
	}
	delete(files, ".well-known/ai-catalog.json")
	files["agents/catalog.json"] = []byte(`{"specVersion": "1.0", "entries": []}`)
	files["index.html"] = []byte(strings.Replace(string(files["index.html"]), "<head>", `<head><link rel="ai-catalog" href="/agents/catalog.json">`, 1))
	site = buildSite(t, files)
	r = runOne(c, &Pass{Site: site, Start: startPage(site)})
	found := false
	for _, f := range r.Findings {
		found = found || f.Location.URL == fixtureOrigin+"/agents/catalog.json" && strings.Contains(f.Message, "lists no entries")
	}
	if !found {
		t.Errorf("<link>: %v %s %+v", fmtScore(r.Score), r.Detail, r.Findings)
	}
}

// TestMCPNotProbedForFolder: a folder audit sends no MCP request; the
// check says so.
func TestMCPNotProbedForFolder(t *testing.T) {
	site := loadFixture(t, true)
	site.Folder = "public"
	if ups := mcpFollowUps(site); len(ups) != 0 {
		t.Errorf("MCP requests for a folder: %+v", ups)
	}
	for k := range site.Extras {
		if strings.HasPrefix(k, "mcp:") {
			delete(site.Extras, k)
		}
	}
	c, _ := Lookup("mcp-discovery")
	r := runOne(c, &Pass{Site: site, Start: startPage(site)})
	found := false
	for _, f := range r.Findings {
		found = found || strings.Contains(f.Message, "not contacted for a folder")
	}
	if !found {
		t.Errorf("%+v", r.Findings)
	}
}

// TestConsistencyPathPRM: the path-suffixed protected-resource metadata an
// endpoint's 401 names is fetched and compared; when it names the endpoint
// and the site's issuer, nothing disagrees. With another resource, it does.
func TestConsistencyPathPRM(t *testing.T) {
	c, _ := Lookup("discovery-consistency")
	site := loadFixture(t, true, "discovery-consistency.prm.txtar")
	if site.Extras[mcpPRMName(fixtureOrigin+"/.well-known/oauth-protected-resource/mcp")] == nil {
		t.Fatal("the metadata the 401 names was not asked for")
	}
	r := runOne(c, &Pass{Site: site, Start: startPage(site)})
	if len(r.Findings) != 0 || r.Score == nil || *r.Score != 1 {
		t.Errorf("%v %s %+v", fmtScore(r.Score), r.Detail, r.Findings)
	}
	site.Extras[mcpPRMName(fixtureOrigin+"/.well-known/oauth-protected-resource/mcp")].Body = []byte(`{"resource": "http://fixture.test/other", "authorization_servers": ["https://login.test"]}`)
	r = runOne(c, &Pass{Site: site, Start: startPage(site)})
	if len(r.Findings) != 2 {
		t.Errorf("want the resource and the authorization server reported: %+v", r.Findings)
	}
}
