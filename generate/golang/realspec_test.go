package golang_test

import (
	"bytes"
	"context"
	"go/format"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/agentready/agentready/generate/golang"
	"github.com/agentready/agentready/generate/ir"
	"github.com/agentready/agentready/internal/specload"
	"github.com/getkin/kin-openapi/openapi3"
)

// npmSpec returns a spec installed by .ci/run under $AGENTREADY_NPM_SPECS,
// or skips.
func npmSpec(tb testing.TB, rel string) string {
	tb.Helper()
	root := os.Getenv("AGENTREADY_NPM_SPECS")
	if root == "" {
		tb.Skip("AGENTREADY_NPM_SPECS not set")
	}
	p := filepath.Join(root, rel)
	if _, err := os.Stat(p); err != nil {
		tb.Skipf("%s not installed", rel)
	}
	return p
}

var (
	githubSpec = filepath.Join("@octokit", "openapi", "generated", "api.github.com.json")
	figmaSpec  = filepath.Join("@figma", "rest-api-spec", "openapi", "openapi.yaml")
	methodRE   = regexp.MustCompile(`(?m)^func \(c \*Client\) \w+\(ctx context\.Context, params \*\w+\) \(\*`)
)

// TestRealWorldSubset is CI's share of bench/generate_realworld: Figma's
// client must compile and vet clean, and GitHub's (1,000+ operations) must
// generate with no operation skipped; both must be exactly as gofmt prints them. Compiling GitHub's 200,000-line client
// takes minutes of CPU, so CI leaves it to the bench script unless
// AGENTREADY_BUILD_GITHUB=1.
func TestRealWorldSubset(t *testing.T) {
	for _, c := range []struct {
		name, rel string
	}{{"figma", figmaSpec}, {"github", githubSpec}} {
		t.Run(c.name, func(t *testing.T) {
			path := npmSpec(t, c.rel)
			d, err := specload.Load(context.Background(), path, nil, specload.Options{MaxBytes: 64 << 20})
			if err != nil {
				t.Fatal(err)
			}
			ops := 0
			for _, item := range d.Spec.Paths.Map() {
				ops += len(item.Operations())
			}
			api, err := ir.Build(d.Spec, golang.IROptions())
			if err != nil {
				t.Fatal(err)
			}
			files, err := golang.Generate(api, golang.Options{Package: c.name, Module: "example.test/" + c.name})
			if err != nil {
				t.Fatal(err)
			}
			methods := 0
			for _, f := range files {
				methods += len(methodRE.FindAll(f.Content, -1))
				if !strings.HasSuffix(f.Name, ".go") {
					continue
				}
				// The files are written in gofmt's form, not formatted:
				// real descriptions (lists, code, headings) must come out
				// as gofmt would print them.
				out, err := format.Source(f.Content)
				if err != nil {
					t.Fatalf("%s: %v", f.Name, err)
				}
				if !bytes.Equal(out, f.Content) {
					t.Errorf("%s is not gofmt'd", f.Name)
				}
			}
			if methods != ops {
				t.Errorf("%d client methods for %d operations", methods, ops)
			}
			dir := writeModule(t, files)
			if c.name == "github" {
				if os.Getenv("AGENTREADY_BUILD_GITHUB") == "1" {
					goCmd(t, dir, "build", "./...")
				}
			} else {
				goCmd(t, dir, "vet", "./...")
			}
		})
	}
}

func BenchmarkGeneratePetstore(b *testing.B) {
	d, err := specload.Load(context.Background(), fixture("petstore.yaml"), nil, specload.Options{})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		api, err := ir.Build(d.Spec, golang.IROptions())
		if err != nil {
			b.Fatal(err)
		}
		if _, err := golang.Generate(api, golang.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGitHub compares, in one run, a bare kin-openapi load of GitHub's
// spec with agentready's whole generation of its client from the same bytes
// (load, IR, render). The budget is 2x.
func BenchmarkGitHub(b *testing.B) {
	path := npmSpec(b, githubSpec)
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("kin-openapi-load", func(b *testing.B) {
		for b.Loop() {
			if _, err := openapi3.NewLoader().LoadFromData(data); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("generate-go", func(b *testing.B) {
		for b.Loop() {
			d, err := specload.LoadBytes(context.Background(), path, data, path, specload.Options{MaxBytes: 64 << 20})
			if err != nil {
				b.Fatal(err)
			}
			api, err := ir.Build(d.Spec, golang.IROptions())
			if err != nil {
				b.Fatal(err)
			}
			if _, err := golang.Generate(api, golang.Options{Package: "github"}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestFigmaClientBehaviour drives the client generated from a real spec,
// Figma's, on loopback (testdata/generate/figma_e2e): cursor pagination
// through a 429 whose Retry-After it honours, the X-Figma-Token API key,
// and a declared 404 as an *APIError carrying the typed body.
func TestFigmaClientBehaviour(t *testing.T) {
	path := npmSpec(t, figmaSpec)
	files := generate(t, path, "figma")
	test, err := os.ReadFile(fixture(filepath.Join("figma_e2e", "client_test.go")))
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, golang.File{Name: "client_test.go", Content: test})
	dir := writeModule(t, files)
	if out := goCmd(t, dir, "test", "-count=1", "./..."); !strings.Contains(out, "ok") {
		t.Fatalf("go test output: %s", out)
	}
}
