// Package proc reads what the crawl benchmark's programs report about
// themselves: resident memory and CPU time (Linux). bench/audit/colly keeps
// its own copy: it is a separate module, so that colly never enters
// agentready's go.mod.
package proc

import (
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// RSSKiB reads a field of /proc/self/status ("VmRSS", "VmHWM"), in KiB;
// 0 when it cannot be read.
func RSSKiB(field string) int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			if f := strings.Fields(v); len(f) > 0 {
				n, _ := strconv.ParseInt(f[0], 10, 64)
				return n
			}
		}
	}
	return 0
}

// CPUSeconds is the user and system CPU time the process used.
func CPUSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}
