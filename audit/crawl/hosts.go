// This file holds the politeness state of each origin (rate limit,
// Retry-After pauses, the 5xx stop) and the polite request every fetch
// goes through (get), and how a URL names its origin.

package crawl

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/agentready/agentready/audit/robots"
)

// host is the politeness state of one origin: its robots.txt, rate limiter
// and Retry-After pause. A crawl with --scope domain has several.
type host struct {
	origin string
	once   sync.Once
	robots *RobotsFile
	policy *robots.Robots
	lim    *rate.Limiter
	pause  time.Time // guarded by siteCrawl.mu
}

// host returns the state of an origin, creating it.
func (c *siteCrawl) host(origin string) *host {
	c.mu.Lock()
	defer c.mu.Unlock()
	h := c.hosts[origin]
	if h == nil {
		h = &host{origin: origin, lim: rate.NewLimiter(rate.Inf, 1)}
		if c.o.Rate > 0 && !c.local {
			h.lim.SetLimit(rate.Limit(c.o.Rate))
		}
		c.hosts[origin] = h
	}
	return h
}

// get performs one polite request: it waits for the host's rate limiter and
// any Retry-After pause, retries 429 and 503, and counts requests.
func (c *siteCrawl) get(ctx context.Context, kind string, rq request) *Response {
	r, buf := c.getPooled(ctx, kind, rq)
	recycle(buf) // only a pooled request has one
	return r
}

// getSummarized is get, keeping only what summarize returns of the body
// when it is set (see Extra.Summarize): the body is read into a pooled
// buffer, summarised and recycled, never copied.
func (c *siteCrawl) getSummarized(ctx context.Context, kind string, rq request, summarize func(*Response) any) *Response {
	if summarize == nil {
		return c.get(ctx, kind, rq)
	}
	rq.pooled = true
	r, buf := c.getPooled(ctx, kind, rq)
	r.summarize(summarize)
	recycle(buf)
	return r
}

// getPooled is get for a pooled request: buf is the pooled buffer the
// body is in (nil if none), which the caller recycles once done with the
// body.
func (c *siteCrawl) getPooled(ctx context.Context, kind string, rq request) (_ *Response, buf *bytes.Buffer) {
	var resp *Response
	h := c.host(originOf(rq.url))
	for attempt := 0; ; attempt++ {
		if err := c.wait(ctx, h); err != nil {
			// The run ends before the request could be sent. An earlier
			// attempt's answer (a 429 or 503) stands.
			if resp == nil {
				outOfTime := errors.Is(err, errMaxDuration)
				if outOfTime && ctx.Err() == nil {
					// The limiter will not wait past the deadline: no
					// later request can be sent either.
					c.mu.Lock()
					if c.stopped == "" || c.stopped == "max-pages" {
						c.stopped = "max-duration"
					}
					c.mu.Unlock()
				}
				resp = cutResponse(ctx, rq.url, outOfTime)
			}
			return resp, buf
		}
		select {
		case c.slots <- struct{}{}:
		case <-ctx.Done():
			if resp == nil {
				resp = cutResponse(ctx, rq.url, false)
			}
			return resp, buf
		}
		c.mu.Lock()
		stopped := c.stopped == "5xx"
		c.mu.Unlock()
		if stopped {
			<-c.slots
			recycle(buf)
			return &Response{URL: rq.url, FinalURL: rq.url, Error: errHostStopped}, nil
		}
		recycle(buf) // an earlier attempt's
		r, b, n := c.f.do(ctx, rq)
		buf = b
		if r.Error != "" && ctx.Err() != nil {
			// Broken off by the end of the run, not by the site (the
			// request's own timeout leaves ctx alone).
			r.Error = cutResponse(ctx, rq.url, false).Error
		}
		final := r.Error != "" || (r.Status != 429 && r.Status != 503) || attempt >= c.o.MaxRetries
		if final && kind == "page" {
			// Before the slot goes: the request that takes it must see the
			// host stopped by this answer.
			c.mu.Lock()
			c.count5xx(r.Status)
			c.mu.Unlock()
		}
		<-c.slots
		// The worker waiting for the slot is readied on this goroutine's
		// P, where it would wait until this one blocks: after it has
		// parsed the page it just fetched, a millisecond or more with
		// every check on. Yielding sends the next request now. On the
		// crawl benchmark's 2-CPU machine this took 1,000 pages with
		// every check on from about 650 to about 670 pages/s (interleaved
		// runs on one server), and the bare crawl from about 685 to 700.
		runtime.Gosched()
		r.Attempts = int16(min(attempt+1, math.MaxInt16))
		resp = r
		c.mu.Lock()
		c.requests += n
		c.bytes += r.Bytes
		c.mu.Unlock()
		c.prog.bytes.Add(r.Bytes)
		c.prog.requests.Add(int64(n))
		c.prog.changed.Store(true)
		if c.o.OnFetch != nil {
			c.o.OnFetch(FetchEvent{Kind: kind, URL: rq.url, Status: r.Status, Bytes: r.Bytes, Duration: r.Timing().Total, Error: r.Error})
		}
		if final {
			return r, buf
		}
		d, ok := retryAfter(r.Header, time.Now())
		if !ok {
			d = time.Second << attempt
		}
		d = min(d, c.o.RetryAfterCap)
		c.mu.Lock()
		if until := time.Now().Add(d); until.After(h.pause) {
			h.pause = until
		}
		c.mu.Unlock()
	}
}

func (c *siteCrawl) wait(ctx context.Context, h *host) error {
	for {
		c.mu.Lock()
		d := time.Until(h.pause)
		c.mu.Unlock()
		if d <= 0 {
			break
		}
		select {
		case <-ctx.Done():
			return context.Cause(ctx)
		case <-time.After(d):
		}
	}
	if err := h.lim.Wait(ctx); err != nil {
		if ctx.Err() != nil {
			return context.Cause(ctx)
		}
		// The wait would outlast the deadline.
		return errMaxDuration
	}
	return nil
}

// errHostStopped is the error of a request not sent because the host was
// left alone after repeated 5xx answers.
const errHostStopped = "not fetched: the host answered 5xx too often"

// count5xx counts a page's final status towards the consecutive 5xx
// answers that stop the crawl of a host. Called with c.mu held.
func (c *siteCrawl) count5xx(status int) {
	if status >= 500 {
		c.streak5xx++
		if c.streak5xx >= c.o.Max5xx && c.stopped == "" {
			c.stopped = "5xx"
			c.site.Errors = append(c.site.Errors, fmt.Sprintf("stopped after %d consecutive 5xx responses", c.streak5xx))
		}
	} else if status > 0 {
		c.streak5xx = 0
	}
}

// originOf returns the scheme://host[:port] of an absolute URL, "" if it
// does not parse. The crawl's URLs are normalised http(s) URLs, whose
// origin is a prefix: those are sliced, not parsed (it runs for every link
// found, with the crawl's lock held).
func originOf(s string) string {
	if o, ok := originPrefix(s); ok {
		return o
	}
	return parsedOrigin(s)
}

// originPrefix is originOf's fast path: s starts with http:// or https://
// and the host that follows is made of lower-case letters, digits, '-' and
// '.', with a numeric port or none, up to the path, query or end.
func originPrefix(s string) (string, bool) {
	var i int
	switch {
	case strings.HasPrefix(s, "https://"):
		i = len("https://")
	case strings.HasPrefix(s, "http://"):
		i = len("http://")
	default:
		return "", false
	}
	start := i
	for i < len(s) && ('a' <= s[i] && s[i] <= 'z' || '0' <= s[i] && s[i] <= '9' || s[i] == '-' || s[i] == '.') {
		i++
	}
	if i == start {
		return "", false
	}
	if i < len(s) && s[i] == ':' {
		i++
		for i < len(s) && '0' <= s[i] && s[i] <= '9' {
			i++
		}
	}
	if i < len(s) && s[i] != '/' && s[i] != '?' {
		return "", false
	}
	return s[:i], true
}

func parsedOrigin(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return ""
	}
	return u.Scheme + "://" + u.Host
}
