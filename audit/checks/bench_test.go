package checks

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	xhtml "golang.org/x/net/html"

	"github.com/agentready/agentready/audit/crawl"
)

// syntheticPage is a ~30 KB article page with JSON-LD, microdata-free
// markup, OpenGraph and ten links into a site of n pages.
func syntheticPage(i, n int) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Page %d</title>
<meta name="description" content="Synthetic page %d."><link rel="canonical" href="/p/%d.html">
<meta property="og:title" content="Page %d"><meta property="og:type" content="article">
<script type="application/ld+json">{"@context":"https://schema.org","@type":"Article","headline":"Page %d","datePublished":"2026-01-01","author":{"@type":"Person","name":"A"}}</script>
</head><body><nav>`, i, i, i, i, i)
	for k := 1; k <= 10; k++ {
		fmt.Fprintf(&b, `<a href="/p/%d.html">Page %d</a> `, (i*7+k*k*13)%n, k)
	}
	b.WriteString(`</nav><main><h1>Synthetic article</h1>`)
	for b.Len() < 30<<10 {
		b.WriteString(`<p>Agents read this paragraph of plain text to see whether the crawler and the checks keep up with a large site; it has <a href="/about.html">a link</a> and <em>some</em> markup.</p>` + "\n")
	}
	b.WriteString(`</main></body></html>`)
	return []byte(b.String())
}

// syntheticSite serves n pages with a fixed latency per response.
func syntheticSite(n int, latency time.Duration) *httptest.Server {
	pages := make([][]byte, n)
	for i := range pages {
		pages[i] = syntheticPage(i, n)
	}
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(latency)
		var i int
		switch {
		case r.URL.Path == "/":
			i = 0
		case strings.HasPrefix(r.URL.Path, "/p/"):
			if _, err := fmt.Sscanf(r.URL.Path, "/p/%d.html", &i); err != nil || i < 0 || i >= n {
				http.NotFound(w, r)
				return
			}
		case r.URL.Path == "/robots.txt":
			w.Header().Set("Content-Type", "text/plain")
			fmt.Fprint(w, "User-agent: *\nAllow: /\nContent-Signal: ai-train=no\n")
			return
		default:
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(pages[i])
	}))
}

// BenchmarkAuditSite crawls a 1,000-page synthetic site (30 KB pages, 20 ms
// latency, concurrency 16, no rate limit) with every check on and reports
// pages/s for the crawl and the time Run takes; compare with
// BenchmarkCrawlOnly.
//
//	go test ./audit/checks -run XXX -bench 'AuditSite|CrawlOnly' -benchtime 3x
func BenchmarkAuditSite(b *testing.B) { benchCrawl(b, true) }
func BenchmarkCrawlOnly(b *testing.B) { benchCrawl(b, false) }

func benchCrawl(b *testing.B, withChecks bool) {
	const n = 1000
	srv := syntheticSite(n, 20*time.Millisecond)
	defer srv.Close()
	var pages int
	var heap uint64
	var crawlTime, run time.Duration
	for b.Loop() {
		o := crawl.Options{MaxPages: n + 1, Concurrency: 16, Rate: -1, NoSitemaps: true}
		if withChecks {
			Configure(&o)
		}
		t0 := time.Now()
		sites, err := crawl.Crawl(context.Background(), []crawl.Target{{URL: srv.URL + "/"}}, o)
		if err != nil {
			b.Fatal(err)
		}
		crawlTime += time.Since(t0)
		pages += len(sites[0].Pages)
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		heap = max(heap, ms.HeapAlloc)
		runtime.KeepAlive(sites)
		if withChecks {
			t1 := time.Now()
			res := Run(sites[0], Options{})
			run += time.Since(t1)
			if len(res.Checks) != len(Selected(ProfileAuto)) {
				b.Fatal("checks missing")
			}
		}
	}
	b.ReportMetric(float64(pages)/crawlTime.Seconds(), "pages/s")
	b.ReportMetric(float64(heap)/(1<<20), "heap-MiB")
	if withChecks {
		b.ReportMetric(float64(run.Milliseconds())/float64(b.N), "run-ms/op")
	}
}

// BenchmarkFacts measures the per-page extraction the crawler runs on the
// document it has already parsed.
func BenchmarkFacts(b *testing.B) {
	page := syntheticPage(1, 1000)
	doc, err := xhtml.Parse(bytes.NewReader(page))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(page)))
	for b.Loop() {
		Facts(200, http.Header{}, "text/html", "http://bench.test/p/1.html", page, doc)
	}
}

// BenchmarkRun measures the checks and scoring over a 1,000-page site
// model (no network): what an audit adds after the crawl.
func BenchmarkRun(b *testing.B) {
	const n = 1000
	site := &crawl.Site{Origin: "http://bench.test", Target: "http://bench.test/", Extras: map[string]*crawl.Response{}}
	for i := 0; i < n; i++ {
		u := fmt.Sprintf("http://bench.test/p/%d.html", i)
		body := syntheticPage(i, n)
		pg := &crawl.Page{Response: crawl.Response{URL: u, FinalURL: u, Status: 200, ContentType: "text/html", Header: http.Header{}, Bytes: int64(len(body))},
			Source: "link"}
		pg.SetTiming(crawl.Timing{FirstByte: time.Duration(i%50) * time.Millisecond})
		if i == 0 {
			pg.Source = "start"
		}
		SetFacts(pg, Facts(200, pg.Header, pg.ContentType, u, body, nil)) // stored as the crawl stores them
		site.Pages = append(site.Pages, pg)
	}
	for b.Loop() {
		Run(site, Options{})
	}
}
