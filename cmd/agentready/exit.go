package main

import (
	"context"
	"errors"
	"fmt"
	"io"
)

// Exit codes. They are the same for every command and independent of
// --format; exitCode is the only place that picks one.
const (
	exitOK          = 0   // ran, nothing reached the threshold
	exitFindings    = 1   // findings at or above --fail-on, or a score under --min-score
	exitError       = 2   // usage, input or runtime error
	exitInterrupted = 130 // interrupted (SIGINT, or SIGTERM): 128 + SIGINT, as shells report Ctrl-C
)

// usageError is a mistake in the command line: a bad flag value, a wrong
// number of arguments. It exits 2 and points the user at --help.
type usageError struct {
	err  error
	hint string // the command path to suggest --help for, e.g. "agentready lint"
}

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

// usageErrorf returns a usageError for the command cmdPath.
func usageErrorf(cmdPath, format string, args ...any) error {
	return &usageError{err: fmt.Errorf(format, args...), hint: cmdPath}
}

// thresholdError means the run worked and its result failed the user's bar:
// findings at or above --fail-on (returned by emit) or a score under
// --min-score (returned by audit). It exits 1.
type thresholdError struct {
	msg    string
	failOn bool // --fail-on, which the printed findings explain
}

func (e *thresholdError) Error() string { return e.msg }

// newThresholdError returns an error that exits 1. Commands use it for
// their own thresholds (audit's --min-score); emit uses it for --fail-on.
func newThresholdError(format string, args ...any) error {
	return &thresholdError{msg: fmt.Sprintf(format, args...)}
}

// exitCode maps the error a command returned to the process exit code and
// reports it on stderr. interrupted says whether SIGINT cancelled the run.
// It is the one place that knows the numbers.
func exitCode(err error, interrupted, quiet bool, stderr io.Writer) int {
	switch {
	case interrupted || errors.Is(err, context.Canceled):
		fmt.Fprintln(stderr, "agentready: interrupted")
		return exitInterrupted
	case err == nil:
		return exitOK
	}
	var th *thresholdError
	if errors.As(err, &th) && onlyThreshold(err) {
		// -q drops the --fail-on line (the findings printed say why the
		// exit is 1), never a score gate's: nothing else would say it.
		if !quiet || !onlyFailOn(err) {
			fmt.Fprintf(stderr, "agentready: %v\n", err)
		}
		return exitFindings
	}
	fmt.Fprintf(stderr, "agentready: %v\n", err)
	var ue *usageError
	if errors.As(err, &ue) && ue.hint != "" {
		fmt.Fprintf(stderr, "Run '%s --help' for usage.\n", ue.hint)
	}
	return exitError
}

// onlyThreshold reports whether err is made only of threshold errors: when a
// report failed --fail-on and also could not be written, the write error
// wins (exit 2), because the user did not get the output.
func onlyThreshold(err error) bool {
	return allThresholds(err, func(*thresholdError) bool { return true })
}

// onlyFailOn reports whether err is made only of --fail-on threshold
// errors.
func onlyFailOn(err error) bool {
	return allThresholds(err, func(th *thresholdError) bool { return th.failOn })
}

// allThresholds reports whether every error err joins is a threshold error
// that ok accepts.
func allThresholds(err error, ok func(*thresholdError) bool) bool {
	if j, isJoin := err.(interface{ Unwrap() []error }); isJoin {
		for _, e := range j.Unwrap() {
			if !allThresholds(e, ok) {
				return false
			}
		}
		return true
	}
	var th *thresholdError
	return errors.As(err, &th) && ok(th)
}
