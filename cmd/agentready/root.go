package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"

	"github.com/agentready/agentready/audit/crawl"
	"github.com/agentready/agentready/internal/options"
	"github.com/agentready/agentready/report"
	"github.com/spf13/cobra"
)

// globalOpts holds the I/O streams and the global flags. Every command
// constructor takes it (newXCmd(g *globalOpts)) and writes only to its
// streams, so that run is testable end to end.
type globalOpts struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	// isTerminal says whether a stream is a terminal (progress and colour
	// only there); tests replace it.
	isTerminal func(io.Writer) bool
	// progress is the progress line while one is drawn on stderr: what
	// else writes to stderr erases it first.
	progress *crawl.ProgressLine

	formatSpecs []string // raw -f/--format values, NAME[=PATH]
	failOn      string   // --fail-on
	configPath  string   // --config
	noConfig    bool     // --no-config
	noColor     bool     // --no-color
	quiet       bool     // -q/--quiet
	verbose     bool     // -v/--verbose
	maxPerRule  report.MaxPerRule

	// reportPrinters are the printers of each command that prints a
	// report (see printsReports), which the commands under it share.
	reportPrinters map[*cobra.Command]report.Printers

	// Filled by validate (the root's PersistentPreRunE) before any RunE.
	outputs   []report.Output
	printers  report.Printers // the running command's, for emit
	threshold report.Severity
	noFail    bool // --fail-on none

	cfg     *loadedConfig // the config file, loaded on first use by config()
	started bool          // the root's PersistentPreRunE ran: errors after it are the command's
}

// commands lists the subcommands of agentready, in help order.
//
// Engineers adding a command: write cmd/agentready/<command>.go with a
// constructor func newXCmd(g *globalOpts) *cobra.Command and add one line
// here. Use g.config() for your section of .agentready.yaml and g.emit to
// print a report; return errors (never exit) and let exitCode pick the code.
var commands = []func(g *globalOpts) *cobra.Command{
	newConfigCmd,
	newAuditCmd,
	newLintCmd,
	newGenerateCmd,
	newReportCmd,
	newVersionCmd,
	newCompletionCmd,
	newManCmd,
	newEnvironmentTopic,
}

// run is main without the process: it parses args, runs the command with a
// context that SIGINT or SIGTERM cancels and returns the exit code.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return execute(args, stdin, stdout, stderr)
}

// execute is run with extra commands, which tests use to reach paths that
// no shipped command reaches yet.
func execute(args []string, stdin io.Reader, stdout, stderr io.Writer, extra ...func(*globalOpts) *cobra.Command) int {
	g := &globalOpts{stdin: stdin, stdout: stdout, stderr: stderr, getenv: os.Getenv, isTerminal: isTerminal, reportPrinters: map[*cobra.Command]report.Printers{}}
	// net/http writes to the standard logger what a misbehaving server
	// sends ("Unsolicited response received on idle HTTP channel ..."):
	// a line in the middle of a report on stderr, or of the progress line.
	// That noise is shown with -v only; anything else a library logs
	// (a log.Fatal before it exits) is always shown, as agentready's.
	prevOut, prevFlags := log.Writer(), log.Flags()
	log.SetFlags(0)
	log.SetOutput(stdLog{g})
	defer func() { log.SetOutput(prevOut); log.SetFlags(prevFlags) }()
	root := newRootCmd(g, append(commands[:len(commands):len(commands)], extra...))
	// Cobra parses os.Args[1:] instead of nil args; run must parse only
	// what it is given (tests call it with nil, main never does).
	if args == nil {
		args = []string{}
	}
	root.SetArgs(args)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	interrupted := make(chan struct{})
	sig := make(chan os.Signal, 1)
	// SIGTERM too: CI runners send it when a job is cancelled, and the
	// partial report is worth as much then.
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case <-sig:
			close(interrupted)
			// A second Ctrl-C kills the process at once: the default
			// behaviour comes back after the first.
			signal.Stop(sig)
			cancel()
		case <-done:
		}
	}()
	cmd, err := root.ExecuteContextC(ctx)
	signal.Stop(sig)
	var ue *usageError
	var inv *options.Invalid
	if err != nil && !errors.As(err, &ue) && (!g.started || errors.As(err, &inv)) {
		// Cobra failed before any command ran (an unknown command, a
		// wrong number of arguments, a missing required flag), or a
		// library refused a setting's value.
		err = &usageError{err: err, hint: cmd.CommandPath()}
	}
	close(done)

	wasInterrupted := false
	select {
	case <-interrupted:
		wasInterrupted = true
	default:
	}
	return exitCode(err, wasInterrupted, g.quiet, stderr)
}

func init() {
	// A command's own PersistentPreRunE must not replace the root's, which
	// validates the global flags.
	cobra.EnableTraverseRunHooks = true
}

func newRootCmd(g *globalOpts, cmds []func(*globalOpts) *cobra.Command) *cobra.Command {
	root := &cobra.Command{
		Use:   "agentready",
		Short: "Check that machines and AI agents can use what you publish",
		Long: `agentready answers "can a machine use what we publish?".

It scores a site's machine readability (audit), lints OpenAPI specs for
agent-friendly semantics and versioning (lint) and generates typed clients
and LLM tool definitions (generate). Findings from every command share one
model, the same output formats and the same exit codes:

  0    ran, and nothing reached the --fail-on threshold
  1    findings at or above --fail-on (or a score under --min-score)
  2    usage, input or runtime error
  130  interrupted`,
		Version:           versionString(),
		SilenceUsage:      true,
		SilenceErrors:     true,
		CompletionOptions: cobra.CompletionOptions{DisableDefaultCmd: true},
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error { return g.validate(cmd) },
	}
	root.SetIn(g.stdin)
	root.SetOut(g.stdout)
	root.SetErr(g.stderr)
	root.SetVersionTemplate("agentready {{.Version}}\n")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &usageError{err: err, hint: c.CommandPath()}
	})

	pf := root.PersistentFlags()
	pf.StringVar(&g.failOn, "fail-on", "error", "exit 1 when findings reach this `severity`: error, warning, info, hint or none")
	pf.StringVar(&g.configPath, "config", "", "config `file` (default: .agentready.yaml found from the working directory up to the repository root, or $AGENTREADY_CONFIG)")
	pf.BoolVar(&g.noConfig, "no-config", false, "do not read any config file")
	pf.BoolVar(&g.noColor, "no-color", false, "never colour the output (NO_COLOR=1 does the same)")
	pf.BoolVarP(&g.quiet, "quiet", "q", false, "print findings only: no summary, no progress")
	pf.BoolVarP(&g.verbose, "verbose", "v", false, "print rule help with findings and log progress to stderr")
	_ = root.RegisterFlagCompletionFunc("fail-on", cobra.FixedCompletions(
		[]string{"error", "warning", "info", "hint", "none"}, cobra.ShellCompDirectiveNoFileComp))
	_ = root.RegisterFlagCompletionFunc("config", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{"yaml", "yml"}, cobra.ShellCompDirectiveFilterFileExt
	})
	root.MarkFlagsMutuallyExclusive("quiet", "verbose")
	root.MarkFlagsMutuallyExclusive("config", "no-config")

	for _, newCmd := range cmds {
		root.AddCommand(newCmd(g))
	}
	return root
}

// validate checks the global flags once, before any command runs, so that a
// typo fails fast instead of after a long crawl.
func (g *globalOpts) validate(cmd *cobra.Command) error {
	g.started = true
	path := cmd.CommandPath()
	switch strings.ToLower(g.failOn) {
	case "none":
		g.noFail = true
	default:
		s, err := report.ParseSeverity(g.failOn)
		if err != nil {
			return usageErrorf(path, "--fail-on: unknown severity %q (want error, warning, info, hint or none)", g.failOn)
		}
		g.threshold = s
	}
	formats, ps := g.formatsOf(cmd)
	if len(formats) == 0 {
		return nil // no -f: the command prints no report
	}
	outs, err := report.ParseOutputs(g.formatSpecs, formats)
	if err != nil {
		return &usageError{err: err, hint: path}
	}
	g.outputs, g.printers = outs, ps
	return nil
}

// formatsAnnotation lists, comma-separated, the formats a command (and the
// commands under it) accepts for -f/--format; formatFlag sets it.
const formatsAnnotation = "agentready/formats"

// printsReports gives cmd, and the commands under it, -f/--format for the
// formats of ps: emit prints their reports with ps.
func (g *globalOpts) printsReports(cmd *cobra.Command, ps report.Printers) {
	g.reportPrinters[cmd] = ps
	g.formatFlag(cmd, ps.Names()...)
	cmd.PersistentFlags().Var(&g.maxPerRule, "max-per-rule", "show at most `N` findings of a rule (per site in an audit) in text and markdown, 0 for all (default: all for lint, 5 for audit; -v shows all)")
}

// formatFlag gives cmd, and the commands under it, -f/--format for these
// formats (a command that writes its own output, as version does, names
// them itself). The default is text to stdout when text is one of them.
func (g *globalOpts) formatFlag(cmd *cobra.Command, formats ...string) {
	def := formats[0]
	if slices.Contains(formats, "text") {
		def = "text"
	}
	if cmd.Annotations == nil {
		cmd.Annotations = map[string]string{}
	}
	cmd.Annotations[formatsAnnotation] = strings.Join(formats, ",")
	cmd.PersistentFlags().StringArrayVarP(&g.formatSpecs, "format", "f", nil,
		"output format `NAME[=PATH]`, repeatable: "+strings.Join(formats, ", ")+" (default "+def+" to stdout)")
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions(formats, cobra.ShellCompDirectiveNoFileComp))
}

// formatsOf returns the formats cmd accepts, and its printers when it
// prints reports; no formats when it writes nothing.
func (g *globalOpts) formatsOf(cmd *cobra.Command) ([]string, report.Printers) {
	for c := cmd; c != nil; c = c.Parent() {
		if v, ok := c.Annotations[formatsAnnotation]; ok {
			return strings.Split(v, ","), g.reportPrinters[c]
		}
	}
	return nil, nil
}

// stdLog is the standard logger's output during a run: stderr, as
// agentready's own lines; what a misbehaving server makes net/http log
// (stdLogNoise) only with -v.
type stdLog struct{ g *globalOpts }

// stdLogNoise are the prefixes of the standard-logger lines that say
// something about a server, not about agentready.
var stdLogNoise = []string{"Unsolicited response received on idle HTTP channel"}

func (l stdLog) Write(p []byte) (int, error) {
	line := strings.TrimRight(string(p), "\n")
	if !l.g.verbose && slices.ContainsFunc(stdLogNoise, func(n string) bool { return strings.HasPrefix(line, n) }) {
		return len(p), nil
	}
	l.g.progress.Clear()
	fmt.Fprintf(l.g.stderr, "agentready: %s\n", line)
	return len(p), nil
}

// logf prints a log line on stderr when -v is set.
func (g *globalOpts) logf(format string, args ...any) {
	if g.verbose {
		g.progress.Clear()
		fmt.Fprintf(g.stderr, "agentready: "+format+"\n", args...)
	}
}
