package audit

import (
	"io"

	"github.com/agentready/agentready/audit/checks"
	"github.com/agentready/agentready/audit/crawl"
	"github.com/agentready/agentready/audit/htmlreport"
	"github.com/agentready/agentready/report"
)

// Extra is an audit report's Report.Extra, as Go values: the json printer
// encodes it under "extra" (the scorecard and the crawled sites); the html
// printer reads the scorecard.
type Extra struct {
	// Scorecard is nil when no check ran (--no-checks).
	Scorecard *checks.Scorecard `json:"scorecard,omitempty"`
	Sites     []*crawl.Site     `json:"sites"`
	// Shard is set on each JSON line of a --urls run.
	Shard *ShardInfo `json:"shard,omitempty"`
}

// Printers returns the formats an audit report prints in: the standard
// ones and html, the report for site owners.
func Printers() report.Printers {
	ps := report.Standard()
	ps["html"] = printHTML
	return ps
}

func printHTML(w io.Writer, r *report.Report, o report.PrintOptions) error {
	var sc *checks.Scorecard
	if x, ok := r.Extra.(*Extra); ok {
		sc = x.Scorecard
	}
	return htmlreport.Print(w, r, sc, o)
}
