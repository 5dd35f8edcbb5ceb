package report

import (
	"fmt"
	"io"
	"slices"
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

var printers = map[string]Printer{}

// Register adds a printer under a format name. Packages that bring their
// own format (audit's html) call it from init.
func Register(name string, p Printer) {
	if _, dup := printers[name]; dup {
		panic("report: printer " + name + " registered twice")
	}
	printers[name] = p
}

// Formats returns the names of the registered printers, sorted.
func Formats() []string {
	names := make([]string, 0, len(printers))
	for n := range printers {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// Print writes r in the named format.
func Print(w io.Writer, format string, r *Report, o PrintOptions) error {
	p, ok := printers[format]
	if !ok {
		return fmt.Errorf("unknown format %q (want one of %v)", format, Formats())
	}
	return p(w, r, o)
}
