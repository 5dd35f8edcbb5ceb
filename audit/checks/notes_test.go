package checks

import (
	"testing"

	"github.com/agentready/agentready/report"
)

// TestNotesAreNotScored: on a site that offers none of the optional
// documents and features (no robots.txt, security.txt, feed, api-catalog,
// OpenAPI description, OAuth metadata, Markdown negotiation, Link header
// or WebMCP tool) but has an API (a 401 with WWW-Authenticate), no check
// scores below 100 on notes alone: every check that marks the site down
// says so at warning or error (docs/scoring.md, "Notes are not scored").
// The old rules scored security-txt, feeds, markdown-negotiation,
// api-catalog, openapi, oauth-metadata, webmcp-tools and link-headers 0
// and robots-txt-valid 50 on an info or hint finding, and showed "Policy
// and trust 0" for one missing security.txt.
func TestNotesAreNotScored(t *testing.T) {
	site := loadFixture(t, true, "notes.txtar")
	p := &Pass{Site: site, Start: startPage(site)}
	for _, c := range All() {
		r := runOne(c, p)
		if informational(c) || r.Score == nil || *r.Score >= 1 {
			continue
		}
		worst := report.Hint
		for _, f := range r.Findings {
			worst = max(worst, f.Severity)
		}
		if worst < report.Warning {
			t.Errorf("%s scores %v (%s) with only notes: %s", c.ID, *r.Score, r.Detail, messages(r.Findings))
		}
	}
	for _, id := range []string{"security-txt", "robots-txt-valid", "feeds", "markdown-negotiation", "api-catalog", "openapi", "oauth-metadata", "webmcp-tools", "link-headers"} {
		c, _ := Lookup(id)
		r := runOne(c, p)
		if r.Score != nil {
			t.Errorf("%s: scored %v, want not applicable", id, *r.Score)
		}
		if len(r.Findings) == 0 {
			t.Errorf("%s: the absence is not reported", id)
		}
	}
	res := Run(site, Options{})
	for _, cat := range res.Categories {
		if cat.ID == string(Policy) {
			t.Errorf("Policy and trust scored %v with no policy document but a missing security.txt", cat.Score)
		}
	}
}

// TestTitles: the title a report shows says what the result is. The old
// Titles showed the FailTitle for every score under 90, so a loaded
// OpenAPI description that lints at 60 (a check score of 80) read "No
// loadable OpenAPI description".
func TestTitles(t *testing.T) {
	site := loadFixture(t, true, "openapi.lints-poorly.txtar")
	res := Run(site, Options{Only: []string{"openapi"}})
	c, _ := Lookup("openapi")
	if len(res.Checks) != 1 || res.Checks[0].Score == nil || res.Checks[0].Passed() || *res.Checks[0].Score == 0 {
		t.Fatalf("openapi.lints-poorly: %+v, want a loaded description that does not pass", res.Checks)
	}
	if got := Titles(c, res.Checks[0]); got != c.PartTitle {
		t.Errorf("a loaded description scored %v (%s) is titled %q, want %q", *res.Checks[0].Score, res.Checks[0].Detail, got, c.PartTitle)
	}
	zero, pass := 0.0, 95.0
	for _, tc := range []struct {
		r    CheckResult
		want string
	}{
		{CheckResult{ID: "openapi", Score: &zero, Findings: 1}, c.FailTitle},
		{CheckResult{ID: "openapi", Score: &pass}, c.Title},
		{CheckResult{ID: "openapi", Findings: 1}, c.FailTitle}, // the note on a missing description
		{CheckResult{ID: "openapi"}, c.Title},                  // no API: nothing to say
	} {
		if got := Titles(c, tc.r); got != tc.want {
			t.Errorf("%s score %v, %d findings: %q, want %q", tc.r.ID, fmtScore(tc.r.Score), tc.r.Findings, got, tc.want)
		}
	}
	for _, c := range All() {
		if c.PartTitle != "" && (c.PartTitle == c.Title || c.PartTitle == c.FailTitle) {
			t.Errorf("%s: PartTitle repeats a title: %q", c.ID, c.PartTitle)
		}
	}
}
