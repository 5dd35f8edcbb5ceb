// This file holds sitemaps: fetching and reading them within their bounds,
// following indexes, and discovering the URLs they list.

package crawl

import (
	"bytes"
	"context"
	"fmt"
	"slices"

	"github.com/agentready/agentready/audit/sitemap"
	"github.com/agentready/agentready/audit/urlnorm"
)

// Bounds on what one hostile site's sitemaps can make the crawler hold.
const (
	// maxSitemapFiles bounds the sitemap files fetched per origin (an
	// index can list 50,000 of them).
	maxSitemapFiles = 10
	// maxSitemapURLBytes bounds the bytes of sitemap URLs kept per origin
	// (Sitemap.URLs): about 200,000 URLs of a typical length.
	maxSitemapURLBytes = 16 << 20
)

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
