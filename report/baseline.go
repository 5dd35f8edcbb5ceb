package report

import (
	"encoding/json"
	"fmt"
	"strings"
)

// ReportHeader is what says which program and command wrote a JSON report
// and in which version of the schema: what a --baseline is checked by
// before any work.
type ReportHeader struct {
	SchemaVersion string `json:"schemaVersion"`
	Tool          Tool   `json:"tool"`
	Command       string `json:"command"`
	// SARIF's own fields, to name a SARIF log given as a baseline.
	SARIFVersion string `json:"version"`
	SARIFSchema  string `json:"$schema"`
}

// CheckBaseline checks that data is a JSON report (-f json) that agentready's
// command wrote in a schema version this build reads (the same major
// version as SchemaVersion), so that a baseline of the wrong kind (an
// audit report given to lint, a SARIF log, a report of a newer schema)
// is refused before the run, naming what it is, instead of being silently
// compared with something else. name is the file, for messages.
func CheckBaseline(name string, data []byte, command string) error {
	var h ReportHeader
	if err := json.Unmarshal(data, &h); err != nil {
		return fmt.Errorf("--baseline %s: not a JSON report (write one with -f json=%s): %v", name, name, jsonErrorText(err))
	}
	switch {
	case h.SchemaVersion == "" && h.SARIFVersion != "" && strings.Contains(strings.ToLower(h.SARIFSchema), "sarif"):
		return fmt.Errorf("--baseline %s: a SARIF %s log, not an agentready JSON report (write one with -f json=%s)", name, h.SARIFVersion, name)
	case h.SchemaVersion == "" || h.Tool.Name == "":
		return fmt.Errorf("--baseline %s: not an agentready JSON report (no schemaVersion and tool; write one with -f json=%s)", name, name)
	case h.Tool.Name != "agentready":
		return fmt.Errorf("--baseline %s: a report of %s, not of agentready", name, sanitize(h.Tool.Name, false))
	}
	if major(h.SchemaVersion) != major(SchemaVersion) {
		return fmt.Errorf("--baseline %s: JSON report schema version %s, which this agentready (schema %s) does not read", name, sanitize(h.SchemaVersion, false), SchemaVersion)
	}
	if h.Command != command {
		what := "an agentready " + sanitize(h.Command, false) + " report"
		if h.Command == "" {
			what = "an agentready report of no command"
		}
		return fmt.Errorf("--baseline %s: %s, not %s %s report (agentready %s writes one with -f json=%s)", name, what, article(command), command, command, name)
	}
	return nil
}

// article is "an" before a vowel, else "a".
func article(word string) string {
	if word != "" && strings.ContainsRune("aeiou", rune(word[0])) {
		return "an"
	}
	return "a"
}

// major is the part of a schema version before its first dot.
func major(v string) string {
	m, _, _ := strings.Cut(v, ".")
	return m
}

// jsonErrorText is a JSON decoding error without the Go type names that
// mean nothing to a user.
func jsonErrorText(err error) string {
	if se, ok := err.(*json.SyntaxError); ok {
		return fmt.Sprintf("%v at byte %d", se, se.Offset)
	}
	if te, ok := err.(*json.UnmarshalTypeError); ok {
		return fmt.Sprintf("%s is a JSON %s, not what a report has there", nonEmpty(te.Field, "the document"), te.Value)
	}
	return err.Error()
}
