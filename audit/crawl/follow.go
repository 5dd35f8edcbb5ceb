// This file holds follow-ups: what checks ask for once an origin's crawl is
// done (Followers), fetched within their bounds.

package crawl

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sync"

	"github.com/agentready/agentready/audit/urlnorm"
)

// FollowUp is one request that checks ask for after the crawl, when what to
// fetch is only known from what the crawl fetched: a service-desc link in
// the api-catalog or a Link header, the links of /llms.txt, a page fetched
// again with its validators (a conditional request) or as an AI agent.
//
// Follow-ups are polite like every other request: robots.txt for the
// crawler's own token is obeyed (another origin's robots.txt is fetched
// first), the per-host rate limit applies, and a public target's dial guard
// keeps them off private addresses.
type FollowUp struct {
	// Name is the key of the response: in Site.Extras, or in the page's
	// Variants when Page is set. Names are unique per site; a repeated name
	// is fetched once.
	Name string
	// URL is absolute, and may be on another origin.
	URL string
	// Page, when set, is the URL of a crawled page whose Variants get the
	// response.
	Page string
	// Accept and UserAgent, when set, replace the crawler's headers.
	Accept, UserAgent string
	// Agent, when set, is a product token that robots.txt must also allow
	// for URL (a page is fetched as GPTBot only where GPTBot may go).
	Agent string
	// Header holds further request headers (If-None-Match,
	// If-Modified-Since).
	Header http.Header
	// Method and Body, when set, make the request a POST of Body (an MCP
	// server/discover JSON-RPC call, read-only by the protocol): it is
	// never retried elsewhere by a redirect, which is not followed.
	Method string
	Body   []byte
	// MaxBytes caps the body when positive (a link check needs the status
	// only); 0 means Options.MaxBodyBytes.
	MaxBytes int64
	// Summarize, when set, replaces the body by what it returns (see
	// Extra.Summarize).
	Summarize func(*Response) any
}

// Follower returns the follow-ups for a crawled origin. It runs once per
// origin, after the pages, sitemaps and extras are fetched, and must only
// read the Site.
type Follower func(*Site) []FollowUp

// Bounds on follow-ups, so that a hostile api-catalog or llms.txt cannot
// turn the audit into a crawl of other hosts.
const (
	// MaxFollowUps bounds the follow-ups fetched per site.
	MaxFollowUps = 100
	// MaxFollowUpsPerOrigin bounds those on an origin other than the
	// site's.
	MaxFollowUpsPerOrigin = 5
)

// ErrFollowLimit is the Error of a follow-up not fetched because of the
// bounds above.
const ErrFollowLimit = "not fetched: follow-up limit reached"

// MaxFollowRounds bounds the rounds of follow-ups: a round's responses are
// in the Site when the Followers run again, so a follow-up may lead to
// another (an api-catalog named by a Link header, then the description it
// links), but not indefinitely.
const MaxFollowRounds = 2

// followState is what the rounds of one site share: the names already
// asked for and the bounds.
type followState struct {
	names     map[string]bool
	perOrigin map[string]int
	n         int
	pages     map[string]*Page
}

// follow runs the Followers of the options over the crawled site and
// fetches what they ask for, o.Concurrency at a time, in up to
// MaxFollowRounds rounds (a round asks only for names not asked before).
func (c *siteCrawl) follow(ctx context.Context) {
	if len(c.o.Followers) == 0 {
		return
	}
	st := &followState{names: map[string]bool{}, perOrigin: map[string]int{}, pages: map[string]*Page{}}
	for _, p := range c.site.Pages {
		if p.Skipped() == "" {
			st.pages[p.URL] = p
		}
	}
	for range MaxFollowRounds {
		if ctx.Err() != nil {
			return
		}
		c.mu.Lock()
		stopped := c.stopped == "5xx" || c.stopped == "max-duration"
		c.mu.Unlock()
		if stopped {
			return
		}
		var ups []FollowUp
		for _, f := range c.o.Followers {
			for _, u := range c.callFollower(f) {
				key := u.Page + "\x00" + u.Name
				if u.Name == "" || st.names[key] {
					continue
				}
				st.names[key] = true
				ups = append(ups, u)
			}
		}
		if len(ups) == 0 {
			return
		}
		c.followRound(ctx, ups, st)
	}
}

// callFollower runs a Follower, turning a panic (a bug on a strange site)
// into an error of the site instead of the end of the crawl.
func (c *siteCrawl) callFollower(f Follower) (ups []FollowUp) {
	defer func() {
		if e := recover(); e != nil {
			c.mu.Lock()
			c.site.Errors = append(c.site.Errors, fmt.Sprintf("follow-ups: internal error: %v (please report this bug)", e))
			c.mu.Unlock()
			ups = nil
		}
	}()
	return f(c.site)
}

// followRound fetches one round of follow-ups and stores the responses.
func (c *siteCrawl) followRound(ctx context.Context, ups []FollowUp, st *followState) {
	work := make(chan int)
	results := make([]*Response, len(ups))
	var wg sync.WaitGroup
	for range min(c.o.Concurrency, len(ups)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				results[i] = c.fetchFollowUp(ctx, &ups[i])
				c.prog.follow.Add(-1)
			}
		}()
	}
	var send []int
	for i := range ups {
		u := &ups[i]
		if u.Page != "" && st.pages[u.Page] == nil {
			continue
		}
		pu, err := urlnorm.Parse(u.URL)
		if err != nil || (pu.Scheme != "http" && pu.Scheme != "https") {
			results[i] = &Response{URL: u.URL, FinalURL: u.URL, Error: fmt.Sprintf("bad URL %q", u.URL)}
			continue
		}
		u.URL = pu.String()
		origin := urlnorm.Origin(pu)
		if st.n >= MaxFollowUps || origin != c.site.Origin && st.perOrigin[origin] >= MaxFollowUpsPerOrigin {
			results[i] = &Response{URL: u.URL, FinalURL: u.URL, Error: ErrFollowLimit}
			continue
		}
		st.n++
		if origin != c.site.Origin {
			st.perOrigin[origin]++
		}
		send = append(send, i)
	}
	c.prog.follow.Add(int64(len(send)))
	c.prog.changed.Store(true)
	for _, i := range send {
		work <- i
	}
	close(work)
	wg.Wait()

	c.mu.Lock()
	defer c.mu.Unlock()
	for i, r := range results {
		if r == nil || isCut(r) {
			continue
		}
		u := &ups[i]
		if u.Page == "" {
			if c.site.Extras == nil {
				c.site.Extras = map[string]*Response{}
			}
			c.site.Extras[u.Name] = r
			continue
		}
		st.pages[u.Page].SetVariant(u.Name, r)
	}
}

// fetchFollowUp fetches one follow-up within robots.txt: the crawler's
// token (on the follow-up's own origin) and the follow-up's Agent.
func (c *siteCrawl) fetchFollowUp(ctx context.Context, u *FollowUp) *Response {
	if ctx.Err() != nil {
		return cutResponse(ctx, u.URL, false)
	}
	h := c.host(originOf(u.URL))
	c.ensureRobots(ctx, h)
	if ctx.Err() != nil {
		return cutResponse(ctx, u.URL, false) // robots.txt perhaps cut: no verdict
	}
	c.mu.Lock()
	v, ok := c.allowed(u.URL)
	if originOf(u.URL) != c.site.Origin {
		// --ignore-robots is for one's own site, not for the hosts it
		// links to.
		ok = v.Allowed
	}
	var av bool
	if ok && u.Agent != "" {
		av = c.policyOf(u.URL).Check(u.Agent, u.URL).Allowed
	}
	c.mu.Unlock()
	switch {
	case !ok:
		return &Response{URL: u.URL, FinalURL: u.URL, Error: "disallowed by robots.txt (" + v.Rule + ")"}
	case u.Agent != "" && !av:
		return &Response{URL: u.URL, FinalURL: u.URL, Error: "disallowed by robots.txt for " + u.Agent}
	}
	return c.getSummarized(ctx, "follow", request{url: u.URL, accept: u.Accept, userAgent: u.UserAgent, header: u.Header, method: u.Method, body: u.Body,
		maxBody: u.MaxBytes, onHop: c.followGuard}, u.Summarize)
}

// followGuard is sameOriginGuard for follow-ups: a redirect to another
// origin is allowed (a service-desc may live elsewhere) but still obeys
// that origin's robots.txt once it has been fetched, even with
// --ignore-robots.
func (c *siteCrawl) followGuard(u *url.URL) error {
	if err := c.sameOriginGuard(u); err != nil {
		return err
	}
	if urlnorm.Origin(u) == c.site.Origin {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if h := c.hosts[urlnorm.Origin(u)]; h != nil && h.policy != nil {
		if v := h.policy.Check(c.token, u.String()); !v.Allowed {
			return fmt.Errorf("disallowed by robots.txt (%s): %s", v.Rule, u)
		}
	}
	return nil
}
