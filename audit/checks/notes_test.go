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
