package specload

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/agentready/agentready/internal/golden" // defines -update, which go test ./... -update hands every package
)

func load(t *testing.T, name, data string, opts Options) (*Document, error) {
	t.Helper()
	dir := t.TempDir()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return Load(context.Background(), p, nil, opts)
}

const petYAML = `openapi: 3.0.3
info:
  title: t
  version: "1"
paths:
  /pets/{id}:
    get:
      operationId: getPet
      parameters:
        - name: id
          in: path
          required: true
          schema:
            type: string
      responses:
        "200":
          description: ok
components:
  schemas:
    Pet:
      type: object
`

const petJSON = `{
  "openapi": "3.1.0",
  "info": {"title": "t", "version": "1"},
  "paths": {
    "/pets/{id}": {
      "get": {
        "operationId": "getPet",
        "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
        "responses": {"200": {"description": "ok"}}
      }
    }
  },
  "components": {"schemas": {"Pet": {"type": "object", "description": "caf\u00e9 \"q\""}}}
}`

func TestLocateYAMLAndJSON(t *testing.T) {
	for _, tc := range []struct {
		name, data string
		want       map[string][2]int
	}{
		{"p.yaml", petYAML, map[string][2]int{
			"/paths/~1pets~1{id}/get":              {7, 5},
			"/paths/~1pets~1{id}/get/parameters/0": {10, 11},
			"/components/schemas/Pet":              {20, 5},
			"/components/schemas/Pet/nothing/here": {20, 5},
			"":                                     {1, 1},
		}},
		{"p.json", petJSON, map[string][2]int{
			"/paths/~1pets~1{id}/get":                      {6, 7},
			"/paths/~1pets~1{id}/get/parameters/0":         {8, 24},
			"/components/schemas/Pet/description":          {13, 56},
			"/paths/~1pets~1{id}/get/responses/200/absent": {9, 23},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := load(t, tc.name, tc.data, Options{})
			if err != nil {
				t.Fatal(err)
			}
			var ptrs []string
			for p := range tc.want {
				ptrs = append(ptrs, p)
			}
			got := d.Locate(ptrs)
			for p, w := range tc.want {
				if g := got[p]; g.Line != w[0] || g.Column != w[1] {
					t.Errorf("%q: got %d:%d (%s), want %d:%d", p, g.Line, g.Column, g.Pointer, w[0], w[1])
				}
			}
		})
	}
}

const swagger = `swagger: "2.0"
info:
  title: t
  version: "1"
host: api.example.com
paths:
  /pets:
    post:
      parameters:
        - name: X-Trace
          in: header
          type: string
        - in: body
          name: body
          schema:
            $ref: "#/definitions/Pet"
      responses:
        "200":
          description: ok
          schema:
            $ref: "#/definitions/Pet"
definitions:
  Pet:
    type: object
`

func TestLocateV2(t *testing.T) {
	d, err := load(t, "s.yaml", swagger, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !d.IsV2() || d.Spec == nil || d.Version != "2.0" {
		t.Fatalf("not converted: v2=%v version=%q", d.IsV2(), d.Version)
	}
	want := map[string]int{
		"/components/schemas/Pet":                                           23,
		"/paths/~1pets/post/requestBody":                                    13,
		"/paths/~1pets/post/requestBody/content/application~1json/schema":   15,
		"/paths/~1pets/post/parameters/0":                                   10,
		"/paths/~1pets/post/responses/200/content/application~1json/schema": 20,
		"/servers/0/url": 5,
	}
	var ptrs []string
	for p := range want {
		ptrs = append(ptrs, p)
	}
	got := d.Locate(ptrs)
	for p, line := range want {
		if got[p].Line != line {
			t.Errorf("%s: line %d (%s), want %d", p, got[p].Line, got[p].Pointer, line)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		name, data, want string
	}{
		{"trunc.yaml", "openapi: 3.0.3\ninfo:\n  title: [unclosed\n", "trunc.yaml:"},
		{"trunc.json", "{\n  \"openapi\": \"3.0.3\",\n  \"info\": {\n", "trunc.json:"},
		{"notoas.json", `{"hello": "world"}`, `no "openapi" or "swagger" field`},
		{"list.yaml", "- a\n- b\n", "not a mapping"},
		{"array.json", `[1, 2]`, "not an OpenAPI description"},
		{"v4.yaml", "openapi: 4.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n", `unsupported openapi version "4.0.0"`},
		{"empty.yaml", "", "empty document"},
		{"bomb.yaml", aliasBomb, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			done := make(chan struct{})
			var err error
			go func() {
				defer close(done)
				_, err = load(t, tc.name, tc.data, Options{})
			}()
			select {
			case <-done:
			case <-time.After(20 * time.Second):
				t.Fatal("load did not finish")
			}
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not contain %q", err, tc.want)
			}
			var pe *ParseError
			if tc.name != "bomb.yaml" && errors.As(err, &pe) && pe.Line == 0 && tc.name != "empty.yaml" {
				t.Errorf("parse error without a line: %v", err)
			}
		})
	}
}

// TestYAMLErrorPositions pins where a YAML syntax error is reported: the
// line and column where the parser found the problem, never the line
// before the construct it was in (yaml.v3's message names that line,
// counted from 0, and no column), with the construct's start in the
// message.
func TestYAMLErrorPositions(t *testing.T) {
	for _, tc := range []struct {
		name, data string
		line, col  int
		msg        string
	}{
		// A "{" opened on line 2 that line 3 continues; the parser finds
		// the missing "," on line 4 (yaml.v3: "line 1").
		{"flowmap", "openapi: 3.0.3\ninfo: {title: t,\n  version: '1'\npaths: {}\n", 4, 1,
			"did not find expected ',' or '}' (while parsing a flow mapping at line 2, column 7)"},
		// A bad line 8 inside a block that starts on line 6 (yaml.v3: 7).
		{"line8", "openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\npaths:\n  /a:\n    get:\n      summary: \"x\" y\n      responses: {}\n", 8, 20,
			"did not find expected key"},
		{"unclosed", "openapi: 3.0.3\ninfo:\n  title: t\n  version: [1\npaths: {}\n", 5, 6,
			"(while parsing a flow sequence at line 4, column 12)"},
		{"tab", "openapi: 3.0.3\ninfo:\n  title: t\n\tversion: '1'\n", 4, 1, "found a tab character"},
		{"indent", "openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\n   bad: x\n", 5, 4,
			"did not find expected key (while parsing a block mapping at line 3, column 3)"},
		// A problem found at the end of the document is placed at the end
		// of its last line, not after its final line breaks.
		{"eof", "openapi: 3.0.3\ninfo: [1", 2, 9, "did not find expected ',' or ']' (while parsing a flow sequence at line 2, column 7)"},
		{"eofnl", "openapi: 3.0.3\r\ninfo: [\r\n\n", 2, 8, "did not find expected node content"},
		{"anchor", "openapi: 3.0.3\ninfo: *x\n", 2, 7, "unknown anchor 'x' referenced"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := load(t, tc.name+".yaml", tc.data, Options{})
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v, want a *ParseError", err)
			}
			if pe.Line != tc.line || pe.Column != tc.col {
				t.Errorf("at %d:%d, want %d:%d (%v)", pe.Line, pe.Column, tc.line, tc.col, err)
			}
			if !strings.HasPrefix(pe.Msg, "invalid YAML: ") || !strings.Contains(pe.Msg, tc.msg) {
				t.Errorf("message %q, want invalid YAML: ...%s...", pe.Msg, tc.msg)
			}
			if want := fmt.Sprintf("%s.yaml:%d:%d: invalid YAML: ", tc.name, tc.line, tc.col); !strings.Contains(err.Error(), want) {
				t.Errorf("error %q does not contain %q", err, want)
			}
		})
	}
}

// TestJSONErrorPositions pins where a JSON syntax error is reported: at
// the wrong byte (encoding/json's offset counts it as read), or just past
// the last character when the input ends too soon.
func TestJSONErrorPositions(t *testing.T) {
	for _, tc := range []struct {
		data      string
		line, col int
	}{
		{"{\n\"a\": 1,\n\"b\" 2}\n", 3, 5},
		{"{\n  \"openapi\": \"3.0.3\",\n  \"info\": {\"title\": \"t\",, }\n}\n", 3, 25},
		{"{\n  \"openapi\": \"3.0.3\",\n  \"info\": {\n\n", 3, 12},
		{"{\"openapi\": \"3.0.3\", \"paths\": {}}}", 1, 34},
	} {
		_, err := load(t, "s.json", tc.data, Options{})
		var pe *ParseError
		if !errors.As(err, &pe) || !strings.HasPrefix(pe.Msg, "invalid JSON: ") {
			t.Errorf("%q: %v, want an invalid JSON *ParseError", tc.data, err)
			continue
		}
		if pe.Line != tc.line || pe.Column != tc.col {
			t.Errorf("%q: at %d:%d, want %d:%d (%v)", tc.data, pe.Line, pe.Column, tc.line, tc.col, err)
		}
	}
}

// TestJSONNamedSpec: a spec named .json must be JSON. kin-openapi reads
// it as YAML, which takes a misspelt literal as a string and allows
// trailing commas; the JSON error is reported at its place. Another name
// keeps YAML's reading.
func TestJSONNamedSpec(t *testing.T) {
	const notJSON = "{\n  \"openapi\": \"3.0.3\",\n  \"info\": {\"title\": \"t\", \"version\": tru },\n  \"paths\": {}\n}\n"
	const trailing = "{\"openapi\": \"3.0.3\", \"info\": {\"title\": \"t\", \"version\": \"1\"}, \"paths\": {},}\n"
	for _, tc := range []struct {
		name, data, want string
	}{
		{"a.json", notJSON, "a.json:3:40: invalid JSON: invalid character ' ' in literal true"},
		{"b.JSON", trailing, "b.JSON:1:74: invalid JSON: invalid character '}'"},
		{"a.yaml", notJSON, ""},
		{"b.yaml", trailing, ""},
	} {
		d, err := load(t, tc.name, tc.data, Options{})
		if tc.want == "" {
			if err != nil || d.Spec == nil {
				t.Errorf("%s: %v", tc.name, err)
			}
			continue
		}
		var pe *ParseError
		if !errors.As(err, &pe) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want a *ParseError with %q", tc.name, err, tc.want)
		}
	}
	// A URL's path names it.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, notJSON)
	}))
	defer srv.Close()
	if _, err := Load(context.Background(), srv.URL+"/openapi.json?v=1", nil, Options{}); err == nil || !strings.Contains(err.Error(), "invalid JSON") {
		t.Errorf("URL .json: %v", err)
	}
	if _, err := Load(context.Background(), srv.URL+"/openapi", nil, Options{}); err != nil {
		t.Errorf("URL without .json: %v", err)
	}
}

// TestYAMLFlowSpec: a spec named .yaml that opens with "{" is YAML in
// flow style, not broken JSON.
func TestYAMLFlowSpec(t *testing.T) {
	const flow = "{openapi: 3.0.3, info: {title: t, version: '1'},\n paths: {/a: {get: {responses: {'200': {description: ok}}}}}}\n"
	for _, name := range []string{"flow.yaml", "flow.YML"} {
		d, err := load(t, name, flow, Options{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if d.Format != YAML || d.Spec.Paths.Find("/a") == nil {
			t.Errorf("%s: format %s, paths %v", name, d.Format, d.Spec.Paths.InMatchingOrder())
		}
		if p := d.Locate([]string{"/paths/~1a/get"})["/paths/~1a/get"]; p.Line != 2 {
			t.Errorf("%s: /paths/~1a/get at %+v, want line 2", name, p)
		}
	}
	// JSON in a .yaml file is still read as JSON.
	d, err := load(t, "json.yaml", "{\n\t\"openapi\": \"3.0.3\",\n\t\"info\": {\"title\": \"t\", \"version\": \"1\"},\n\t\"paths\": {}\n}\n", Options{})
	if err != nil || d.Format != JSON {
		t.Errorf("JSON in json.yaml: %v", err)
	}
	if _, err := load(t, "flow.json", flow, Options{}); err == nil || !strings.Contains(err.Error(), "flow.json:1:2: invalid JSON") {
		t.Errorf("flow.json: %v, want invalid JSON at 1:2", err)
	}
}

// TestRefSyntaxError: a document read for a $ref that does not parse is
// reported in that document, at the problem, not in the spec at a line of
// the other file.
func TestRefSyntaxError(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	writeFile := func(name, data string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	writeFile("api/schemas/pet.yaml", "type: object\nproperties: {a: {type: string},\n  b: 1\nx: y\n")
	writeFile("api/schemas/pet.json", "{\n  \"type\": \"object\",,\n}\n")
	writeFile("api/schemas/ok.yaml", "type: string\n")
	v3 := func(ref string) string {
		return "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    O:\n      $ref: schemas/ok.yaml\n    X:\n      $ref: " + ref + "\n"
	}
	writeFile("api/v3.yaml", v3("schemas/pet.yaml"))
	writeFile("api/v3json.yaml", v3("schemas/pet.json"))
	writeFile("api/v2.yaml", "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\ndefinitions:\n  X:\n    $ref: schemas/pet.yaml\n")
	for _, tc := range []struct {
		spec, want string
	}{
		{"api/v3.yaml", filepath.FromSlash("api/schemas/pet.yaml") + ":4:2: invalid YAML: did not find expected ',' or '}' (while parsing a flow mapping at line 2, column 13)"},
		{"api/v3json.yaml", filepath.FromSlash("api/schemas/pet.json") + ":2:20: invalid JSON: "},
		{"api/v2.yaml", filepath.FromSlash("api/schemas/pet.yaml") + ":4:2: invalid YAML: "},
	} {
		_, err := Load(context.Background(), tc.spec, nil, Options{})
		var pe *ParseError
		if !errors.As(err, &pe) || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%s: %v, want a *ParseError %q...", tc.spec, err, tc.want)
		}
	}
	// A document kin-openapi read (flow-style YAML, JSON with a trailing
	// comma) is no culprit: the real error, a missing file, is reported.
	writeFile("api/flow.yaml", "{Pet: {type: object, properties: {name: {type: string}}}}\n")
	writeFile("api/lenient.json", "{\"Pet\": {\"type\": \"object\",}}\n")
	writeFile("api/missing-ref.yaml", "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      $ref: flow.yaml#/Pet\n    B:\n      $ref: lenient.json#/Pet\n    Z:\n      $ref: missing.yaml#/Err\n")
	if _, err := Load(context.Background(), "api/missing-ref.yaml", nil, Options{}); err == nil || !strings.Contains(err.Error(), "missing.yaml") ||
		strings.Contains(err.Error(), "flow.yaml") || strings.Contains(err.Error(), "lenient.json") {
		t.Errorf("missing ref beside readable ones: %v", err)
	}
	// Nor is valid JSON that yaml.v3 would refuse (a key over 1,024
	// characters) beside a document kin-openapi cannot decode.
	writeFile("api/long.json", `{"type":"object","properties":{"`+strings.Repeat("x", 1100)+`":{"type":"string"}}}`)
	writeFile("api/typo.yaml", "type: object\nproperties: [1, 2]\n")
	writeFile("api/long-ref.yaml", "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      $ref: long.json\n    B:\n      $ref: typo.yaml\n")
	if _, err := Load(context.Background(), "api/long-ref.yaml", nil, Options{}); err == nil || strings.Contains(err.Error(), "long.json") {
		t.Errorf("valid JSON blamed: %v", err)
	}
	// The spec's own syntax error is still its own.
	writeFile("api/bad.yaml", "openapi: 3.0.3\ninfo: {title: t\n")
	if _, err := Load(context.Background(), "api/bad.yaml", nil, Options{}); err == nil || !strings.HasPrefix(err.Error(), filepath.FromSlash("api/bad.yaml")+":") {
		t.Errorf("spec's own error: %v", err)
	}
}

// aliasBomb is the "billion laughs" of YAML.
const aliasBomb = `a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
openapi: 3.0.3
`

func TestRefSandbox(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "api")
	os.MkdirAll(sub, 0o755)
	os.WriteFile(filepath.Join(dir, "secret.yaml"), []byte("type: string\n"), 0o644)
	os.WriteFile(filepath.Join(sub, "pet.yaml"), []byte("type: object\ndescription: a pet\n"), 0o644)
	spec := func(ref string) string {
		return "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    X:\n      $ref: '" + ref + "'\n"
	}
	write := func(ref string) string {
		p := filepath.Join(sub, "openapi.yaml")
		os.WriteFile(p, []byte(spec(ref)), 0o644)
		return p
	}
	ctx := context.Background()
	// Inside the tree: allowed.
	d, err := Load(ctx, write("pet.yaml"), nil, Options{})
	if err != nil {
		t.Fatalf("local ref: %v", err)
	}
	if got := d.Spec.Components.Schemas["X"].Value.Description; got != "a pet" {
		t.Errorf("ref not resolved: %q", got)
	}
	// Outside the tree, /etc/passwd, a URL: refused with a location.
	for _, ref := range []string{"../secret.yaml", "/etc/passwd", "http://127.0.0.1:1/x.yaml"} {
		_, err := Load(ctx, write(ref), nil, Options{})
		if err == nil {
			t.Errorf("%s: loaded", ref)
			continue
		}
		var re *RefError
		if !errors.As(err, &re) || re.Line != 7 {
			t.Errorf("%s: %v (want a RefError on line 7)", ref, err)
		}
		// The error names the flag that allows the read.
		flag := "(use --allow-outside-refs)"
		if strings.HasPrefix(ref, "http") {
			flag = "(use --allow-remote-refs)"
		}
		if !strings.Contains(err.Error(), "not allowed "+flag) {
			t.Errorf("%s: %v (want %q)", ref, err, "not allowed "+flag)
		}
	}
	// Allowed outside when asked.
	if _, err := Load(ctx, write("../secret.yaml"), nil, Options{AllowOutsideRefs: true}); err != nil {
		t.Errorf("AllowOutsideRefs: %v", err)
	}
	// A symlink in the tree that points out of it: refused, naming the flag.
	if err := os.Symlink(filepath.Join(dir, "secret.yaml"), filepath.Join(sub, "link.yaml")); err != nil {
		t.Skipf("symlink: %v", err)
	}
	_, err = Load(ctx, write("link.yaml"), nil, Options{})
	if want := "through a symlink: not allowed (use --allow-outside-refs)"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("symlink out of the tree: %v (want %q)", err, want)
	}
	if _, err := Load(ctx, write("link.yaml"), nil, Options{AllowOutsideRefs: true}); err != nil {
		t.Errorf("symlink with AllowOutsideRefs: %v", err)
	}
}

func TestCircularRefs(t *testing.T) {
	spec := `openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    A:
      type: object
      properties:
        b: {$ref: "#/components/schemas/B"}
    B:
      type: object
      properties:
        a: {$ref: "#/components/schemas/A"}
    Self:
      $ref: "#/components/schemas/Self"
`
	d, err := load(t, "c.yaml", spec, Options{})
	if err == nil {
		_ = d.Validate(context.Background())
	}
	// Either way it must return; an error must carry the file name.
	if err != nil && !strings.Contains(err.Error(), "c.yaml") {
		t.Errorf("error without a location: %v", err)
	}
}

func TestURLAndStdin(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/openapi.yaml":
			w.Write([]byte(petYAML))
		case "/big.yaml":
			w.Write([]byte(strings.Repeat("#", 2<<20)))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	ctx := context.Background()
	d, err := Load(ctx, srv.URL+"/openapi.yaml", nil, Options{})
	if err != nil || d.Spec.Paths.Len() != 1 || d.Name != srv.URL+"/openapi.yaml" {
		t.Fatalf("URL load: %v", err)
	}
	if _, err := Load(ctx, srv.URL+"/missing.yaml", nil, Options{}); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("missing URL: %v", err)
	}
	if _, err := Load(ctx, srv.URL+"/big.yaml", nil, Options{MaxBytes: 1 << 20}); err == nil || !strings.Contains(err.Error(), "limit") {
		t.Errorf("size limit: %v", err)
	}
	d, err = Load(ctx, "-", strings.NewReader(petJSON), Options{})
	if err != nil || d.Name != "<stdin>" || d.Format != JSON || d.Version != "3.1.0" {
		t.Fatalf("stdin: %v %+v", err, d)
	}
}

func TestValidateProblems(t *testing.T) {
	spec := `openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Age:
      type: integer
      example: old
    Bad:
      type: strange
`
	d, err := load(t, "v.yaml", spec, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ps := d.Validate(context.Background())
	got := map[string]ProblemKind{}
	for _, p := range ps {
		got[p.Pointer] = p.Kind
	}
	if got["/components/schemas/Age"] != Example {
		t.Errorf("Age: %v", ps)
	}
	if got["/components/schemas/Bad"] != Structure {
		t.Errorf("Bad: %v", ps)
	}
}

func TestFindKeys(t *testing.T) {
	for _, name := range []string{"p.yaml", "p.json"} {
		data := petYAML
		if name == "p.json" {
			data = petJSON
		}
		d, err := load(t, name, data, Options{ScanKeys: []string{"operationId", "type"}})
		if err != nil {
			t.Fatal(err)
		}
		ms := d.FindKeys("operationId")
		if len(ms) != 1 || ms[0].Value != "getPet" || ms[0].Pointer != "/paths/~1pets~1{id}/get" || ms[0].Line == 0 {
			t.Errorf("%s: %+v", name, ms)
		}
		if len(ms[0].Siblings) == 0 {
			t.Errorf("%s: no siblings", name)
		}
		if n := len(d.FindKeys("type")); n != 2 {
			t.Errorf("%s: %d type keys, want 2", name, n)
		}
	}
}
