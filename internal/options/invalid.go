// Package options describes each command's settings once; this is its
// smallest part, the error a library returns for a setting it cannot use.
package options

import "fmt"

// Invalid is a setting whose value the library cannot use. The CLI exits 2
// and points the user at --help.
type Invalid struct{ Err error }

func (e *Invalid) Error() string { return e.Err.Error() }
func (e *Invalid) Unwrap() error { return e.Err }

// Invalidf returns an *Invalid with a formatted message, which names the
// setting as its flag does ("--min-score: ...").
func Invalidf(format string, args ...any) error {
	return &Invalid{fmt.Errorf(format, args...)}
}
