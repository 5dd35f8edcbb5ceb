package checks

import (
	"fmt"
	"slices"
	"time"

	"github.com/agentready/agentready/report"
)

func init() {
	register(
		&Check{ID: "compression", Title: "Text responses are compressed", FailTitle: "Text responses are not compressed", PartTitle: "Some text responses are not compressed",
			Category: Efficiency, Weight: 2, Severity: report.Info, Needs: []string{"pages"}, Since: "0.1.0", HostOnly: true, Run: checkCompression},
		&Check{ID: "caching-validators", Title: "Pages carry cache validators", FailTitle: "Pages carry no ETag or Last-Modified", PartTitle: "Some pages carry no ETag or Last-Modified",
			Category: Efficiency, Weight: 2, Severity: report.Info, Needs: []string{"pages"}, Since: "0.1.0", HostOnly: true, Run: checkValidators},
		&Check{ID: "time-to-first-byte", Title: "Pages answer quickly", FailTitle: "Pages answer slowly",
			Category: Efficiency, Weight: 1, Severity: report.Info, Needs: []string{"pages"}, Since: "0.1.0", HostOnly: true, Run: checkTTFB},
	)
}

func checkCompression(p *Pass) Result {
	var fs pageFindings
	pass, total := 0, 0
	for _, pg := range p.HTMLPages() {
		if pg.Bytes < 1024 {
			continue
		}
		total++
		if pg.Encoding() != "" {
			pass++
			continue
		}
		fs.addf(pageURL(pg), report.Info, "%d KiB of HTML sent uncompressed (no gzip, br or zstd)", pg.Bytes>>10)
	}
	r := share(pass, total, "HTML page over 1 KiB", "HTML pages over 1 KiB")
	r.Findings = p.sitewide(fs, pass, total, report.Info, "no page over 1 KiB is sent compressed (gzip, br or zstd)")
	return r
}

func checkValidators(p *Pass) Result {
	var fs pageFindings
	pages := p.HTMLPages()
	pass := 0
	for _, pg := range pages {
		if pg.Header.Get("ETag") != "" || pg.Header.Get("Last-Modified") != "" {
			pass++
			continue
		}
		fs.add(pageURL(pg), report.Info, "no ETag or Last-Modified: agents re-download the page instead of revalidating it (304)")
	}
	r := share(pass, len(pages), "HTML page", "HTML pages")
	r.Findings = p.sitewide(fs, pass, len(pages), report.Info, "no page sends ETag or Last-Modified: agents re-download pages instead of revalidating them (304)")
	return r
}

// TTFB thresholds: full marks at or under good, none at or over poor.
const (
	ttfbGood = 600 * time.Millisecond
	ttfbPoor = 3 * time.Second
)

// Percentile returns the p-th percentile (0..100) of ds, nearest rank.
func Percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(p/100*float64(len(s))+0.5) - 1
	return s[min(len(s)-1, max(0, i))]
}

func checkTTFB(p *Pass) Result {
	var ds []time.Duration
	for _, pg := range p.Pages() {
		if pg.Error == "" && pg.Timing().FirstByte > 0 {
			ds = append(ds, pg.Timing().FirstByte)
		}
	}
	if len(ds) == 0 {
		return NA("no timings")
	}
	p50, p90 := Percentile(ds, 50), Percentile(ds, 90)
	detail := fmt.Sprintf("p50 %s, p90 %s over %s", p50.Round(time.Millisecond), p90.Round(time.Millisecond), count(len(ds), "response", "responses"))
	s := 1 - float64(p90-ttfbGood)/float64(ttfbPoor-ttfbGood)
	var fs []report.Finding
	if p90 > ttfbGood {
		f := finding(p.Site.Origin, report.Info, "time to first byte: %s", detail)
		f.Key = "slow" // the figures change each run
		fs = append(fs, f)
	}
	return Score(s, detail, fs...)
}
