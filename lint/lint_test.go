package lint

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/agentready/agentready/internal/options"
	"github.com/agentready/agentready/report"
)

const lintSpec = `openapi: 3.0.3
info: {title: t, version: 1.0.0, description: d, contact: {email: a@example.com}}
servers: [{url: "https://api.example.com"}]
paths:
  /items:
    get:
      operationId: listItems
      summary: List items
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: array, items: {type: string}}
`

func writeSpec(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func stat(res *Result, name string) (int64, bool) {
	for _, s := range res.Stats {
		if s.Name == name {
			return s.Value, true
		}
	}
	return 0, false
}

// TestLint drives the whole lint as a library: ignores (one stale), the
// score, the min-score gate, the report.
func TestLint(t *testing.T) {
	spec := writeSpec(t, "api.yaml", lintSpec)
	ctx := context.Background()
	all, err := Lint(ctx, []string{spec}, DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(all.Findings, func(f report.Finding) bool { return f.RuleID == "operation-description" }) {
		t.Fatalf("no operation-description finding: the test proves nothing (%d findings)", len(all.Findings))
	}

	cfg := DefaultConfig()
	cfg.Ignore = []report.Ignore{{Rule: "path-query"}, {Rule: "operation-description"}}
	min := 100.0
	cfg.MinScore = &min
	res, err := Lint(ctx, []string{spec}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if slices.ContainsFunc(res.Findings, func(f report.Finding) bool { return f.RuleID == "operation-description" }) {
		t.Error("the ignored rule's finding is reported")
	}
	if !slices.Equal(res.UnusedIgnores, []int{0}) {
		t.Errorf("UnusedIgnores = %v, want [0] (path-query matches nothing)", res.UnusedIgnores)
	}
	if res.Scores == nil || res.Scores.Overall <= all.Scores.Overall {
		t.Errorf("score with the ignore %v, without %v: ignored findings must not count", res.Scores, all.Scores.Overall)
	}
	if !res.BelowMinScore || res.MinScore == nil || *res.MinScore != 100 {
		t.Errorf("gate: below %v, min %v; want below 100", res.BelowMinScore, res.MinScore)
	}
	if n, ok := stat(res, "operations"); !ok || n != 1 || res.Operations != 1 {
		t.Errorf("operations stat %d (%v), Operations %d; want 1", n, ok, res.Operations)
	}
	rep := res.Report()
	if rep.Command != "lint" || !slices.Equal(rep.Targets, []string{spec}) || len(rep.Rules) == 0 || rep.Scores != res.Scores || rep.Extra != nil {
		t.Errorf("report: %+v", rep)
	}
	if !slices.IsSortedFunc(rep.Rules, func(a, b report.Rule) int { return strings.Compare(a.ID, b.ID) }) {
		t.Error("rules are not sorted by ID")
	}

	// The same spec on standard input.
	cfg = DefaultConfig()
	cfg.Stdin = strings.NewReader(lintSpec)
	var logged []string
	cfg.Logf = func(format string, args ...any) { logged = append(logged, format) }
	stdin, err := Lint(ctx, []string{"-"}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(stdin.Findings) != len(all.Findings) || stdin.Scores.Overall != all.Scores.Overall {
		t.Errorf("stdin: %d findings, score %v; file: %d, %v", len(stdin.Findings), stdin.Scores.Overall, len(all.Findings), all.Scores.Overall)
	}
	if len(logged) == 0 {
		t.Error("Logf was not called")
	}
}

// TestLintBaseline pins that a baseline hides known findings from the
// result but not from the score.
func TestLintBaseline(t *testing.T) {
	spec := writeSpec(t, "api.yaml", lintSpec)
	ctx := context.Background()
	first, err := Lint(ctx, []string{spec}, DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	rep := first.Report()
	rep.Tool = report.Tool{Name: "agentready"}
	var b strings.Builder
	if err := report.Print(&b, "json", rep, report.PrintOptions{}); err != nil {
		t.Fatal(err)
	}
	cfg := DefaultConfig()
	cfg.Baseline = writeSpec(t, "base.json", b.String())
	res, err := Lint(ctx, []string{spec}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 0 {
		t.Errorf("%d findings shown, want none (all in the baseline)", len(res.Findings))
	}
	if n, _ := stat(res, report.StatBaselineHidden); n != int64(len(first.Findings)) {
		t.Errorf("baseline hid %d, want %d", n, len(first.Findings))
	}
	if res.Scores.Overall != first.Scores.Overall {
		t.Errorf("score with the baseline %v, want %v", res.Scores.Overall, first.Scores.Overall)
	}
}

// TestLintBase pins the --base comparison: the changelog, its stats and
// the report's Extra.
func TestLintBase(t *testing.T) {
	spec := writeSpec(t, "api.yaml", lintSpec)
	cfg := DefaultConfig()
	cfg.Base = writeSpec(t, "old.yaml", strings.Replace(strings.Replace(lintSpec, "1.0.0", "0.9.0", 1), "/items:", "/things:", 1))
	res, err := Lint(context.Background(), []string{spec}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if res.Changelog == nil || len(res.Changelog.Groups) == 0 {
		t.Fatalf("changelog: %+v", res.Changelog)
	}
	if _, ok := res.Report().Extra.(*report.ChangelogExtra); !ok {
		t.Errorf("Extra is %T, want *report.ChangelogExtra", res.Report().Extra)
	}
	if _, ok := stat(res, "changes from base: "+res.Changelog.Groups[0].ID); !ok {
		t.Errorf("no changelog stat in %v", res.Stats)
	}
}

// TestLintErrors pins which errors are the caller's settings
// (*options.Invalid) and that an interrupted run says so.
func TestLintErrors(t *testing.T) {
	spec := writeSpec(t, "api.yaml", lintSpec)
	ctx := context.Background()
	high := 101.0
	for _, tc := range []struct {
		name    string
		sources []string
		cfg     Config
		msg     string
		invalid bool
	}{
		{"no spec", nil, Config{}, "lint needs a SPEC", true},
		{"min-score", []string{spec}, Config{MinScore: &high}, "--min-score: 101 is not between 0 and 100", true},
		{"base of two", []string{spec, spec}, Config{Base: spec}, "--base compares one SPEC", true},
		{"preset", []string{spec}, Config{Extends: "most"}, "unknown preset", false},
		{"scheme", []string{spec}, Config{Versioning: Versioning{Scheme: "calver"}}, "is not a scheme", false},
		{"baseline", []string{spec}, Config{Baseline: spec}, "not a JSON report", false},
		{"missing spec", []string{spec + ".nope"}, Config{}, "api.yaml.nope", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Lint(ctx, tc.sources, tc.cfg)
			if err == nil || !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("err = %v, want %q", err, tc.msg)
			}
			var inv *options.Invalid
			if errors.As(err, &inv) != tc.invalid {
				t.Errorf("%v: *options.Invalid is %v, want %v", err, !tc.invalid, tc.invalid)
			}
			if res != nil {
				t.Errorf("a result with the error: %+v", res)
			}
		})
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	// Loading a file does not wait on ctx; the rules do not run: the
	// partial result has no score.
	res, err := Lint(cancelled, []string{spec}, Config{})
	if !errors.Is(err, context.Canceled) || res == nil || res.Scores != nil || res.Duration != 0 {
		t.Errorf("cancelled: err %v, result %v; want context.Canceled and a result without a score", err, res != nil)
	}
}
