package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/agentready/agentready/report"
	"github.com/charmbracelet/x/term"
	"github.com/mattn/go-isatty"
)

// outputSpec is one -f/--format value: a format name and the file it goes
// to ("" is stdout).
type outputSpec struct {
	format string
	path   string
}

func (o outputSpec) String() string {
	if o.path == "" {
		return o.format
	}
	return o.format + "=" + o.path
}

// parseOutputs parses -f values against the formats a command accepts.
// No value means text on stdout. At most one format may go to stdout, and
// no file may be named twice: either would interleave two reports.
func parseOutputs(specs, formats []string) ([]outputSpec, error) {
	if len(specs) == 0 {
		specs = []string{formats[0]}
		if slices.Contains(formats, "text") {
			specs = []string{"text"}
		}
	}
	var outs []outputSpec
	seen := map[string]string{}
	for _, s := range specs {
		name, path, _ := strings.Cut(s, "=")
		name = strings.ToLower(strings.TrimSpace(name))
		if path == "-" {
			path = "" // NAME=- is stdout, as many tools spell it
		}
		if name == "" {
			return nil, fmt.Errorf("--format %q: missing format name (want NAME or NAME=PATH)", s)
		}
		if !slices.Contains(formats, name) {
			return nil, fmt.Errorf("--format %q: unknown format %q (want one of %s)", s, name, strings.Join(formats, ", "))
		}
		if strings.HasSuffix(s, "=") {
			return nil, fmt.Errorf("--format %q: empty path after '='", s)
		}
		key := "stdout"
		if path != "" {
			key = filepath.Clean(path)
		}
		if prev, dup := seen[key]; dup {
			if path == "" {
				return nil, fmt.Errorf("--format %s and %s both write to stdout; send one to a file with NAME=PATH", prev, name)
			}
			return nil, fmt.Errorf("--format %s and %s both write to %s", prev, s, path)
		}
		seen[key] = s
		outs = append(outs, outputSpec{format: name, path: path})
	}
	return outs, nil
}

// emit is how a command prints its result. Every command that produces a
// report calls it once, at the end, and returns what it returns:
//
//	rep := &report.Report{Command: "lint", Targets: args, Rules: rules, Findings: fs}
//	return g.emit(rep, cfg.Lint.Policy)
//
// emit fills rep.Tool, runs report.Process with the policy (severity
// overrides, ignores, dedupe, sort), then writes every -f/--format output:
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
func (g *globalOpts) emit(rep *report.Report, policy report.Policy) error {
	if rep.Tool.Name == "" {
		rep.Tool = report.Tool{Name: "agentready", Version: buildInfo().Version, URI: projectURL}
	}
	if err := report.Process(rep, policy); err != nil {
		return err
	}
	base := baseDir()
	var errs []error
	for _, o := range g.outputs {
		opts := report.PrintOptions{Verbose: g.verbose, Quiet: g.quiet, BaseDir: base}
		if o.path == "" {
			opts.Color, opts.Width = g.colorFor(g.stdout)
			bw := bufio.NewWriter(g.stdout)
			err := g.printers.Print(bw, o.format, rep, opts)
			if ferr := bw.Flush(); err == nil {
				err = ferr
			}
			if err != nil {
				errs = append(errs, fmt.Errorf("writing %s to stdout: %w", o.format, err))
			}
			continue
		}
		err := writeFileAtomic(o.path, func(w io.Writer) error { return g.printers.Print(w, o.format, rep, opts) })
		if err != nil {
			errs = append(errs, fmt.Errorf("writing %s report: %w", o.format, err))
			continue
		}
		g.logf("wrote %s report to %s", o.format, o.path)
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	if g.noFail {
		return nil
	}
	if n := rep.AtOrAbove(g.threshold); n > 0 {
		return &thresholdError{msg: fmt.Sprintf("%d %s at or above --fail-on %s", n, plural(n, "finding", "findings"), g.threshold), failOn: true}
	}
	return nil
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

// writeFileAtomic writes a file through a temporary file in the same
// directory renamed into place, so a reader never sees half a report and a
// failed run leaves the previous report intact. A path that exists and is
// not a regular file (/dev/stderr, a named pipe) is written directly.
func writeFileAtomic(path string, write func(io.Writer) error) (err error) {
	if fi, err := os.Stat(path); err == nil && !fi.Mode().IsRegular() {
		if fi.IsDir() {
			return fmt.Errorf("%s is a directory", path)
		}
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return err
		}
		if err := write(f); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	bw := bufio.NewWriter(tmp)
	if err := write(bw); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// baseDir is what SARIF URIs are made relative to: the repository root
// (the nearest directory up from the working directory holding .git), or
// the working directory outside a repository.
func baseDir() string {
	wd, err := os.Getwd()
	if err != nil {
		return ""
	}
	if root, ok := repoRoot(wd); ok {
		return root
	}
	return wd
}

// writeOutput writes bytes that are not a report (version, config) to
// where o says: stdout, or a file written atomically.
func (g *globalOpts) writeOutput(o outputSpec, b []byte) error {
	if o.path == "" {
		_, err := g.stdout.Write(b)
		return err
	}
	return writeFileAtomic(o.path, func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	})
}
