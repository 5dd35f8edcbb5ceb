package tools_test

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/agentready/agentready/generate/ir"
	"github.com/agentready/agentready/internal/specload"
)

func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

func petstorePath() string {
	return filepath.Join(repoRoot(), "testdata", "generate", "tools", "petstore.json")
}

func loadDoc(t testing.TB, path string) *specload.Document {
	t.Helper()
	d, err := specload.Load(context.Background(), path, nil, specload.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func loadAPI(t testing.TB, path string) (*specload.Document, *ir.API) {
	t.Helper()
	d := loadDoc(t, path)
	api, err := ir.Build(d.Spec, ir.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return d, api
}

// npmSpecs is the node_modules directory where bench/tools.sh installs
// the big real-world specs (AGENTREADY_NPM_SPECS, default
// ~/.cache/agentready-bench/specs/node_modules).
func npmSpecs() string {
	if d := os.Getenv("AGENTREADY_NPM_SPECS"); d != "" {
		return d
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return ""
	}
	return filepath.Join(home, ".cache", "agentready-bench", "specs", "node_modules")
}

// realSpec returns the path of a spec installed under npmSpecs, or skips.
func realSpec(t testing.TB, rel string) string {
	t.Helper()
	p := filepath.Join(npmSpecs(), rel)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("%s not installed (run bench/tools.sh or set AGENTREADY_NPM_SPECS)", rel)
	}
	return p
}

const (
	githubSpec = "@octokit/openapi/generated/api.github.com.json"
	figmaSpec  = "@figma/rest-api-spec/openapi/openapi.yaml"
)
