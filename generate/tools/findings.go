package tools

import "github.com/agentready/agentready/report"

// The findings tool generation reports. None stops generation.
var (
	// CapExceeded is a selection larger than a target accepts in one request.
	CapExceeded = report.Rule{
		ID:       "tools-cap-exceeded",
		Title:    "more tools than the target accepts in one request",
		Severity: report.Warning,
		Category: "generate",
		Since:    "0.1.0",
		Doc: "The provider rejects a request with more tools than its limit (OpenAI: 128 tools; Anthropic: " +
			"20 strict tools). Select fewer operations with --include/--exclude, or fold them into one tool " +
			"per tag with --max-tools N.",
	}
	// NotStrict is a tool that stays non-strict under --strict.
	NotStrict = report.Rule{
		ID:       "tools-not-strict",
		Title:    "a tool could not be made strict",
		Severity: report.Info,
		Category: "generate",
		Since:    "0.1.0",
		Doc: "Strict modes accept a subset of JSON Schema: every object closed and fully described. A tool " +
			"whose arguments include a free-form value, a map with arbitrary keys, or nesting beyond the " +
			"limit is written without strict: true, and the model's arguments are not guaranteed to match.",
	}
	// Lossy is a schema the target cannot express exactly.
	Lossy = report.Rule{
		ID:       "tools-approximation",
		Title:    "a schema was approximated for the target",
		Severity: report.Info,
		Category: "generate",
		Since:    "0.1.0",
		Doc: "Part of a schema cannot be said in the target's schema language (for example a recursive " +
			"type in Gemini's OpenAPI subset, which has no references). The message says what was written instead.",
	}
)

// Rules are the descriptors of every finding tools reports.
func Rules() []report.Rule { return []report.Rule{CapExceeded, NotStrict, Lossy} }

// Findings turns the set's warnings into report findings located in file.
func (s *Set) Findings(file string) []report.Finding {
	out := make([]report.Finding, 0, len(s.Warnings))
	for _, w := range s.Warnings {
		r := Lossy
		switch w.Kind {
		case "cap":
			r = CapExceeded
		case "strict":
			r = NotStrict
		}
		msg := w.Message
		if w.Tool != "" {
			msg = w.Tool + ": " + msg
		}
		out = append(out, report.Finding{RuleID: r.ID, Severity: r.Severity, Message: msg, Location: report.Location{File: file, Pointer: w.Pointer}})
	}
	return out
}
