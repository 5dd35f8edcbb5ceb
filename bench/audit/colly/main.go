// Command colly crawls the benchmark site with gocolly/colly v2 at the same
// concurrency, parsing every page (OnHTML) to follow its links, and prints
// one JSON line in the same shape as the agentready program. It is its own
// module so that colly never enters agentready's go.mod.
package main

import (
	"encoding/json"
	"flag"
	"log"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/gocolly/colly/v2"
)

func main() {
	url := flag.String("url", "", "start URL")
	pages := flag.Int("pages", 5000, "pages to crawl")
	conc := flag.Int("concurrency", 16, "requests in flight")
	flag.Parse()
	host := strings.TrimSuffix(strings.TrimPrefix(*url, "http://"), "/")
	hostname := host[:strings.LastIndexByte(host, ':')]
	c := colly.NewCollector(
		colly.Async(true),
		colly.AllowedDomains(hostname),
		colly.IgnoreRobotsTxt(), // agentready fetches and obeys robots.txt; colly's default is to ignore it
		colly.MaxRequests(uint32(*pages)),
	)
	c.Limit(&colly.LimitRule{DomainGlob: "*", Parallelism: *conc})
	var n, errs atomic.Int64
	var rss1000 atomic.Int64
	c.OnHTML("html", func(e *colly.HTMLElement) {
		_ = e.ChildText("title")
		e.ForEach("a[href], link[rel=canonical]", func(_ int, a *colly.HTMLElement) {
			e.Request.Visit(a.Attr("href"))
		})
		if n.Add(1) == 1000 {
			rss1000.Store(rssKiB("VmRSS"))
		}
	})
	c.OnError(func(*colly.Response, error) { errs.Add(1) })
	start := time.Now()
	if err := c.Visit(*url); err != nil {
		log.Fatal(err)
	}
	c.Wait()
	secs := time.Since(start).Seconds()
	ok := n.Load()
	json.NewEncoder(os.Stdout).Encode(map[string]any{
		"tool": "colly", "pages": ok, "seconds": secs, "pagesPerSec": float64(ok) / secs,
		"peakRSSMiB": float64(rssKiB("VmHWM")) / 1024, "cpuSeconds": cpuSeconds(), "rssAt1000MiB": float64(rss1000.Load()) / 1024,
		"rssAtEndMiB": float64(rssKiB("VmRSS")) / 1024, "errors": errs.Load(),
	})
}

func rssKiB(field string) int64 {
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

// cpuSeconds is the user and system CPU time the process used.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}
