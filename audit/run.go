package audit

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/agentready/agentready/audit/checks"
	"github.com/agentready/agentready/audit/crawl"
	"github.com/agentready/agentready/audit/render"
	"github.com/agentready/agentready/internal/options"
	"github.com/agentready/agentready/report"
)

// Result is a whole audit, as Go values.
type Result struct {
	// Targets are the targets as the report names them: the arguments,
	// then "--urls FILE".
	Targets []string
	// Sites are the crawled sites, in the order of the targets.
	Sites []*crawl.Site
	// Scorecard holds each scored site's check results; nil with NoChecks.
	Scorecard *checks.Scorecard
	// Scores are the sites' combined scores; nil when no site was scored.
	Scores *report.Scores
	// Findings are the crawl's and the checks' findings, located at the
	// files of folder targets; Rules describe every rule they name.
	Findings []report.Finding
	Rules    []report.Rule
	Stats    []report.Stat
	// Gates say why the run fails the user's bar: a score under MinScore
	// or a category threshold, a check the baseline passed that fails
	// now, a site the run ended before reading while a gate was set. The
	// CLI exits 1 on any.
	Gates []string
	// Unreachable are the targets that could not be fetched at all for a
	// network reason (connection refused, DNS, TLS, a timeout; not an
	// HTTP error status, which is the site's answer): they are not
	// scored, and the CLI exits 2. In the order of the targets.
	Unreachable []Unreachable
	// Interrupted says ctx was cancelled before the audit was done: the
	// result holds what was found until then.
	Interrupted bool
	// Duration is how long the audit took.
	Duration time.Duration
	// crawlLog says the findings have the crawl's log lines (ShowCrawl):
	// the text and markdown reports show them whole.
	crawlLog bool
}

// Unreachable is a target the audit could not fetch at all.
type Unreachable struct {
	// Target is the URL as given (the origin, for a site of a --urls
	// list).
	Target string
	// Reason is the network error ("dial tcp 127.0.0.1:1: connect:
	// connection refused"), prefixed with "robots.txt: " when it was
	// robots.txt that could not be fetched.
	Reason string
}

func (u Unreachable) String() string { return u.Target + ": " + u.Reason }

// UnreachableError lists the targets an audit could not fetch at all (a
// network failure: no HTTP answer, Result.Unreachable). They were not
// audited, so it is an error, not a finding: the CLI exits 2 whatever
// --fail-on, since CI must not read a server that had not started as a
// score that dropped (lint's error for a spec URL it cannot fetch is the
// same fault).
type UnreachableError struct {
	Targets []Unreachable
	// Audited counts the targets that were audited and reported.
	Audited int
}

func (e *UnreachableError) Error() string {
	if len(e.Targets) == 1 && e.Audited == 0 {
		return fmt.Sprintf("%s: unreachable: %s", e.Targets[0].Target, e.Targets[0].Reason)
	}
	var b strings.Builder
	if len(e.Targets) == 1 {
		b.WriteString("1 target unreachable, not audited")
	} else {
		fmt.Fprintf(&b, "%d targets unreachable, not audited", len(e.Targets))
	}
	if e.Audited > 0 {
		fmt.Fprintf(&b, " (the report covers the other %d)", e.Audited)
	}
	b.WriteString(":")
	for _, u := range e.Targets {
		fmt.Fprintf(&b, "\n  %s", u)
	}
	return b.String()
}

// maxAccessSections bounds the AI access matrices a report shows as
// sections (the text and markdown printers); a long --urls list shows the
// first ones and a line for the rest.
const maxAccessSections = 20

// Run audits the targets (http(s) URLs and folders, then the list cfg.URLs
// names): it validates cfg, crawls what the selected checks need, reports
// what the crawl found, runs the checks over each site as soon as it is
// crawled, scores the sites and holds the scores to cfg's gates. A bad
// setting or target is an *options.Invalid. When ctx is cancelled, Run
// returns what was found until then.
func Run(ctx context.Context, targets []string, cfg Config) (*Result, error) {
	started := time.Now()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if err := cfg.Policy.Validate(); err != nil {
		return nil, err
	}
	ts, shard, err := cfg.targets(targets)
	if err != nil {
		return nil, err
	}
	if shard != nil {
		shard.Sites = len(ts)
	}
	var base *baseline
	if cfg.Baseline != "" {
		// Read before the crawl: a report written by this run to the same
		// file must not be its own baseline.
		if base, err = readBaseline(cfg.Baseline); err != nil {
			return nil, err
		}
	}
	if cfg.OnStart != nil {
		if err := cfg.OnStart(); err != nil {
			return nil, err
		}
	}
	res := &Result{Targets: targets, crawlLog: cfg.showCrawl()}
	if cfg.URLs != "" {
		res.Targets = append(res.Targets, "--urls "+cfg.URLs)
	}
	co := cfg.crawlOptions()
	if cfg.Render && !cfg.NoChecks {
		b, err := render.Start(ctx, cfg.renderOptions())
		if err != nil {
			if errors.Is(err, render.ErrNoBrowser) {
				return nil, options.Invalidf("--render: %v: install Chromium, or name the browser with --chrome PATH", err)
			}
			if cfg.Chrome != "" {
				return nil, options.Invalidf("--chrome: %v", err)
			}
			return nil, fmt.Errorf("--render: %w", err)
		}
		defer b.Close()
		co.Render = b.Render
	}
	// Each site is checked as soon as its crawl is done, while the others
	// are crawled.
	scored := make([]*checks.SiteResult, len(ts))
	var mu sync.Mutex
	co.OnSite = func(s *crawl.Site) {
		r := cfg.check(s)
		mu.Lock()
		scored[s.Index] = r
		mu.Unlock()
		if cfg.OnSiteReport != nil {
			cfg.OnSiteReport(s.Index, cfg.siteReport(s, r, shard))
		}
	}
	sites, err := crawl.Crawl(ctx, ts, co)
	if err != nil {
		return nil, &options.Invalid{Err: err}
	}
	res.Sites = sites
	for _, s := range sites {
		if why := checks.Unreachable(s); why != "" {
			res.Unreachable = append(res.Unreachable, Unreachable{Target: targetName(s), Reason: why})
		}
	}
	res.Findings, res.Stats = crawlFindings(sites, cfg.showCrawl())
	res.Rules = checks.DescriptorsOf(checks.CrawlChecks())
	if !cfg.NoChecks {
		res.score(cfg, sites, scored)
		res.gate(cfg, base)
	}
	folderFiles(res.Findings, sites)
	res.Findings, res.Rules = cfg.process(res.Findings, res.Rules)
	res.Interrupted = ctx.Err() != nil
	res.Duration = time.Since(started)
	return res, nil
}

// check runs the scored checks over a crawled site; nil when none ran or
// the site has nothing to score.
func (cfg Config) check(s *crawl.Site) *checks.SiteResult {
	if cfg.NoChecks || len(s.Pages) == 0 || checks.Unread(s) || checks.Unreachable(s) != "" {
		return nil
	}
	return checks.Run(s, checks.Options{Profile: cfg.Profile, Render: cfg.Render})
}

// siteReport is the report of one site (a JSON line of a --urls run).
// With --urls, it records the shard and the site's place in it.
func (cfg Config) siteReport(s *crawl.Site, r *checks.SiteResult, shard *ShardInfo) *report.Report {
	one := &Result{Targets: []string{targetName(s)}, crawlLog: cfg.showCrawl()}
	sites := []*crawl.Site{s}
	one.Sites = sites
	one.Findings, one.Stats = crawlFindings(sites, cfg.showCrawl())
	one.Rules = checks.DescriptorsOf(checks.CrawlChecks())
	if !cfg.NoChecks {
		one.score(cfg, sites, []*checks.SiteResult{r})
	}
	folderFiles(one.Findings, sites)
	one.Findings, one.Rules = cfg.process(one.Findings, one.Rules)
	rep := one.Report()
	rep.Duration = 0
	if s.Stats.Limit == "cancelled" {
		// The run was interrupted before this site's crawl was done: its
		// line must not read as a whole audit of it.
		rep.Incomplete = "interrupted"
	}
	if shard != nil {
		at := *shard
		at.Site = s.Index
		rep.Extra.(*Extra).Shard = &at
	}
	return rep
}

// targetName is how a one-site report names its target: the target as
// given, or the origin of a site of a --urls list.
func targetName(s *crawl.Site) string {
	if len(s.Pages) > 0 && s.Pages[0].Source == "list" {
		return s.Origin
	}
	return s.Target
}

// process applies the policy (severity overrides and ignores), dedupes
// and sorts: report.Process, once per report. The policy was validated
// before the crawl.
func (cfg Config) process(fs []report.Finding, rules []report.Rule) ([]report.Finding, []report.Rule) {
	r := &report.Report{Findings: fs, Rules: rules}
	_ = report.Process(r, cfg.Policy)
	return r.Findings, r.Rules
}

// crawlFindings are the crawl's own findings (with its log lines when
// logs) and counters.
func crawlFindings(sites []*crawl.Site, logs bool) ([]report.Finding, []report.Stat) {
	var fs []report.Finding
	var pages, requests, disallowed, errs, bytes int64
	for _, s := range sites {
		fs = append(fs, checks.CrawlFindings(s, logs)...)
		pages += int64(s.Stats.Pages)
		requests += int64(s.Stats.Requests)
		disallowed += int64(s.Stats.Disallowed)
		errs += int64(s.Stats.Errors)
		bytes += s.Stats.Bytes
	}
	return fs, []report.Stat{{Name: "sites", Value: int64(len(sites))}, {Name: "pages", Value: pages},
		{Name: "requests", Value: requests}, {Name: "bytes", Value: bytes}, {Name: "disallowed", Value: disallowed}, {Name: "errors", Value: errs}}
}

// score adds the checks' findings, descriptors, scorecard and combined
// scores of the sites (results[i] is sites[i]'s, nil when unscored).
func (res *Result) score(cfg Config, sites []*crawl.Site, results []*checks.SiteResult) {
	res.Scorecard = &checks.Scorecard{}
	var names []string // each result's site as the user named it
	for i, r := range results {
		if r == nil {
			continue
		}
		res.Scorecard.Sites = append(res.Scorecard.Sites, r)
		names = append(names, checks.SiteName(sites[i]))
		res.Findings = append(res.Findings, r.Findings...)
	}
	res.Rules = append(res.Rules, checks.DescriptorsOf(checks.Selected(cfg.Profile))...)
	if cfg.Render {
		res.Rules = append(res.Rules, checks.DescriptorsOf(checks.RenderChecks())...)
	}
	rs := res.Scorecard.Sites
	if len(rs) == 0 {
		res.Scorecard = nil // no "scorecard" key when no site was scored
		return
	}
	res.Scores = checks.Combine(rs)
	// A capped score is explained under the score bars, as the html
	// report does (docs/scoring.md: "The report says so"): an Overall of
	// 40 beside an Access of 83 is otherwise a puzzle.
	for i, r := range rs {
		if r.Capped == "" {
			continue
		}
		note := r.Capped
		if len(rs) > 1 {
			note = names[i] + ": " + note
		}
		res.Scores.Sections = append(res.Scores.Sections, report.Section{Title: note})
	}
	// The text and markdown reports show each site's AI access matrix (the
	// json and html reports have it in the scorecard).
	for i, r := range rs {
		if i == maxAccessSections {
			noun := "sites"
			if len(rs)-i == 1 {
				noun = "site"
			}
			res.Scores.Sections = append(res.Scores.Sections, report.Section{Title: fmt.Sprintf("AI crawler access of %d more %s: see -f json or -f html", len(rs)-i, noun)})
			break
		}
		if sec, ok := checks.AccessSection(r, names[i]); ok {
			res.Scores.Sections = append(res.Scores.Sections, sec)
		}
	}
}

// gate holds the scores to --min-score, the category thresholds and the
// baseline.
func (res *Result) gate(cfg Config, base *baseline) {
	if cfg.MinScore != nil || len(cfg.Thresholds) > 0 || base != nil {
		// A site the run cut before its first page has no score: a gate
		// that passed on it would pass a site nobody read (a start page
		// that hangs past --max-duration).
		for _, s := range res.Sites {
			if checks.Unread(s) {
				res.Gates = append(res.Gates, fmt.Sprintf("%s: the run ended (%s) before any page was fetched: no score to hold to --min-score, thresholds or --baseline", checks.SiteName(s), s.Stats.Limit))
			}
		}
	}
	if res.Scores == nil {
		return
	}
	// Gates compare the scores as printed (report.ShownScore).
	if overall := report.ShownScore(res.Scores.Overall); cfg.MinScore != nil && overall < *cfg.MinScore {
		res.Gates = append(res.Gates, fmt.Sprintf("audit score %g is below --min-score %g", overall, *cfg.MinScore))
	}
	for _, cat := range checks.Categories {
		min, ok := cfg.Thresholds[string(cat)]
		if !ok {
			continue
		}
		for _, cs := range res.Scores.Categories {
			if shown := report.ShownScore(cs.Score); cs.ID == string(cat) && shown < min {
				res.Gates = append(res.Gates, fmt.Sprintf("%s score %g is below its threshold %g", cat.Title(), shown, min))
			}
		}
	}
	if base != nil {
		res.Gates = append(res.Gates, base.compare(res.Scores, res.Scorecard)...)
	}
}

// Report returns the audit's report: its findings, rules, scores and
// stats, with the scorecard and sites as Go values in Extra.
func (res *Result) Report() *report.Report {
	var uncapped []string
	if res.crawlLog {
		uncapped = checks.CrawlLogIDs()
	}
	rep := &report.Report{
		Command: "audit", Targets: res.Targets, Rules: res.Rules, Findings: res.Findings,
		Scores: res.Scores, Stats: res.Stats, Duration: res.Duration,
		MaxPerRule: report.DefaultMaxPerRule, Uncapped: uncapped,
		Extra: &Extra{Scorecard: res.Scorecard, Sites: res.Sites},
	}
	// A partial audit says so in every format (report.Report.Incomplete).
	switch {
	case res.Interrupted:
		rep.Incomplete = "interrupted"
	case len(res.Unreachable) > 0:
		rep.Incomplete = fmt.Sprintf("%d of %d targets unreachable, not audited", len(res.Unreachable), len(res.Sites))
	}
	return rep
}

// targets turns the arguments and the --urls list into crawl targets;
// with --urls, the shard says which part of which list they are.
func (cfg Config) targets(args []string) ([]crawl.Target, *ShardInfo, error) {
	var ts []crawl.Target
	for _, a := range args {
		if strings.HasPrefix(a, "http://") || strings.HasPrefix(a, "https://") {
			ts = append(ts, crawl.Target{URL: a})
			continue
		}
		fi, err := os.Stat(a)
		switch {
		case err == nil && fi.IsDir():
			ts = append(ts, crawl.Target{Folder: a})
			continue
		case err == nil:
			return nil, nil, options.Invalidf("%s is a file; a target is an http(s) URL or a folder (use --urls FILE for a list)", a)
		case !strings.ContainsAny(a, `/\`) && strings.Contains(a, "."):
			return nil, nil, options.Invalidf("%s: no such folder; for a site write https://%s", a, a)
		}
		return nil, nil, options.Invalidf("%s: not an http(s) URL or an existing folder", a)
	}
	if cfg.URLs == "" {
		if len(ts) == 0 {
			return nil, nil, options.Invalidf("give a URL, a folder or --urls FILE")
		}
		return ts, nil, nil
	}
	r, name := cfg.Stdin, "stdin"
	if cfg.URLs != "-" {
		f, err := os.Open(cfg.URLs)
		if err != nil {
			return nil, nil, fmt.Errorf("--urls: %w", err)
		}
		defer f.Close()
		r, name = f, cfg.URLs
	}
	if r == nil {
		r = strings.NewReader("")
	}
	sum := newInputSum(r)
	urls, err := crawl.ReadURLList(sum, name)
	if err != nil {
		return nil, nil, fmt.Errorf("--urls: %w", err)
	}
	list := crawl.GroupByOrigin(urls)
	shard := &ShardInfo{Count: 1, Input: sum.sum(), Total: len(ts) + len(list)}
	if cfg.Shard != "" {
		i, n, err := crawl.ParseShard(cfg.Shard)
		if err != nil {
			return nil, nil, options.Invalidf("--shard: %v", err)
		}
		list = crawl.Shard(list, i, n)
		shard.Index, shard.Count = i, n
		if cfg.Logf != nil {
			cfg.Logf("shard %d/%d: %d of the list's sites", i, n, len(list))
		}
	}
	return append(ts, list...), shard, nil
}
