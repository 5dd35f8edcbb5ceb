// This file holds the HTTP exchange itself: the client and transport, one
// request with its redirect chain, and reading a body within the cap
// (decompression, charset decoding).

package crawl

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/andybalholm/brotli"
	"golang.org/x/net/html/charset"

	"github.com/agentready/agentready/audit/urlnorm"
)

// maxURLBytes bounds the URLs the crawl follows and keeps (links, sitemap
// entries, redirect locations). RFC 9110 section 4.1 asks for at least
// 8,000 octets; longer ones are hostile or broken, and each would be kept.
const maxURLBytes = 8000

const acceptHTML = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

// fetcher does one site's HTTP exchanges: the only network I/O of an audit.
type fetcher struct {
	client    *http.Client
	userAgent string
	maxBody   int64
	maxRedir  int
	timeout   time.Duration
	// firstByte and connect are the transport's timeouts, named in errors.
	firstByte, connect time.Duration
	// headers shares identical response headers between responses.
	headers headerTable
}

func newFetcher(o *Options, guard *dialGuard) *fetcher {
	dialer := &net.Dialer{Timeout: o.ConnectTimeout, KeepAlive: 30 * time.Second, Control: guard.control}
	tr := &http.Transport{
		Proxy:                  nil, // a proxy would hide the address the guard must see
		DialContext:            dialer.DialContext,
		TLSHandshakeTimeout:    o.ConnectTimeout,
		ResponseHeaderTimeout:  o.FirstByteTimeout,
		MaxIdleConns:           o.Concurrency * 2,
		MaxIdleConnsPerHost:    o.Concurrency,
		MaxConnsPerHost:        o.Concurrency + 2,
		IdleConnTimeout:        30 * time.Second,
		DisableCompression:     true, // we decode, with a cap
		ForceAttemptHTTP2:      true,
		TLSClientConfig:        &tls.Config{MinVersion: tls.VersionTLS12},
		MaxResponseHeaderBytes: 256 << 10,
	}
	return &fetcher{
		client: &http.Client{
			Transport: tr,
			// Redirects are followed by hand to record the chain; there is
			// no cookie jar, so no cookie crosses origins (or is kept at all).
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		userAgent: o.UserAgent,
		maxBody:   o.MaxBodyBytes,
		maxRedir:  o.MaxRedirects,
		timeout:   o.ResponseTimeout,
		firstByte: o.FirstByteTimeout,
		connect:   o.ConnectTimeout,
	}
}

func (f *fetcher) close() { f.client.CloseIdleConnections() }

// serveInProcess makes h answer the fetcher's requests to http://host,
// in-process (a folder target); other hosts are fetched as before. The
// body cap, the timeouts but the connect one, and decompression apply to
// h's responses as to a server's.
func (f *fetcher) serveInProcess(host string, h http.Handler) {
	f.client.Transport = &inProcess{host: host, handler: h, next: f.client.Transport, firstByte: f.firstByte}
}

// request is what to fetch.
type request struct {
	url       string
	accept    string
	userAgent string
	maxRedir  int // overrides fetcher.maxRedir when > 0
	// keepRaw keeps the body as received (no charset decoding): robots.txt
	// and sitemaps are bytes.
	keepRaw bool
	// maxBody overrides the fetcher's body cap when > 0 (sitemaps may be
	// 50 MB).
	maxBody int64
	// pooled leaves the body in a pooled buffer, returned with the
	// Response, that the caller must recycle; otherwise the body is
	// copied out.
	pooled bool
	// onHop, when set, is asked before each request of a redirect chain
	// (the first one too); an error stops the chain.
	onHop func(u *url.URL) error
	// header holds further request headers (a follow-up's conditional
	// request).
	header http.Header
	// method and body make a POST (see FollowUp.Method); empty is GET.
	method string
	body   []byte
}

// do fetches one URL, following redirects, and always returns a Response
// (with Error set on failure). For a pooled request, buf is the pooled
// buffer the body is in (nil if none), to be recycled once the body is no
// longer used. Requests counts the HTTP requests made.
func (f *fetcher) do(ctx context.Context, rq request) (resp *Response, buf *bytes.Buffer, requests int) {
	start := time.Now()
	resp = &Response{URL: rq.url, FinalURL: rq.url}
	var timing Timing
	defer func() {
		timing.Total = time.Since(start)
		resp.SetTiming(timing)
		resp.SetFetched(time.Now())
	}()
	ctx, cancel := context.WithTimeout(ctx, f.timeout)
	defer cancel()
	maxRedir := f.maxRedir
	if rq.maxRedir > 0 {
		maxRedir = rq.maxRedir
	}
	cur := rq.url
	for hop := 0; ; hop++ {
		u, err := url.Parse(cur)
		if err != nil {
			resp.Error = "bad URL: " + err.Error()
			return resp, nil, requests
		}
		if rq.onHop != nil {
			if err := rq.onHop(u); err != nil {
				resp.Error = err.Error()
				return resp, nil, requests
			}
		}
		requests++
		hr, t, err := f.roundTrip(ctx, u, rq)
		timing.Connect += t.Connect
		if hop == 0 {
			timing.FirstByte = t.FirstByte
		}
		if err != nil {
			resp.Error = describe(err, f.timeout)
			var ne net.Error
			if ctx.Err() == nil && errors.As(err, &ne) && ne.Timeout() {
				// Not the whole exchange's deadline (which describe assumes:
				// net/http's timeouts match context.DeadlineExceeded) but
				// the connect or the first-byte timeout.
				if t.gotConn {
					resp.Error = fmt.Sprintf("timeout: no response headers within %v", f.firstByte)
				} else {
					resp.Error = fmt.Sprintf("timeout: no connection within %v", f.connect)
				}
			}
			return resp, nil, requests
		}
		if isRedirect(hr.StatusCode) && hr.Header.Get("Location") != "" && rq.method == "" {
			loc := hr.Header.Get("Location")
			io.Copy(io.Discard, io.LimitReader(hr.Body, 64<<10))
			hr.Body.Close()
			if len(loc) > maxURLBytes {
				// The chain is kept with the page: a hop may not make it hold
				// a header's worth of bytes (twice: Location and next URL).
				hr.Header.Del("Location")
				resp.Status, resp.Header = hr.StatusCode, f.headers.share(hr.Header)
				resp.addRedirect(Redirect{URL: cur, Status: hr.StatusCode, Location: loc[:64] + "..."})
				resp.Error = fmt.Sprintf("redirect location of %d bytes (at most %d)", len(loc), maxURLBytes)
				return resp, nil, requests
			}
			next, err := urlnorm.Resolve(u, loc)
			resp.addRedirect(Redirect{URL: cur, Status: hr.StatusCode, Location: loc})
			if err != nil {
				resp.Status, resp.Header = hr.StatusCode, f.headers.share(hr.Header)
				resp.Error = fmt.Sprintf("bad redirect location %q: %v", loc, err)
				return resp, nil, requests
			}
			if hop+1 > maxRedir {
				resp.Status, resp.Header = hr.StatusCode, f.headers.share(hr.Header)
				resp.Error = fmt.Sprintf("more than %d redirects", maxRedir)
				return resp, nil, requests
			}
			if slicesContainsURL(resp.Redirects(), next.String()) {
				resp.Status, resp.Header = hr.StatusCode, f.headers.share(hr.Header)
				resp.Error = "redirect loop at " + next.String()
				return resp, nil, requests
			}
			cur = next.String()
			resp.FinalURL = cur
			continue
		}
		buf = f.readBody(hr, resp, rq)
		return resp, buf, requests
	}
}

func slicesContainsURL(rs []Redirect, u string) bool {
	for _, r := range rs {
		if r.URL == u {
			return true
		}
	}
	return false
}

func isRedirect(code int) bool {
	return code == 301 || code == 302 || code == 303 || code == 307 || code == 308
}

type hopTiming struct {
	Connect, FirstByte time.Duration
	gotConn            bool
}

func (f *fetcher) roundTrip(ctx context.Context, u *url.URL, rq request) (*http.Response, hopTiming, error) {
	var t hopTiming
	var connStart, sent time.Time
	trace := &httptrace.ClientTrace{
		GetConn: func(string) { connStart = time.Now() },
		GotConn: func(i httptrace.GotConnInfo) {
			t.gotConn = true
			if !i.Reused {
				t.Connect = time.Since(connStart)
			}
		},
		WroteRequest:         func(httptrace.WroteRequestInfo) { sent = time.Now() },
		GotFirstResponseByte: func() { t.FirstByte = time.Since(sent) },
	}
	method, body := http.MethodGet, io.Reader(nil)
	if rq.method != "" {
		method, body = rq.method, bytes.NewReader(rq.body)
	}
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(ctx, trace), method, u.String(), body)
	if err != nil {
		return nil, t, err
	}
	ua := f.userAgent
	if rq.userAgent != "" {
		ua = rq.userAgent
	}
	accept := acceptHTML
	if rq.accept != "" {
		accept = rq.accept
	}
	req.Header.Set("User-Agent", ua)
	req.Header.Set("Accept", accept)
	req.Header.Set("Accept-Encoding", "gzip, deflate, br")
	for k, vs := range rq.header {
		req.Header[http.CanonicalHeaderKey(k)] = vs
	}
	hr, err := f.client.Do(req)
	return hr, t, err
}

// noContent says whether a response has no content by definition.
func noContent(hr *http.Response) bool {
	return hr.StatusCode/100 == 1 || hr.StatusCode == http.StatusNoContent || hr.StatusCode == http.StatusNotModified ||
		hr.Request != nil && hr.Request.Method == http.MethodHead
}

// readBody reads, decompresses and decodes the body within the cap. For a
// pooled request it returns the pooled buffer the body is in.
func (f *fetcher) readBody(hr *http.Response, resp *Response, rq request) (pooledBuf *bytes.Buffer) {
	raw, pooled := rq.keepRaw, rq.pooled
	maxBody := f.maxBody
	if rq.maxBody > 0 {
		maxBody = rq.maxBody
	}
	defer hr.Body.Close()
	resp.Status = hr.StatusCode
	resp.Header = f.headers.share(hr.Header)
	ct := hr.Header.Get("Content-Type")
	mt, params, _ := mime.ParseMediaType(ct)
	resp.ContentType = strings.ToLower(mt)

	var body io.Reader = hr.Body
	// Codings apply in the order listed (RFC 9110 8.4), so they are undone
	// from the last; a server may list several, in one field or in several.
	enc := strings.ToLower(strings.TrimSpace(strings.Join(hr.Header["Content-Encoding"], ",")))
	if enc == "identity" {
		enc = ""
	}
	var codings []string
	switch {
	case strings.IndexByte(enc, ',') >= 0:
		for _, c := range strings.Split(enc, ",") {
			if c = strings.TrimSpace(c); c != "" && c != "identity" {
				codings = append(codings, c)
			}
		}
		if len(codings) > maxCodings {
			resp.Error = fmt.Sprintf("Content-Encoding %q: %d codings, at most %d are decoded", enc, len(codings), maxCodings)
			return
		}
		enc = strings.Join(codings, ", ")
	case enc != "":
		codings = []string{enc}
	}
	if noContent(hr) {
		// 1xx, 204 and 304 answers and HEAD have no content (RFC 9110
		// 6.4.1) whatever Content-Encoding says: servers send the
		// header of the representation on a 304, and there is nothing
		// to decode.
		codings = nil
	}
	for i := len(codings) - 1; i >= 0; i-- {
		r, closer, err := decoder(body, codings[i])
		if err != nil {
			resp.Error = err.Error()
			return
		}
		if closer != nil {
			defer closer.Close()
		}
		body = r
	}
	buf := bodyPool.Get().(*bytes.Buffer)
	buf.Reset()
	if !pooled {
		// The body outlives this call: give it its own memory.
		defer func() {
			resp.Body = bytes.Clone(resp.Body)
			recycle(buf)
		}()
	} else {
		pooledBuf = buf
	}
	n, err := buf.ReadFrom(io.LimitReader(body, maxBody+1))
	if n > maxBody {
		resp.Truncated = true
		buf.Truncate(int(maxBody))
		n = maxBody
	} else if err != nil {
		resp.Error = bodyError(err, enc, n, hr.ContentLength, f.timeout)
	}
	resp.Bytes = n
	b := buf.Bytes()
	if resp.ContentType == "" && len(b) > 0 {
		mt, params, _ = mime.ParseMediaType(http.DetectContentType(b))
		resp.ContentType = mt
	}
	if raw || !isText(resp.ContentType) {
		resp.Body = b
		resp.SetCoding("", enc)
		return
	}
	var cs string
	resp.Body, cs = decodeText(b, resp.ContentType, params["charset"])
	resp.SetCoding(cs, enc)
	return
}

// maxCodings bounds the content codings decoded in a row: each holds a
// decoder's window (up to 16 MiB for brotli), and a chain of them is an
// old way to exhaust a client (curl's CVE-2022-32206).
const maxCodings = 3

// decoder returns a reader that undoes one content coding, and what to
// close once done (nil if nothing).
func decoder(r io.Reader, coding string) (io.Reader, io.Closer, error) {
	switch coding {
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(r)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", coding, err)
		}
		return zr, zr, nil
	case "deflate":
		// "deflate" is zlib by the spec and raw DEFLATE in practice; sniff.
		br := newPeekReader(r)
		if h := br.peek(2); len(h) == 2 && h[0]&0x0f == 8 && (uint16(h[0])<<8|uint16(h[1]))%31 == 0 {
			zr, err := zlib.NewReader(br)
			if err != nil {
				return nil, nil, fmt.Errorf("deflate: %w", err)
			}
			return zr, zr, nil
		}
		fr := flate.NewReader(br)
		return fr, fr, nil
	case "br":
		return brotli.NewReader(r), nil, nil
	}
	return nil, nil, fmt.Errorf("unsupported Content-Encoding %q", coding)
}

// bodyPool recycles body buffers: a crawl reads thousands of bodies of
// similar size, and reallocating each would dominate the garbage collector's
// work. A buffer returns to the pool once its page's extractors are done.
var bodyPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// recycle returns a body buffer to the pool (nil is a no-op); a body in it
// must no longer be used.
func recycle(buf *bytes.Buffer) {
	if buf != nil && buf.Cap() <= 8<<20 {
		bodyPool.Put(buf)
	}
}

func isText(mt string) bool {
	return strings.HasPrefix(mt, "text/") || mt == "application/xhtml+xml" || mt == "application/xml" ||
		mt == "application/json" || strings.HasSuffix(mt, "+xml") || strings.HasSuffix(mt, "+json") ||
		mt == "application/javascript" || mt == "application/yaml"
}

// decodeText decodes b to UTF-8 from the charset the header, a BOM or a
// <meta> tag names (in that order of precedence, as browsers do), replacing
// invalid sequences with U+FFFD.
func decodeText(b []byte, mt, declared string) ([]byte, string) {
	ct := mt
	if declared != "" {
		ct += "; charset=" + declared
	}
	var name string
	if mt == "text/html" || mt == "application/xhtml+xml" {
		_, name, _ = charset.DetermineEncoding(b, ct)
	} else {
		name = strings.ToLower(declared)
		if name == "" {
			name = "utf-8"
		}
	}
	if name == "utf-8" || name == "utf8" {
		b = bytes.TrimPrefix(b, []byte("\xEF\xBB\xBF"))
		if !utf8.Valid(b) {
			return bytes.ToValidUTF8(b, []byte("\uFFFD")), "utf-8"
		}
		return b, "utf-8"
	}
	enc, canon := charset.Lookup(name)
	if enc == nil {
		return bytes.ToValidUTF8(b, []byte("\uFFFD")), name
	}
	out, err := enc.NewDecoder().Bytes(b)
	if err != nil {
		return bytes.ToValidUTF8(b, []byte("\uFFFD")), canon
	}
	return bytes.ToValidUTF8(out, []byte("\uFFFD")), canon
}

// bodyError says why reading a body of n bytes (decoded, under Content-Encoding
// enc, "" for none) stopped early; length is the Content-Length (-1 when
// unknown).
func bodyError(err error, enc string, n, length int64, timeout time.Duration) string {
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		msg := describe(err, timeout)
		if strings.HasPrefix(msg, "timeout") || strings.HasPrefix(msg, "cancelled") {
			return msg
		}
		if enc != "" {
			return "body cut short: " + enc + ": " + msg
		}
		return "body cut short: " + msg
	}
	switch {
	case enc != "":
		return fmt.Sprintf("body cut short: the %s stream ended early, after %d bytes decoded", enc, n)
	case length >= 0:
		return fmt.Sprintf("body cut short: the connection closed after %d of the %d bytes of its Content-Length", n, length)
	}
	return fmt.Sprintf("body cut short: the connection closed after %d bytes, before the chunked body's end", n)
}

// describe turns a transport error into a short, stable message.
func describe(err error, timeout time.Duration) string {
	// The client's `Get "URL": ` prefix repeats the URL the Response names.
	var uerr *url.Error
	if errors.As(err, &uerr) {
		err = uerr.Err
	}
	var dnsErr *net.DNSError
	switch {
	case errors.Is(err, ErrPrivateAddress):
		var op *net.OpError
		if errors.As(err, &op) && op.Addr != nil {
			return op.Addr.String() + ": " + ErrPrivateAddress.Error()
		}
		return ErrPrivateAddress.Error()
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Sprintf("timeout: no complete response within %v", timeout)
	case errors.Is(err, context.Canceled):
		return "cancelled"
	case errors.As(err, &dnsErr):
		return "dns: " + dnsErr.Err + " for " + dnsErr.Name
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return "timeout: " + err.Error()
	}
	return err.Error()
}

// retryAfter parses a Retry-After header (delay-seconds or an HTTP date),
// returning ok=false when absent or unparseable.
func retryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if s, err := strconv.ParseUint(v, 10, 64); err == nil || errors.Is(err, strconv.ErrRange) {
		// A delay too long for a Duration (or for uint64) is the longest
		// one: the caller caps it. Multiplying would wrap it negative.
		if err != nil || s > uint64(math.MaxInt64/time.Second) {
			return time.Duration(math.MaxInt64), true
		}
		return time.Duration(s) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := t.Sub(now)
		if d < 0 {
			d = 0
		}
		return d, true
	}
	return 0, false
}

// peekReader lets the deflate sniffing look at two bytes without bufio's
// 4 KiB buffer.
type peekReader struct {
	r   io.Reader
	buf []byte
}

func newPeekReader(r io.Reader) *peekReader { return &peekReader{r: r} }

func (p *peekReader) peek(n int) []byte {
	for len(p.buf) < n {
		b := make([]byte, n-len(p.buf))
		m, err := p.r.Read(b)
		p.buf = append(p.buf, b[:m]...)
		if err != nil {
			break
		}
	}
	return p.buf
}

func (p *peekReader) Read(b []byte) (int, error) {
	if len(p.buf) > 0 {
		n := copy(b, p.buf)
		p.buf = p.buf[n:]
		return n, nil
	}
	return p.r.Read(b)
}

func (p *peekReader) ReadByte() (byte, error) {
	var b [1]byte
	_, err := io.ReadFull(p, b[:])
	return b[0], err
}
