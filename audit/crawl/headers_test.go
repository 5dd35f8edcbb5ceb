package crawl

import (
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unsafe"
)

func TestHeaderTableShares(t *testing.T) {
	var tab headerTable
	mk := func(date, length string) http.Header {
		return http.Header{
			"Content-Type":   {string([]byte("text/html; charset=utf-8"))},
			"Date":           {string([]byte(date))},
			"Content-Length": {string([]byte(length))},
		}
	}
	a := tab.share(mk("Thu, 26 Nov 2026 20:09:01 GMT", "10"))
	b := tab.share(mk("Thu, 26 Nov 2026 20:09:01 GMT", "10"))
	if reflect.ValueOf(a).UnsafePointer() != reflect.ValueOf(b).UnsafePointer() {
		t.Error("equal headers not shared")
	}
	c := tab.share(mk("Thu, 26 Nov 2026 20:09:01 GMT", "11"))
	if reflect.ValueOf(a).UnsafePointer() == reflect.ValueOf(c).UnsafePointer() {
		t.Fatal("different headers shared")
	}
	if c.Get("Content-Length") != "11" || a.Get("Content-Length") != "10" {
		t.Errorf("values changed: %v %v", a, c)
	}
	// Common values are interned; per-response ones are not.
	if unsafe.StringData(a.Get("Content-Type")) != unsafe.StringData(c.Get("Content-Type")) {
		t.Error("Content-Type not interned")
	}
	if unsafe.StringData(a.Get("Date")) != unsafe.StringData(c.Get("Date")) {
		t.Error("Date not interned")
	}
	// Same fields in another order of values are different headers.
	d := tab.share(http.Header{"Vary": {"A", "B"}})
	e := tab.share(http.Header{"Vary": {"B", "A"}})
	if reflect.ValueOf(d).UnsafePointer() == reflect.ValueOf(e).UnsafePointer() {
		t.Error("headers with values in another order shared")
	}
	if tab.share(nil) != nil {
		t.Error("nil header not kept nil")
	}
}

func TestHeaderTableBounded(t *testing.T) {
	var tab headerTable
	for i := range 3 * maxSharedValues {
		tab.share(http.Header{"Server": {string(rune('a'+i%26)) + string(make([]byte, i%50)) + string(rune(i))}})
	}
	if len(tab.maps) > maxSharedHeaders || len(tab.values) > maxSharedValues {
		t.Errorf("tables not bounded: %d maps, %d values", len(tab.maps), len(tab.values))
	}
}

// A hostile header (net/http reads up to 256 KiB) is cut to the budget,
// keeping the short fields the checks read.
func TestShareTrimsHugeHeader(t *testing.T) {
	var tab headerTable
	h := http.Header{"Content-Type": {"text/html"}, "X-Robots-Tag": {"noindex"}, "Link": {"</llms.txt>; rel=describedby"}}
	for i := range 200 {
		h.Add("X-Pad", strings.Repeat("x", 1000)+string(rune('a'+i%26)))
	}
	h["X-Big"] = []string{strings.Repeat("y", 100<<10)}
	got := tab.share(h)
	size := 0
	for k, vs := range got {
		size += 16 + len(k)
		for _, v := range vs {
			size += 16 + len(v)
		}
	}
	if size > maxKeptHeaderBytes {
		t.Errorf("kept %d bytes of header, budget %d", size, maxKeptHeaderBytes)
	}
	for _, k := range []string{"Content-Type", "X-Robots-Tag", "Link"} {
		if got.Get(k) != h.Get(k) {
			t.Errorf("%s lost: %q", k, got.Get(k))
		}
	}
	if got.Get("X-Big") != "" || got.Get("X-Pad") != "" {
		t.Error("the padding was kept")
	}
	small := http.Header{"Content-Type": {"text/html"}}
	if kept, cut := trimHeader(small); cut || len(kept) != 1 {
		t.Errorf("a small header was cut: %v", kept)
	}
}

// Many empty values are counted by what they hold in memory, not by their
// (zero) bytes; and a redirect that ends in an error keeps a trimmed
// header too.
func TestTrimHeaderCountsValues(t *testing.T) {
	h := http.Header{"Content-Type": {"text/html"}}
	h["X-E"] = make([]string, 30_000)
	kept, cut := trimHeader(h)
	if !cut || kept.Get("Content-Type") != "text/html" || len(kept["X-E"]) != 0 {
		t.Errorf("30,000 empty values kept: cut %v, %d values", cut, len(kept["X-E"]))
	}
}

func TestRedirectErrorHeaderTrimmed(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for i := range 200 {
			w.Header().Add("X-Pad", strings.Repeat("x", 1000)+strconv.Itoa(i))
		}
		http.Redirect(w, r, "/loop", http.StatusMovedPermanently)
	}))
	defer srv.Close()
	o := fastOptions().withDefaults()
	f := newFetcher(&o, &dialGuard{allowPrivate: true})
	defer f.close()
	r, _, _ := f.do(t.Context(), request{url: srv.URL + "/loop"})
	if !strings.Contains(r.Error, "redirect loop") {
		t.Fatalf("error %q", r.Error)
	}
	if len(r.Header["X-Pad"]) != 0 {
		t.Errorf("the redirect's %d padding values were kept", len(r.Header["X-Pad"]))
	}
}
