package tools_test

import (
	"context"
	"os"
	"testing"

	"github.com/agentready/agentready/generate/ir"
	"github.com/agentready/agentready/generate/tools"
	"github.com/agentready/agentready/internal/specload"
)

// BenchmarkGitHub times each stage on GitHub's spec (1,223 operations):
// the spec load (kin-openapi, the floor any tool built on it pays), the IR,
// and tool generation plus JSON encoding per target.
//
//	go test ./generate/tools -run '^$' -bench GitHub -benchtime 5x
func BenchmarkGitHub(b *testing.B) {
	path := realSpec(b, githubSpec)
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	load := func() *specload.Document {
		d, err := specload.LoadBytes(ctx, path, data, "", specload.Options{})
		if err != nil {
			b.Fatal(err)
		}
		return d
	}
	b.Run("load", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			load()
		}
	})
	doc := load()
	b.Run("ir", func(b *testing.B) {
		for b.Loop() {
			if _, err := ir.Build(doc.Spec, ir.Options{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	api, err := ir.Build(doc.Spec, ir.Options{})
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name   string
		target tools.Target
		strict bool
	}{
		{"openai", tools.OpenAI, false}, {"openai-strict", tools.OpenAI, true},
		{"anthropic", tools.Anthropic, false}, {"gemini-strict", tools.Gemini, true}, {"mcp", tools.MCP, false},
	} {
		b.Run("tools/"+c.name, func(b *testing.B) {
			var size int
			for b.Loop() {
				set, err := tools.Build(api, tools.Options{Target: c.target, Strict: c.strict})
				if err != nil {
					b.Fatal(err)
				}
				raw, err := set.Marshal()
				if err != nil {
					b.Fatal(err)
				}
				size = len(raw)
			}
			b.ReportMetric(float64(size), "out-bytes")
		})
	}
}
