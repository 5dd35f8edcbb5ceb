package checks

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/agentready/agentready/audit/crawl"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// mcpTestServer is an MCP server built with the official Go SDK, with two
// read-only tools.
func mcpTestServer() *mcp.Server {
	s := mcp.NewServer(&mcp.Implementation{Name: "test.fixture/orders", Version: "1.0.0"}, nil)
	type in struct {
		ID string `json:"id" jsonschema:"the order id"`
	}
	for _, name := range []string{"get_order", "list_orders"} {
		mcp.AddTool(s, &mcp.Tool{Name: name, Description: "Reads orders."}, func(context.Context, *mcp.CallToolRequest, in) (*mcp.CallToolResult, any, error) {
			return &mcp.CallToolResult{}, nil, nil
		})
	}
	return s
}

// TestMCPEndToEnd crawls a loopback site whose AI Catalog lists two MCP
// server cards: one for a stateless streamable-HTTP server (the Go SDK,
// MCP 2026-07-28) that answers server/discover and tools/list, one for a
// server that does not know server/discover and is read by the initialize
// handshake, whose tools are counted in its session (the old code sent
// no tools/list to it: a third round of follow-ups was needed). Only
// read-only requests reach the servers, at most mcpPOSTs an endpoint.
func TestMCPEndToEnd(t *testing.T) {
	var mu sync.Mutex
	var methods []string
	stateless := mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return mcpTestServer() }, &mcp.StreamableHTTPOptions{Stateless: true})
	older := mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return mcpTestServer() }, &mcp.StreamableHTTPOptions{JSONResponse: true})
	mux := http.NewServeMux()
	record := func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			// The JSON-RPC method of the body: a session request of
			// an older server carries no Mcp-Method header.
			b, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(b))
			var msg struct{ Method string }
			json.Unmarshal(b, &msg)
			m := r.Method + " " + r.URL.Path + " " + msg.Method
			mu.Lock()
			methods = append(methods, m)
			mu.Unlock()
			h.ServeHTTP(w, r)
		})
	}
	mux.Handle("/mcp", record(stateless))
	// An older server: server/discover is an unknown method.
	mux.Handle("/old", record(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.Header.Get("Mcp-Method"), "server/discover") {
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":"Method not found"}}`)
			return
		}
		older.ServeHTTP(w, r)
	})))
	card := func(host, path string) string {
		return fmt.Sprintf(`{"$schema":"https://static.modelcontextprotocol.io/schemas/v1/server-card.schema.json","name":"test.fixture/orders","version":"1.0.0",
			"capabilities":{"tools":{}},"remotes":[{"type":"streamable-http","url":"http://%s%s","supportedProtocolVersions":["2026-07-28"]}]}`, host, path)
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/":
			w.Header().Set("Content-Type", "text/html")
			io.WriteString(w, `<!doctype html><html lang="en"><head><title>Orders</title></head><body><main><h1>Orders</h1></main></body></html>`)
		case "/.well-known/ai-catalog.json":
			w.Header().Set("Content-Type", aiCatalogType)
			fmt.Fprintf(w, `{"specVersion":"1.0","entries":[
				{"identifier":"urn:air:test:mcp:orders","type":"application/mcp-server-card+json","url":"http://%s/mcp/server-card"},
				{"identifier":"urn:air:test:mcp:old","type":"application/mcp-server-card+json","url":"http://%s/old/server-card"}]}`, r.Host, r.Host)
		case "/mcp/server-card", "/old/server-card":
			w.Header().Set("Content-Type", serverCardType)
			io.WriteString(w, card(r.Host, strings.TrimSuffix(r.URL.Path, "/server-card")))
		default:
			http.NotFound(w, r)
		}
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	site := crawlChecked(t, srv.URL, CrawlSettings{})
	res := Run(site, Options{Only: []string{"mcp-discovery", "ai-catalog"}})
	var msgs []string
	for _, f := range res.Findings {
		msgs = append(msgs, f.Location.URL+": "+f.Message)
	}
	all := strings.Join(msgs, "\n")
	for _, want := range []string{
		srv.URL + "/mcp: MCP endpoint answers the stateless server/discover: protocol 2026-07-28 (supports 2026-07-28",
		"2 tools, no authorization needed",
		srv.URL + "/old: MCP endpoint answers the initialize handshake (no server/discover: a pre-2026-07-28 server): protocol 2025-11-25 (supports 2025-11-25), 2 tools, no authorization needed",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("no finding with %q in\n%s", want, all)
		}
	}
	for _, c := range res.Checks {
		if c.Score == nil || *c.Score < 90 {
			t.Errorf("%s: %v (%s)\n%s", c.ID, fmtScore(c.Score), c.Detail, all)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	want := map[string]bool{
		"POST /mcp server/discover": true, "POST /mcp initialize": true, "POST /mcp tools/list": true,
		"POST /old server/discover": true, "POST /old initialize": true, "POST /old notifications/initialized": true, "POST /old tools/list": true,
	}
	per := map[string]int{}
	for _, m := range methods {
		if !want[m] {
			t.Errorf("request %q is not one of the read-only probes", m)
		}
		per[strings.Fields(m)[1]]++
	}
	if len(methods) != len(want) || per["/mcp"] > mcpPOSTs || per["/old"] > mcpPOSTs {
		t.Errorf("%d MCP requests, want %d: %q", len(methods), len(want), methods)
	}
}

// TestMCPModernError: a server/discover refused with a modern JSON-RPC
// error (UnsupportedProtocolVersionError, MCP 2026-07-28 basic/versioning)
// marks a modern server that speaks other versions, not a legacy one to
// be read by initialize (the old code reported the initialize handshake).
func TestMCPModernError(t *testing.T) {
	ep := "http://fixture.test/mcp"
	rpc := func(status int, body string) *crawl.Response {
		return &crawl.Response{URL: ep, FinalURL: ep, Status: status, ContentType: "application/json", Body: []byte(body)}
	}
	s := &crawl.Site{Origin: "http://fixture.test", Extras: map[string]*crawl.Response{
		mcpRPCName("server/discover", ep): rpc(400, `{"jsonrpc":"2.0","id":1,"error":{"code":-32022,"message":"Unsupported protocol version","data":{"supported":["2027-03-01"],"requested":"2026-07-28"}}}`),
		mcpRPCName("initialize", ep):      rpc(200, `{"jsonrpc":"2.0","id":1,"result":{"protocolVersion":"2025-11-25","capabilities":{"tools":{}},"serverInfo":{"name":"x","version":"1"}}}`),
	}}
	pr := readProbe(s, ep)
	if pr.Mode != "discover" || !strings.Contains(pr.Problem, "speaks 2027-03-01, not 2026-07-28") {
		t.Errorf("%+v", pr)
	}
	// Its finding says what to do about the endpoint, not about the card
	// (the old code left the help to the doc's first step, about cards).
	if f := probeFinding(pr); !strings.Contains(f.Help, "answer server/discover") {
		t.Errorf("help %q", f.Help)
	}
}
