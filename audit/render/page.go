package render

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/chromedp/cdproto/accessibility"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/agentready/agentready/audit/checks"
	"github.com/agentready/agentready/audit/crawl"
)

// settle is how long the page's network must be quiet after the load event
// before the page is read: the requests a script starts then (an API call
// that fills the page) are waited for.
const settle = 300 * time.Millisecond

// webmcpInit runs before the page's scripts. It counts the page's
// requests in flight, and makes WebMCP readable: Chromium exposes it as
// document.modelContext; the proposal names navigator.modelContext, so a
// page that looks there finds the same object. It records what
// registerTool refused.
const webmcpInit = `(() => {
  // The page's own fetch and XMLHttpRequest calls in flight: a page is
  // read once they are done (the browser's events on them may lag).
  let pending = 0;
  Object.defineProperty(window, '__agentreadyPending', {get() { return pending; }});
  const f = window.fetch;
  if (f) window.fetch = function (...args) {
    pending++;
    let p;
    try { p = f.apply(this, args); } catch (e) { pending--; throw e; }
    return p.finally(() => { pending--; });
  };
  const send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.send = function (...args) {
    pending++;
    this.addEventListener('loadend', () => { pending--; }, {once: true});
    try { return send.apply(this, args); } catch (e) { pending--; throw e; }
  };
  const mc = document.modelContext;
  if (!mc) return;
  if (!('modelContext' in navigator)) {
    try { Object.defineProperty(Navigator.prototype, 'modelContext', {get() { return document.modelContext; }, configurable: true}); } catch (e) {}
  }
  const errs = [];
  Object.defineProperty(window, '__agentreadyWebMCPErrors', {value: errs});
  const reg = mc.registerTool && mc.registerTool.bind(mc);
  if (reg) mc.registerTool = function (t) {
    const name = t && t.name;
    try {
      const p = reg(t);
      if (p && p.catch) p.catch(e => errs.push({name: String(name), error: String(e && e.message || e)}));
      return p;
    } catch (e) { errs.push({name: String(name), error: String(e && e.message || e)}); throw e; }
  };
})()`

// webmcpRead lists the tools the page registered (declarative tools are
// the ones a form's toolname declares).
const webmcpRead = `(async () => {
  const mc = document.modelContext;
  if (!mc || !mc.getTools) return {api: '', insecure: !window.isSecureContext};
  const forms = new Set([...document.querySelectorAll('form[toolname]')].map(f => f.getAttribute('toolname')));
  const tools = [];
  for (const t of await mc.getTools()) {
    let schema = t.inputSchema;
    if (typeof schema === 'string') { try { schema = JSON.parse(schema); } catch (e) {} }
    tools.push({name: String(t.name || ''), description: String(t.description || ''), inputSchema: schema === undefined ? null : schema, declarative: forms.has(t.name)});
  }
  return {api: 'document.modelContext', tools, errors: window.__agentreadyWebMCPErrors || []};
})()`

type webmcpResult struct {
	API      string        `json:"api"`
	Insecure bool          `json:"insecure"`
	Tools    []browserTool `json:"tools"`
	Errors   []struct {
		Name  string `json:"name"`
		Error string `json:"error"`
	} `json:"errors"`
}

// tab is a browser tab, reused from page to page: its requests are
// answered for the page it is loading (cur).
type tab struct {
	ctx    context.Context
	cancel func()
	frame  string // the main frame's ID
	cur    atomic.Pointer[load]
}

// load is one page's load in a tab: the requests in flight and what they
// met.
type load struct {
	ctx      context.Context // the page's: it ends the crawler's fetches for it
	answers  sync.WaitGroup  // the answers under way
	done     bool            // the page was read: no further answer starts
	fetch    crawl.BrowserFetch
	inflight atomic.Int32
	last     atomic.Int64 // when a request last ended, Unix nanoseconds
	mu       sync.Mutex
	blocked  []string
	nBlocked int
	server   []byte // the main document as the server sent it
	docErr   string
}

// start counts a request to answer; false once the page was read.
func (l *load) start() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.done {
		return false
	}
	l.inflight.Add(1)
	l.answers.Add(1)
	return true
}

// newTab opens a tab whose requests all go to answer and whose dialogs
// (alert, confirm, beforeunload) are dismissed.
func (b *Browser) newTab() (*tab, error) {
	tctx, cancel := chromedp.NewContext(b.ctx)
	t := &tab{ctx: tctx, cancel: cancel}
	paused := chromedp.Events(tctx, fetch.RequestPaused) // opens the tab
	dialogs := chromedp.Events(tctx, page.JavascriptDialogOpening)
	if c := chromedp.FromContext(tctx); c != nil && c.Target != nil {
		t.frame = string(c.Target.TargetID)
	}
	go func() {
		for ev, err := range paused {
			if err != nil {
				return
			}
			if l := t.cur.Load(); l == nil || !l.start() {
				go t.fail(ev.RequestID, network.ErrorReasonAborted)
			} else {
				go t.answer(l, ev)
			}
		}
	}()
	go func() {
		for _, err := range dialogs {
			if err != nil {
				return
			}
			go func() {
				_, _ = chromedp.Call(tctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
			}()
		}
	}()
	if _, err := chromedp.Call(tctx, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: "*"}}}); err != nil {
		cancel()
		return nil, err
	}
	if _, err := chromedp.Call(tctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: webmcpInit}); err != nil {
		cancel()
		return nil, err
	}
	return t, nil
}

// getTab returns an idle tab, or a new one.
func (b *Browser) getTab() (*tab, error) {
	select {
	case t := <-b.idle:
		return t, nil
	default:
		return b.newTab()
	}
}

// putTab keeps a tab that served a page well for the next one; a tab
// whose page timed out or failed is closed.
func (b *Browser) putTab(t *tab, ok bool) {
	// The page stays until the next navigation replaces it; meanwhile its
	// late requests are aborted (no load is current). Leaving it for
	// about:blank cost more than loading a page.
	t.cur.Store(nil)
	if ok {
		select {
		case b.idle <- t:
			return
		default:
		}
	}
	t.cancel()
}

// page renders one page and reads it.
func (b *Browser) page(ctx context.Context, pg *crawl.Page, fetchFn crawl.BrowserFetch) *checks.Rendered {
	u := pg.FinalURL
	if u == "" {
		u = pg.URL
	}
	out := &checks.Rendered{Browser: b.product}
	t, err := b.getTab()
	if err != nil {
		out.Error = "the browser refused a tab: " + err.Error()
		return out
	}
	ok := false
	defer func() { b.putTab(t, ok) }()
	// The crawler's fetches for the page end with it: none runs on after
	// the site's crawl is done.
	lctx, lcancel := context.WithCancel(ctx)
	l := &load{ctx: lctx, fetch: fetchFn}
	defer func() {
		t.cur.Store(nil)
		l.mu.Lock()
		l.done = true
		l.mu.Unlock()
		lcancel()
		l.answers.Wait()
	}()
	t.cur.Store(l)
	pctx, pcancel := context.WithTimeout(t.ctx, b.o.PageTimeout)
	defer pcancel()
	// The run's end (--max-duration, an interrupt) ends the page too.
	stop := context.AfterFunc(ctx, pcancel)
	defer stop()
	if err := chromedp.Do(pctx, chromedp.Navigate(u)); err != nil {
		l.mu.Lock()
		why := l.docErr
		l.mu.Unlock()
		if why == "" {
			why = err.Error()
		}
		out.Error = "the page did not load in the browser: " + why
		return out
	}
	// A page that never goes quiet (long polling, a stream) is read when
	// half its time is up.
	qctx, qcancel := context.WithTimeout(pctx, b.o.PageTimeout/2)
	l.quiet(qctx)
	qcancel()
	html, err := chromedp.Run(pctx, chromedp.Evaluate[string]("document.documentElement ? document.documentElement.outerHTML : ''"))
	if err != nil {
		out.Error = "reading the rendered DOM: " + err.Error()
		return out
	}
	// The main content as the browser shows it (innerText leaves out what
	// CSS hides, which the tree leaves out too).
	mainText, _ := chromedp.Run(pctx, chromedp.Evaluate[string]("(document.querySelector('main, [role=main]') || document.body || {innerText: ''}).innerText || ''"))
	var mcp webmcpResult
	if v, err := chromedp.Run(pctx, chromedp.Evaluate[webmcpResult](webmcpRead, chromedp.EvalAwaitPromise)); err == nil {
		mcp = v
	}
	ax, axErr := chromedp.Call(pctx, accessibility.GetFullAXTree, accessibility.GetFullAXTreeParams{})
	ok = pctx.Err() == nil
	l.mu.Lock()
	server := l.server
	out.Blocked, out.BlockedCount = l.blocked, l.nBlocked
	l.mu.Unlock()

	sr, rr := read(server, u), read([]byte(html), u)
	compare(out, sr, rr)
	if axErr == nil {
		out.AX = readAX(axNodes(ax.Nodes), strings.Split(mainText, "\n"))
	}
	out.WebMCP.API, out.WebMCP.Insecure = mcp.API, mcp.Insecure
	for _, tl := range mcp.Tools {
		out.WebMCP.Tools = append(out.WebMCP.Tools, readTool(tl))
	}
	for _, e := range mcp.Errors {
		out.WebMCP.Tools = append(out.WebMCP.Tools, checks.WebMCPTool{Name: shorten(e.Name, 128), Problems: []string{"registerTool refused it: " + shorten(e.Error, 200)}})
	}
	return out
}

// quiet waits until no request has been in flight for settle, and the
// page's own fetch and XMLHttpRequest calls are done.
func (l *load) quiet(ctx context.Context) {
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		if l.inflight.Load() == 0 && time.Since(time.Unix(0, l.last.Load())) >= settle {
			n, err := chromedp.Run(ctx, chromedp.Evaluate[int]("window.__agentreadyPending | 0"))
			if err != nil || n == 0 {
				return
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// fail fails a paused request.
func (t *tab) fail(id fetch.RequestID, reason network.ErrorReason) {
	_, _ = chromedp.Call(t.ctx, fetch.FailRequest, fetch.FailRequestParams{RequestID: id, ErrorReason: reason})
}

// answer answers one paused request of l from the crawler's fetch, or
// fails it.
func (t *tab) answer(l *load, ev fetch.EventRequestPaused) {
	defer func() {
		l.last.Store(time.Now().UnixNano())
		l.inflight.Add(-1)
		l.answers.Done()
	}()
	id := ev.RequestID
	switch ev.ResourceType {
	case network.ResourceTypeImage, network.ResourceTypeMedia, network.ResourceTypeFont:
		// Not read by any check: not fetched.
		t.fail(id, network.ErrorReasonBlockedByClient)
		return
	}
	rq := ev.Request
	doc := ev.ResourceType == network.ResourceTypeDocument && string(ev.FrameID) == t.frame
	resp, err := l.fetch(l.ctx, rq.Method, rq.URL, requestHeader(rq.Headers))
	if err != nil {
		l.mu.Lock()
		if errors.Is(err, crawl.ErrNotCrawled) {
			l.nBlocked++
			if len(l.blocked) < maxExamples {
				l.blocked = append(l.blocked, shorten(rq.URL, 200)+": "+strings.TrimPrefix(err.Error(), crawl.ErrNotCrawled.Error()+": "))
			}
		}
		if doc {
			l.docErr = err.Error()
		}
		l.mu.Unlock()
		t.fail(id, network.ErrorReasonBlockedByClient)
		return
	}
	if resp.Status == 0 {
		if doc {
			l.mu.Lock()
			l.docErr = resp.Error
			l.mu.Unlock()
		}
		t.fail(id, network.ErrorReasonFailed)
		return
	}
	if resp.FinalURL != "" && resp.FinalURL != resp.URL {
		// The crawler followed the redirect (each hop under its rules);
		// the browser is told where the answer is, and asks for it.
		_, _ = chromedp.Call(t.ctx, fetch.FulfillRequest, fetch.FulfillRequestParams{RequestID: id, ResponseCode: http.StatusFound,
			ResponseHeaders: []*fetch.HeaderEntry{{Name: "Location", Value: resp.FinalURL}}})
		return
	}
	if doc {
		l.mu.Lock()
		l.server = resp.Body
		l.mu.Unlock()
	}
	_, _ = chromedp.Call(t.ctx, fetch.FulfillRequest, fetch.FulfillRequestParams{RequestID: id, ResponseCode: int64(resp.Status),
		ResponseHeaders: responseHeaders(resp), Body: resp.Body})
}

func requestHeader(h network.Headers) http.Header {
	out := http.Header{}
	for k, v := range h {
		if s, ok := v.(string); ok {
			out.Set(k, s)
		}
	}
	return out
}

// responseHeaders are the response's headers as the browser must see
// them: the body is decompressed, and text was decoded to UTF-8.
func responseHeaders(r *crawl.Response) []*fetch.HeaderEntry {
	var out []*fetch.HeaderEntry
	for k, vs := range r.Header {
		switch http.CanonicalHeaderKey(k) {
		case "Content-Encoding", "Content-Length", "Transfer-Encoding", "Connection", "Set-Cookie", "Content-Type":
			continue
		}
		for _, v := range vs {
			out = append(out, &fetch.HeaderEntry{Name: k, Value: v})
		}
	}
	if ct := r.Header.Get("Content-Type"); ct != "" {
		if r.Charset() != "" {
			mt, params, err := mime.ParseMediaType(ct)
			if err == nil {
				params["charset"] = "utf-8"
				ct = mime.FormatMediaType(mt, params)
			}
		}
		out = append(out, &fetch.HeaderEntry{Name: "Content-Type", Value: ct})
	}
	return out
}

// axNodes reads the browser's accessibility nodes.
func axNodes(ns []*accessibility.Node) []axNode {
	out := make([]axNode, 0, len(ns))
	for _, n := range ns {
		out = append(out, axNode{Role: axString(n.Role), Name: axString(n.Name), Ignored: n.Ignored})
	}
	return out
}

func axString(v *accessibility.Value) string {
	if v == nil || len(v.Value) == 0 {
		return ""
	}
	var s string
	if err := json.Unmarshal(v.Value, &s); err != nil {
		return fmt.Sprint(string(v.Value))
	}
	return s
}
