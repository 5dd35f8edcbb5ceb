package report

import (
	"encoding/json"
	"io"
	"strings"
)

// codeClimateIssue is one issue of GitLab's Code Quality report, a subset
// of the Code Climate spec
// (https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format).
type codeClimateIssue struct {
	Type        string              `json:"type"`
	CheckName   string              `json:"check_name"`
	Description string              `json:"description"`
	Fingerprint string              `json:"fingerprint"`
	Severity    string              `json:"severity"`
	Location    codeClimateLocation `json:"location"`
}

type codeClimateLocation struct {
	Path      string                `json:"path"`
	Lines     *codeClimateLines     `json:"lines,omitempty"`
	Positions *codeClimatePositions `json:"positions,omitempty"`
}

type codeClimateLines struct {
	Begin int `json:"begin"`
}

type codeClimatePositions struct {
	Begin codeClimatePosition `json:"begin"`
	End   codeClimatePosition `json:"end"`
}

type codeClimatePosition struct {
	Line   int `json:"line"`
	Column int `json:"column"`
}

// codeClimateSeverity maps a severity to Code Quality's, as ESLint's GitLab
// formatter does: errors are major, warnings minor, the rest info.
var codeClimateSeverity = map[Severity]string{Error: "major", Warning: "minor", Info: "info", Hint: "info"}

// printCodeClimate writes GitLab's Code Quality report (-f codeclimate): a
// JSON array of issues, one per finding, each with the rule as check_name,
// the JSON report's fingerprint (which GitLab compares between the merge
// request and its target branch), a severity, and a location: the file
// relative to the repository root with positions (line and column) when
// the finding has them, else lines.begin (1 for a finding without a line,
// as GitLab requires one). A page finding's path is its URL; a finding with
// no location is placed on the report's first target. A run that did not
// finish adds one blocker issue, check agentready/incomplete, saying why.
func printCodeClimate(w io.Writer, r *Report, o PrintOptions) error {
	pm := newPaths(o.BaseDir)
	fps := fingerprints(r.Findings, pm)
	issues := make([]codeClimateIssue, 0, len(r.Findings)+1)
	for i, f := range r.Findings {
		l := f.Location
		if l.Target() == "" && len(r.Targets) > 0 {
			l = targetLocation(r.Targets[0])
		}
		path := l.URL
		if l.File != "" {
			path, _ = pm.repo(l.File)
		}
		desc := f.Message
		if l.Line == 0 && l.Pointer != "" {
			desc += " (at " + l.Pointer + ")"
		}
		iss := codeClimateIssue{
			// GitLab needs both: a finding without a message or rule ID
			// (a hostile input) still gets something to show.
			Type: "issue", CheckName: nonEmpty(f.RuleID, "agentready"), Description: sanitize(nonEmpty(desc, nonEmpty(f.RuleID, "finding")), false), Fingerprint: fps[i],
			Severity: codeClimateSeverity[clampSeverity(f.Severity)],
			Location: codeClimateLocation{Path: sanitize(path, false)},
		}
		if l.Line > 0 && l.Column > 0 {
			end := codeClimatePosition{Line: max(l.EndLine, l.Line), Column: l.Column}
			if l.EndLine >= l.Line && l.EndColumn > 0 {
				end.Column = l.EndColumn
			}
			iss.Location.Positions = &codeClimatePositions{Begin: codeClimatePosition{Line: l.Line, Column: l.Column}, End: end}
		} else {
			iss.Location.Lines = &codeClimateLines{Begin: max(l.Line, 1)}
		}
		issues = append(issues, iss)
	}
	if r.Incomplete != "" {
		path := ""
		if len(r.Targets) > 0 {
			path = r.Targets[0]
			if l := targetLocation(path); l.File != "" {
				path, _ = pm.repo(l.File)
			}
		}
		issues = append(issues, codeClimateIssue{
			Type: "issue", CheckName: "agentready/incomplete", Description: incompleteText(r),
			Fingerprint: "agentready/incomplete/" + strings.ToLower(r.Command), Severity: "blocker",
			Location: codeClimateLocation{Path: sanitize(path, false), Lines: &codeClimateLines{Begin: 1}},
		})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(issues)
}
