package mcp_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	genmcp "github.com/agentready/agentready/generate/mcp"
)

// prismPath finds the Prism CLI: AGENTREADY_PRISM (set by .ci/run), else the
// bench cache where bench/tools.sh installs it.
func prismPath(t *testing.T) string {
	t.Helper()
	p := os.Getenv("AGENTREADY_PRISM")
	if p == "" {
		home, _ := os.UserHomeDir()
		p = filepath.Join(home, ".cache", "agentready-bench", "prism", "node_modules", ".bin", "prism")
	}
	if _, err := os.Stat(p); err != nil {
		t.Skipf("Prism not installed (set AGENTREADY_PRISM or run bench/tools.sh): %v", err)
	}
	return p
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// startPrism runs a Prism mock of spec on 127.0.0.1 and stops it, by its
// process group, when the test ends.
func startPrism(t *testing.T, spec string) string {
	t.Helper()
	bin := prismPath(t)
	port := freePort(t)
	cmd := exec.Command(bin, "mock", "-h", "127.0.0.1", "-p", fmt.Sprint(port), spec)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var logs strings.Builder
	cmd.Stdout, cmd.Stderr = &syncWriter{w: &logs}, &syncWriter{w: &logs}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-done
		}
	})
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	deadline := time.Now().Add(90 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			return "http://" + addr
		}
		if time.Now().After(deadline) {
			t.Fatalf("Prism did not start on %s: %s", addr, logs.String())
		}
		time.Sleep(200 * time.Millisecond)
	}
}

type syncWriter struct {
	mu sync.Mutex
	w  *strings.Builder
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

// buildModule compiles the generated module (and vets it). The module
// needs the MCP Go SDK: GOFLAGS=-mod=mod lets the go command fetch what
// the module cache lacks through the configured GOPROXY.
func buildModule(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "server")
	for _, args := range [][]string{{"build", "-o", bin, "."}, {"vet", "./..."}} {
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go %s in the generated module: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	return bin
}

func TestPetstoreServerEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a module and starts Prism")
	}
	prism := prismPath(t)
	_ = prism
	dir, res := writeModule(t, petstorePath(), genmcp.Options{})
	bin := buildModule(t, dir)
	mock := startPrism(t, petstorePath())

	// Prism answers with the spec's 404 response when asked to with
	// "Prefer: code=404"; pet 404 stands for a pet that does not exist.
	target, _ := url.Parse(mock)
	proxy := httputil.NewSingleHostReverseProxy(target)
	var seen sync.Map // request line -> headers, to check what the server sent
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen.Store(r.Method+" "+r.URL.RequestURI(), r.Header.Clone())
		if r.URL.Path == "/pet/404" {
			r.Header.Set("Prefer", "code=404")
		}
		proxy.ServeHTTP(w, r)
	}))
	defer front.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(),
		"SWAGGER_PETSTORE_BASE_URL="+front.URL,
		"SWAGGER_PETSTORE_API_KEY=test-key",
		"SWAGGER_PETSTORE_PETSTORE_AUTH_TOKEN=test-token")
	client := mcp.NewClient(&mcp.Implementation{Name: "agentready-test", Version: "0"}, nil)
	session, err := client.Connect(ctx, &mcp.CommandTransport{Command: cmd}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer session.Close()

	list, err := session.ListTools(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Tools) != len(res.Tools.Tools) || len(list.Tools) != 20 {
		t.Fatalf("server lists %d tools, generated %d (Petstore has 20 operations)", len(list.Tools), len(res.Tools.Tools))
	}
	byName := map[string]*mcp.Tool{}
	for _, tl := range list.Tools {
		byName[tl.Name] = tl
	}
	get := byName["getPetById"]
	if get == nil || get.OutputSchema == nil || get.Annotations == nil || !get.Annotations.ReadOnlyHint {
		t.Fatalf("getPetById as listed: %+v", get)
	}
	if del := byName["deletePet"]; del == nil || del.Annotations == nil || del.Annotations.DestructiveHint == nil || !*del.Annotations.DestructiveHint || !del.Annotations.IdempotentHint {
		t.Errorf("deletePet annotations: %+v", del.Annotations)
	}

	// Typed arguments in, structured content out.
	r, err := session.CallTool(ctx, &mcp.CallToolParams{Name: "getPetById", Arguments: map[string]any{"petId": 7}})
	if err != nil {
		t.Fatal(err)
	}
	if r.IsError {
		t.Fatalf("getPetById(7) failed: %s", text(r))
	}
	pet, ok := r.StructuredContent.(map[string]any)
	if !ok {
		t.Fatalf("structured content is %T: %s", r.StructuredContent, text(r))
	}
	if _, ok := pet["name"].(string); !ok {
		t.Errorf("pet has no name: %v", pet)
	}
	if _, ok := pet["photoUrls"].([]any); !ok {
		t.Errorf("pet has no photoUrls: %v", pet)
	}
	h, ok := seen.Load("GET /pet/7")
	if !ok {
		t.Fatal("the server did not call GET /pet/7")
	}
	if got := h.(http.Header).Get("api_key"); got != "test-key" {
		t.Errorf("api_key header = %q, want the key from SWAGGER_PETSTORE_API_KEY", got)
	}

	// An array response arrives wrapped, as its output schema says.
	r, err = session.CallTool(ctx, &mcp.CallToolParams{Name: "findPetsByStatus", Arguments: map[string]any{"status": []string{"available", "sold"}}})
	if err != nil {
		t.Fatal(err)
	}
	if r.IsError {
		t.Fatalf("findPetsByStatus failed: %s", text(r))
	}
	if m, ok := r.StructuredContent.(map[string]any); !ok || m["result"] == nil {
		t.Errorf("findPetsByStatus structured content: %v", r.StructuredContent)
	} else if _, ok := m["result"].([]any); !ok {
		t.Errorf("result is %T, want an array", m["result"])
	}
	if _, ok := seen.Load("GET /pet/findByStatus?status=available&status=sold"); !ok {
		t.Errorf("status array not sent exploded; requests: %v", keys(&seen))
	}

	// An API error is a result with isError, not a protocol error.
	r, err = session.CallTool(ctx, &mcp.CallToolParams{Name: "getPetById", Arguments: map[string]any{"petId": 404}})
	if err != nil {
		t.Fatal(err)
	}
	if !r.IsError || !strings.Contains(text(r), "404") {
		t.Errorf("getPetById(404): isError=%v %q", r.IsError, text(r))
	}

	// Invalid arguments too: a string for an integer, and an integer out of
	// the spec's range (orderId: minimum 1, maximum 10).
	for _, c := range []struct {
		tool string
		args map[string]any
	}{
		{"getPetById", map[string]any{"petId": "seven"}},
		{"getPetById", map[string]any{"petId": 7.5}},
		{"getOrderById", map[string]any{"orderId": 11}},
		{"findPetsByStatus", map[string]any{"status": []string{"lost"}}},
		{"getPetById", map[string]any{}},
	} {
		r, err := session.CallTool(ctx, &mcp.CallToolParams{Name: c.tool, Arguments: c.args})
		if err != nil {
			t.Fatalf("%s(%v): %v", c.tool, c.args, err)
		}
		if !r.IsError {
			t.Errorf("%s(%v) accepted: %s", c.tool, c.args, text(r))
		}
	}
	if _, ok := seen.Load("GET /store/order/11"); ok {
		t.Error("an out-of-range orderId reached the API")
	}
}

func text(r *mcp.CallToolResult) string {
	var b strings.Builder
	for _, c := range r.Content {
		if tc, ok := c.(*mcp.TextContent); ok {
			b.WriteString(tc.Text)
		}
	}
	return b.String()
}

func keys(m *sync.Map) []string {
	var out []string
	m.Range(func(k, _ any) bool { out = append(out, k.(string)); return true })
	return out
}

var _ = json.Valid
