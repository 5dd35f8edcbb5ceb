package report

import (
	"fmt"
	"io"
	"testing"
)

// bigReport is a lint run over 100 files with 100 findings each.
func bigReport() *Report {
	r := lintFixture()
	r.Findings = nil
	for file := range 100 {
		for i := range 100 {
			rl := lintRules[(file+i)%len(lintRules)]
			r.Findings = append(r.Findings, Finding{
				RuleID: rl.ID, Severity: rl.Severity, Category: rl.Category,
				Message:  fmt.Sprintf("operation %d of file %d breaks %s", i, file, rl.Title),
				Location: Location{File: fmt.Sprintf("/repo/api/spec%03d.yaml", file), Pointer: fmt.Sprintf("/paths/~1op%d/get", i), Line: 10 + i*7, Column: 5},
			})
		}
	}
	return r
}

func BenchmarkPrint(b *testing.B) {
	r := bigReport()
	if err := Process(r, Policy{}); err != nil {
		b.Fatal(err)
	}
	for _, format := range builtinFormats {
		b.Run(format, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := Print(io.Discard, format, r, PrintOptions{BaseDir: "/repo"}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(r.Findings))*float64(b.N)/b.Elapsed().Seconds(), "findings/s")
		})
	}
}

func BenchmarkProcess(b *testing.B) {
	policy := Policy{
		Severity: map[string]string{"semantics": "info", "version-in-path": "off"},
		Ignore:   []Ignore{{Path: "/repo/**/spec00*.yaml"}, {Pointer: "/paths/~1op1"}},
	}
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		r := bigReport()
		b.StartTimer()
		if err := Process(r, policy); err != nil {
			b.Fatal(err)
		}
	}
}
