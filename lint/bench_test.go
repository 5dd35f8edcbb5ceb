package lint

import (
	"context"
	"os"
	"testing"

	"github.com/agentready/agentready/internal/specload"
)

// BenchmarkLintLargeSpec lints the spec named by AGENTREADY_BENCH_SPEC
// (GitHub's api.github.com.json, say; bench/lint installs it).
func BenchmarkLintLargeSpec(b *testing.B) {
	path := os.Getenv("AGENTREADY_BENCH_SPEC")
	if path == "" {
		b.Skip("AGENTREADY_BENCH_SPEC not set")
	}
	ctx := context.Background()
	for b.Loop() {
		doc, err := specload.Load(ctx, path, nil, specload.Options{ScanKeys: ScanKeys})
		if err != nil {
			b.Fatal(err)
		}
		res := Run(ctx, doc, Options{})
		if len(res.Findings) == 0 {
			b.Fatal("no findings")
		}
	}
}
