// This file holds the run: Crawl over the targets, and one site's crawl
// from its start page to its last follow-up (crawlSite), with the state
// that crawl shares (siteCrawl).

package crawl

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"

	"github.com/agentready/agentready/audit/robots"
	"github.com/agentready/agentready/audit/urlnorm"
)

// progress holds the counters shared by all origins of a crawl.
type progress struct {
	done, queued, errors atomic.Int64
	bytes                atomic.Int64
	requests, follow     atomic.Int64
	changed              atomic.Bool
}

// Crawl audits each target and returns one Site per target, in order.
// Failures of single fetches are recorded in the Sites; the error is for
// invalid options only. A cancelled ctx stops the crawl and returns what
// was gathered (with Stats.Limit "cancelled").
func Crawl(ctx context.Context, targets []Target, o Options) ([]*Site, error) {
	o = o.withDefaults()
	if err := o.validate(); err != nil {
		return nil, err
	}
	if o.MaxDuration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeoutCause(ctx, o.MaxDuration, errMaxDuration)
		defer cancel()
	}
	prog := &progress{}
	started := time.Now()
	stopProgress := make(chan struct{})
	var progWG sync.WaitGroup
	if o.OnProgress != nil {
		progWG.Add(1)
		go func() {
			defer progWG.Done()
			tick := time.NewTicker(200 * time.Millisecond)
			defer tick.Stop()
			for {
				select {
				case <-stopProgress:
					o.OnProgress(prog.snapshot(started))
					return
				case <-tick.C:
					if prog.changed.Swap(false) {
						o.OnProgress(prog.snapshot(started))
					}
				}
			}
		}()
	}
	folders := folderOrigins(targets)
	sites := make([]*Site, len(targets))
	sem := make(chan struct{}, o.SiteConcurrency)
	var wg sync.WaitGroup
	for i, t := range targets {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			s := crawlSite(ctx, t, folders[i], &o, prog)
			s.Index = i
			sites[i] = s
			if o.OnSite != nil {
				o.OnSite(s)
			}
		}()
	}
	wg.Wait()
	close(stopProgress)
	progWG.Wait()
	return sites, nil
}

func (p *progress) snapshot(started time.Time) Progress {
	return Progress{Done: int(p.done.Load()), Queued: int(p.queued.Load()), Errors: int(p.errors.Load()),
		Bytes: p.bytes.Load(), Elapsed: time.Since(started), Requests: int(p.requests.Load()), FollowUps: int(p.follow.Load())}
}

type siteCrawl struct {
	o     *Options
	site  *Site
	f     *fetcher
	hosts map[string]*host
	token string
	prog  *progress
	list  bool
	// local is set for a folder target: the server is ours, in-process, so
	// no rate limit or Crawl-delay applies.
	local  bool
	starts []*url.URL
	domain string
	prefix string

	// slots bounds the requests in flight to o.Concurrency; there are more
	// workers than slots, so that parsing a page never leaves a slot idle.
	slots chan struct{}
	// sitemapMu serialises sitemap reads (see fetchSitemap).
	sitemapMu sync.Mutex
	// sitemapBytes is the size of the sitemap URLs kept (guarded by
	// sitemapMu).
	sitemapBytes int

	mu       sync.Mutex
	cond     *sync.Cond
	queue    []task // extras and sitemaps
	pages    []task // pages, FIFO from head
	head     int
	inflight int
	seen     map[string]string
	// verdicts interns robots.txt verdicts: pages share the few distinct
	// ones.
	verdicts map[robots.Verdict]*robots.Verdict
	claims   int // page fetches started
	skipped  int // robots-skipped pages listed
	sitemaps int // sitemap files claimed
	variants int // pages that got variants
	// speculated is set when the start origin's extras were fetched
	// alongside the start page (see speculate).
	speculated bool
	ranked     int // pages the start page's anchors queued (task.rank)
	streak5xx  int
	stopped    string
	requests   int
	bytes      int64
	errors     int
}

// errNoStart is the error of a target with nothing to start from.
var errNoStart = errors.New("no start URL")

// crawlSite crawls one target; folderOrigin is the origin a folder target
// is served at (see folderOrigins).
func crawlSite(ctx context.Context, t Target, folderOrigin string, o *Options, prog *progress) *Site {
	site := &Site{Target: t.String(), UserAgent: o.UserAgent, Token: robots.ProductToken(o.UserAgent),
		Stats: Stats{Started: time.Now().UTC()}}
	started := time.Now()
	defer func() { site.Stats.Duration = time.Since(started) }()
	guard := &dialGuard{allowPrivate: o.AllowPrivate, allowAddrs: o.allowAddrs}
	var raw []string
	var dir *folder
	switch {
	case t.Folder != "":
		var err error
		if dir, err = openFolder(t.Folder, folderOrigin); err != nil {
			site.Errors = append(site.Errors, err.Error())
			return site
		}
		defer dir.close()
		site.Folder = dir.dir
		raw = []string{folderOrigin + "/"}
	case len(t.URLs) > 0:
		raw = t.URLs
	case t.URL != "":
		raw = []string{t.URL}
	default:
		site.Errors = append(site.Errors, errNoStart.Error())
		return site
	}
	c := &siteCrawl{o: o, site: site, prog: prog, list: len(t.URLs) > 0, seen: map[string]string{},
		hosts: map[string]*host{}, token: site.Token, local: t.Folder != ""}
	c.cond = sync.NewCond(&c.mu)
	c.slots = make(chan struct{}, o.Concurrency)
	for _, r := range raw {
		u, err := urlnorm.Parse(r)
		if err != nil {
			site.Errors = append(site.Errors, fmt.Sprintf("%s: %v", r, err))
			continue
		}
		if len(c.starts) > 0 && urlnorm.Origin(u) != urlnorm.Origin(c.starts[0]) {
			site.Errors = append(site.Errors, fmt.Sprintf("%s: not on origin %s", r, urlnorm.Origin(c.starts[0])))
			continue
		}
		c.starts = append(c.starts, u)
	}
	if len(c.starts) == 0 {
		return site
	}
	start := c.starts[0]
	site.Origin = urlnorm.Origin(start)
	if t.URL != "" {
		site.Target = t.URL
	}
	c.domain = urlnorm.Domain(start.Host)
	c.prefix = start.EscapedPath()
	if i := strings.LastIndexByte(c.prefix, '/'); i >= 0 {
		c.prefix = c.prefix[:i+1]
	}
	if !guard.allowPrivate && !o.forcePublic && privateTarget(ctx, start.Hostname()) {
		// The user asked for this private host; its own address is fine.
		// A folder's host (NAME.localhost) is one: the folder stands in
		// for a server on the user's own machine.
		guard.allowPrivate = true
	}
	c.f = newFetcher(o, guard)
	if dir != nil {
		h := dir.handler
		if o.wrapFolder != nil {
			h = o.wrapFolder(h)
		}
		c.f.serveInProcess(dir.host, h)
	}
	defer c.f.close()

	h := c.host(site.Origin)
	c.ensureRobots(ctx, h)
	site.Robots = h.robots

	source := "start"
	if c.list {
		source = "list"
	}
	for _, u := range c.starts {
		s := u.String()
		if _, dup := c.seen[urlnorm.Key(s)]; dup {
			continue
		}
		c.seen[urlnorm.Key(s)] = s
		c.addPage(task{kind: taskPage, url: s, source: source}, true)
	}
	var spec sync.WaitGroup // speculative extras, see below
	if !c.list {
		// Fetch the start page first: when it redirects to another origin
		// (http to https, example.com to www.example.com), that origin is
		// the site, and its robots.txt and sitemaps are the ones to read.
		c.mu.Lock()
		t, _ := c.next()
		c.claims++
		c.prog.queued.Add(-1)
		c.mu.Unlock()
		// Meanwhile the slots the start page and its variants leave idle
		// fetch the origin's extras, on the bet that the start page stays
		// on its origin. Lost bets are dropped and fetched again below.
		specOrigin := site.Origin
		startDone := make(chan struct{})
		// Under a rate limit (--rate, Crawl-delay) the requests wait for
		// the limiter, not for slots, and the start page would wait behind
		// the bet: no bet.
		if n := o.Concurrency - 1 - len(c.pageVariants(t, false)); n > 0 && h.lim.Limit() == rate.Inf {
			tasks := c.extraTasks(specOrigin)
			c.speculated = len(tasks) > 0
			spec.Go(func() { c.speculate(ctx, tasks, n, startDone, specOrigin) })
		}
		c.fetchPage(ctx, t)
		close(startDone)
		h = c.host(site.Origin)
		c.ensureRobots(ctx, h)
		site.Robots = h.robots
		if site.Origin != specOrigin {
			spec.Wait()
			c.mu.Lock()
			for i := range o.Extras {
				if e := &o.Extras[i]; e.Path != "" {
					delete(site.Extras, e.Name)
				}
			}
			c.speculated = false
			c.mu.Unlock()
		}
	}
	if h.policy.IsDisallowAll() && !isCut(&h.robots.Response) {
		site.Errors = append(site.Errors, fmt.Sprintf("robots.txt unreachable (%s): nothing may be crawled", statusText(&h.robots.Response)))
	}

	// Queue the per-origin artifacts; they run before further pages.
	if !c.speculated {
		c.queue = append(c.queue, c.extraTasks(site.Origin)...)
	}
	if !o.NoSitemaps {
		listed := map[string]bool{}
		if h.policy != nil {
			base, _ := url.Parse(site.Origin + "/robots.txt")
			for _, s := range h.policy.Sitemaps {
				u, err := urlnorm.Resolve(base, s)
				if err != nil || listed[u.String()] {
					continue
				}
				listed[u.String()] = true
				c.queue = append(c.queue, task{kind: taskSitemap, url: u.String(), source: "robots"})
			}
		}
		if def := site.Origin + "/sitemap.xml"; !listed[def] {
			listed[def] = true
			c.queue = append(c.queue, task{kind: taskSitemap, url: def, source: "default"})
		}
		// An index listing a sitemap already queued (itself, say) does not
		// queue it again.
		for u := range listed {
			key := "sitemap " + u
			c.seen[key] = key
		}
	}

	var wg sync.WaitGroup
	for range 2 * o.Concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.work(ctx)
		}()
	}
	wg.Wait()
	spec.Wait()
	c.follow(ctx) // follow.go: what checks ask for once the crawl is done
	if o.Render != nil && ctx.Err() == nil {
		o.Render(ctx, site, c.browserFetch) // render.go
	}

	c.mu.Lock()
	defer c.mu.Unlock()
	site.Stats.Queued += len(c.pages) - c.head
	if site.Stats.Queued > 0 && c.stopped == "" {
		c.stopped = "max-pages"
	}
	if err := ctx.Err(); err != nil && c.stopped == "" || c.stopped == "max-pages" && ctx.Err() != nil {
		if errors.Is(context.Cause(ctx), errMaxDuration) {
			c.stopped = "max-duration"
		} else {
			c.stopped = "cancelled"
		}
	}
	site.Stats.Limit = c.stopped
	if site.Robots != nil && isCut(&site.Robots.Response) {
		// Not read before the run ended: no evidence either way.
		site.Robots = nil
	}
	site.Stats.Requests = c.requests
	site.Stats.Bytes = c.bytes
	site.Stats.Errors = c.errors
	slices.SortFunc(site.Pages, func(a, b *Page) int { return strings.Compare(a.URL, b.URL) })
	return site
}
