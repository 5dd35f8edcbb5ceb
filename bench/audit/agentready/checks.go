//go:build checks

package main

import (
	"github.com/agentready/agentready/audit/checks"
	"github.com/agentready/agentready/audit/crawl"
)

// With -tags checks the binary crawls as `agentready audit` does with every
// check on (page facts, well-known paths, variants), then runs the checks.
func init() {
	withChecks = &checksHooks{
		configure: checks.Configure,
		run:       func(s *crawl.Site) { checks.Run(s, checks.Options{}) },
		parsed: func(p *crawl.Page) bool {
			f := checks.FactsOf(p)
			return f != nil && f.Title != ""
		},
	}
}
