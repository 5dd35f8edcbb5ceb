package report

import (
	_ "embed"
	"encoding/json"
	"io"
)

// JSONSchema is the JSON Schema (draft 2020-12) of the json format's
// output, documented in docs/json-report.md.
//
//go:embed schema/report.schema.json
var JSONSchema []byte

// jsonReport is the json format's document. Its field names are part of
// the schema (SchemaVersion): add fields freely, never rename or remove one
// without changing the version.
type jsonReport struct {
	SchemaVersion string        `json:"schemaVersion"`
	Tool          Tool          `json:"tool"`
	Command       string        `json:"command"`
	Targets       []string      `json:"targets"`
	Summary       jsonSummary   `json:"summary"`
	Rules         []Rule        `json:"rules"`
	Findings      []jsonFinding `json:"findings"`
	Scores        *Scores       `json:"scores"`
	Stats         []Stat        `json:"stats"`
	DurationMS    *int64        `json:"durationMs,omitempty"`
	// Incomplete says why the run did not finish; absent when it did.
	Incomplete string `json:"incomplete,omitempty"`
	Extra      any    `json:"extra"`
}

type jsonSummary struct {
	Total   int `json:"total"`
	Error   int `json:"error"`
	Warning int `json:"warning"`
	Info    int `json:"info"`
	Hint    int `json:"hint"`
}

// jsonFinding is a Finding with its fingerprint, which baselines and
// dashboards use to follow a finding across runs.
type jsonFinding struct {
	Finding
	Fingerprint string `json:"fingerprint"`
}

// printJSON writes the report as one indented JSON document. Every
// top-level key is always present: arrays are [] rather than null, and
// scores and extra are null when the command has none.
func printJSON(w io.Writer, r *Report, o PrintOptions) error {
	c := countFindings(r.Findings)
	doc := jsonReport{
		SchemaVersion: SchemaVersion,
		Tool:          r.Tool,
		Command:       r.Command,
		Targets:       nonNil(r.Targets),
		Summary:       jsonSummary{Total: c.total(), Error: c.Error, Warning: c.Warning, Info: c.Info, Hint: c.Hint},
		Rules:         sortedRules(r),
		Findings:      make([]jsonFinding, len(r.Findings)),
		Scores:        shownScores(r.Scores),
		Stats:         nonNil(r.Stats),
		Extra:         r.Extra,
		Incomplete:    r.Incomplete,
	}
	for i := range doc.Rules {
		doc.Rules[i].Severity = clampSeverity(doc.Rules[i].Severity)
	}
	fps := fingerprints(r.Findings, newPaths(o.BaseDir))
	for i, f := range r.Findings {
		f.Severity = clampSeverity(f.Severity)
		doc.Findings[i] = jsonFinding{Finding: f, Fingerprint: fps[i]}
	}
	if r.Duration > 0 {
		ms := r.Duration.Milliseconds()
		doc.DurationMS = &ms
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	// Messages quote HTML and specs; escaping <, > and & as \u003c would
	// only make them harder to read. Consumers that embed the JSON in HTML
	// must escape it themselves, as they must any JSON.
	enc.SetEscapeHTML(false)
	return enc.Encode(doc)
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// shownScores are the scores as every report prints them and every gate
// compares them (ShownScore).
func shownScores(s *Scores) *Scores {
	if s == nil {
		return nil
	}
	c := *s
	c.Overall = ShownScore(s.Overall)
	c.Categories = make([]CategoryScore, len(s.Categories))
	for i, cs := range s.Categories {
		cs.Score = ShownScore(cs.Score)
		c.Categories[i] = cs
	}
	return &c
}
