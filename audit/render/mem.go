package render

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"time"
)

// memWatch samples the resident memory of the browser's process tree.
type memWatch struct {
	cur, peak atomic.Int64
	done      chan struct{}
}

func (m *memWatch) start(pid int) {
	if pid <= 0 {
		return
	}
	m.done = make(chan struct{})
	done := m.done
	go func() {
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		for {
			n := treeRSS(pid)
			m.cur.Store(n)
			if n > m.peak.Load() {
				m.peak.Store(n)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
}

func (m *memWatch) stop() {
	if m.done != nil {
		close(m.done)
		m.done = nil
	}
}

// over says why no further page may be rendered: the browser holds more
// than limit MiB.
func (m *memWatch) over(limit int) string {
	if n := m.cur.Load(); n > int64(limit)<<20 {
		return fmt.Sprintf("the browser holds %d MiB, over --render-max-memory %d MiB", n>>20, limit)
	}
	return ""
}

// treeRSS is the memory of pid and its descendants, read from /proc:
// their proportional set sizes where smaps_rollup is readable, else their
// resident set sizes (0 where there is no /proc).
func treeRSS(pid int) int64 {
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	parent := map[int]int{}
	rss := map[int]int64{}
	page := int64(os.Getpagesize())
	for _, p := range stats {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		// pid (comm) state ppid ... field 24 is rss in pages; comm may
		// hold spaces and parentheses, so read after the last ')'.
		i := bytes.LastIndexByte(b, ')')
		if i < 0 {
			continue
		}
		id, _ := strconv.Atoi(string(bytes.TrimSpace(b[:bytes.IndexByte(b, '(')])))
		f := bytes.Fields(b[i+1:])
		if len(f) < 22 {
			continue
		}
		pp, _ := strconv.Atoi(string(f[1]))
		r, _ := strconv.ParseInt(string(f[21]), 10, 64)
		parent[id], rss[id] = pp, r*page
	}
	var total int64
	for id, r := range rss {
		for p, n := id, 0; p > 0 && n < 64; p, n = parent[p], n+1 {
			if p == pid {
				if s, ok := pss(id); ok {
					r = s
				}
				total += r
				break
			}
		}
	}
	return total
}

// pss is the proportional set size of a process (its shared pages split
// between the processes that share them): summed over Chromium's
// processes, RSS counts the shared ones many times over.
func pss(pid int) (int64, bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/smaps_rollup")
	if err != nil {
		return 0, false
	}
	for _, line := range bytes.Split(b, []byte("\n")) {
		if v, ok := bytes.CutPrefix(line, []byte("Pss:")); ok {
			f := bytes.Fields(v)
			if len(f) > 0 {
				n, err := strconv.ParseInt(string(f[0]), 10, 64)
				return n << 10, err == nil
			}
		}
	}
	return 0, false
}
