package audit

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// BenchmarkCrawl crawls a 300-page loopback site with no latency: the
// crawler's own cost per page (fetch, decode, parse, links, extractors).
// bench/audit.sh measures throughput and memory against colly at scale.
func BenchmarkCrawl(b *testing.B) {
	const n = 300
	body := strings.Repeat("<p>filler text of an article body, about thirty kilobytes in all.</p>\n", 400)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		var i int
		fmt.Sscanf(r.URL.Path, "/p/%d", &i)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, "<!doctype html><title>p%d</title><a href=\"/p/%d\">next</a><a href=\"/p/%d\">skip</a><a href=\"/p/%d\">back</a>%s",
			i, (i+1)%n, (i*7+3)%n, (i+n-1)%n, body)
	}))
	defer srv.Close()
	o := Options{MaxPages: n, Rate: -1, Concurrency: 16, NoSitemaps: true,
		Extractors: []Extractor{ExtractorFunc{N: "title", F: func(d *Document) {
			if d.HTML != nil {
				d.Page.SetFact("title", d.HTML.Find("title").Text())
			}
		}}}}
	b.ReportAllocs()
	for b.Loop() {
		sites, err := Crawl(context.Background(), []Target{{URL: srv.URL + "/p/0"}}, o)
		if err != nil || sites[0].Stats.Pages != n {
			b.Fatalf("pages %d err %v", sites[0].Stats.Pages, err)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "pages/s")
}
