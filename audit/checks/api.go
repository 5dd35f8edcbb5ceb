package checks

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strings"

	xhtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/agentready/agentready/audit/crawl"
	"github.com/agentready/agentready/audit/urlnorm"
	"github.com/agentready/agentready/internal/specload"
	"github.com/agentready/agentready/lint"
	"github.com/agentready/agentready/report"
)

func init() {
	register(
		&Check{ID: "api-catalog", Title: "/.well-known/api-catalog lists the APIs", FailTitle: "No valid API catalog", PartTitle: "The API catalog links no API description",
			Category: API, Weight: 3, Severity: report.Info, Needs: []string{"extra:api-catalog", needProbe}, Since: "0.1.0", Run: checkAPICatalog,
			Equivalents: []Equivalent{{Tool: "Cloudflare", ID: "apiCatalog"}}},
		&Check{ID: "openapi", Title: "An OpenAPI description loads and lints well", FailTitle: "No loadable OpenAPI description", PartTitle: "The OpenAPI description lints poorly for agents",
			Category: API, Weight: 4, Severity: report.Info, Needs: []string{"extra:openapi-*", "extra:api-catalog", "extra:api-catalog-linked", "extra:service-desc:*", "pages", needProbe}, Since: "0.1.0", Run: checkOpenAPI},
		&Check{ID: "oauth-metadata", Title: "OAuth metadata is published", FailTitle: "OAuth metadata is missing or invalid", PartTitle: "Some OAuth metadata is invalid",
			Category: API, Weight: 2, Severity: report.Warning, Needs: []string{"extra:oauth-*", needProbe}, Since: "0.1.0", Run: checkOAuth,
			Equivalents: []Equivalent{{Tool: "Cloudflare", ID: "oauthDiscovery"}, {Tool: "Cloudflare", ID: "oauthProtectedResource"}}},
		&Check{ID: "mcp-discovery", Title: "MCP servers are discoverable", FailTitle: "MCP discovery documents are invalid", PartTitle: "Some MCP discovery documents are invalid",
			Category: API, Weight: 2, Severity: report.Info, Needs: []string{"extra:mcp-*", "extra:mcp:*", "extra:ai-catalog", "extra:" + aiCatalogLinkedName, "extra:" + aiEntryName(""), "robots", "pages", needProbe}, Since: "0.1.0", Run: checkMCP,
			Equivalents: []Equivalent{{Tool: "Cloudflare", ID: "mcpServerCard"}}},
		&Check{ID: "a2a-agent-card", Title: "An A2A agent card describes the agent", FailTitle: "The A2A agent card is invalid", PartTitle: "The A2A agent card is incomplete or at the legacy path",
			Category: API, Weight: 2, Severity: report.Warning, Needs: []string{"extra:agent-card", "extra:agent-card-legacy", needProbe}, Since: "0.1.0", Run: checkA2A,
			Equivalents: []Equivalent{{Tool: "Cloudflare", ID: "a2aAgentCard"}}},
		&Check{ID: "webmcp-tools", Title: "Forms declare WebMCP tools", FailTitle: "Forms declare no WebMCP tools", PartTitle: "Some forms declare no WebMCP tool",
			Category: API, Weight: 1, Severity: report.Hint, Needs: []string{"pages"}, Since: "0.1.0", Run: checkWebMCP,
			Equivalents: []Equivalent{{Tool: "Lighthouse", ID: "webmcp-form-coverage"}, {Tool: "Cloudflare", ID: "webMcp"}}},
		&Check{ID: "ai-plugin-legacy", Title: "No retired ai-plugin.json", FailTitle: "A retired ai-plugin.json is published",
			Category: API, Weight: 0, Severity: report.Info, Needs: []string{"extra:ai-plugin", needProbe}, Since: "0.1.0", Run: checkAIPlugin},
	)
}

// WellKnown are the per-origin paths the checks fetch, by extra name.
var WellKnown = []crawl.Extra{
	{Name: "llms-txt", Path: "/llms.txt"},
	{Name: "api-catalog", Path: "/.well-known/api-catalog"},
	{Name: "openapi-json", Path: "/openapi.json"},
	{Name: "openapi-yaml", Path: "/openapi.yaml"},
	{Name: "openapi-swagger", Path: "/swagger.json"},
	{Name: "oauth-authorization-server", Path: "/.well-known/oauth-authorization-server"},
	{Name: "oauth-openid", Path: "/.well-known/openid-configuration"},
	{Name: "oauth-protected-resource", Path: "/.well-known/oauth-protected-resource"},
	{Name: "ai-catalog", Path: "/.well-known/ai-catalog.json", Accept: aiCatalogType + ",application/json;q=0.9,*/*;q=0.5"},
	{Name: "mcp-server-card", Path: "/.well-known/mcp/server-card.json"},
	{Name: "mcp-legacy", Path: "/.well-known/mcp.json"},
	{Name: "agent-card", Path: "/.well-known/agent-card.json"},
	{Name: "agent-card-legacy", Path: "/.well-known/agent.json"},
	{Name: "ai-plugin", Path: "/.well-known/ai-plugin.json"},
	{Name: "agent-skills", Path: "/.well-known/agent-skills/index.json"},
	{Name: "web-bot-auth", Path: "/.well-known/http-message-signatures-directory", Accept: keyDirType + ",application/json;q=0.9,*/*;q=0.5"},
	{Name: "ucp", Path: "/.well-known/ucp"},
	{Name: "acp", Path: "/.well-known/acp.json"},
	{Name: "security-txt", Path: "/.well-known/security.txt"},
	{Name: "tdmrep", Path: "/.well-known/tdmrep.json"},
}

// jsonDoc decodes an extra's JSON object; ok is false when it is absent.
func jsonDoc(r *crawl.Response) (map[string]any, bool, error) {
	if r == nil || r.Error != "" || !r.OK() {
		return nil, false, nil
	}
	var m map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil {
		return nil, true, fmt.Errorf("not a JSON object: %v", err)
	}
	return m, true, nil
}

// runCut reports whether the end of the run (cancellation, max-duration)
// stopped the crawl: what it did not fetch then is no evidence about the
// site.
func runCut(s *crawl.Site) bool {
	return s.Stats.Limit == "cancelled" || s.Stats.Limit == "max-duration"
}

// notFetched reports whether the run ended before any of the named extras
// was fetched (the crawler asks for every one), which is no evidence that
// the site lacks them.
func notFetched(p *Pass, names ...string) bool {
	if !runCut(p.Site) {
		return false
	}
	for _, n := range names {
		if p.Extra(n) != nil {
			return false
		}
	}
	return true
}

func wkURL(p *Pass, name string) string {
	for _, w := range WellKnown {
		if w.Name == name {
			return p.Site.Origin + w.Path
		}
	}
	return p.Site.Origin
}

// apiSignals says whether the site exposes an API, so that API checks are
// applicable: an API catalog, an OpenAPI file, OAuth metadata, a 401 with
// WWW-Authenticate, or a service-desc Link header.
func apiSignals(p *Pass) bool {
	for _, n := range []string{"api-catalog", linkedCatalogName, "openapi-json", "openapi-yaml", "openapi-swagger", "oauth-authorization-server", "oauth-openid", "oauth-protected-resource"} {
		if e := p.Extra(n); e != nil && e.OK() {
			return true
		}
	}
	for _, pg := range p.Pages() {
		if pg.Status == 401 && pg.Header.Get("WWW-Authenticate") != "" {
			return true
		}
		if _, ok := linkRel(pg, "service-desc"); ok {
			return true
		}
		if htmlServiceDesc(pg) != "" {
			return true
		}
	}
	return false
}

// serviceDescKey is the key of the facts the service-desc extractor stores:
// the href of a page's <link rel="service-desc"> (an RFC 8631 link in HTML).
const serviceDescKey = "service-desc"

// serviceDescExtractor records <link rel="service-desc" href> in a page's
// <head>.
func serviceDescExtractor() crawl.Extractor { return headLinkExtractor(serviceDescKey, "service-desc") }

// headLinkExtractor stores under key the href of the first <link> in a
// page's <head> whose rel has the token rel. It looks only at the children
// of <html> and <head>, so it costs a few dozen nodes per page.
func headLinkExtractor(key, rel string) crawl.Extractor {
	return crawl.ExtractorFunc{N: key, F: func(d *crawl.Document) {
		if d.HTML == nil || len(d.HTML.Nodes) == 0 {
			return
		}
		for html := d.HTML.Nodes[0].FirstChild; html != nil; html = html.NextSibling {
			if html.DataAtom != atom.Html {
				continue
			}
			for head := html.FirstChild; head != nil; head = head.NextSibling {
				if head.DataAtom != atom.Head {
					continue
				}
				for n := head.FirstChild; n != nil; n = n.NextSibling {
					if n.Type != xhtml.ElementNode || n.DataAtom != atom.Link || !slices.Contains(strings.Fields(strings.ToLower(attr(n, "rel"))), rel) {
						continue
					}
					if href := strings.TrimSpace(attr(n, "href")); href != "" && len(href) < 2048 {
						d.Page.SetFact(key, href)
						return
					}
				}
			}
		}
	}}
}

// htmlServiceDesc returns the href of a page's <link rel="service-desc">.
func htmlServiceDesc(pg *crawl.Page) string {
	s, _ := pg.Fact(serviceDescKey).(string)
	return s
}

// maxServiceDescs bounds the service-desc links followed per site (the
// crawler also allows at most audit.MaxFollowUpsPerOrigin per other origin).
const maxServiceDescs = 5

// ServiceDesc is an OpenAPI description a site points to.
type ServiceDesc struct {
	// URL is absolute.
	URL string
	// From says where the link is: "api-catalog", "Link header of PAGE",
	// "<link> in PAGE".
	From string
}

// ServiceDescs lists the OpenAPI descriptions a site points to, in order:
// the service-desc links of its api-catalog linkset (RFC 9727, RFC 9264),
// then rel="service-desc" Link headers (RFC 8288, RFC 8631) and <link>
// elements of the pages, the start page first. URLs are de-duplicated; at
// most maxServiceDescs.
func ServiceDescs(s *crawl.Site) []ServiceDesc {
	var out []ServiceDesc
	seen := map[string]bool{}
	add := func(base, href, from string) {
		if len(out) >= maxServiceDescs {
			return
		}
		b, err := url.Parse(base)
		if err != nil {
			return
		}
		ref, err := url.Parse(strings.TrimSpace(href))
		if err != nil {
			return
		}
		r := b.ResolveReference(ref)
		r.Fragment = ""
		// What the crawler would fetch: normalised, and a valid http(s)
		// URL with a host (a resolved "https://::" is not).
		u, err := urlnorm.Parse(r.String())
		if err != nil || u.Scheme != "http" && u.Scheme != "https" || u.Hostname() == "" {
			return
		}
		if seen[u.String()] {
			return
		}
		seen[u.String()] = true
		out = append(out, ServiceDesc{URL: u.String(), From: from})
	}
	for _, name := range []string{"api-catalog", linkedCatalogName} {
		e := siteExtra(s, name)
		if e == nil {
			continue
		}
		if m, ok, err := jsonDoc(e); ok && err == nil {
			base := e.FinalURL
			if base == "" {
				base = e.URL
			}
			ls, _ := m["linkset"].([]any)
			for _, l := range ls {
				lm, _ := l.(map[string]any)
				targets, _ := lm["service-desc"].([]any)
				for _, t := range targets {
					tm, _ := t.(map[string]any)
					if href, ok := tm["href"].(string); ok {
						add(base, href, "api-catalog")
					}
				}
			}
		}
	}
	start := startPage(s)
	pages := make([]*crawl.Page, 0, len(s.Pages))
	for _, pg := range s.Pages {
		if pg.Skipped() == "" && pg != start {
			pages = append(pages, pg)
		}
	}
	slices.SortFunc(pages, func(a, b *crawl.Page) int { return strings.Compare(a.URL, b.URL) })
	if start != nil {
		pages = append([]*crawl.Page{start}, pages...)
	}
	for _, pg := range pages {
		if href, ok := linkRel(pg, "service-desc"); ok {
			add(pageURL(pg), href, "Link header of "+pageURL(pg))
		}
		if href := htmlServiceDesc(pg); href != "" {
			add(pageURL(pg), href, "<link> in "+pageURL(pg))
		}
	}
	return out
}

// linkedCatalogName is the name in Site.Extras of an api-catalog that a
// Link header (rel="api-catalog", RFC 9727 section 3) names at a URL other
// than /.well-known/api-catalog.
const linkedCatalogName = "api-catalog-linked"

// linkedCatalogURL returns the URL of the start page's rel="api-catalog"
// Link header when it is not the well-known one.
func linkedCatalogURL(s *crawl.Site) string {
	start := startPage(s)
	if start == nil {
		return ""
	}
	href, ok := LinkRels(start.Header.Values("Link"))["api-catalog"]
	if !ok {
		return ""
	}
	b, err := url.Parse(pageURL(start))
	if err != nil {
		return ""
	}
	ref, err := url.Parse(strings.TrimSpace(href))
	if err != nil {
		return ""
	}
	u, err := urlnorm.Parse(b.ResolveReference(ref).String())
	if err != nil || u.Scheme != "http" && u.Scheme != "https" || u.Hostname() == "" || u.String() == s.Origin+"/.well-known/api-catalog" {
		return ""
	}
	return u.String()
}

// serviceDescName is the name of a service-desc follow-up in Site.Extras.
func serviceDescName(u string) string { return "service-desc:" + u }

// conventionalExtra returns the well-known extra that already fetched u,
// if any.
func conventionalExtra(s *crawl.Site, u string) string {
	for _, n := range []string{"openapi-json", "openapi-yaml", "openapi-swagger"} {
		for _, w := range WellKnown {
			if w.Name == n && s.Origin+w.Path == u {
				return n
			}
		}
	}
	return ""
}

// serviceDescFollowUps asks the crawler for the service-desc targets that
// the well-known extras did not fetch already.
func serviceDescFollowUps(s *crawl.Site) []crawl.FollowUp {
	var ups []crawl.FollowUp
	// A catalog named by a Link header comes first; the descriptions it
	// links are asked for in the next round.
	if u := linkedCatalogURL(s); u != "" {
		ups = append(ups, crawl.FollowUp{Name: linkedCatalogName, URL: u, Accept: "application/linkset+json,application/json;q=0.9,*/*;q=0.5"})
	}
	for _, d := range ServiceDescs(s) {
		if conventionalExtra(s, d.URL) != "" {
			continue
		}
		ups = append(ups, crawl.FollowUp{Name: serviceDescName(d.URL), URL: d.URL,
			Accept: "application/openapi+json,application/json,application/openapi+yaml,application/yaml,text/yaml;q=0.9,*/*;q=0.5"})
	}
	return ups
}

// linkedCatalogCut reports whether the run ended before the api-catalog a
// Link header names (read after the crawl) was fetched: neither the catalog
// nor the descriptions it lists are known.
func linkedCatalogCut(p *Pass) bool {
	return linkedCatalogURL(p.Site) != "" && p.Extra(linkedCatalogName) == nil && runCut(p.Site)
}

func checkAPICatalog(p *Pass) Result {
	e := p.Extra("api-catalog")
	u := wkURL(p, "api-catalog")
	m, found, err := jsonDoc(e)
	var fs []report.Finding
	if lu := linkedCatalogURL(p.Site); !found && lu != "" {
		// Only a Link header names the catalog: read that one.
		if le := p.Extra(linkedCatalogName); le != nil {
			if lm, lfound, lerr := jsonDoc(le); lfound {
				e, u, m, found, err = le, lu, lm, true, lerr
				fs = append(fs, finding(u, report.Info, "the api-catalog is only named by a Link header: RFC 9727 clients look at /.well-known/api-catalog, publish it there too"))
			}
		}
	}
	if !found {
		if notFetched(p, "api-catalog") {
			return NA("the run ended before /.well-known/api-catalog was fetched")
		}
		if linkedCatalogCut(p) {
			return NA("the run ended before the api-catalog its Link header names was fetched")
		}
		if apiSignals(p) {
			return NA(notScored("missing"), finding(u, report.Info, "the site has an API but no /.well-known/api-catalog (RFC 9727) to list it"))
		}
		return NA("the site exposes no API")
	}
	if err != nil {
		return Score(0, "invalid", append(fs, finding(u, report.Warning, "api-catalog is %v", err))...)
	}
	if e.ContentType != "application/linkset+json" {
		fs = append(fs, finding(u, report.Info, "api-catalog is served as %s; RFC 9727 uses application/linkset+json", orNone(e.ContentType)))
	}
	ls, ok := m["linkset"].([]any)
	if !ok || len(ls) == 0 {
		return Score(0, "no linkset", append(fs, finding(u, report.Warning, "api-catalog has no \"linkset\" array (RFC 9264)"))...)
	}
	descs := 0
	for _, l := range ls {
		lm, _ := l.(map[string]any)
		for _, rel := range []string{"service-desc", "service-doc", "item"} {
			if _, ok := lm[rel]; ok {
				descs++
			}
		}
	}
	if descs == 0 {
		return Score(0.5, "no service-desc", append(fs, finding(u, report.Warning, "api-catalog links no service-desc, service-doc or item"))...)
	}
	return Score(1, fmt.Sprintf("%d link contexts", len(ls)), fs...)
}

// noNetwork is the HTTP client given to the spec loader: checks never do
// network I/O, so remote $refs fail.
var noNetwork = &http.Client{Transport: roundTripFunc(func(*http.Request) (*http.Response, error) {
	return nil, errors.New("remote $refs are not followed during an audit")
})}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// OpenAPIResult is what the openapi check found, for reports.
type OpenAPIResult struct {
	URL        string  `json:"url"`
	Operations int     `json:"operations"`
	LintScore  float64 `json:"lintScore"`
	Findings   int     `json:"findings"`
}

// LintOpenAPI loads an OpenAPI description from bytes (never following
// $refs outside it) and lints it with the lint engine.
func LintOpenAPI(ctx context.Context, name string, body []byte) (*OpenAPIResult, error) {
	doc, err := specload.LoadBytes(ctx, name, body, "/nonexistent-agentready-audit/spec", specload.Options{HTTPClient: noNetwork, MaxBytes: 10 << 20})
	if err != nil {
		return nil, err
	}
	res := lint.Run(ctx, doc, lint.Options{})
	sc := lint.Score(res.Findings, res.Operations)
	return &OpenAPIResult{URL: name, Operations: res.Operations, LintScore: sc.Overall, Findings: len(res.Findings)}, nil
}

func checkOpenAPI(p *Pass) Result {
	var fs []report.Finding
	tried := 0
	// The descriptions the site points to first, then the conventional
	// paths.
	type candidate struct {
		url, from string
		r         *crawl.Response
	}
	var cands []candidate
	seen := map[string]bool{}
	for _, d := range ServiceDescs(p.Site) {
		name := conventionalExtra(p.Site, d.URL)
		if name == "" {
			name = serviceDescName(d.URL)
		}
		seen[d.URL] = true
		cands = append(cands, candidate{d.URL, d.From, p.Extra(name)})
	}
	for _, n := range []string{"openapi-json", "openapi-yaml", "openapi-swagger"} {
		if u := wkURL(p, n); !seen[u] {
			cands = append(cands, candidate{u, "", p.Extra(n)})
		}
	}
	linkedCut := false // a description the site links was cut by the run's end
	for _, c := range cands {
		e, u := c.r, c.url
		if e == nil && runCut(p.Site) {
			// The run ended before it was asked for: no evidence either
			// way.
			linkedCut = linkedCut || c.from != ""
			continue
		}
		if c.from != "" && (e == nil || !e.OK() || len(e.Body) == 0 || looksHTML(e.Body)) {
			// A link the site published that leads nowhere.
			why := "was not fetched"
			switch {
			case e == nil:
			case e.Error != "" || !e.OK():
				why = "answers " + statusOrErr(e)
			case len(e.Body) == 0:
				why = "is empty"
			default:
				why = "is an HTML page"
			}
			fs = append(fs, finding(u, report.Warning, "the service-desc link (%s) %s", c.from, why))
			tried++
			continue
		}
		if e == nil || !e.OK() || len(e.Body) == 0 {
			continue
		}
		if looksHTML(e.Body) {
			continue // a soft 404
		}
		tried++
		res, err := LintOpenAPI(context.Background(), u, e.Body)
		if err != nil {
			fs = append(fs, finding(u, report.Warning, "the OpenAPI description does not load: %v", err))
			continue
		}
		via := ""
		if c.from != "" {
			via = " (linked from " + c.from + ")"
		}
		// Rounded as every report rounds scores (math.Round: 85.5 is 86;
		// fmt's %.0f rounds half to even).
		lintScore := math.Round(res.LintScore)
		detail := fmt.Sprintf("%s: %s, lint agent-readiness %.0f/100", u, count(res.Operations, "operation", "operations"), lintScore)
		fs = append(fs, finding(u, report.Info, "OpenAPI found%s: %s; `agentready lint` scores it %.0f/100 with %s", via, count(res.Operations, "operation", "operations"), lintScore, count(res.Findings, "finding", "findings")))
		return Score(0.5+0.5*res.LintScore/100, detail, fs...)
	}
	if tried > 0 {
		return Score(0, "does not load", fs...)
	}
	if linkedCut || linkedCatalogCut(p) {
		return NA("the run ended before the linked OpenAPI description was fetched", fs...)
	}
	if notFetched(p, "openapi-json", "openapi-yaml", "openapi-swagger") {
		return NA("the run ended before the OpenAPI paths were fetched", fs...)
	}
	if apiSignals(p) {
		return NA(notScored("missing"), finding(p.Site.Origin, report.Info, "the site has an API but no OpenAPI description: none is linked from the api-catalog or a service-desc link, and none is at /openapi.json, /openapi.yaml or /swagger.json"))
	}
	return NA("the site exposes no API")
}

func checkOAuth(p *Pass) Result {
	var fs []report.Finding
	found, good := 0, 0
	for _, n := range []string{"oauth-authorization-server", "oauth-openid"} {
		m, ok, err := jsonDoc(p.Extra(n))
		if !ok {
			continue
		}
		found++
		u := wkURL(p, n)
		if err != nil {
			fs = append(fs, finding(u, report.Warning, "%v", err))
			continue
		}
		var miss []string
		for _, k := range []string{"issuer", "token_endpoint", "response_types_supported"} {
			if _, ok := m[k]; !ok {
				miss = append(miss, k)
			}
		}
		if len(miss) > 0 {
			fs = append(fs, finding(u, report.Warning, "authorization server metadata lacks %s (RFC 8414)", strings.Join(miss, ", ")))
			continue
		}
		good++
	}
	prm, prFound, prErr := jsonDoc(p.Extra("oauth-protected-resource"))
	if prFound {
		found++
		u := wkURL(p, "oauth-protected-resource")
		switch {
		case prErr != nil:
			fs = append(fs, finding(u, report.Warning, "%v", prErr))
		case prm["resource"] == nil:
			fs = append(fs, finding(u, report.Warning, "protected resource metadata lacks \"resource\" (RFC 9728)"))
		default:
			good++
		}
	}
	for _, pg := range p.Pages() {
		if pg.Status != 401 {
			continue
		}
		wa := pg.Header.Get("WWW-Authenticate")
		if wa != "" && !strings.Contains(wa, "resource_metadata") {
			fs = append(fs, finding(pageURL(pg), report.Info, "401 with WWW-Authenticate but no resource_metadata parameter (RFC 9728 5.1): clients cannot discover how to authenticate"))
		}
		break
	}
	if found == 0 {
		if notFetched(p, "oauth-authorization-server", "oauth-openid", "oauth-protected-resource") {
			return NA("the run ended before the OAuth metadata was fetched", fs...)
		}
		if apiSignals(p) {
			return NA(notScored("missing"), append(fs, finding(p.Site.Origin, report.Info, "no OAuth authorization server (RFC 8414), OpenID or protected resource (RFC 9728) metadata"))...)
		}
		return NA("the site exposes no API", fs...)
	}
	return Score(float64(good)/float64(found), fmt.Sprintf("%d of %d metadata documents valid", good, found), fs...)
}

func checkMCP(p *Pass) Result {
	var fs []report.Finding
	cards := serverCards(p.Site)
	found, good := 0, 0
	for _, c := range cards {
		b := c.body()
		if b == nil {
			if c.Resp == nil && runCut(p.Site) {
				continue
			}
			found++
			why := "was not fetched"
			if c.Resp != nil {
				why = "answers " + statusOrErr(c.Resp)
			}
			fs = append(fs, finding(c.URL, report.Warning, "the MCP server card (%s) the AI Catalog lists %s", c.Label, why))
			continue
		}
		found++
		card, ps, err := parseServerCard(b)
		if err != nil {
			fs = append(fs, finding(c.URL, report.Warning, "MCP server card (%s): %v", c.Label, err))
			continue
		}
		fs = append(fs, ps.findings(c.URL)...)
		switch {
		case c.Label != "current":
			fs = append(fs, finding(c.URL, report.Info, "MCP server card found at the %s path: SEP-2127 serves it at <streamable-http-url>/server-card as %s, listed in /.well-known/ai-catalog.json", c.Label, serverCardType))
		case c.Resp != nil && c.Resp.ContentType != serverCardType:
			fs = append(fs, finding(c.URL, report.Info, "the MCP server card (current) is served as %s; SEP-2127 uses %s", orNone(c.Resp.ContentType), serverCardType))
		default:
			fs = append(fs, finding(c.URL, report.Info, "MCP server card found (current): %s %s", card.Name, card.Version))
		}
		if ps.errors() == 0 {
			good++
		}
	}
	if found == 0 {
		return NA("no MCP server card")
	}
	probed := 0
	for _, ep := range mcpEndpoints(p.Site) {
		if p.Site.Folder != "" {
			fs = append(fs, finding(ep, report.Info, "the MCP endpoint is not contacted for a folder: audit the deployed URL for server/discover"))
			continue
		}
		pr := readProbe(p.Site, ep)
		if !pr.asked {
			continue
		}
		probed++
		fs = append(fs, probeFinding(pr))
		if pr.Problem != "" {
			good = max(0, good-1)
		}
	}
	detail := fmt.Sprintf("%d of %s valid", good, count(found, "server card", "server cards"))
	if probed > 0 {
		detail += fmt.Sprintf(", %s probed", count(probed, "endpoint", "endpoints"))
	}
	return Score(float64(good)/float64(found), detail, fs...)
}

// probeFinding reports what an endpoint's MCP requests found.
func probeFinding(pr mcpProbe) report.Finding {
	switch {
	case pr.AuthRequired:
		rm := "no resource_metadata in WWW-Authenticate (RFC 9728 section 5.1): clients cannot discover how to authenticate"
		sev := report.Warning
		if pr.ResourceMetadata != "" {
			rm, sev = "protected resource metadata at "+pr.ResourceMetadata, report.Info
		}
		f := finding(pr.Endpoint, sev, "MCP endpoint needs authorization (status %d): %s", pr.Status, rm)
		if pr.ResourceMetadata == "" {
			f.Help = `add resource_metadata="<URL of the protected resource metadata>" to the 401's WWW-Authenticate header (RFC 9728 section 5.1)`
		}
		return f
	case pr.Problem != "":
		f := finding(pr.Endpoint, report.Warning, "MCP endpoint: %s", pr.Problem)
		f.Help = "make the endpoint the card's remotes name answer server/discover (MCP 2026-07-28) with its supportedVersions, or at least the initialize of 2025-11-25"
		return f
	}
	tools := "tools not listed (tools/list gave no answer)"
	if pr.Tools >= 0 {
		tools = count(pr.Tools, "tool", "tools")
	}
	mode := "stateless server/discover"
	if pr.Mode == "initialize" {
		mode = "initialize handshake (no server/discover: a pre-2026-07-28 server)"
	}
	return finding(pr.Endpoint, report.Info, "MCP endpoint answers the %s: protocol %s (supports %s), %s, no authorization needed", mode, orNone(pr.Protocol), orNone(strings.Join(pr.Versions, ", ")), tools)
}

func checkA2A(p *Pass) Result {
	e := p.Extra("agent-card")
	u := wkURL(p, "agent-card")
	if _, found, _ := jsonDoc(e); !found {
		if _, legacy, _ := jsonDoc(p.Extra("agent-card-legacy")); legacy {
			return Score(0.5, "legacy path", finding(wkURL(p, "agent-card-legacy"), report.Warning, "the A2A agent card is at the legacy /.well-known/agent.json; A2A moved it to /.well-known/agent-card.json"))
		}
		return NA("no A2A agent card")
	}
	card, ps, err := parseA2ACard(e.Body)
	if err != nil {
		return Score(0, "invalid", finding(u, report.Warning, "agent card is %v", err))
	}
	fs := ps.findings(u)
	score := 1 - min(1, 0.2*float64(ps.errors()))
	detail := fmt.Sprintf("%s, %s", count(len(card.Interfaces), "interface", "interfaces"), count(ps.errors(), "problem", "problems"))
	if card.Legacy {
		score = min(score, 0.5)
		detail += ", pre-1.0 shape"
	}
	return Score(score, detail, fs...)
}

func checkWebMCP(p *Pass) Result {
	forms, tools := 0, 0
	var fs pageFindings
	for _, pg := range p.HTMLPages() {
		f := p.facts(pg)
		forms += f.Forms
		tools += len(f.WebMCPTools)
		if f.Forms > 0 && len(f.WebMCPTools) == 0 {
			fs.add(pageURL(pg), report.Hint, fmt.Sprintf("%d %s, none declares a WebMCP tool (toolname and tooldescription attributes, a W3C Web Machine Learning CG proposal)", f.Forms, plural(f.Forms, "form", "forms")))
		}
	}
	if forms == 0 {
		return NA("no forms")
	}
	if tools == 0 {
		return NA(notScored("no tools"), p.findings(fs)...)
	}
	if tools < forms {
		return Score(float64(tools)/float64(forms), fmt.Sprintf("%s on %s", count(tools, "tool", "tools"), count(forms, "form", "forms")),
			finding(pageURL(p.Start), report.Hint, "%d of %d forms %s no WebMCP tool (toolname and tooldescription attributes)", forms-tools, forms, plural(forms-tools, "declares", "declare")))
	}
	return Score(min(1, float64(tools)/float64(forms)), fmt.Sprintf("%s on %s", count(tools, "tool", "tools"), count(forms, "form", "forms")))
}

func checkAIPlugin(p *Pass) Result {
	if _, found, _ := jsonDoc(p.Extra("ai-plugin")); found {
		return Score(0, "legacy", finding(wkURL(p, "ai-plugin"), report.Info, "ai-plugin.json (ChatGPT plugins) was retired in 2024: publish an OpenAPI description, an MCP server or an A2A agent card instead"))
	}
	return NA("no ai-plugin.json")
}
