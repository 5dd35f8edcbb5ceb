package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/agentready/agentready/audit/merge"
)

// TestShardSimulation audits many small sites on loopback (one origin per
// 127.0.x.y address, so the shards, which split by host, see different
// sites) with 8 shard processes of the built binary in parallel, and
// merges their JSON lines: every site exactly once, none lost. Then it
// runs one shard again, kills it once it has written a line, and checks
// that the merge reports the shard incomplete and that running it once
// more completes the set.
//
// CI audits 80 sites; AGENTREADY_SIM_SITES=1000 is the full simulation,
// whose throughput and per-shard peak RSS the log shows (-v).
func TestShardSimulation(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs 8 processes")
	}
	if runtime.GOOS != "linux" {
		t.Skip("needs 127.0.0.0/8 on the loopback interface")
	}
	sites := 80
	if v := os.Getenv("AGENTREADY_SIM_SITES"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 60000 {
			t.Fatalf("AGENTREADY_SIM_SITES=%q: want 1 to 60000", v)
		}
		sites = n
	}
	const shards = 8
	dir := t.TempDir()
	bin := filepath.Join(dir, "agentready")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	// slow delays every answer while the shard that is killed runs, so
	// that it is still running when it is killed.
	var slow atomic.Bool
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if slow.Load() {
			time.Sleep(100 * time.Millisecond)
		}
		switch r.URL.Path {
		case "/robots.txt":
			fmt.Fprint(w, "User-agent: *\nAllow: /\n")
		case "/":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprintf(w, `<!doctype html><html lang="en"><head><title>Site %s</title><meta name="description" content="a test site"></head>`+
				`<body><main><h1>%s</h1><p>Text a machine can read.</p><a href="/about">About</a></main></body></html>`, r.Host, r.Host)
		case "/about":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, `<!doctype html><html lang="en"><head><title>About</title></head><body><main><p>About us.</p></main></body></html>`)
		default:
			http.NotFound(w, r)
		}
	})
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 5 * time.Second}
	var list strings.Builder
	for i := range sites {
		addr := fmt.Sprintf("127.0.%d.%d:0", 1+i/250, 1+i%250)
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			t.Fatalf("listen on %s: %v", addr, err)
		}
		go srv.Serve(ln)
		fmt.Fprintf(&list, "http://%s/\n", ln.Addr())
	}
	t.Cleanup(func() { srv.Close() })
	listFile := filepath.Join(dir, "sites.txt")
	if err := os.WriteFile(listFile, []byte(list.String()), 0o644); err != nil {
		t.Fatal(err)
	}

	shardFile := func(i int) string { return filepath.Join(dir, fmt.Sprintf("shard-%d.jsonl", i)) }
	shardCmd := func(ctx context.Context, i int) *exec.Cmd {
		cmd := exec.CommandContext(ctx, bin, "audit", "--no-config", "--urls", listFile, "--shard", fmt.Sprintf("%d/%d", i, shards),
			"--rate", "0", "--max-pages", "5", "--parity-pages", "1", "--fail-on", "none", "-q", "-f", "json="+shardFile(i))
		cmd.Env = append(os.Environ(), "NO_COLOR=1")
		return cmd
	}
	mergeAll := func() *merge.Summary {
		t.Helper()
		var files []string
		for i := range shards {
			files = append(files, shardFile(i))
		}
		rep, err := merge.Files(files)
		if err != nil {
			t.Fatal(err)
		}
		return rep.Extra.(*merge.Summary)
	}
	problems := func(s *merge.Summary) []string {
		var out []string
		for _, sh := range s.Shards {
			if !sh.Complete {
				out = append(out, fmt.Sprintf("shard %d: %d of %d", sh.Index, sh.Read, sh.Sites))
			}
		}
		return out
	}
	everySiteOnce := func(s *merge.Summary) {
		t.Helper()
		if p := problems(s); len(p) > 0 {
			t.Errorf("incomplete shards: %v", p)
		}
		var names []string
		for _, site := range s.Sites {
			names = append(names, site.Name)
		}
		var want []string
		for _, l := range strings.Fields(list.String()) {
			want = append(want, strings.TrimSuffix(l, "/"))
		}
		slices.Sort(want)
		if !slices.Equal(names, want) {
			t.Errorf("merged %d sites, want the %d of the list", len(names), len(want))
		}
		if s.Scored != sites {
			t.Errorf("%d sites scored, want %d", s.Scored, sites)
		}
	}

	// Every shard at once.
	start := time.Now()
	var wg sync.WaitGroup
	rss := make([]int64, shards)
	errs := make([]error, shards)
	for i := range shards {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmd := shardCmd(context.Background(), i)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Run(); err != nil {
				errs[i] = fmt.Errorf("shard %d: %v\n%s", i, err, stderr.String())
				return
			}
			if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
				rss[i] = ru.Maxrss // KiB on Linux
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("%d sites, %d shard processes: %.1f s, %.1f sites/s; peak RSS per shard (MiB): %v",
		sites, shards, elapsed.Seconds(), float64(sites)/elapsed.Seconds(), mib(rss))
	everySiteOnce(mergeAll())

	// Shard 3 again, killed once it has written its first line.
	const victim = 3
	slow.Store(true)
	os.Remove(shardFile(victim)) // the earlier run's lines are not this run's
	ctx, cancel := context.WithCancel(context.Background())
	cmd := shardCmd(ctx, victim)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(2 * time.Minute)
	for lines(shardFile(victim)) < 1 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	cancel() // SIGKILL
	cmd.Wait()
	slow.Store(false)
	got := mergeAll()
	p := problems(got)
	if len(p) != 1 || !strings.HasPrefix(p[0], fmt.Sprintf("shard %d: ", victim)) {
		t.Fatalf("after killing shard %d, the merge's incomplete shards are %v", victim, p)
	}
	t.Logf("killed shard %d: %s", victim, p[0])

	// And once more, to the end.
	if out, err := shardCmd(context.Background(), victim).CombinedOutput(); err != nil {
		t.Fatalf("shard %d again: %v\n%s", victim, err, out)
	}
	everySiteOnce(mergeAll())
}

func lines(path string) int {
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 64<<20)
	for sc.Scan() {
		n++
	}
	return n
}

func mib(kib []int64) []string {
	var out []string
	for _, k := range kib {
		out = append(out, fmt.Sprintf("%.0f", float64(k)/1024))
	}
	return out
}
