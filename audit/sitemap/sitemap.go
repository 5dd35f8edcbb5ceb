// Package sitemap reads sitemaps (https://www.sitemaps.org/protocol.html):
// XML url sets, sitemap indexes and plain-text lists of URLs, gzipped or not,
// within the protocol's limits of 50,000 URLs and 50 MB per file.
package sitemap

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"golang.org/x/net/html/charset"
)

// Protocol limits per file.
const (
	MaxURLs  = 50_000
	MaxBytes = 50 << 20
)

// Sitemap is a parsed sitemap file.
type Sitemap struct {
	// Index is set for a <sitemapindex>; its URLs are other sitemaps.
	Index bool
	// Format is "xml" or "text".
	Format string
	// URLs are the <loc> values (or text lines) in order, at most the
	// maximum given to Parse.
	URLs []string
	// Truncated is set when the file had more entries than the maximum, or
	// was longer than MaxBytes (uncompressed); reading stopped there.
	Truncated bool
	// Gzip is set when the file was gzip-compressed.
	Gzip bool
	// LastMod summarises the <lastmod> values of the entries read.
	LastMod LastMod
}

// LastMod summarises the <lastmod> values of a sitemap's entries (<url> or
// <sitemap>): how many have one, and which are not W3C datetimes
// (https://www.w3.org/TR/NOTE-datetime) or lie in the future.
type LastMod struct {
	// Entries counts the entries read; With those that have a <lastmod>.
	Entries int `json:"entries"`
	With    int `json:"with"`
	// Invalid and Future count the values that are not W3C datetimes and
	// those more than a day after the time of parsing; InvalidExamples and
	// FutureExamples are the first few, as "value (loc)".
	Invalid         int      `json:"invalid,omitempty"`
	InvalidExamples []string `json:"invalidExamples,omitempty"`
	Future          int      `json:"future,omitempty"`
	FutureExamples  []string `json:"futureExamples,omitempty"`
	// Latest is the latest valid value that is not in the future.
	Latest time.Time `json:"latest,omitzero"`
}

// maxLastModExamples bounds the examples LastMod keeps.
const maxLastModExamples = 3

// w3cLayouts are the six forms of a W3C datetime, with fractional seconds
// optional in the last.
var w3cLayouts = []string{"2006", "2006-01", "2006-01-02", "2006-01-02T15:04Z07:00", "2006-01-02T15:04:05Z07:00", "2006-01-02T15:04:05.999999999Z07:00"}

// ParseW3CDatetime parses a W3C datetime (the profile of ISO 8601 that
// sitemaps use): YYYY, YYYY-MM, YYYY-MM-DD, or a date with hh:mm,
// hh:mm:ss or hh:mm:ss.s and a time zone (Z or +hh:mm). A time without a
// time zone is invalid.
func ParseW3CDatetime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if len(s) < 4 || len(s) > 40 {
		return time.Time{}, false
	}
	for _, l := range w3cLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

func (l *LastMod) add(value, loc string, now time.Time) {
	l.With++
	t, ok := ParseW3CDatetime(value)
	ex := func(v string) string {
		if len(v) > 64 {
			v = v[:64] + "…"
		}
		if loc == "" {
			return fmt.Sprintf("%q", v)
		}
		return fmt.Sprintf("%q (%s)", v, loc)
	}
	switch {
	case !ok:
		l.Invalid++
		if len(l.InvalidExamples) < maxLastModExamples {
			l.InvalidExamples = append(l.InvalidExamples, ex(value))
		}
	case t.After(now.Add(24 * time.Hour)):
		l.Future++
		if len(l.FutureExamples) < maxLastModExamples {
			l.FutureExamples = append(l.FutureExamples, ex(value))
		}
	case t.After(l.Latest):
		l.Latest = t
	}
}

// ErrNotSitemap is returned for XML documents whose root is neither
// <urlset> nor <sitemapindex> (an HTML error page, an RSS feed).
var ErrNotSitemap = errors.New("not a sitemap: the root element is neither <urlset> nor <sitemapindex>")

// Parse reads a sitemap from r, keeping at most max URLs (MaxURLs when
// max <= 0 or larger). Gzip input is detected by its magic bytes. Reading
// stops after max URLs or MaxBytes of uncompressed input, with Truncated set.
// An error says where the file stopped making sense (line and column for
// XML); the URLs read before it are still returned.
func Parse(r io.Reader, max int) (*Sitemap, error) {
	return ParseLimit(r, max, MaxBytes)
}

// ParseLimit is Parse with a smaller byte limit than MaxBytes (a crawler's
// memory budget); maxBytes <= 0 or above MaxBytes means MaxBytes.
func ParseLimit(r io.Reader, max int, maxBytes int64) (*Sitemap, error) {
	return ParseAt(r, max, maxBytes, time.Now())
}

// ParseAt is ParseLimit with the time that <lastmod> values are compared
// with (a value more than a day later is in the future).
func ParseAt(r io.Reader, max int, maxBytes int64, now time.Time) (*Sitemap, error) {
	if maxBytes <= 0 || maxBytes > MaxBytes {
		maxBytes = MaxBytes
	}
	if max <= 0 || max > MaxURLs {
		max = MaxURLs
	}
	sm := &Sitemap{}
	br := bufio.NewReader(r)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return sm, fmt.Errorf("gzip: %w", err)
		}
		defer zr.Close()
		sm.Gzip = true
		br = bufio.NewReader(zr)
	}
	lr := &limitReader{r: br, n: maxBytes}
	in := bufio.NewReader(lr)
	first, err := firstNonSpace(in)
	if err != nil {
		if err == io.EOF {
			return sm, errors.New("empty sitemap")
		}
		return sm, err
	}
	if first != '<' {
		sm.Format = "text"
		err = parseText(in, sm, max)
	} else {
		sm.Format = "xml"
		err = parseXML(in, sm, max, now)
	}
	if lr.hit {
		sm.Truncated = true
		if err != nil {
			// The cut mid-document is what made the parser fail.
			err = nil
		}
	}
	return sm, err
}

// limitReader is io.LimitReader that remembers that it hit the limit.
type limitReader struct {
	r   io.Reader
	n   int64
	hit bool
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.n <= 0 {
		// Probe whether there was more.
		var b [1]byte
		if n, _ := l.r.Read(b[:]); n > 0 {
			l.hit = true
		}
		return 0, io.EOF
	}
	if int64(len(p)) > l.n {
		p = p[:l.n]
	}
	n, err := l.r.Read(p)
	l.n -= int64(n)
	return n, err
}

func firstNonSpace(r *bufio.Reader) (byte, error) {
	// Skip a UTF-8 BOM and leading whitespace.
	for {
		b, err := r.Peek(1)
		if err != nil {
			return 0, err
		}
		switch b[0] {
		case ' ', '\t', '\r', '\n':
			r.ReadByte()
			continue
		case 0xEF:
			if bom, _ := r.Peek(3); bytes.Equal(bom, []byte{0xEF, 0xBB, 0xBF}) {
				r.Discard(3)
				continue
			}
		}
		return b[0], nil
	}
}

func parseText(r *bufio.Reader, sm *Sitemap, max int) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 64<<10)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		if len(sm.URLs) == max {
			sm.Truncated = true
			return nil
		}
		sm.URLs = append(sm.URLs, line)
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("text sitemap, after %d URLs: %w", len(sm.URLs), err)
	}
	return nil
}

func parseXML(r io.Reader, sm *Sitemap, max int, now time.Time) error {
	d := xml.NewDecoder(r)
	d.Strict = false
	d.CharsetReader = charset.NewReaderLabel
	var stack []string
	var loc, lastmod strings.Builder
	inLoc, inLastmod, hasLastmod := false, false, false
	entryLoc := ""
	root := ""
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			if root == "" {
				return ErrNotSitemap
			}
			return nil
		}
		if err != nil {
			line, col := d.InputPos()
			return fmt.Errorf("xml at line %d, column %d: %w", line, col, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := strings.ToLower(t.Name.Local)
			if root == "" {
				root = name
				switch root {
				case "urlset":
				case "sitemapindex":
					sm.Index = true
				default:
					return fmt.Errorf("%w (found <%s>)", ErrNotSitemap, t.Name.Local)
				}
			}
			if len(stack) > 64 {
				line, col := d.InputPos()
				return fmt.Errorf("xml at line %d, column %d: elements nested too deeply", line, col)
			}
			stack = append(stack, name)
			if len(stack) == 2 && (name == "url" || name == "sitemap") {
				entryLoc, hasLastmod = "", false
				lastmod.Reset()
			}
			if len(stack) == 3 && (stack[1] == "url" || stack[1] == "sitemap") {
				switch name {
				case "loc":
					inLoc = true
					loc.Reset()
				case "lastmod":
					inLastmod, hasLastmod = true, true
					lastmod.Reset()
				}
			}
		case xml.CharData:
			if inLoc && loc.Len() < 8<<10 {
				loc.Write(t)
			}
			if inLastmod && lastmod.Len() < 256 {
				lastmod.Write(t)
			}
		case xml.EndElement:
			if inLastmod && strings.EqualFold(t.Name.Local, "lastmod") {
				inLastmod = false
			}
			if len(stack) == 2 && (strings.EqualFold(t.Name.Local, "url") || strings.EqualFold(t.Name.Local, "sitemap")) {
				sm.LastMod.Entries++
				if hasLastmod {
					sm.LastMod.add(lastmod.String(), entryLoc, now)
				}
			}
			if inLoc && strings.EqualFold(t.Name.Local, "loc") {
				inLoc = false
				if u := strings.TrimSpace(loc.String()); u != "" {
					entryLoc = u
					if len(sm.URLs) == max {
						sm.Truncated = true
						return nil
					}
					sm.URLs = append(sm.URLs, u)
				}
			}
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		}
	}
}
