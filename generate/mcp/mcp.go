// Package mcp renders a runnable MCP server for an API as a Go module: the
// typed client of package generate/golang, the tool definitions of package
// generate/tools (embedded as tools.json) and, per tool, a handler that turns
// the tool's arguments into the client's typed parameters, calls the API and
// returns the response as structured content and text, or as an error
// result (isError) for API errors and invalid arguments. The server is built
// on the official MCP Go SDK (github.com/modelcontextprotocol/go-sdk) and
// speaks stdio or streamable HTTP; credentials come from environment
// variables, OAuth2 client credentials included.
package mcp

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"go/format"
	"go/token"
	"sort"
	"strconv"
	"strings"
	"text/template"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/agentready/agentready/generate/golang"
	"github.com/agentready/agentready/generate/ir"
	"github.com/agentready/agentready/generate/tools"
)

var (
	//go:embed main.go.tmpl
	mainTemplate string
	//go:embed handlers.go.tmpl
	handlersTemplate string
	//go:embed README.md.tmpl
	readmeTemplate string
	// deps.mod and deps.sum are the requirements of a module that imports
	// the MCP Go SDK v1.8.0, as `go mod tidy` wrote them; a test checks them
	// against this repository's go.sum.
	//go:embed deps.mod
	depsMod string
	//go:embed deps.sum
	depsSum string
)

// SDKVersion is the MCP Go SDK version generated servers require.
const SDKVersion = "v1.8.0"

// IROptions are the ir.Options the server needs: the Go client's.
func IROptions() ir.Options { return golang.IROptions() }

// Options tune [Generate].
type Options struct {
	// Module is the generated module's path; "example.com/NAME" when empty.
	Module string
	// Name is the server's (and command's) name; the API title in
	// kebab-case plus "-mcp" when empty.
	Name string
	// EnvPrefix starts every environment variable the server reads; the API
	// title in upper snake case when empty.
	EnvPrefix string
	// Include and Exclude select operations, as for tool definitions.
	Include, Exclude []tools.Selector
	// Mode is what tools/list shows: one tool per operation (all), the
	// search_tools and call_tool pair (search) or one tool per tag (tags);
	// "" is tools.DefaultMode of the selected operations.
	Mode tools.Mode
}

// File is one generated file; Name is a slash-separated path in the module.
type File struct {
	Name    string
	Content []byte
}

// Result is a generated server.
type Result struct {
	Files []File
	// Tools are the per-operation tool definitions the server calls.
	Tools *tools.Set
	// Mode is the tool mode the server was generated in.
	Mode tools.Mode
	// Listed is the server's tools/list (in search and tags modes; in all
	// mode it is Tools.MCP()).
	Listed tools.MCPList
	// Env lists the environment variables the server reads.
	Env []EnvVar
	// Warnings from building the tool definitions.
	Warnings []tools.Warning
}

// EnvVar is an environment variable the server reads.
type EnvVar struct {
	Name, Doc string
}

// Listing is what a generated server lists: its per-operation tools, its
// tools/list in its mode, and whether it takes bearer tokens (OAuth).
type Listing struct {
	Tools  *tools.Set
	Mode   tools.Mode
	Listed tools.MCPList
	OAuth  bool
	Scopes []string
}

// List computes the listing of the server [Generate] would render.
func List(api *ir.API, opts Options) (*Listing, error) {
	set, err := tools.Build(api, tools.Options{Target: tools.MCP, Include: opts.Include, Exclude: opts.Exclude})
	if err != nil {
		return nil, err
	}
	l := &Listing{Tools: set, Mode: opts.Mode, Listed: set.MCP()}
	if l.Mode == "" {
		l.Mode = tools.DefaultMode(len(set.Tools))
	}
	switch l.Mode {
	case tools.ModeSearch:
		l.Listed = tools.SearchModeTools(api.Title, len(set.Tools))
	case tools.ModeTags:
		tags, err := tools.Build(api, tools.Options{Target: tools.MCP, Include: opts.Include, Exclude: opts.Exclude, Mode: tools.ModeTags})
		if err != nil {
			return nil, err
		}
		l.Listed = tags.MCP()
	}
	l.Scopes, l.OAuth = bearerScopes(set)
	return l, nil
}

// DefaultName is the server name Generate gives api: its title in
// kebab-case plus "-mcp".
func DefaultName(api *ir.API) string {
	slug := slugOf(api.Title)
	if slug == "" {
		slug = "api"
	}
	return slug + "-mcp"
}

// Generate renders the server module for api, which must have been built
// with [IROptions].
func Generate(api *ir.API, opts Options) (*Result, error) {
	slug := slugOf(api.Title)
	if slug == "" {
		slug = "api"
	}
	if opts.Name == "" {
		opts.Name = slug + "-mcp"
	}
	if opts.Module == "" {
		opts.Module = "example.com/" + opts.Name
	}
	if opts.EnvPrefix == "" {
		opts.EnvPrefix = strings.ToUpper(strings.ReplaceAll(slug, "-", "_"))
	}
	if err := checkModule(opts.Module); err != nil {
		return nil, err
	}
	if !validEnv(opts.EnvPrefix) {
		return nil, fmt.Errorf("environment prefix %q: use letters, digits and underscores, starting with a letter", opts.EnvPrefix)
	}
	if strings.ContainsAny(opts.Name, " \t\r\n\"'`/\\") || opts.Name == "" {
		return nil, fmt.Errorf("server name %q: no spaces, quotes or slashes", opts.Name)
	}
	l, err := List(api, opts)
	if err != nil {
		return nil, err
	}
	set, listed := l.Tools, l.Listed
	opts.Mode = l.Mode
	toolsJSON, err := set.Marshal()
	if err != nil {
		return nil, err
	}
	var extra []File
	if opts.Mode == tools.ModeSearch {
		docs, err := json.Marshal(set.SearchDocs())
		if err != nil {
			return nil, err
		}
		extra = append(extra, File{"search.json", docs}, File{"search.go", []byte("// Code generated by agentready generate mcp. DO NOT EDIT.\n\n" + tools.SearchSource("main"))})
	}
	if opts.Mode != tools.ModeAll {
		raw, err := marshalIndent(listed)
		if err != nil {
			return nil, err
		}
		extra = append(extra, File{"listed.json", raw})
	}
	clientFiles, err := golang.Generate(api, golang.Options{Package: "client"})
	if err != nil {
		return nil, fmt.Errorf("generating the Go client: %w", err)
	}
	data := &serverData{
		Module: opts.Module, Command: commandName(opts.Name),
		NameLit: strconv.Quote(opts.Name), TitleLit: strconv.Quote(api.Title), VersionLit: strconv.Quote(versionOf(api)),
		EnvBaseURLLit: strconv.Quote(opts.EnvPrefix + "_BASE_URL"), Mode: string(opts.Mode),
	}
	env := []EnvVar{{opts.EnvPrefix + "_BASE_URL", "Base URL of the API; default " + defaultServer(api) + "."}}
	for _, s := range api.SecuritySchemes {
		a, vars := authFor(s, opts.EnvPrefix)
		if a.Code != "" {
			data.Auth = append(data.Auth, a)
			env = append(env, vars...)
		}
	}
	if scopes, ok := l.Scopes, l.OAuth; ok {
		data.OAuth = true
		var lits []string
		for _, sc := range scopes {
			lits = append(lits, strconv.Quote(sc))
		}
		data.ScopesLit = "[]string{" + strings.Join(lits, ", ") + "}"
		data.EnvAuthServersLit = strconv.Quote(opts.EnvPrefix + "_OAUTH_AUTHORIZATION_SERVERS")
		data.EnvResourceLit = strconv.Quote(opts.EnvPrefix + "_OAUTH_RESOURCE")
		env = append(env,
			EnvVar{opts.EnvPrefix + "_OAUTH_AUTHORIZATION_SERVERS", "With -http: the OAuth authorization servers (issuer URLs, separated by spaces) whose tokens the API accepts. When set, the server publishes RFC 9728 protected-resource metadata, requires a bearer token on every MCP request and passes it through to the API."},
			EnvVar{opts.EnvPrefix + "_OAUTH_RESOURCE", "With -http: the server's public URL (the RFC 9728 resource); default http://ADDR/."})
	}
	for _, t := range set.Tools {
		h, err := handlerFor(t)
		if err != nil {
			return nil, err
		}
		data.Handlers = append(data.Handlers, h)
	}
	res := &Result{Tools: set, Env: env, Warnings: set.Warnings, Mode: opts.Mode, Listed: listed}
	mainSrc, err := render("main.go", mainTemplate, data, true)
	if err != nil {
		return nil, err
	}
	handlersSrc, err := render("handlers.go", handlersTemplate, data, true)
	if err != nil {
		return nil, err
	}
	readme, err := render("README.md", readmeTemplate, readmeData{API: api, Opts: opts, Env: env, Tools: set, Command: data.Command, SDK: SDKVersion, Listed: listed, OAuth: data.OAuth}, false)
	if err != nil {
		return nil, err
	}
	gomod := "module " + opts.Module + "\n\ngo 1.25.0\n\n" + depsMod
	res.Files = append(res.Files,
		File{"go.mod", []byte(gomod)},
		File{"go.sum", []byte(depsSum)},
		File{"main.go", mainSrc},
		File{"handlers.go", handlersSrc},
		File{"tools.json", toolsJSON},
		File{"README.md", readme},
	)
	res.Files = append(res.Files, extra...)
	for _, f := range clientFiles {
		res.Files = append(res.Files, File{"client/" + f.Name, f.Content})
	}
	return res, nil
}

type serverData struct {
	Module, Command                              string
	NameLit, TitleLit, VersionLit, EnvBaseURLLit string
	Mode                                         string // "all", "search" or "tags"
	// OAuth says the API takes bearer tokens (http bearer, oauth2 or
	// openIdConnect), so the HTTP server can pass callers' tokens through.
	OAuth                                        bool
	ScopesLit, EnvAuthServersLit, EnvResourceLit string
	Auth                                         []authData
	Handlers                                     []handlerData
}

type authData struct {
	Code string // Go statements, built from escaped parts only
}

type handlerData struct {
	Func, ToolLit, HTTPLit, Method, Params string
	Args                                   []argData
	Body                                   *bodyData
	Wrapped                                bool
}

type argData struct {
	PropLit, Field string
}

type bodyData struct {
	Kind     string // "fields", "whole" or "binary"
	PropLit  string
	Fields   []fieldData
	Required bool
}

type fieldData struct {
	PropLit, JSONLit string
}

// ident returns name when it is a Go identifier; the IR's naming pass
// guarantees that, and this check keeps a spec from ever reaching the
// source any other way.
func ident(name string) (string, error) {
	if !token.IsIdentifier(name) || token.IsKeyword(name) {
		return "", fmt.Errorf("internal error: %q is not a Go identifier", name)
	}
	return name, nil
}

func handlerFor(t *tools.Tool) (handlerData, error) {
	op := t.Operation
	var h handlerData
	var err error
	if h.Method, err = ident(op.Name); err != nil {
		return h, err
	}
	if h.Params, err = ident(op.ParamsName); err != nil {
		return h, err
	}
	h.Func = "call" + h.Method
	h.ToolLit = strconv.Quote(t.Name)
	h.HTTPLit = strconv.Quote(op.Method + " " + op.Path)
	h.Wrapped = t.OutputWrapped
	var body *bodyData
	for _, a := range t.Args {
		switch {
		case a.Param != nil:
			f, err := ident(a.Param.Name)
			if err != nil {
				return h, err
			}
			h.Args = append(h.Args, argData{PropLit: strconv.Quote(a.Property), Field: f})
		case a.Field != nil:
			if body == nil {
				body = &bodyData{Kind: "fields", Required: op.Body.Required}
			}
			body.Fields = append(body.Fields, fieldData{PropLit: strconv.Quote(a.Property), JSONLit: strconv.Quote(a.Field.JSONName)})
		default:
			kind := "whole"
			if m := op.Body.Media[0]; m.Encoding == "binary" {
				kind = "binary"
			}
			body = &bodyData{Kind: kind, PropLit: strconv.Quote(a.Property), Required: op.Body.Required}
		}
	}
	h.Body = body
	return h, nil
}

// bearerScopes reports whether an operation of set may be called with a
// bearer token (a scheme of type http bearer, oauth2 or openIdConnect) and
// the scopes those schemes name, sorted.
func bearerScopes(set *tools.Set) ([]string, bool) {
	bearer := func(s *ir.SecurityScheme) bool {
		return s != nil && (s.Type == "http" && s.Scheme == "bearer" || s.Type == "oauth2" || s.Type == "openIdConnect")
	}
	seen := map[string]bool{}
	ok := false
	for _, t := range set.Tools {
		for _, alt := range t.Operation.Security {
			if len(alt) == 1 && bearer(alt[0].Scheme) {
				ok = true
				for _, sc := range alt[0].Scopes {
					seen[sc] = true
				}
			}
		}
	}
	if !ok {
		return nil, false
	}
	out := make([]string, 0, len(seen))
	for sc := range seen {
		out = append(out, sc)
	}
	sort.Strings(out)
	return out, true
}

// authFor returns the statements that fill a scheme's credentials from the
// environment, mirroring the Go client's Auth field for the scheme.
func authFor(s *ir.SecurityScheme, prefix string) (authData, []EnvVar) {
	field, err := ident(s.Name)
	if err != nil {
		return authData{}, nil
	}
	base := prefix + "_" + strings.ToUpper(ir.Snake(s.Name))
	q := strconv.Quote
	switch {
	case s.Type == "apiKey":
		return authData{Code: fmt.Sprintf("auth.%s = env(%s)", field, q(base))},
			[]EnvVar{{base, fmt.Sprintf("API key sent in the %s %s (scheme %s).", s.In, s.ParamName, s.Key)}}
	case s.Type == "http" && s.Scheme == "basic":
		return authData{Code: fmt.Sprintf("if u := env(%s); u != \"\" {\n\t\tauth.%s = &client.BasicAuth{Username: u, Password: env(%s)}\n\t}", q(base+"_USERNAME"), field, q(base+"_PASSWORD"))},
			[]EnvVar{{base + "_USERNAME", "HTTP basic user name (scheme " + s.Key + ")."}, {base + "_PASSWORD", "HTTP basic password."}}
	case s.Type == "oauth2" && s.TokenURL != "":
		code := fmt.Sprintf("if id := env(%s); id != \"\" {\n\t\tauth.%s = &client.ClientCredentials{ClientID: id, ClientSecret: env(%s), TokenURL: env(%s), Scopes: strings.Fields(env(%s))}\n\t}",
			q(base+"_CLIENT_ID"), field, q(base+"_CLIENT_SECRET"), q(base+"_TOKEN_URL"), q(base+"_SCOPES"))
		return authData{Code: code}, []EnvVar{
			{base + "_CLIENT_ID", "OAuth2 client ID (client-credentials grant, scheme " + s.Key + ")."},
			{base + "_CLIENT_SECRET", "OAuth2 client secret."},
			{base + "_TOKEN_URL", "Token endpoint; default " + s.TokenURL + "."},
			{base + "_SCOPES", "Scopes to request, separated by spaces."},
		}
	case s.Type == "http" || s.Type == "oauth2" || s.Type == "openIdConnect":
		name := base
		if !strings.HasSuffix(name, "_TOKEN") {
			name += "_TOKEN"
		}
		doc := "Bearer token (scheme " + s.Key + ")."
		if s.Type == "http" && s.Scheme != "bearer" {
			doc = "Credential sent as \"Authorization: " + s.Scheme + " <value>\" (scheme " + s.Key + ")."
		}
		return authData{Code: fmt.Sprintf("auth.%s = env(%s)", field, q(name))}, []EnvVar{{name, doc}}
	}
	return authData{}, nil
}

type readmeData struct {
	API     *ir.API
	Opts    Options
	Env     []EnvVar
	Tools   *tools.Set
	Command string
	SDK     string
	Listed  tools.MCPList
	OAuth   bool
}

func marshalIndent(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// md makes spec text safe inside one line of a Markdown table: no line
// breaks, pipes or HTML.
func md(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	r := strings.NewReplacer("|", "\\|", "<", "&lt;", ">", "&gt;", "`", "'")
	s = r.Replace(s)
	if len(s) > 200 {
		s = s[:200] + "..."
	}
	return strings.ToValidUTF8(s, "")
}

func render(name, text string, data any, goSource bool) ([]byte, error) {
	tmpl, err := template.New(name).Funcs(template.FuncMap{"md": md}).Parse(text)
	if err != nil {
		return nil, fmt.Errorf("template %s: %w", name, err)
	}
	var b bytes.Buffer
	if err := tmpl.Execute(&b, data); err != nil {
		return nil, fmt.Errorf("template %s: %w", name, err)
	}
	if !goSource {
		return b.Bytes(), nil
	}
	out, err := format.Source(b.Bytes())
	if err != nil {
		return nil, &golang.FormatError{File: name, Source: b.Bytes(), Err: err}
	}
	return out, nil
}

// slugOf names a server after an API title: its first three words of two
// or more ASCII letters or digits, in lower case, joined by dashes
// ("GitHub's official OpenAPI spec" -> "github-official-openapi").
func slugOf(title string) string {
	var plain strings.Builder
	for _, r := range norm.NFKD.String(title) {
		if !unicode.Is(unicode.Mn, r) {
			plain.WriteRune(r) // letters lose their diacritics
		}
	}
	var words []string
	for _, w := range strings.FieldsFunc(strings.ToLower(plain.String()), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	}) {
		if len(w) > 1 {
			words = append(words, w)
		}
		if len(words) == 3 {
			break
		}
	}
	return strings.Join(words, "-")
}

// commandName is name as a Go comment word.
func commandName(name string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, name)
}

func versionOf(api *ir.API) string {
	if v := strings.TrimSpace(api.Version); v != "" && len(v) < 64 {
		return v
	}
	return "0.0.0"
}

func defaultServer(api *ir.API) string {
	if len(api.Servers) > 0 && api.Servers[0] != "" {
		return api.Servers[0]
	}
	return "none (the variable is required)"
}

func validEnv(s string) bool {
	if s == "" || !(s[0] >= 'A' && s[0] <= 'Z' || s[0] >= 'a' && s[0] <= 'z') {
		return false
	}
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return true
}

// checkModule accepts a module path of letters, digits and ./-_~ segments.
func checkModule(m string) error {
	if m == "" || strings.HasPrefix(m, "/") || strings.HasSuffix(m, "/") || strings.Contains(m, "//") {
		return fmt.Errorf("module path %q is not valid", m)
	}
	for _, r := range m {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("./-_~", r)) {
			return fmt.Errorf("module path %q: character %q is not allowed", m, r)
		}
	}
	return nil
}
