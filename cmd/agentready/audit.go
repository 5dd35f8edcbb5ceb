package main

import (
	"errors"
	"fmt"

	"github.com/agentready/agentready/audit"
	"github.com/agentready/agentready/audit/checks"
	"github.com/agentready/agentready/audit/crawl"
	"github.com/agentready/agentready/internal/options"
	"github.com/agentready/agentready/report"
	"github.com/spf13/cobra"
)

func newAuditCmd(g *globalOpts) *cobra.Command {
	cfg := audit.DefaultConfig()
	var explain, list string
	cmd := &cobra.Command{
		Use:   "audit [flags] URL|FOLDER...",
		Short: "Crawl a site and report what machines can read",
		Long: `Crawl a site politely and within limits, check what machines can read and
report it: the checks' findings (at most five of a check per site in text and
markdown; json and sarif list them all), the scores, and what went wrong in
the crawl or stopped it. --show-crawl (or -v, or --no-checks) adds what was
fetched: every page with its status, timings and robots.txt verdict, robots.txt
itself and the sitemaps; -f json always carries them in its site model.

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
			if list != "" {
				if err := checks.ListChecks(g.stdout, list); err != nil {
					return usageErrorf(cmd.CommandPath(), "%v", err)
				}
				return nil
			}
			if explain != "" {
				doc, err := checks.Explain(explain)
				if err != nil {
					return usageErrorf(cmd.CommandPath(), "--explain: %v", err)
				}
				_, err = fmt.Fprint(g.stdout, doc)
				return err
			}
			return runAudit(cmd, g, cfg, args)
		},
	}
	options.Bind(cmd.Flags(), &cfg)
	cmd.Flags().StringVar(&explain, "explain", "", "print the documentation of `CHECK` (how to fix it, spec links) and exit")
	cmd.Flags().StringVar(&list, "list-checks", "", "print every check with its weight and its equivalents in Lighthouse and Cloudflare's scanner (`FORMAT` text or json) and exit")
	cmd.Flags().Lookup("list-checks").NoOptDefVal = "text"
	g.printsReports(cmd, audit.Printers())
	return cmd
}

// runAudit merges the config file into the flags' cfg, runs the audit and
// prints its report; with --urls, each json output gets one line per site
// instead, in list order, as each site is done.
func runAudit(cmd *cobra.Command, g *globalOpts, cfg audit.Config, args []string) error {
	loaded, err := g.config()
	if err != nil {
		return err
	}
	loaded.merge(cmd, &cfg, &loaded.Audit, "audit")
	cfg.Version, cfg.Stdin, cfg.Logf = buildInfo().Version, g.stdin, g.logf

	// -v logs every fetch and reports the crawl's log lines; otherwise a
	// terminal gets a progress line, erased before anything else is
	// printed (a warning, a json line, the report) and gone for good once
	// the audit is done.
	var pl *crawl.ProgressLine
	if g.verbose {
		cfg.OnFetch = func(e crawl.FetchEvent) { g.logf("%s", e) }
		cfg.ShowCrawl = true
	} else if !g.quiet && g.isTerminal(g.stderr) {
		pl = crawl.NewProgressLine(g.stderr)
		cfg.OnProgress = pl.Update
		g.progress = pl
		defer pl.Stop()
	}

	// With --urls, each json output gets one line per site, in list
	// order, as each site is done; the other formats one report at the end.
	var lines *report.JSONLines
	if cfg.URLs != "" {
		var jsonOuts, rest []report.Output
		for _, out := range g.outputs {
			if out.Format == "json" {
				jsonOuts = append(jsonOuts, out)
			} else {
				rest = append(rest, out)
			}
		}
		if len(jsonOuts) > 0 {
			cfg.OnStart = func() (err error) { // once the input is read: a refused run keeps an earlier file
				lines, err = report.OpenJSONLines(jsonOuts, g.stdout)
				return err
			}
			defer func() { _ = lines.Close() }()
			cfg.OnSiteReport = func(i int, r *report.Report) { r.Tool = tool(); pl.Clear(); lines.Add(i, r) }
			g.outputs = rest
		}
	}

	ctx := cmd.Context()
	res, err := audit.Run(ctx, args, cfg)
	pl.Stop()
	if err != nil {
		return err
	}
	if lines != nil {
		if err := lines.Close(); err != nil {
			return err
		}
	}
	var down error
	if n := len(res.Unreachable); n > 0 && ctx.Err() == nil {
		down = &audit.UnreachableError{Targets: res.Unreachable, Audited: len(res.Sites) - n}
		if n == len(res.Sites) {
			// Nothing was audited: the error is the whole result, as
			// lint's is for a spec it cannot fetch.
			return down
		}
	}
	err = errors.Join(down, g.emit(res.Report()))
	for _, gate := range res.Gates {
		err = errors.Join(err, newThresholdError("%s", gate))
	}
	if ctx.Err() != nil {
		return errors.Join(err, ctx.Err())
	}
	return err
}
