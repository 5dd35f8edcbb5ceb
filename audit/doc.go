// Package audit is the whole audit of a site's machine readability, as one
// call:
//
//	res, err := audit.Run(ctx, targets, cfg) // crawl what the checks need, check, score, gate
//	rep := res.Report()                      // findings, scores, scorecard and sites as Go values
//
// Run validates the Config (DefaultConfig, then the flags and the config
// file), configures the crawl (package crawl) from what the selected
// checks declare they need (package checks), reports the crawl's own
// findings, runs the checks over each site as soon as it is crawled,
// combines the scores and holds them to --min-score, the category
// thresholds and a baseline report (Result.Gates). It never prints and
// never exits; progress and per-site reports reach the caller through the
// Config's callbacks.
package audit
