package golang

import (
	"bytes"
	"strings"

	"github.com/agentready/agentready/generate/ir"
)

// client renders client.go: the fixed runtime, then what depends on the
// API: its servers, user agent and security schemes.
func (g *gen) client() []byte {
	g.start()
	g.buf.WriteString(runtimeFor(g.api, g.pkg))
	g.blank = false
	g.p("")
	ua := "agentready-go-client"
	if g.api.Title != "" {
		ua += " (" + strings.Map(func(r rune) rune {
			if r < 0x20 || r >= 0x7f || r == '(' || r == ')' {
				return -1
			}
			return r
		}, g.api.Title) + ")"
	}
	g.p("const defaultUserAgent = %s", esc(asString, ua))
	g.p("")
	if len(g.api.Servers) > 0 {
		g.p("// DefaultServerURL is the first server the API declares.")
		g.p("const DefaultServerURL = %s", esc(asString, g.api.Servers[0]))
	} else {
		g.p("// DefaultServerURL is empty: the API declares no server.")
		g.p("const DefaultServerURL = \"\"")
	}
	g.p("")
	g.auth()
	g.flushBlock()
	g.flushDoc(false)
	return g.buf.Bytes()
}

// runtimeFor is the runtime with only the optional sections the API uses
// (marked "// agentready:section NAME" ... "// agentready:end"), so that a
// small API gets a small client. Unused imports are pruned when formatting.
func runtimeFor(api *ir.API, pkg string) string {
	used := map[string]bool{}
	for _, t := range api.Types {
		switch {
		case t.Kind == ir.Union:
			used["union"] = true
		case t.Kind == ir.Object && t.Additional != nil:
			used["merge"] = true
		case t.Kind == ir.Object:
			for _, f := range t.Fields {
				if !validTagName(f.JSONName) {
					used["merge"] = true
				}
			}
		}
	}
	for _, op := range api.Operations {
		if m := bodyMedia(op); m != nil {
			for _, m := range append(bodyChoices(op), m) {
				used[map[string]string{"form": "form", "multipart": "multipart", "binary": "raw", "text": "text"}[m.Encoding]] = true
			}
		}
		if op.IdempotencyKey != nil {
			used["idempotency"] = true
		}
		for _, r := range op.Responses {
			if len(r.Media) > 0 && r.Media[0].Encoding == "json" && nilable(r.Media[0].Type) {
				used["value"] = true
			}
		}
		if op.Pagination != nil && (op.Pagination.Kind == "link" || op.Pagination.Kind == "next-url") {
			used["link"] = true
		}
		for _, p := range op.Params {
			if p.ContentType != "" && p.In == "query" {
				used["queryjson"] = true
			}
		}
	}
	src := strings.Replace(runtimeSource, "package PACKAGE", "package "+pkg, 1)
	var b strings.Builder
	b.Grow(len(src))
	keep := true
	for line := range strings.Lines(src) {
		switch {
		case strings.HasPrefix(line, "// agentready:section "):
			keep = used[strings.TrimSpace(strings.TrimPrefix(line, "// agentready:section "))]
			continue
		case strings.HasPrefix(line, "// agentready:end"):
			keep = true
			continue
		}
		if keep {
			b.WriteString(line)
		}
	}
	return b.String()
}

func (g *gen) auth() {
	schemes := g.api.SecuritySchemes
	g.p("// Auth holds credentials, one field per security scheme of the API; leave")
	g.p("// a field empty to not use that scheme.")
	g.p("type Auth struct {")
	var headers []string
	for _, s := range schemes {
		name := esc(asIdent, s.Name)
		var doc, typ string
		switch {
		case s.Type == "apiKey":
			doc, typ = "is the API key sent in the "+s.In+" parameter "+s.ParamName+".", "string"
			if s.In == "header" {
				headers = append(headers, esc(asString, s.ParamName))
			}
		case s.Type == "http" && s.Scheme == "basic":
			doc, typ = "is the user name and password for HTTP basic authentication.", "*BasicAuth"
		case s.Type == "http" && s.Scheme == "bearer":
			doc, typ = "is the bearer token sent in the Authorization header.", "string"
		case s.Type == "http":
			doc, typ = "is the credential sent as \"Authorization: "+s.Scheme+" <value>\".", "string"
		case s.Type == "oauth2" && s.TokenURL != "":
			doc, typ = "configures the OAuth2 client-credentials grant (token URL "+s.TokenURL+").", "*ClientCredentials"
		case s.Type == "oauth2" || s.Type == "openIdConnect":
			doc, typ = "is an access token obtained elsewhere, sent as a bearer token.", "string"
		default:
			continue // mutualTLS: configure the HTTP client's TLS instead
		}
		g.p("%s", esc(asComment, s.Name+" "+doc))
		if s.Description != "" {
			g.p("//")
			g.p("%s", esc(asComment, s.Description))
		}
		g.p("%s %s", name, typ)
	}
	g.p("}")
	g.p("")
	g.p("func (c *Client) setupAuth() {")
	if len(headers) > 0 {
		g.p("c.secret = []string{%s}", strings.Join(headers, ", "))
	}
	for _, s := range schemes {
		if s.Type == "oauth2" && s.TokenURL != "" {
			name := esc(asIdent, s.Name)
			g.p("if c.auth.%s != nil {", name)
			g.p("cfg := *c.auth.%s", name)
			g.p("if cfg.TokenURL == \"\" { cfg.TokenURL = %s }", esc(asString, s.TokenURL))
			g.p("if u, err := c.base.Parse(cfg.TokenURL); err == nil { cfg.TokenURL = u.String() }")
			g.p("c.tokens[%s] = &tokenSource{cfg: cfg, client: c}", esc(asString, s.Key))
			g.p("}")
		}
	}
	g.p("}")
	g.p("")
	g.p("func (c *Client) hasCredential(key string) bool {")
	g.p("switch key {")
	for _, s := range schemes {
		name := esc(asIdent, s.Name)
		switch {
		case s.Type == "http" && s.Scheme == "basic", s.Type == "oauth2" && s.TokenURL != "":
			g.p("case %s: return c.auth.%s != nil", esc(asString, s.Key), name)
		case s.Type == "apiKey", s.Type == "http", s.Type == "oauth2", s.Type == "openIdConnect":
			g.p("case %s: return c.auth.%s != \"\"", esc(asString, s.Key), name)
		}
	}
	g.p("}")
	g.p("return false")
	g.p("}")
	g.p("")
	g.p("func (c *Client) applyCredential(ctx context.Context, req *http.Request, key string) error {")
	g.p("switch key {")
	for _, s := range schemes {
		name := esc(asIdent, s.Name)
		key := esc(asString, s.Key)
		switch {
		case s.Type == "apiKey" && s.In == "query":
			g.p("case %s:", key)
			g.p("q := req.URL.Query()")
			g.p("q.Set(%s, c.auth.%s)", esc(asString, s.ParamName), name)
			g.p("req.URL.RawQuery = q.Encode()")
		case s.Type == "apiKey" && s.In == "cookie":
			g.p("case %s:", key)
			g.p("req.AddCookie(&http.Cookie{Name: %s, Value: c.auth.%s})", esc(asString, s.ParamName), name)
		case s.Type == "apiKey":
			g.p("case %s:", key)
			g.p("req.Header.Set(%s, c.auth.%s)", esc(asString, s.ParamName), name)
		case s.Type == "http" && s.Scheme == "basic":
			g.p("case %s:", key)
			g.p("req.SetBasicAuth(c.auth.%s.Username, c.auth.%s.Password)", name, name)
		case s.Type == "http" && s.Scheme == "bearer", s.Type == "openIdConnect", s.Type == "oauth2" && s.TokenURL == "":
			g.p("case %s:", key)
			g.p("req.Header.Set(\"Authorization\", \"Bearer \"+c.auth.%s)", name)
		case s.Type == "http":
			g.p("case %s:", key)
			g.p("req.Header.Set(\"Authorization\", %s+c.auth.%s)", esc(asString, schemeWord(s.Scheme)+" "), name)
		case s.Type == "oauth2":
			g.p("case %s:", key)
			g.p("tok, err := c.tokens[%s].get(ctx)", key)
			g.p("if err != nil { return err }")
			g.p("req.Header.Set(\"Authorization\", \"Bearer \"+tok)")
		}
	}
	g.p("}")
	g.p("return nil")
	g.p("}")
}

// schemeWord capitalises an HTTP auth scheme name for the Authorization header.
func schemeWord(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// securityLiteral renders an operation's requirements as [][]string of scheme keys.
func securityLiteral(reqs []ir.SecurityRequirement) string {
	var b bytes.Buffer
	b.WriteString("[][]string{")
	for i, alt := range reqs {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("{")
		for j, u := range alt {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString(esc(asString, u.Scheme.Key))
		}
		b.WriteString("}")
	}
	b.WriteString("}")
	return b.String()
}
