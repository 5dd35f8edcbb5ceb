// Command raw fetches the benchmark site's pages with net/http alone, at the
// same concurrency, without parsing or discovery: the ceiling this machine
// and the site server allow, against which the crawlers are also compared.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/agentready/agentready/bench/audit/internal/proc"
)

func main() {
	url := flag.String("url", "", "start URL")
	pages := flag.Int("pages", 5000, "pages to fetch")
	conc := flag.Int("concurrency", 16, "requests in flight")
	flag.Parse()
	tr := &http.Transport{MaxIdleConnsPerHost: *conc}
	client := &http.Client{Transport: tr}
	var next, ok atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range *conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1) - 1
				if i >= int64(*pages) {
					return
				}
				u := strings.TrimSuffix(*url, "/") + fmt.Sprintf("/p/%d.html", i)
				if i == 0 {
					u = *url
				}
				resp, err := client.Get(u)
				if err != nil {
					log.Fatal(err)
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode == 200 {
					ok.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	secs := time.Since(start).Seconds()
	json.NewEncoder(os.Stdout).Encode(map[string]any{"tool": "raw", "pages": ok.Load(), "seconds": secs,
		"pagesPerSec": float64(ok.Load()) / secs, "peakRSSMiB": float64(proc.RSSKiB("VmHWM")) / 1024, "cpuSeconds": proc.CPUSeconds()})
}
