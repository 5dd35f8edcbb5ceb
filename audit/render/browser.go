// Package render is --render: it loads a crawled site's pages in headless
// Chromium (through chromedp) and stores on each page what a browsing agent
// reads there beside what the server's HTML gives (checks.Rendered): the
// text only JavaScript provides, structured data and links only after
// rendering, the accessibility tree, and the WebMCP tools the page
// registers.
//
// The browser reaches nothing by itself. Every request it makes is paused
// (the DevTools Fetch domain) and answered with Fetch.fulfillRequest from
// the crawler's own fetch (crawl.BrowserFetch): the crawl's scope,
// robots.txt and SSRF rules, its rate limit and body cap hold for the
// browser as for the crawler, and a folder target's in-process server
// answers the browser too (its http://NAME.localhost is no address the
// browser could reach). What the Fetch domain does not pause (WebSockets,
// a request of a service worker) goes to a local proxy that refuses every
// connection, and the browser's resolver answers no name.
package render

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"github.com/agentready/agentready/audit/checks"
	"github.com/agentready/agentready/audit/crawl"
)

// Defaults of Options.
const (
	DefaultConcurrency = 2
	DefaultMaxPages    = 25
	DefaultPageTimeout = 20 * time.Second
	DefaultMaxMemMiB   = 2048
)

// Options configure the browser.
type Options struct {
	// Chrome is the browser's executable; empty looks for chromium,
	// chromium-browser, google-chrome and google-chrome-stable in PATH.
	Chrome string
	// Concurrency is the number of tabs open at once, over all sites.
	Concurrency int
	// MaxPages bounds the pages rendered per site (the start page first,
	// then by URL).
	MaxPages int
	// PageTimeout bounds the load and reading of one page.
	PageTimeout time.Duration
	// MaxMemMiB bounds the memory of the browser's processes (the sum of
	// their proportional set sizes):
	// past it no further page is rendered (the pages not rendered say so).
	MaxMemMiB int
}

// ErrNoBrowser is the error of Start when no browser is found.
var ErrNoBrowser = errors.New("no Chromium or Google Chrome found in PATH (chromium, chromium-browser, google-chrome, google-chrome-stable)")

// FindChrome returns the browser to run: path when set (it must exist),
// else the first of chromium, chromium-browser, google-chrome and
// google-chrome-stable found in PATH.
func FindChrome(path string) (string, error) {
	if path != "" {
		p, err := exec.LookPath(path)
		if err != nil {
			return "", fmt.Errorf("%s: %w", path, err)
		}
		return p, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", ErrNoBrowser
}

// Browser is one headless browser shared by the sites of an audit.
type Browser struct {
	o       Options
	ctx     context.Context // the browser's chromedp context
	cancel  func()
	product string
	tabs    chan struct{} // the pool's slots
	idle    chan *tab     // open tabs between pages
	sink    net.Listener
	// escaped counts the connections that reached the refusing proxy:
	// requests the Fetch domain did not pause.
	escaped atomic.Int64
	pid     int
	mem     memWatch
}

// Start starts the browser. ctx bounds its life; Close stops it.
func Start(ctx context.Context, o Options) (*Browser, error) {
	exe, err := FindChrome(o.Chrome)
	if err != nil {
		return nil, err
	}
	if o.Concurrency <= 0 {
		o.Concurrency = DefaultConcurrency
	}
	if o.MaxPages <= 0 {
		o.MaxPages = DefaultMaxPages
	}
	if o.PageTimeout <= 0 {
		o.PageTimeout = DefaultPageTimeout
	}
	if o.MaxMemMiB <= 0 {
		o.MaxMemMiB = DefaultMaxMemMiB
	}
	b := &Browser{o: o, tabs: make(chan struct{}, o.Concurrency), idle: make(chan *tab, o.Concurrency)}
	if b.sink, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
		return nil, fmt.Errorf("render: %w", err)
	}
	go b.refuse()
	opts := append(slices.Clone(chromedp.DefaultExecAllocatorOptions[:]),
		chromedp.ExecPath(exe),
		chromedp.DisableGPU,
		// Nothing leaves the browser but through the Fetch domain: no
		// name resolves, and what is not paused goes to a proxy that
		// refuses it (loopback too: <-loopback).
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND"),
		chromedp.ProxyServer("http://"+b.sink.Addr().String()),
		chromedp.Flag("proxy-bypass-list", "<-loopback>"),
		chromedp.Flag("mute-audio", true),
		chromedp.Flag("hide-scrollbars", true),
		// WebMCP (document.modelContext) is behind the experimental web
		// platform features in Chromium.
		chromedp.Flag("enable-experimental-web-platform-features", true),
		chromedp.Flag("js-flags", fmt.Sprintf("--max-old-space-size=%d", max(128, o.MaxMemMiB/(2*o.Concurrency)))),
		chromedp.WindowSize(1280, 900),
	)
	if os.Geteuid() == 0 {
		// Chromium refuses to run as root with its sandbox (containers,
		// CI).
		opts = append(opts, chromedp.NoSandbox)
	}
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	bctx, bcancel := chromedp.NewContext(actx)
	b.ctx = bctx
	b.cancel = func() { bcancel(); acancel() }
	v, err := chromedp.CallBrowser(bctx, browser.GetVersion, struct{}{})
	if err != nil {
		b.Close()
		return nil, fmt.Errorf("render: starting %s: %w", exe, err)
	}
	b.product = v.Product
	if c := chromedp.FromContext(bctx); c != nil && c.Browser != nil && c.Browser.Process() != nil {
		b.pid = c.Browser.Process().Pid
	}
	b.mem.start(b.pid)
	return b, nil
}

// refuse accepts and closes every connection to the sink proxy.
func (b *Browser) refuse() {
	for {
		c, err := b.sink.Accept()
		if err != nil {
			return
		}
		b.escaped.Add(1)
		c.Close()
	}
}

// Product is the browser's product string ("Chrome/156.0.8078.129").
func (b *Browser) Product() string { return b.product }

// Escaped counts the connections the browser tried outside the Fetch
// domain (all refused).
func (b *Browser) Escaped() int64 { return b.escaped.Load() }

// PeakMemMiB is the most resident memory the browser's processes held,
// as sampled (0 where /proc is not readable).
func (b *Browser) PeakMemMiB() int { return int(b.mem.peak.Load() >> 20) }

// Close stops the browser.
func (b *Browser) Close() {
	b.mem.stop()
	if b.cancel != nil {
		b.cancel()
	}
	if b.sink != nil {
		b.sink.Close()
	}
}

// Render is the crawl.Renderer: it renders the site's HTML pages (the
// start page first, then by URL, at most MaxPages) in the tab pool and
// stores each one's checks.Rendered.
func (b *Browser) Render(ctx context.Context, s *crawl.Site, fetch crawl.BrowserFetch) {
	pages := b.pick(s)
	var wg sync.WaitGroup
	for _, pg := range pages {
		select {
		case b.tabs <- struct{}{}:
		case <-ctx.Done():
			pg.SetFact(checks.RenderedKey, &checks.Rendered{Error: "not rendered: the run ended first", Browser: b.product})
			continue
		}
		if over := b.mem.over(b.o.MaxMemMiB); over != "" {
			<-b.tabs
			pg.SetFact(checks.RenderedKey, &checks.Rendered{Error: "not rendered: " + over, Browser: b.product})
			continue
		}
		wg.Go(func() {
			defer func() { <-b.tabs }()
			pg.SetFact(checks.RenderedKey, b.page(ctx, pg, fetch))
		})
	}
	wg.Wait()
}

// pick returns the pages to render: fetched HTML pages, the start pages
// first, then by URL.
func (b *Browser) pick(s *crawl.Site) []*crawl.Page {
	var out []*crawl.Page
	for _, pg := range s.Pages {
		if pg.Skipped() != "" || !pg.OK() || pg.ContentType != "text/html" && pg.ContentType != "application/xhtml+xml" {
			continue
		}
		out = append(out, pg)
	}
	slices.SortStableFunc(out, func(a, b *crawl.Page) int {
		as, bs := a.Source == "start" || a.Source == "list", b.Source == "start" || b.Source == "list"
		if as != bs {
			if as {
				return -1
			}
			return 1
		}
		return strings.Compare(a.URL, b.URL)
	})
	return out[:min(len(out), b.o.MaxPages)]
}
