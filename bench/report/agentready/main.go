// Command agentready is the agentready side of bench/report.sh: it writes
// the benchmark's input (a JSON report of many findings) and times every
// printer on it, printing "format median-ms bytes" lines.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"time"

	"github.com/agentready/agentready/report"
)

func main() {
	gen := flag.String("gen", "", "write a JSON report of -findings findings to this file and exit")
	n := flag.Int("findings", 10000, "findings in the generated report")
	in := flag.String("in", "", "JSON report to print")
	runs := flag.Int("runs", 5, "timed runs per format (after one warm-up)")
	flag.Parse()
	if err := run(*gen, *n, *in, *runs); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(gen string, n int, in string, runs int) error {
	if gen != "" {
		f, err := os.Create(gen)
		if err != nil {
			return err
		}
		if err := report.Print(f, "json", generate(n), report.PrintOptions{}); err != nil {
			return err
		}
		return f.Close()
	}
	data, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	var r report.Report
	if err := json.Unmarshal(data, &r); err != nil {
		return fmt.Errorf("%s: %v", in, err)
	}
	wd, _ := os.Getwd()
	for _, format := range []string{"text", "json", "sarif", "junit", "github", "markdown"} {
		var out bytes.Buffer
		times := make([]time.Duration, 0, runs)
		for i := range runs + 1 {
			out.Reset()
			start := time.Now()
			// The report is printed as the CLI does: into a buffered file
			// here, io.Discard would hide nothing since printers buffer.
			if err := report.Print(&out, format, &r, report.PrintOptions{BaseDir: wd}); err != nil {
				return err
			}
			if i > 0 {
				times = append(times, time.Since(start))
			}
		}
		slices.Sort(times)
		fmt.Printf("%s %.1f %d\n", format, float64(times[len(times)/2].Microseconds())/1000, out.Len())
		_, _ = io.Copy(io.Discard, &out)
	}
	return nil
}

// generate makes a lint-like report: 100 spec files, 40 rules, findings
// spread over them with all four severities.
func generate(n int) *report.Report {
	r := &report.Report{
		Tool:    report.Tool{Name: "agentready", Version: "bench"},
		Command: "lint",
	}
	for i := range 40 {
		r.Rules = append(r.Rules, report.Rule{
			ID: fmt.Sprintf("rule-%02d", i), Title: fmt.Sprintf("rule %d wants something", i),
			Doc: "Why it matters.\n\nHow to fix it.", Severity: report.Severity(i % 4), Category: "semantics",
			HelpURI: fmt.Sprintf("https://example.com/rules/rule-%02d", i),
		})
	}
	for i := range n {
		rl := r.Rules[i%len(r.Rules)]
		file := fmt.Sprintf("specs/api%03d.yaml", i%100)
		r.Findings = append(r.Findings, report.Finding{
			RuleID: rl.ID, Severity: rl.Severity, Category: rl.Category,
			Message:  fmt.Sprintf("operation op%d of %s breaks %s: say more", i, file, rl.Title),
			Location: report.Location{File: file, Pointer: fmt.Sprintf("/paths/~1op%d/get", i), Line: 1 + i/100*3, Column: 5, EndLine: 1 + i/100*3, EndColumn: 12},
		})
	}
	if err := report.Process(r, report.Policy{}); err != nil {
		panic(err)
	}
	return r
}
