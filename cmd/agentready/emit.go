package main

import (
	"fmt"
	"io"
	"os"

	"github.com/agentready/agentready/internal/options"
	"github.com/agentready/agentready/report"
	"github.com/charmbracelet/x/term"
	"github.com/mattn/go-isatty"
)

// emit is how a command prints its result. Every command that produces a
// report calls it once, at the end, with the report its library returned
// (report.Process has run on it there, once), and returns what it returns:
//
//	res, err := lint.Lint(ctx, args, cfg)
//	...
//	return g.emit(res.Report())
//
// emit fills rep.Tool, then writes every -f/--format output:
// the default is text on stdout; NAME=PATH writes a file atomically (a
// temporary file renamed into place, parent directories created). Every
// output is attempted even when one fails; write errors are joined and
// exit 2. Colour is on only for stdout when it is a terminal, --no-color is
// unset and NO_COLOR is empty; CLICOLOR_FORCE (not "0") forces it. -q and -v
// reach the printers as PrintOptions.Quiet and Verbose.
//
// When every output was written, emit returns a threshold error (exit 1) if
// findings reach --fail-on, else nil.
//
// When the run was interrupted (ctx cancelled by SIGINT), call emit with the
// partial report so the user keeps what was found, then return
// errors.Join(err, ctx.Err()): run exits 130 either way.
func (g *globalOpts) emit(rep *report.Report) error {
	if rep.Tool.Name == "" {
		rep.Tool = tool()
	}
	g.maxPerRule.Apply(rep)
	base := baseDir()
	err := g.printers.Write(rep, g.outputs, g.stdout, func(o report.Output) report.PrintOptions {
		opts := report.PrintOptions{Verbose: g.verbose, Quiet: g.quiet, BaseDir: base}
		if o.Path == "" {
			opts.Color, opts.Width = g.colorFor(g.stdout)
		}
		return opts
	}, func(o report.Output) { g.logf("wrote %s report to %s", o.Format, o.Path) })
	if err != nil {
		return err
	}
	if g.noFail {
		return nil
	}
	if n := rep.AtOrAbove(g.threshold); n > 0 {
		return &thresholdError{msg: fmt.Sprintf("%d %s at or above --fail-on %s", n, plural(n, "finding", "findings"), g.threshold), failOn: true}
	}
	return nil
}

// tool is agentready as a report names it.
func tool() report.Tool {
	return report.Tool{Name: "agentready", Version: buildInfo().Version, URI: projectURL}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// colorFor decides colour and width for a stream: colour only on a
// terminal, never with --no-color or NO_COLOR (https://no-color.org), and
// always with CLICOLOR_FORCE set to anything but "0" unless one of those
// says no.
func (g *globalOpts) colorFor(w io.Writer) (color bool, width int) {
	f, isFile := w.(*os.File)
	tty := isFile && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
	if tty {
		if cols, _, err := term.GetSize(f.Fd()); err == nil && cols > 0 {
			width = cols
		}
	}
	if g.noColor || g.getenv("NO_COLOR") != "" {
		return false, width
	}
	if v := g.getenv("CLICOLOR_FORCE"); v != "" && v != "0" {
		return true, width
	}
	return tty, width
}

// isTerminal reports whether w is a terminal: progress goes to stderr only
// then.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}

// baseDir is what SARIF URIs are made relative to: the repository root
// (the nearest directory up from the working directory holding .git), or
// the working directory outside a repository.
func baseDir() string {
	wd, err := os.Getwd()
	if err != nil {
		return ""
	}
	if root, ok := options.RepoRoot(wd, nil); ok {
		return root
	}
	return wd
}

// writeOutput writes bytes that are not a report (version, config) to
// where o says: stdout, or a file written atomically.
func (g *globalOpts) writeOutput(o report.Output, b []byte) error {
	if o.Path == "" {
		_, err := g.stdout.Write(b)
		return err
	}
	return report.WriteFile(o.Path, func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	})
}
