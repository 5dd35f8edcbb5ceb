package checks

import (
	"regexp"
	"testing"
)

// TestFeatureFixtures: fixtures beyond <id>.fail.txtar and the base, for
// the parts of a check that need their own site (the follow-up requests:
// service-desc links, llms.txt links, revalidation, user-agent parity
// beyond the start page; sitemap lastmod). Each names the check, whether
// it passes, and a finding its result must have.
func TestFeatureFixtures(t *testing.T) {
	cases := []struct {
		fixture, check string
		pass           bool
		finding        string // a regexp one finding's message matches
	}{
		{"openapi.service-desc.pass.txtar", "openapi", true, `OpenAPI found \(linked from api-catalog\): 1 operations`},
		{"openapi.link-header.pass.txtar", "openapi", true, `OpenAPI found \(linked from Link header of http://fixture.test/\)`},
		{"openapi.html-link.pass.txtar", "openapi", true, `OpenAPI found \(linked from <link> in http://fixture.test/about.html\)`},
		{"openapi.service-desc.fail.txtar", "openapi", false, `the service-desc link \(api-catalog\) answers status 404`},
		{"openapi.elsewhere.fail.txtar", "openapi", false, `the service-desc link \(api-catalog\) answers dns: no such host`},
		{"user-agent-parity.deep.fail.txtar", "user-agent-parity", false, `^as ClaudeBot the page answers 403, as a browser 200$`},
		{"user-agent-parity.robots.pass.txtar", "user-agent-parity", true, ``},
	}
	for _, tc := range cases {
		t.Run(tc.fixture, func(t *testing.T) {
			c, ok := Lookup(tc.check)
			if !ok {
				t.Fatalf("no check %s", tc.check)
			}
			site := loadFixture(t, true, tc.fixture)
			r := runOne(c, &Pass{Site: site, Start: startPage(site)})
			switch {
			case tc.pass && (r.Score == nil || *r.Score < 0.9):
				t.Errorf("scores %v (%s), want a pass", fmtScore(r.Score), r.Detail)
			case !tc.pass && (r.Score == nil || *r.Score >= 0.9):
				t.Errorf("scores %v (%s), want a failure", fmtScore(r.Score), r.Detail)
			}
			re := regexp.MustCompile(tc.finding)
			found := false
			for _, f := range r.Findings {
				if f.Location.URL == "" {
					t.Errorf("finding without URL: %s", f.Message)
				}
				found = found || re.MatchString(f.Message)
			}
			if !found && tc.finding != "" {
				t.Errorf("no finding matches %q; findings:", tc.finding)
				for _, f := range r.Findings {
					t.Logf("  %s: %s", f.Location.URL, f.Message)
				}
			}
		})
	}
}
