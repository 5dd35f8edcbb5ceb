// This file holds the artifacts checks declare beyond the pages (Extra):
// per-origin paths (/llms.txt, well-known files), fetched speculatively
// alongside the start page, and per-page variants (another Accept or
// User-Agent: the markdown and user-agent variants).

package crawl

import (
	"context"
	"errors"
	"net/url"
	"sync"
	"sync/atomic"

	"github.com/agentready/agentready/audit/urlnorm"
)

// Extra is an artifact a check declares it needs beyond the crawled pages.
// Either Path is set, and the path is fetched once per origin, or it is
// empty, and each page (up to MaxPages of them, in crawl order) is fetched
// again with the given Accept and User-Agent headers.
type Extra struct {
	// Name is the key in Site.Extras or Page.Variants; unique.
	Name string
	// Path is an origin-relative path such as "/llms.txt" or
	// "/.well-known/ai-plugin.json".
	Path string
	// Accept, when set, replaces the Accept header ("text/markdown").
	Accept string
	// UserAgent, when set, replaces the User-Agent header (GPTBot's). Such a
	// request is still subject to robots.txt for the crawler's own token.
	UserAgent string
	// Agent, when set, is a product token that robots.txt must also allow
	// for the page: a page is fetched as GPTBot only where GPTBot may go.
	// Where it may not, the variant is not fetched and its Error says so.
	Agent string
	// Sample, when set, extends a per-page variant beyond the start pages
	// to a sample of the pages the start page links to: the nth page its
	// anchors (a and area elements) queue, in document order so that the
	// same site gives the same pages, gets the variant when Sample(n) is
	// true, once it has answered 2xx HTML. Nil means only the start pages.
	Sample func(n int) bool
	// Summarize, when set, runs on each response once it is read (on the
	// crawler's goroutines, so it must be safe for concurrent use), and the
	// response keeps what it returns (Response.Summary) instead of its
	// body: Body is nil afterwards. A check that needs a verdict about the
	// body, not the body, keeps the crawl's memory down this way.
	Summarize func(*Response) any
	// HostOnly marks what only the site's own server can answer (content
	// negotiation, its handling of user agents): a folder audit serves the
	// files in-process with agentready's own handler, which would answer
	// for the site, so the extra is not fetched there.
	HostOnly bool
}

func (c *siteCrawl) fetchExtra(ctx context.Context, t task) {
	c.storeExtra(t, c.getExtra(ctx, t, c.originGuard(originOf(t.url))))
}

// getExtra fetches an extra within robots.txt, guard checking its redirect
// hops.
func (c *siteCrawl) getExtra(ctx context.Context, t task, guard func(*url.URL) error) *Response {
	if ctx.Err() != nil {
		return cutResponse(ctx, t.url, false)
	}
	c.mu.Lock()
	v, ok := c.allowed(t.url)
	c.mu.Unlock()
	if !ok {
		return &Response{URL: t.url, FinalURL: t.url, Error: "disallowed by robots.txt (" + v.Rule + ")"}
	}
	return c.getSummarized(ctx, "extra", request{url: t.url, accept: t.extra.Accept, userAgent: t.extra.UserAgent, onHop: guard}, t.extra.Summarize)
}

func (c *siteCrawl) storeExtra(t task, r *Response) {
	if isCut(r) {
		return
	}
	c.mu.Lock()
	if c.site.Extras == nil {
		c.site.Extras = map[string]*Response{}
	}
	c.site.Extras[t.extra.Name] = r
	c.mu.Unlock()
}

// extraTasks returns the tasks that fetch an origin's extras.
func (c *siteCrawl) extraTasks(origin string) []task {
	var ts []task
	for i := range c.o.Extras {
		if e := &c.o.Extras[i]; e.Path != "" && !(e.HostOnly && c.local) {
			ts = append(ts, task{kind: taskExtra, url: origin + e.Path, extra: e})
		}
	}
	return ts
}

// speculate fetches an origin's extras n at a time while the start page is
// fetched: without it the slots would idle until the start page says which
// origin the site is on. Only the start page and its variants are in
// flight then, so n is what they leave of the concurrency.
//
// An extra that redirects off the origin is not followed there yet: the
// start page may move the site to that origin, whose robots.txt is not read
// until then. Once the start page is done (startDone), it is fetched again
// as any extra if the site stayed on the origin, else dropped (crawlSite
// fetches the extras of the new origin).
func (c *siteCrawl) speculate(ctx context.Context, tasks []task, n int, startDone <-chan struct{}, origin string) {
	work := make(chan task)
	var wg sync.WaitGroup
	for range min(n, len(tasks)) {
		wg.Go(func() {
			for t := range work {
				var off atomic.Bool
				same := c.originGuard(origin)
				r := c.getExtra(ctx, t, func(u *url.URL) error {
					if urlnorm.Origin(u) != origin {
						off.Store(true)
						return errOffOrigin
					}
					return same(u)
				})
				if off.Load() {
					<-startDone
					c.mu.Lock()
					stayed := c.site.Origin == origin
					c.mu.Unlock()
					if !stayed {
						continue
					}
					r = c.getExtra(ctx, t, same)
				}
				c.storeExtra(t, r)
			}
		})
	}
	for _, t := range tasks {
		work <- t
	}
	close(work)
	wg.Wait()
}

// errOffOrigin stops a speculative extra's redirect off the start origin.
var errOffOrigin = errors.New("redirect off the start origin, followed once the start page is done")

// pageVariants returns the per-page extras (another Accept or User-Agent)
// that the page of t gets. With claim, the page takes them: a list's
// variants go to the first page that claims them.
func (c *siteCrawl) pageVariants(t task, claim bool) []*Extra {
	if t.source != "start" && t.source != "list" && t.rank == 0 {
		return nil // most pages: no lock taken
	}
	var vs []*Extra
	c.mu.Lock()
	defer c.mu.Unlock()
	for i := range c.o.Extras {
		e := &c.o.Extras[i]
		if e.Path != "" || e.HostOnly && c.local {
			continue
		}
		if t.source == "start" || t.source == "list" && c.variants == 0 || t.rank > 0 && e.Sample != nil && e.Sample(t.rank) {
			vs = append(vs, e)
		}
	}
	if claim && len(vs) > 0 {
		c.variants++
	}
	return vs
}

// startVariants starts fetching the variants vs of the page of t, and
// returns the function that waits for them and stores them in the page,
// unless the page itself failed.
func (c *siteCrawl) startVariants(ctx context.Context, t task, vs []*Extra) func(p *Page) {
	if len(vs) == 0 {
		return func(*Page) {}
	}
	// Fetched at once (c.get keeps to the concurrency and rate limits): the
	// start page's links wait for its variants, and the crawl for them.
	rs := make([]*Response, len(vs))
	var wg sync.WaitGroup
	for i, e := range vs {
		if e.Agent != "" {
			c.mu.Lock()
			v := c.policyOf(t.url).Check(e.Agent, t.url)
			c.mu.Unlock()
			if !v.Allowed {
				rs[i] = &Response{URL: t.url, FinalURL: t.url, Error: "disallowed by robots.txt for " + e.Agent + " (" + v.Rule + ")"}
				continue
			}
		}
		wg.Go(func() {
			rs[i] = c.getSummarized(ctx, "variant", request{url: t.url, accept: e.Accept, userAgent: e.UserAgent, onHop: c.sameOriginGuard}, e.Summarize)
		})
	}
	return func(p *Page) {
		wg.Wait()
		if p.Error != "" {
			return
		}
		for i, e := range vs {
			if !isCut(rs[i]) {
				p.SetVariant(e.Name, rs[i])
			}
		}
	}
}
