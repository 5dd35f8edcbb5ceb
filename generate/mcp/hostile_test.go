package mcp_test

import (
	"context"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
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
    }
  }
}`

// TestHostileSpec generates a server from a hostile spec: the Go source
// parses, has no init function and no panic call, builds and vets, and
// the server lists its tools over streamable HTTP.
func TestHostileSpec(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a module")
	}
	spec := filepath.Join(t.TempDir(), "evil.json")
	if err := os.WriteFile(spec, []byte(hostileSpec), 0o644); err != nil {
		t.Fatal(err)
	}
	dir, res := writeModule(t, spec, genmcp.Options{})
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
	if err := json.Unmarshal(filesByName(res)["tools.json"], &list); err != nil || len(list.Tools) != 1 {
		t.Fatalf("tools.json: %v %+v", err, list)
	}
	bin := buildModule(t, dir)

	// Streamable HTTP transport.
	port := freePort(t)
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	cmd := exec.Command(bin, "-http", addr)
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
	if len(tl.Tools) != 1 || tl.Tools[0].Name != list.Tools[0].Name {
		t.Fatalf("listed %+v", tl.Tools)
	}
	// Every required argument, typed as the schema says; the API is
	// unreachable, so the call fails as a tool error, not a crash.
	args := map[string]any{}
	in, _ := tl.Tools[0].InputSchema.(map[string]any)
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
	r, err := session.CallTool(ctx, &mcp.CallToolParams{Name: tl.Tools[0].Name, Arguments: args})
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
