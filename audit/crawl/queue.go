// This file holds the frontier: the tasks, the workers that take them,
// the order they run in, and which discovered URLs are queued (scope,
// --include/--exclude, depth, de-duplication, the page limit).

package crawl

import (
	"context"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/agentready/agentready/audit/urlnorm"
)

// task kinds.
const (
	taskPage = iota
	taskSitemap
	taskExtra
)

type task struct {
	kind     int
	url      string
	depth    int
	source   string // page: start, link, sitemap, list; sitemap: robots, default, index
	referrer string
	extra    *Extra
	// rank is n for the nth page the start page's anchors queued (see
	// Extra.Sample), 0 for other pages.
	rank int
}

// maxSeen bounds the distinct URLs remembered per origin (a bound on what
// one hostile site can make the crawler hold); past it, new URLs are
// counted as queued but not remembered or crawled.
const maxSeen = 1_000_000

func (c *siteCrawl) work(ctx context.Context) {
	for {
		c.mu.Lock()
		var t task
		var ok bool
		for {
			if ctx.Err() != nil || c.stopped == "5xx" || c.stopped == "max-duration" {
				c.mu.Unlock()
				c.cond.Broadcast()
				return
			}
			if t, ok = c.next(); ok {
				break
			}
			if c.inflight == 0 {
				c.mu.Unlock()
				c.cond.Broadcast()
				return
			}
			c.cond.Wait()
		}
		if t.kind == taskPage {
			c.claims++
			c.prog.queued.Add(-1)
		}
		c.inflight++
		c.mu.Unlock()

		switch t.kind {
		case taskPage:
			c.fetchPage(ctx, t)
		case taskSitemap:
			c.fetchSitemap(ctx, t)
		case taskExtra:
			c.fetchExtra(ctx, t)
		}

		c.mu.Lock()
		c.inflight--
		c.mu.Unlock()
		c.cond.Broadcast()
	}
}

// next takes the next runnable task: robots-level work (extras,
// sitemaps) first, then pages in discovery order (breadth first) while the
// page limit allows. Called with c.mu held.
func (c *siteCrawl) next() (task, bool) {
	if len(c.queue) > 0 {
		t := c.queue[0]
		c.queue = c.queue[1:]
		return t, true
	}
	if c.head < len(c.pages) && (c.o.MaxPages <= 0 || c.claims < c.o.MaxPages) {
		t := c.pages[c.head]
		c.pages[c.head] = task{}
		c.head++
		if c.head == len(c.pages) {
			c.pages, c.head = c.pages[:0], 0
		}
		return t, true
	}
	return task{}, false
}

// addPage queues a page task, or counts it when the page limit leaves no
// room. Called with c.mu held (or before the workers start).
func (c *siteCrawl) addPage(t task, force bool) {
	if !force && c.o.MaxPages > 0 {
		if c.claims+len(c.pages)-c.head >= c.o.MaxPages {
			c.site.Stats.Queued++
			return
		}
	}
	c.pages = append(c.pages, t)
	c.prog.queued.Add(1)
	c.prog.changed.Store(true)
}

// discover handles one URL found on a page or in a sitemap: scope, depth,
// de-duplication and robots.txt. It returns the interned URL string when
// the URL is in scope. Called with c.mu held.
//
// A page is fetched once per urlnorm.Key, so /a and /a? are one page,
// fetched in the first form found that robots.txt allows: robots.txt is
// asked about each form as written (RFC 9309 matches the query as given,
// "Disallow: /search?" keeps out /search? but not /search), and a form it
// disallows is remembered apart ("\x00"+form), leaving the key to the
// other form.
func (c *siteCrawl) discover(u *url.URL, depth int, source, referrer string) (string, bool) {
	s := urlnorm.Format(u)
	k := urlnorm.Key(s)
	if in, dup := c.seen[k]; dup {
		return in, true
	}
	if in, dup := c.seen["\x00"+s]; dup {
		return in, true
	}
	if len(s) > maxURLBytes || !c.inScope(u) {
		return "", false
	}
	if len(c.seen) >= maxSeen {
		c.site.Stats.Queued++
		return s, true
	}
	if c.o.MaxDepth > 0 && depth > c.o.MaxDepth {
		c.seen[k] = s
		return s, true
	}
	// Other origins of a domain scope are checked against their own
	// robots.txt when their turn comes (fetchPage).
	if v, ok := c.allowed(s); urlnorm.Origin(u) == c.site.Origin && !ok {
		c.seen["\x00"+s] = s
		c.site.Stats.Disallowed++
		if c.skipped < max(c.o.MaxPages, 100) {
			c.skipped++
			p := &Page{Response: Response{URL: s, FinalURL: s}, Depth: int32(depth), Source: source, Referrer: referrer,
				robots: c.verdict(v)}
			p.SetSkipped("robots")
			c.site.Pages = append(c.site.Pages, p)
		}
		return s, true
	}
	c.seen[k] = s
	c.addPage(task{kind: taskPage, url: s, depth: depth, source: source, referrer: referrer}, false)
	return s, true
}

// inScope reports whether a discovered URL may be crawled.
func (c *siteCrawl) inScope(u *url.URL) bool {
	switch c.o.Scope {
	case ScopeDomain:
		if urlnorm.Domain(u.Host) != c.domain {
			return false
		}
	case ScopePrefix:
		if urlnorm.Origin(u) != c.site.Origin || !strings.HasPrefix(u.EscapedPath(), c.prefix) {
			return false
		}
	default:
		if urlnorm.Origin(u) != c.site.Origin {
			return false
		}
	}
	if len(c.o.Include) == 0 && len(c.o.Exclude) == 0 {
		return true
	}
	s := urlnorm.Format(u)
	if len(c.o.Include) > 0 && !slices.ContainsFunc(c.o.Include, func(re *regexp.Regexp) bool { return re.MatchString(s) }) {
		return false
	}
	return !slices.ContainsFunc(c.o.Exclude, func(re *regexp.Regexp) bool { return re.MatchString(s) })
}

// adopt makes the origin a start page redirected to the site's origin, so
// that scope, robots.txt and sitemaps follow the site where it lives.
// Called with c.mu held, before the workers start.
func (c *siteCrawl) adopt(u *url.URL) {
	c.site.Origin = urlnorm.Origin(u)
	c.domain = urlnorm.Domain(u.Host)
	c.prefix = u.EscapedPath()
	if i := strings.LastIndexByte(c.prefix, '/'); i >= 0 {
		c.prefix = c.prefix[:i+1]
	}
}
