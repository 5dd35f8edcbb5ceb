package checks

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/agentready/agentready/report"
)

// The commerce protocols: a shop announces UCP and ACP in well-known
// documents and asks agents to pay with x402. Not every site is a shop, so
// these checks run only with --profile commerce (Check.OptIn).

func init() {
	register(
		&Check{ID: "ucp-profile", Title: "The UCP business profile is valid", FailTitle: "The UCP business profile is missing or invalid", PartTitle: "The UCP business profile has problems",
			Category: API, Weight: 1, Severity: report.Warning, Needs: []string{"extra:ucp", needProbe}, Since: "0.2.0", OptIn: ProfileCommerce, Run: checkUCP,
			Equivalents: []Equivalent{{Tool: "Cloudflare", ID: "ucp"}}},
		&Check{ID: "acp-discovery", Title: "The ACP discovery document is valid", FailTitle: "The ACP discovery document is missing or invalid", PartTitle: "The ACP discovery document has problems",
			Category: API, Weight: 1, Severity: report.Warning, Needs: []string{"extra:acp", needProbe}, Since: "0.2.0", OptIn: ProfileCommerce, Run: checkACP,
			Equivalents: []Equivalent{{Tool: "Cloudflare", ID: "acp"}}},
		&Check{ID: "x402", Title: "402 answers carry valid x402 payment requirements", FailTitle: "402 answers carry no valid x402 payment requirements", PartTitle: "Some 402 answers carry invalid payment requirements",
			Category: API, Weight: 1, Severity: report.Warning, Needs: []string{"pages"}, Since: "0.2.0", OptIn: ProfileCommerce, Run: checkX402,
			Equivalents: []Equivalent{{Tool: "Cloudflare", ID: "x402"}}},
	)
}

// Selected returns the checks a run with the profile runs: every check
// but those that need another profile asked for (Check.OptIn).
func Selected(prof Profile) []*Check {
	var out []*Check
	for _, c := range registry {
		if c.OptIn == "" || c.OptIn == prof {
			out = append(out, c)
		}
	}
	return out
}

var ucpVersionRE = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)

// parseUCP reads a UCP business profile: {"ucp": {"version": date,
// "services": {name: [{version, transport, endpoint, ...}]},
// "capabilities": {name: [{version, spec, schema}]}}}.
func parseUCP(b []byte) (services, capabilities int, ps problems, err error) {
	m, err := decodeObject(b)
	if err != nil {
		return 0, 0, nil, err
	}
	u, ok := m["ucp"].(map[string]any)
	if !ok {
		ps.add("/ucp", report.Warning, "the profile has no ucp object")
		return 0, 0, ps, nil
	}
	if v := str(u, "version"); !ucpVersionRE.MatchString(v) {
		ps.add("/ucp/version", report.Warning, "ucp.version %q is not a YYYY-MM-DD protocol version", v)
	}
	svcs, ok := u["services"].(map[string]any)
	if !ok || len(svcs) == 0 {
		ps.add("/ucp/services", report.Warning, "the profile declares no services: agents have no endpoint to call")
	}
	for _, name := range sortedKeys(svcs) {
		list, _ := svcs[name].([]any)
		for i, s := range list {
			ptr := "/ucp/services/" + ptrEscape(name) + "/" + strconv.Itoa(i)
			sm, ok := s.(map[string]any)
			if !ok {
				ps.add(ptr, report.Warning, "service %s[%d] is not an object", name, i)
				continue
			}
			services++
			for _, k := range []string{"version", "transport"} {
				if str(sm, k) == "" {
					ps.add(ptr+"/"+k, report.Warning, "service %s[%d] has no %s", name, i, k)
				}
			}
			if e := str(sm, "endpoint"); str(sm, "transport") == "rest" && resolveURL(e, "") == "" {
				ps.add(ptr+"/endpoint", report.Warning, "service %s[%d] has no absolute endpoint URL", name, i)
			}
		}
	}
	caps, _ := u["capabilities"].(map[string]any)
	for _, name := range sortedKeys(caps) {
		list, _ := caps[name].([]any)
		for i, c := range list {
			cm, ok := c.(map[string]any)
			if !ok {
				continue
			}
			capabilities++
			if str(cm, "version") == "" {
				ps.add("/ucp/capabilities/"+ptrEscape(name)+"/"+strconv.Itoa(i)+"/version", report.Warning, "capability %s[%d] has no version", name, i)
			}
		}
	}
	return services, capabilities, ps, nil
}

func sortedKeys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func checkUCP(p *Pass) Result {
	e := p.Extra("ucp")
	u := p.Site.Origin + "/.well-known/ucp"
	if e == nil || !e.OK() || looksHTML(e.Body) {
		return NA(notScored("missing"), finding(u, report.Info, "no UCP business profile at /.well-known/ucp: agents that shop with the Universal Commerce Protocol cannot find the checkout"))
	}
	svcs, caps, ps, err := parseUCP(e.Body)
	if err != nil {
		return Score(0, "invalid", finding(u, report.Warning, "the UCP profile is %v", err))
	}
	return Score(1-min(1, 0.25*float64(ps.errors())), fmt.Sprintf("%s, %s", count(svcs, "service", "services"), count(caps, "capability", "capabilities")), ps.findings(u)...)
}

// parseACP reads an ACP discovery document. No schema of it is
// published; the check asks for what every one found names: a protocol
// version and an absolute endpoint URL.
func parseACP(b []byte) (endpoints int, ps problems, err error) {
	m, err := decodeObject(b)
	if err != nil {
		return 0, nil, err
	}
	if str(m, "version") == "" && str(m, "protocol_version") == "" && str(m, "api_version") == "" {
		ps.add("", report.Warning, "the document names no protocol version (version, protocol_version or api_version)")
	}
	var walk func(ptr string, v any, depth int)
	walk = func(ptr string, v any, depth int) {
		if depth > 8 {
			return
		}
		switch x := v.(type) {
		case map[string]any:
			for _, k := range sortedKeys(x) {
				kp := ptr + "/" + ptrEscape(k)
				if s, ok := x[k].(string); ok && (strings.Contains(strings.ToLower(k), "url") || strings.Contains(strings.ToLower(k), "endpoint")) {
					if resolveURL(s, "") == "" {
						ps.add(kp, report.Warning, "%s %q is not an absolute http(s) URL", k, s)
					} else {
						endpoints++
					}
					continue
				}
				walk(kp, x[k], depth+1)
			}
		case []any:
			for i, e := range x {
				walk(ptr+"/"+strconv.Itoa(i), e, depth+1)
			}
		}
	}
	walk("", m, 0)
	if endpoints == 0 {
		ps.add("", report.Warning, "the document names no endpoint URL")
	}
	return endpoints, ps, nil
}

func checkACP(p *Pass) Result {
	e := p.Extra("acp")
	u := p.Site.Origin + "/.well-known/acp.json"
	if e == nil || !e.OK() || looksHTML(e.Body) {
		return NA(notScored("missing"), finding(u, report.Info, "no ACP discovery document at /.well-known/acp.json"))
	}
	n, ps, err := parseACP(e.Body)
	if err != nil {
		return Score(0, "invalid", finding(u, report.Warning, "the ACP document is %v", err))
	}
	return Score(1-min(1, 0.34*float64(ps.errors())), count(n, "endpoint", "endpoints"), ps.findings(u)...)
}

// checkX402 decodes the PAYMENT-REQUIRED header of the 402 answers the
// crawl got (x402 v2) and validates it. agentready never pays: it sends no
// PAYMENT-SIGNATURE.
func checkX402(p *Pass) Result {
	var fs []report.Finding
	total, good := 0, 0
	for _, pg := range p.Pages() {
		if pg.Status != 402 {
			continue
		}
		total++
		u := pageURL(pg)
		hs := pg.Header.Values("PAYMENT-REQUIRED")
		if len(hs) == 0 {
			msg := "402 Payment Required without a PAYMENT-REQUIRED header (x402 v2): agents cannot tell how to pay"
			if strings.Contains(string(pg.Body), `"x402Version"`) {
				msg = "402 with the payment requirements in the body only (x402 v1); v2 sends them base64-encoded in the PAYMENT-REQUIRED header"
			}
			fs = append(fs, finding(u, report.Warning, "%s", msg))
			continue
		}
		valid := true
		for _, h := range hs {
			pr, ps, err := parsePaymentRequired(h)
			if err != nil {
				fs = append(fs, finding(u, report.Warning, "%v", err))
				valid = false
				continue
			}
			for _, f := range ps.findings(u) {
				f.Message = "PAYMENT-REQUIRED " + f.Location.Pointer + ": " + f.Message
				fs = append(fs, f)
			}
			if ps.errors() > 0 {
				valid = false
				continue
			}
			fs = append(fs, finding(u, report.Info, "x402 v2: %s to pay for %s", count(pr.Accepts, "way", "ways"), orNone(pr.Resource)))
		}
		if valid {
			good++
		}
	}
	if total == 0 {
		return NA("no 402 answer")
	}
	return Score(float64(good)/float64(total), fmt.Sprintf("%d of %s valid", good, count(total, "402 answer", "402 answers")), fs...)
}
