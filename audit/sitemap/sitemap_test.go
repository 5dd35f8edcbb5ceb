package sitemap

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	_ "github.com/agentready/agentready/internal/golden" // defines -update, which go test ./... -update hands every package
)

const urlset = `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>https://example.com/</loc><lastmod>2026-01-01</lastmod></url>
  <url><loc>
     https://example.com/a?x=1&amp;y=2
  </loc></url>
</urlset>`

func TestURLSet(t *testing.T) {
	sm, err := Parse(strings.NewReader(urlset), 0)
	if err != nil {
		t.Fatal(err)
	}
	if sm.Index || sm.Format != "xml" || strings.Join(sm.URLs, " ") != "https://example.com/ https://example.com/a?x=1&y=2" {
		t.Errorf("%+v", sm)
	}
}

func TestIndexGzip(t *testing.T) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	io.WriteString(zw, "\xEF\xBB\xBF<sitemapindex><sitemap><loc>https://example.com/s1.xml</loc></sitemap><sitemap><loc>https://example.com/s2.xml.gz</loc></sitemap></sitemapindex>")
	zw.Close()
	sm, err := Parse(&buf, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !sm.Index || !sm.Gzip || len(sm.URLs) != 2 {
		t.Errorf("%+v", sm)
	}
}

func TestText(t *testing.T) {
	sm, err := Parse(strings.NewReader("https://example.com/a\r\n\nhttps://example.com/b\n"), 0)
	if err != nil || sm.Format != "text" || len(sm.URLs) != 2 {
		t.Errorf("%+v %v", sm, err)
	}
}

func TestNotSitemap(t *testing.T) {
	for _, in := range []string{"<!doctype html><html><body>404</body></html>", "<rss><channel></channel></rss>"} {
		if _, err := Parse(strings.NewReader(in), 0); !errors.Is(err, ErrNotSitemap) {
			t.Errorf("%q: err = %v", in, err)
		}
	}
	if _, err := Parse(strings.NewReader(""), 0); err == nil {
		t.Error("empty input should fail")
	}
}

func TestMalformedKeepsURLs(t *testing.T) {
	sm, err := Parse(strings.NewReader("<urlset>\n<url><loc>https://example.com/1</loc></url>\n<url><loc>https://x</lo"), 0)
	if err == nil || !strings.Contains(err.Error(), "line 3") {
		t.Errorf("err = %v, want a line number", err)
	}
	if len(sm.URLs) != 1 {
		t.Errorf("urls = %v", sm.URLs)
	}
}

// A sitemap of 200,000 URLs stops at the protocol's 50,000.
func TestTooManyURLs(t *testing.T) {
	pr, pw := io.Pipe()
	go func() {
		fmt.Fprint(pw, "<urlset>")
		for i := range 200_000 {
			fmt.Fprintf(pw, "<url><loc>https://example.com/p/%d</loc></url>\n", i)
		}
		fmt.Fprint(pw, "</urlset>")
		pw.Close()
	}()
	sm, err := Parse(pr, 0)
	pr.CloseWithError(io.ErrClosedPipe) // stop the writer
	if err != nil {
		t.Fatal(err)
	}
	if len(sm.URLs) != MaxURLs || !sm.Truncated || sm.URLs[MaxURLs-1] != "https://example.com/p/49999" {
		t.Errorf("urls %d truncated %v", len(sm.URLs), sm.Truncated)
	}
}

// A gzip bomb stops at the byte limit of uncompressed input (50 MB by
// default; 4 MB here to keep the test fast).
func TestGzipBomb(t *testing.T) {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	io.WriteString(zw, "<urlset><url><loc>https://example.com/</loc></url>")
	chunk := bytes.Repeat([]byte(" "), 1<<20)
	for range 60 { // 60 MB of spaces, a few hundred KB compressed
		zw.Write(chunk)
	}
	io.WriteString(zw, "</urlset>")
	zw.Close()
	counter := &countingReader{r: &buf}
	sm, err := ParseLimit(counter, 0, 4<<20)
	if err != nil {
		t.Fatal(err)
	}
	if counter.n > 1<<20 {
		t.Errorf("read %d compressed bytes; should have stopped early", counter.n)
	}
	if !sm.Truncated || len(sm.URLs) != 1 {
		t.Errorf("truncated %v urls %v", sm.Truncated, sm.URLs)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(urlset))
	f.Add([]byte("<sitemapindex><sitemap><loc>x</loc></sitemap></sitemapindex>"))
	f.Add([]byte("https://a\nhttps://b"))
	f.Add([]byte("<?xml version='1.0' encoding='iso-8859-1'?><urlset><url><loc>\xe9</loc></url></urlset>"))
	f.Add([]byte{0x1f, 0x8b, 0, 0})
	f.Add([]byte(lastmods))
	f.Add([]byte("<urlset><url><lastmod>2026-13-99<url><lastmod>x</lastmod></url></lastmod></url></urlset>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		sm, _ := Parse(bytes.NewReader(data), 10)
		if sm == nil {
			t.Fatal("nil sitemap")
		}
		if len(sm.URLs) > 10 {
			t.Fatalf("%d URLs over the max", len(sm.URLs))
		}
		l := sm.LastMod
		if l.With > l.Entries || l.Invalid+l.Future > l.With || len(l.InvalidExamples) > maxLastModExamples || len(l.FutureExamples) > maxLastModExamples {
			t.Fatalf("inconsistent lastmod summary %+v", l)
		}
	})
}

type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

const lastmods = `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>https://example.com/</loc><lastmod>2026-11-01</lastmod></url>
  <url><loc>https://example.com/y</loc><lastmod>2026</lastmod></url>
  <url><loc>https://example.com/ym</loc><lastmod> 2026-10 </lastmod></url>
  <url><loc>https://example.com/min</loc><lastmod>2026-11-02T10:30+01:00</lastmod></url>
  <url><loc>https://example.com/sec</loc><lastmod>2026-11-03T10:30:15Z</lastmod></url>
  <url><loc>https://example.com/frac</loc><lastmod>2026-11-04T10:30:15.25-05:00</lastmod></url>
  <url><loc>https://example.com/notz</loc><lastmod>2026-11-02T10:30:00</lastmod></url>
  <url><loc>https://example.com/us</loc><lastmod>11/02/2026</lastmod></url>
  <url><loc>https://example.com/rfc1123</loc><lastmod>Mon, 02 Nov 2026 10:00:00 GMT</lastmod></url>
  <url><loc>https://example.com/month13</loc><lastmod>2026-13-01</lastmod></url>
  <url><lastmod>2031-01-01</lastmod><loc>https://example.com/future</loc></url>
  <url><loc>https://example.com/tomorrow</loc><lastmod>2026-11-27</lastmod></url>
  <url><loc>https://example.com/none</loc></url>
</urlset>`

func TestLastMod(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	sm, err := ParseAt(strings.NewReader(lastmods), 0, 0, now)
	if err != nil {
		t.Fatal(err)
	}
	l := sm.LastMod
	if l.Entries != 13 || l.With != 12 || l.Invalid != 4 || l.Future != 1 {
		t.Errorf("entries %d, with %d, invalid %d, future %d; want 13, 12, 4, 1", l.Entries, l.With, l.Invalid, l.Future)
	}
	wantInvalid := []string{`"2026-11-02T10:30:00" (https://example.com/notz)`, `"11/02/2026" (https://example.com/us)`, `"Mon, 02 Nov 2026 10:00:00 GMT" (https://example.com/rfc1123)`}
	if strings.Join(l.InvalidExamples, "|") != strings.Join(wantInvalid, "|") {
		t.Errorf("invalid examples %q", l.InvalidExamples)
	}
	// The loc after the lastmod still names the entry.
	if len(l.FutureExamples) != 1 || l.FutureExamples[0] != `"2031-01-01" (https://example.com/future)` {
		t.Errorf("future examples %q", l.FutureExamples)
	}
	if want := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC); !l.Latest.Equal(want) {
		t.Errorf("latest %v, want %v (a day ahead is tolerated)", l.Latest, want)
	}
	// A sitemap index summarises its <sitemap> entries the same way.
	sm, _ = ParseAt(strings.NewReader(`<sitemapindex><sitemap><loc>https://example.com/a.xml</loc><lastmod>2026-11-01</lastmod></sitemap><sitemap><loc>https://example.com/b.xml</loc></sitemap></sitemapindex>`), 0, 0, now)
	if sm.LastMod.Entries != 2 || sm.LastMod.With != 1 || sm.LastMod.Invalid != 0 {
		t.Errorf("index: %+v", sm.LastMod)
	}
}

func TestParseW3CDatetime(t *testing.T) {
	for s, ok := range map[string]bool{"2026": true, "2026-02": true, "2026-02-28": true, "2026-02-29": false,
		"2026-02-28T23:59Z": true, "2026-02-28T23:59:59+14:00": true, "2026-02-28T23:59:59.123456789Z": true,
		"2026-02-28T23:59:59": false, "2026-02-28 23:59:59Z": false, "26-02-28": false, "": false, "now": false} {
		if _, got := ParseW3CDatetime(s); got != ok {
			t.Errorf("ParseW3CDatetime(%q) = %v, want %v", s, got, ok)
		}
	}
}
