package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/agentready/agentready/audit"
	"github.com/agentready/agentready/audit/checks"
	"github.com/agentready/agentready/audit/crawl"
	"github.com/agentready/agentready/report"
)

// auditCheckOpts are the flags the machine-readability checks add to audit.
type auditCheckOpts struct {
	profile     string
	minScore    float64
	minScoreSet bool
	explain     string
	baseline    string
	noChecks    bool
	parityPages int
	// unscored names the sites the run ended before any page of was
	// fetched (see stoppedEmpty): a score gate cannot pass on them.
	unscored []string
}

func (o *auditCheckOpts) addFlags(f *pflag.FlagSet) {
	f.StringVar(&o.profile, "profile", "auto", "weights for the overall score: auto, content, docs, commerce or api (see docs/scoring.md)")
	f.Float64Var(&o.minScore, "min-score", 0, "exit 1 when the overall score is below `N` (0-100)")
	f.StringVar(&o.explain, "explain", "", "print the documentation of `CHECK` (how to fix it, spec links) and exit")
	f.StringVar(&o.baseline, "baseline", "", "exit 1 when the score dropped or a check that passed in this earlier json report (`FILE`) now fails")
	f.BoolVar(&o.noChecks, "no-checks", false, "only crawl and report what was fetched; run no check")
	f.IntVar(&o.parityPages, "parity-pages", checks.DefaultParityPages, "pages per site fetched again as a browser and as AI agents for user-agent parity: the start page as each agent, the others as one agent each (`N` from 1 to 50)")
}

// prepare validates the check flags against the config and adds what the
// checks need to the crawl.
func (o *auditCheckOpts) prepare(cmd *cobra.Command, c *AuditConfig, co *crawl.Options) error {
	path := cmd.CommandPath()
	set := cmd.Flags().Changed
	o.minScoreSet = set("min-score")
	if !o.minScoreSet && c.MinScore != nil {
		o.minScore, o.minScoreSet = *c.MinScore, true
	}
	if c.Profile != "" && !set("profile") {
		o.profile = c.Profile
	}
	if !slices.Contains(checks.Profiles, checks.Profile(o.profile)) {
		return usageErrorf(path, "--profile: %q is not auto, content, docs, commerce or api", o.profile)
	}
	if o.minScoreSet && (o.minScore < 0 || o.minScore > 100) {
		return usageErrorf(path, "--min-score: %v is not between 0 and 100", o.minScore)
	}
	for cat, v := range c.Thresholds {
		if !slices.Contains(checks.Categories, checks.Category(cat)) {
			return fmt.Errorf("audit.thresholds: unknown category %q (want one of %s)", cat, categoryList())
		}
		if v < 0 || v > 100 {
			return fmt.Errorf("audit.thresholds.%s: %v is not between 0 and 100", cat, v)
		}
	}
	if c.ParityPages != nil && !set("parity-pages") {
		o.parityPages = *c.ParityPages
	}
	if o.parityPages < 1 || o.parityPages > 50 {
		return usageErrorf(path, "--parity-pages: %d is not between 1 and 50", o.parityPages)
	}
	if !o.noChecks {
		checks.ConfigureWith(co, checks.CrawlSettings{ParityPages: o.parityPages})
	}
	return nil
}

func categoryList() string {
	var s []string
	for _, c := range checks.Categories {
		s = append(s, string(c))
	}
	return strings.Join(s, ", ")
}

// explainCheck prints a check's documentation.
func explainCheck(g *globalOpts, path, id string) error {
	c, ok := checks.Lookup(id)
	if !ok {
		var ids []string
		for _, c := range checks.All() {
			ids = append(ids, c.ID)
		}
		return usageErrorf(path, "--explain: no check %q (checks: %s)", id, strings.Join(ids, ", "))
	}
	fmt.Fprintf(g.stdout, "%s: %s\n\ncategory %s, weight %g, severity %s\n\n%s", c.ID, c.Title, c.Category.Title(), c.Weight, c.Severity, c.Doc())
	return nil
}

// maxAccessSections bounds the AI access matrices the text report shows.
const maxAccessSections = 20

// scoreSites runs the checks over the crawled sites and adds their findings,
// rule descriptors, scores and scorecard to the report.
func (o *auditCheckOpts) scoreSites(rep *report.Report, sites []*crawl.Site) {
	if o.noChecks {
		return
	}
	var results []*checks.SiteResult
	var names []string // each result's site as the user named it
	// The report's sites, whose gates thresholds checks: with --urls this
	// runs once per site for the JSON lines, then over them all.
	o.unscored = nil
	for _, s := range sites {
		if s != nil && stoppedEmpty(s) {
			o.unscored = append(o.unscored, fmt.Sprintf("%s: the run ended (%s) before any page was fetched", siteName(s), s.Stats.Limit))
			continue
		}
		if s == nil || len(s.Pages) == 0 {
			continue // nothing to score
		}
		res := checks.Run(s, checks.Options{Profile: checks.Profile(o.profile)})
		results = append(results, res)
		names = append(names, siteName(s))
		rep.Findings = append(rep.Findings, res.Findings...)
	}
	rep.Rules = append(rep.Rules, checks.Descriptors()...)
	if len(results) == 0 {
		return
	}
	rep.Scores = checks.Combine(results)
	// A capped score is explained under the score bars, as the html
	// report does (docs/scoring.md: "The report says so"): an Overall of
	// 40 beside an Access of 83 is otherwise a puzzle.
	for i, r := range results {
		if r.Capped == "" {
			continue
		}
		note := r.Capped
		if len(results) > 1 {
			note = names[i] + ": " + note
		}
		rep.Scores.Sections = append(rep.Scores.Sections, report.Section{Title: note})
	}
	// The text and markdown reports show each site's AI access matrix (the
	// json and html reports have it in the scorecard); a long --urls list
	// shows the first maxAccessSections.
	for i, r := range results {
		if i == maxAccessSections {
			rep.Scores.Sections = append(rep.Scores.Sections, report.Section{Title: fmt.Sprintf("AI crawler access of %d more sites: see -f json or -f html", len(results)-i)})
			break
		}
		if sec, ok := checks.AccessSection(r, names[i]); ok {
			rep.Scores.Sections = append(rep.Scores.Sections, sec)
		}
	}
	if x, ok := rep.Extra.(*audit.Extra); ok {
		x.Scorecard = &checks.Scorecard{Sites: results}
	}
}

// thresholds returns a threshold error when the scores miss --min-score,
// a per-category threshold of the config, or the baseline.
func (o *auditCheckOpts) thresholds(rep *report.Report, c *AuditConfig) error {
	var errs []error
	if gated := o.minScoreSet || len(c.Thresholds) > 0 || o.baseline != ""; gated {
		// A site the run cut before its first page has no score: a gate
		// that passed on it would pass a site nobody read (a start page
		// that hangs past --max-duration).
		for _, u := range o.unscored {
			errs = append(errs, newThresholdError("%s: no score to hold to --min-score, thresholds or --baseline", u))
		}
	}
	if rep.Scores == nil {
		return errors.Join(errs...)
	}
	if o.minScoreSet && rep.Scores.Overall < o.minScore {
		errs = append(errs, newThresholdError("audit score %.1f is below --min-score %g", rep.Scores.Overall, o.minScore))
	}
	for _, cat := range checks.Categories {
		min, ok := c.Thresholds[string(cat)]
		if !ok {
			continue
		}
		for _, cs := range rep.Scores.Categories {
			if cs.ID == string(cat) && cs.Score < min {
				errs = append(errs, newThresholdError("%s score %.1f is below its threshold %g", cat.Title(), cs.Score, min))
			}
		}
	}
	if o.baseline != "" {
		if err := compareBaseline(o.baseline, rep); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// compareBaseline fails on a lower overall score than the baseline report's,
// or on a check that passed there and fails now.
func compareBaseline(file string, rep *report.Report) error {
	b, err := os.ReadFile(file)
	if err != nil {
		return fmt.Errorf("--baseline: %w", err)
	}
	var old struct {
		Scores *report.Scores `json:"scores"`
		Extra  struct {
			Scorecard checks.Scorecard `json:"scorecard"`
		} `json:"extra"`
	}
	if err := json.Unmarshal(b, &old); err != nil {
		return fmt.Errorf("--baseline %s: not an agentready audit json report: %v", file, err)
	}
	if old.Scores == nil {
		return fmt.Errorf("--baseline %s: the report has no scores", file)
	}
	var errs []error
	if rep.Scores.Overall < old.Scores.Overall {
		errs = append(errs, newThresholdError("audit score dropped from %.1f to %.1f (baseline %s)", old.Scores.Overall, rep.Scores.Overall, file))
	}
	var cur checks.Scorecard
	if x, ok := rep.Extra.(*audit.Extra); ok && x.Scorecard != nil {
		cur = *x.Scorecard
	}
	// Sites pair by name (a folder as the user named it, else the origin);
	// a folder was named by its loopback origin before, a new port each
	// run, so lists of the same length with no name in common pair by
	// position.
	olds, news := old.Extra.Scorecard.Sites, cur.Sites
	byName := false
	for _, a := range olds {
		for _, b := range news {
			byName = byName || a.Name() == b.Name()
		}
	}
	for i, prev := range olds {
		for j, ns := range news {
			if byName && ns.Name() != prev.Name() || !byName && (len(olds) != len(news) || i != j) {
				continue
			}
			for _, oc := range prev.Checks {
				for _, nc := range ns.Checks {
					if nc.ID == oc.ID && oc.Passed() && nc.Score != nil && !nc.Passed() {
						errs = append(errs, newThresholdError("check %s now fails on %s (%.0f, was %.0f)", nc.ID, ns.Name(), math.Round(*nc.Score), math.Round(*oc.Score)))
					}
				}
			}
		}
	}
	return errors.Join(errs...)
}
