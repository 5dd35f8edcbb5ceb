package report

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
)

// PrintOptions are what printers need beyond the report.
type PrintOptions struct {
	// Color enables ANSI styling in the text printer. The caller decides it
	// (a terminal, NO_COLOR, CLICOLOR_FORCE, --no-color).
	Color bool
	// Width is the terminal width for the text printer; 0 means 80.
	Width int
	// BaseDir makes file locations relative (SARIF's repo-relative URIs).
	// Empty means locations are printed as they are.
	BaseDir string
	// Verbose adds rule help and related locations to the text printer.
	Verbose bool
	// Quiet (-q) drops the text printer's lines that are not findings: the
	// summary, score bars and the "no findings" line. Other formats ignore it.
	Quiet bool
}

// Printer writes a report in one format.
type Printer func(w io.Writer, r *Report, o PrintOptions) error

// Printers are the formats a command accepts, by name. Each command builds
// its own set (Standard, plus audit's html), so no format is offered where
// it does not apply and no package registers itself behind an import.
type Printers map[string]Printer

// Standard returns the formats of every command that prints a report:
// text, json, sarif, junit, markdown, github, codeclimate and checkstyle. The map is new on each
// call: a command may add to it.
func Standard() Printers {
	return Printers{
		"text":     printText,
		"json":     printJSON,
		"sarif":    printSARIF,
		"junit":    printJUnit,
		"markdown": printMarkdown,
		"github":   printGitHub,
		// GitLab's Code Quality report, and Checkstyle XML.
		"codeclimate": printCodeClimate,
		"checkstyle":  printCheckstyle,
	}
}

// Names returns the format names, sorted.
func (ps Printers) Names() []string { return slices.Sorted(maps.Keys(ps)) }

// Print writes r in the named format.
func (ps Printers) Print(w io.Writer, format string, r *Report, o PrintOptions) error {
	p, ok := ps[format]
	if !ok {
		return fmt.Errorf("unknown format %q (want one of %s)", format, strings.Join(ps.Names(), ", "))
	}
	return p(w, r, o)
}

// Write prints r in every output: the one without a path to stdout
// (buffered), each file atomically (WriteFile). Every output is attempted
// even when one fails; the errors are joined. opts gives the options of
// an output (colour and width only make sense for stdout); wrote, when
// set, is told of each file written.
func (ps Printers) Write(r *Report, outs []Output, stdout io.Writer, opts func(Output) PrintOptions, wrote func(Output)) error {
	var errs []error
	for _, o := range outs {
		if o.Path == "" {
			bw := bufio.NewWriter(stdout)
			err := ps.Print(bw, o.Format, r, opts(o))
			if ferr := bw.Flush(); err == nil {
				err = ferr
			}
			if err != nil {
				errs = append(errs, fmt.Errorf("writing %s to stdout: %w", o.Format, err))
			}
			continue
		}
		if err := WriteFile(o.Path, func(w io.Writer) error { return ps.Print(w, o.Format, r, opts(o)) }); err != nil {
			errs = append(errs, fmt.Errorf("writing %s report: %w", o.Format, err))
		} else if wrote != nil {
			wrote(o)
		}
	}
	return errors.Join(errs...)
}

// Print writes r in one of the Standard formats.
func Print(w io.Writer, format string, r *Report, o PrintOptions) error {
	return Standard().Print(w, format, r, o)
}
