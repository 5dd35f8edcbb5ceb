// This file holds the hook of --render: once an origin's crawl is done, a
// Renderer (audit/render) loads its pages in a browser, and every request
// the browser makes is one the crawler makes for it, under the crawl's
// rules.

package crawl

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/agentready/agentready/audit/urlnorm"
)

// Renderer loads the pages of a crawled origin in a browser and stores
// what it read on them (Page.SetFact). It runs once per origin, after the
// crawl and its follow-ups, before Options.OnSite; fetch is the only way
// it may reach the network.
type Renderer func(ctx context.Context, s *Site, fetch BrowserFetch)

// BrowserFetch fetches a request the browser makes, as the crawler would
// fetch it: a GET, in the crawl's scope, allowed by robots.txt, through the
// crawler's client (its SSRF rules, rate limit, body cap and timeouts; a
// folder target's in-process server). A request the crawler would not make
// is refused with an error saying why (ErrNotCrawled wraps it), before
// anything is sent; a redirect hop out of scope or disallowed ends the
// exchange with the Response's Error set.
type BrowserFetch func(ctx context.Context, method, rawURL string, header http.Header) (*Response, error)

// ErrNotCrawled is wrapped by the error of a browser request the crawl's
// rules refuse.
var ErrNotCrawled = errors.New("the crawler would not fetch it")

// browserFetch is the crawl's BrowserFetch.
func (c *siteCrawl) browserFetch(ctx context.Context, method, rawURL string, header http.Header) (*Response, error) {
	refuse := func(format string, args ...any) (*Response, error) {
		return nil, fmt.Errorf("%w: %s", ErrNotCrawled, fmt.Sprintf(format, args...))
	}
	if method != http.MethodGet {
		// The crawler only reads; a page's POST (a form, an analytics
		// beacon) would act on the site.
		return refuse("%s request (the crawler only sends GET)", method)
	}
	u, err := urlnorm.Parse(rawURL)
	if err != nil || u.Scheme != "http" && u.Scheme != "https" {
		return refuse("not an http(s) URL")
	}
	if !c.inScope(u) {
		return refuse("out of the crawl's scope (--scope %s)", c.o.Scope)
	}
	s := u.String()
	h := c.host(urlnorm.Origin(u))
	c.ensureRobots(ctx, h)
	if ctx.Err() != nil {
		return nil, context.Cause(ctx)
	}
	c.mu.Lock()
	v, ok := c.allowed(s)
	c.mu.Unlock()
	if !ok {
		return refuse("disallowed by robots.txt (%s)", v.Rule)
	}
	rq := request{url: s, accept: header.Get("Accept"), header: browserHeader(header), onHop: func(hop *url.URL) error {
		if !c.inScope(hop) {
			return fmt.Errorf("redirect out of the crawl's scope: %s", hop)
		}
		return c.sameOriginGuard(hop)
	}}
	return c.get(ctx, "render", rq), nil
}

// browserHeader keeps the request headers a page's script may set that
// change the answer; cookies, credentials and the browser's own
// User-Agent are not sent (the crawler's identity is).
func browserHeader(h http.Header) http.Header {
	var out http.Header
	for _, k := range []string{"Accept-Language"} {
		if v := h.Get(k); v != "" {
			if out == nil {
				out = http.Header{}
			}
			out.Set(k, v)
		}
	}
	return out
}
