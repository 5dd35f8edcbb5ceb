// Package wellknown writes the discovery documents of a generated MCP
// server for the site that publishes it: the MCP server card (SEP-2127) at
// <endpoint>/server-card and at the legacy /.well-known/mcp/server-card.json,
// an AI Catalog (/.well-known/ai-catalog.json) that lists the card, and a
// section of llms.txt that points at the server and the API. The documents
// are the ones `agentready audit` reads (checks ai-catalog, mcp-discovery
// and discovery-consistency).
package wellknown

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"github.com/agentready/agentready/generate/ir"
	"github.com/agentready/agentready/generate/tools"
)

// Media types of the documents.
const (
	ServerCardType = "application/mcp-server-card+json"
	CatalogType    = "application/ai-catalog+json"
	cardSchema     = "https://static.modelcontextprotocol.io/schemas/v1/server-card.schema.json"
)

// ProtocolVersions are the MCP versions generated servers speak, newest
// first (the SDK's).
var ProtocolVersions = []string{"2026-07-28", "2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"}

// Options tune [Generate].
type Options struct {
	// MCPURL is the server's streamable HTTP endpoint (absolute http(s)).
	MCPURL string
	// Name is the server's short name (the generated server's -name).
	Name string
	// Listed is the server's tools/list.
	Listed tools.MCPList
	// AuthRequired says the endpoint requires a bearer token (OAuth).
	AuthRequired bool
	// LLMS is the existing llms.txt, if any: the API's section is added,
	// or replaced when it is there.
	LLMS []byte
	// SpecURL, when set, is where the OpenAPI description is published.
	SpecURL string
}

// File is one written document; Name is a slash-separated path under the
// site's root.
type File struct {
	Name    string
	Content []byte
}

// Generate writes the documents for api.
func Generate(api *ir.API, opts Options) ([]File, error) {
	u, err := url.Parse(opts.MCPURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("--mcp-url %q: want an absolute http(s) URL without query or fragment", opts.MCPURL)
	}
	endpoint := strings.TrimSuffix(u.String(), "/")
	cardURL := endpoint + "/server-card"
	cardPath := strings.TrimPrefix(strings.TrimSuffix(u.Path, "/")+"/server-card", "/")
	name := reverseDNS(u.Hostname()) + "/" + safeName(opts.Name)
	version := strings.TrimSpace(api.Version)
	if version == "" || strings.ContainsAny(version, "^~><* \t") || strings.HasSuffix(version, ".x") {
		version = "0.0.0"
	}
	type remote struct {
		Type     string         `json:"type"`
		URL      string         `json:"url"`
		Versions []string       `json:"supportedProtocolVersions"`
		Auth     map[string]any `json:"authentication,omitempty"`
	}
	type cardTool struct {
		Name        string             `json:"name"`
		Title       string             `json:"title,omitempty"`
		Description string             `json:"description,omitempty"`
		InputSchema *tools.Schema      `json:"inputSchema"`
		Annotations *tools.Annotations `json:"annotations,omitempty"`
	}
	r := remote{Type: "streamable-http", URL: endpoint, Versions: ProtocolVersions}
	if opts.AuthRequired {
		r.Auth = map[string]any{"required": true, "schemes": []string{"bearer"}}
	}
	var ts []cardTool
	for _, t := range opts.Listed.Tools {
		ts = append(ts, cardTool{t.Name, t.Title, t.Description, t.InputSchema, t.Annotations})
	}
	card := struct {
		Schema       string         `json:"$schema"`
		Name         string         `json:"name"`
		Version      string         `json:"version"`
		Title        string         `json:"title,omitempty"`
		Description  string         `json:"description,omitempty"`
		Capabilities map[string]any `json:"capabilities"`
		Remotes      []remote       `json:"remotes"`
		Tools        []cardTool     `json:"tools"`
	}{cardSchema, name, version, api.Title, oneLine(api.Description, 300),
		map[string]any{"tools": map[string]any{"listChanged": false}}, []remote{r}, ts}
	cardJSON, err := marshal(card)
	if err != nil {
		return nil, err
	}
	type entry struct {
		Identifier  string `json:"identifier"`
		Type        string `json:"type"`
		URL         string `json:"url"`
		Version     string `json:"version,omitempty"`
		Name        string `json:"name,omitempty"`
		Description string `json:"description,omitempty"`
	}
	entries := []entry{{Identifier: "urn:air:" + u.Hostname() + ":mcp:" + safeName(opts.Name), Type: ServerCardType, URL: cardURL, Version: version, Name: api.Title + " MCP server"}}
	if opts.SpecURL != "" {
		entries = append(entries, entry{Identifier: "urn:air:" + u.Hostname() + ":openapi:" + safeName(opts.Name), Type: "application/openapi+json", URL: opts.SpecURL, Version: version, Name: api.Title + " API"})
	}
	cat, err := marshal(struct {
		SpecVersion string         `json:"specVersion"`
		Host        map[string]any `json:"host"`
		Entries     []entry        `json:"entries"`
	}{"1.0", map[string]any{"displayName": api.Title}, entries})
	if err != nil {
		return nil, err
	}
	return []File{
		{cardPath, cardJSON},
		{".well-known/mcp/server-card.json", cardJSON},
		{".well-known/ai-catalog.json", cat},
		{"llms.txt", llms(api, opts, endpoint, len(opts.Listed.Tools))},
	}, nil
}

// llms adds (or replaces) the "## <title> MCP server" section of llms.txt.
func llms(api *ir.API, opts Options, endpoint string, n int) []byte {
	title := oneLine(api.Title, 100)
	head := "## " + title + " MCP server"
	var sec strings.Builder
	sec.WriteString(head + "\n\n")
	fmt.Fprintf(&sec, "- [Server card](%s/server-card): the MCP server at %s (streamable HTTP, MCP %s and %s; %d tools)\n", endpoint, endpoint, ProtocolVersions[0], strings.Join(ProtocolVersions[1:], ", "), n)
	if opts.SpecURL != "" {
		fmt.Fprintf(&sec, "- [OpenAPI description](%s): the API the tools call\n", opts.SpecURL)
	}
	old := string(opts.LLMS)
	if strings.TrimSpace(old) == "" {
		var b strings.Builder
		b.WriteString("# " + title + "\n\n")
		if d := oneLine(api.Description, 300); d != "" {
			b.WriteString("> " + d + "\n\n")
		}
		b.WriteString(sec.String())
		return []byte(b.String())
	}
	if i := strings.Index(old, "\n"+head+"\n"); i >= 0 {
		rest := old[i+1+len(head):]
		end := len(rest)
		if j := strings.Index(rest, "\n## "); j >= 0 {
			end = j + 1
		}
		return []byte(old[:i+1] + sec.String() + strings.TrimLeft(rest[end:], "\n"))
	}
	if !strings.HasSuffix(old, "\n") {
		old += "\n"
	}
	return []byte(old + "\n" + sec.String())
}

func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	err := enc.Encode(v)
	return b.Bytes(), err
}

// reverseDNS turns api.example.com into com.example.api.
func reverseDNS(host string) string {
	parts := strings.Split(strings.ToLower(host), ".")
	for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
		parts[i], parts[j] = parts[j], parts[i]
	}
	return safeHost(strings.Join(parts, "."))
}

func safeHost(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '-' {
			return r
		}
		return '-'
	}, s)
}

func safeName(s string) string {
	out := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-' {
			return r
		}
		return '-'
	}, s)
	if out == "" {
		return "mcp"
	}
	return out
}

func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > n {
		s = strings.TrimSpace(s[:n]) + "..."
	}
	return strings.ToValidUTF8(s, "")
}
