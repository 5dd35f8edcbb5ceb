package audit

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/agentready/agentready/report"
)

// TestSiteReportsRecordTheShard: each per-site report of a --urls run
// names its shard, the checksum of the list and its place among the
// shard's sites, so that a merge can tell a shard cut short from a
// whole one.
func TestSiteReportsRecordTheShard(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<title>x</title>")
	}))
	defer srv.Close()
	// Three origins: 127.0.0.1, localhost and [::1] are three hosts.
	port := srv.Listener.Addr().(*net.TCPAddr).Port
	list := fmt.Sprintf("http://127.0.0.1:%d/\nhttp://localhost:%d/\n", port, port)
	file := filepath.Join(t.TempDir(), "list.txt")
	if err := os.WriteFile(file, []byte(list), 0o644); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(list))
	wantSum := "sha256:" + hex.EncodeToString(sum[:])

	for _, shard := range []string{"", "0/1", "1/2"} {
		cfg := DefaultConfig()
		cfg.Rate, cfg.NoChecks, cfg.URLs, cfg.Shard = 0, true, file, shard
		var mu sync.Mutex
		got := map[int]*ShardInfo{}
		cfg.OnSiteReport = func(i int, r *report.Report) {
			mu.Lock()
			defer mu.Unlock()
			got[i] = r.Extra.(*Extra).Shard
		}
		res, err := Run(context.Background(), nil, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(res.Sites) {
			t.Fatalf("shard %q: %d reports for %d sites", shard, len(got), len(res.Sites))
		}
		for i, info := range got {
			if info == nil {
				t.Fatalf("shard %q: site %d has no shard info", shard, i)
			}
			wantI, wantN := 0, 1
			if shard == "1/2" {
				wantI, wantN = 1, 2
			}
			if info.Index != wantI || info.Count != wantN || info.Input != wantSum || info.Site != i || info.Sites != len(res.Sites) || info.Total != 2 {
				t.Errorf("shard %q: site %d: %+v, want %d/%d %s site %d of %d", shard, i, info, wantI, wantN, wantSum, i, len(res.Sites))
			}
		}
	}
	// A whole report (no --urls) has no shard.
	cfg := DefaultConfig()
	cfg.Rate, cfg.NoChecks = 0, true
	res, err := Run(context.Background(), []string{srv.URL}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if sh := res.Report().Extra.(*Extra).Shard; sh != nil {
		t.Errorf("a run without --urls has shard %+v", sh)
	}
}

// TestSiteReportCutByInterrupt: with --urls, the line of a site whose crawl
// an interrupt cut says it is incomplete; a site done before keeps a
// complete one. Its line used to read as a whole audit.
func TestSiteReportCutByInterrupt(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	firstDone := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			select {
			case <-firstDone:
			case <-time.After(10 * time.Second):
			}
			cancel()
			select {
			case <-r.Context().Done():
			case <-time.After(10 * time.Second):
			}
			return
		}
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<title>x</title>")
	}))
	defer srv.Close()
	port := srv.Listener.Addr().(*net.TCPAddr).Port
	list := fmt.Sprintf("http://127.0.0.1:%d/a\nhttp://localhost:%d/slow\n", port, port)
	file := filepath.Join(t.TempDir(), "list.txt")
	if err := os.WriteFile(file, []byte(list), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := DefaultConfig()
	cfg.Rate, cfg.URLs = 0, file
	var mu sync.Mutex
	got := map[string]string{}
	var once sync.Once
	cfg.OnSiteReport = func(i int, r *report.Report) {
		mu.Lock()
		got[r.Targets[0]] = r.Incomplete
		mu.Unlock()
		if strings.Contains(r.Targets[0], "127.0.0.1") {
			once.Do(func() { close(firstDone) })
		}
	}
	res, err := Run(ctx, nil, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Interrupted {
		t.Fatal("the run was not interrupted")
	}
	fast, slow := fmt.Sprintf("http://127.0.0.1:%d", port), fmt.Sprintf("http://localhost:%d", port)
	if inc, ok := got[fast]; !ok || inc != "" {
		t.Errorf("the site done before the interrupt: incomplete %q (reported %v)", inc, ok)
	}
	if got[slow] != "interrupted" {
		t.Errorf("the site the interrupt cut: incomplete %q, want interrupted (%v)", got[slow], got)
	}
}
