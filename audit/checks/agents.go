package checks

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/agentready/agentready/audit/crawl"
	"github.com/agentready/agentready/audit/urlnorm"
	"github.com/agentready/agentready/report"
)

// The agent-discovery checks as the standards stand in December 2026: the
// AI Catalog, MCP server cards and a live server/discover, A2A 1.0 agent
// cards, the Agent Skills index, the Web Bot Auth key directory. Their
// follow-ups (the catalog's entries, the skills, the MCP requests) are in
// agentFollowUps.

func init() {
	register(
		&Check{ID: "ai-catalog", Title: "An AI Catalog lists the site's agents and tools", FailTitle: "The AI Catalog is invalid", PartTitle: "The AI Catalog has problems",
			Category: API, Weight: 2, Severity: report.Warning, Needs: []string{"extra:ai-catalog", "extra:" + aiCatalogLinkedName, "extra:" + aiEntryName(""), "robots", "pages", needProbe}, Since: "0.2.0", Run: checkAICatalog,
			Equivalents: []Equivalent{{Tool: "Lighthouse", ID: "ard-schema"}}},
		&Check{ID: "agent-skills", Title: "The Agent Skills index verifies", FailTitle: "The Agent Skills index is invalid", PartTitle: "Some Agent Skills do not verify",
			Category: API, Weight: 1, Severity: report.Warning, Needs: []string{"extra:agent-skills", "extra:" + skillName(""), needProbe}, Since: "0.2.0", Run: checkAgentSkills,
			Equivalents: []Equivalent{{Tool: "Cloudflare", ID: "agentSkills"}}},
		&Check{ID: "web-bot-auth", Title: "The Web Bot Auth key directory is valid", FailTitle: "The Web Bot Auth key directory is invalid",
			Category: Policy, Weight: 1, Severity: report.Warning, Needs: []string{"extra:web-bot-auth", needProbe}, Since: "0.2.0", Run: checkWebBotAuth,
			Equivalents: []Equivalent{{Tool: "Cloudflare", ID: "webBotAuth"}}},
	)
}

// The extras and follow-ups of these checks.
const (
	aiCatalogLinkedName = "ai-catalog-linked"
	// maxCatalogEntries bounds the catalog entries fetched per site.
	maxCatalogEntries = 10
	// maxSkills bounds the skills fetched per site.
	maxSkills = 10
	// maxMCPEndpoints bounds the MCP endpoints probed per site: each
	// costs at most mcpPOSTs POSTs.
	maxMCPEndpoints = 2
)

func aiEntryName(u string) string { return "ai-entry:" + u }
func skillName(u string) string   { return "skill:" + u }

// Media types of the documents.
const (
	aiCatalogType  = "application/ai-catalog+json"
	serverCardType = "application/mcp-server-card+json"
	a2aCardType    = "application/a2a-agent-card+json"
	keyDirType     = "application/http-message-signatures-directory+json"
)

// aiCatalogLinkKey is the fact key of a page's <link rel="ai-catalog">.
const aiCatalogLinkKey = "ai-catalog-link"

// aiCatalogLinkExtractor records the href of <link rel="ai-catalog"> in a
// page's <head>, as serviceDescExtractor does for service-desc.
func aiCatalogLinkExtractor() crawl.Extractor {
	return headLinkExtractor(aiCatalogLinkKey, "ai-catalog")
}

// resolveURL resolves href against base to an absolute http(s) URL as the
// crawler would fetch it, or "".
func resolveURL(base, href string) string {
	b, err := url.Parse(base)
	if err != nil {
		return ""
	}
	ref, err := url.Parse(strings.TrimSpace(href))
	if err != nil {
		return ""
	}
	r := b.ResolveReference(ref)
	r.Fragment = ""
	u, err := urlnorm.Parse(r.String())
	if err != nil || u.Scheme != "http" && u.Scheme != "https" || u.Hostname() == "" {
		return ""
	}
	return u.String()
}

// catalogRef is where a site announces its AI Catalog.
type catalogRef struct {
	URL, From string
	// Line is the robots.txt line of an Agentmap.
	Line int
}

// catalogRefs lists the announcements of the AI Catalog besides the
// well-known path: robots.txt Agentmap lines and the start page's <link
// rel="ai-catalog">.
func catalogRefs(s *crawl.Site) []catalogRef {
	var out []catalogRef
	if r := s.Robots; r != nil && r.Policy != nil {
		for _, rec := range r.Policy.Records {
			if strings.EqualFold(rec.Key, "agentmap") {
				if u := resolveURL(s.Origin+"/robots.txt", rec.Value); u != "" {
					out = append(out, catalogRef{URL: u, From: "robots.txt Agentmap", Line: rec.Line})
				}
			}
		}
	}
	if st := startPage(s); st != nil {
		if href, _ := st.Fact(aiCatalogLinkKey).(string); href != "" {
			if u := resolveURL(pageURL(st), href); u != "" {
				out = append(out, catalogRef{URL: u, From: "<link rel=\"ai-catalog\"> in " + pageURL(st)})
			}
		}
	}
	return out
}

// siteCatalog is the AI Catalog a site publishes: at the well-known path,
// else where its first announcement points.
type siteCatalog struct {
	URL  string
	Resp *crawl.Response
	// Linked says it was read from an announcement, not the well-known
	// path.
	Linked  bool
	Catalog *AICatalog
	Probs   problems
	Err     error
}

func findCatalog(s *crawl.Site) *siteCatalog {
	wk := s.Origin + "/.well-known/ai-catalog.json"
	if e := siteExtra(s, "ai-catalog"); e != nil && e.OK() && len(e.Body) > 0 && !looksHTML(e.Body) {
		c := &siteCatalog{URL: wk, Resp: e}
		c.Catalog, c.Probs, c.Err = parseAICatalog(e.Body)
		return c
	}
	for _, ref := range catalogRefs(s) {
		if ref.URL == wk {
			continue
		}
		e := s.Extras[aiCatalogLinkedName]
		if e == nil || !e.OK() || looksHTML(e.Body) {
			return &siteCatalog{URL: ref.URL, Resp: e, Linked: true}
		}
		c := &siteCatalog{URL: ref.URL, Resp: e, Linked: true}
		c.Catalog, c.Probs, c.Err = parseAICatalog(e.Body)
		return c
	}
	return nil
}

// entryURL is an entry's URL resolved against the catalog's.
func (c *siteCatalog) entryURL(en AICatalogEntry) string {
	if en.URL == "" {
		return ""
	}
	return resolveURL(c.URL, en.URL)
}

// entryResponse is what the fetch of a catalog entry's URL got: a
// well-known extra when the entry names one, else the follow-up.
func entryResponse(s *crawl.Site, u string) *crawl.Response {
	for _, w := range WellKnown {
		if s.Origin+w.Path == u {
			return siteExtra(s, w.Name)
		}
	}
	return s.Extras[aiEntryName(u)]
}

func checkAICatalog(p *Pass) Result {
	c := findCatalog(p.Site)
	if c == nil {
		if notFetched(p, "ai-catalog") {
			return NA("the run ended before /.well-known/ai-catalog.json was fetched")
		}
		if len(serverCards(p.Site)) > 0 || a2aPublished(p) {
			return NA(notScored("missing"), finding(p.Site.Origin+"/.well-known/ai-catalog.json", report.Info, "the site publishes agent cards but no AI Catalog (/.well-known/ai-catalog.json) that lists them"))
		}
		return NA("no AI Catalog")
	}
	var fs []report.Finding
	if c.Linked {
		if c.Resp == nil {
			if runCut(p.Site) {
				return NA("the run ended before the announced AI Catalog was fetched")
			}
			return Score(0, "not fetched", finding(c.URL, report.Warning, "the announced AI Catalog was not fetched"))
		}
		if !c.Resp.OK() || looksHTML(c.Resp.Body) {
			return Score(0, "announced, not found", finding(c.URL, report.Warning, "the AI Catalog announced by robots.txt or a <link> answers %s", statusOrErr(c.Resp)))
		}
		fs = append(fs, finding(c.URL, report.Info, "the AI Catalog is only announced (robots.txt Agentmap or <link rel=\"ai-catalog\">): publish it at /.well-known/ai-catalog.json too"))
	}
	if c.Err != nil {
		return Score(0, "invalid", append(fs, finding(c.URL, report.Warning, "the AI Catalog is %v", c.Err))...)
	}
	if mt := c.Resp.ContentType; mt != aiCatalogType {
		fs = append(fs, finding(c.URL, report.Info, "the AI Catalog is served as %s; the specification registers %s", orNone(mt), aiCatalogType))
	}
	fs = append(fs, c.Probs.findings(c.URL)...)
	bad := c.Probs.errors()
	broken, unchecked := 0, 0
	for i, en := range c.Catalog.Entries {
		if t := strings.ToLower(en.Type); t != serverCardType && strings.Contains(t, "mcp") || t != a2aCardType && strings.Contains(t, "a2a") {
			// Seen in published catalogs: application/mcp-server+json.
			want := serverCardType
			if strings.Contains(t, "a2a") {
				want = a2aCardType
			}
			f := finding(c.URL, report.Warning, "entry %d's type %q is not the registered %s: clients looking for that type skip the entry", i, en.Type, want)
			f.Location.Pointer = en.Pointer + "/type"
			fs = append(fs, f)
			bad++
		}
		u := c.entryURL(en)
		if en.URL == "" {
			continue
		}
		loc := func(sev report.Severity, format string, args ...any) {
			f := finding(c.URL, sev, format, args...)
			f.Location.Pointer = en.Pointer + "/url"
			fs = append(fs, f)
		}
		if u == "" {
			loc(report.Warning, "entry %d's url %q is not an http(s) URL", i, en.URL)
			broken++
			continue
		}
		if i >= maxCatalogEntries {
			unchecked++
			continue
		}
		r := entryResponse(p.Site, u)
		switch {
		case r == nil && p.Site.Folder != "" && !strings.HasPrefix(u, p.Site.Origin+"/"):
			unchecked++ // a folder audit stays offline
		case r == nil || r.Error == crawl.ErrFollowLimit:
			unchecked++
		case r.Error != "" || !r.OK():
			loc(report.Warning, "entry %d (%s) answers %s", i, u, statusOrErr(r))
			broken++
		case looksHTML(r.Body) && !strings.Contains(en.Type, "html"):
			loc(report.Warning, "entry %d (%s) is an HTML page, not a %s", i, u, orNone(en.Type))
			broken++
		case en.Type != "" && r.ContentType != "" && r.ContentType != en.Type && strings.HasSuffix(en.Type, "+json") && r.ContentType != "application/json":
			loc(report.Info, "entry %d (%s) is served as %s; the catalog declares %s", i, u, r.ContentType, en.Type)
		}
	}
	n := len(c.Catalog.Entries)
	score := 1 - min(0.5, 0.15*float64(bad)) - min(0.5, 0.25*float64(broken))
	if n == 0 {
		score = 0.5
		fs = append(fs, finding(c.URL, report.Warning, "the AI Catalog lists no entries"))
	}
	detail := fmt.Sprintf("%s, %d not resolving", count(n, "entry", "entries"), broken)
	if unchecked > 0 {
		detail += fmt.Sprintf(", %d not checked", unchecked)
	}
	return Score(score, detail, fs...)
}

// a2aPublished says the site has an A2A card at either path.
func a2aPublished(p *Pass) bool {
	for _, n := range []string{"agent-card", "agent-card-legacy"} {
		if _, found, _ := jsonDoc(p.Extra(n)); found {
			return true
		}
	}
	return false
}

// cardRef is an MCP server card the site publishes.
type cardRef struct {
	URL string
	// Label is "current" (<endpoint>/server-card, listed in the AI
	// Catalog), "legacy" (/.well-known/mcp/server-card.json) or "legacy
	// (mcp.json)".
	Label string
	Resp  *crawl.Response
	// Inline is a card the catalog embeds (Resp is nil).
	Inline []byte
}

// serverCards lists the MCP server cards: those the AI Catalog lists
// (current), then the legacy well-known ones.
func serverCards(s *crawl.Site) []cardRef {
	var out []cardRef
	if c := findCatalog(s); c != nil && c.Catalog != nil {
		for _, en := range c.Catalog.Entries {
			if en.Type != serverCardType {
				continue
			}
			if en.Inline != nil {
				out = append(out, cardRef{URL: c.URL, Label: "current", Inline: en.Inline})
				continue
			}
			if u := c.entryURL(en); u != "" {
				out = append(out, cardRef{URL: u, Label: "current", Resp: entryResponse(s, u)})
			}
		}
	}
	for _, l := range []struct{ name, label string }{{"mcp-server-card", "legacy"}, {"mcp-legacy", "legacy (mcp.json)"}} {
		if e := siteExtra(s, l.name); e != nil && e.OK() && !looksHTML(e.Body) {
			path := "/.well-known/mcp/server-card.json"
			if l.name == "mcp-legacy" {
				path = "/.well-known/mcp.json"
			}
			out = append(out, cardRef{URL: s.Origin + path, Label: l.label, Resp: e})
		}
	}
	return out
}

func (c cardRef) body() []byte {
	if c.Inline != nil {
		return c.Inline
	}
	if c.Resp == nil || !c.Resp.OK() {
		return nil
	}
	return c.Resp.Body
}

// mcpEndpoints lists the streamable-HTTP endpoints the site's cards and
// catalog name, at most maxMCPEndpoints: the remotes of the cards, and
// for a catalog entry at <endpoint>/server-card, that endpoint.
func mcpEndpoints(s *crawl.Site) []string {
	var out []string
	add := func(u string) {
		if u != "" && !slices.Contains(out, u) && len(out) < maxMCPEndpoints {
			out = append(out, u)
		}
	}
	for _, c := range serverCards(s) {
		if c.Label == "current" && c.Inline == nil {
			if ep, ok := strings.CutSuffix(c.URL, "/server-card"); ok {
				add(ep)
			}
		}
		if b := c.body(); b != nil {
			if card, _, err := parseServerCard(b); err == nil {
				for _, r := range card.Remotes {
					if r.Type == "streamable-http" {
						add(resolveURL(c.URL, r.URL))
					}
				}
			}
		}
	}
	return out
}

// The MCP requests. server/discover is the stateless protocol's first
// request (MCP 2026-07-28, SEP-2575); a server that does not know it gets
// the initialize of 2025-11-25. Both are read-only, as is tools/list.
const (
	mcpVersion       = "2026-07-28"
	mcpLegacyVersion = "2025-11-25"
)

func mcpRPCName(method, endpoint string) string { return "mcp:" + method + ":" + endpoint }

// mcpPRMName names the protected-resource metadata an endpoint's 401
// points to.
func mcpPRMName(u string) string { return "mcp:prm:" + u }

func mcpRequest(method, endpoint string, params map[string]any) crawl.FollowUp {
	body, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": 1, "method": method, "params": params})
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	h.Set("Mcp-Method", method)
	v := mcpVersion
	if method == "initialize" {
		v = mcpLegacyVersion
	}
	h.Set("Mcp-Protocol-Version", v)
	return crawl.FollowUp{Name: mcpRPCName(method, endpoint), URL: endpoint, Method: http.MethodPost, Body: body, Header: h,
		Accept: "application/json, text/event-stream", MaxBytes: 1 << 20}
}

func mcpMeta() map[string]any {
	return map[string]any{"_meta": map[string]any{
		"io.modelcontextprotocol/protocolVersion":    mcpVersion,
		"io.modelcontextprotocol/clientInfo":         map[string]any{"name": "agentready", "version": "audit"},
		"io.modelcontextprotocol/clientCapabilities": map[string]any{},
	}}
}

// mcpProbe is what the requests to one endpoint found.
type mcpProbe struct {
	Endpoint string
	// Mode is "discover" (2026-07-28), "initialize" (an older server) or
	// "" when neither answered.
	Mode     string
	Versions []string
	// Protocol is the version the server speaks (initialize's answer, or
	// 2026-07-28 when server/discover answered with it).
	Protocol string
	// Tools is the tools/list count, -1 when not listed.
	Tools        int
	ToolsCap     bool
	AuthRequired bool
	// ResourceMetadata is the resource_metadata URL of a 401's
	// WWW-Authenticate (RFC 9728 section 5.1).
	ResourceMetadata string
	// Problem, when set, says why the endpoint could not be read.
	Problem string
	Status  int
	asked   bool
}

func readProbe(s *crawl.Site, endpoint string) mcpProbe {
	pr := mcpProbe{Endpoint: endpoint, Tools: -1}
	d := s.Extras[mcpRPCName("server/discover", endpoint)]
	if d == nil {
		return pr
	}
	pr.asked = true
	pr.Status = d.Status
	if d.Status == http.StatusUnauthorized || d.Status == http.StatusForbidden {
		pr.AuthRequired = true
		pr.ResourceMetadata = wwwAuthParam(d.Header.Get("WWW-Authenticate"), "resource_metadata")
		return pr
	}
	if a, err := parseRPCAnswer(d.ContentType, d.Body); err == nil && a.ErrCode == 0 && d.OK() {
		pr.Mode, pr.Protocol = "discover", mcpVersion
		if vs, ok := a.Result["supportedVersions"].([]any); ok {
			for _, v := range vs {
				if s, ok := v.(string); ok {
					pr.Versions = append(pr.Versions, s)
				}
			}
		}
		if !slices.Contains(pr.Versions, mcpVersion) && len(pr.Versions) > 0 {
			pr.Protocol = pr.Versions[0]
		}
		if caps, ok := a.Result["capabilities"].(map[string]any); ok {
			_, pr.ToolsCap = caps["tools"]
		}
		pr.Tools = listedTools(s, endpoint)
		return pr
	}
	if a, err := parseRPCAnswer(d.ContentType, d.Body); err == nil && modernError(a.ErrCode) {
		// A modern server that refused the request: it is not read by
		// the initialize handshake (MCP 2026-07-28, streamable HTTP,
		// Backward Compatibility).
		pr.Mode, pr.Versions = "discover", a.Supported
		if len(a.Supported) > 0 {
			pr.Protocol = a.Supported[0]
		}
		if a.ErrCode == mcpUnsupportedVersion {
			pr.Problem = fmt.Sprintf("server/discover answers UnsupportedProtocolVersionError: the server speaks %s, not %s", orNone(strings.Join(a.Supported, ", ")), mcpVersion)
		} else {
			pr.Problem = "server/discover answers " + rpcFailure(d)
		}
		return pr
	}
	in := s.Extras[mcpRPCName("initialize", endpoint)]
	if in == nil {
		pr.Problem = "server/discover answers " + rpcFailure(d)
		return pr
	}
	if in.Status == http.StatusUnauthorized {
		pr.AuthRequired = true
		pr.ResourceMetadata = wwwAuthParam(in.Header.Get("WWW-Authenticate"), "resource_metadata")
		return pr
	}
	a, err := parseRPCAnswer(in.ContentType, in.Body)
	if err != nil || a.ErrCode != 0 || !in.OK() {
		pr.Problem = "neither server/discover (" + rpcFailure(d) + ") nor initialize (" + rpcFailure(in) + ") answers"
		return pr
	}
	pr.Mode = "initialize"
	pr.Protocol, _ = a.Result["protocolVersion"].(string)
	pr.Versions = []string{pr.Protocol}
	if caps, ok := a.Result["capabilities"].(map[string]any); ok {
		_, pr.ToolsCap = caps["tools"]
	}
	pr.Tools = listedTools(s, endpoint)
	return pr
}

// listedTools is the count of tools the endpoint's tools/list answered,
// -1 when it did not (a first page: nextCursor is not followed).
func listedTools(s *crawl.Site, endpoint string) int {
	if t := s.Extras[mcpRPCName("tools/list", endpoint)]; t != nil && t.OK() {
		if ta, err := parseRPCAnswer(t.ContentType, t.Body); err == nil && ta.ErrCode == 0 {
			if tools, ok := ta.Result["tools"].([]any); ok {
				return len(tools)
			}
		}
	}
	return -1
}

func rpcFailure(r *crawl.Response) string {
	if r.Error != "" || !r.OK() {
		return statusOrErr(r)
	}
	a, err := parseRPCAnswer(r.ContentType, r.Body)
	if err != nil {
		return err.Error()
	}
	if a.ErrCode != 0 {
		return fmt.Sprintf("error %d %s", a.ErrCode, a.ErrMsg)
	}
	return "no usable result"
}

// wwwAuthParam returns a parameter of a WWW-Authenticate challenge.
func wwwAuthParam(h, name string) string {
	i := strings.Index(strings.ToLower(h), name+"=")
	if i < 0 {
		return ""
	}
	v := h[i+len(name)+1:]
	if strings.HasPrefix(v, `"`) {
		v = v[1:]
		if j := strings.IndexByte(v, '"'); j >= 0 {
			return v[:j]
		}
		return v
	}
	if j := strings.IndexAny(v, ", "); j >= 0 {
		v = v[:j]
	}
	return v
}

// mcpFollowUps asks each endpoint for server/discover and, in the same
// round, for the initialize of an older server (a third round is not to
// be had: crawl.MaxFollowRounds is 2). In the next round an endpoint that
// answered server/discover is asked for tools/list; one that answered
// only initialize gets the notifications/initialized the handshake owes
// it and tools/list in its session. So at most 4 POSTs an endpoint
// (mcpPOSTs); a 401 gets, instead of the second round, the GET of the
// protected-resource metadata it names. A folder audit sends none: its
// endpoints are the deployed site's.
func mcpFollowUps(s *crawl.Site) []crawl.FollowUp {
	if s.Folder != "" {
		return nil
	}
	var ups []crawl.FollowUp
	for _, ep := range mcpEndpoints(s) {
		d := s.Extras[mcpRPCName("server/discover", ep)]
		if d == nil {
			ups = append(ups, mcpRequest("server/discover", ep, mcpMeta()), mcpInitialize(ep))
			continue
		}
		if d.Status == http.StatusUnauthorized || d.Status == http.StatusForbidden {
			// The protected-resource metadata the 401 names, when it is
			// not the well-known one the crawl fetched (RFC 9728 section
			// 3.1 puts a resource's at a path-suffixed well-known URL).
			if rm := resolveURL(ep, wwwAuthParam(d.Header.Get("WWW-Authenticate"), "resource_metadata")); rm != "" && rm != s.Origin+"/.well-known/oauth-protected-resource" {
				ups = append(ups, crawl.FollowUp{Name: mcpPRMName(rm), URL: rm, Accept: "application/json"})
			}
			continue
		}
		if a, err := parseRPCAnswer(d.ContentType, d.Body); err == nil && a.ErrCode == 0 && d.OK() {
			ups = append(ups, mcpRequest("tools/list", ep, mcpMeta()))
			continue
		}
		if a, err := parseRPCAnswer(d.ContentType, d.Body); err == nil && modernError(a.ErrCode) {
			continue
		}
		in := s.Extras[mcpRPCName("initialize", ep)]
		if in == nil {
			ups = append(ups, mcpInitialize(ep))
			continue
		}
		if a, err := parseRPCAnswer(in.ContentType, in.Body); err == nil && a.ErrCode == 0 && in.OK() {
			v, _ := a.Result["protocolVersion"].(string)
			sid := in.Header.Get("Mcp-Session-Id")
			ups = append(ups, mcpSessionRequest("notifications/initialized", ep, v, sid), mcpSessionRequest("tools/list", ep, v, sid))
		}
	}
	return ups
}

// The JSON-RPC errors by which a modern (2026-07-28) server refuses a
// request; any other answer to server/discover marks a legacy server
// (MCP 2026-07-28, basic/versioning, Backward Compatibility).
const (
	mcpHeaderMismatch     = -32020
	mcpUnsupportedVersion = -32022
)

func modernError(code int) bool { return code == mcpHeaderMismatch || code == mcpUnsupportedVersion }

// mcpPOSTs bounds the POSTs to one MCP endpoint: server/discover and
// initialize, then tools/list, after notifications/initialized for an
// older server.
const mcpPOSTs = 4

func mcpInitialize(ep string) crawl.FollowUp {
	return mcpRequest("initialize", ep, map[string]any{
		"protocolVersion": mcpLegacyVersion, "capabilities": map[string]any{},
		"clientInfo": map[string]any{"name": "agentready", "version": "audit"}})
}

// mcpSessionRequest is a request of the initialize session (MCP
// 2025-11-25, streamable HTTP): the negotiated version and the session ID
// the initialize answer gave in their headers, and no id for a
// notification.
func mcpSessionRequest(method, endpoint, version, session string) crawl.FollowUp {
	msg := map[string]any{"jsonrpc": "2.0", "method": method}
	if !strings.HasPrefix(method, "notifications/") {
		msg["id"], msg["params"] = 2, map[string]any{}
	}
	body, _ := json.Marshal(msg)
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	if version == "" {
		version = mcpLegacyVersion
	}
	h.Set("Mcp-Protocol-Version", version)
	if session != "" {
		h.Set("Mcp-Session-Id", session)
	}
	return crawl.FollowUp{Name: mcpRPCName(method, endpoint), URL: endpoint, Method: http.MethodPost, Body: body, Header: h,
		Accept: "application/json, text/event-stream", MaxBytes: 1 << 20}
}

// catalogFollowUps asks for the announced AI Catalog when the well-known
// one is absent, and for the entries of the catalog (at most
// maxCatalogEntries, not those the well-known extras fetch).
func catalogFollowUps(s *crawl.Site) []crawl.FollowUp {
	var ups []crawl.FollowUp
	wk := siteExtra(s, "ai-catalog")
	if wk == nil || !wk.OK() || looksHTML(wk.Body) {
		for _, ref := range catalogRefs(s) {
			if ref.URL != s.Origin+"/.well-known/ai-catalog.json" {
				ups = append(ups, crawl.FollowUp{Name: aiCatalogLinkedName, URL: ref.URL, Accept: aiCatalogType + ",application/json;q=0.9,*/*;q=0.5"})
				break
			}
		}
	}
	c := findCatalog(s)
	if c == nil || c.Catalog == nil {
		return ups
	}
	for i, en := range c.Catalog.Entries {
		if i == maxCatalogEntries {
			break
		}
		u := c.entryURL(en)
		if u == "" || entryResponse(s, u) != nil && s.Extras[aiEntryName(u)] == nil {
			continue
		}
		if s.Folder != "" && !strings.HasPrefix(u, s.Origin+"/") {
			continue
		}
		accept := "application/json;q=0.9,*/*;q=0.5"
		if en.Type != "" && !strings.ContainsAny(en.Type, "\r\n,") {
			accept = en.Type + "," + accept
		}
		ups = append(ups, crawl.FollowUp{Name: aiEntryName(u), URL: u, Accept: accept})
	}
	return ups
}

// skillURLs are the skills of the index resolved against its URL.
func skillURLs(s *crawl.Site) (idx *SkillsIndex, urls []string) {
	e := siteExtra(s, "agent-skills")
	if e == nil || !e.OK() || looksHTML(e.Body) {
		return nil, nil
	}
	idx, _, err := parseSkillsIndex(e.Body)
	if err != nil {
		return nil, nil
	}
	base := s.Origin + "/.well-known/agent-skills/index.json"
	for _, sk := range idx.Skills {
		urls = append(urls, resolveURL(base, sk.URL))
	}
	return idx, urls
}

func skillFollowUps(s *crawl.Site) []crawl.FollowUp {
	_, urls := skillURLs(s)
	var ups []crawl.FollowUp
	for i, u := range urls {
		if i == maxSkills {
			break
		}
		if u == "" || s.Folder != "" && !strings.HasPrefix(u, s.Origin+"/") {
			continue
		}
		ups = append(ups, crawl.FollowUp{Name: skillName(u), URL: u, Accept: "text/markdown,application/zip,application/gzip,*/*;q=0.5"})
	}
	return ups
}

func checkAgentSkills(p *Pass) Result {
	e := p.Extra("agent-skills")
	u := p.Site.Origin + "/.well-known/agent-skills/index.json"
	if e == nil || !e.OK() || looksHTML(e.Body) {
		if notFetched(p, "agent-skills") {
			return NA("the run ended before the Agent Skills index was fetched")
		}
		return NA("no Agent Skills index")
	}
	idx, ps, err := parseSkillsIndex(e.Body)
	if err != nil {
		return Score(0, "invalid", finding(u, report.Warning, "the Agent Skills index is %v", err))
	}
	fs := ps.findings(u)
	_, urls := skillURLs(p.Site)
	verified, bad, unchecked := 0, ps.errors(), 0
	for i, sk := range idx.Skills {
		loc := func(sev report.Severity, format string, args ...any) {
			f := finding(u, sev, format, args...)
			f.Location.Pointer = sk.Pointer
			fs = append(fs, f)
		}
		su := urls[i]
		if su == "" || sk.Digest == "" {
			continue
		}
		r := p.Site.Extras[skillName(su)]
		switch {
		case r == nil || r.Error == crawl.ErrFollowLimit:
			unchecked++
		case r.Error != "" || !r.OK():
			loc(report.Warning, "skill %q (%s) answers %s", sk.Name, su, statusOrErr(r))
			bad++
		case r.Truncated:
			loc(report.Info, "skill %q (%s) is larger than the body cap: its digest was not verified", sk.Name, su)
			unchecked++
		default:
			sum := sha256.Sum256(r.Body)
			if got := hex.EncodeToString(sum[:]); got != sk.Digest {
				loc(report.Warning, "skill %q (%s): the index's digest sha256:%s does not match the served file's sha256:%s", sk.Name, su, sk.Digest, got)
				bad++
				continue
			}
			verified++
		}
	}
	n := len(idx.Skills)
	if n == 0 {
		return Score(0, "no skills", append(fs, finding(u, report.Warning, "the Agent Skills index lists no skill"))...)
	}
	detail := fmt.Sprintf("%d of %s verified", verified, count(n, "skill", "skills"))
	if unchecked > 0 {
		detail += fmt.Sprintf(", %d not checked", unchecked)
	}
	return Score(1-min(1, float64(bad)/float64(n)), detail, fs...)
}

func checkWebBotAuth(p *Pass) Result {
	e := p.Extra("web-bot-auth")
	u := p.Site.Origin + "/.well-known/http-message-signatures-directory"
	if e == nil || !e.OK() || looksHTML(e.Body) {
		return NA("no Web Bot Auth key directory")
	}
	n, ps, err := parseKeyDirectory(e.Body)
	if err != nil {
		return Score(0, "invalid", finding(u, report.Warning, "the key directory is %v", err))
	}
	fs := ps.findings(u)
	if e.ContentType != keyDirType {
		fs = append(fs, finding(u, report.Info, "the key directory is served as %s; the draft registers %s", orNone(e.ContentType), keyDirType))
	}
	if n == 0 {
		return Score(0, "no Ed25519 key", fs...)
	}
	return Score(1-min(0.5, 0.25*float64(ps.errors())), count(n, "Ed25519 key", "Ed25519 keys"), fs...)
}
