package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestGenerateGoExitCodes(t *testing.T) {
	repo, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	petstore := filepath.Join(repo, "testdata", "generate", "petstore.yaml")
	naming := filepath.Join(repo, "testdata", "generate", "naming.yaml")
	dir := t.TempDir()
	broken := filepath.Join(dir, "broken.yaml")
	if err := os.WriteFile(broken, []byte("openapi: 3.0.0\ninfo: [\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		args []string
		code int
		want string // in stdout+stderr
	}{
		{"ok", []string{"generate", "go", "-q", petstore, "-o", filepath.Join(dir, "a")}, 0, ""},
		{"warnings do not fail", []string{"generate", "go", naming, "-o", filepath.Join(dir, "b")}, 0, "spec-invalid"},
		{"--fail-on warning", []string{"generate", "go", "--fail-on", "warning", naming, "-o", filepath.Join(dir, "c")}, 1, "spec-invalid"},
		{"no -o", []string{"generate", "go", petstore}, 2, "-o DIR is required"},
		{"no spec", []string{"generate", "go", "-o", dir}, 2, "accepts 1 arg"},
		{"no target", []string{"generate"}, 2, "needs a target"},
		{"unknown target", []string{"generate", "rust", petstore}, 2, ""},
		{"bad package", []string{"generate", "go", petstore, "-o", filepath.Join(dir, "d"), "--package", "func"}, 2, "not a Go identifier"},
		{"broken spec", []string{"generate", "go", broken, "-o", filepath.Join(dir, "e")}, 2, "broken.yaml:2"},
		{"missing spec", []string{"generate", "go", filepath.Join(dir, "nope.yaml"), "-o", filepath.Join(dir, "f")}, 2, "nope.yaml"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(append([]string{"--no-config"}, c.args...), strings.NewReader(""), &out, &errb)
			if code != c.code {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, c.code, out.String(), errb.String())
			}
			if c.want != "" && !strings.Contains(out.String()+errb.String(), c.want) {
				t.Errorf("output lacks %q\nstdout: %s\nstderr: %s", c.want, out.String(), errb.String())
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "e", "client.go")); err == nil {
		t.Errorf("a broken spec must not leave a client behind")
	}
}
