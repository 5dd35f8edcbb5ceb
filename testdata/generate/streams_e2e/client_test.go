package streams

// Tests of the client generated from streams.yaml (OpenAPI 3.2 itemSchema):
// a body of server-sent events or JSON Lines is decoded into its typed
// items, on an httptest server on the loopback interface.

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestStreams(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/events" && r.Header.Get("X-Fail") != "":
			w.Header().Set("Content-Type", "application/jsonl")
			w.WriteHeader(500)
			w.Write([]byte("{\"message\":\"one\"}\n{\"message\":\"two\"}\n"))
		case r.URL.Path == "/events":
			w.Header().Set("Content-Type", "text/event-stream")
			w.Write([]byte(": comment\nevent: tick\ndata: {\"data\":\"a\",\r\ndata: \"id\":1}\n\ndata: {\"data\":\"b\",\"id\":2}\n\n"))
		case r.Method == "QUERY" && r.URL.Path == "/lines":
			w.Header().Set("Content-Type", "application/jsonl")
			w.Write([]byte("\"x\"\n\n\"y\"\n"))
		default:
			http.Error(w, "no", 404)
		}
	}))
	defer srv.Close()
	c, err := New(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	res, err := c.StreamEvents(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Status200) != 2 || *res.Status200[0].Data != "a" || *res.Status200[0].ID != 1 || *res.Status200[1].Data != "b" {
		t.Errorf("events: %+v", res.Status200)
	}
	lines, err := c.QueryLines(ctx, &QueryLinesParams{Body: &QueryLinesRequest{}})
	if err != nil {
		t.Fatal(err)
	}
	if len(lines.Status200) != 2 || lines.Status200[0] != "x" || lines.Status200[1] != "y" {
		t.Errorf("lines: %q", lines.Status200)
	}
	c2, _ := New(srv.URL, WithHTTPClient(&http.Client{Transport: failHeader{}}))
	res, err = c2.StreamEvents(ctx, nil)
	var ae *APIError
	if !errors.As(err, &ae) || ae.StatusCode != 500 || len(res.Default) != 2 || *res.Default[1].Message != "two" {
		t.Errorf("error stream: %v, %+v", err, res)
	}
}

type failHeader struct{}

func (failHeader) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("X-Fail", "1")
	return http.DefaultTransport.RoundTrip(r)
}
