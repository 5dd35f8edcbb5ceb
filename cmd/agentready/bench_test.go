package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/agentready/agentready/report"
)

// BenchmarkRunVersion is the in-process cost of one CLI invocation: the
// cobra tree with every command, flag parsing, validation, the printout.
func BenchmarkRunVersion(b *testing.B) {
	for b.Loop() {
		if code := run([]string{"version"}, strings.NewReader(""), io.Discard, io.Discard); code != 0 {
			b.Fatal(code)
		}
	}
}

// BenchmarkParseConfig parses a config with every section filled.
func BenchmarkParseConfig(b *testing.B) {
	var sb strings.Builder
	for _, section := range []string{"lint", "audit", "generate"} {
		fmt.Fprintf(&sb, "%s:\n  severity:\n", section)
		for i := range 50 {
			fmt.Fprintf(&sb, "    rule-%d: warning\n", i)
		}
		sb.WriteString("  ignore:\n")
		for i := range 50 {
			fmt.Fprintf(&sb, "    - rule: rule-%d\n      path: specs/%d/**\n      reason: because\n", i, i)
		}
	}
	data := []byte(sb.String())
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := parseConfig("c.yaml", data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEmitEveryFormat writes a 2,000-finding report in every
// registered format to files, as `-f text=… -f sarif=… …` does.
func BenchmarkEmitEveryFormat(b *testing.B) {
	dir := b.TempDir()
	g := &globalOpts{stdout: io.Discard, stderr: io.Discard, getenv: os.Getenv, noFail: true, printers: report.Standard()}
	for _, f := range g.printers.Names() {
		g.outputs = append(g.outputs, report.Output{Format: f, Path: filepath.Join(dir, "report."+f)})
	}
	var fs []report.Finding
	for i := range 2000 {
		fs = append(fs, report.Finding{
			RuleID: testRules[i%len(testRules)].ID, Severity: report.Severity(i % 4),
			Message:  fmt.Sprintf("finding %d", i),
			Location: report.Location{File: fmt.Sprintf("specs/api-%d.yaml", i%20), Line: i + 1, Column: 3, Pointer: fmt.Sprintf("/paths/~1p%d/get", i)},
		})
	}
	b.ReportMetric(float64(len(g.outputs)), "formats")
	for b.Loop() {
		rep := &report.Report{Command: "bench", Targets: []string{"specs"}, Rules: append([]report.Rule(nil), testRules...),
			Findings: append([]report.Finding(nil), fs...)}
		if err := report.Process(rep, report.Policy{}); err != nil {
			b.Fatal(err)
		}
		if err := g.emit(rep); err != nil {
			b.Fatal(err)
		}
	}
}
