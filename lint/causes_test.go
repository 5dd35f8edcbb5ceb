package lint

import (
	"context"
	"strings"
	"testing"

	"github.com/agentready/agentready/report"
)

// TestOneFindingPerProblem: a problem both spec-valid and a specific rule
// report (a path conflict, a tag declared twice, an undefined security
// scheme, server variables, an array without items, a path parameter not
// required) is reported once, by the specific rule. With the specific
// rule off, spec-valid still reports it. structure.yaml had seven such
// pairs.
func TestOneFindingPerProblem(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Extends = "all"
	res, err := Lint(context.Background(), []string{"../testdata/lint/structure.yaml"}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Findings {
		if f.RuleID == specValidID {
			t.Errorf("spec-valid reports what a specific rule does: %s: %s", f.Location, f.Message)
		}
	}
	cfg.Severity = map[string]string{"path-params": report.Off, "tags-unique": report.Off}
	res, err = Lint(context.Background(), []string{"../testdata/lint/structure.yaml"}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range res.Findings {
		if f.RuleID == specValidID {
			got = append(got, f.Message)
		}
	}
	want := []string{`more than one tag has name "pets"`, `conflicting paths "/pets/{petId}" and "/pets/{name}"`, `path parameter "name" must be required`}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("with path-params and tags-unique off, spec-valid reports\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestCausesMatchBothRules: each cause is recognised in both rules'
// messages, with the instances named the same way (a pair of paths in
// either order).
func TestCausesMatchBothRules(t *testing.T) {
	for _, tc := range []struct{ a, b report.Finding }{
		{report.Finding{RuleID: specValidID, Message: `conflicting paths "/a/{x}" and "/a/{y}"`},
			report.Finding{RuleID: "path-params", Message: "path /a/{y} is the same template as /a/{x}: requests cannot tell them apart"}},
		{report.Finding{RuleID: specValidID, Message: `security requirement /security/0/ghost refers to undefined security scheme "ghost"`},
			report.Finding{RuleID: "security-defined", Message: "security scheme ghost is not defined in components.securitySchemes"}},
	} {
		if a, b := causeOf(tc.a), causeOf(tc.b); a == "" || a != b {
			t.Errorf("causes %q and %q of\n%s\n%s", a, b, tc.a.Message, tc.b.Message)
		}
	}
	if c := causeOf(report.Finding{RuleID: specValidID, Message: "invalid example: value must be an integer"}); c != "" {
		t.Errorf("an example problem has the cause %q", c)
	}
}
