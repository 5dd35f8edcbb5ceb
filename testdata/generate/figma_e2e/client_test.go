package figma

// Run by generate/golang's TestFigmaClientBehaviour against the client
// generated from @figma/rest-api-spec: a real spec's client driven on
// loopback through a rate limit with Retry-After, cursor pagination, its
// API-key header and typed errors.

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

func TestAiUsagePagesThroughRateLimit(t *testing.T) {
	var mu sync.Mutex
	var calls []string
	limited := false
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		calls = append(calls, r.URL.RawQuery)
		if r.URL.Path != "/v1/ai_usage/daily" {
			http.NotFound(w, r)
			return
		}
		if got := r.Header.Get("X-Figma-Token"); got != "plan-token" {
			w.WriteHeader(http.StatusForbidden)
			json.NewEncoder(w).Encode(map[string]any{"status": 403, "err": "token " + got})
			return
		}
		q := r.URL.Query()
		if q.Get("start_date") != "2026-01-01" || q.Get("end_date") != "2026-01-31" {
			w.WriteHeader(http.StatusBadRequest)
			json.NewEncoder(w).Encode(map[string]any{"status": 400, "err": "dates " + r.URL.RawQuery})
			return
		}
		w.Header().Set("Content-Type", "application/json")
		switch q.Get("cursor") {
		case "":
			if !limited {
				limited = true
				w.Header().Set("Retry-After", "1")
				w.WriteHeader(http.StatusTooManyRequests)
				json.NewEncoder(w).Encode(map[string]any{"status": 429, "err": "slow down"})
				return
			}
			json.NewEncoder(w).Encode(map[string]any{"has_next_page": true, "next_cursor": "c2",
				"rows": []map[string]any{{"day": "2026-01-01"}, {"day": "2026-01-02"}}})
		case "c2":
			json.NewEncoder(w).Encode(map[string]any{"has_next_page": false, "next_cursor": "",
				"rows": []map[string]any{{"day": "2026-01-03"}}})
		default:
			w.WriteHeader(http.StatusBadRequest)
		}
	}))
	defer srv.Close()
	c, err := New(srv.URL, WithAuth(Auth{PlanAccessToken: "plan-token"}),
		WithRetry(RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 10 * time.Millisecond, MaxRetryAfter: 5 * time.Second}))
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	var days []string
	for row, err := range c.GetAiUsageDailyIter(context.Background(), &GetAiUsageDailyParams{StartDate: "2026-01-01", EndDate: "2026-01-31"}) {
		if err != nil {
			t.Fatal(err)
		}
		days = append(days, row.Day)
	}
	if len(days) != 3 || days[0] != "2026-01-01" || days[2] != "2026-01-03" {
		t.Errorf("days %v", days)
	}
	// The 429's Retry-After (1 s) was honoured, not the 1 ms backoff.
	if d := time.Since(start); d < 900*time.Millisecond {
		t.Errorf("retried after %v, before Retry-After", d)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(calls) != 3 {
		t.Errorf("%d requests (%v), want the limited one, its retry and page 2", len(calls), calls)
	}
}

func TestTypedErrors(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		json.NewEncoder(w).Encode(map[string]any{"status": 404, "err": "Not found"})
	}))
	defer srv.Close()
	c, err := New(srv.URL, WithAuth(Auth{PersonalAccessToken: "pat"}))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.GetFile(context.Background(), &GetFileParams{FileKey: "abc/def"})
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusNotFound {
		t.Fatalf("err %v (%T), want an *APIError with status 404", err, err)
	}
	if resp == nil || resp.Status404 == nil || resp.Status404.Err != "Not found" {
		t.Fatalf("response %+v, want the typed 404 body", resp)
	}
	if v, ok := apiErr.Value.(*GetFile404Error); !ok || v.Err != "Not found" || apiErr.Operation != "GetFile" {
		t.Errorf("APIError value %#v, operation %q", apiErr.Value, apiErr.Operation)
	}
}
