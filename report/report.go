// Package report holds the finding model shared by audit and lint, the
// processors that shape a list of findings (severity overrides, ignores,
// dedupe, a deterministic sort) and every printer.
//
// Findings flow one way: an engine produces []Finding, the processors in
// this package shape them, a Report carries them with the rule descriptors
// and optional scores, and one or more printers write the Report.
package report

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// SchemaVersion is the version of the JSON report schema. It changes only
// when a field is renamed or removed; added fields do not change it.
const SchemaVersion = "1.0"

// Severity ranks a finding. The zero value is Hint, the least severe.
type Severity int

// Severities, from the least to the most severe.
const (
	Hint Severity = iota
	Info
	Warning
	Error
)

var severityNames = [...]string{"hint", "info", "warning", "error"}

// String returns the lower-case name of s ("error", "warning", ...).
func (s Severity) String() string {
	if s < Hint || s > Error {
		return fmt.Sprintf("severity(%d)", int(s))
	}
	return severityNames[s]
}

// ParseSeverity parses a severity name, case-insensitively.
func ParseSeverity(name string) (Severity, error) {
	for i, n := range severityNames {
		if strings.EqualFold(name, n) {
			return Severity(i), nil
		}
	}
	return Hint, fmt.Errorf("unknown severity %q (want error, warning, info or hint)", name)
}

// MarshalText implements encoding.TextMarshaler.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// Location says where a finding is: in a file (with a 1-based line and
// column, and a JSON pointer into the document) or at a URL (a crawled
// page), or both. Zero fields are unknown.
type Location struct {
	File      string `json:"file,omitempty"`
	URL       string `json:"url,omitempty"`
	Pointer   string `json:"pointer,omitempty"`
	Line      int    `json:"line,omitempty"`
	Column    int    `json:"column,omitempty"`
	EndLine   int    `json:"endLine,omitempty"`
	EndColumn int    `json:"endColumn,omitempty"`
}

// Target returns the file, or the URL when there is no file: the name under
// which printers group findings.
func (l Location) Target() string {
	if l.File != "" {
		return l.File
	}
	return l.URL
}

// String formats l as "file:line:col" (or the URL), with the pointer when
// there is no line.
func (l Location) String() string {
	s := l.Target()
	if l.Line > 0 {
		s += fmt.Sprintf(":%d", l.Line)
		if l.Column > 0 {
			s += fmt.Sprintf(":%d", l.Column)
		}
	} else if l.Pointer != "" {
		s += "#" + l.Pointer
	}
	return s
}

// RelatedLocation is another place that explains a finding (the first
// definition of a duplicated operationId, say).
type RelatedLocation struct {
	Location
	Message string `json:"message,omitempty"`
}

// Edit replaces the text at Location (from Line:Column to EndLine:EndColumn)
// with NewText.
type Edit struct {
	Location Location `json:"location"`
	NewText  string   `json:"newText"`
}

// Fix is a suggested change that resolves a finding. Edits may be empty when
// the fix can only be described.
type Fix struct {
	Description string `json:"description"`
	Edits       []Edit `json:"edits,omitempty"`
}

// Finding is one problem that a rule or check reported.
type Finding struct {
	RuleID   string            `json:"ruleId"`
	Severity Severity          `json:"severity"`
	Message  string            `json:"message"`
	Location Location          `json:"location"`
	Related  []RelatedLocation `json:"related,omitempty"`
	// Help is a short, finding-specific hint on how to fix it; the rule's
	// documentation holds the long form.
	Help string `json:"help,omitempty"`
	Fix  *Fix   `json:"fix,omitempty"`
	// Category is the rule's category, filled from the rule descriptor by
	// Process when empty.
	Category string `json:"category,omitempty"`
	// Key, when set, stands for Message in the finding's fingerprint: its
	// identity when the message carries measurements (timings, sizes) that
	// change from run to run, so that code scanning and baselines do not
	// see a new finding each time.
	Key string `json:"-"`
}

// Rule describes a rule or check: what printers need to explain a finding.
type Rule struct {
	ID       string   `json:"id"`
	Title    string   `json:"title"`
	Doc      string   `json:"doc,omitempty"` // Markdown
	Severity Severity `json:"severity"`
	Category string   `json:"category,omitempty"`
	HelpURI  string   `json:"helpUri,omitempty"`
	Since    string   `json:"since,omitempty"`
}

// CategoryScore is the score of one category of checks, from 0 to 100.
type CategoryScore struct {
	ID     string  `json:"id"`
	Title  string  `json:"title"`
	Score  float64 `json:"score"`
	Weight float64 `json:"weight"`
}

// ShownScore is a score as every report prints it: clamped to [0,100] and
// rounded to a whole number, halves up (math.Round: 69.5 is 70; fmt's %.0f
// rounds half to even). The text bars, markdown, html and json show it,
// and every gate (--min-score, audit's category thresholds and
// --baseline) compares it, so that a run never fails a bar on a score it
// prints as passing (the bar showed 70 while --min-score 70 failed on
// 69.6).
func ShownScore(s float64) float64 {
	if math.IsNaN(s) {
		return 0
	}
	return math.Round(min(max(s, 0), 100))
}

// Scores are the optional scores of a report (audit has them, lint does not).
type Scores struct {
	Overall float64 `json:"overall"`
	// Grade is a letter for Overall when the command grades (audit: A-F);
	// printers show it beside the overall score.
	Grade      string          `json:"grade,omitempty"`
	Categories []CategoryScore `json:"categories,omitempty"`
	// Sections are small tables that the text and markdown printers show
	// under the score bars (audit's AI access matrix). JSON leaves them out:
	// a command carries the full data in Report.Extra.
	Sections []Section `json:"-"`
}

// Section is a titled table of a few rows, shown under the score bars.
// Columns, when set, head the label, value and detail columns in markdown.
type Section struct {
	Title   string
	Columns [3]string
	Rows    []SectionRow
}

// SectionRow is one row of a Section: a label, a value and a detail. Level
// colours the value in text: "good", "average", "poor", or "" for none.
type SectionRow struct {
	Label, Value, Detail, Level string
}

// Tool names the program that made a report.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	URI     string `json:"informationUri,omitempty"`
}

// Stat is one named figure of a run (pages fetched, operations linted).
type Stat struct {
	Name  string `json:"name"`
	Value int64  `json:"value"`
}

// Report is the result of one run of a command.
type Report struct {
	Tool     Tool      `json:"tool"`
	Command  string    `json:"command"` // "lint", "audit"
	Targets  []string  `json:"targets"`
	Rules    []Rule    `json:"rules"`
	Findings []Finding `json:"findings"`
	Scores   *Scores   `json:"scores,omitempty"`
	Stats    []Stat    `json:"stats,omitempty"`
	// MaxPerRule, when positive, is how many findings of a rule on one
	// site the text and markdown printers show (the most severe first),
	// with a line saying how many more each rule has; -v shows them all,
	// and the other formats always list every finding. An audit sets it
	// (DefaultMaxPerRule): a check fails on every page of a site at once.
	MaxPerRule int `json:"-"`
	// Uncapped are the IDs of rules MaxPerRule does not apply to: a
	// listing asked for whole (an audit's crawl log with --show-crawl).
	Uncapped []string `json:"-"`
	// Incomplete, when set, says why the run did not finish ("interrupted",
	// "2 of 3 targets unreachable"): the report holds only what was found
	// before. Every printer says so (SARIF: executionSuccessful false and
	// a notification; json: "incomplete"; junit: an errored case; text,
	// markdown, github: a line), so that a partial report is never read as
	// a clean one (uploaded, a SARIF file with fewer results closes code
	// scanning's open alerts).
	Incomplete string `json:"-"`
	// Duration is how long the run took; printers leave it out when zero so
	// that golden output stays stable.
	Duration time.Duration `json:"-"`
	// Extra is a command's own structured result as Go values (an
	// audit's site model and scorecard, lint's *ChangelogExtra). Only the
	// json printer encodes it, under "extra"; other printers read the
	// typed value.
	Extra any `json:"extra,omitempty"`
}

// Rule returns the descriptor of the rule with the given ID, or nil.
func (r *Report) Rule(id string) *Rule {
	for i := range r.Rules {
		if r.Rules[i].ID == id {
			return &r.Rules[i]
		}
	}
	return nil
}

// Count returns how many findings have each severity.
func (r *Report) Count() map[Severity]int {
	c := map[Severity]int{}
	for _, f := range r.Findings {
		c[f.Severity]++
	}
	return c
}

// AtOrAbove returns how many findings are at least as severe as s.
func (r *Report) AtOrAbove(s Severity) int {
	n := 0
	for _, f := range r.Findings {
		if f.Severity >= s {
			n++
		}
	}
	return n
}
