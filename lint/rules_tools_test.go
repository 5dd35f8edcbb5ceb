package lint

import (
	"context"
	"testing"

	"github.com/agentready/agentready/internal/specload"
)

// TestToolTokenBudget: lint.tool-token-budget moves the threshold of
// tool-list-tokens.
func TestToolTokenBudget(t *testing.T) {
	doc, err := specload.Load(context.Background(), fixtureDir+"/tool-tokens.yaml", nil, specload.Options{})
	if err != nil {
		t.Fatal(err)
	}
	rule := Lookup("tool-list-tokens")
	for _, c := range []struct {
		budget int
		want   int
	}{{0, 1}, {1000, 1}, {10_000_000, 0}} {
		res := Run(context.Background(), doc, Options{Rules: []*Rule{rule}, ToolTokenBudget: c.budget})
		if len(res.Findings) != c.want {
			t.Errorf("budget %d: %d findings, want %d: %v", c.budget, len(res.Findings), c.want, res.Findings)
		}
	}
}
