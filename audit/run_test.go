package audit

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/agentready/agentready/audit/checks"
	"github.com/agentready/agentready/audit/crawl"
	"github.com/agentready/agentready/internal/options"
	"github.com/agentready/agentready/report"

	_ "github.com/agentready/agentready/internal/golden" // defines -update, which go test ./... -update hands every package
)

// auditExample runs the whole audit of examples/site, as the CLI does but
// without it.
func auditExample(t *testing.T, cfg Config) *Result {
	t.Helper()
	cfg.Rate = 0
	res, err := Run(context.Background(), []string{filepath.Join("..", "examples", "site")}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestRunExample drives the audit through Run: findings of both the crawl
// and the checks, located at the folder's files, scores and a scorecard
// named by the folder, as Go values in the report.
func TestRunExample(t *testing.T) {
	cfg := DefaultConfig()
	cfg.ShowCrawl = true // the crawl's log lines are findings too
	res := auditExample(t, cfg)
	if res.Scores == nil || res.Scorecard == nil || len(res.Scorecard.Sites) != 1 {
		t.Fatalf("scores %v, scorecard %v", res.Scores, res.Scorecard)
	}
	folder := filepath.ToSlash(filepath.Join("..", "examples", "site"))
	if got := res.Scorecard.Sites[0].Name(); got != folder {
		t.Errorf("site named %q, want %q", got, folder)
	}
	rules := map[string]bool{}
	for _, f := range res.Findings {
		rules[f.RuleID] = true
		if strings.HasPrefix(f.Location.URL, res.Sites[0].Origin+"/index.html") && !strings.HasPrefix(f.Location.File, folder+"/") {
			t.Errorf("%s at %s has no file", f.RuleID, f.Location.URL)
		}
	}
	if !rules["crawl-page"] || !rules["crawl-robots"] || len(rules) < 4 {
		t.Errorf("rules of the findings: %v", rules)
	}
	rep := res.Report()
	x, ok := rep.Extra.(*Extra)
	if !ok || x.Scorecard != res.Scorecard || len(x.Sites) != 1 {
		t.Errorf("extra = %#v", rep.Extra)
	}
	if len(res.Gates) != 0 {
		t.Errorf("gates with none set: %v", res.Gates)
	}
	// --min-score 100 fails the run as data: the library neither prints
	// nor exits.
	min := 100.0
	cfg = DefaultConfig()
	cfg.MinScore = &min
	if g := auditExample(t, cfg).Gates; len(g) != 1 || !strings.Contains(g[0], "is below --min-score 100") {
		t.Errorf("gates = %v", g)
	}
}

// TestEveryRuleExplained: every rule ID the JSON report of examples/site
// prints has a check that --explain finds, and a descriptor in the report.
func TestEveryRuleExplained(t *testing.T) {
	rep := auditExample(t, DefaultConfig()).Report()
	if err := report.Process(rep, report.Policy{}); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := Printers().Print(&buf, "json", rep, report.PrintOptions{}); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Findings []struct {
			RuleID string `json:"ruleId"`
		} `json:"findings"`
		Rules []struct {
			ID string `json:"id"`
		} `json:"rules"`
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	described := map[string]bool{}
	for _, r := range doc.Rules {
		described[r.ID] = true
	}
	if len(doc.Findings) == 0 {
		t.Fatal("no findings")
	}
	for _, f := range doc.Findings {
		c, ok := checks.Lookup(f.RuleID)
		if !ok || c.Doc() == "" {
			t.Errorf("--explain %s finds no documented check", f.RuleID)
		}
		if !described[f.RuleID] {
			t.Errorf("%s has no descriptor in the report", f.RuleID)
		}
	}
}

// TestNoChecksFetchesNothingExtra: with no check selected the crawl asks
// for no extra, variant, extractor or follow-up; with all, for what their
// Needs name.
func TestNoChecksFetchesNothingExtra(t *testing.T) {
	cfg := DefaultConfig()
	cfg.NoChecks = true
	co := cfg.crawlOptions()
	if len(co.Extras) != 0 || len(co.Extractors) != 0 || len(co.Followers) != 0 {
		t.Errorf("--no-checks crawl: %d extras, %d extractors, %d followers", len(co.Extras), len(co.Extractors), len(co.Followers))
	}
	co = DefaultConfig().crawlOptions()
	names := map[string]bool{}
	for _, e := range co.Extras {
		names[e.Name] = true
	}
	for _, want := range []string{"llms-txt", "agent-card-legacy", "markdown", "ua-browser", "security-txt"} {
		if !names[want] {
			t.Errorf("the checks' crawl does not fetch %s", want)
		}
	}
}

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		edit func(*Config)
		want string
		inv  bool
	}{
		{func(c *Config) { c.Scope = "planet" }, `--scope: "planet" is not host, domain or prefix`, true},
		{func(c *Config) { c.Include = []string{"("} }, `--include "(":`, true},
		{func(c *Config) { c.Profile = "planet" }, `--profile: "planet" is not auto, content, docs, commerce or api`, true},
		{func(c *Config) { c.ParityPages = 0 }, "--parity-pages: 0 is not between 1 and 10", true},
		{func(c *Config) { c.Shard = "0/2" }, "--shard needs --urls", true},
		{func(c *Config) { c.Thresholds = map[string]float64{"speed": 50} }, `audit.thresholds: unknown category "speed"`, false},
	} {
		cfg := DefaultConfig()
		tc.edit(&cfg)
		err := cfg.Validate()
		var inv *options.Invalid
		if err == nil || !strings.Contains(err.Error(), tc.want) || errors.As(err, &inv) != tc.inv {
			t.Errorf("Validate() = %v, want %q (usage error %v)", err, tc.want, tc.inv)
		}
	}
	if err := DefaultConfig().Validate(); err != nil {
		t.Errorf("defaults: %v", err)
	}
}

// TestAccessSectionsCapped: a long --urls list shows the first
// maxAccessSections access matrices in text, then one line for the rest.
func TestAccessSectionsCapped(t *testing.T) {
	var sites []*crawl.Site
	var results []*checks.SiteResult
	for i := range maxAccessSections + 3 {
		origin := "https://site" + strings.Repeat("x", i) + ".example"
		s := &crawl.Site{Origin: origin, Target: origin, Pages: []*crawl.Page{{
			Response: crawl.Response{URL: origin + "/", FinalURL: origin + "/", Status: 200, ContentType: "text/html"}, Source: "list"}}}
		sites = append(sites, s)
		results = append(results, DefaultConfig().check(s))
	}
	res := &Result{Sites: sites}
	res.score(DefaultConfig(), sites, results)
	secs := res.Scores.Sections
	if len(secs) != maxAccessSections+1 {
		t.Fatalf("%d sections, want %d", len(secs), maxAccessSections+1)
	}
	if last := secs[len(secs)-1]; last.Title != "AI crawler access of 3 more sites: see -f json or -f html" || len(last.Rows) != 0 {
		t.Errorf("last section %+v", last)
	}
	if !strings.HasSuffix(secs[0].Title, "https://site.example") || len(secs[0].Rows) < 4 {
		t.Errorf("first section %+v", secs[0])
	}
}

// TestBaselineRounding: --baseline names check scores as every report
// prints them (math.Round: 62.5 is 63), not rounded half to even.
func TestBaselineRounding(t *testing.T) {
	card := func(score float64) *checks.Scorecard {
		return &checks.Scorecard{Sites: []*checks.SiteResult{{Origin: "https://site.example",
			Checks: []checks.CheckResult{{ID: "llms-txt", Score: &score}}}}}
	}
	old, err := json.Marshal(map[string]any{"schemaVersion": report.SchemaVersion, "tool": report.Tool{Name: "agentready"}, "command": "audit",
		"scores": report.Scores{Overall: 80}, "extra": &Extra{Scorecard: card(92.5)}})
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "baseline.json")
	if err := os.WriteFile(file, old, 0o644); err != nil {
		t.Fatal(err)
	}
	b, err := readBaseline(file)
	if err != nil {
		t.Fatal(err)
	}
	fails := b.compare(&report.Scores{Overall: 80}, card(62.5))
	if len(fails) != 1 || fails[0] != "check llms-txt now fails on https://site.example (63, was 93)" {
		t.Errorf("fails = %q", fails)
	}
}

// TestNoScorecardWhenNothingScored: a run cut before any page (here by
// --max-duration) has no scorecard, and the json report no "scorecard"
// key, as before Run; it printed "scorecard": {"sites": null}.
func TestNoScorecardWhenNothingScored(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MaxDuration = time.Nanosecond
	res := auditExample(t, cfg)
	if res.Scorecard != nil {
		t.Errorf("scorecard %+v", res.Scorecard)
	}
	var b bytes.Buffer
	if err := report.Print(&b, "json", res.Report(), report.PrintOptions{}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), `"scorecard"`) {
		t.Errorf("json has a scorecard:\n%s", b.String())
	}
}

// TestPageFindingAtItsFile: in examples/site, three of the four HTML pages
// carry JSON-LD and about.html does not. The structured-data-present
// finding is at about.html, as a file of the folder; it was "1 of 4 pages
// have no structured data" at index.html, which has JSON-LD.
func TestPageFindingAtItsFile(t *testing.T) {
	res := auditExample(t, DefaultConfig())
	folder := filepath.ToSlash(filepath.Join("..", "examples", "site"))
	var at []string
	for _, f := range res.Findings {
		if f.RuleID == "structured-data-present" {
			at = append(at, f.Location.File)
		}
	}
	if len(at) != 1 || at[0] != folder+"/about.html" {
		t.Errorf("structured-data-present findings at %q, want [%s/about.html]", at, folder)
	}
}

// TestCrawlLogLines: the crawl's log lines (every page fetched, robots.txt
// and the sitemaps read) are findings only with ShowCrawl or NoChecks;
// the site model has the pages either way, and what went wrong in the
// crawl (a page that answers 404) is a finding either way.
func TestCrawlLogLines(t *testing.T) {
	site := filepath.Join(t.TempDir(), "public")
	os.MkdirAll(site, 0o755)
	os.WriteFile(filepath.Join(site, "index.html"), []byte(`<!doctype html><title>Home</title><a href="/a.html">a</a> <a href="/missing.html">gone</a>`), 0o644)
	os.WriteFile(filepath.Join(site, "a.html"), []byte(`<!doctype html><title>A</title><p>text</p>`), 0o644)
	os.WriteFile(filepath.Join(site, "robots.txt"), []byte("User-agent: *\nAllow: /\nSitemap: http://public.localhost/sitemap.xml\n"), 0o644)
	os.WriteFile(filepath.Join(site, "sitemap.xml"), []byte(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>http://public.localhost/a.html</loc></url></urlset>`), 0o644)
	logs := map[string]bool{"crawl-page": true, "crawl-robots": true, "crawl-sitemap": true}
	for _, c := range []struct {
		name      string
		set       func(*Config)
		wantLines bool
	}{
		{"default", func(*Config) {}, false},
		{"--show-crawl", func(c *Config) { c.ShowCrawl = true }, true},
		{"--no-checks", func(c *Config) { c.NoChecks = true }, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.Rate = 0
			c.set(&cfg)
			res, err := Run(context.Background(), []string{site}, cfg)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]int{}
			for _, f := range res.Findings {
				got[f.RuleID]++
			}
			for id := range logs {
				if (got[id] > 0) != c.wantLines {
					t.Errorf("%d %s findings", got[id], id)
				}
			}
			if got["crawl-http-error"] == 0 {
				t.Errorf("the link to a missing page is no finding: %v", got)
			}
			if n := len(res.Sites[0].Pages); n != 3 {
				t.Errorf("the site model has %d pages", n)
			}
			// Shown, the log lines are shown whole in text and markdown;
			// the checks' findings are capped.
			rep := res.Report()
			if slices.Contains(rep.Uncapped, "crawl-page") != c.wantLines || rep.MaxPerRule != report.DefaultMaxPerRule {
				t.Errorf("uncapped %v, max per rule %d", rep.Uncapped, rep.MaxPerRule)
			}
		})
	}
}

// TestGatesCompareTheShownScore: --min-score, a category threshold and the
// baseline compare the scores as the reports print them (89.6 is 90), so
// that no gate fails on a score printed as passing.
func TestGatesCompareTheShownScore(t *testing.T) {
	min := 90.0
	scores := func(overall, access float64) *report.Scores {
		return &report.Scores{Overall: overall, Categories: []report.CategoryScore{{ID: string(checks.Access), Score: access}}}
	}
	res := &Result{Scores: scores(89.6, 89.5)}
	res.gate(Config{MinScore: &min, Thresholds: map[string]float64{string(checks.Access): 90}}, &baseline{file: "b.json", scores: scores(90.4, 0)})
	if len(res.Gates) != 0 {
		t.Errorf("gates %q on scores printed as 90", res.Gates)
	}
	res = &Result{Scores: scores(89.4, 89.4)}
	res.gate(Config{MinScore: &min, Thresholds: map[string]float64{string(checks.Access): 90}}, &baseline{file: "b.json", scores: scores(90, 0)})
	want := []string{"audit score 89 is below --min-score 90", "Access score 89 is below its threshold 90", "audit score dropped from 90 to 89 (baseline b.json)"}
	if !slices.Equal(res.Gates, want) {
		t.Errorf("gates %q, want %q", res.Gates, want)
	}
}
