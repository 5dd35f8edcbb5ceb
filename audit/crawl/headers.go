// This file holds the sharing of response headers between the responses
// of a crawl (headerTable), which keeps a large crawl's memory down.

package crawl

import (
	"cmp"
	"hash/maphash"
	"net/http"
	"slices"
	"sync"
)

// headerTable shares response headers between the responses of a crawl.
//
// Every Page keeps its response's http.Header, and a header map costs about
// 500 bytes however few fields it has (a map group of eight slots, the
// values' backing array, the value strings): a third of what a page retains
// in a large crawl. Most of a site's responses carry the same fields with
// the same values (Content-Type, Server, Cache-Control, Vary, security
// headers; Date changes once a second), so:
//
//   - values of fields that rarely vary between responses are interned, so
//     that long ones (Content-Security-Policy, Strict-Transport-Security...)
//     are held once;
//   - a header equal, field for field, to one seen recently is replaced by
//     that one, so identical headers share one map.
//
// Headers are therefore shared between responses and must be treated as
// read-only (nothing in audit or its checks writes to them). Both tables
// are bounded: they are emptied when full, which only costs sharing.
type headerTable struct {
	mu     sync.Mutex
	seed   maphash.Seed
	maps   map[uint64]http.Header
	values map[string]string
}

const (
	maxSharedHeaders = 1024
	maxSharedValues  = 4096
	// maxSharedValueLen bounds the values interned, so that a hostile
	// server cannot make the table hold much.
	maxSharedValueLen = 4096
)

// internedFields are the fields whose values are interned: those that
// typically take few distinct values across one site. Fields that differ
// per response (Content-Length, ETag, Last-Modified, request ids) are not,
// as interning them would only fill the table.
var internedFields = map[string]bool{
	"Accept-Ranges": true, "Access-Control-Allow-Origin": true, "Alt-Svc": true,
	"Cache-Control": true, "Connection": true, "Content-Encoding": true, "Content-Language": true,
	"Content-Security-Policy": true, "Content-Type": true, "Cross-Origin-Embedder-Policy": true,
	"Cross-Origin-Opener-Policy": true, "Cross-Origin-Resource-Policy": true, "Date": true,
	"Expires": true, "Keep-Alive": true, "Nel": true, "Permissions-Policy": true, "Pragma": true,
	"Referrer-Policy": true, "Report-To": true, "Server": true, "Strict-Transport-Security": true,
	"Vary": true, "Via": true, "X-Content-Type-Options": true, "X-Frame-Options": true,
	"X-Powered-By": true, "X-Robots-Tag": true, "X-Xss-Protection": true,
}

// maxKeptHeaderBytes bounds the header a response keeps (field names and
// values, each counted with its 16-byte string header). net/http reads up
// to 256 KiB of it, which every page of a hostile site could fill; real
// responses stay far below (nginx refuses an upstream's header over 4 or
// 8 KiB by default).
const maxKeptHeaderBytes = 16 << 10

// trimHeader returns h when it fits maxKeptHeaderBytes, else the fields
// that fit, smallest first (the short fields checks read, not the padding),
// and true.
func trimHeader(h http.Header) (http.Header, bool) {
	type field struct {
		name string
		size int
	}
	// Each field and each value costs a string header (16 bytes) besides
	// its bytes, so that 30,000 empty values are not counted as nothing.
	size := func(k string, vs []string) int {
		n := 16 + len(k)
		for _, v := range vs {
			n += 16 + len(v)
		}
		return n
	}
	total := 0
	for k, vs := range h {
		total += size(k, vs)
	}
	if total <= maxKeptHeaderBytes {
		return h, false
	}
	fields := make([]field, 0, len(h))
	for k, vs := range h {
		fields = append(fields, field{k, size(k, vs)})
	}
	slices.SortFunc(fields, func(a, b field) int {
		return cmp.Or(cmp.Compare(a.size, b.size), cmp.Compare(a.name, b.name))
	})
	out := make(http.Header)
	left := maxKeptHeaderBytes
	for _, f := range fields {
		if f.size > left {
			break
		}
		out[f.name] = h[f.name]
		left -= f.size
	}
	return out, true
}

// share returns h, with common values interned, or an equal header seen
// before. h must not be used by anyone else afterwards. A header over
// maxKeptHeaderBytes is cut to it first (trimHeader).
func (t *headerTable) share(h http.Header) http.Header {
	h, _ = trimHeader(h)
	if len(h) == 0 || len(h) > 64 {
		return h
	}
	var mh maphash.Hash
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.maps == nil {
		t.seed = maphash.MakeSeed()
		t.maps = make(map[uint64]http.Header)
		t.values = make(map[string]string)
	}
	mh.SetSeed(t.seed)
	// The hash is order-independent over fields (a sum of per-field
	// hashes), so no sorting is needed.
	var sum uint64
	for k, vs := range h {
		mh.Reset()
		mh.WriteString(k)
		intern := internedFields[k]
		for i, v := range vs {
			if intern && len(v) <= maxSharedValueLen {
				if s, ok := t.values[v]; ok {
					vs[i] = s
				} else {
					if len(t.values) >= maxSharedValues {
						clear(t.values)
					}
					t.values[v] = v
				}
			}
			mh.WriteByte(0)
			mh.WriteString(v)
		}
		sum += mh.Sum64()
	}
	if s, ok := t.maps[sum]; ok && equalHeader(s, h) {
		return s
	}
	if len(t.maps) >= maxSharedHeaders {
		clear(t.maps)
	}
	t.maps[sum] = h
	return h
}

func equalHeader(a, b http.Header) bool {
	if len(a) != len(b) {
		return false
	}
	for k, av := range a {
		bv, ok := b[k]
		if !ok || !slices.Equal(av, bv) {
			return false
		}
	}
	return true
}
