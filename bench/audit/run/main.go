// Command run is the crawl benchmark's driver (see bench/audit.sh): it
// starts the synthetic site, crawls it with agentready and with colly in
// turn, -runs times each, and prints the medians, the ratios and the
// issue's targets (at least 85% of the ideal concurrency/latency bound,
// peak RSS under 150 MiB, RSS at the last page at most 20% above RSS at
// page 1,000, and not slower than colly).
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"time"
)

type result struct {
	Tool         string  `json:"tool"`
	Pages        int     `json:"pages"`
	Seconds      float64 `json:"seconds"`
	PagesPerSec  float64 `json:"pagesPerSec"`
	PeakRSSMiB   float64 `json:"peakRSSMiB"`
	RSSAt1000MiB float64 `json:"rssAt1000MiB"`
	RSSAtEndMiB  float64 `json:"rssAtEndMiB"`
	// RSSAfterCrawlMiB is RSS when the crawl returned, before the checks
	// ran (the same as RSSAtEndMiB without checks).
	RSSAfterCrawlMiB float64 `json:"rssAfterCrawlMiB"`
	CPUSeconds       float64 `json:"cpuSeconds"`
	// Requests is every request the crawl made (robots.txt, pages, and
	// with the checks their well-known paths and variants); 0 for the
	// programs that do not count them.
	Requests int `json:"requests"`
}

func main() {
	site := flag.String("site", "", "site server binary")
	ar := flag.String("agentready", "", "agentready crawler binary")
	colly := flag.String("colly", "", "colly crawler binary (empty: skip)")
	raw := flag.String("raw", "", "net/http fetch-only binary, the machine's ceiling (empty: skip)")
	pages := flag.Int("pages", 5000, "pages")
	conc := flag.Int("concurrency", 16, "concurrency")
	latency := flag.Duration("latency", 20*time.Millisecond, "server latency")
	runs := flag.Int("runs", 3, "runs per tool")
	withChecks := flag.String("agentready-checks", "", "agentready crawler binary built with -tags checks: every audit check on (empty: skip)")
	flag.Parse()

	srv := exec.Command(*site, "-pages", strconv.Itoa(*pages), "-latency", latency.String())
	out, err := srv.StdoutPipe()
	if err != nil {
		log.Fatal(err)
	}
	srv.Stderr = os.Stderr
	if err := srv.Start(); err != nil {
		log.Fatal(err)
	}
	defer srv.Process.Kill()
	url, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		log.Fatal(err)
	}
	url = url[:len(url)-1]

	tools := [][]string{{*ar}}
	if *withChecks != "" {
		tools = append(tools, []string{*withChecks})
	}
	if *colly != "" {
		tools = append(tools, []string{*colly})
	}
	if *raw != "" {
		tools = append(tools, []string{*raw})
	}
	all := map[string][]result{}
	for i := range *runs {
		for _, tool := range tools {
			bin := tool[0]
			var stdout bytes.Buffer
			args := append([]string{"-url", url, "-pages", strconv.Itoa(*pages), "-concurrency", strconv.Itoa(*conc)}, tool[1:]...)
			cmd := exec.Command(bin, args...)
			cmd.Stdout, cmd.Stderr = &stdout, os.Stderr
			if err := cmd.Run(); err != nil {
				log.Fatalf("%s: %v", bin, err)
			}
			var r result
			if err := json.Unmarshal(stdout.Bytes(), &r); err != nil {
				log.Fatalf("%s: %v: %s", bin, err, stdout.String())
			}
			fmt.Fprintf(os.Stderr, "run %d %-17s %5d pages %6.2fs %7.1f pages/s peak %6.1f MiB, RSS %6.1f MiB at 1000, %6.1f MiB at end\n",
				i+1, r.Tool, r.Pages, r.Seconds, r.PagesPerSec, r.PeakRSSMiB, r.RSSAt1000MiB, r.RSSAtEndMiB)
			fmt.Fprintf(os.Stderr, "      %-17s CPU %.2fs (%.3f ms/page)\n", r.Tool, r.CPUSeconds, 1000*r.CPUSeconds/float64(max(r.Pages, 1)))
			all[r.Tool] = append(all[r.Tool], r)
		}
	}
	med := func(tool string, f func(result) float64) float64 {
		var v []float64
		for _, r := range all[tool] {
			v = append(v, f(r))
		}
		slices.Sort(v)
		if len(v) == 0 {
			return 0
		}
		return v[len(v)/2]
	}
	ideal := float64(*conc) / latency.Seconds()
	fmt.Printf("crawl benchmark: %d pages of ~30 KB, %v latency, concurrency %d, no rate limit, median of %d runs\n", *pages, *latency, *conc, *runs)
	fmt.Printf("ideal bound (concurrency / latency): %.0f pages/s\n\n", ideal)
	fmt.Printf("%-17s %10s %9s %14s %14s %14s %14s %13s\n", "tool", "pages/s", "seconds", "peak RSS MiB", "RSS@1000 MiB", "RSS@crawl MiB", "RSS@end MiB", "CPU ms/page")
	for _, t := range []string{"agentready", "agentready+checks", "colly", "raw"} {
		if len(all[t]) == 0 {
			continue
		}
		fmt.Printf("%-17s %10.1f %9.2f %14.1f %14.1f %14.1f %14.1f %13.3f\n", t,
			med(t, func(r result) float64 { return r.PagesPerSec }), med(t, func(r result) float64 { return r.Seconds }),
			med(t, func(r result) float64 { return r.PeakRSSMiB }), med(t, func(r result) float64 { return r.RSSAt1000MiB }),
			med(t, func(r result) float64 { return r.RSSAfterCrawlMiB }), med(t, func(r result) float64 { return r.RSSAtEndMiB }), med(t, func(r result) float64 { return 1000 * r.CPUSeconds / float64(r.Pages) }))
	}
	pps := med("agentready", func(r result) float64 { return r.PagesPerSec })
	peak := med("agentready", func(r result) float64 { return r.PeakRSSMiB })
	growth := med("agentready", func(r result) float64 { return r.RSSAtEndMiB/r.RSSAt1000MiB - 1 })
	fmt.Println()
	check := func(ok bool, format string, args ...any) {
		mark := "PASS"
		if !ok {
			mark = "FAIL"
		}
		fmt.Printf("%s  "+format+"\n", append([]any{mark}, args...)...)
	}
	check(pps >= 0.85*ideal, "throughput %.1f pages/s = %.0f%% of the ideal %.0f (target >= 85%%)", pps, 100*pps/ideal, ideal)
	check(peak < 150, "peak RSS %.1f MiB (target < 150 MiB)", peak)
	check(growth <= 0.20, "RSS growth from page 1,000 to page %d: %+.1f%% (target <= +20%%)", *pages, 100*growth)
	if c := med("agentready+checks", func(r result) float64 { return r.PagesPerSec }); c > 0 {
		t := "agentready+checks"
		check(c >= 0.85*ideal, "with every check on: %.1f pages/s = %.0f%% of the ideal (same target)", c, 100*c/ideal)
		check(med(t, func(r result) float64 { return r.PeakRSSMiB }) < 150, "with every check on: peak RSS %.1f MiB (same target)",
			med(t, func(r result) float64 { return r.PeakRSSMiB }))
		check(med(t, func(r result) float64 { return r.RSSAtEndMiB/r.RSSAt1000MiB - 1 }) <= 0.20,
			"with every check on: RSS growth from page 1,000 to the end, checks run: %+.1f%% (same target); to the end of the crawl: %+.1f%%",
			100*med(t, func(r result) float64 { return r.RSSAtEndMiB/r.RSSAt1000MiB - 1 }),
			100*med(t, func(r result) float64 { return r.RSSAfterCrawlMiB/r.RSSAt1000MiB - 1 }))
	}
	// The ideal bound is a request rate: with the checks the crawl also
	// fetches the well-known paths and the variants, which pages/s does
	// not count.
	for _, t := range []string{"agentready", "agentready+checks"} {
		if rq := med(t, func(r result) float64 { return float64(r.Requests) }); rq > 0 {
			rps := med(t, func(r result) float64 { return float64(r.Requests) / r.Seconds })
			fmt.Printf("      %s: %.0f requests, %.1f requests/s = %.1f%% of the ideal request rate\n", t, rq, rps, 100*rps/ideal)
		}
	}
	if c := med("colly", func(r result) float64 { return r.PagesPerSec }); c > 0 {
		check(pps >= c, "agentready/colly throughput ratio %.2f (target >= 1.00)", pps/c)
		fmt.Printf("      agentready/colly peak RSS ratio %.2f\n", peak/med("colly", func(r result) float64 { return r.PeakRSSMiB }))
	}
	if cpu := med("agentready", func(r result) float64 { return r.CPUSeconds / float64(r.Pages) }); cpu > 0 {
		load, cpus := loadAvg()
		fmt.Printf("      agentready needs %.2f cores to crawl at the ideal %.0f pages/s (CPU %.3f ms/page); load average now %.1f on %d CPUs\n",
			cpu*ideal, ideal, 1000*cpu, load, cpus)
	}
	if r := med("raw", func(r result) float64 { return r.PagesPerSec }); r > 0 {
		fmt.Printf("      this machine's ceiling (net/http, no parsing): %.1f pages/s = %.0f%% of the ideal; agentready reaches %.0f%% of it\n",
			r, 100*r/ideal, 100*pps/r)
	}
}

// loadAvg is the 1-minute load average and the number of CPUs, to put
// throughput figures from a shared machine in context.
func loadAvg() (float64, int) {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0, runtime.NumCPU()
	}
	var load float64
	fmt.Sscan(string(b), &load)
	return load, runtime.NumCPU()
}
