package report

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"testing"
)

// checkCodeClimate checks what GitLab requires of a Code Quality report:
// a JSON array of n issues, each with a description, a check_name, a
// fingerprint unique in the report, a Code Quality severity and a
// location with a path and lines.begin or positions.begin.line of 1 or
// more.
func checkCodeClimate(out []byte, n int) error {
	var issues []struct {
		Description, Fingerprint, Severity string
		CheckName                          string `json:"check_name"`
		Location                           struct {
			Path  string
			Lines *struct {
				Begin int
			}
			Positions *struct {
				Begin struct{ Line int }
			}
		}
	}
	if err := json.Unmarshal(out, &issues); err != nil {
		return err
	}
	if len(issues) != n {
		return fmt.Errorf("%d issues, want %d", len(issues), n)
	}
	seen := map[string]bool{}
	for i, is := range issues {
		switch {
		case is.Description == "" || is.CheckName == "":
			return fmt.Errorf("issue %d has no description or check_name", i)
		case is.Fingerprint == "" || seen[is.Fingerprint]:
			return fmt.Errorf("issue %d: fingerprint %q empty or not unique", i, is.Fingerprint)
		case is.Severity != "info" && is.Severity != "minor" && is.Severity != "major" && is.Severity != "critical" && is.Severity != "blocker":
			return fmt.Errorf("issue %d: severity %q", i, is.Severity)
		case is.Location.Lines == nil && is.Location.Positions == nil:
			return fmt.Errorf("issue %d has neither lines nor positions", i)
		case is.Location.Lines != nil && is.Location.Lines.Begin < 1, is.Location.Positions != nil && is.Location.Positions.Begin.Line < 1:
			return fmt.Errorf("issue %d: a line under 1", i)
		}
		seen[is.Fingerprint] = true
	}
	return nil
}

// TestCodeClimateIsGitLabCodeQuality: every fixture's codeclimate report
// is what GitLab reads, one issue per finding (plus one for an
// incomplete run).
func TestCodeClimateIsGitLabCodeQuality(t *testing.T) {
	for _, fx := range fixtures {
		r := fx.rep()
		n := len(r.Findings)
		if r.Incomplete != "" {
			n++
		}
		if err := checkCodeClimate(printFixture(t, fx.rep, "codeclimate", fx.opts), n); err != nil {
			t.Errorf("%s: %v", fx.name, err)
		}
	}
}

// TestCheckstyleParses: every fixture's checkstyle report is XML with one
// <error> per finding, each with a line, a severity Checkstyle knows and
// the rule as source.
func TestCheckstyleParses(t *testing.T) {
	for _, fx := range fixtures {
		var doc checkstyleDoc
		if err := xml.Unmarshal(printFixture(t, fx.rep, "checkstyle", fx.opts), &doc); err != nil {
			t.Fatalf("%s: %v", fx.name, err)
		}
		r := fx.rep()
		n := 0
		for _, f := range doc.Files {
			for _, e := range f.Errors {
				n++
				if e.Line < 1 || e.Source == "" || (e.Severity != "error" && e.Severity != "warning" && e.Severity != "info") {
					t.Errorf("%s: %s: %+v", fx.name, f.Name, e)
				}
			}
		}
		want := len(r.Findings)
		if r.Incomplete != "" {
			want++
		}
		if n != want {
			t.Errorf("%s: %d errors, want %d", fx.name, n, want)
		}
	}
}
