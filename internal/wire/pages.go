package wire

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/agentready/agentready/generate/ir"
)

// pageCount is how many pages the server gives a paginated operation's
// iterator; the last one says there are no more (in the operation's own
// way), and a request after it is a failure.
const pageCount = 3

// maxPage bounds the items a page holds when the request asks for more
// (an iterator that stops at a short page stops early above it).
const maxPage = 1000

// pagesSuffix marks, in X-Wire-Op, the requests of an operation's iterator.
const pagesSuffix = "#pages"

// paging is how the server paginates one operation, from the IR's
// Pagination (what the generator detected), with JSON names for paths.
type paging struct {
	kind    string
	items   []string // path to the items array; empty: the body is the array
	next    []string // path to the cursor or the next URL
	hasMore []string
	idField string
	param   string // query parameter that selects the page
	limit   string // query parameter that sizes it
	// body is the synthesized answer (decoded JSON) each page is made from.
	body any
	// token makes the k-th cursor or item ID, one the parameter's schema
	// takes (AWS's nextToken has a base64 pattern).
	token func(prefix string, k int) string

	// state, under server.mu
	requests int
	first    int64 // page or offset of the first request
	// omitted is the page the server answers when the page parameter is
	// not sent: the parameter's default, else its minimum, else 1
	// (ir.Pagination.First).
	omitted int64
	sent    int64 // items sent so far
	failure string
}

func newPaging(p *ir.Pagination, body []byte) *paging {
	pg := &paging{kind: p.Kind, items: jsonPath(p.Items), next: jsonPath(p.Next), hasMore: jsonPath(p.HasMore), omitted: p.First}
	if p.ItemID != nil {
		pg.idField = p.ItemID.JSONName
	}
	if p.Param != nil {
		pg.param = p.Param.Wire
	}
	if p.Limit != nil {
		pg.limit = p.Limit.Wire
	}
	if json.Unmarshal(body, &pg.body) != nil {
		return nil
	}
	return pg
}

// tokens returns a token maker whose tokens accept takes: "wire-cursor-1",
// its base64, its letters and digits alone, or the digits alone, the
// first that fits.
func tokens(accept func(string) bool) func(string, int) string {
	return func(prefix string, k int) string {
		plain := prefix + strconv.Itoa(k)
		for _, t := range []string{plain, base64.StdEncoding.EncodeToString([]byte(plain)), strings.ReplaceAll(plain, "-", ""), strconv.Itoa(1000 + k)} {
			if accept(t) {
				return t
			}
		}
		return plain
	}
}

func jsonPath(fs []*ir.Field) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.JSONName
	}
	return out
}

// page checks the k-th request of the iterator (does it carry the cursor,
// URL, page or offset the previous page implies) and writes the k-th page.
func (pg *paging) page(w http.ResponseWriter, r *http.Request, origin string, status int, mediaType string) {
	k := pg.requests
	pg.requests++
	q := r.URL.Query()
	fail := func(format string, args ...any) {
		if pg.failure == "" {
			pg.failure = fmt.Sprintf("page %d: ", k+1) + fmt.Sprintf(format, args...)
		}
	}
	if k >= pageCount {
		fail("the iterator asked for a page after the last one")
		http.Error(w, "no more pages", http.StatusGone)
		return
	}
	switch pg.kind {
	case "cursor":
		if want := pg.cursor(k); k > 0 && q.Get(pg.param) != want {
			fail("%s=%q, want the previous page's cursor %q", pg.param, q.Get(pg.param), want)
		}
	case "last-id":
		if want := pg.itemID(k-1, -1); k > 0 && q.Get(pg.param) != want {
			fail("%s=%q, want the previous page's last item ID %q", pg.param, q.Get(pg.param), want)
		}
	case "link", "next-url":
		if got := q.Get("wire_page"); k > 0 && got != strconv.Itoa(k) {
			fail("%s: not the URL the previous page gave (wire_page=%s)", r.URL.RequestURI(), strconv.Itoa(k))
		}
	case "page", "offset":
		n, err := strconv.ParseInt(q.Get(pg.param), 10, 64)
		if q.Get(pg.param) == "" {
			n, err = 0, nil
			if pg.kind == "page" {
				n = pg.omitted
			}
		}
		if err != nil {
			fail("%s=%q is not a number", pg.param, q.Get(pg.param))
		}
		if k == 0 {
			pg.first = n
		} else if want := pg.first + int64(k); pg.kind == "page" && n != want {
			fail("%s=%d, want %d", pg.param, n, want)
		} else if want := pg.first + pg.sent; pg.kind == "offset" && n != want {
			fail("%s=%d, want %d (the items so far)", pg.param, n, want)
		}
	}
	last := k == pageCount-1
	n := 2
	if v, err := strconv.Atoi(q.Get(pg.limit)); err == nil && pg.limit != "" && v > 0 {
		n = min(v, maxPage)
	}
	if last && (pg.kind == "page" || pg.kind == "offset") && len(pg.hasMore) == 0 {
		n = 0 // a short page is how these end
	}
	body := clone(pg.body)
	var proto any
	if arr, ok := at(body, pg.items).([]any); ok && len(arr) > 0 {
		proto = arr[0]
	}
	if proto == nil {
		proto = map[string]any{}
	}
	items := make([]any, n)
	for i := range items {
		it := clone(proto)
		if m, ok := it.(map[string]any); ok && pg.idField != "" {
			m[pg.idField] = pg.itemID(k, i)
			if i == n-1 {
				m[pg.idField] = pg.itemID(k, -1)
			}
		}
		items[i] = it
	}
	pg.sent += int64(n)
	body = setAt(body, pg.items, items)
	if len(pg.hasMore) > 0 {
		body = setAt(body, pg.hasMore, !last)
	}
	nextURL := ""
	if !last {
		u := *r.URL
		q := u.Query()
		q.Set("wire_page", strconv.Itoa(k+1))
		u.RawQuery = q.Encode()
		nextURL = strings.TrimRight(origin, "/") + u.RequestURI()
	}
	switch pg.kind {
	case "cursor":
		if last {
			body = setAt(body, pg.next, nil)
		} else {
			body = setAt(body, pg.next, pg.cursor(k+1))
		}
	case "next-url":
		if last {
			body = setAt(body, pg.next, nil)
		} else {
			body = setAt(body, pg.next, nextURL)
		}
	case "link":
		if !last {
			w.Header().Set("Link", "<"+nextURL+`>; rel="next"`)
		}
	}
	b, _ := json.Marshal(body)
	if mediaType != "" {
		w.Header().Set("Content-Type", mediaType)
	}
	w.WriteHeader(status)
	w.Write(b)
}

func (pg *paging) cursor(k int) string { return pg.makeToken("wire-cursor-", k) }

func (pg *paging) makeToken(prefix string, k int) string {
	if pg.token == nil {
		return prefix + strconv.Itoa(k)
	}
	return pg.token(prefix, k)
}

// itemID is the ID of page k's i-th item; i < 0 is the page's last item
// (the one the next request names).
func (pg *paging) itemID(k, i int) string {
	if i < 0 {
		return pg.makeToken("wire-id-last-", k)
	}
	return fmt.Sprintf("wire-id-%d-%d", k, i)
}

func clone(v any) any {
	b, _ := json.Marshal(v)
	var out any
	json.Unmarshal(b, &out)
	return out
}

func at(v any, path []string) any {
	for _, k := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

// setAt sets the value at path under v (making the objects on the way),
// deleting it when x is nil, and returns v.
func setAt(v any, path []string, x any) any {
	if len(path) == 0 {
		return x
	}
	m, ok := v.(map[string]any)
	if !ok {
		m = map[string]any{}
	}
	if len(path) == 1 {
		if x == nil {
			delete(m, path[0])
		} else {
			m[path[0]] = x
		}
		return m
	}
	m[path[0]] = setAt(m[path[0]], path[1:], x)
	return m
}
