package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/agentready/agentready/audit"
	"github.com/agentready/agentready/audit/crawl"
	"github.com/agentready/agentready/audit/sitemap"
	"github.com/agentready/agentready/report"
	"github.com/spf13/cobra"
)

// auditOpts are audit's flags.
type auditOpts struct {
	urls         string
	shard        string
	scope        string
	include      []string
	exclude      []string
	maxPages     int
	maxDepth     int
	maxDuration  time.Duration
	userAgent    string
	ignoreRobots bool
	rate         float64
	concurrency  int
	allowPrivate bool
	maxBodyMiB   int64
	timeout      time.Duration
	noSitemaps   bool
	checks       auditCheckOpts
}

func newAuditCmd(g *globalOpts) *cobra.Command {
	o := &auditOpts{}
	cmd := &cobra.Command{
		Use:   "audit [flags] URL|FOLDER...",
		Short: "Crawl a site and report what machines can read",
		Long: `Crawl a site politely and within limits and report what was fetched: every
page with its status, timings and robots.txt verdict, robots.txt itself, the
sitemaps, and anything that stopped the crawl.

A target is an http(s) URL (crawled from there), a local folder (a static
site build, served in-process at http://NAME.localhost, NAME from the
folder's name, the same every run: index.html for directories, 404 for
missing files), or, with --urls FILE, exactly the URLs listed in FILE (one a
line, grouped by site; - reads standard input).

The crawler obeys robots.txt (RFC 9309) for its own user agent unless
--ignore-robots, keeps to --rate requests a second and --concurrency requests
in flight per host, honours Crawl-delay and Retry-After, stops a host after
repeated 5xx answers, caps every body (gzip, deflate and brotli included),
follows at most 10 redirects, and never connects to private, loopback or
link-local addresses for a public target unless --allow-private.

To audit a large list on many machines, give each process the same list and
its own --shard I/N (0 <= I < N): shards split the list by host, and
--format json writes one JSON line per site.`,
		Example: `  agentready audit https://example.com
  agentready audit ./public
  agentready audit --max-pages 500 --scope prefix https://example.com/docs/
  agentready audit --urls sites.txt --shard 0/8 -f json=shard-0.jsonl`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runAudit(cmd, g, o, args)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.urls, "urls", "", "audit exactly the URLs listed in `FILE` (one a line; - for stdin)")
	f.StringVar(&o.shard, "shard", "", "with --urls, audit only shard `I/N` of the list (split by host, 0 <= I < N)")
	f.StringVar(&o.scope, "scope", "host", "which links to follow: host, domain (subdomains too) or prefix (under the start URL's path)")
	f.StringArrayVar(&o.include, "include", nil, "follow only URLs matching this `regexp` (repeatable)")
	f.StringArrayVar(&o.exclude, "exclude", nil, "never follow URLs matching this `regexp` (repeatable)")
	f.IntVar(&o.maxPages, "max-pages", crawl.DefaultMaxPages, "fetch at most `N` pages per site (0: no limit)")
	f.IntVar(&o.maxDepth, "max-depth", 0, "follow links at most `N` clicks from the start (0: no limit)")
	f.DurationVar(&o.maxDuration, "max-duration", 0, "stop the whole crawl after this `duration` (0: no limit); what it cuts is not held against a site, but a site it stops before any page is an error and fails score gates")
	f.StringVar(&o.userAgent, "user-agent", "", "User-Agent to send; robots.txt is obeyed for its product token (default agentready/VERSION (+https://github.com/agentready/agentready))")
	f.BoolVar(&o.ignoreRobots, "ignore-robots", false, "fetch pages robots.txt disallows (only for a site you run)")
	f.Float64Var(&o.rate, "rate", crawl.DefaultRate, "requests per second per host (0: no limit)")
	f.IntVar(&o.concurrency, "concurrency", crawl.DefaultConcurrency, "requests in flight per host")
	f.BoolVar(&o.allowPrivate, "allow-private", false, "let a public target lead to private, loopback and link-local addresses")
	f.Int64Var(&o.maxBodyMiB, "max-body", crawl.DefaultMaxBodyBytes>>20, "read at most `MiB` of each body (after decompression)")
	f.DurationVar(&o.timeout, "timeout", 30*time.Second, "give up on a response after this `duration`")
	f.BoolVar(&o.noSitemaps, "no-sitemaps", false, "do not read robots.txt Sitemap: lines and /sitemap.xml")
	o.checks.addFlags(f)
	g.printsReports(cmd, audit.Printers())
	return cmd
}

// applyConfig fills the flags the user did not set from the audit: section.
func (o *auditOpts) applyConfig(cmd *cobra.Command, c *AuditConfig) error {
	set := cmd.Flags().Changed
	if c.MaxPages != nil && !set("max-pages") {
		o.maxPages = *c.MaxPages
	}
	if c.MaxDepth != nil && !set("max-depth") {
		o.maxDepth = *c.MaxDepth
	}
	if c.Rate != nil && !set("rate") {
		o.rate = *c.Rate
	}
	if c.Concurrency != nil && !set("concurrency") {
		o.concurrency = *c.Concurrency
	}
	if c.Scope != "" && !set("scope") {
		o.scope = c.Scope
	}
	if len(c.Include) > 0 && !set("include") {
		o.include = c.Include
	}
	if len(c.Exclude) > 0 && !set("exclude") {
		o.exclude = c.Exclude
	}
	if c.UserAgent != "" && !set("user-agent") {
		o.userAgent = c.UserAgent
	}
	if c.IgnoreRobots && !set("ignore-robots") {
		o.ignoreRobots = true
	}
	if c.AllowPrivate && !set("allow-private") {
		o.allowPrivate = true
	}
	if c.MaxDuration != "" && !set("max-duration") {
		d, err := time.ParseDuration(c.MaxDuration)
		if err != nil {
			return fmt.Errorf("audit.max-duration: %v", err)
		}
		o.maxDuration = d
	}
	return nil
}

// crawlOptions turns the flags into crawler options.
func (o *auditOpts) crawlOptions(path string) (crawl.Options, error) {
	co := crawl.Options{
		Version:      buildInfo().Version,
		UserAgent:    o.userAgent,
		IgnoreRobots: o.ignoreRobots,
		Scope:        crawl.Scope(o.scope),
		MaxPages:     o.maxPages,
		MaxDepth:     o.maxDepth,
		MaxDuration:  o.maxDuration,
		Rate:         o.rate,
		Concurrency:  o.concurrency,
		AllowPrivate: o.allowPrivate,
		MaxBodyBytes: o.maxBodyMiB << 20,
		NoSitemaps:   o.noSitemaps,
	}
	switch {
	case o.scope != "host" && o.scope != "domain" && o.scope != "prefix":
		return co, usageErrorf(path, "--scope: %q is not host, domain or prefix", o.scope)
	case o.maxPages < 0 || o.maxDepth < 0 || o.maxDuration < 0:
		return co, usageErrorf(path, "--max-pages, --max-depth and --max-duration cannot be negative")
	case o.rate < 0:
		return co, usageErrorf(path, "--rate cannot be negative (0 means no limit)")
	case o.concurrency < 1 || o.concurrency > 256:
		return co, usageErrorf(path, "--concurrency: want 1 to 256, not %d", o.concurrency)
	case o.maxBodyMiB < 1:
		return co, usageErrorf(path, "--max-body: want at least 1 MiB")
	case o.timeout <= 0:
		return co, usageErrorf(path, "--timeout must be positive")
	}
	if o.maxPages == 0 {
		co.MaxPages = -1
	}
	if o.rate == 0 {
		co.Rate = -1
	}
	co.ResponseTimeout = o.timeout
	co.FirstByteTimeout = min(o.timeout, 15*time.Second)
	co.ConnectTimeout = min(o.timeout, 10*time.Second)
	for _, pair := range []struct {
		flag string
		in   []string
		out  *[]*regexp.Regexp
	}{{"--include", o.include, &co.Include}, {"--exclude", o.exclude, &co.Exclude}} {
		for _, s := range pair.in {
			re, err := regexp.Compile(s)
			if err != nil {
				return co, usageErrorf(path, "%s %q: %v", pair.flag, s, err)
			}
			*pair.out = append(*pair.out, re)
		}
	}
	return co, nil
}

// auditTargets turns arguments and --urls into crawl targets.
func (o *auditOpts) targets(g *globalOpts, path string, args []string) ([]crawl.Target, error) {
	if o.shard != "" && o.urls == "" {
		return nil, usageErrorf(path, "--shard needs --urls")
	}
	var ts []crawl.Target
	for _, a := range args {
		switch {
		case strings.HasPrefix(a, "http://") || strings.HasPrefix(a, "https://"):
			ts = append(ts, crawl.Target{URL: a})
		default:
			fi, err := os.Stat(a)
			if err == nil && fi.IsDir() {
				ts = append(ts, crawl.Target{Folder: a})
				continue
			}
			if err == nil {
				return nil, usageErrorf(path, "%s is a file; a target is an http(s) URL or a folder (use --urls FILE for a list)", a)
			}
			if !strings.ContainsAny(a, `/\`) && strings.Contains(a, ".") {
				return nil, usageErrorf(path, "%s: no such folder; for a site write https://%s", a, a)
			}
			return nil, usageErrorf(path, "%s: not an http(s) URL or an existing folder", a)
		}
	}
	if o.urls != "" {
		var r io.Reader
		name := o.urls
		if o.urls == "-" {
			r, name = g.stdin, "stdin"
		} else {
			f, err := os.Open(o.urls)
			if err != nil {
				return nil, fmt.Errorf("--urls: %w", err)
			}
			defer f.Close()
			r = f
		}
		urls, err := crawl.ReadURLList(r, name)
		if err != nil {
			return nil, fmt.Errorf("--urls: %w", err)
		}
		list := crawl.GroupByOrigin(urls)
		if o.shard != "" {
			i, n, err := crawl.ParseShard(o.shard)
			if err != nil {
				return nil, usageErrorf(path, "--shard: %v", err)
			}
			list = crawl.Shard(list, i, n)
			g.logf("shard %d/%d: %d of the list's sites", i, n, len(list))
		}
		ts = append(ts, list...)
	}
	if len(ts) == 0 && o.urls == "" {
		return nil, usageErrorf(path, "give a URL, a folder or --urls FILE")
	}
	return ts, nil
}

func runAudit(cmd *cobra.Command, g *globalOpts, o *auditOpts, args []string) error {
	path := cmd.CommandPath()
	if o.checks.explain != "" {
		return explainCheck(g, path, o.checks.explain)
	}
	cfg, err := g.config()
	if err != nil {
		return err
	}
	if err := o.applyConfig(cmd, &cfg.Audit); err != nil {
		return err
	}
	co, err := o.crawlOptions(path)
	if err != nil {
		return err
	}
	if err := o.checks.prepare(cmd, &cfg.Audit, &co); err != nil {
		return err
	}
	targets, err := o.targets(g, path, args)
	if err != nil {
		return err
	}
	ctx := cmd.Context()
	policy := cfg.Audit.Policy

	// -v logs every fetch; otherwise a terminal gets a progress line.
	if g.verbose {
		co.OnFetch = func(e crawl.FetchEvent) {
			status := fmt.Sprint(e.Status)
			if e.Error != "" {
				status = "error: " + e.Error
			}
			g.logf("%-7s %s %s %s %s", e.Kind, status, e.URL, formatBytes(e.Bytes), e.Duration.Round(time.Millisecond))
		}
	} else if !g.quiet && isTerminal(g.stderr) {
		pl := &progressLine{w: g.stderr}
		co.OnProgress = pl.update
		defer pl.clear()
	}

	// With a list, each json output gets one line per site, in list order,
	// as each site is done; the other formats get one report at the end.
	outputs := g.outputs
	var lines *jsonLines
	if o.urls != "" {
		var rest []outputSpec
		var jsonOuts []outputSpec
		for _, out := range outputs {
			if out.format == "json" {
				jsonOuts = append(jsonOuts, out)
			} else {
				rest = append(rest, out)
			}
		}
		if len(jsonOuts) > 0 {
			lines, err = openJSONLines(g, jsonOuts, policy)
			if err != nil {
				return err
			}
			lines.score = o.checks.scoreSites
			defer lines.close()
			co.OnSite = lines.add
			g.outputs = rest
			defer func() { g.outputs = outputs }()
		}
	}

	started := time.Now()
	sites, err := crawl.Crawl(ctx, targets, co)
	if err != nil {
		return usageErrorf(path, "%v", err)
	}
	rep := crawlReport(sites, args, o.urls)
	o.checks.scoreSites(rep, sites)
	folderFiles(rep, sites)
	rep.Duration = time.Since(started)
	if lines != nil {
		if err := lines.close(); err != nil {
			return err
		}
	}
	err = g.emit(rep, policy)
	err = errors.Join(err, o.checks.thresholds(rep, &cfg.Audit))
	if ctx.Err() != nil {
		return errors.Join(err, ctx.Err())
	}
	return err
}

// The crawl's own findings: what was fetched and what stopped it. The
// checks of the next audit issue add theirs beside them.
var crawlRules = []report.Rule{
	{ID: "crawl-page", Title: "Page fetched", Severity: report.Hint, Category: "crawl", Since: "0.1.0",
		Doc: "A page the crawler fetched, with its status, content type, size, timings and robots.txt verdict."},
	{ID: "crawl-http-error", Title: "Page answered with an HTTP error", Severity: report.Warning, Category: "crawl", Since: "0.1.0",
		Doc: "The page answered with a 4xx or 5xx status. Machines that follow the link get nothing."},
	{ID: "crawl-fetch-failed", Title: "Page could not be fetched", Severity: report.Warning, Category: "crawl", Since: "0.1.0",
		Doc: "No complete response: a DNS, connection or TLS failure, a timeout, a redirect loop or too many redirects, or a blocked private address."},
	{ID: "crawl-truncated", Title: "Body cut at the size limit", Severity: report.Info, Category: "crawl", Since: "0.1.0",
		Doc: "The body was longer than --max-body (after decompression) and only its start was read."},
	{ID: "crawl-robots", Title: "robots.txt", Severity: report.Info, Category: "crawl", Since: "0.1.0",
		Doc: "How robots.txt was read: parsed (2xx), missing so everything is allowed (4xx), or unreachable so nothing may be crawled (5xx, 429, network error), as RFC 9309 section 2.3.1 says."},
	{ID: "crawl-robots-disallowed", Title: "Not fetched: robots.txt disallows it", Severity: report.Info, Category: "crawl", Since: "0.1.0",
		Doc: "robots.txt disallows the URL for the crawler's user agent, so it was not requested. Use --ignore-robots for a site you run."},
	{ID: "crawl-sitemap", Title: "Sitemap", Severity: report.Info, Category: "crawl", Since: "0.1.0",
		Doc: "A sitemap the crawler read (from robots.txt, /sitemap.xml or a sitemap index), with its number of URLs and what its <lastmod> values say."},
	{ID: "crawl-limit", Title: "Crawl stopped at a limit", Severity: report.Info, Category: "crawl", Since: "0.1.0",
		Doc: "The crawl stopped before it ran out of URLs: --max-pages, --max-duration, repeated 5xx answers, or an interrupt. A request that an interrupt or --max-duration cut (not sent, or not finished) is no evidence about the site: it is not a finding and no check scores it; its page is counted among the URLs not fetched."},
	{ID: "crawl-site-error", Title: "The site could not be crawled", Severity: report.Error, Category: "crawl", Since: "0.1.0",
		Doc: "Nothing could be read from the site: its robots.txt was unreachable, no page answered, or the target was invalid."},
}

// crawlReport turns the crawl into a report: findings for the pages,
// robots.txt, sitemaps and limits, stats, and the sites in "extra".
func crawlReport(sites []*crawl.Site, args []string, urlsFile string) *report.Report {
	rep := &report.Report{Command: "audit", Targets: args, Rules: append([]report.Rule(nil), crawlRules...)}
	if urlsFile != "" {
		rep.Targets = append(rep.Targets, "--urls "+urlsFile)
	}
	var pages, requests, disallowed, errs int64
	var bytes int64
	for _, s := range sites {
		rep.Findings = append(rep.Findings, siteFindings(s)...)
		pages += int64(s.Stats.Pages)
		requests += int64(s.Stats.Requests)
		disallowed += int64(s.Stats.Disallowed)
		errs += int64(s.Stats.Errors)
		bytes += s.Stats.Bytes
	}
	rep.Stats = []report.Stat{{Name: "sites", Value: int64(len(sites))}, {Name: "pages", Value: pages},
		{Name: "requests", Value: requests}, {Name: "bytes", Value: bytes}, {Name: "disallowed", Value: disallowed}, {Name: "errors", Value: errs}}
	rep.Extra = &audit.Extra{Sites: sites}
	return rep
}

func siteFindings(s *crawl.Site) []report.Finding {
	var fs []report.Finding
	add := func(rule string, sev report.Severity, url, format string, args ...any) {
		fs = append(fs, report.Finding{RuleID: rule, Severity: sev, Location: report.Location{URL: url}, Message: fmt.Sprintf(format, args...)})
	}
	origin := s.Origin
	if origin == "" {
		origin = s.Target
	}
	if r := s.Robots; r != nil {
		switch r.Semantics {
		case "parsed":
			groups := 0
			if r.Policy != nil {
				groups = len(r.Policy.Groups)
			}
			delay := ""
			if d, ok := r.Policy.CrawlDelay(s.Token); ok && d > 0 && !r.Ignored && s.Folder == "" {
				delay = fmt.Sprintf("; Crawl-delay %v honoured", d)
			}
			add("crawl-robots", report.Info, r.URL, "HTTP %d, %s, %d %s; obeyed for %q%s%s", r.Status, formatBytes(r.Bytes), groups, plural(groups, "group", "groups"), s.Token, delay, ignoredNote(r))
		case "allow-all":
			add("crawl-robots", report.Info, r.URL, "%s: no robots.txt, so everything may be crawled", statusOrError(&r.Response))
		default:
			add("crawl-robots", report.Warning, r.URL, "%s: robots.txt is unreachable, so RFC 9309 says nothing may be crawled%s", statusOrError(&r.Response), ignoredNote(r))
		}
	}
	for _, sm := range s.Sitemaps {
		switch {
		case sm.Error != "" || !sm.OK():
			if sm.From != "default" || sm.Status != 404 {
				add("crawl-sitemap", report.Info, sm.URL, "sitemap (from %s): %s", sm.From, statusOrError(&sm.Response))
			}
		case sm.ParseError != "":
			add("crawl-sitemap", report.Warning, sm.URL, "sitemap (from %s) does not parse: %s", sm.From, sm.ParseError)
		default:
			kind := "sitemap"
			if sm.Index {
				kind = "sitemap index"
			}
			trunc := ""
			if sm.Truncated {
				trunc = " (truncated)"
			}
			add("crawl-sitemap", report.Info, sm.URL, "%s (from %s): %d URLs%s%s", kind, sm.From, sm.Count, trunc, lastModSummary(sm.LastMod))
		}
	}
	ok := 0
	for _, p := range s.Pages {
		switch {
		case p.Skipped() == "robots":
			add("crawl-robots-disallowed", report.Info, p.URL, "not fetched: robots.txt disallows it for %s (%s)", s.Token, verdictRule(p))
			continue
		case p.Skipped() != "":
			// The run ended before its fetch did: counted in the
			// crawl-limit finding's URLs not fetched, no failure of the site.
			continue
		case p.Error != "":
			add("crawl-fetch-failed", report.Warning, p.URL, "%s%s", p.Error, redirectNote(p))
		case p.Status >= 400:
			add("crawl-http-error", report.Warning, p.URL, "HTTP %d%s", p.Status, redirectNote(p))
		default:
			ok++
			add("crawl-page", report.Hint, p.URL, "%d %s, %s in %s (connect %s, first byte %s), depth %d via %s; robots.txt: %s%s",
				p.Status, orDash(p.ContentType), formatBytes(p.Bytes), ms(p.Timing().Total), ms(p.Timing().Connect), ms(p.Timing().FirstByte),
				p.Depth, p.Source, verdictText(p), redirectNote(p))
			fs[len(fs)-1].Key = "fetched" // the message's size and timings change each run
		}
		if p.Truncated {
			add("crawl-truncated", report.Info, p.URL, "body cut at %s", formatBytes(p.Bytes))
		}
	}
	if s.Stats.Limit != "" {
		more := ""
		if s.Stats.Queued > 0 {
			more = fmt.Sprintf("; %d more in-scope URLs were not fetched", s.Stats.Queued)
		}
		if stoppedEmpty(s) {
			// Nothing was learnt about the site: no failure of it, but
			// the audit did not do its job, which CI must not read as a
			// pass (--fail-on error, the default, fails on it).
			add("crawl-limit", report.Error, origin, "crawl stopped: %s before any page was fetched%s; the site is not scored", s.Stats.Limit, more)
		} else {
			add("crawl-limit", report.Info, origin, "crawl stopped: %s after %d pages%s", s.Stats.Limit, s.Stats.Pages, more)
		}
	}
	for _, e := range s.Errors {
		add("crawl-site-error", report.Error, origin, "%s", e)
	}
	if ok == 0 && len(s.Errors) == 0 && !stoppedEmpty(s) {
		add("crawl-site-error", report.Error, origin, "no page of %s could be read", siteName(s))
	}
	return fs
}

// siteName is a site as the user named it: a folder target by its folder
// (its loopback origin is gone when the run ends), else its origin (the
// target when nothing was fetched to give one).
func siteName(s *crawl.Site) string {
	if s.Folder != "" || s.Origin == "" {
		return s.Target
	}
	return s.Origin
}

// stoppedEmpty reports whether the run ended (Ctrl-C, SIGTERM,
// --max-duration) before a page of the site was fetched, because it cut
// the start page (or robots.txt before it): nothing was learnt about the
// site, which is no failure of it. A start page robots.txt disallows is
// evidence (the site is not scored for it either, having no page).
func stoppedEmpty(s *crawl.Site) bool {
	if s.Stats.Pages > 0 || s.Stats.Limit != "cancelled" && s.Stats.Limit != "max-duration" {
		return false
	}
	starts := 0
	for _, p := range s.Pages {
		if p.Source == "start" || p.Source == "list" {
			starts++
			if p.Skipped() == "cancelled" || p.Skipped() == "max-duration" {
				return true // (with --urls, one cut start is enough: no page was fetched)
			}
		}
	}
	return starts == 0 // robots.txt was cut: no start page was asked for
}

// folderFiles points the findings of folder targets at the files served
// (public/docs/index.html) instead of the URL (http://public.localhost/docs/),
// which only agentready serves: editors, SARIF viewers and GitHub
// annotations can open a file. The URL stays in the finding.
func folderFiles(rep *report.Report, sites []*crawl.Site) {
	for _, s := range sites {
		if s.Folder == "" || s.Origin == "" {
			continue
		}
		for i := range rep.Findings {
			loc := &rep.Findings[i].Location
			if loc.File != "" || (loc.URL != s.Origin && !strings.HasPrefix(loc.URL, s.Origin+"/")) {
				continue
			}
			if f, ok := s.File(loc.URL); ok {
				loc.File = f
				continue
			}
			p := strings.TrimPrefix(loc.URL, s.Origin)
			if j := strings.IndexAny(p, "?#"); j >= 0 {
				p = p[:j]
			}
			if siteFile(p) {
				// A site-level file the folder lacks (no sitemap, no
				// llms.txt): the finding is about the file to create.
				rel := path.Clean("/" + p)[1:]
				if rel == "" {
					rel = "index.html" // the home page
				}
				loc.File = path.Join(filepath.ToSlash(s.Target), rel)
			}
		}
	}
}

// siteFile reports whether an origin-relative path names a site-level file
// that checks look for at a fixed place: the home page, robots.txt,
// sitemap.xml, llms.txt, the conventional OpenAPI paths and anything under
// /.well-known/. A missing page stays a URL: it is a broken link, not a
// file to create.
func siteFile(p string) bool {
	switch p {
	case "", "/", "/robots.txt", "/sitemap.xml", "/llms.txt", "/llms-full.txt", "/openapi.json", "/openapi.yaml", "/swagger.json":
		return true
	}
	return strings.HasPrefix(p, "/.well-known/") && len(p) > len("/.well-known/")
}

func ignoredNote(r *crawl.RobotsFile) string {
	if r.Ignored {
		return " (ignored: --ignore-robots)"
	}
	return ""
}

func statusOrError(r *crawl.Response) string {
	if r.Error != "" {
		return r.Error
	}
	return fmt.Sprintf("HTTP %d", r.Status)
}

func verdictRule(p *crawl.Page) string {
	if p.Robots().Line > 0 {
		return fmt.Sprintf("%s, line %d", p.Robots().Rule, p.Robots().Line)
	}
	return p.Robots().Rule
}

func verdictText(p *crawl.Page) string {
	if !p.Robots().Allowed {
		return "disallowed, fetched with --ignore-robots"
	}
	if p.Robots().Rule != "" {
		return "allowed (" + verdictRule(p) + ")"
	}
	return "allowed"
}

func redirectNote(p *crawl.Page) string {
	if len(p.Redirects()) == 0 {
		return ""
	}
	return fmt.Sprintf(" (after %d %s, to %s)", len(p.Redirects()), plural(len(p.Redirects()), "redirect", "redirects"), p.FinalURL)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func ms(d time.Duration) string {
	switch {
	case d <= 0:
		return "0ms"
	case d < time.Millisecond:
		return "<1ms"
	}
	return d.Round(time.Millisecond).String()
}

func formatBytes(n int64) string {
	switch {
	case n < 1<<10:
		return fmt.Sprintf("%d B", n)
	case n < 1<<20:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
}

// progressLine redraws one status line on a terminal. A dependency
// (bubbles, progressbar) would draw a bar, but a crawl has no known total:
// a counter line is all there is to show.
type progressLine struct {
	mu    sync.Mutex
	w     io.Writer
	drawn bool
}

func (p *progressLine) update(pr crawl.Progress) {
	p.mu.Lock()
	defer p.mu.Unlock()
	rate := 0.0
	if s := pr.Elapsed.Seconds(); s > 0 {
		rate = float64(pr.Done) / s
	}
	fmt.Fprintf(p.w, "\r\x1b[Kcrawling: %d pages done, %d queued, %d errors, %.1f pages/s, %d requests, %s", pr.Done, pr.Queued, pr.Errors, rate, pr.Requests, formatBytes(pr.Bytes))
	if pr.FollowUps > 0 {
		fmt.Fprintf(p.w, ", %d follow-ups to go", pr.FollowUps)
	}
	p.drawn = true
}

func (p *progressLine) clear() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.drawn {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}

// jsonLines writes one compact JSON report per site, in list order.
type jsonLines struct {
	mu      sync.Mutex
	g       *globalOpts
	policy  report.Policy
	pending map[int][]byte
	next    int
	ws      []io.Writer
	files   []*os.File
	err     error
	// score adds the checks' findings and scores to a site's report.
	score func(*report.Report, []*crawl.Site)
}

func openJSONLines(g *globalOpts, outs []outputSpec, policy report.Policy) (*jsonLines, error) {
	l := &jsonLines{g: g, policy: policy, pending: map[int][]byte{}}
	for _, o := range outs {
		if o.path == "" {
			l.ws = append(l.ws, g.stdout)
			continue
		}
		f, err := os.Create(o.path)
		if err != nil {
			l.close()
			return nil, fmt.Errorf("writing json lines: %w", err)
		}
		l.files = append(l.files, f)
		l.ws = append(l.ws, f)
	}
	return l, nil
}

// add is the crawl's OnSite callback.
func (l *jsonLines) add(s *crawl.Site) {
	rep := crawlReport([]*crawl.Site{s}, nil, "")
	rep.Targets = []string{s.Target}
	if len(s.Pages) > 0 && s.Pages[0].Source == "list" {
		rep.Targets = []string{s.Origin}
	}
	rep.Tool = report.Tool{Name: "agentready", Version: buildInfo().Version, URI: projectURL}
	if l.score != nil {
		l.score(rep, []*crawl.Site{s})
	}
	var line []byte
	if err := report.Process(rep, l.policy); err == nil {
		var buf, compact bytes.Buffer
		if err := report.Print(&buf, "json", rep, report.PrintOptions{}); err == nil && json.Compact(&compact, buf.Bytes()) == nil {
			compact.WriteByte('\n')
			line = compact.Bytes()
		}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.pending[s.Index] = line
	for {
		b, ok := l.pending[l.next]
		if !ok {
			break
		}
		delete(l.pending, l.next)
		l.next++
		for _, w := range l.ws {
			if _, err := w.Write(b); err != nil && l.err == nil {
				l.err = err
			}
		}
	}
}

func (l *jsonLines) close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	var errs []error
	if l.err != nil {
		errs = append(errs, fmt.Errorf("writing json lines: %w", l.err))
		l.err = nil
	}
	for _, f := range l.files {
		if err := f.Close(); err != nil {
			errs = append(errs, err)
		}
	}
	l.files = nil
	return errors.Join(errs...)
}

// lastModSummary is what a sitemap's <lastmod> values say, for its
// crawl-sitemap line ("" for a sitemap with no entries).
func lastModSummary(l sitemap.LastMod) string {
	if l.Entries == 0 {
		return ""
	}
	s := fmt.Sprintf("; <lastmod> on %d of %d entries", l.With, l.Entries)
	if !l.Latest.IsZero() {
		s += ", latest " + l.Latest.UTC().Format("2006-01-02")
	}
	if l.Invalid > 0 {
		s += fmt.Sprintf(", %d not W3C datetimes", l.Invalid)
	}
	if l.Future > 0 {
		s += fmt.Sprintf(", %d in the future", l.Future)
	}
	return s
}
