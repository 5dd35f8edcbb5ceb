// This file holds robots.txt: fetching and reading an origin's file once,
// the verdicts for URLs, and the redirect guards that obey it.

package crawl

import (
	"context"
	"fmt"
	"net/url"

	"golang.org/x/time/rate"

	"github.com/agentready/agentready/audit/robots"
	"github.com/agentready/agentready/audit/urlnorm"
)

// ensureRobots fetches and reads an origin's robots.txt once (RFC 9309
// section 2.3: follow up to five redirects; 4xx allows all; 5xx, 429 and
// network errors disallow all).
func (c *siteCrawl) ensureRobots(ctx context.Context, h *host) {
	h.once.Do(func() {
		r := c.get(ctx, "robots", request{url: h.origin + "/robots.txt", accept: "text/plain,*/*;q=0.5", maxRedir: 5, keepRaw: true})
		rf := &RobotsFile{Response: *r, Raw: r.Body, Ignored: c.o.IgnoreRobots}
		rf.Response.Body = nil
		switch {
		case r.Error != "" && isRedirect(r.Status):
			// More than five redirects: RFC 9309 2.3.1.2 lets us treat it
			// as unavailable.
			rf.Policy = robots.AllowAll()
		case r.Error != "":
			// No response, or the body broke off: unreachable.
			rf.Policy = robots.DisallowAll()
		default:
			rf.Policy = robots.ForStatus(r.Status, r.Body)
		}
		switch {
		case rf.Policy.IsAllowAll():
			rf.Semantics = "allow-all"
		case rf.Policy.IsDisallowAll():
			rf.Semantics = "disallow-all"
		default:
			rf.Semantics = "parsed"
		}
		if d, ok := rf.Policy.CrawlDelay(c.token); ok && !c.o.IgnoreRobots && !c.local && d > 0 {
			if lim := rate.Every(d); lim < h.lim.Limit() {
				h.lim.SetLimit(lim)
			}
		}
		c.mu.Lock()
		h.robots, h.policy = rf, rf.Policy
		c.mu.Unlock()
	})
}

func statusText(r *Response) string {
	if r.Error != "" {
		return r.Error
	}
	return fmt.Sprintf("HTTP %d", r.Status)
}

// allowed reports whether the crawler may fetch u under its origin's
// robots.txt, which must have been fetched. Called with c.mu held.
func (c *siteCrawl) allowed(u string) (robots.Verdict, bool) {
	v := c.policyOf(u).Check(c.token, u)
	return v, v.Allowed || c.o.IgnoreRobots
}

func (c *siteCrawl) policyOf(u string) *robots.Robots {
	h := c.hosts[originOf(u)]
	if h == nil || h.policy == nil {
		return robots.AllowAll()
	}
	return h.policy
}

// verdict returns the interned copy of v. Called with c.mu held.
func (c *siteCrawl) verdict(v robots.Verdict) *robots.Verdict {
	if p := c.verdicts[v]; p != nil {
		return p
	}
	p := &v
	if c.verdicts == nil {
		c.verdicts = map[robots.Verdict]*robots.Verdict{}
	}
	// Verdicts differ by rule, and a robots.txt has boundedly many rules
	// (robots.MaxSize), so the map stays small.
	c.verdicts[v] = p
	return p
}

// sameOriginGuard refuses redirect hops on the site's origin that robots.txt
// disallows.
func (c *siteCrawl) sameOriginGuard(u *url.URL) error {
	if c.o.IgnoreRobots || urlnorm.Origin(u) != c.site.Origin {
		return nil
	}
	return c.robotsGuard(u)
}

// originGuard is sameOriginGuard for a fixed origin.
func (c *siteCrawl) originGuard(origin string) func(*url.URL) error {
	return func(u *url.URL) error {
		if c.o.IgnoreRobots || urlnorm.Origin(u) != origin {
			return nil
		}
		return c.robotsGuard(u)
	}
}

// robotsGuard refuses a redirect hop that robots.txt disallows for the
// crawler's token.
func (c *siteCrawl) robotsGuard(u *url.URL) error {
	c.mu.Lock()
	v := c.policyOf(u.String()).Check(c.token, u.String())
	c.mu.Unlock()
	if !v.Allowed {
		return fmt.Errorf("disallowed by robots.txt (%s): %s", v.Rule, u)
	}
	return nil
}
