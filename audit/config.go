package audit

import (
	"fmt"
	"io"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/agentready/agentready/audit/checks"
	"github.com/agentready/agentready/audit/crawl"
	"github.com/agentready/agentready/audit/render"
	"github.com/agentready/agentready/internal/options"
	"github.com/agentready/agentready/report"
)

// Config is every setting of an audit, described once: a field's tags name
// its flag (flag, arg, short, help) and its key in the audit: section of
// .agentready.yaml (yaml; "-" for a flag only), as package options reads
// them. DefaultConfig holds the defaults.
type Config struct {
	// Policy is the audit: section's severity overrides and ignore
	// entries, applied to the findings.
	report.Policy `yaml:",inline"`

	// URLs names a file listing exactly the URLs to audit, one a line
	// ("-" reads Stdin); Shard keeps one shard of that list.
	URLs  string `yaml:"-" flag:"urls" arg:"FILE" help:"audit exactly the URLs listed in FILE (one a line; - for stdin)"`
	Shard string `yaml:"-" flag:"shard" arg:"I/N" help:"with --urls, audit only shard I/N of the list (split by host, 0 <= I < N)"`

	// Crawl settings.
	Scope        crawl.Scope   `yaml:"scope" flag:"scope" help:"which links to follow: host, domain (subdomains too) or prefix (under the start URL's path)"`
	Include      []string      `yaml:"include" flag:"include" arg:"regexp" help:"follow only URLs matching this regexp (repeatable)"`
	Exclude      []string      `yaml:"exclude" flag:"exclude" arg:"regexp" help:"never follow URLs matching this regexp (repeatable)"`
	MaxPages     int           `yaml:"max-pages" flag:"max-pages" arg:"N" help:"fetch at most N pages per site (0: no limit)"`
	MaxDepth     int           `yaml:"max-depth" flag:"max-depth" arg:"N" help:"follow links at most N clicks from the start (0: no limit)"`
	MaxDuration  time.Duration `yaml:"max-duration" flag:"max-duration" arg:"duration" help:"stop the whole crawl after this duration (0: no limit); what it cuts is not held against a site, but a site it stops before any page is an error and fails score gates"`
	UserAgent    string        `yaml:"user-agent" flag:"user-agent" help:"User-Agent to send; robots.txt is obeyed for its product token (default agentready/VERSION (+https://github.com/agentready/agentready))"`
	IgnoreRobots bool          `yaml:"ignore-robots" flag:"ignore-robots" help:"fetch pages robots.txt disallows (only for a site you run)"`
	Rate         float64       `yaml:"rate" flag:"rate" help:"requests per second per host (0: no limit)"`
	Concurrency  int           `yaml:"concurrency" flag:"concurrency" help:"requests in flight per host"`
	AllowPrivate bool          `yaml:"allow-private" flag:"allow-private" help:"let a public target lead to private, loopback and link-local addresses"`
	MaxBodyMiB   int64         `yaml:"-" flag:"max-body" arg:"MiB" help:"read at most MiB of each body (after decompression)"`
	Timeout      time.Duration `yaml:"-" flag:"timeout" arg:"duration" help:"give up on a response after this duration"`
	NoSitemaps   bool          `yaml:"-" flag:"no-sitemaps" help:"do not read robots.txt Sitemap: lines and /sitemap.xml"`

	// Checks and scoring.
	Profile  checks.Profile `yaml:"profile" flag:"profile" help:"weights for the overall score: auto, content, docs, commerce or api (see docs/scoring.md)"`
	MinScore *float64       `yaml:"min-score" flag:"min-score" arg:"N" help:"exit 1 when the overall score is below N (0-100)"`
	Baseline string         `yaml:"-" flag:"baseline" arg:"FILE" help:"exit 1 when the score dropped or a check that passed in this earlier json report (FILE) now fails"`
	NoChecks bool           `yaml:"-" flag:"no-checks" help:"only crawl and report what was fetched; run no check"`
	// ShowCrawl makes the crawl's log lines findings: every page fetched
	// (crawl-page), robots.txt and each sitemap read. Without it they are
	// only in the site model (the json report's extra.sites); what went
	// wrong in the crawl is a finding either way. NoChecks implies it: the
	// crawl is then the whole report.
	ShowCrawl   bool `yaml:"show-crawl" flag:"show-crawl" help:"report every page fetched, robots.txt and the sitemaps read as findings (crawl-page, crawl-robots, crawl-sitemap); -v and --no-checks do too"`
	ParityPages int  `yaml:"parity-pages" flag:"parity-pages" arg:"N" help:"pages per site fetched again as a browser and as each of 5 AI agents for user-agent parity (6 requests a page): the start page, then a page of each top-level section (/blog, /docs, ...), most pages first (N from 1 to 10)"`
	// Render loads the pages in headless Chromium too (audit/render); its
	// settings are flags only.
	Render            bool          `yaml:"-" flag:"render" help:"also load the pages in headless Chromium and report what a browsing agent gets beside what a fetcher reads: text, structured data and links only after JavaScript, the accessibility tree, WebMCP tools (scores agentic-browsing)"`
	Chrome            string        `yaml:"-" flag:"chrome" arg:"PATH" help:"the browser --render runs (default: chromium, chromium-browser, google-chrome or google-chrome-stable in PATH)"`
	RenderConcurrency int           `yaml:"-" flag:"render-concurrency" arg:"N" help:"with --render, keep N tabs open at once (one browser for the whole run)"`
	RenderPages       int           `yaml:"-" flag:"render-pages" arg:"N" help:"with --render, render at most N pages per site: the start page, then by URL"`
	RenderTimeout     time.Duration `yaml:"-" flag:"render-timeout" arg:"duration" help:"with --render, give up on loading and reading a page after this duration"`
	RenderMaxMemMiB   int           `yaml:"-" flag:"render-max-memory" arg:"MiB" help:"with --render, render no further page once the browser's processes hold MiB of memory"`
	// Thresholds are minimum scores by category ID.
	Thresholds map[string]float64 `yaml:"thresholds"`

	// Version fills the default user agent (agentready/VERSION).
	Version string `yaml:"-"`
	// Stdin is what URLs "-" reads.
	Stdin io.Reader `yaml:"-"`
	// OnFetch, when set, is called after every HTTP exchange; OnProgress
	// when the crawl's counters change. Both may be called concurrently.
	OnFetch    func(crawl.FetchEvent) `yaml:"-"`
	OnProgress func(crawl.Progress)   `yaml:"-"`
	// OnStart, when set, is called once the settings, the targets (the
	// --urls list) and the baseline are read, before anything is fetched:
	// a caller opens its outputs there, so that a run refused for its
	// input leaves an earlier output alone. An error ends the run.
	OnStart func() error `yaml:"-"`
	// OnSiteReport, when set, is called with the report of each site (its
	// crawl findings, checks and scores) as soon as it is done; index is
	// its position in the list of targets. It may be called concurrently
	// and in any order.
	OnSiteReport func(index int, r *report.Report) `yaml:"-"`
	// Logf, when set, receives what a verbose run logs.
	Logf func(format string, args ...any) `yaml:"-"`
}

// DefaultConfig returns the defaults of every setting.
func DefaultConfig() Config {
	return Config{
		Scope:       crawl.ScopeHost,
		MaxPages:    crawl.DefaultMaxPages,
		Rate:        crawl.DefaultRate,
		Concurrency: crawl.DefaultConcurrency,
		MaxBodyMiB:  crawl.DefaultMaxBodyBytes >> 20,
		Timeout:     30 * time.Second,
		Profile:     checks.ProfileAuto,
		ParityPages: checks.DefaultParityPages,

		RenderConcurrency: render.DefaultConcurrency,
		RenderPages:       render.DefaultMaxPages,
		RenderTimeout:     render.DefaultPageTimeout,
		RenderMaxMemMiB:   render.DefaultMaxMemMiB,
	}
}

// Validate reports the first setting the audit cannot use. A bad flag
// value is an *options.Invalid; a bad thresholds entry (config only) a
// plain error naming its key.
func (c Config) Validate() error {
	switch {
	case c.Scope != crawl.ScopeHost && c.Scope != crawl.ScopeDomain && c.Scope != crawl.ScopePrefix:
		return options.Invalidf("--scope: %q is not host, domain or prefix", c.Scope)
	case c.MaxPages < 0 || c.MaxDepth < 0 || c.MaxDuration < 0:
		return options.Invalidf("--max-pages, --max-depth and --max-duration cannot be negative")
	case c.Rate < 0:
		return options.Invalidf("--rate cannot be negative (0 means no limit)")
	case c.Concurrency < 1 || c.Concurrency > 256:
		return options.Invalidf("--concurrency: want 1 to 256, not %d", c.Concurrency)
	case c.MaxBodyMiB < 1:
		return options.Invalidf("--max-body: want at least 1 MiB")
	case c.Timeout <= 0:
		return options.Invalidf("--timeout must be positive")
	}
	if _, _, err := c.patterns(); err != nil {
		return err
	}
	if !slices.Contains(checks.Profiles, c.Profile) {
		return options.Invalidf("--profile: %q is not auto, content, docs, commerce or api", c.Profile)
	}
	if c.MinScore != nil && (*c.MinScore < 0 || *c.MinScore > 100) {
		return options.Invalidf("--min-score: %v is not between 0 and 100", *c.MinScore)
	}
	for _, cat := range slices.Sorted(maps.Keys(c.Thresholds)) {
		v := c.Thresholds[cat]
		if !slices.Contains(checks.Categories, checks.Category(cat)) {
			return fmt.Errorf("audit.thresholds: unknown category %q (want one of %s)", cat, categoryList())
		}
		if v < 0 || v > 100 {
			return fmt.Errorf("audit.thresholds.%s: %v is not between 0 and 100", cat, v)
		}
	}
	if c.ParityPages < 1 || c.ParityPages > checks.MaxParityPages {
		return options.Invalidf("--parity-pages: %d is not between 1 and %d", c.ParityPages, checks.MaxParityPages)
	}
	if c.RenderConcurrency < 1 || c.RenderConcurrency > 32 || c.RenderPages < 1 || c.RenderTimeout <= 0 || c.RenderMaxMemMiB < 256 {
		return options.Invalidf("--render-concurrency (1 to 32), --render-pages (at least 1), --render-timeout (positive) and --render-max-memory (at least 256 MiB) are out of range")
	}
	if c.Shard != "" && c.URLs == "" {
		return options.Invalidf("--shard needs --urls")
	}
	return c.Policy.ValidateIDs("audit", "check", KnownIDs())
}

// KnownIDs are the names an audit config may give a severity or an
// ignore: every check ID (the crawl's too) and every category, sorted.
func KnownIDs() []string {
	var ids []string
	for _, c := range append(checks.CrawlChecks(), checks.All()...) {
		ids = append(ids, c.ID)
	}
	for _, c := range append([]checks.Category{checks.Crawl}, checks.Categories...) {
		ids = append(ids, string(c))
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

func categoryList() string {
	var s []string
	for _, c := range checks.Categories {
		s = append(s, string(c))
	}
	return strings.Join(s, ", ")
}

// patterns compiles --include and --exclude.
func (c Config) patterns() (include, exclude []*regexp.Regexp, err error) {
	for _, pair := range []struct {
		flag string
		in   []string
		out  *[]*regexp.Regexp
	}{{"--include", c.Include, &include}, {"--exclude", c.Exclude, &exclude}} {
		for _, s := range pair.in {
			re, err := regexp.Compile(s)
			if err != nil {
				return nil, nil, options.Invalidf("%s %q: %v", pair.flag, s, err)
			}
			*pair.out = append(*pair.out, re)
		}
	}
	return include, exclude, nil
}

// crawlOptions are the crawler's options for a valid Config: its limits,
// and what the selected checks need fetched (nothing with NoChecks).
func (c Config) crawlOptions() crawl.Options {
	co := crawl.Options{
		Version:      c.Version,
		UserAgent:    c.UserAgent,
		IgnoreRobots: c.IgnoreRobots,
		Scope:        c.Scope,
		MaxPages:     c.MaxPages,
		MaxDepth:     c.MaxDepth,
		MaxDuration:  c.MaxDuration,
		Rate:         c.Rate,
		Concurrency:  c.Concurrency,
		AllowPrivate: c.AllowPrivate,
		MaxBodyBytes: c.MaxBodyMiB << 20,
		NoSitemaps:   c.NoSitemaps,
		OnFetch:      c.OnFetch,
		OnProgress:   c.OnProgress,
	}
	// 0 is "no limit" to the user, "the default" to the crawler.
	if c.MaxPages == 0 {
		co.MaxPages = -1
	}
	if c.Rate == 0 {
		co.Rate = -1
	}
	co.ResponseTimeout = c.Timeout
	co.FirstByteTimeout = min(c.Timeout, 15*time.Second)
	co.ConnectTimeout = min(c.Timeout, 10*time.Second)
	co.Include, co.Exclude, _ = c.patterns()
	checks.ConfigureFor(&co, c.selected(), checks.CrawlSettings{ParityPages: c.ParityPages})
	return co
}

// renderOptions are the browser's options for a valid Config.
func (c Config) renderOptions() render.Options {
	return render.Options{Chrome: c.Chrome, Concurrency: c.RenderConcurrency, MaxPages: c.RenderPages,
		PageTimeout: c.RenderTimeout, MaxMemMiB: c.RenderMaxMemMiB}
}

// showCrawl reports whether the crawl's log lines are findings.
func (c Config) showCrawl() bool { return c.ShowCrawl || c.NoChecks }

// selected returns the scored checks the audit runs.
func (c Config) selected() []*checks.Check {
	if c.NoChecks {
		return nil
	}
	return checks.Selected(c.Profile)
}
