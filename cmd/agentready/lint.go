package main

import (
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/agentready/agentready/internal/specload"
	"github.com/agentready/agentready/lint"
	"github.com/agentready/agentready/lint/breaking"
	"github.com/agentready/agentready/report"
	"github.com/spf13/cobra"
)

// lintOpts are lint's flags.
type lintOpts struct {
	explain          string
	listRules        bool
	minScore         float64
	minScoreSet      bool
	baseline         string
	allowRemoteRefs  bool
	allowOutsideRefs bool
	extends          string
	maxSize          int64
	base             string
}

func newLintCmd(g *globalOpts) *cobra.Command {
	o := &lintOpts{}
	cmd := &cobra.Command{
		Use:   "lint [flags] SPEC...",
		Short: "Lint OpenAPI specs for what AI agents need",
		Long: `Lint OpenAPI 2.0, 3.0 and 3.1 specs (JSON or YAML) for what an AI agent needs
to choose an operation, fill its call, understand the answer, act safely and
authenticate as a machine, and for the structural problems of Spectral's
spectral:oas ruleset.

SPEC is a file, - for standard input, or an http(s) URL. Every finding has a
file, line, column and JSON pointer. The report carries an agent-readiness
score from 0 to 100 (--min-score fails the run below it).

Configure rules in the lint: section of .agentready.yaml (extends, severity,
overrides, ignore, min-score), or inline on any object of the spec with
x-agentready-ignore: {rule-id: "reason"}.`,
		Example: `  agentready lint openapi.yaml
  agentready lint --list-rules
  agentready lint --explain operation-id-tool-name
  agentready lint -f sarif=lint.sarif --min-score 80 api/openapi.json
  curl -s https://example.com/openapi.json | agentready lint -
  agentready lint --base origin/main:api/openapi.yaml -f markdown api/openapi.yaml`,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.minScoreSet = cmd.Flags().Changed("min-score")
			return runLint(cmd, g, o, args)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.explain, "explain", "", "print the documentation of `RULE` and exit")
	f.BoolVar(&o.listRules, "list-rules", false, "list every rule with its category, severity and preset, and exit")
	f.Float64Var(&o.minScore, "min-score", 0, "exit 1 when the agent-readiness score is below `N` (0-100)")
	f.StringVar(&o.baseline, "baseline", "", "show only findings that are not in this earlier JSON report (`FILE`); the score and --min-score still count every finding")
	f.BoolVar(&o.allowRemoteRefs, "allow-remote-refs", false, "let $refs fetch http(s) URLs")
	f.BoolVar(&o.allowOutsideRefs, "allow-outside-refs", false, "let $refs read files outside the spec's directory")
	f.StringVar(&o.extends, "extends", "", "rule `preset`: minimal, recommended or all (default from config, else recommended)")
	f.StringVar(&o.base, "base", "", "compare with an earlier version of the spec (`BASE`: a file, a URL, or REV:PATH read with git show): breaking changes, the version-bump verdict, a changelog in markdown and json")
	f.Int64Var(&o.maxSize, "max-size", specload.DefaultMaxBytes>>20, "largest spec to read, in `MiB`")
	g.printsReports(cmd, report.Standard())
	return cmd
}

func runLint(cmd *cobra.Command, g *globalOpts, o *lintOpts, args []string) error {
	path := cmd.CommandPath()
	if o.explain != "" {
		r := lint.Lookup(o.explain)
		if r == nil {
			return usageErrorf(path, "--explain: no rule %q (see agentready lint --list-rules)", o.explain)
		}
		_, err := fmt.Fprint(g.stdout, lint.Explain(r))
		return err
	}
	if o.listRules {
		return listRules(g)
	}
	if len(args) == 0 {
		return usageErrorf(path, "lint needs a SPEC (a file, - for stdin, or a URL)")
	}
	if o.minScoreSet && (o.minScore < 0 || o.minScore > 100) {
		return usageErrorf(path, "--min-score: %v is not between 0 and 100", o.minScore)
	}
	if o.base != "" && len(args) != 1 {
		return usageErrorf(path, "--base compares one SPEC with its earlier version; got %d specs", len(args))
	}
	cfg, err := g.config()
	if err != nil {
		return err
	}
	lc := cfg.Lint.Config
	if err := lc.Versioning.Validate(); err != nil {
		return err
	}
	if o.extends != "" {
		lc.Extends = o.extends
	}
	rs, err := lint.NewRuleSet(lc, cfg.Lint.Policy)
	if err != nil {
		return err
	}
	var base *lint.Baseline
	if o.baseline != "" {
		f, err := os.Open(o.baseline)
		if err != nil {
			return fmt.Errorf("--baseline: %w", err)
		}
		base, err = lint.ReadBaseline(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("--baseline %s: %w", o.baseline, err)
		}
	}
	tuneGC(g)
	ctx := cmd.Context()
	start := time.Now()
	rep := &report.Report{Command: "lint", Targets: args, Rules: rs.Descriptors()}
	ops := 0
	lopts := specload.Options{
		AllowRemoteRefs:  o.allowRemoteRefs || lc.AllowRemoteRefs,
		AllowOutsideRefs: o.allowOutsideRefs,
		MaxBytes:         o.maxSize << 20,
		ScanKeys:         lint.ScanKeys,
	}
	// The base loads while the spec does: on a large spec each load is
	// seconds of decoding.
	type loaded struct {
		doc *specload.Document
		err error
	}
	var baseCh chan loaded
	if o.base != "" {
		g.logf("loading base %s", o.base)
		baseCh = make(chan loaded, 1)
		go func() {
			d, err := breaking.LoadBase(ctx, o.base, lopts)
			baseCh <- loaded{d, err}
		}()
	}
	var baseDoc *specload.Document
	for _, src := range args {
		g.logf("loading %s", src)
		doc, err := specload.Load(ctx, src, g.stdin, lopts)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return specError(err) // the base's goroutine ends on its own: baseCh is buffered
		}
		if baseCh != nil {
			b := <-baseCh
			baseCh = nil
			if b.err != nil {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				return baseError(o.base, b.err)
			}
			baseDoc = b.doc
		}
		g.logf("linting %s (OpenAPI %s, %s)", doc.Name, doc.Version, doc.Format)
		if baseDoc != nil {
			if err := breaking.Comparable(baseDoc, doc); err != nil {
				return fmt.Errorf("--base: %w", err)
			}
		}
		res := lint.Run(ctx, doc, lint.Options{Rules: rs.Rules(), Base: baseDoc, Versioning: lc.Versioning})
		if baseDoc != nil {
			var cl *report.Changelog
			if cl, rep.Extra, err = changelog(baseDoc, doc, res.Base); err != nil {
				return err
			}
			for _, grp := range cl.Groups {
				rep.Stats = append(rep.Stats, report.Stat{Name: "changes from base: " + grp.ID, Value: int64(len(grp.Entries))})
			}
		}
		rep.Findings = append(rep.Findings, rs.Apply(doc, res.Findings)...)
		ops += res.Operations
		if ctx.Err() != nil {
			return errors.Join(g.emit(rep, report.Policy{Ignore: cfg.Lint.Ignore}), ctx.Err())
		}
	}
	// Ignores apply before the score, so that a team's accepted findings
	// do not count against it.
	unusedIgnores(g, cfg.Path, cfg.Lint.Ignore, rep.Findings)
	if err := report.Process(rep, report.Policy{Ignore: cfg.Lint.Ignore}); err != nil {
		return err
	}
	// The score is the spec's, from every finding: a baseline hides known
	// findings from the output (and so from --fail-on, which counts what is
	// shown), never from the score that --min-score gates on.
	rep.Scores = lint.Score(rep.Findings, ops)
	if base != nil {
		var dropped int
		rep.Findings, dropped = base.Filter(rep.Findings)
		rep.Stats = append(rep.Stats, report.Stat{Name: report.StatBaselineHidden, Value: int64(dropped)})
	}
	rep.Stats = append(rep.Stats, report.Stat{Name: "operations", Value: int64(ops)})
	rep.Duration = time.Since(start)
	emitErr := g.emit(rep, report.Policy{Ignore: cfg.Lint.Ignore})
	min, set := o.minScore, o.minScoreSet
	if !set && lc.MinScore != nil {
		min, set = *lc.MinScore, true
	}
	if set && rep.Scores.Overall < min {
		scoreErr := newThresholdError("agent-readiness score %.1f is below --min-score %g", rep.Scores.Overall, min)
		return errors.Join(emitErr, scoreErr)
	}
	return emitErr
}

// changelog is the changes from base to spec for Report.Extra, from the
// comparison the lint run made (or a new one when every --base rule is
// off).
func changelog(base, spec *specload.Document, res *breaking.Result) (*report.Changelog, any, error) {
	if res == nil {
		var err error
		if res, err = breaking.Compare(base, spec); err != nil {
			return nil, nil, fmt.Errorf("--base: %w", err)
		}
	}
	cl := res.Changelog(base.Name, spec.Name, res.Locations(base, spec))
	return cl, &report.ChangelogExtra{Changelog: cl}, nil
}

// baseError is a --base that could not be loaded: a parse error keeps its
// file:line:col; anything else says which flag it came from.
func baseError(base string, err error) error {
	var pe *specload.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("--base: %w", pe)
	}
	if strings.HasPrefix(err.Error(), "--base") {
		return err
	}
	return fmt.Errorf("--base %s: %w", base, err)
}

// specError turns a load failure into the error the user sees: a parse
// error is input the user must fix (exit 2) with file:line:col.
func specError(err error) error {
	var pe *specload.ParseError
	if errors.As(err, &pe) {
		return pe
	}
	return err
}

func listRules(g *globalOpts) error {
	var b strings.Builder
	rules := lint.Rules()
	w := 0
	for _, r := range rules {
		w = max(w, len(r.ID))
	}
	for _, r := range rules {
		fmt.Fprintf(&b, "%-*s  %-10s  %-7s  %-11s  %s\n", w, r.ID, r.Category, r.Severity, r.Preset, r.Title)
	}
	_, err := fmt.Fprint(g.stdout, b.String())
	return err
}

// tuneGC trades memory the linter has to spare for less garbage collection:
// decoding a large spec allocates a lot that lives until the end. Unless
// the user set GOGC or GOMEMLIMIT, collect at 300% growth under a 600 MiB
// soft limit (GitHub's 13 MB spec then peaks near 600 MiB, with about a
// quarter less CPU than the default).
func tuneGC(g *globalOpts) {
	if g.getenv("GOGC") != "" || g.getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetGCPercent(300)
	debug.SetMemoryLimit(600 << 20)
}

// unusedIgnores warns, on stderr, about ignore entries of the config that
// match no finding: they are stale, or mistyped, and hide nothing.
func unusedIgnores(g *globalOpts, cfgPath string, igs []report.Ignore, fs []report.Finding) {
	if g.quiet || len(igs) == 0 {
		return
	}
	all := len(report.Dedupe(slices.Clone(fs)))
	for i, ig := range igs {
		r := &report.Report{Findings: slices.Clone(fs)}
		if report.Process(r, report.Policy{Ignore: []report.Ignore{ig}}) != nil || len(r.Findings) < all {
			continue
		}
		fmt.Fprintf(g.stderr, "agentready: %s: lint.ignore[%d] (rule %q, path %q, pointer %q) matches no finding\n", cfgPath, i, ig.Rule, ig.Path, ig.Pointer)
	}
}
