// Command peak runs a command and prints its wall time and the peak memory
// of its whole process tree (the command and every descendant, a browser's
// processes included), sampled from /proc every 50 ms: the sum of resident
// set sizes (shared pages counted in every process) and the sum of
// proportional set sizes (shared pages split between the processes that
// share them, what the tree costs the machine). The largest single
// process's peak (rusage) is a floor for both, so that a run shorter than
// a sample is measured too.
//
//	peak CMD [ARGS...]   prints "seconds rss-MiB pss-MiB"
package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: peak CMD [ARGS...]")
		os.Exit(2)
	}
	cmd := exec.Command(os.Args[1], os.Args[2:]...)
	start := time.Now()
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var maxRSS, maxPSS int64
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		rss, pss := tree(cmd.Process.Pid)
		maxRSS, maxPSS = max(maxRSS, rss), max(maxPSS, pss)
		select {
		case <-done:
			// A run shorter than the sampling may end unsampled: the
			// largest single process's peak (rusage) is a floor.
			if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
				maxRSS = max(maxRSS, ru.Maxrss<<10)
				maxPSS = max(maxPSS, min(maxRSS, ru.Maxrss<<10))
			}
			fmt.Printf("%.2f %d %d\n", time.Since(start).Seconds(), maxRSS>>20, maxPSS>>20)
			return
		case <-tick.C:
		}
	}
}

// tree sums RSS and PSS over root and its descendants.
func tree(root int) (rss, pss int64) {
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	parent := map[int]int{}
	for _, p := range stats {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		i := bytes.LastIndexByte(b, ')')
		if i < 0 {
			continue
		}
		id, _ := strconv.Atoi(strings.TrimSpace(string(b[:bytes.IndexByte(b, '(')])))
		f := bytes.Fields(b[i+1:])
		if len(f) < 2 {
			continue
		}
		parent[id], _ = strconv.Atoi(string(f[1]))
	}
	for id := range parent {
		for p, n := id, 0; p > 0 && n < 64; p, n = parent[p], n+1 {
			if p == root {
				r, s := mem(id)
				rss += r
				pss += s
				break
			}
		}
	}
	return rss, pss
}

// mem reads a process's Rss and Pss (bytes) from smaps_rollup.
func mem(pid int) (rss, pss int64) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/smaps_rollup", pid))
	if err != nil {
		return 0, 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if len(fs) < 2 {
			continue
		}
		v, _ := strconv.ParseInt(fs[1], 10, 64)
		switch fs[0] {
		case "Rss:":
			rss = v << 10
		case "Pss:":
			pss = v << 10
		}
	}
	return rss, pss
}
