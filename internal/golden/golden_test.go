package golden

import (
	"fmt"
	"go/build"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// recorder is a testing.TB that keeps the errors Check reports instead of
// failing the test that runs Check.
type recorder struct {
	testing.TB
	errs []string
}

func (r *recorder) Helper()                   {}
func (r *recorder) Logf(string, ...any)       {}
func (r *recorder) Error(args ...any)         { r.errs = append(r.errs, fmt.Sprint(args...)) }
func (r *recorder) Errorf(f string, a ...any) { r.errs = append(r.errs, fmt.Sprintf(f, a...)) }

// inModule makes a module in a temporary directory, moves into its
// package a/b, and sets -update to update for the test.
func inModule(t *testing.T, update bool) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.test\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	pkg := filepath.Join(dir, "a", "b")
	if err := os.MkdirAll(pkg, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(pkg)
	old := *Update
	*Update = update
	t.Cleanup(func() { *Update = old })
}

func write(t *testing.T, name, content string) {
	t.Helper()
	path := Path(name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func read(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(Path(name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestPath(t *testing.T) {
	if got, want := Path("petstore/client.go"), filepath.Join("testdata", "golden", "petstore", "client.go.golden"); got != want {
		t.Errorf("Path = %q, want %q", got, want)
	}
}

func TestCheck(t *testing.T) {
	inModule(t, false)
	write(t, "out", "one\ntwo\nthree\n")

	r := &recorder{TB: t}
	Check(r, "out", []byte("one\ntwo\nthree\n"))
	if len(r.errs) != 0 {
		t.Errorf("same output: %q", r.errs)
	}

	r = &recorder{TB: t}
	Check(r, "out", []byte("one\n2\nthree\n"))
	if len(r.errs) != 1 {
		t.Fatalf("different output: %d errors, want 1", len(r.errs))
	}
	for _, want := range []string{"-two\n", "+2\n", " one\n", "go test ./a/b -update"} {
		if !strings.Contains(r.errs[0], want) {
			t.Errorf("error lacks %q:\n%s", want, r.errs[0])
		}
	}

	r = &recorder{TB: t}
	Check(r, "missing", []byte("x"))
	if len(r.errs) != 1 || !strings.Contains(r.errs[0], "does not exist: run go test ./a/b -update") {
		t.Errorf("missing golden file: %q", r.errs)
	}
}

func TestCheckLongDiff(t *testing.T) {
	inModule(t, false)
	write(t, "long", strings.Repeat("a\n", 500))
	r := &recorder{TB: t}
	Check(r, "long", []byte(strings.Repeat("b\n", 500)))
	if len(r.errs) != 1 {
		t.Fatalf("%d errors, want 1", len(r.errs))
	}
	if n := strings.Count(r.errs[0], "\n"); n > maxDiffLines+5 {
		t.Errorf("error has %d lines, want the diff cut near %d", n, maxDiffLines)
	}
	if !strings.Contains(r.errs[0], "more lines)") {
		t.Errorf("error does not say the diff was cut:\n%s", r.errs[0])
	}
}

func TestCheckUpdate(t *testing.T) {
	inModule(t, true)
	write(t, "same", "kept\n")
	old := time.Now().Add(-time.Hour).Truncate(time.Second)
	if err := os.Chtimes(Path("same"), old, old); err != nil {
		t.Fatal(err)
	}
	write(t, "changed", "old\n")

	r := &recorder{TB: t}
	Check(r, "same", []byte("kept\n"))
	Check(r, "changed", []byte("new\n"))
	Check(r, "deep/new", []byte("created\n"))
	if len(r.errs) != 0 {
		t.Fatalf("under -update: %q", r.errs)
	}
	if got := read(t, "changed"); got != "new\n" {
		t.Errorf("changed golden file holds %q", got)
	}
	if got := read(t, "deep/new"); got != "created\n" {
		t.Errorf("new golden file holds %q", got)
	}
	if fi, err := os.Stat(Path("same")); err != nil || !fi.ModTime().Equal(old) {
		t.Errorf("a golden file that matched was rewritten (%v)", err)
	}
}

func TestCheckDir(t *testing.T) {
	inModule(t, false)
	write(t, "set/a.go", "a\n")
	write(t, "set/stale.go", "s\n")
	files := map[string][]byte{"a.go": []byte("a\n"), "b.go": []byte("b\n")}

	r := &recorder{TB: t}
	CheckDir(r, "set", files)
	if len(r.errs) != 2 || !strings.Contains(strings.Join(r.errs, "\n"), "b.go.golden does not exist") ||
		!strings.Contains(strings.Join(r.errs, "\n"), "stale.go.golden matches no output") {
		t.Errorf("errors: %q", r.errs)
	}

	*Update = true
	r = &recorder{TB: t}
	CheckDir(r, "set", files)
	if len(r.errs) != 0 {
		t.Fatalf("under -update: %q", r.errs)
	}
	if _, err := os.Stat(Path("set/stale.go")); !os.IsNotExist(err) {
		t.Errorf("stale golden file not removed (%v)", err)
	}
	if got := read(t, "set/b.go"); got != "b\n" {
		t.Errorf("b.go golden file holds %q", got)
	}
}

func TestCommandAtRoot(t *testing.T) {
	inModule(t, false)
	t.Chdir("../..")
	if got := Command(); got != "go test . -update" {
		t.Errorf("Command = %q", got)
	}
}

// TestEveryTestPackageImportsGolden keeps `go test ./... -update` working:
// a test package that does not import this package does not define
// -update, and its test binary would refuse the flag. Packages with no
// golden files import it blank:
//
//	_ "github.com/agentready/agentready/internal/golden" // defines -update
func TestEveryTestPackageImportsGolden(t *testing.T) {
	const self = "github.com/agentready/agentready/internal/golden"
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(file), "..", "..")
	ctx := build.Default
	checked := 0
	err := filepath.WalkDir(root, func(dir string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		name := d.Name()
		if dir != root && (name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
			return filepath.SkipDir
		}
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil && dir != root {
			return filepath.SkipDir // another module, not part of ./...
		}
		if dir == filepath.Dir(file) {
			return nil
		}
		entries, err := os.ReadDir(dir)
		if err != nil {
			return err
		}
		tests, imports := 0, false
		for _, e := range entries {
			if !strings.HasSuffix(e.Name(), "_test.go") {
				continue
			}
			if ok, err := ctx.MatchFile(dir, e.Name()); err != nil || !ok {
				continue // not built by a plain go test
			}
			tests++
			f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(dir, e.Name()), nil, parser.ImportsOnly)
			if err != nil {
				return err
			}
			for _, imp := range f.Imports {
				if p, _ := strconv.Unquote(imp.Path.Value); p == self {
					imports = true
				}
			}
		}
		if tests > 0 {
			checked++
			if !imports {
				rel, _ := filepath.Rel(root, dir)
				t.Errorf("./%s: no test file imports %s, so go test ./... -update fails there; add it (blank when the package has no golden files)",
					filepath.ToSlash(rel), self)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 10 {
		t.Errorf("found only %d test packages; is the walk rooted at the module?", checked)
	}
}
