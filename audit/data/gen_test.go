package data

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// sharedDir locates ../shared: $AGENTREADY_SHARED, else <repo root>/../shared.
func sharedDir(t *testing.T) string {
	if d := os.Getenv("AGENTREADY_SHARED"); d != "" {
		return d
	}
	d, _ := filepath.Abs("../../../shared")
	if _, err := os.Stat(filepath.Join(d, "data")); err != nil {
		t.Skip("../shared is absent")
	}
	return d
}

// TestGeneratedUpToDate regenerates the tables into a temporary folder and
// compares them with the committed files.
func TestGeneratedUpToDate(t *testing.T) {
	shared := sharedDir(t)
	out := t.TempDir()
	cmd := exec.Command("go", "run", "./internal/gen", "-shared", shared, "-out", out)
	cmd.Env = append(os.Environ(), "AGENTREADY_SHARED=")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("gen: %v\n%s", err, b)
	}
	for _, f := range []string{"aicrawlers_gen.go", "schemaorg_gen.go"} {
		got, _ := os.ReadFile(filepath.Join(out, f))
		want, _ := os.ReadFile(f)
		if !bytes.Equal(got, want) {
			t.Errorf("%s is stale: run go generate ./audit/data", f)
		}
	}
}
