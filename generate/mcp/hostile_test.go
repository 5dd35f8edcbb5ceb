package mcp_test

import (
	"context"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	genmcp "github.com/agentready/agentready/generate/mcp"
)

// hostileSpec tries to inject code through every string the server
// renderer reads: title, version, operationIds, paths, parameter and
// property names, descriptions, security scheme names and server URLs.
const hostileSpec = `{
  "openapi": "3.0.3",
  "info": {"title": "Evil\"); panic(\"PWNED\"); //\nfunc init() { panic(\"PWNED\") }", "version": "1\"+\"PWNED"},
  "servers": [{"url": "http://127.0.0.1:1/\"); panic(\"PWNED"}],
  "components": {"securitySchemes": {
    "key\"); panic(\"PWNED": {"type": "apiKey", "in": "header", "name": "X-Key\"\n"},
    "cc": {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "http://127.0.0.1:1/token\"PWNED", "scopes": {}}}}
  }},
  "security": [{"key\"); panic(\"PWNED": []}],
  "paths": {
    "/items/{id` + "`" + `}/*/\"": {
      "post": {
        "operationId": "x\"); panic(\"PWNED\"); //",
        "summary": "*/ func init() { panic(\"PWNED\") } /*",
        "description": "line\n}\nfunc init() { panic(\"PWNED\") }\n` + "```" + `",
        "parameters": [
          {"name": "id` + "`" + `", "in": "path", "required": true, "schema": {"type": "integer"}},
          {"name": "q\"); panic(\"PWNED", "in": "query", "schema": {"type": "string", "enum": ["a\"PWNED", "b` + "`" + `"]}},
          {"name": "X-Head\n", "in": "header", "schema": {"type": "string"}}
        ],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {
          "type": "object",
          "properties": {
            "name\"); panic(\"PWNED": {"type": "string", "description": "*/ panic(\"PWNED\") /*"},
            "func": {"type": "integer"},
            "type": {"type": "string"}
          }
        }}}},
        "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "array", "items": {"type": "string"}}}}}}
      }
    },
    "/secure": {
      "get": {
        "operationId": "secure",
        "security": [{"cc": []}],
        "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object", "properties": {"ok": {"type": "boolean"}}}}}}}
      }
    }
  }
}`

// TestHostileSpec generates a server from a hostile spec: the Go source
// parses, has no init function and no panic call, builds and vets, and the
// server lists its tools over streamable HTTP. The same server shows OAuth2
// client credentials from the environment: one token for several calls.
func TestHostileSpec(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a module")
	}
	spec := filepath.Join(t.TempDir(), "evil.json")
	if err := os.WriteFile(spec, []byte(hostileSpec), 0o644); err != nil {
		t.Fatal(err)
	}
	dir, res := writeModule(t, spec, genmcp.Options{EnvPrefix: "EVIL"})
	for _, name := range []string{"main.go", "handlers.go"} {
		f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(dir, name), nil, 0)
		if err != nil {
			t.Fatalf("%s does not parse: %v", name, err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.FuncDecl:
				if x.Name.Name == "init" {
					t.Errorf("%s declares init", name)
				}
			case *ast.CallExpr:
				if id, ok := x.Fun.(*ast.Ident); ok && id.Name == "panic" {
					t.Errorf("%s calls panic", name)
				}
			}
			return true
		})
	}
	var list struct {
		Tools []struct{ Name string }
	}
	if err := json.Unmarshal(filesByName(res)["tools.json"], &list); err != nil || len(list.Tools) != 2 {
		t.Fatalf("tools.json: %v %+v", err, list)
	}
	bin := buildModule(t, dir)

	// The API: a token endpoint and the secured operation.
	var tokens atomic.Int32
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/token":
			id, secret, _ := r.BasicAuth()
			if r.Method != http.MethodPost || id != "client-1" || secret != "s3cret" || r.FormValue("grant_type") != "client_credentials" {
				http.Error(w, "bad token request", http.StatusBadRequest)
				return
			}
			tokens.Add(1)
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, `{"access_token":"tok-1","token_type":"Bearer","expires_in":3600}`)
		case "/secure":
			if r.Header.Get("Authorization") != "Bearer tok-1" {
				http.Error(w, "unauthorised", http.StatusUnauthorized)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, `{"ok":true}`)
		default:
			http.NotFound(w, r)
		}
	}))
	defer api.Close()

	// Streamable HTTP transport.
	port := freePort(t)
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	cmd := exec.Command(bin, "-http", addr)
	cmd.Env = append(os.Environ(), "EVIL_BASE_URL="+api.URL, "EVIL_CC_CLIENT_ID=client-1",
		"EVIL_CC_CLIENT_SECRET=s3cret", "EVIL_CC_TOKEN_URL="+api.URL+"/token")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		cmd.Wait()
	}()
	deadline := time.Now().Add(30 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("server did not listen")
		}
		time.Sleep(100 * time.Millisecond)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	client := mcp.NewClient(&mcp.Implementation{Name: "agentready-test", Version: "0"}, nil)
	session, err := client.Connect(ctx, &mcp.StreamableClientTransport{Endpoint: "http://" + addr}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer session.Close()
	tl, err := session.ListTools(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(tl.Tools) != 2 {
		t.Fatalf("listed %+v", tl.Tools)
	}
	var evil *mcp.Tool
	for _, x := range tl.Tools {
		if x.Name != "secure" {
			evil = x
		}
	}
	for i := 0; i < 3; i++ {
		r, err := session.CallTool(ctx, &mcp.CallToolParams{Name: "secure", Arguments: map[string]any{}})
		if err != nil {
			t.Fatal(err)
		}
		if m, ok := r.StructuredContent.(map[string]any); r.IsError || !ok || m["ok"] != true {
			t.Fatalf("secure call %d: isError=%v %v %q", i, r.IsError, r.StructuredContent, text(r))
		}
	}
	if n := tokens.Load(); n != 1 {
		t.Errorf("%d token requests for 3 calls, want 1", n)
	}
	// Every required argument, typed as the schema says; the API has no
	// such path, so the call fails as a tool error (404), not a crash.
	args := map[string]any{}
	in, _ := evil.InputSchema.(map[string]any)
	props, _ := in["properties"].(map[string]any)
	req, _ := in["required"].([]any)
	for _, k := range req {
		p, _ := props[k.(string)].(map[string]any)
		if p["type"] == "integer" {
			args[k.(string)] = 1
		} else {
			args[k.(string)] = "x"
		}
	}
	r, err := session.CallTool(ctx, &mcp.CallToolParams{Name: evil.Name, Arguments: args})
	if err != nil {
		t.Fatal(err)
	}
	if !r.IsError || strings.Contains(text(r), "invalid arguments") || strings.Contains(text(r), "validating") {
		t.Errorf("want a failed API call, got isError=%v %q", r.IsError, text(r))
	}
}

func filesByName(r *genmcp.Result) map[string][]byte {
	m := map[string][]byte{}
	for _, f := range r.Files {
		m[f.Name] = f.Content
	}
	return m
}
