package lint

import (
	"net/url"
	"strings"

	"github.com/agentready/agentready/internal/specload"
	"github.com/agentready/agentready/report"
	"github.com/getkin/kin-openapi/openapi3"
)

func init() {
	register(
		&Rule{ID: "security-machine-usable", Title: "an agent can authenticate without a human (client credentials, API key, bearer token, mTLS)",
			Category: Auth, Severity: report.Warning, Preset: Recommended, Since: "0.1.0", Run: checkMachineAuth},
		&Rule{ID: "oauth-deprecated-flow", Title: "no OAuth implicit or password flow (removed in OAuth 2.1)",
			Category: Auth, Severity: report.Warning, Preset: Recommended, Since: "0.1.0", Run: checkDeprecatedFlows},
		&Rule{ID: "auth-cookie", Title: "authentication does not rely on cookies",
			Category: Auth, Severity: report.Warning, Preset: Recommended, Since: "0.1.0", Run: checkCookieAuth},
		&Rule{ID: "servers-defined", Title: "the spec says where the API is (servers)",
			Category: Auth, Severity: report.Warning, Preset: Minimal, Since: "0.1.0", Run: checkServersDefined},
		&Rule{ID: "server-https", Title: "servers use https",
			Category: Auth, Severity: report.Warning, Preset: Recommended, Since: "0.1.0", Run: checkServerHTTPS},
	)
}

// machineUsable reports whether an agent can use a scheme on its own.
func machineUsable(s *openapi3.SecurityScheme) bool {
	switch strings.ToLower(s.Type) {
	case "apikey":
		return !strings.EqualFold(s.In, "cookie")
	case "http":
		return true // bearer or basic: a token or key the operator provisions
	case "mutualtls":
		return true
	case "openidconnect":
		return true // discovery decides; client credentials is common
	case "oauth2":
		return s.Flows != nil && s.Flows.ClientCredentials != nil
	}
	return false
}

func checkMachineAuth(p *Pass) {
	c := p.Spec.Components
	if c == nil || len(c.SecuritySchemes) == 0 {
		return
	}
	var human []string
	for _, name := range sortedKeys(c.SecuritySchemes) {
		s := c.SecuritySchemes[name]
		if s == nil || s.Value == nil {
			continue
		}
		if machineUsable(s.Value) {
			return
		}
		human = append(human, name)
	}
	if len(human) > 0 {
		p.Report(specload.Pointer("components", "securitySchemes", human[0]),
			"no security scheme works without a human (%s): offer OAuth client credentials, an API key or a bearer token", strings.Join(human, ", "))
	}
}

func checkDeprecatedFlows(p *Pass) {
	c := p.Spec.Components
	if c == nil {
		return
	}
	for _, name := range sortedKeys(c.SecuritySchemes) {
		s := c.SecuritySchemes[name]
		if s == nil || s.Value == nil || s.Value.Flows == nil {
			continue
		}
		ptr := specload.Pointer("components", "securitySchemes", name, "flows")
		if s.Value.Flows.Implicit != nil {
			p.Report(ptr+"/implicit", "security scheme %s offers the implicit flow, deprecated by OAuth 2.1 and the OAuth security BCP", name)
		}
		if s.Value.Flows.Password != nil {
			p.Report(ptr+"/password", "security scheme %s offers the password flow, removed in OAuth 2.1", name)
		}
	}
}

func checkCookieAuth(p *Pass) {
	c := p.Spec.Components
	if c == nil {
		return
	}
	for _, name := range sortedKeys(c.SecuritySchemes) {
		s := c.SecuritySchemes[name]
		if s != nil && s.Value != nil && strings.EqualFold(s.Value.Type, "apiKey") && strings.EqualFold(s.Value.In, "cookie") {
			p.Report(specload.Pointer("components", "securitySchemes", name), "security scheme %s uses a cookie: agents and API clients rarely keep a cookie jar", name)
		}
	}
}

func checkServersDefined(p *Pass) {
	if len(p.Spec.Servers) > 0 {
		return
	}
	if p.Doc.IsV2() {
		p.Report("/host", "no host: the spec does not say where the API is")
		return
	}
	p.Report("", "no servers: the spec does not say where the API is")
}

func checkServerHTTPS(p *Pass) {
	for i, s := range p.Spec.Servers {
		if s == nil {
			continue
		}
		u, err := url.Parse(s.URL)
		if err != nil || u.Scheme != "http" {
			continue
		}
		if h := u.Hostname(); h == "localhost" || h == "127.0.0.1" || h == "::1" || strings.HasSuffix(h, ".localhost") {
			continue // a development server
		}
		p.Report(sprintf("/servers/%d/url", i), "server %s uses plain http", s.URL)
	}
}
