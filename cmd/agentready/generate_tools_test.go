package main

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestGenerateToolsExitCodes pins the exit codes and streams of generate
// tools and generate mcp.
func TestGenerateToolsExitCodes(t *testing.T) {
	pet := filepath.Join("..", "..", "testdata", "generate", "tools", "petstore.json")
	out := t.TempDir()
	cases := []struct {
		name   string
		args   []string
		code   int
		stdout string // substring, or "" for none required
		stderr string
	}{
		{"tools to stdout", []string{"generate", "tools", pet, "--for", "openai"}, 0, `"name": "getPetById"`, "no findings"},
		{"report as json on stderr", []string{"generate", "tools", pet, "--for", "mcp", "-f", "json"}, 0, `"tools": [`, `"command": "generate tools"`},
		{"infos fail at --fail-on info", []string{"generate", "tools", pet, "--for", "mcp", "--strict", "--fail-on", "info", "-o", filepath.Join(out, "s.json")}, 1, "tools-approximation", ""},
		{"missing --for", []string{"generate", "tools", pet}, 2, "", "--for is required"},
		{"unknown target", []string{"generate", "tools", pet, "--for", "bard"}, 2, "", "unknown target"},
		{"bad selector", []string{"generate", "tools", pet, "--for", "openai", "--exclude", "method:GRAB"}, 2, "", "not an HTTP method"},
		{"missing spec", []string{"generate", "tools", filepath.Join(out, "nope.yaml"), "--for", "openai"}, 2, "", "nope.yaml"},
		{"mcp", []string{"generate", "mcp", pet, "-o", filepath.Join(out, "srv")}, 0, "no findings", ""},
		{"mcp without -o", []string{"generate", "mcp", pet}, 2, "", "-o DIR is required"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			t.Setenv("AGENTREADY_CONFIG", "")
			code := run(append(c.args, "--no-config"), strings.NewReader(""), &stdout, &stderr)
			if code != c.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, c.code, clip(stdout.String()), stderr.String())
			}
			if c.stdout != "" && !strings.Contains(stdout.String(), c.stdout) {
				t.Errorf("stdout lacks %q: %s", c.stdout, clip(stdout.String()))
			}
			if c.stderr != "" && !strings.Contains(stderr.String(), c.stderr) {
				t.Errorf("stderr lacks %q: %s", c.stderr, stderr.String())
			}
		})
	}
	// With the JSON on stdout, stdout is nothing but that JSON.
	var stdout, stderr bytes.Buffer
	if code := run([]string{"generate", "tools", pet, "--for", "gemini", "--no-config", "-f", "json"}, strings.NewReader(""), &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	var v []map[string]any
	if err := json.Unmarshal(stdout.Bytes(), &v); err != nil || len(v) != 1 {
		t.Errorf("stdout is not one Gemini tools array: %v", err)
	}
}

func clip(s string) string {
	if len(s) > 400 {
		return s[:400] + "..."
	}
	return s
}
