package typescript_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// e2eScript drives the generated client (compiled to dist/) against the
// loopback server whose URL is argv[2]; it throws on the first mismatch.
const e2eScript = `import assert from "node:assert/strict";
import { Client, APIError } from "./dist/index.js";
const base = process.argv[2];
const c = new Client({ baseUrl: base, auth: { key: "k1", basic: { username: "u", password: "p" } }, retry: { baseDelayMs: 1 } });

const cur = [];
for await (const it of c.listCursorIter()) cur.push(it.id);
assert.deepEqual(cur, ["a", "b", "c"]);

const link = [];
for await (const it of c.listLinkIter({ perPage: 2 })) link.push(it.id);
assert.deepEqual(link, ["l1", "l2", "l3"]);

const thing = await c.getThing({ id: "x y", tags: ["a", "b"] });
assert.equal(thing.id, "x y");

try {
  await c.getThing({ id: "missing" });
  assert.fail("no error");
} catch (e) {
  assert.ok(e instanceof APIError, String(e));
  assert.equal(e.status, 404);
  assert.equal(e.problem?.title, "not found");
  assert.equal(e.operation, "getThing");
}

const order = await c.createOrder({ body: { id: "o1" } });
assert.equal(order.id, "o1");

try {
  await c.putOrderNoKey({ body: { id: "o2" } }, { timeoutMs: 200 });
  assert.fail("no error");
} catch (e) {
  assert.ok(e instanceof APIError, String(e));
  assert.equal(e.status, 429);
}
console.log("ok");
`

type e2eServer struct {
	mu      sync.Mutex
	keys    []string // Idempotency-Key of each createOrder attempt
	auth    []string
	puts    int
	queries []string
}

func (s *e2eServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	item := func(id string) map[string]any { return map[string]any{"id": id} }
	w.Header().Set("Content-Type", "application/json")
	switch {
	case r.URL.Path == "/cursor":
		if r.Header.Get("X-API-Key") != "k1" {
			w.WriteHeader(401)
			return
		}
		switch r.URL.Query().Get("cursor") {
		case "":
			// The first try is throttled: the client waits as Retry-After says.
			if len(s.queries) == 0 {
				s.queries = append(s.queries, "throttled")
				w.Header().Set("Retry-After", "0")
				w.WriteHeader(429)
				return
			}
			json.NewEncoder(w).Encode(map[string]any{"data": []any{item("a"), item("b")}, "next_cursor": "c2"})
		case "c2":
			json.NewEncoder(w).Encode(map[string]any{"data": []any{item("c")}})
		}
	case r.URL.Path == "/link":
		if r.URL.Query().Get("page") == "2" {
			json.NewEncoder(w).Encode([]any{item("l3")})
			return
		}
		w.Header().Set("Link", fmt.Sprintf(`<http://%s/link?per_page=2&page=2>; rel="next"`, r.Host))
		json.NewEncoder(w).Encode([]any{item("l1"), item("l2")})
	case strings.HasPrefix(r.URL.Path, "/things/"):
		id := strings.TrimPrefix(r.URL.Path, "/things/")
		s.queries = append(s.queries, r.URL.RawQuery)
		if id == "missing" {
			w.Header().Set("Content-Type", "application/problem+json")
			w.WriteHeader(404)
			w.Write([]byte(`{"type":"about:blank","title":"not found","status":404}`))
			return
		}
		json.NewEncoder(w).Encode(item(id))
	case r.URL.Path == "/orders" && r.Method == "POST":
		s.keys = append(s.keys, r.Header.Get("Idempotency-Key"))
		s.auth = append(s.auth, r.Header.Get("Authorization"))
		if len(s.keys) == 1 {
			w.Header().Set("RateLimit", "limit=10, remaining=0, reset=0")
			w.WriteHeader(503)
			return
		}
		w.WriteHeader(201)
		var v any
		json.NewDecoder(r.Body).Decode(&v)
		json.NewEncoder(w).Encode(v)
	case r.URL.Path == "/orders" && r.Method == "PUT":
		// A wait longer than the call's deadline is not taken.
		s.puts++
		w.Header().Set("Retry-After", "5")
		w.WriteHeader(429)
	default:
		w.WriteHeader(500)
	}
}

// TestE2E compiles the client of ts_e2e.yaml and runs a node script with
// it against a loopback server: cursor and Link pagination, a 429 retried
// after Retry-After, a 503 retried after RateLimit with the same
// Idempotency-Key, basic and API key auth, an RFC 9457 problem as an
// APIError, and a Retry-After beyond the deadline that is not waited for.
func TestE2E(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not found")
	}
	dir := t.TempDir()
	write(t, dir, build(t, fixture("ts_e2e.yaml")))
	compile(t, dir, true)
	if err := os.WriteFile(filepath.Join(dir, "e2e.mjs"), []byte(e2eScript), 0o644); err != nil {
		t.Fatal(err)
	}
	// package.json says "type": "module", so dist/*.js load as ESM.
	srv := &e2eServer{}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	cmd := exec.Command(node, "e2e.mjs", ts.URL)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "ok" {
		t.Fatalf("node e2e.mjs: %v\n%s", err, out)
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if len(srv.keys) != 2 || srv.keys[0] == "" || srv.keys[0] != srv.keys[1] {
		t.Errorf("Idempotency-Key of the two createOrder attempts = %q, want one generated key twice", srv.keys)
	}
	if len(srv.auth) == 0 || srv.auth[0] != "Basic dTpw" {
		t.Errorf("Authorization = %q, want Basic dTpw", srv.auth)
	}
	if srv.puts != 1 {
		t.Errorf("putOrderNoKey tried %d times, want 1 (Retry-After 5s is past the 200ms deadline)", srv.puts)
	}
	if !strings.Contains(strings.Join(srv.queries, "&"), "tags=a,b") {
		t.Errorf("getThing queries %q, want tags=a,b (form, explode false)", srv.queries)
	}
}
