package crawl

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"net"
	"net/url"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
	"golang.org/x/time/rate"

	"github.com/agentready/agentready/audit/robots"
	"github.com/agentready/agentready/audit/sitemap"
	"github.com/agentready/agentready/audit/urlnorm"
)

// Target is one thing to audit: a start URL, a local folder, or an exact
// list of URLs on one origin.
type Target struct {
	// URL is the start URL of a crawl.
	URL string `json:"url,omitempty"`
	// Folder is a local directory to serve on loopback and crawl.
	Folder string `json:"folder,omitempty"`
	// URLs, when set, are exactly the pages to fetch (all on one origin);
	// links are recorded but not followed.
	URLs []string `json:"urls,omitempty"`
}

// String names the target as a user wrote it.
func (t Target) String() string {
	switch {
	case t.Folder != "":
		return t.Folder
	case len(t.URLs) > 0:
		return "urls"
	}
	return t.URL
}

// errHostStopped is the error of a request not sent because the host was
// left alone after repeated 5xx answers.
const errHostStopped = "not fetched: the host answered 5xx too often"

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

var (
	errMaxDuration = errors.New("max-duration reached")
	errNoStart     = errors.New("no start URL")
)

// Bounds on what one hostile site can make the crawler hold.
const (
	// maxSitemapFiles bounds the sitemap files fetched per origin (an
	// index can list 50,000 of them).
	maxSitemapFiles = 10
	// maxSitemapURLBytes bounds the bytes of sitemap URLs kept per origin
	// (Sitemap.URLs): about 200,000 URLs of a typical length.
	maxSitemapURLBytes = 16 << 20
	// maxLinksPerPage bounds the links read from one page.
	maxLinksPerPage = 10_000
	// maxSeen bounds the distinct URLs remembered per origin; past it, new
	// URLs are counted as queued but not remembered or crawled.
	maxSeen = 1_000_000
)

// DefaultUserAgent returns the User-Agent the crawler sends by default.
func DefaultUserAgent(version string) string {
	if version == "" {
		version = "dev"
	}
	return "agentready/" + version + " (+https://github.com/agentready/agentready)"
}

func (o Options) withDefaults() Options {
	if o.UserAgent == "" {
		o.UserAgent = DefaultUserAgent(o.Version)
	}
	if o.Scope == "" {
		o.Scope = ScopeHost
	}
	if o.MaxPages == 0 {
		o.MaxPages = DefaultMaxPages
	}
	if o.Rate == 0 {
		o.Rate = DefaultRate
	}
	if o.Concurrency <= 0 {
		o.Concurrency = DefaultConcurrency
	}
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if o.ConnectTimeout <= 0 {
		o.ConnectTimeout = 10 * time.Second
	}
	if o.FirstByteTimeout <= 0 {
		o.FirstByteTimeout = 15 * time.Second
	}
	if o.ResponseTimeout <= 0 {
		o.ResponseTimeout = 30 * time.Second
	}
	if o.MaxRedirects <= 0 {
		o.MaxRedirects = DefaultMaxRedirects
	}
	if o.Max5xx <= 0 {
		o.Max5xx = DefaultMax5xx
	}
	if o.MaxRetries == 0 {
		o.MaxRetries = 2
	} else if o.MaxRetries < 0 {
		o.MaxRetries = 0
	}
	if o.RetryAfterCap <= 0 {
		o.RetryAfterCap = DefaultRetryAfterCap
	}
	if o.MaxSitemapURLs <= 0 || o.MaxSitemapURLs > sitemap.MaxURLs {
		o.MaxSitemapURLs = DefaultMaxSitemapURLs
	}
	if o.SiteConcurrency <= 0 {
		o.SiteConcurrency = 4
	}
	return o
}

func (o *Options) validate() error {
	switch o.Scope {
	case ScopeHost, ScopeDomain, ScopePrefix:
	default:
		return fmt.Errorf("scope %q: want host, domain or prefix", o.Scope)
	}
	names := map[string]bool{}
	for _, e := range o.Extras {
		if e.Name == "" || names[e.Name] {
			return fmt.Errorf("extra %q: names must be unique and non-empty", e.Name)
		}
		names[e.Name] = true
		if e.Path != "" && !strings.HasPrefix(e.Path, "/") {
			return fmt.Errorf("extra %q: path %q must start with /", e.Name, e.Path)
		}
	}
	return nil
}

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
	sites := make([]*Site, len(targets))
	sem := make(chan struct{}, o.SiteConcurrency)
	var wg sync.WaitGroup
	for i, t := range targets {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			s := crawlSite(ctx, t, &o, prog)
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

func crawlSite(ctx context.Context, t Target, o *Options, prog *progress) *Site {
	site := &Site{Target: t.String(), UserAgent: o.UserAgent, Token: robots.ProductToken(o.UserAgent),
		Stats: Stats{Started: time.Now().UTC()}}
	started := time.Now()
	defer func() { site.Stats.Duration = time.Since(started) }()
	guard := &dialGuard{allowPrivate: o.AllowPrivate, allowAddrs: map[string]bool{}}
	for a := range o.allowAddrs {
		guard.allowAddrs[a] = true
	}
	var raw []string
	switch {
	case t.Folder != "":
		srv, err := ServeFolder(t.Folder)
		if err != nil {
			site.Errors = append(site.Errors, err.Error())
			return site
		}
		defer srv.Close()
		site.Folder = srv.Dir
		guard.allowAddrs[srv.Addr] = true
		raw = []string{srv.URL + "/"}
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
		guard.allowPrivate = true
	}
	c.f = newFetcher(o, guard)
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
		if _, dup := c.seen[s]; dup {
			continue
		}
		c.seen[s] = s
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

// privateTarget reports whether the user's own target host is private
// (an IP literal, localhost, or a name that resolves only to private
// addresses), in which case connecting to it needs no --allow-private.
func privateTarget(ctx context.Context, host string) bool {
	if ip := net.ParseIP(host); ip != nil {
		return isPrivate(ip)
	}
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	addrs, err := net.DefaultResolver.LookupIPAddr(ctx, host)
	if err != nil || len(addrs) == 0 {
		return false
	}
	for _, a := range addrs {
		if !isPrivate(a.IP) {
			return false
		}
	}
	return true
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

// parsing bounds the pages parsed and handed to the extractors at once,
// across the crawls of a process, to one less than the CPUs Go uses (at
// least one). Parsing is most of the crawl's CPU; without the bound, the
// pages that arrive together are parsed together, and the responses of
// the requests in flight wait for a CPU while they hold their slots. With
// one CPU kept for the network, those are read as they come: on the crawl
// benchmark's 2-CPU machine, 1,000 pages with every check on go from about
// 655 to about 670 pages/s. A page waiting for its turn holds no slot.
var parsing = make(chan struct{}, max(1, runtime.GOMAXPROCS(0)-1))

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

func (c *siteCrawl) fetchSitemap(ctx context.Context, t task) {
	c.mu.Lock()
	if c.sitemaps >= maxSitemapFiles {
		c.mu.Unlock()
		return
	}
	c.sitemaps++
	c.mu.Unlock()
	if ctx.Err() != nil {
		return // robots.txt may have been cut: no verdict either
	}
	sm := &Sitemap{From: t.source}
	c.mu.Lock()
	v, ok := c.allowed(t.url)
	c.mu.Unlock()
	if !ok && t.source != "robots" {
		sm.Response = Response{URL: t.url, FinalURL: t.url, Error: "disallowed by robots.txt (" + v.Rule + ")"}
	} else {
		// Sitemaps may be 50 MB (the protocol's limit), so they are read
		// one at a time to keep that the most memory they take.
		c.sitemapMu.Lock()
		defer c.sitemapMu.Unlock()
		r, buf := c.getPooled(ctx, "sitemap", request{url: t.url, accept: "application/xml,text/xml,text/plain;q=0.9,*/*;q=0.5",
			keepRaw: true, pooled: true, maxBody: max(c.o.MaxBodyBytes, sitemap.MaxBytes)})
		sm.Response = *r
		// A body cut by a timeout still yields the URLs read before it.
		if r.Status >= 200 && r.Status < 300 && len(r.Body) > 0 {
			p, err := sitemap.ParseLimit(bytes.NewReader(r.Body), c.o.MaxSitemapURLs, sitemap.MaxBytes)
			if err != nil && !(r.Truncated && len(p.URLs) > 0) {
				sm.ParseError = err.Error()
			}
			sm.Index, sm.URLs, sm.Count, sm.LastMod = p.Index, p.URLs, len(p.URLs), p.LastMod
			if p.Truncated || r.Truncated || r.Error != "" {
				sm.Truncated = true
			}
			// The URLs are kept with the site until the checks have run:
			// at most maxSitemapURLBytes of them per site (ten 50 MB files
			// of long URLs would otherwise stay in memory).
			for i, u := range sm.URLs {
				if c.sitemapBytes+len(u) > maxSitemapURLBytes {
					clear(sm.URLs[i:])
					sm.URLs = slices.Clip(sm.URLs[:i])
					sm.Truncated = true
					break
				}
				c.sitemapBytes += len(u)
			}
		}
		recycle(buf)
		sm.Response.Body = nil
		if isCut(r) {
			return
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.site.Sitemaps = append(c.site.Sitemaps, sm)
	if sm.Index {
		// Only maxSitemapFiles files are read per origin: an index may list
		// 50,000 (itself among them), and queueing more than can be read
		// would only hold memory.
		room := maxSitemapFiles - c.sitemaps
		for _, q := range c.queue {
			if q.kind == taskSitemap {
				room--
			}
		}
		left := 0
		for _, s := range sm.URLs {
			u, err := urlnorm.Parse(s)
			if err != nil || t.source == "index" { // indexes do not nest
				continue
			}
			key := "sitemap " + u.String()
			if _, dup := c.seen[key]; dup {
				continue
			}
			if room <= 0 {
				left++
				continue
			}
			room--
			c.seen[key] = key
			c.queue = append(c.queue, task{kind: taskSitemap, url: u.String(), source: "index"})
		}
		if left > 0 {
			c.site.Errors = append(c.site.Errors, fmt.Sprintf("sitemap index %s: %d listed sitemaps not read (at most %d sitemap files are read per site)",
				sm.URL, left, maxSitemapFiles))
		}
		c.cond.Broadcast()
		return
	}
	if c.list {
		return
	}
	for _, s := range sm.URLs {
		u, err := urlnorm.Parse(s)
		if err != nil {
			continue
		}
		c.discover(u, 1, "sitemap", "")
	}
	c.cond.Broadcast()
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

// discover handles one URL found on a page or in a sitemap: scope, depth,
// de-duplication and robots.txt. It returns the interned URL string when
// the URL is in scope. Called with c.mu held.
func (c *siteCrawl) discover(u *url.URL, depth int, source, referrer string) (string, bool) {
	s := urlnorm.Format(u)
	if in, dup := c.seen[s]; dup {
		return in, true
	}
	if len(s) > maxURLBytes || !c.inScope(u) {
		return "", false
	}
	if len(c.seen) >= maxSeen {
		c.site.Stats.Queued++
		return s, true
	}
	c.seen[s] = s
	if c.o.MaxDepth > 0 && depth > c.o.MaxDepth {
		return s, true
	}
	// Other origins of a domain scope are checked against their own
	// robots.txt when their turn comes (fetchPage).
	if v, ok := c.allowed(s); urlnorm.Origin(u) == c.site.Origin && !ok {
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
	c.addPage(task{kind: taskPage, url: s, depth: depth, source: source, referrer: referrer}, false)
	return s, true
}

func (c *siteCrawl) fetchPage(ctx context.Context, t task) {
	h := c.host(originOf(t.url))
	c.ensureRobots(ctx, h)
	if ctx.Err() != nil {
		// The run ended, robots.txt's fetch perhaps with it: no verdict.
		c.skipCut(t, cutResponse(ctx, t.url, false), nil)
		return
	}
	c.mu.Lock()
	v, ok := c.allowed(t.url)
	c.mu.Unlock()
	if !ok {
		// Start URLs reach here unchecked.
		c.mu.Lock()
		c.site.Stats.Disallowed++
		p := &Page{Response: Response{URL: t.url, FinalURL: t.url}, Depth: int32(t.depth), Source: t.source, robots: c.verdict(v)}
		p.SetSkipped("robots")
		c.site.Pages = append(c.site.Pages, p)
		c.mu.Unlock()
		return
	}
	// A start page's variants are fetched alongside it (the same URL, so
	// they need nothing from its response), unless a rate limit applies:
	// then the page goes first. A list's first page's are fetched once it
	// has answered, a sampled page's (Extra.Sample) once it has answered
	// 2xx HTML.
	variants := func(*Page) {}
	alongside := t.source == "start" && h.lim.Limit() == rate.Inf
	if alongside {
		variants = c.startVariants(ctx, t, c.pageVariants(t, true))
	}
	r, buf := c.getPooled(ctx, "page", request{url: t.url, onHop: c.sameOriginGuard, pooled: !c.o.KeepBodies})
	if !alongside && r.Error == "" && (t.rank == 0 || r.Status >= 200 && r.Status < 300 && (r.ContentType == "text/html" || r.ContentType == "application/xhtml+xml")) {
		variants = c.startVariants(ctx, t, c.pageVariants(t, true))
	}
	c.mu.Lock()
	rv := c.verdict(v)
	c.mu.Unlock()
	p := &Page{Response: *r, Depth: int32(t.depth), Source: t.source, Referrer: t.referrer, robots: rv}
	if r.Error == errHostStopped {
		variants(p)
		c.mu.Lock()
		c.site.Stats.Queued++
		c.mu.Unlock()
		return
	}
	if isCut(r) {
		variants(p)
		recycle(buf)
		c.skipCut(t, r, rv)
		return
	}
	if len(c.o.RobotsAgents) > 0 {
		agents := make([]AgentVerdict, 0, len(c.o.RobotsAgents))
		for _, a := range c.o.RobotsAgents {
			agents = append(agents, AgentVerdict{Agent: a, Verdict: h.policy.Check(a, t.url)})
		}
		slices.SortFunc(agents, func(a, b AgentVerdict) int { return strings.Compare(a.Agent, b.Agent) })
		p.SetAgents(agents)
	}

	var links []link
	if len(p.Body) > 0 && (p.ContentType == "text/html" || p.ContentType == "application/xhtml+xml") {
		links = c.parse(p)
	} else if len(c.o.Extractors) > 0 && r.Error == "" {
		d := &Document{Page: p}
		for _, e := range c.o.Extractors {
			e.Extract(d)
		}
	}
	if !c.o.KeepBodies {
		p.Body = nil
		recycle(buf)
	}
	variants(p)

	c.mu.Lock()
	defer c.mu.Unlock()
	if p.FinalURL != p.URL && r.Status >= 200 && r.Status < 300 {
		if fu, err := url.Parse(p.FinalURL); err == nil {
			if t.source == "start" && urlnorm.Origin(fu) != c.site.Origin {
				c.adopt(fu)
			}
			if _, dup := c.seen[p.FinalURL]; !dup {
				c.seen[p.FinalURL] = p.FinalURL
			}
		}
	}
	c.prog.done.Add(1)
	if p.Error != "" {
		c.errors++
		c.prog.errors.Add(1)
	}
	c.prog.changed.Store(true)
	c.site.Pages = append(c.site.Pages, p)
	c.site.Stats.Pages++
	seen := make(map[string]bool, len(links))
	var kept []string
	for k := range links {
		l := &links[k]
		depth := t.depth + 1
		var s string
		var in bool
		if c.list {
			s = l.s
			if in = c.inScope(l.URL()); in {
				if i, ok := c.seen[s]; ok {
					s = i
				}
			}
		} else if i, dup := c.seen[l.s]; dup {
			s, in = i, true // what discover returns for a URL seen before
		} else {
			n := len(c.pages)
			s, in = c.discover(l.URL(), depth, "link", p.URL)
			if t.source == "start" && l.anchor && len(c.pages) > n {
				c.ranked++
				c.pages[n].rank = c.ranked
			}
		}
		if in && !seen[s] {
			seen[s] = true
			p.LinkCount++
			if c.o.KeepLinks {
				kept = append(kept, s)
			}
		}
	}
	slices.Sort(kept)
	p.SetLinks(slices.Clip(kept))
}

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

// parse parses an HTML page, returns its links and hands the document to
// the extractors, within the bound of parsing.
func (c *siteCrawl) parse(p *Page) []link {
	parsing <- struct{}{}
	defer func() { <-parsing }()
	doc, err := html.Parse(bytes.NewReader(p.Body))
	if err != nil {
		// html.Parse refuses a document nested deeper than 512 elements
		// (its only error on a byte slice), which browsers read: unclosed
		// <div>s are enough. The document is parsed again with the
		// elements nested deeper than maxNesting made siblings (see
		// flattenDeep), so its links and text are read.
		if doc, err = html.Parse(bytes.NewReader(flattenDeep(p.Body, maxNesting))); err != nil {
			p.Error = "HTML not parsed: " + err.Error()
			return nil
		}
	}
	base, _ := url.Parse(p.FinalURL)
	links := pageLinks(doc, base)
	d := &Document{Page: p, HTML: goquery.NewDocumentFromNode(doc)}
	for _, e := range c.o.Extractors {
		e.Extract(d)
	}
	return links
}

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

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key && a.Namespace == "" {
			return a.Val
		}
	}
	return ""
}
