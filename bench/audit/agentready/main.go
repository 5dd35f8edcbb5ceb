// Command agentready crawls the benchmark site with agentready's crawler
// (crawl.Crawl) and prints one JSON line: pages, seconds, pages/s and RSS.
// Every page is parsed (the crawler parses HTML to find links and hands the
// document to the extractors; this one reads the title, as a check would;
// with every check on, the checks' own extractor reads it).
package main

import (
	"context"
	"encoding/json"
	"flag"
	"log"
	"os"
	"runtime"
	"runtime/pprof"
	"sync/atomic"
	"time"

	"github.com/agentready/agentready/audit/crawl"
	"github.com/agentready/agentready/bench/audit/internal/proc"
)

// withChecks is set by checks.go, built with -tags checks: a separate
// binary, so that the plain crawler's RSS does not include the checks'
// tables.
var withChecks *checksHooks

type checksHooks struct {
	configure func(*crawl.Options)
	run       func(*crawl.Site)
	parsed    func(*crawl.Page) bool // the page was parsed: its facts have a title
}

func main() {
	url := flag.String("url", "", "start URL")
	pages := flag.Int("pages", 5000, "pages to crawl")
	conc := flag.Int("concurrency", 16, "requests in flight")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile to `file`")
	memprofile := flag.String("memprofile", "", "write a heap profile (after a GC) to `file` once the crawl is done")
	flag.Parse()
	if *memprofile != "" {
		runtime.MemProfileRate = 1
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			log.Fatal(err)
		}
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	var n atomic.Int64
	var rss1000 atomic.Int64
	o := crawl.Options{
		MaxPages:    *pages,
		Concurrency: *conc,
		Rate:        -1, // no rate limit
		NoSitemaps:  true,
	}
	sample := func() {
		if n.Add(1) == 1000 {
			rss1000.Store(proc.RSSKiB("VmRSS"))
		}
	}
	tool := "agentready"
	parsed := func(p *crawl.Page) bool { return p.Fact("title") != "" }
	if withChecks != nil {
		// As `agentready audit` crawls: the checks' extractor reads the
		// title with the rest of a page's facts, so the page counts as
		// parsed when its facts hold one (a second title extractor would
		// be work an audit does not do).
		tool = "agentready+checks"
		withChecks.configure(&o)
		o.Extractors = append(o.Extractors, crawl.ExtractorFunc{N: "rss", F: func(*crawl.Document) { sample() }})
		parsed = withChecks.parsed
	} else {
		o.Extractors = []crawl.Extractor{crawl.ExtractorFunc{N: "title", F: func(d *crawl.Document) {
			if d.HTML != nil {
				d.Page.SetFact("title", d.HTML.Find("title").Text())
			}
			sample()
		}}}
	}
	start := time.Now()
	sites, err := crawl.Crawl(context.Background(), []crawl.Target{{URL: *url}}, o)
	if err != nil {
		log.Fatal(err)
	}
	rssCrawl := proc.RSSKiB("VmRSS")
	if withChecks != nil {
		// The checks and scoring are part of the audit's time: they run
		// after the crawl, on the site model.
		withChecks.run(sites[0])
	}
	secs := time.Since(start).Seconds()
	// Memory before counting the parsed pages: with every check on, that
	// decodes each page's facts, which the audit itself does not do here.
	peak, atEnd := proc.RSSKiB("VmHWM"), proc.RSSKiB("VmRSS")
	s := sites[0]
	ok := 0
	for _, p := range s.Pages {
		if p.Status == 200 && parsed(p) {
			ok++
		}
	}
	out := map[string]any{
		"tool": tool, "pages": ok, "seconds": secs, "pagesPerSec": float64(ok) / secs,
		"peakRSSMiB": float64(peak) / 1024, "cpuSeconds": proc.CPUSeconds(), "rssAt1000MiB": float64(rss1000.Load()) / 1024,
		"rssAtEndMiB": float64(atEnd) / 1024, "errors": s.Stats.Errors,
		"rssAfterCrawlMiB": float64(rssCrawl) / 1024, "requests": s.Stats.Requests,
	}
	json.NewEncoder(os.Stdout).Encode(out)
	if *memprofile != "" {
		f, err := os.Create(*memprofile)
		if err != nil {
			log.Fatal(err)
		}
		runtime.GC()
		pprof.WriteHeapProfile(f)
		f.Close()
	}
	if ok < *pages {
		log.Fatalf("only %d of %d pages fetched and parsed", ok, *pages)
	}
	// Keep the Site (and so every page's facts) alive until the end
	// measurement, as the audit command does.
	_ = s.Pages[len(s.Pages)-1]
}
