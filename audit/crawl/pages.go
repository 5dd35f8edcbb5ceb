// This file holds the fetch of one page: robots.txt verdict, the fetch,
// parsing within the process-wide bound, the Extractors, and queueing the
// links found.

package crawl

import (
	"bytes"
	"context"
	"net/url"
	"runtime"
	"slices"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
	"golang.org/x/time/rate"

	"github.com/agentready/agentready/audit/urlnorm"
)

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
			if k := urlnorm.Key(p.FinalURL); c.seen[k] == "" {
				c.seen[k] = p.FinalURL
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
				if i, ok := c.seen[urlnorm.Key(s)]; ok {
					s = i
				}
			}
		} else if i, dup := c.seen[urlnorm.Key(l.s)]; dup {
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

// parsing bounds the pages parsed and handed to the extractors at once,
// across the crawls of a process, to one less than the CPUs Go uses (at
// least one). Parsing is most of the crawl's CPU; without the bound, the
// pages that arrive together are parsed together, and the responses of
// the requests in flight wait for a CPU while they hold their slots. With
// one CPU kept for the network, those are read as they come: on the crawl
// benchmark's 2-CPU machine, 1,000 pages with every check on go from about
// 655 to about 670 pages/s. A page waiting for its turn holds no slot.
var parsing = make(chan struct{}, max(1, runtime.GOMAXPROCS(0)-1))

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

// Document is what an Extractor sees of one HTML page.
type Document struct {
	// Page is the page; Page.Body is set.
	Page *Page
	// HTML is the parsed document, nil for non-HTML responses.
	HTML *goquery.Document
}

// Extractor turns one fetched page into facts, once, while the body and
// parsed document are alive. It runs on the crawler's goroutines, so it must
// be safe for concurrent use; it must not keep references to the body or
// document. It runs within the crawler's bound on pages parsed at once, so
// it must not start a crawl itself. It stores what it found with Page.SetFact.
type Extractor interface {
	// Name is the key of the extractor's facts (Page.Fact).
	Name() string
	Extract(d *Document)
}

// ExtractorFunc adapts a function to Extractor.
type ExtractorFunc struct {
	N string
	F func(d *Document)
}

// Name implements Extractor.
func (e ExtractorFunc) Name() string { return e.N }

// Extract implements Extractor.
func (e ExtractorFunc) Extract(d *Document) { e.F(d) }
