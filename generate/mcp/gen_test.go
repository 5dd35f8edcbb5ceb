package mcp_test

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	genmcp "github.com/agentready/agentready/generate/mcp"
	"github.com/agentready/agentready/internal/golden"
)

// TestGolden pins the server's own sources for Petstore (the client package
// has its own tests) and checks they are identical run to run.
func TestGolden(t *testing.T) {
	gen := func() map[string][]byte {
		res, err := genmcp.Generate(loadAPI(t, petstorePath()), genmcp.Options{})
		if err != nil {
			t.Fatal(err)
		}
		return filesByName(res)
	}
	a, b := gen(), gen()
	for name, content := range a {
		if !bytes.Equal(content, b[name]) {
			t.Errorf("%s differs between runs", name)
		}
	}
	for _, name := range []string{"main.go", "handlers.go", "README.md", "go.mod"} {
		golden.Check(t, "petstore."+name, a[name])
	}
}

// TestDepsSum checks the embedded go.sum against this repository's: every
// module both list must have the same hashes, and the SDK must be there.
func TestDepsSum(t *testing.T) {
	ours := sums(t, filepath.Join(repoRoot(), "go.sum"))
	res, err := genmcp.Generate(loadAPI(t, petstorePath()), genmcp.Options{})
	if err != nil {
		t.Fatal(err)
	}
	files := filesByName(res)
	theirs := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(files["go.sum"]))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 3 {
			theirs[f[0]+" "+f[1]] = f[2]
		}
	}
	common := 0
	for k, v := range theirs {
		if w, ok := ours[k]; ok {
			common++
			if w != v {
				t.Errorf("%s: generated go.sum has %s, ours %s", k, v, w)
			}
		}
	}
	if _, ok := theirs["github.com/modelcontextprotocol/go-sdk "+genmcp.SDKVersion]; !ok {
		t.Error("generated go.sum lacks the SDK")
	}
	if common < 5 {
		t.Errorf("only %d go.sum lines in common with ours", common)
	}
	if !strings.Contains(string(files["go.mod"]), "github.com/modelcontextprotocol/go-sdk "+genmcp.SDKVersion) {
		t.Error("go.mod does not require the SDK")
	}
}

func sums(t *testing.T, path string) map[string]string {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) == 3 {
			m[f[0]+" "+f[1]] = f[2]
		}
	}
	return m
}

func TestNamesFromTitle(t *testing.T) {
	for title, want := range map[string]string{
		"Swagger Petstore": "swagger-petstore-mcp",
		"GitHub's official OpenAPI spec + Octokit extension": "github-official-openapi-mcp",
		"Figma API":  "figma-api-mcp",
		"Ünïcode 名前": "unicode-mcp",
		"名前":         "api-mcp",
		"":           "api-mcp",
	} {
		api := loadAPI(t, petstorePath())
		api.Title = title
		res, err := genmcp.Generate(api, genmcp.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got := string(filesByName(res)["go.mod"]); !strings.HasPrefix(got, "module example.com/"+want+"\n") {
			t.Errorf("%q: go.mod starts %q, want module example.com/%s", title, got[:40], want)
		}
	}
}
