package golang_test

import (
	"bytes"
	"context"
	"go/ast"
	"go/format"
	"go/parser"
	"go/scanner"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/agentready/agentready/generate/golang"
	"github.com/agentready/agentready/generate/ir"
	"github.com/agentready/agentready/internal/golden"
	"github.com/agentready/agentready/internal/specload"
)

func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

func fixture(name string) string { return filepath.Join(repoRoot(), "testdata", "generate", name) }

func generate(t testing.TB, spec, pkg string) []golang.File {
	t.Helper()
	d, err := specload.Load(context.Background(), spec, nil, specload.Options{})
	if err != nil {
		t.Fatal(err)
	}
	api, err := ir.Build(d.Spec, golang.IROptions())
	if err != nil {
		t.Fatal(err)
	}
	files, err := golang.Generate(api, golang.Options{Package: pkg, Module: "example.test/" + pkg})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// goTool returns the go command, or skips the test when there is none.
// go test puts its own GOROOT/bin first in PATH, so this is the go that
// runs the test.
func goTool(t testing.TB) string {
	t.Helper()
	p, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to compile generated code with")
	}
	return p
}

// writeModule writes files into a fresh directory and returns it.
func writeModule(t testing.TB, files []golang.File) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(dir, f.Name), f.Content, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// goCmd runs the go command in dir, offline, and fails the test on error.
func goCmd(t testing.TB, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command(goTool(t), args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off", "GOPROXY=off", "GOTOOLCHAIN=local")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go %s in %s: %v\n%s", strings.Join(args, " "), dir, err, out)
	}
	return string(out)
}

func TestGolden(t *testing.T) {
	for _, name := range []string{"petstore", "naming"} {
		t.Run(name, func(t *testing.T) {
			files := map[string][]byte{}
			for _, f := range generate(t, fixture(name+".yaml"), name) {
				files[f.Name] = f.Content
			}
			golden.CheckDir(t, name, files)
		})
	}
}

// TestGofmtStable checks that every generated file is exactly what gofmt
// makes of it (client.go joins a pre-formatted runtime to a formatted tail;
// models and operations files are written in canonical form directly).
func TestGofmtStable(t *testing.T) {
	for _, name := range []string{"petstore", "naming", "hostile", "same", "docs"} {
		for _, f := range generate(t, fixture(name+".yaml"), name) {
			if !strings.HasSuffix(f.Name, ".go") {
				continue
			}
			out, err := format.Source(f.Content)
			if err != nil {
				t.Fatalf("%s/%s: %v", name, f.Name, err)
			}
			if !bytes.Equal(out, f.Content) {
				t.Errorf("%s/%s is not gofmt'd", name, f.Name)
			}
		}
	}
}

func TestDeterministic(t *testing.T) {
	a := generate(t, fixture("petstore.yaml"), "p")
	for i := 0; i < 3; i++ {
		b := generate(t, fixture("petstore.yaml"), "p")
		for j := range a {
			if !bytes.Equal(a[j].Content, b[j].Content) {
				t.Fatalf("run %d: %s differs", i, a[j].Name)
			}
		}
	}
}

// TestCompiles builds and vets the code generated for every fixture
// (media_choice: a runtime section needed only by a body's other media
// types, which remove.bg's and selectpdf's clients lacked).
func TestCompiles(t *testing.T) {
	for _, name := range []string{"petstore", "naming", "hostile", "multipart_any", "media_choice"} {
		t.Run(name, func(t *testing.T) {
			dir := writeModule(t, generate(t, fixture(name+".yaml"), name))
			goCmd(t, dir, "vet", "./...")
		})
	}
}

// TestGeneratedClientBehaviour runs testdata/generate/petstore_e2e against
// the client generated from petstore.yaml: retries and Retry-After,
// idempotency keys, pagination of every kind, OAuth2 client credentials,
// typed errors, parameter styles, bodies and JSON round trips, all against
// httptest servers.
func TestGeneratedClientBehaviour(t *testing.T) {
	files := generate(t, fixture("petstore.yaml"), "petstore")
	test, err := os.ReadFile(fixture(filepath.Join("petstore_e2e", "client_test.go")))
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, golang.File{Name: "client_test.go", Content: test})
	dir := writeModule(t, files)
	out := goCmd(t, dir, "test", "-count=1", "./...")
	if !strings.Contains(out, "ok") {
		t.Fatalf("go test output: %s", out)
	}
}

// TestWireBehaviour runs testdata/generate/wire_e2e against the client
// generated from wire.yaml: what each request carries on the wire (path
// parameters escaped once, a missing one refused before sending, Stripe's
// deepObject form bodies, literal array delimiters in queries) and
// iterators that follow the next page the server names, on loopback.
func TestWireBehaviour(t *testing.T) {
	files := generate(t, fixture("wire.yaml"), "wire")
	test, err := os.ReadFile(fixture(filepath.Join("wire_e2e", "client_test.go")))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		// No pointer to a map or slice: nil already says "not set".
		for _, bad := range []string{"*[]", "*map["} {
			if i := bytes.Index(f.Content, []byte(bad)); i >= 0 {
				line := bytes.Count(f.Content[:i], []byte("\n")) + 1
				t.Errorf("%s:%d holds %q", f.Name, line, bad)
			}
		}
	}
	files = append(files, golang.File{Name: "client_test.go", Content: test})
	dir := writeModule(t, files)
	if out := goCmd(t, dir, "test", "-count=1", "./..."); !strings.Contains(out, "ok") {
		t.Fatalf("go test output: %s", out)
	}
}

// TestHostileSpec checks that a spec written to inject code yields code
// that compiles and holds none of the injected statements: every token of
// the payload stays inside a comment or a string literal.
func TestHostileSpec(t *testing.T) {
	files := generate(t, fixture("hostile.yaml"), "hostile")
	for _, f := range files {
		if !strings.HasSuffix(f.Name, ".go") {
			continue
		}
		fset := token.NewFileSet()
		file, err := parser.ParseFile(fset, f.Name, f.Content, 0)
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		for _, d := range file.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Name.Name == "init" {
				t.Errorf("%s: an injected func init was generated", f.Name)
			}
		}
		for _, imp := range file.Imports {
			if p, _ := strconv.Unquote(imp.Path.Value); p == "os" || p == "os/exec" {
				t.Errorf("%s imports %s", f.Name, p)
			}
		}
		var s scanner.Scanner
		s.Init(fset.File(file.Pos()), f.Content, nil, 0) // comments skipped
		for {
			_, tok, lit := s.Scan()
			if tok == token.EOF {
				break
			}
			if tok == token.IDENT && (lit == "pwned" || strings.Contains(lit, "pwned") && !strings.Contains(lit, "Pwned")) {
				t.Errorf("%s: identifier %q from the spec's payload reached the code", f.Name, lit)
			}
		}
	}
	dir := writeModule(t, files)
	goCmd(t, dir, "vet", "./...")
}

// TestRealSpecs generates and compiles a client for every spec under
// $AGENTREADY_SPECS (bench/generate_setup.sh fills such a directory). It
// is skipped when the variable is unset: CI runs a small subset.
func TestRealSpecs(t *testing.T) {
	root := os.Getenv("AGENTREADY_SPECS")
	if root == "" {
		t.Skip("AGENTREADY_SPECS not set")
	}
	var specs []string
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".json") || strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml")) {
			specs = append(specs, p)
		}
		return nil
	})
	sort.Strings(specs)
	for _, spec := range specs {
		rel, _ := filepath.Rel(root, spec)
		t.Run(rel, func(t *testing.T) {
			dir := writeModule(t, generate(t, spec, "client"))
			goCmd(t, dir, "vet", "./...")
		})
	}
}

// FuzzGenerate feeds arbitrary documents through load, IR and rendering: no
// input may panic, and whatever renders must be valid Go that gofmt leaves
// as it is (models and operations files are written in canonical form, not
// formatted, so this is checked here rather than by Generate).
func FuzzGenerate(f *testing.F) {
	for _, name := range []string{"petstore.yaml", "naming.yaml", "hostile.yaml", "same.yaml"} {
		b, err := os.ReadFile(fixture(name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"openapi":"3.1.0","info":{"title":"t","version":"1"},"paths":{"/a/{b}":{"get":{"responses":{"2XX":{"description":"x"}}}}},"components":{"schemas":{"A":{"allOf":[{"$ref":"#/components/schemas/B"}]},"B":{"allOf":[{"$ref":"#/components/schemas/A"}]}}}}`))
	f.Add([]byte(`{"swagger":"2.0","info":{"title":"t","version":"1"},"paths":{"/x":{"post":{"parameters":[{"in":"body","name":"b","schema":{"type":"object","properties":{"a":{"type":"array","items":{"$ref":"#/definitions/R"}}}}}],"responses":{"200":{"description":"ok"}}}}},"definitions":{"R":{"type":"object","properties":{"r":{"$ref":"#/definitions/R"}},"required":["r"]}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := specload.LoadBytes(context.Background(), "fuzz.yaml", data, "", specload.Options{MaxBytes: 1 << 20})
		if err != nil || d.Spec == nil {
			return
		}
		api, err := ir.Build(d.Spec, golang.IROptions())
		if err != nil {
			return
		}
		files, err := golang.Generate(api, golang.Options{})
		if err != nil {
			if _, ok := err.(*golang.FormatError); ok {
				t.Fatalf("generated invalid Go: %v", err)
			}
			return
		}
		for _, f := range files {
			out, err := format.Source(f.Content)
			if err != nil {
				t.Fatalf("generated invalid Go in %s: %v\n%s", f.Name, err, f.Content)
			}
			if !bytes.Equal(out, f.Content) {
				t.Fatalf("%s is not gofmt'd:\n%s", f.Name, f.Content)
			}
		}
	})
}

// TestSameTypes checks that repeated identical schemas become aliases of
// the first (keeping every name and enum constant) and that schemas that
// differ in anything the Go declaration shows (values, deprecation, Go
// type, field documentation) stay apart; then that the result compiles and
// that both names' constants and Valid work.
func TestSameTypes(t *testing.T) {
	files := generate(t, fixture("same.yaml"), "same")
	aliases := map[string]string{}
	declared := map[string]bool{}
	for _, f := range files {
		if !strings.HasPrefix(f.Name, "models") {
			continue
		}
		file, err := parser.ParseFile(token.NewFileSet(), f.Name, f.Content, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range file.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.TYPE {
				continue
			}
			for _, sp := range gd.Specs {
				ts := sp.(*ast.TypeSpec)
				declared[ts.Name.Name] = true
				if ts.Assign.IsValid() {
					if id, ok := ts.Type.(*ast.Ident); ok {
						aliases[ts.Name.Name] = id.Name
					}
				}
			}
		}
	}
	want := map[string]string{
		"BMode":      "AMode",  // same enum
		"AOther":     "AMode",  // same values in another order
		"BOwner":     "AOwner", // same object, its nested enum merged first
		"BOwnerKind": "AOwnerKind",
		"COwnerKind": "AOwnerKind",
	}
	for alias, target := range want {
		if got := aliases[alias]; got != target {
			t.Errorf("%s: alias of %q, want %q (aliases %v)", alias, got, target, aliases)
		}
	}
	for _, apart := range []string{"BLevel", "BDeprecatedMode", "COwner", "CCount", "CSize"} {
		if !declared[apart] {
			t.Errorf("%s not declared (aliases %v)", apart, aliases)
		} else if _, ok := aliases[apart]; ok {
			t.Errorf("%s is an alias of %s, want its own type", apart, aliases[apart])
		}
	}
	use := []byte(`package same

import "testing"

func TestNames(t *testing.T) {
	var a A
	var b B
	a.Mode, b.Mode = Ptr(AModeRead), Ptr(BModeWrite)
	a.Owner = b.Owner
	if !BModeRead.Valid() || !AOtherWrite.Valid() || BMode("admin").Valid() || !BLevelAdmin.Valid() {
		t.Fatal("Valid")
	}
	if !BOwnerKindBot.Valid() || !COwnerKindUser.Valid() {
		t.Fatal("Valid of a merged nested enum")
	}
}
`)
	dir := writeModule(t, append(files, golang.File{Name: "same_test.go", Content: use}))
	goCmd(t, dir, "vet", "./...")
	goCmd(t, dir, "test", "-count=1", "./...")
}

// TestDocComments checks that descriptions in HTML and Markdown become
// plain Go doc text in sentence style, that names follow Go's initialisms
// and that no optional map or slice is behind a pointer.
func TestDocComments(t *testing.T) {
	files := generate(t, fixture("docs.yaml"), "docs")
	var all strings.Builder
	for _, f := range files {
		all.Write(f.Content)
	}
	src := all.String()
	for _, want := range []string{
		"// Channel groups messages (https://example.test/messages) by topic.\n//\n// - one\n// - two\n//\n//\tGET /channels\ntype Channel struct {",
		"// Contact represents a contact.\ntype Contact struct {",
		"\ntype CreateChannelRequest struct {", // its title only repeats the name
		"// CreateChannel creates a channel.\n//\n// POST /channels\n//\n// Creates a channel. See the channel guide (https://example.test/docs/channels) & more.\n//\n// - first\n// - second\nfunc",
		"// GetContact gets contact.\n//\n// GET /contacts/{contactId}\nfunc",
		"// contactId (path), required: The contact's id.\n",
		"// Status200 is the body of a 200 response: The new channel\n",
		"\tHTMLURL *string ", "\tUserID   *string ", "\tIDs     []string ", "\tTaxIDs []string ", "\tMemberIDs []string ",
		"\tMap    map[string]string\n\tArray  []string\n",
		"// ChannelMetadata is set of key-value pairs.\n//\n// ChannelMetadata holds at least one of",
	} {
		if !strings.Contains(src, want) {
			t.Errorf("generated source lacks %q", want)
		}
	}
	for _, bad := range []string{"<p>", "<a ", "&amp;", "**", "`channel`", "Ids", "*map", "*[]", "CreateChannelRequest: "} {
		if strings.Contains(src, bad) {
			t.Errorf("generated source holds %q", bad)
		}
	}
	goCmd(t, writeModule(t, files), "vet", "./...")
}

// TestStreamsBehaviour runs testdata/generate/streams_e2e against the client
// generated from streams.yaml (OpenAPI 3.2): server-sent events and JSON
// Lines decode into typed items; QUERY is sent as the method.
func TestStreamsBehaviour(t *testing.T) {
	files := generate(t, fixture("streams.yaml"), "streams")
	test, err := os.ReadFile(fixture(filepath.Join("streams_e2e", "client_test.go")))
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, golang.File{Name: "client_test.go", Content: test})
	dir := writeModule(t, files)
	if out := goCmd(t, dir, "test", "-count=1", "./..."); !strings.Contains(out, "ok") {
		t.Fatalf("go test output: %s", out)
	}
}
