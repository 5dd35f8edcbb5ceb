package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestLintInterruptedReportIsIncomplete: Ctrl-C while the second spec is
// fetched. The run exits 130 and its reports keep the first spec's
// findings, but none reads as complete: SARIF says executionSuccessful
// false with the reason (uploaded, a "successful" run with fewer results
// closes every open code-scanning alert), json has "incomplete".
func TestLintInterruptedReportIsIncomplete(t *testing.T) {
	dir := isolate(t)
	writeFile(t, "api.yaml", lintSpec)
	var once sync.Once
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		once.Do(func() { syscall.Kill(os.Getpid(), syscall.SIGINT) })
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	}))
	defer srv.Close()
	sarifPath, jsonPath := filepath.Join(dir, "lint.sarif"), filepath.Join(dir, "lint.json")
	r := runTest(t, "lint", "--no-config", "-f", "text", "-f", "sarif="+sarifPath, "-f", "json="+jsonPath, "api.yaml", srv.URL+"/openapi.yaml")
	if r.code != 130 {
		t.Fatalf("code %d, want 130\nstderr: %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, "operation-description") || !strings.Contains(r.stdout, "incomplete: interrupted after 1 of 2 specs") {
		t.Errorf("text report lacks the findings or the incomplete line:\n%s", r.stdout)
	}
	var sarif struct {
		Runs []struct {
			Results     []json.RawMessage `json:"results"`
			Invocations []struct {
				ExecutionSuccessful        bool `json:"executionSuccessful"`
				ToolExecutionNotifications []struct {
					Message struct{ Text string } `json:"message"`
				} `json:"toolExecutionNotifications"`
			} `json:"invocations"`
		} `json:"runs"`
	}
	readJSON(t, sarifPath, &sarif)
	inv := sarif.Runs[0].Invocations[0]
	if inv.ExecutionSuccessful || len(inv.ToolExecutionNotifications) == 0 || !strings.Contains(inv.ToolExecutionNotifications[0].Message.Text, "interrupted") || len(sarif.Runs[0].Results) == 0 {
		t.Errorf("sarif of an interrupted run: %+v with %d results", inv, len(sarif.Runs[0].Results))
	}
	var rep struct{ Incomplete string }
	readJSON(t, jsonPath, &rep)
	if !strings.Contains(rep.Incomplete, "interrupted") {
		t.Errorf("json incomplete = %q", rep.Incomplete)
	}
}

func readJSON(t *testing.T, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}
