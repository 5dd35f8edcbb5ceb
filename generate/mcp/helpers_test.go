package mcp_test

import (
	"context"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/agentready/agentready/generate/ir"
	genmcp "github.com/agentready/agentready/generate/mcp"
	"github.com/agentready/agentready/internal/specload"
)

func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

func petstorePath() string {
	return filepath.Join(repoRoot(), "testdata", "generate", "tools", "petstore.json")
}

func loadAPI(t testing.TB, path string) *ir.API {
	t.Helper()
	d, err := specload.Load(context.Background(), path, nil, specload.Options{})
	if err != nil {
		t.Fatal(err)
	}
	api, err := ir.Build(d.Spec, genmcp.IROptions())
	if err != nil {
		t.Fatal(err)
	}
	return api
}

// writeModule generates the server for the spec at path into a new directory.
func writeModule(t testing.TB, path string, opts genmcp.Options) (string, *genmcp.Result) {
	t.Helper()
	res, err := genmcp.Generate(loadAPI(t, path), opts)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := res.Write(dir); err != nil {
		t.Fatal(err)
	}
	return dir, res
}
