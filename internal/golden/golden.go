// Package golden compares test output with golden files and rewrites them
// when the tests run with -update.
//
// Golden files live in the testdata/golden directory of the package whose
// tests compare them, named after what they hold plus ".golden"
// (testdata/golden/lint.sarif.golden). Check and CheckDir take that name
// without the directory or the suffix, so every package keeps the same
// layout.
//
// Importing this package defines the -update flag. Every test package
// imports it, those without golden files too (a blank import), because
// `go test ./... -update` hands -update to every test binary and a binary
// that does not define it fails with "flag provided but not defined".
// This package's tests check that no test package is left out.
package golden

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/diff"
)

// Update is the -update flag: golden files (and other expectations a test
// keeps in the repository, such as testscript cmp sections and the README's
// rule table) are rewritten from the current output instead of compared.
var Update = flag.Bool("update", false, "rewrite golden files (testdata/golden), testscript cmp sections and generated README tables from the current output")

// Dir is the directory, relative to a package's directory, that holds its
// golden files.
var Dir = filepath.Join("testdata", "golden")

// maxDiffLines bounds the diff a failing Check prints; the rest is cut.
const maxDiffLines = 60

// Path returns the file that holds the golden output called name (a
// slash-separated path below Dir, without the ".golden" suffix).
func Path(name string) string {
	return filepath.Join(Dir, filepath.FromSlash(name)+".golden")
}

// Check compares got with the golden file called name and reports a
// difference as a test error with a diff and the command that rewrites
// it. Under -update it writes got to the file instead, creating
// directories as needed, and leaves a file that already holds got as it
// is.
func Check(t testing.TB, name string, got []byte) {
	t.Helper()
	path := Path(name)
	want, err := os.ReadFile(path)
	if *Update {
		if err == nil && bytes.Equal(want, got) {
			return
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("updated %s", path)
		return
	}
	if errors.Is(err, fs.ErrNotExist) {
		t.Errorf("%s does not exist: run %s to create it", path, Command())
		return
	}
	if err != nil {
		t.Error(err)
		return
	}
	if !bytes.Equal(want, got) {
		t.Errorf("%s differs from the output (-golden +got):\n%s\nIf the new output is right, run %s and review the diff.",
			path, shortDiff(path, want, got), Command())
	}
}

// CheckDir checks a set of outputs, keyed by slash-separated names, that
// together make up the golden directory called dir: each is compared as
// Check compares it, and a golden file in dir that is not in files is an
// error. Under -update such a file is removed, so that a file the code no
// longer produces does not linger.
func CheckDir(t testing.TB, dir string, files map[string][]byte) {
	t.Helper()
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		Check(t, dir+"/"+name, files[name])
	}
	root := filepath.Join(Dir, filepath.FromSlash(dir))
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		name, ok := strings.CutSuffix(filepath.ToSlash(rel), ".golden")
		if _, made := files[name]; ok && made {
			return nil
		}
		if *Update {
			t.Logf("removed %s", p)
			return os.Remove(p)
		}
		t.Errorf("%s matches no output: run %s to remove it", p, Command())
		return nil
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		t.Error(err)
	}
}

// Command returns the go test command that rewrites the golden files of
// the package under test, such as "go test ./report -update".
func Command() string {
	pkg := "."
	if wd, err := os.Getwd(); err == nil {
		for dir := wd; ; {
			if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
				if rel, err := filepath.Rel(dir, wd); err == nil && rel != "." {
					pkg = "./" + filepath.ToSlash(rel)
				}
				break
			}
			parent := filepath.Dir(dir)
			if parent == dir {
				break
			}
			dir = parent
		}
	}
	return "go test " + pkg + " -update"
}

// shortDiff is a unified diff of want and got, cut after maxDiffLines.
func shortDiff(path string, want, got []byte) string {
	d := string(diff.Diff(path, want, "got", got))
	if _, rest, ok := strings.Cut(d, "\n"); ok && strings.HasPrefix(d, "diff ") {
		d = rest // the ---/+++ lines that follow name the same two
	}
	lines := strings.SplitAfter(d, "\n")
	if len(lines) > maxDiffLines {
		lines = append(lines[:maxDiffLines], fmt.Sprintf("... (%d more lines)\n", len(lines)-maxDiffLines))
	}
	return strings.TrimSuffix(strings.Join(lines, ""), "\n")
}
