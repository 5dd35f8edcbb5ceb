package checks

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/agentready/agentready/report"
)

// discovery-consistency: the discovery documents of a site must agree
// with each other. Each check above reads one document; this one reads
// them side by side.

func init() {
	register(&Check{ID: "discovery-consistency", Title: "The discovery documents agree", FailTitle: "The discovery documents contradict each other", PartTitle: "Some discovery documents disagree",
		Category: API, Weight: 2, Severity: report.Warning,
		Needs: []string{"extra:ai-catalog", "extra:" + aiCatalogLinkedName, "extra:" + aiEntryName(""), "extra:mcp-*", "extra:mcp:*", "extra:agent-card",
			"extra:oauth-*", "extra:openapi-*", "extra:api-catalog", "extra:service-desc:*", "robots", "pages", needProbe},
		Since: "0.2.0", Run: checkConsistency})
}

// consistency collects the comparisons made and the disagreements found.
type consistency struct {
	compared int
	fs       []report.Finding
}

func (c *consistency) disagree(u, ptr string, format string, args ...any) {
	f := finding(u, report.Warning, format, args...)
	f.Location.Pointer = ptr
	c.fs = append(c.fs, f)
}

// sameURL compares two URLs as the crawler normalises them; a trailing
// slash of the path does not count.
func sameURL(a, b string) bool {
	na, nb := resolveURL(a, ""), resolveURL(b, "")
	if na == "" || nb == "" {
		return strings.TrimSuffix(a, "/") == strings.TrimSuffix(b, "/")
	}
	return strings.TrimSuffix(na, "/") == strings.TrimSuffix(nb, "/")
}

func checkConsistency(p *Pass) Result {
	var c consistency
	s := p.Site
	cat := findCatalog(s)
	cards := serverCards(s)

	// 1. Every endpoint a server card names is listed by the catalog: an
	// agent that starts from the catalog must reach every server the site
	// describes.
	if cat != nil && cat.Catalog != nil {
		listed := map[string]bool{}
		for _, en := range cat.Catalog.Entries {
			if en.Type != serverCardType {
				continue
			}
			if u := cat.entryURL(en); u != "" {
				if ep, ok := strings.CutSuffix(u, "/server-card"); ok {
					listed[strings.TrimSuffix(ep, "/")] = true
				}
			}
		}
		for _, cr := range cards {
			if cr.Label != "current" {
				continue
			}
			if card, _, err := parseServerCard(cr.body()); err == nil {
				for _, r := range card.Remotes {
					listed[strings.TrimSuffix(resolveURL(cr.URL, r.URL), "/")] = true
				}
			}
		}
		for _, cr := range cards {
			card, _, err := parseServerCard(cr.body())
			if err != nil {
				continue
			}
			for _, r := range card.Remotes {
				ep := resolveURL(cr.URL, r.URL)
				if ep == "" {
					continue
				}
				c.compared++
				if !listed[strings.TrimSuffix(ep, "/")] {
					c.disagree(cr.URL, r.Pointer+"/url", "the MCP server card (%s) names the endpoint %s, which the AI Catalog (%s) does not list", cr.Label, ep, cat.URL)
				}
			}
		}
		// The A2A card the site publishes is one the catalog lists.
		if e := p.Extra("agent-card"); e != nil && e.OK() && !looksHTML(e.Body) {
			wk := s.Origin + "/.well-known/agent-card.json"
			has, any := false, false
			for _, en := range cat.Catalog.Entries {
				if en.Type == a2aCardType {
					any = true
					has = has || sameURL(cat.entryURL(en), wk)
				}
			}
			if any {
				c.compared++
				if !has {
					c.disagree(cat.URL, "/entries", "the AI Catalog lists A2A agent cards but not the site's own %s", wk)
				}
			}
		}
	}

	// 2. What an endpoint answers matches its card: the protocol versions
	// overlap, the tools agree, and so does the need for authorization.
	probes := map[string]mcpProbe{}
	for _, ep := range mcpEndpoints(s) {
		if pr := readProbe(s, ep); pr.asked {
			probes[strings.TrimSuffix(ep, "/")] = pr
		}
	}
	for _, cr := range cards {
		card, _, err := parseServerCard(cr.body())
		if err != nil {
			continue
		}
		for _, r := range card.Remotes {
			pr, ok := probes[strings.TrimSuffix(resolveURL(cr.URL, r.URL), "/")]
			if !ok {
				continue
			}
			switch {
			case pr.AuthRequired:
				c.compared++
				if !r.AuthRequired {
					c.disagree(cr.URL, r.Pointer, "the endpoint %s answers %d (authorization needed) but the card's authentication.required is not true", pr.Endpoint, pr.Status)
				}
				continue
			case pr.Problem != "":
				continue
			}
			if len(r.Versions) > 0 && len(pr.Versions) > 0 {
				c.compared++
				if !slices.ContainsFunc(r.Versions, func(v string) bool { return slices.Contains(pr.Versions, v) }) {
					c.disagree(cr.URL, r.Pointer+"/supportedProtocolVersions", "the card gives protocol versions %s, the endpoint %s answers %s: none in common", strings.Join(r.Versions, ", "), pr.Endpoint, strings.Join(pr.Versions, ", "))
				}
			}
			if card.Tools >= 0 && pr.Tools >= 0 {
				c.compared++
				if card.Tools != pr.Tools {
					c.disagree(cr.URL, "/tools", "the card lists %s, tools/list at %s answers %s", count(card.Tools, "tool", "tools"), pr.Endpoint, count(pr.Tools, "tool", "tools"))
				}
			}
			if pr.Mode != "" {
				c.compared++
				if pr.ToolsCap != card.HasToolsCapability {
					c.disagree(cr.URL, "/capabilities", "the card's capabilities %s tools but the endpoint's %s answer %s: make the card's capabilities say what the server answers", declares(card.HasToolsCapability, "declare", "do not declare"), pr.Mode, declares(pr.ToolsCap, "declares them", "does not declare them"))
				}
			}
		}
	}

	// 3. OAuth: the protected resource is the endpoint that asks for it,
	// it names the authorization server the site publishes, whose issuer
	// is where it is published, and the scopes line up.
	prU := wkURL(p, "oauth-protected-resource")
	prm, prOK, prErr := jsonDoc(p.Extra("oauth-protected-resource"))
	asm, asOK, asErr := jsonDoc(p.Extra("oauth-authorization-server"))
	asU := wkURL(p, "oauth-authorization-server")
	if asOK && asErr == nil {
		if iss, _ := asm["issuer"].(string); iss != "" {
			c.compared++
			if !sameURL(iss, s.Origin) {
				c.disagree(asU, "/issuer", "the issuer %s is not the origin the metadata is published at (%s); RFC 8414 section 3.3 requires them to be the same", iss, s.Origin)
			}
		}
	}
	// The metadata each endpoint that asks for authorization points to:
	// the well-known one, or one fetched from its 401.
	for _, pr := range sortedProbes(probes) {
		if !pr.AuthRequired || pr.ResourceMetadata == "" {
			continue
		}
		rm := resolveURL(pr.Endpoint, pr.ResourceMetadata)
		doc, ok, err := prm, prOK, prErr
		if rm != prU {
			doc, ok, err = jsonDoc(s.Extras[mcpPRMName(rm)])
		}
		c.compared++
		if !ok || err != nil {
			c.disagree(pr.Endpoint, "", "the endpoint's 401 points to protected resource metadata at %s, which does not answer a JSON document", rm)
			continue
		}
		res, _ := doc["resource"].(string)
		if res == "" || !(sameURL(res, pr.Endpoint) || strings.HasPrefix(pr.Endpoint, strings.TrimSuffix(res, "/")+"/")) {
			c.disagree(rm, "/resource", "the protected resource is %q but the MCP endpoint %s points here (RFC 9728 section 3.3: the resource must be the endpoint)", res, pr.Endpoint)
		}
		if rm != prU && asOK && asErr == nil {
			if iss, _ := asm["issuer"].(string); iss != "" {
				if servers := strs(doc["authorization_servers"]); len(servers) > 0 {
					c.compared++
					if !slices.ContainsFunc(servers, func(a string) bool { return sameURL(a, iss) }) {
						c.disagree(rm, "/authorization_servers", "authorization_servers (%s) does not name the issuer %s of the site's authorization server metadata", strings.Join(servers, ", "), iss)
					}
				}
			}
		}
	}
	if prOK && prErr == nil {
		servers := strs(prm["authorization_servers"])
		if asOK && asErr == nil {
			iss, _ := asm["issuer"].(string)
			if iss != "" && len(servers) > 0 {
				c.compared++
				if !slices.ContainsFunc(servers, func(a string) bool { return sameURL(a, iss) }) {
					c.disagree(prU, "/authorization_servers", "authorization_servers (%s) does not name the issuer %s of the site's authorization server metadata", strings.Join(servers, ", "), iss)
				}
			}
			if want, have := strs(prm["scopes_supported"]), strs(asm["scopes_supported"]); len(want) > 0 && len(have) > 0 {
				c.compared++
				var miss []string
				for _, sc := range want {
					if !slices.Contains(have, sc) {
						miss = append(miss, sc)
					}
				}
				if len(miss) > 0 {
					c.disagree(prU, "/scopes_supported", "scopes %s of the protected resource are not in the authorization server's scopes_supported", strings.Join(miss, ", "))
				}
			}
		}
	}

	// 4. The OpenAPI description's OAuth flows use the authorization
	// server's endpoints.
	if asOK && asErr == nil {
		if u, spec := openAPIJSON(p); spec != nil {
			schemes, _ := spec["components"].(map[string]any)
			ss, _ := schemes["securitySchemes"].(map[string]any)
			names := make([]string, 0, len(ss))
			for n := range ss {
				names = append(names, n)
			}
			slices.Sort(names)
			for _, n := range names {
				sm, _ := ss[n].(map[string]any)
				if str(sm, "type") != "oauth2" {
					continue
				}
				flows, _ := sm["flows"].(map[string]any)
				fnames := make([]string, 0, len(flows))
				for f := range flows {
					fnames = append(fnames, f)
				}
				slices.Sort(fnames)
				for _, fn := range fnames {
					fm, _ := flows[fn].(map[string]any)
					for _, k := range [][2]string{{"tokenUrl", "token_endpoint"}, {"authorizationUrl", "authorization_endpoint"}} {
						got, want := str(fm, k[0]), str(asm, k[1])
						if got == "" || want == "" {
							continue
						}
						c.compared++
						if !sameURL(resolveURL(u, got), want) {
							c.disagree(u, "/components/securitySchemes/"+ptrEscape(n)+"/flows/"+ptrEscape(fn)+"/"+k[0], "%s is %s, the authorization server's %s is %s", k[0], got, k[1], want)
						}
					}
				}
			}
		}
	}

	if c.compared == 0 {
		return NA("fewer than two discovery documents to compare", c.fs...)
	}
	bad := len(c.fs)
	return Score(1-float64(bad)/float64(c.compared), fmt.Sprintf("%d of %s agree", c.compared-bad, count(c.compared, "comparison", "comparisons")), c.fs...)
}

func declares(b bool, yes, no string) string {
	if b {
		return yes
	}
	return no
}

// sortedProbes lists the probes by endpoint, for a deterministic order.
func sortedProbes(m map[string]mcpProbe) []mcpProbe {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make([]mcpProbe, 0, len(keys))
	for _, k := range keys {
		out = append(out, m[k])
	}
	return out
}

// openAPIJSON returns the first OpenAPI description in JSON the site
// points to or publishes at /openapi.json.
func openAPIJSON(p *Pass) (string, map[string]any) {
	var cands []struct{ u, name string }
	for _, d := range ServiceDescs(p.Site) {
		name := conventionalExtra(p.Site, d.URL)
		if name == "" {
			name = serviceDescName(d.URL)
		}
		cands = append(cands, struct{ u, name string }{d.URL, name})
	}
	cands = append(cands, struct{ u, name string }{wkURL(p, "openapi-json"), "openapi-json"})
	for _, c := range cands {
		e := p.Extra(c.name)
		if e == nil || !e.OK() || looksHTML(e.Body) {
			continue
		}
		var m map[string]any
		if json.Unmarshal(e.Body, &m) == nil && (m["openapi"] != nil || m["swagger"] != nil) {
			return c.u, m
		}
	}
	return "", nil
}
