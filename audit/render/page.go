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
const settle = 400 * time.Millisecond

// webmcpInit runs before the page's scripts. Chromium exposes WebMCP as
// document.modelContext; the proposal names navigator.modelContext, so a
// page that looks there finds the same object. It records what
// registerTool refused.
const webmcpInit = `(() => {
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
  if (!mc || !mc.getTools) return {api: ''};
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
	API    string        `json:"api"`
	Tools  []browserTool `json:"tools"`
	Errors []struct {
		Name  string `json:"name"`
		Error string `json:"error"`
	} `json:"errors"`
}

// tab is one page's load: the requests in flight and what they met.
type tab struct {
	b        *Browser
	fetch    crawl.BrowserFetch
	frame    string // the main frame's ID
	inflight atomic.Int32
	last     atomic.Int64 // when a request last ended, Unix nanoseconds
	mu       sync.Mutex
	blocked  []string
	nBlocked int
	server   []byte // the main document as the server sent it
	docErr   string
}

// page renders one page and reads it.
func (b *Browser) page(ctx context.Context, pg *crawl.Page, fetchFn crawl.BrowserFetch) *checks.Rendered {
	u := pg.FinalURL
	if u == "" {
		u = pg.URL
	}
	out := &checks.Rendered{Browser: b.product}
	tctx, cancel := chromedp.NewContext(b.ctx)
	defer cancel()
	// The run's end (--max-duration, an interrupt) closes the tab too.
	stop := context.AfterFunc(ctx, cancel)
	defer stop()
	t := &tab{b: b, fetch: fetchFn}
	paused := chromedp.Events(tctx, fetch.RequestPaused) // opens the tab
	if c := chromedp.FromContext(tctx); c != nil && c.Target != nil {
		t.frame = string(c.Target.TargetID)
	}
	var handlers sync.WaitGroup
	go func() {
		for ev, err := range paused {
			if err != nil {
				return
			}
			t.inflight.Add(1)
			handlers.Go(func() { t.answer(tctx, ev) })
		}
	}()
	err := chromedp.Do(tctx,
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			if _, err := chromedp.Call(ctx, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: "*"}}}); err != nil {
				return err
			}
			_, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: webmcpInit})
			return err
		}),
	)
	if err != nil {
		out.Error = "the browser refused the tab: " + err.Error()
		return out
	}
	pctx, pcancel := context.WithTimeout(tctx, b.o.PageTimeout)
	defer pcancel()
	if err := chromedp.Do(pctx, chromedp.Navigate(u)); err != nil {
		t.mu.Lock()
		why := t.docErr
		t.mu.Unlock()
		if why == "" {
			why = err.Error()
		}
		out.Error = "the page did not load in the browser: " + why
		return out
	}
	t.quiet(pctx)
	html, err := chromedp.Run(pctx, chromedp.Evaluate[string]("document.documentElement ? document.documentElement.outerHTML : ''"))
	if err != nil {
		out.Error = "reading the rendered DOM: " + err.Error()
		return out
	}
	var mcp webmcpResult
	if v, err := chromedp.Run(pctx, chromedp.Evaluate[webmcpResult](webmcpRead, chromedp.EvalAwaitPromise)); err == nil {
		mcp = v
	}
	ax, axErr := chromedp.Call(pctx, accessibility.GetFullAXTree, accessibility.GetFullAXTreeParams{})
	t.mu.Lock()
	server := t.server
	out.Blocked, out.BlockedCount = t.blocked, t.nBlocked
	t.mu.Unlock()

	sr, rr := read(server, u), read([]byte(html), u)
	compare(out, sr, rr)
	if axErr == nil {
		out.AX = readAX(axNodes(ax.Nodes), rr.main)
	}
	out.WebMCP.API = mcp.API
	for _, tl := range mcp.Tools {
		out.WebMCP.Tools = append(out.WebMCP.Tools, readTool(tl))
	}
	for _, e := range mcp.Errors {
		out.WebMCP.Tools = append(out.WebMCP.Tools, checks.WebMCPTool{Name: shorten(e.Name, 128), Problems: []string{"registerTool refused it: " + shorten(e.Error, 200)}})
	}
	return out
}

// quiet waits until no request has been in flight for settle.
func (t *tab) quiet(ctx context.Context) {
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		if t.inflight.Load() == 0 && time.Since(time.Unix(0, t.last.Load())) >= settle {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// answer answers one paused request from the crawler's fetch, or fails it.
func (t *tab) answer(ctx context.Context, ev fetch.EventRequestPaused) {
	defer func() {
		t.last.Store(time.Now().UnixNano())
		t.inflight.Add(-1)
	}()
	id := ev.RequestID
	fail := func(reason network.ErrorReason) {
		_, _ = chromedp.Call(ctx, fetch.FailRequest, fetch.FailRequestParams{RequestID: id, ErrorReason: reason})
	}
	switch ev.ResourceType {
	case network.ResourceTypeImage, network.ResourceTypeMedia, network.ResourceTypeFont:
		// Not read by any check: not fetched.
		fail(network.ErrorReasonBlockedByClient)
		return
	}
	rq := ev.Request
	doc := ev.ResourceType == network.ResourceTypeDocument && string(ev.FrameID) == t.frame
	resp, err := t.fetch(ctx, rq.Method, rq.URL, requestHeader(rq.Headers))
	if err != nil {
		t.mu.Lock()
		if errors.Is(err, crawl.ErrNotCrawled) {
			t.nBlocked++
			if len(t.blocked) < maxExamples {
				t.blocked = append(t.blocked, shorten(rq.URL, 200)+": "+strings.TrimPrefix(err.Error(), crawl.ErrNotCrawled.Error()+": "))
			}
		}
		if doc {
			t.docErr = err.Error()
		}
		t.mu.Unlock()
		fail(network.ErrorReasonBlockedByClient)
		return
	}
	if resp.Status == 0 {
		if doc {
			t.mu.Lock()
			t.docErr = resp.Error
			t.mu.Unlock()
		}
		fail(network.ErrorReasonFailed)
		return
	}
	if resp.FinalURL != "" && resp.FinalURL != resp.URL {
		// The crawler followed the redirect (each hop under its rules);
		// the browser is told where the answer is, and asks for it.
		_, _ = chromedp.Call(ctx, fetch.FulfillRequest, fetch.FulfillRequestParams{RequestID: id, ResponseCode: http.StatusFound,
			ResponseHeaders: []*fetch.HeaderEntry{{Name: "Location", Value: resp.FinalURL}}})
		return
	}
	if doc {
		t.mu.Lock()
		t.server = resp.Body
		t.mu.Unlock()
	}
	_, _ = chromedp.Call(ctx, fetch.FulfillRequest, fetch.FulfillRequestParams{RequestID: id, ResponseCode: int64(resp.Status),
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
