package checks

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/agentready/agentready/report"
)

func TestRegistry(t *testing.T) {
	seen := map[string]bool{}
	kebab := regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	for _, c := range slices.Concat(All(), RenderChecks()) {
		if !kebab.MatchString(c.ID) || seen[c.ID] {
			t.Errorf("bad or duplicate ID %q", c.ID)
		}
		seen[c.ID] = true
		if c.Title == "" || c.FailTitle == "" || c.Run == nil || len(c.Needs) == 0 || c.Since == "" {
			t.Errorf("%s: incomplete descriptor", c.ID)
		}
		if !slices.Contains(Categories, c.Category) {
			t.Errorf("%s: unknown category %q", c.ID, c.Category)
		}
		doc := c.Doc()
		if !strings.Contains(doc, "## How to fix") || !strings.Contains(doc, "](http") {
			t.Errorf("%s: doc needs a how-to-fix section and spec links", c.ID)
		}
		if c.FixHint() == "" {
			t.Errorf("%s: the how-to-fix section has no first step", c.ID)
		}
	}
	for prof, ws := range CategoryWeights {
		for _, c := range Categories {
			if ws[c] <= 0 {
				t.Errorf("profile %s gives %s no weight", prof, c)
			}
		}
	}
	// The crawl's checks report and weigh nothing, in a category of their
	// own; their IDs are unique among all.
	for _, c := range CrawlChecks() {
		if !kebab.MatchString(c.ID) || seen[c.ID] {
			t.Errorf("bad or duplicate ID %q", c.ID)
		}
		seen[c.ID] = true
		if c.Category != Crawl || c.Weight != 0 || c.Title == "" || c.Run == nil || len(c.Needs) == 0 || c.Since == "" || c.Doc() == "" {
			t.Errorf("%s: incomplete crawl check", c.ID)
		}
		if l, ok := Lookup(c.ID); !ok || l != c {
			t.Errorf("Lookup(%s) does not find it", c.ID)
		}
	}
	docs, _ := filepath.Glob("docs/*.md")
	if n := len(All()) + len(RenderChecks()) + len(CrawlChecks()); len(docs) != n {
		t.Errorf("%d docs for %d checks", len(docs), n)
	}
}

// informational checks score nothing; they pass by reporting nothing.
func informational(c *Check) bool { return c.Weight == 0 }

func runOne(c *Check, p *Pass) Result {
	return safeRun(c, p)
}

// TestBasePassesEverything: the base site passes every check, with no
// warning or error.
func TestBasePassesEverything(t *testing.T) {
	site := loadFixture(t, true)
	p := &Pass{Site: site, Start: startPage(site)}
	for _, c := range All() {
		r := runOne(c, p)
		for _, f := range r.Findings {
			if f.Severity >= report.Warning {
				t.Errorf("%s: base fixture has %s finding: %s (%s)", c.ID, f.Severity, f.Message, f.Location.URL)
			}
		}
		if informational(c) {
			continue
		}
		if r.Score == nil || *r.Score < 0.9 {
			t.Errorf("%s: base fixture scores %v (%s)", c.ID, fmtScore(r.Score), r.Detail)
		}
	}
	res := Run(site, Options{})
	if res.Score < 90 || res.Grade != "A" {
		t.Errorf("base overall %v %s", res.Score, res.Grade)
	}
	if res.Profile != ProfileAPI {
		t.Errorf("profile %s, want api", res.Profile)
	}
}

func fmtScore(s *float64) any {
	if s == nil {
		return "n/a"
	}
	return *s
}

// TestCheckFixtures: every check has a fixture that fails it
// (<id>.fail.txtar over the base) and one that passes it (the base, plus
// <id>.pass.txtar when it exists, showing another passing form).
func TestCheckFixtures(t *testing.T) {
	for _, c := range All() {
		t.Run(c.ID, func(t *testing.T) {
			failName := c.ID + ".fail.txtar"
			if _, err := os.Stat(filepath.Join(fixtureDir(), failName)); err != nil {
				t.Fatalf("no fixture %s", failName)
			}
			passNames := []string{}
			if _, err := os.Stat(filepath.Join(fixtureDir(), c.ID+".pass.txtar")); err == nil {
				passNames = append(passNames, c.ID+".pass.txtar")
			}
			site := loadFixture(t, true, passNames...)
			r := runOne(c, &Pass{Site: site, Start: startPage(site)})
			if informational(c) {
				if len(r.Findings) > 0 {
					t.Errorf("pass fixture: %d findings: %s", len(r.Findings), r.Findings[0].Message)
				}
			} else if r.Score == nil || *r.Score < 0.9 {
				t.Errorf("pass fixture scores %v (%s)", fmtScore(r.Score), r.Detail)
			}

			site = loadFixture(t, true, failName)
			r = runOne(c, &Pass{Site: site, Start: startPage(site)})
			if informational(c) {
				if len(r.Findings) == 0 {
					t.Errorf("fail fixture: no findings")
				}
				return
			}
			if r.Score == nil || *r.Score >= 0.9 {
				t.Errorf("fail fixture scores %v (%s)", fmtScore(r.Score), r.Detail)
			}
			if len(r.Findings) == 0 {
				t.Errorf("fail fixture: no findings")
			}
			for _, f := range r.Findings {
				if f.Location.URL == "" {
					t.Errorf("finding without URL: %s", f.Message)
				}
			}
			t.Logf("fails with %v: %s", fmtScore(r.Score), r.Findings[0].Message)
		})
	}
}

// TestScoringDoc keeps docs/scoring.md in step with the registry: every
// check is listed with its weight, and every profile's weights appear.
func TestScoringDoc(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "docs", "scoring.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	for _, c := range All() {
		row := regexp.MustCompile("\\| \\[`" + regexp.QuoteMeta(c.ID) + "`\\]\\([^)]*\\) \\| ([0-9.]+) \\|").FindStringSubmatch(doc)
		if row == nil {
			t.Errorf("docs/scoring.md does not list %s", c.ID)
			continue
		}
		if row[1] != strconv.FormatFloat(c.Weight, 'f', -1, 64) {
			t.Errorf("docs/scoring.md gives %s weight %s, the code %v", c.ID, row[1], c.Weight)
		}
	}
	for _, c := range Categories {
		row := regexp.MustCompile(`\| ` + regexp.QuoteMeta(c.Title()) + ` \| (\d+) \| (\d+) \| (\d+) \| (\d+) \|`).FindStringSubmatch(doc)
		if row == nil {
			t.Errorf("docs/scoring.md has no weights for %s", c)
			continue
		}
		for i, p := range []Profile{ProfileContent, ProfileDocs, ProfileCommerce, ProfileAPI} {
			if row[i+1] != strconv.Itoa(int(CategoryWeights[p][c])) {
				t.Errorf("docs/scoring.md: %s weight of %s is %s, the code %v", p, c, row[i+1], CategoryWeights[p][c])
			}
		}
	}
}

// TestFolderTarget: a build folder's canonical links and sitemap name the
// production host; served from a folder they are not "another domain".
func TestFolderTarget(t *testing.T) {
	for _, folder := range []string{"", "public"} {
		site := loadFixture(t, true, "folder-production-urls.txtar")
		site.Folder = folder
		p := &Pass{Site: site, Start: startPage(site)}
		canon, _ := Lookup("canonical-hreflang")
		sm, _ := Lookup("sitemap")
		rc, rs := canon.Run(p), sm.Run(p)
		passed := *rc.Score >= 0.9 && *rs.Score >= 0.9
		if passed != (folder != "") {
			t.Errorf("folder %q: canonical %v (%v), sitemap %v (%v)", folder, *rc.Score, rc.Findings, *rs.Score, rs.Findings)
		}
	}
}
