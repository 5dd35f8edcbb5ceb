package crawl

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"testing"
	"time"
	"unsafe"

	"github.com/agentready/agentready/audit/robots"
)

// TestSiteJSON pins the JSON form of a Site: testdata/site.json was written
// by the struct layout before pages were made compact (fields in struct
// order), and the compact layout must write the same bytes.
func TestSiteJSON(t *testing.T) {
	at := time.Date(2026, 11, 26, 20, 0, 0, 123456000, time.UTC)
	full := &Page{Response: Response{URL: "https://e.test/a", FinalURL: "https://e.test/b", Status: 200,
		Header: http.Header{"Content-Type": {"text/html; charset=iso-8859-1"}}, ContentType: "text/html",
		Body: []byte("x"), Bytes: 1234, Truncated: true, Error: "boom", Attempts: 2},
		Depth: 3, Source: "link", Referrer: "https://e.test/", LinkCount: 2}
	full.SetRedirects([]Redirect{{URL: "https://e.test/a", Status: 301, Location: "/b"}})
	full.SetCoding("windows-1252", "gzip")
	full.SetTiming(Timing{Connect: 1500 * time.Microsecond, FirstByte: 20 * time.Millisecond, Total: 31 * time.Millisecond})
	full.SetFetched(at)
	full.SetSkipped("robots")
	full.SetRobots(robots.Verdict{Allowed: true, Group: "*", Rule: "allow: /", Line: 4})
	full.SetAgents([]AgentVerdict{{Agent: "GPTBot", Verdict: robots.Verdict{Group: "gptbot", Rule: "disallow: /", Line: 2}}})
	full.SetLinks([]string{"https://e.test/x", "https://e.test/y"})
	md := &Response{URL: "https://e.test/a", FinalURL: "https://e.test/a", Status: 406, Attempts: 1}
	md.SetFetched(at)
	full.SetVariant("markdown", md)
	full.SetFact("title", "T")
	full.SetFact("b", 1)
	empty := &Page{Response: Response{URL: "https://e.test/c", FinalURL: "https://e.test/c"}}
	rf := &RobotsFile{Response: Response{URL: "https://e.test/robots.txt", FinalURL: "https://e.test/robots.txt", Status: 200, Attempts: 1},
		Semantics: "parsed", Ignored: true}
	rf.SetFetched(at)
	sm := &Sitemap{Response: Response{URL: "https://e.test/sitemap.xml", FinalURL: "https://e.test/sitemap.xml", Status: 200},
		Index: true, From: "robots", Count: 7, ParseError: "bad"}
	sm.SetFetched(at)
	site := &Site{Origin: "https://e.test", Pages: []*Page{full, empty}, Robots: rf, Sitemaps: []*Sitemap{sm},
		Extras: map[string]*Response{"llms": {URL: "https://e.test/llms.txt", Status: 404}}}
	got, err := json.MarshalIndent(site, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("testdata/site.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("JSON changed:\n%s\nwant:\n%s", got, want)
	}
	// A page's facts and rare fields read back as they were set.
	if full.Fact("title") != "T" || full.Fact("none") != nil || len(full.Facts()) != 2 || full.Skipped() != "robots" ||
		full.Variant("markdown") != md || full.Variant("none") != nil || len(full.Links()) != 2 || full.Charset() != "windows-1252" ||
		full.Encoding() != "gzip" || full.Robots().Line != 4 || !full.Fetched().Equal(at) || full.Timing().Connect != 1500*time.Microsecond {
		t.Errorf("accessors: %+v", full)
	}
	if empty.rare != nil || empty.Skipped() != "" || empty.Variants() != nil || empty.Redirects() != nil || !empty.Fetched().IsZero() ||
		empty.Robots() != (robots.Verdict{}) || empty.Facts() != nil {
		t.Errorf("an empty page reads as not empty: %+v", empty)
	}
	full.SetFact("title", "U")
	if full.Fact("title") != "U" || full.nfacts != 2 {
		t.Errorf("SetFact of an existing key: %+v", full.factList())
	}
}

// TestPageSize pins the size of the per-page record that a crawl retains
// for every page until the checks run (issue 5: RSS at 5,000 pages at most
// 20% above RSS at 1,000). A field added to Page or Response must go
// behind the rare pointer unless most pages have it.
func TestPageSize(t *testing.T) {
	if n := unsafe.Sizeof(Response{}); n > 144 {
		t.Errorf("Response is %d bytes, want at most 144", n)
	}
	if n := unsafe.Sizeof(Page{}); n > 208 {
		t.Errorf("Page is %d bytes, want at most 208 (a 208-byte allocation; it was 416)", n)
	}
}
