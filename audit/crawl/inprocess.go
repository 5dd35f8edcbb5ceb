// This file holds the in-process transport: an http.Handler answering the
// requests to one origin without a socket, streaming its response the way
// a connection would, so that the fetcher's body cap, timeouts and
// decompression apply to it as to any server.

package crawl

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// inProcess is an http.RoundTripper that hands the requests to host
// (scheme http) to handler, in-process, and every other request to next.
type inProcess struct {
	host    string // lower-case host, without a port
	handler http.Handler
	next    http.RoundTripper
	// firstByte bounds the wait for the handler's response headers, as
	// http.Transport.ResponseHeaderTimeout does for a connection.
	firstByte time.Duration
}

// errNoHeaders is the error of an in-process request whose handler wrote
// no response headers within inProcess.firstByte. It is a timeout, as the
// fetcher names the transport's own.
var errNoHeaders error = headerTimeout{}

type headerTimeout struct{}

func (headerTimeout) Error() string   { return "timeout awaiting response headers" }
func (headerTimeout) Timeout() bool   { return true }
func (headerTimeout) Temporary() bool { return true }

func (t *inProcess) serves(u *url.URL) bool {
	if u.Scheme != "http" || !strings.EqualFold(u.Hostname(), t.host) {
		return false
	}
	p := u.Port()
	return p == "" || p == "80"
}

// RoundTrip implements http.RoundTripper.
func (t *inProcess) RoundTrip(req *http.Request) (*http.Response, error) {
	if !t.serves(req.URL) {
		return t.next.RoundTrip(req)
	}
	ctx := req.Context()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// The fetcher's timings and its naming of timeouts come from the
	// trace: there is no connection to wait for, and the request is
	// written at once.
	trace := httptrace.ContextClientTrace(ctx)
	if trace != nil {
		if trace.GetConn != nil {
			trace.GetConn(req.URL.Host)
		}
		if trace.GotConn != nil {
			trace.GotConn(httptrace.GotConnInfo{})
		}
		if trace.WroteRequest != nil {
			trace.WroteRequest(httptrace.WroteRequestInfo{})
		}
	}
	pr, pw := io.Pipe()
	w := &pipeResponse{req: req, header: http.Header{}, pw: pw, ready: make(chan struct{}), length: -1}
	go w.serve(t.handler, serverRequest(req))

	var timeout <-chan time.Time
	if t.firstByte > 0 {
		tm := time.NewTimer(t.firstByte)
		defer tm.Stop()
		timeout = tm.C
	}
	select {
	case <-w.ready:
	case <-ctx.Done():
		// The handler's writes fail from now on, which stops it.
		pr.CloseWithError(ctx.Err())
		return nil, ctx.Err()
	case <-timeout:
		pr.CloseWithError(errNoHeaders)
		return nil, errNoHeaders
	}
	if w.err != nil {
		return nil, w.err
	}
	if trace != nil && trace.GotFirstResponseByte != nil {
		trace.GotFirstResponseByte()
	}
	body := &pipeBody{ctx: ctx, pr: pr, length: w.length}
	// Cancelling the request breaks off the body, as closing a
	// connection would: reads fail with the context's error (closing the
	// write half: a pipe's first close error stands), and the handler's
	// writes fail.
	body.stop = context.AfterFunc(ctx, func() { pw.CloseWithError(ctx.Err()) })
	resp := w.resp
	resp.Body = body
	return resp, nil
}

// CloseIdleConnections closes next's idle connections (the in-process
// handler has none).
func (t *inProcess) CloseIdleConnections() {
	if c, ok := t.next.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}

// serverRequest is req as a server's handler receives it.
func serverRequest(req *http.Request) *http.Request {
	sr := req.Clone(req.Context())
	sr.URL = &url.URL{Path: req.URL.Path, RawPath: req.URL.RawPath, RawQuery: req.URL.RawQuery}
	sr.RequestURI = req.URL.RequestURI()
	sr.Host = req.URL.Host
	sr.Proto, sr.ProtoMajor, sr.ProtoMinor = "HTTP/1.1", 1, 1
	if sr.Body == nil {
		sr.Body = http.NoBody
	}
	return sr
}

// pipeResponse is the http.ResponseWriter of an in-process request: the
// headers go to RoundTrip at the first Write, WriteHeader or Flush (or when
// the handler returns), and the body through a pipe, so that the handler
// writes only as fast as the fetcher reads and stops when it stops reading.
// Only the handler's goroutine calls its methods.
type pipeResponse struct {
	req    *http.Request
	header http.Header
	pw     *io.PipeWriter
	wrote  bool
	status int
	// length is the Content-Length the handler set (-1: none); written
	// counts the body bytes against it.
	length, written int64

	// resp, or err when the handler failed before any header was sent,
	// are set before ready is closed.
	ready     chan struct{}
	readyOnce sync.Once
	resp      *http.Response
	err       error
}

// serve runs the handler. A panic in it is a bug of agentready's (the
// handler is the folder server), not an answer of the site: it becomes the
// request's error, or breaks off the body when the headers were sent.
func (w *pipeResponse) serve(h http.Handler, r *http.Request) {
	defer func() {
		if e := recover(); e != nil {
			err := fmt.Errorf("folder server: internal error: %v (please report this bug)", e)
			if !w.wrote {
				w.err = err
				w.readyOnce.Do(func() { close(w.ready) })
			}
			w.pw.CloseWithError(err)
			return
		}
		w.WriteHeader(http.StatusOK) // a handler that wrote nothing answers 200
		w.pw.Close()
	}()
	h.ServeHTTP(w, r)
}

// Header implements http.ResponseWriter.
func (w *pipeResponse) Header() http.Header { return w.header }

// WriteHeader implements http.ResponseWriter.
func (w *pipeResponse) WriteHeader(code int) {
	if w.wrote {
		return
	}
	if code < 100 || code > 999 {
		panic(fmt.Sprintf("invalid WriteHeader code %v", code)) // as net/http's server does
	}
	if code < 200 && code != http.StatusSwitchingProtocols {
		return // informational: no client of the crawl reads it
	}
	w.wrote, w.status = true, code
	h := w.header.Clone()
	if _, ok := h["Date"]; !ok {
		h.Set("Date", time.Now().UTC().Format(http.TimeFormat))
	}
	if cl := h.Get("Content-Length"); cl != "" && w.bodyAllowed() {
		if n, err := strconv.ParseInt(cl, 10, 64); err == nil && n >= 0 {
			w.length = n
		}
	}
	w.resp = &http.Response{
		Status:     strconv.Itoa(code) + " " + http.StatusText(code),
		StatusCode: code, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: h, ContentLength: w.length, Request: w.req,
	}
	if !w.bodyAllowed() {
		w.resp.ContentLength = 0
	}
	w.readyOnce.Do(func() { close(w.ready) })
}

func (w *pipeResponse) bodyAllowed() bool {
	s := w.status
	return w.req.Method != http.MethodHead && !(s >= 100 && s < 200) && s != http.StatusNoContent && s != http.StatusNotModified
}

// Write implements http.ResponseWriter. It blocks until the fetcher reads
// the bytes, and fails once it has stopped reading.
func (w *pipeResponse) Write(b []byte) (int, error) {
	if !w.wrote {
		if _, ok := w.header["Content-Type"]; !ok && len(b) > 0 {
			w.header.Set("Content-Type", http.DetectContentType(b)) // as net/http's server does
		}
		w.WriteHeader(http.StatusOK)
	}
	if !w.bodyAllowed() {
		if w.req.Method == http.MethodHead {
			return len(b), nil
		}
		return 0, http.ErrBodyNotAllowed
	}
	if w.length >= 0 && w.written+int64(len(b)) > w.length {
		n, err := w.pw.Write(b[:w.length-w.written])
		w.written += int64(n)
		if err == nil {
			err = http.ErrContentLength
		}
		return n, err
	}
	n, err := w.pw.Write(b)
	w.written += int64(n)
	return n, err
}

// Flush implements http.Flusher: it sends the headers.
func (w *pipeResponse) Flush() { w.WriteHeader(http.StatusOK) }

// pipeBody is the body of an in-process response. A body that ends before
// its Content-Length is cut short, as a connection closed early would be,
// and so is one that ends once the request is cancelled (the handler may
// have returned because of it).
type pipeBody struct {
	ctx        context.Context
	pr         *io.PipeReader
	length, n  int64
	stop       func() bool
	closedOnce sync.Once
}

func (b *pipeBody) Read(p []byte) (int, error) {
	n, err := b.pr.Read(p)
	b.n += int64(n)
	if err == io.EOF {
		if e := b.ctx.Err(); e != nil {
			err = e
		} else if b.length >= 0 && b.n < b.length {
			err = io.ErrUnexpectedEOF
		}
	}
	return n, err
}

// Close stops the handler: its next Write fails.
func (b *pipeBody) Close() error {
	b.closedOnce.Do(func() {
		b.stop()
		b.pr.Close()
	})
	return nil
}
