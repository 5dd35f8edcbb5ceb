package mcp_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	genmcp "github.com/agentready/agentready/generate/mcp"
	"github.com/agentready/agentready/generate/tools"
)

// upstream is a loopback stand-in for the Petstore API: GET /pet/{id}
// answers a pet, anything else 404. It records the Authorization headers.
func upstream(t *testing.T) (*httptest.Server, *sync.Map) {
	t.Helper()
	var seen sync.Map
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen.Store(r.Method+" "+r.URL.RequestURI(), r.Header.Get("Authorization"))
		var id int
		if _, err := fmt.Sscanf(r.URL.Path, "/pet/%d", &id); err != nil || r.Method != http.MethodGet {
			http.Error(w, `{"message":"not found"}`, http.StatusNotFound)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"id": id, "name": "rex", "photoUrls": []string{}})
	}))
	t.Cleanup(srv.Close)
	return srv, &seen
}

// startHTTP runs the built server with -http on a free loopback port and
// returns its endpoint; the process is stopped when the test ends.
func startHTTP(t *testing.T, bin string, env ...string) string {
	t.Helper()
	addr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	cmd := exec.Command(bin, "-http", addr)
	cmd.Env = append(os.Environ(), env...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var logs strings.Builder
	cmd.Stdout, cmd.Stderr = &syncWriter{w: &logs}, &syncWriter{w: &logs}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		cmd.Wait()
	})
	deadline := time.Now().Add(30 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			return "http://" + addr
		}
		if time.Now().After(deadline) {
			t.Fatalf("server did not listen on %s: %s", addr, logs.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestProtocolVersions connects the SDK client to a generated server over
// stateless streamable HTTP at MCP 2026-07-28 (server/discover, no
// session) and at 2025-11-25 and 2025-06-18 (the initialize handshake),
// and over stdio; the upstream API is a loopback httptest server, so the
// test runs where Prism is not installed.
func TestProtocolVersions(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a module")
	}
	dir, res := writeModule(t, petstorePath(), genmcp.Options{})
	bin := buildModule(t, dir)
	var want []string
	for _, tl := range res.Tools.Tools {
		want = append(want, tl.Name)
	}
	slices.Sort(want)
	api, seen := upstream(t)
	t.Run("httptest", func(t *testing.T) { checkVersions(t, bin, api.URL, want, seen) })
	t.Run("prism", func(t *testing.T) {
		if os.Getenv("AGENTREADY_PRISM") == "" {
			t.Skip("AGENTREADY_PRISM is not set (.ci/run installs Prism)")
		}
		checkVersions(t, bin, startPrism(t, petstorePath()), want, nil)
	})
}

// checkVersions runs the protocol versions against the server bin whose
// upstream API is at base; seen, when set, holds the upstream's requests.
func checkVersions(t *testing.T, bin, base string, want []string, seen *sync.Map) {
	env := []string{"SWAGGER_PETSTORE_BASE_URL=" + base, "SWAGGER_PETSTORE_API_KEY=k"}
	endpoint := startHTTP(t, bin, env...)
	for _, c := range []struct{ name, version string }{
		{"http-2026-07-28", "2026-07-28"},
		{"http-2025-11-25", "2025-11-25"},
		{"http-2025-06-18", "2025-06-18"},
		{"stdio-2026-07-28", "2026-07-28"},
		{"stdio-2025-11-25", "2025-11-25"},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			var tr mcp.Transport = &mcp.StreamableClientTransport{Endpoint: endpoint}
			if strings.HasPrefix(c.name, "stdio") {
				cmd := exec.Command(bin)
				cmd.Env = append(os.Environ(), env...)
				tr = &mcp.CommandTransport{Command: cmd}
			}
			client := mcp.NewClient(&mcp.Implementation{Name: "agentready-test", Version: "0"}, nil)
			session, err := client.Connect(ctx, tr, &mcp.ClientSessionOptions{ProtocolVersion: c.version})
			if err != nil {
				t.Fatal(err)
			}
			defer session.Close()
			if got := session.InitializeResult().ProtocolVersion; got != c.version {
				t.Errorf("negotiated %s, want %s", got, c.version)
			}
			if c.name == "http-2026-07-28" && session.ID() != "" {
				t.Errorf("stateless server gave a session ID %q", session.ID())
			}
			list, err := session.ListTools(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, tl := range list.Tools {
				got = append(got, tl.Name)
			}
			if !slices.Equal(got, want) {
				t.Errorf("tools/list order:\n got %v\nwant %v", got, want)
			}
			if c.version == "2026-07-28" && (list.TTLMs != 3600000 || list.CacheScope != "public") {
				t.Errorf("tools/list cache hints: ttlMs=%d cacheScope=%q, want 3600000 public", list.TTLMs, list.CacheScope)
			}
			r, err := session.CallTool(ctx, &mcp.CallToolParams{Name: "getPetById", Arguments: map[string]any{"petId": 7}})
			if err != nil {
				t.Fatal(err)
			}
			if pet, ok := r.StructuredContent.(map[string]any); r.IsError || !ok || pet["name"] == nil {
				t.Fatalf("getPetById(7): isError=%v %v %s", r.IsError, r.StructuredContent, text(r))
			}
			if seen == nil {
				return
			}
			if _, ok := seen.Load("GET /pet/7"); !ok {
				t.Errorf("upstream not called: %v", keys(seen))
			}
		})
	}
}

// TestToolModesServe builds Petstore's server in search and tags modes and
// calls getPetById through search_tools + call_tool and through the pet
// tag tool.
func TestToolModesServe(t *testing.T) {
	if testing.Short() {
		t.Skip("builds modules")
	}
	api, seen := upstream(t)
	for _, mode := range []tools.Mode{tools.ModeSearch, tools.ModeTags} {
		t.Run(string(mode), func(t *testing.T) {
			dir, res := writeModule(t, petstorePath(), genmcp.Options{Mode: mode})
			bin := buildModule(t, dir)
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			endpoint := startHTTP(t, bin, "SWAGGER_PETSTORE_BASE_URL="+api.URL)
			client := mcp.NewClient(&mcp.Implementation{Name: "agentready-test", Version: "0"}, nil)
			session, err := client.Connect(ctx, &mcp.StreamableClientTransport{Endpoint: endpoint}, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer session.Close()
			list, err := session.ListTools(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, tl := range list.Tools {
				names = append(names, tl.Name)
			}
			call := func(name string, args map[string]any) *mcp.CallToolResult {
				t.Helper()
				r, err := session.CallTool(ctx, &mcp.CallToolParams{Name: name, Arguments: args})
				if err != nil {
					t.Fatal(err)
				}
				return r
			}
			var r *mcp.CallToolResult
			switch mode {
			case tools.ModeSearch:
				if strings.Join(names, ",") != "call_tool,search_tools" || len(res.Listed.Tools) != 2 {
					t.Fatalf("search mode lists %v", names)
				}
				found := call("search_tools", map[string]any{"query": "find pet by ID", "limit": 3})
				var out struct {
					Tools []struct {
						Name        string         `json:"name"`
						InputSchema map[string]any `json:"inputSchema"`
					} `json:"tools"`
				}
				if err := json.Unmarshal([]byte(text(found)), &out); err != nil || len(out.Tools) == 0 || len(out.Tools) > 3 {
					t.Fatalf("search_tools: %v %s", err, text(found))
				}
				if out.Tools[0].Name != "getPetById" || out.Tools[0].InputSchema["properties"] == nil {
					t.Errorf("search_tools top hit: %+v", out.Tools[0])
				}
				r = call("call_tool", map[string]any{"name": "getPetById", "arguments": map[string]any{"petId": 8}})
				if bad := call("call_tool", map[string]any{"name": "getPetById", "arguments": map[string]any{"petId": "x"}}); !bad.IsError {
					t.Errorf("call_tool passed invalid arguments: %s", text(bad))
				}
				if bad := call("call_tool", map[string]any{"name": "nope"}); !bad.IsError || !strings.Contains(text(bad), "search_tools") {
					t.Errorf("call_tool of an unknown tool: %s", text(bad))
				}
			case tools.ModeTags:
				if strings.Join(names, ",") != "pet,store,user" {
					t.Fatalf("tags mode lists %v", names)
				}
				r = call("pet", map[string]any{"operation": "getPetById", "arguments": map[string]any{"petId": 8}})
			}
			if pet, ok := r.StructuredContent.(map[string]any); r.IsError || !ok || pet["name"] != "rex" {
				t.Fatalf("getPetById(8) via %s mode: %v %s", mode, r.StructuredContent, text(r))
			}
			if _, ok := seen.Load("GET /pet/8"); !ok {
				t.Errorf("upstream not called: %v", keys(seen))
			}
		})
	}
}

type withToken struct{ token string }

func (w withToken) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+w.token)
	return http.DefaultTransport.RoundTrip(r)
}

// TestOAuthPassthrough: with authorization servers configured the HTTP
// server publishes RFC 9728 metadata, answers 401 with a resource_metadata
// challenge to a request without a token, and passes the caller's bearer
// token through to the API.
func TestOAuthPassthrough(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a module")
	}
	dir, _ := writeModule(t, petstorePath(), genmcp.Options{})
	bin := buildModule(t, dir)
	api, seen := upstream(t)
	endpoint := startHTTP(t, bin, "SWAGGER_PETSTORE_BASE_URL="+api.URL,
		"SWAGGER_PETSTORE_OAUTH_AUTHORIZATION_SERVERS=https://auth.example.com",
		"SWAGGER_PETSTORE_PETSTORE_AUTH_TOKEN=server-token")
	resp, err := http.Get(endpoint + "/.well-known/oauth-protected-resource")
	if err != nil {
		t.Fatal(err)
	}
	var meta map[string]any
	err = json.NewDecoder(resp.Body).Decode(&meta)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("metadata: %d %v", resp.StatusCode, err)
	}
	if meta["resource"] != endpoint+"/" || fmt.Sprint(meta["authorization_servers"]) != "[https://auth.example.com]" || !strings.Contains(fmt.Sprint(meta["scopes_supported"]), "read:pets") {
		t.Errorf("metadata: %v", meta)
	}
	resp, err = http.Post(endpoint+"/", "application/json", strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"tools/list"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 || !strings.Contains(resp.Header.Get("WWW-Authenticate"), `resource_metadata="`+endpoint+`/.well-known/oauth-protected-resource"`) {
		t.Errorf("no token: %d %q", resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	client := mcp.NewClient(&mcp.Implementation{Name: "agentready-test", Version: "0"}, nil)
	session, err := client.Connect(ctx, &mcp.StreamableClientTransport{Endpoint: endpoint, HTTPClient: &http.Client{Transport: withToken{"caller-token"}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer session.Close()
	r, err := session.CallTool(ctx, &mcp.CallToolParams{Name: "getPetById", Arguments: map[string]any{"petId": 9}})
	if err != nil || r.IsError {
		t.Fatalf("getPetById: %v %s", err, text(r))
	}
	if got, _ := seen.Load("GET /pet/9"); got != "Bearer caller-token" {
		t.Errorf("upstream Authorization = %v, want the caller's token", got)
	}
}
