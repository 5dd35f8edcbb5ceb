package lint

import (
	"os"
	"strings"
	"testing"

	"github.com/agentready/agentready/internal/golden"
)

const (
	tableStart = "<!-- lint-rules:start (go test ./lint -update) -->"
	tableEnd   = "<!-- lint-rules:end -->"
)

// TestREADMERuleTable keeps the README's rule table in step with the
// registry; -update rewrites it.
func TestREADMERuleTable(t *testing.T) {
	const path = "../README.md"
	data, err := os.ReadFile(path)
	if err != nil {
		t.Skip(err)
	}
	s := string(data)
	i, j := strings.Index(s, tableStart), strings.Index(s, tableEnd)
	if i < 0 || j < i {
		t.Fatalf("README.md has no %q ... %q markers", tableStart, tableEnd)
	}
	want := tableStart + "\n" + RuleMarkdown() + tableEnd
	got := s[i : j+len(tableEnd)]
	if got == want {
		return
	}
	if *golden.Update {
		if err := os.WriteFile(path, []byte(s[:i]+want+s[j+len(tableEnd):]), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("README.md's rule table is out of date: run go test ./lint -update")
}
