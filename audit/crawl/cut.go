// This file holds what the end of a run means for the requests it cuts
// (cancellation, Options.MaxDuration): they are no evidence about the
// site, so they are marked and not kept as failures.

package crawl

import (
	"context"
	"errors"

	"github.com/agentready/agentready/audit/robots"
)

// The errors of a request that the end of the run cut: not sent, or not
// finished, because the run was cancelled (Ctrl-C, SIGTERM: the caller's
// context) or Options.MaxDuration was reached. Such a request is no
// evidence about the site, so it is not kept as one: a page so cut is
// listed as skipped ("cancelled", "max-duration") and counted in
// Stats.Queued, and a variant, extra, sitemap, follow-up or robots.txt so
// cut is not stored, so that checks judge only what was fetched. A
// deliberate bound (MaxDuration) is treated as an interrupt: its
// unfinished requests are not the site's failures either.
const (
	errCutCancelled   = "not fetched: the run was cancelled"
	errCutMaxDuration = "not fetched: max-duration reached"
)

// isCut reports whether r is a request the end of the run cut (see
// errCutCancelled).
func isCut(r *Response) bool {
	return r != nil && (r.Error == errCutCancelled || r.Error == errCutMaxDuration)
}

// cutResponse is the response of a request to u that the end of the run
// cut; maxDuration says the limiter refused to wait past the deadline
// (ctx is not done yet then).
func cutResponse(ctx context.Context, u string, maxDuration bool) *Response {
	msg := errCutCancelled
	if maxDuration || errors.Is(context.Cause(ctx), errMaxDuration) {
		msg = errCutMaxDuration
	}
	return &Response{URL: u, FinalURL: u, Error: msg}
}

// cutReason is the Page.Skipped reason of a page whose fetch r cut.
func cutReason(r *Response) string {
	if r.Error == errCutMaxDuration {
		return "max-duration"
	}
	return "cancelled"
}

// errMaxDuration is the cause of the crawl's context when
// Options.MaxDuration ends it.
var errMaxDuration = errors.New("max-duration reached")

// skipCut lists the page of t as skipped because the end of the run cut
// its fetch (r, see errCutCancelled), and counts it as queued: it is no
// evidence about the site. rv is its robots.txt verdict, nil when unknown.
func (c *siteCrawl) skipCut(t task, r *Response, rv *robots.Verdict) {
	p := &Page{Response: Response{URL: t.url, FinalURL: t.url, Error: r.Error}, Depth: int32(t.depth), Source: t.source, Referrer: t.referrer, robots: rv}
	p.SetSkipped(cutReason(r))
	c.mu.Lock()
	c.site.Pages = append(c.site.Pages, p)
	c.site.Stats.Queued++
	c.mu.Unlock()
}
