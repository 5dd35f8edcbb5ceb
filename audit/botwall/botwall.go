// Package botwall tells whether a fetched page is a bot wall (a CAPTCHA or
// JavaScript challenge, or a firewall's access-denied page) served instead
// of the content, or a readable page that carries a CAPTCHA widget on one of
// its forms. Detection is a pure function of the status, headers and body,
// driven by the Signatures table.
package botwall

import (
	"bytes"
	"net/http"
	"regexp"
	"slices"
	"strings"

	xhtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Kind is what a marker means.
type Kind int

// Kinds of markers, from the weakest.
const (
	Script Kind = iota
	Widget
	Challenge
	Block
)

func (k Kind) String() string {
	return [...]string{"script", "widget", "challenge", "block"}[k]
}

// Where says where a marker is looked for (a header marker sets Header).
type Where int

// Places of markers.
const (
	Body  Where = iota // the HTML, case-insensitively
	Title              // the <title> text, case-insensitively
)

// Signature is one marker of the table.
type Signature struct {
	ID     string
	Vendor string
	Kind   Kind
	// Header, when set, names the response header to look at; the marker
	// matches when the header is present and, if Contains is set, its value
	// contains Contains (case-insensitively).
	Header   string
	In       Where
	Contains string // lower case
	// Status, when set, restricts the marker to these response statuses.
	Status  []int
	Source  string
	Checked string // YYYY-MM-DD
}

// Verdict is the result of Detect.
type Verdict struct {
	// Wall is true when the page is a challenge, block or CAPTCHA page
	// served instead of content.
	Wall bool
	// Kind is the strongest kind of marker found (meaningful when Vendor is
	// set).
	Kind Kind
	// Vendor names who served the wall or widget, "" when nothing matched.
	Vendor string
	// Widget is true for a CAPTCHA widget on a readable page: reported as
	// information, not as a wall.
	Widget bool
	// Matches are the IDs of the signatures that matched.
	Matches []string
	// Words is the number of visible words of the page.
	Words int
}

// Content thresholds: a page with fewer visible words than emptyWords is
// empty; a CAPTCHA widget on a page with fewer than widgetPageWords is the
// page itself, not a widget on a form.
const (
	emptyWords      = 12
	widgetPageWords = 80
	// maxScan caps how much of a body is searched for markers.
	maxScan = 2 << 20
)

var titleRE = regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`)

// Detect classifies a response.
func Detect(status int, header http.Header, body []byte) Verdict {
	return DetectWords(status, header, body, -1)
}

// DetectWords is Detect for a caller that already counted the page's
// visible words (a negative count is computed from body).
func DetectWords(status int, header http.Header, body []byte, words int) Verdict {
	if words < 0 {
		words = VisibleWords(body)
	}
	if len(body) > maxScan {
		body = body[:maxScan]
	}
	title := ""
	if m := titleRE.FindSubmatch(body); m != nil {
		title = strings.ToLower(strings.Join(strings.Fields(xhtml.UnescapeString(string(m[1]))), " "))
	}
	inBody := scanBody(body)
	v := Verdict{Words: words}
	best := -1
	for i, s := range Signatures {
		if len(s.Status) > 0 && !slices.Contains(s.Status, status) {
			continue
		}
		if s.Header == "" && s.In == Body {
			if !inBody[i] {
				continue
			}
		} else if !s.matches(header, title) {
			continue
		}
		v.Matches = append(v.Matches, s.ID)
		if best < 0 || s.Kind > Signatures[best].Kind {
			best = i
		}
	}
	if best < 0 {
		return v
	}
	s := Signatures[best]
	v.Kind, v.Vendor = s.Kind, s.Vendor
	switch s.Kind {
	case Challenge, Block:
		v.Wall = true
	case Widget:
		if v.Words < widgetPageWords || captchaTitle(title) {
			v.Wall = true
		} else {
			v.Widget = true
		}
	case Script:
		v.Wall = v.Words < emptyWords
	}
	return v
}

func captchaTitle(t string) bool {
	for _, p := range []string{"captcha", "verify you are human", "are you a robot", "security check", "human verification"} {
		if strings.Contains(t, p) {
			return true
		}
	}
	return false
}

func (s Signature) matches(h http.Header, title string) bool {
	if s.Header != "" {
		vals := h.Values(s.Header)
		if len(vals) == 0 {
			return false
		}
		if s.Contains == "" {
			return true
		}
		for _, v := range vals {
			if strings.Contains(strings.ToLower(v), s.Contains) {
				return true
			}
		}
		return false
	}
	return s.In == Title && strings.Contains(title, s.Contains)
}

// scanStride is how far apart scanBody looks at byte pairs: at most 4, and
// less than the length of the shortest body marker, so one of every
// marker's first scanStride pairs lies on a looked-at position wherever the
// marker starts.
var scanStride = func() int {
	n := 4
	for _, s := range Signatures {
		if s.Header == "" && s.In == Body && len(s.Contains) >= 2 {
			n = min(n, len(s.Contains)-1)
		}
	}
	return n
}()

// bodySlot indexes, by a lower-case byte pair, the candidates (marker and
// offset of the pair in it) for the pair: 0 for none, else 1 + the position
// of the candidates in bodyGroups. It is a dense table, so the scan does no
// hashing.
var bodySlot, bodyGroups = func() (t *[1 << 16]uint8, groups [][]candidate) {
	m := map[int][]candidate{}
	for i, s := range Signatures {
		if s.Header != "" || s.In != Body || len(s.Contains) < 2 {
			continue
		}
		for j := 0; j < scanStride; j++ {
			k := int(s.Contains[j])<<8 | int(s.Contains[j+1])
			m[k] = append(m[k], candidate{sig: i, off: j})
		}
	}
	keys := make([]int, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	t = new([1 << 16]uint8)
	for _, k := range keys {
		groups = append(groups, m[k])
		t[k] = uint8(len(groups))
	}
	if len(groups) > 255 {
		panic("botwall: too many marker pairs for the scan table")
	}
	return t, groups
}()

type candidate struct{ sig, off int }

// lowerTable maps a byte to its ASCII lower case.
var lowerTable = func() (t [256]byte) {
	for i := range t {
		t[i] = byte(i)
		if 'A' <= i && i <= 'Z' {
			t[i] = byte(i) + 'a' - 'A'
		}
	}
	return t
}()

func lowerByte(c byte) byte { return lowerTable[c] }

// scanBody reports, by signature index, which body markers occur in body,
// case-insensitively.
func scanBody(body []byte) []bool {
	found := make([]bool, len(Signatures))
	slot, stride := bodySlot, scanStride
	for i := 0; i+1 < len(body); i += stride {
		g := slot[uint16(lowerTable[body[i]])<<8|uint16(lowerTable[body[i+1]])]
		if g == 0 {
			continue
		}
		for _, c := range bodyGroups[g-1] {
			if found[c.sig] {
				continue
			}
			start := i - c.off
			pat := Signatures[c.sig].Contains
			if start >= 0 && len(body)-start >= len(pat) && equalFoldASCII(body[start:start+len(pat)], pat) {
				found[c.sig] = true
			}
		}
	}
	return found
}

func equalFoldASCII(b []byte, lowerPat string) bool {
	for j := 0; j < len(lowerPat); j++ {
		if lowerByte(b[j]) != lowerPat[j] {
			return false
		}
	}
	return true
}

// VisibleWords counts the words of a page a reader sees: text outside
// script, style, template and head elements.
func VisibleWords(body []byte) int {
	z := xhtml.NewTokenizer(bytes.NewReader(body))
	skip := 0
	n := 0
	for {
		switch z.Next() {
		case xhtml.ErrorToken:
			return n
		case xhtml.StartTagToken:
			name, _ := z.TagName()
			switch atom.Lookup(name) {
			case atom.Script, atom.Style, atom.Template, atom.Title:
				skip++
			}
		case xhtml.EndTagToken:
			name, _ := z.TagName()
			switch atom.Lookup(name) {
			case atom.Script, atom.Style, atom.Template, atom.Title:
				if skip > 0 {
					skip--
				}
			}
		case xhtml.TextToken:
			if skip == 0 {
				n += len(bytes.Fields(z.Text()))
			}
		}
	}
}
