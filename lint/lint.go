package lint

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/agentready/agentready/internal/options"
	"github.com/agentready/agentready/internal/specload"
	"github.com/agentready/agentready/lint/breaking"
	"github.com/agentready/agentready/report"
)

// Config is everything a lint run takes, described once: the lint: section
// of .agentready.yaml (the fields with a yaml key) and lint's flags (the
// fields with a flag tag), which the CLI derives from these tags. Its zero
// value lints with the recommended preset; DefaultConfig is the zero value
// with the defaults the flags show.
type Config struct {
	// Policy holds the severity: overrides (by rule ID or category, "off"
	// turns a rule off) and the ignore: entries.
	report.Policy `yaml:",inline"`
	// Extends names the preset to start from: minimal, recommended
	// (the default) or all.
	Extends string `yaml:"extends" json:"extends,omitempty" flag:"extends" arg:"preset" help:"rule preset: minimal, recommended or all (default from config, else recommended)"`
	// Overrides change severities for some paths or operations only.
	Overrides []Override `yaml:"overrides" json:"overrides,omitempty"`
	// MinScore fails the run (Result.BelowMinScore) when the score is
	// below it; nil is no gate.
	MinScore *float64 `yaml:"min-score" json:"minScore,omitempty" flag:"min-score" arg:"N" help:"exit 1 when the agent-readiness score is below N (0-100)"`
	// AllowRemoteRefs lets $refs fetch URLs.
	AllowRemoteRefs bool `yaml:"allow-remote-refs" json:"allowRemoteRefs,omitempty" flag:"allow-remote-refs" help:"let $refs fetch http(s) URLs"`
	// AllowOutsideRefs lets $refs read files outside the spec's directory.
	AllowOutsideRefs bool `yaml:"-" json:"-" flag:"allow-outside-refs" help:"let $refs read files outside the spec's directory"`
	// MaxSize is the largest spec (and referenced file) to read, in MiB;
	// zero is specload.DefaultMaxBytes.
	MaxSize int64 `yaml:"-" json:"-" flag:"max-size" arg:"MiB" help:"largest spec to read, in MiB"`
	// Baseline is an earlier JSON report: its findings are not shown. The
	// score and MinScore still count them.
	Baseline string `yaml:"-" json:"-" flag:"baseline" arg:"FILE" help:"show only findings that are not in this earlier JSON report (FILE); the score and --min-score still count every finding"`
	// Base is an earlier version of the one spec linted, for the rules
	// that compare versions and the changelog: a file, a URL, or REV:PATH
	// read with git show.
	Base string `yaml:"-" json:"-" flag:"base" arg:"BASE" help:"compare with an earlier version of the spec (BASE: a file, a URL, or REV:PATH read with git show): breaking changes, the version-bump verdict, a changelog in markdown and json"`
	// Versioning declares the versioning policy the versioning rules hold
	// the spec to.
	Versioning Versioning `yaml:"versioning" json:"versioning,omitempty"`
	// ToolTokenBudget is the most tokens the tool definitions may cost
	// (rule tool-list-tokens); zero is DefaultToolTokenBudget.
	ToolTokenBudget int `yaml:"tool-token-budget" json:"toolTokenBudget,omitempty"`

	// Stdin is read for the source "-".
	Stdin io.Reader `yaml:"-" json:"-"`
	// Logf, when set, is told what the run is doing ("loading api.yaml").
	Logf func(format string, args ...any) `yaml:"-" json:"-"`
}

// DefaultConfig is the zero Config with the defaults lint's flags show.
func DefaultConfig() Config {
	return Config{MaxSize: specload.DefaultMaxBytes >> 20}
}

// Result is what Lint found in the specs, with the report's parts as data.
type Result struct {
	// Sources are the specs as they were named.
	Sources []string
	// Rules are the descriptors of the rules that ran, with their
	// effective severities, sorted by ID.
	Rules []report.Rule
	// Findings are what the rules found after severity overrides, inline
	// and config ignores, dedupe and the Baseline filter, sorted.
	Findings []report.Finding
	// Scores is the agent-readiness score, from every finding the ignores
	// kept (the Baseline does not hide findings from it); nil when the run
	// was interrupted.
	Scores *report.Scores
	// Operations is how many operations the specs have.
	Operations int
	// Changelog is the changes from Config.Base to the spec (nil without
	// a Base).
	Changelog *report.Changelog
	// Stats are the run's figures: changes by group, findings the
	// Baseline hid, operations.
	Stats []report.Stat
	// UnusedIgnores are the indexes of Config.Ignore entries that matched
	// no finding: they are stale, or mistyped, and hide nothing.
	UnusedIgnores []int
	// MinScore is the score gate applied (Config.MinScore), and
	// BelowMinScore whether the score failed it.
	MinScore      *float64
	BelowMinScore bool
	// Linted is how many of the sources were linted, and Interrupted
	// whether ctx was cancelled first: the report then says it is
	// incomplete.
	Linted      int
	Interrupted bool
	// Duration is how long the run took (zero when interrupted).
	Duration time.Duration
}

// Report is the result as a report for printers. Its Extra is a
// *report.ChangelogExtra when there is a changelog.
func (r *Result) Report() *report.Report {
	rep := &report.Report{
		Command:  "lint",
		Targets:  r.Sources,
		Rules:    r.Rules,
		Findings: r.Findings,
		Scores:   r.Scores,
		Stats:    r.Stats,
		Duration: r.Duration,
	}
	if r.Changelog != nil {
		rep.Extra = &report.ChangelogExtra{Changelog: r.Changelog}
	}
	if r.Interrupted {
		rep.Incomplete = fmt.Sprintf("interrupted after %d of %d specs", r.Linted, len(r.Sources))
	}
	return rep
}

// Lint is the whole lint of the specs named by sources (files, "-" for
// cfg.Stdin, or http(s) URLs): it checks cfg, resolves the rule set, loads
// each spec (and cfg.Base, concurrently), runs the rules, applies the
// inline and config ignores, scores, filters by cfg.Baseline and applies
// the MinScore gate. A setting it cannot use is an *options.Invalid; a
// spec that does not parse is a *specload.ParseError with its position.
//
// When ctx is cancelled, Lint returns what the specs linted so far found
// (no score; nil when none was) with ctx.Err().
func Lint(ctx context.Context, sources []string, cfg Config) (*Result, error) {
	if len(sources) == 0 {
		return nil, options.Invalidf("lint needs a SPEC (a file, - for stdin, or a URL)")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Base != "" && len(sources) != 1 {
		return nil, options.Invalidf("--base compares one SPEC with its earlier version; got %d specs", len(sources))
	}
	rs, err := NewRuleSet(cfg)
	if err != nil {
		return nil, err
	}
	var known *Baseline
	if cfg.Baseline != "" {
		if known, err = readBaselineFile(cfg.Baseline); err != nil {
			return nil, err
		}
	}
	logf := cfg.Logf
	if logf == nil {
		logf = func(string, ...any) {}
	}
	start := time.Now()
	lopts := specload.Options{
		AllowRemoteRefs:  cfg.AllowRemoteRefs,
		AllowOutsideRefs: cfg.AllowOutsideRefs,
		MaxBytes:         cfg.MaxSize << 20,
		ScanKeys:         ScanKeys,
	}
	// The base loads while the spec does: on a large spec each load is
	// seconds of decoding.
	type loaded struct {
		doc *specload.Document
		err error
	}
	var baseCh chan loaded
	if cfg.Base != "" {
		logf("loading base %s", cfg.Base)
		baseCh = make(chan loaded, 1)
		go func() {
			d, err := breaking.LoadBase(ctx, cfg.Base, lopts)
			baseCh <- loaded{d, err}
		}()
	}
	res := &Result{Sources: sources, Rules: rs.Descriptors(), MinScore: cfg.MinScore}
	linted := 0
	// interrupted is the partial result of a cancelled run.
	interrupted := func() (*Result, error) {
		if linted == 0 {
			return nil, ctx.Err()
		}
		res.Linted, res.Interrupted = linted, true
		_, err := res.process(cfg.Policy)
		return res, errors.Join(err, ctx.Err())
	}
	var baseDoc *specload.Document
	for _, src := range sources {
		logf("loading %s", src)
		doc, err := specload.Load(ctx, src, cfg.Stdin, lopts)
		if err != nil {
			if ctx.Err() != nil {
				return interrupted()
			}
			return nil, specError(err) // the base's goroutine ends on its own: baseCh is buffered
		}
		if baseCh != nil {
			b := <-baseCh
			baseCh = nil
			if b.err != nil {
				if ctx.Err() != nil {
					return interrupted()
				}
				return nil, baseError(cfg.Base, b.err)
			}
			baseDoc = b.doc
		}
		logf("linting %s (OpenAPI %s, %s)", doc.Name, doc.Version, doc.Format)
		if baseDoc != nil {
			if err := breaking.Comparable(baseDoc, doc); err != nil {
				return nil, fmt.Errorf("--base: %w", err)
			}
		}
		run := Run(ctx, doc, Options{Rules: rs.Rules(), Base: baseDoc, Versioning: cfg.Versioning, ToolTokenBudget: cfg.ToolTokenBudget})
		if baseDoc != nil {
			if res.Changelog, err = changelog(baseDoc, doc, run.Base); err != nil {
				return nil, err
			}
			for _, grp := range res.Changelog.Groups {
				res.Stats = append(res.Stats, report.Stat{Name: "changes from base: " + grp.ID, Value: int64(len(grp.Entries))})
			}
		}
		res.Findings = append(res.Findings, rs.Apply(doc, run.Findings)...)
		res.Operations += run.Operations
		linted++
		if ctx.Err() != nil {
			return interrupted()
		}
	}
	// Ignores apply before the score, so that a team's accepted findings
	// do not count against it.
	if res.UnusedIgnores, err = res.process(cfg.Policy); err != nil {
		return nil, err
	}
	// The score is the spec's, from every finding: a baseline hides known
	// findings from the output (and so from --fail-on, which counts what is
	// shown), never from the score that MinScore gates on.
	res.Scores = Score(res.Findings, res.Operations)
	if known != nil {
		var dropped int
		res.Findings, dropped = known.Filter(res.Findings)
		res.Stats = append(res.Stats, report.Stat{Name: report.StatBaselineHidden, Value: int64(dropped)})
	}
	res.Stats = append(res.Stats, report.Stat{Name: "operations", Value: int64(res.Operations)})
	// The gate compares the score as printed (report.ShownScore).
	res.BelowMinScore = res.MinScore != nil && report.ShownScore(res.Scores.Overall) < *res.MinScore
	res.Linted = linted
	res.Duration = time.Since(start)
	return res, nil
}

// process runs report.Process, once, over the findings and rules: the
// config's ignores (the rule set applied the severities), dedupe, sort.
// It returns the ignore entries that matched nothing.
func (r *Result) process(p report.Policy) ([]int, error) {
	rep := &report.Report{Rules: r.Rules, Findings: r.Findings}
	unused, err := report.ProcessUnused(rep, report.Policy{Ignore: p.Ignore})
	r.Rules, r.Findings = rep.Rules, rep.Findings
	return unused, err
}

// maxBaselineBytes bounds the --baseline report: it is read whole.
const maxBaselineBytes = 256 << 20

// readBaselineFile reads the --baseline report, refusing one that is not
// an agentready lint JSON report (report.CheckBaseline).
func readBaselineFile(name string) (*Baseline, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("--baseline: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxBaselineBytes+1))
	if err != nil {
		return nil, fmt.Errorf("--baseline: %w", err)
	}
	if len(data) > maxBaselineBytes {
		return nil, fmt.Errorf("--baseline %s: larger than %d MiB", name, maxBaselineBytes>>20)
	}
	if err := report.CheckBaseline(name, data, "lint"); err != nil {
		return nil, err
	}
	b, err := ReadBaseline(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("--baseline %s: %w", name, err)
	}
	return b, nil
}

// changelog is the changes from base to spec, from the comparison the lint
// run made (or a new one when every --base rule is off).
func changelog(base, spec *specload.Document, res *breaking.Result) (*report.Changelog, error) {
	if res == nil {
		var err error
		if res, err = breaking.Compare(base, spec); err != nil {
			return nil, fmt.Errorf("--base: %w", err)
		}
	}
	return res.Changelog(base.Name, spec.Name, res.Locations(base, spec)), nil
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

// specError is a load failure as the user sees it: a parse error is input
// the user must fix, reported at its file:line:col.
func specError(err error) error {
	var pe *specload.ParseError
	if errors.As(err, &pe) {
		return pe
	}
	return err
}
