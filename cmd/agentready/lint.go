package main

import (
	"errors"
	"fmt"
	"runtime/debug"

	"github.com/agentready/agentready/internal/options"
	"github.com/agentready/agentready/lint"
	"github.com/agentready/agentready/report"
	"github.com/spf13/cobra"
)

func newLintCmd(g *globalOpts) *cobra.Command {
	var explain string
	var listRules bool
	o := lint.DefaultConfig()
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
			switch {
			case explain != "":
				return explainRule(g, cmd.CommandPath(), explain)
			case listRules:
				return listLintRules(g, cmd.CommandPath())
			}
			return runLint(cmd, g, &o, args)
		},
	}
	f := cmd.Flags()
	f.StringVar(&explain, "explain", "", "print the documentation of `RULE` and exit")
	f.BoolVar(&listRules, "list-rules", false, "list every rule with its category, severity and preset (-f text, json or markdown), and exit")
	options.Bind(f, &o)
	g.printsReports(cmd, report.Standard())
	return cmd
}

// runLint lints with o, the flags merged over the config file's lint:
// section.
func runLint(cmd *cobra.Command, g *globalOpts, o *lint.Config, args []string) error {
	cfg, err := g.config()
	if err != nil {
		return err
	}
	cfg.merge(cmd, o, &cfg.Lint, "lint")
	o.Stdin, o.Logf = g.stdin, g.logf
	tuneGC(g)
	ctx := cmd.Context()
	res, err := lint.Lint(ctx, args, *o)
	if err != nil {
		if res != nil && ctx.Err() != nil {
			// Interrupted: the user keeps what was found (marked incomplete).
			return errors.Join(g.emit(res.Report()), err)
		}
		return err
	}
	if !g.quiet {
		for _, i := range res.UnusedIgnores {
			ig := o.Ignore[i]
			fmt.Fprintf(g.stderr, "agentready: %s: lint.ignore[%d] (rule %q, path %q, pointer %q) matches no finding\n", cfg.Path, i, ig.Rule, ig.Path, ig.Pointer)
		}
	}
	emitErr := g.emit(res.Report())
	if res.BelowMinScore {
		return errors.Join(emitErr, newThresholdError("agent-readiness score %g is below --min-score %g", report.ShownScore(res.Scores.Overall), *res.MinScore))
	}
	return emitErr
}

// listLintRules prints --list-rules to every -f output.
func listLintRules(g *globalOpts, cmdPath string) error {
	for _, o := range g.outputs {
		b, err := lint.RuleList(o.Format, tool())
		if err != nil {
			return usageErrorf(cmdPath, "%v", err)
		} else if err := g.writeOutput(o, b); err != nil {
			return err
		}
	}
	return nil
}

// explainRule prints --explain's rule documentation.
func explainRule(g *globalOpts, cmdPath, id string) error {
	r := lint.Lookup(id)
	if r == nil {
		return usageErrorf(cmdPath, "--explain: no rule %q (see agentready lint --list-rules)", id)
	}
	_, err := fmt.Fprint(g.stdout, lint.Explain(r))
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
