// Package botwall tells whether a fetched page is a bot wall (a CAPTCHA or
// JavaScript challenge, or a firewall's access-denied page) served instead
// of the content, or a readable page that carries a CAPTCHA widget on one of
// its forms. Detection is a pure function of the status, headers and body,
// driven by the Signatures table.
package botwall

import (
	"bytes"
	"net/http"
	"slices"
	"strings"
	"unicode"

	xhtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Kind is what a marker means.
type Kind int

// Kinds of markers. Their strength is rank's order (CaptchaScript, added
// last to keep the values of the others, sits between Script and Widget).
const (
	Script Kind = iota
	Widget
	Challenge
	Block
	// CaptchaScript is a CAPTCHA vendor's script without a widget on the
	// page: reCAPTCHA v3 (api.js?render=KEY), an invisible or explicitly
	// rendered widget, a script an application loads for later. No widget
	// for the reader, and no wall unless the page is a challenge page.
	CaptchaScript
)

func (k Kind) String() string {
	return [...]string{"script", "widget", "challenge", "block", "captcha script"}[k]
}

// rank orders the kinds from the weakest.
func (k Kind) rank() int { return [...]int{0, 2, 3, 4, 1}[k] }

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
	Status []int
	// Invisible marks a widget's attribute that keeps it from being shown
	// (reCAPTCHA's data-size="invisible"): a page whose widgets are all
	// invisible has only a CaptchaScript.
	Invisible bool
	Source    string
	Checked   string // YYYY-MM-DD
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
// empty (a bot manager's script on it is the whole page); a page with a
// CAPTCHA has content of its own when the text outside its forms has
// contentLetters letters or more (a heading and a line, in any script).
// Whether a CAPTCHA page is a wall is decided by its challenge wording and
// the absence of that content, not by its length.
const (
	emptyWords     = 12
	contentLetters = 20
	// maxScan caps how much of a body is searched for markers.
	maxScan = 2 << 20
)

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
	if t, ok := titleText(body); ok {
		title = strings.ToLower(strings.Join(strings.Fields(xhtml.UnescapeString(string(t))), " "))
	}
	inBody := scanBody(body)
	v := Verdict{Words: words}
	best := -1 // the strongest match, by Kind.rank
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
		if best < 0 || s.Kind.rank() > Signatures[best].Kind.rank() {
			best = i
		}
	}
	if best < 0 {
		return v
	}
	s := Signatures[best]
	v.Kind, v.Vendor = s.Kind, s.Vendor
	if s.Kind == Widget && invisibleOnly(v.Matches) {
		v.Kind = CaptchaScript
	}
	switch v.Kind {
	case Challenge, Block:
		v.Wall = true
	case Widget:
		// A widget is the page when the page asks to prove one is human or
		// has no content besides the widget's form; else it sits on a form
		// of a readable page.
		letters, text := pageContent(body)
		v.Wall = challengeTitle(title) || challengeText(text) || letters < contentLetters
		v.Widget = !v.Wall
	case CaptchaScript:
		// Only a challenge page that runs nothing but the CAPTCHA's script
		// is a wall; a JS shell that loads one is a shell.
		if challengeTitle(title) {
			letters, _ := pageContent(body)
			v.Wall = letters < contentLetters
		}
	case Script:
		// A bot manager's script is on every page it protects: the page
		// is a wall only when it has no content of its own.
		if v.Words < emptyWords {
			letters, _ := pageContent(body)
			v.Wall = letters < contentLetters
		}
	}
	return v
}

// invisibleOnly reports whether the widget markers of matches come with a
// marker that the widget is invisible, and no CAPTCHA element is visible
// otherwise (hCaptcha, Turnstile, Tencent or Friendly Captcha elements).
func invisibleOnly(matches []string) bool {
	invisible, visible := false, false
	for _, id := range matches {
		s := signatureByID[id]
		switch {
		case s.Invisible:
			invisible = true
		case s.Kind == Widget && s.Vendor != "reCAPTCHA":
			visible = true
		}
	}
	return invisible && !visible
}

var signatureByID = func() map[string]Signature {
	m := map[string]Signature{}
	for _, s := range Signatures {
		m[s.ID] = s
	}
	return m
}()

// pageContent measures the content of a page outside its forms: the
// letters and digits of its visible text (outside script, style, template,
// title, noscript and form elements) and that text, lower case, up to
// maxContentText bytes, for challengeWording.
func pageContent(body []byte) (letters int, text string) {
	const maxContentText = 8 << 10
	z := xhtml.NewTokenizer(bytes.NewReader(body))
	skip := 0
	var sb strings.Builder
	for {
		switch z.Next() {
		case xhtml.ErrorToken:
			return letters, strings.ToLower(sb.String())
		case xhtml.StartTagToken:
			name, _ := z.TagName()
			switch atom.Lookup(name) {
			case atom.Script, atom.Style, atom.Template, atom.Title, atom.Noscript, atom.Form:
				skip++
			}
		case xhtml.EndTagToken:
			name, _ := z.TagName()
			switch atom.Lookup(name) {
			case atom.Script, atom.Style, atom.Template, atom.Title, atom.Noscript, atom.Form:
				if skip > 0 {
					skip--
				}
			}
		case xhtml.TextToken:
			if skip > 0 {
				continue
			}
			t := z.Text()
			for _, r := range string(t) {
				if unicode.IsLetter(r) || unicode.IsDigit(r) {
					letters++
				}
			}
			if sb.Len() < maxContentText {
				sb.WriteByte(' ')
				sb.Write(t)
			}
		}
	}
}

// titleText returns what `(?is)<title[^>]*>(.*?)</title>` captures in
// body (the title of a page, as a bot wall's markers are matched against),
// without a regexp: the first "<title" in any ASCII case (none of the
// letters has a non-ASCII case fold), the first ">" after it, and the text
// up to the first "</title>" after that. A match can start at no later
// "<title": it would need a ">" and a "</title>" after it, which the first
// would have found.
func titleText(body []byte) ([]byte, bool) {
	i := indexFoldTag(body, "title")
	if i < 0 {
		return nil, false
	}
	j := bytes.IndexByte(body[i+len("<title"):], '>')
	if j < 0 {
		return nil, false
	}
	start := i + len("<title") + j + 1
	k := indexFoldTag(body[start:], "/title>")
	if k < 0 {
		return nil, false
	}
	return body[start : start+k], true
}

// indexFoldTag returns the index of the first "<" + name in b, name matched
// in any ASCII case (name is lower case), or -1.
func indexFoldTag(b []byte, name string) int {
	for from := 0; ; {
		j := bytes.IndexByte(b[from:], '<')
		if j < 0 {
			return -1
		}
		at := from + j
		if len(b)-at > len(name) && equalFoldASCII(b[at+1:at+1+len(name)], name) {
			return at
		}
		from = at + 1
	}
}

// challengeTitle reports whether a page's title (lower case) is a challenge
// page's: one that asks the reader to prove they are human, in English or in
// the Chinese of Tencent's and GeeTest's pages.
func challengeTitle(t string) bool { return containsAny(t, titlePhrases) }

// challengeText is challengeTitle for the text of a page outside its forms,
// with the stricter phrases a readable page does not use about its own
// forms ("captcha" alone is a label: "enter the captcha").
func challengeText(t string) bool { return containsAny(t, textPhrases) }

var (
	textPhrases = []string{"verify you are human", "verify that you are human", "verify you're human", "are you a robot",
		"robot or human", "confirm you are human", "confirm that you're human", "human verification", "unusual traffic",
		"开始验证", "人机验证"}
	titlePhrases = append([]string{"captcha", "security check", "not a robot", "安全验证", "验证码"}, textPhrases...)
)

func containsAny(t string, phrases []string) bool {
	for _, p := range phrases {
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

// The body markers are found in one pass over the body that reads 4 bytes,
// a gram, every gramStride bytes:
//
//   - the gram is looked up in a small hash
//     table: every marker of at least minGramMarker bytes has gramStride
//     consecutive grams, one of which starts on a read position wherever
//     the marker starts, so the table gives every candidate occurrence;
//   - a shorter marker (one now: Kasada's "kpsdk") is found by its rarest
//     byte pair: bytes.IndexByte finds the pair's first byte.
//
// Bytes are folded with |0x20 (ASCII letters to lower case; other bytes may
// collide, which only costs a comparison), and every candidate is then
// compared in full, case-insensitively.
const (
	// gramStride trades the positions read against the markers short
	// enough to need the slower pair pass (7: only "kpsdk").
	gramStride    = 7
	minGramMarker = 4 + gramStride - 1
	gramBits      = 12
)

// gramSlot indexes, by the hash of a folded gram, the candidates (marker
// and offset of the gram in it): 0 for none, else 1 + the position of the
// candidates in gramGroups. A marker's grams are taken from its end, its
// most distinctive part (class="...", id="..." and URLs share their
// beginnings with ordinary markup).
var gramSlot, gramGroups = func() (t *[1 << gramBits]uint16, groups [][]candidate) {
	m := map[uint32][]candidate{}
	for i, s := range Signatures {
		if s.Header != "" || s.In != Body || len(s.Contains) < minGramMarker {
			continue
		}
		for off := len(s.Contains) - 4 - gramStride + 1; off <= len(s.Contains)-4; off++ {
			b := s.Contains[off:]
			g := (uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24) | fold4
			m[gramHash(g)] = append(m[gramHash(g)], candidate{sig: i, off: off})
		}
	}
	keys := make([]uint32, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	t = new([1 << gramBits]uint16)
	for _, k := range keys {
		groups = append(groups, m[k])
		t[k] = uint16(len(groups))
	}
	return t, groups
}()

// fold4 folds the four bytes of a gram with |0x20.
const fold4 = 0x20202020

func gramHash(g uint32) uint32 { return g * 0x9E3779B1 >> (32 - gramBits) }

// pairRarity orders bytes from the rarest in web pages to the most common,
// roughly (punctuation rare in markup and prose, then rare letters, digits,
// common letters, and the bytes of markup itself); bytes not listed come
// first. A short marker is found by its rarest pair.
const pairRarity = "`^|~{}\\$@*+%!?;()[]#&',:qjxzkv_0123456789ybpgwfm-uclhdrsnioate.=\"/<> "

// shortMarker is a marker shorter than minGramMarker: its rarest pair, the
// bytes a (as in the marker, lower case) and b (folded with |0x20), at
// offset off.
type shortMarker struct {
	a, b byte
	c    candidate
}

type candidate struct{ sig, off int }

var shortMarkers = func() []shortMarker {
	rank := func(c byte) int { return strings.IndexByte(pairRarity, c) }
	var ms []shortMarker
	for i, s := range Signatures {
		if s.Header != "" || s.In != Body || len(s.Contains) < 2 || len(s.Contains) >= minGramMarker {
			continue
		}
		off := 0
		for k := 1; k+1 < len(s.Contains); k++ {
			if rank(s.Contains[k])+rank(s.Contains[k+1]) < rank(s.Contains[off])+rank(s.Contains[off+1]) {
				off = k
			}
		}
		ms = append(ms, shortMarker{a: s.Contains[off], b: s.Contains[off+1] | 0x20, c: candidate{sig: i, off: off}})
	}
	return ms
}()

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
	slot, groups := gramSlot, gramGroups
	for p := 0; p+4 <= len(body); p += gramStride {
		w := body[p : p+4]
		if g := slot[gramHash((uint32(w[0])|uint32(w[1])<<8|uint32(w[2])<<16|uint32(w[3])<<24)|fold4)]; g != 0 {
			for _, c := range groups[g-1] {
				check(body, p, c, found)
			}
		}
	}
	for _, m := range shortMarkers {
		scanPair(body, m, found)
	}
	return found
}

// scanPair finds the pair of a short marker: each occurrence of its first
// byte, in either ASCII case, is found with bytes.IndexByte (vectorised),
// and the second compared there.
func scanPair(body []byte, m shortMarker, found []bool) {
	cases, n := [2]byte{m.a}, 1
	if 'a' <= m.a && m.a <= 'z' {
		cases[1], n = m.a-'a'+'A', 2
	}
	for _, c := range cases[:n] {
		for from := 0; !found[m.c.sig]; {
			j := bytes.IndexByte(body[from:], c)
			if j < 0 {
				break
			}
			at := from + j
			if at+1 < len(body) && body[at+1]|0x20 == m.b {
				check(body, at, m.c, found)
			}
			from = at + 1
		}
	}
}

// check compares candidate c at the position at of its gram or pair.
func check(body []byte, at int, c candidate, found []bool) {
	if found[c.sig] {
		return
	}
	start := at - c.off
	pat := Signatures[c.sig].Contains
	if start >= 0 && len(body)-start >= len(pat) && equalFoldASCII(body[start:start+len(pat)], pat) {
		found[c.sig] = true
	}
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
