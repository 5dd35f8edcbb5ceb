package report

import (
	"strings"
	"testing"
)

// TestCheckBaseline: a --baseline that is not an agentready JSON report of
// the same command, in a schema version this build reads, is refused with
// a message naming what it is.
func TestCheckBaseline(t *testing.T) {
	for _, tc := range []struct {
		name, data, command, want string
	}{
		{"lint report", `{"schemaVersion": "1.0", "tool": {"name": "agentready"}, "command": "lint"}`, "lint", ""},
		{"minor version", `{"schemaVersion": "1.3", "tool": {"name": "agentready"}, "command": "audit"}`, "audit", ""},
		{"audit for lint", `{"schemaVersion": "1.0", "tool": {"name": "agentready"}, "command": "audit"}`, "lint", "an agentready audit report, not a lint report"},
		{"lint for audit", `{"schemaVersion": "1.0", "tool": {"name": "agentready"}, "command": "lint"}`, "audit", "an agentready lint report, not an audit report"},
		{"newer schema", `{"schemaVersion": "2.0", "tool": {"name": "agentready"}, "command": "lint"}`, "lint", "schema version 2.0, which this agentready (schema 1.0) does not read"},
		{"sarif", `{"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0", "runs": []}`, "lint", "a SARIF 2.1.0 log, not an agentready JSON report"},
		{"other tool", `{"schemaVersion": "1.0", "tool": {"name": "spectral"}, "command": "lint"}`, "lint", "a report of spectral"},
		{"bare findings", `{"findings": []}`, "lint", "not an agentready JSON report"},
		{"yaml", "openapi: 3.0.0\n", "lint", "not a JSON report"},
		{"array", `[1]`, "lint", "not a JSON report"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckBaseline("b.json", []byte(tc.data), tc.command)
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("error %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("error %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

// TestDidYouMean suggests the closest known ID for a typo, and nothing for
// a name that is not one.
func TestDidYouMean(t *testing.T) {
	ids := []string{"llms-txt", "operation-id-required", "operation-id-unique", "sitemap"}
	for in, want := range map[string]string{
		"operation-id-requried": ` (did you mean "operation-id-required"?)`,
		"llms-text":             ` (did you mean "llms-txt"?)`,
		"sitemaps":              ` (did you mean "sitemap"?)`,
		"nothing-like-a-rule":   "",
		"":                      "",
	} {
		if got := DidYouMean(in, ids); got != want {
			t.Errorf("DidYouMean(%q) = %q, want %q", in, got, want)
		}
	}
}
