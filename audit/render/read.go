// This file holds the readings that compare the server's HTML with the
// rendered DOM: pure functions of bytes and trees, no browser.

package render

import (
	"bytes"
	"net/url"
	"slices"
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/agentready/agentready/audit/checks"
)

// Bounds of one reading, so that a hostile page cannot make it unbounded.
const (
	maxPassages    = 20_000
	maxSideText    = 1500 // characters of each reading the report shows
	maxExamples    = 10
	maxMissingText = 160
)

// reading is one document read as an agent reads it.
type reading struct {
	// passages are the text blocks (hidden attribute, scripts and
	// templates left out), whitespace collapsed, in document order; main
	// those inside <main> (or role=main), all of them when the page has
	// none.
	passages, main []string
	links          []string // in-site links, absolute, without fragment, in order
	facts          *checks.PageFacts
}

// read parses an HTML document (the server's body or the rendered DOM's
// outerHTML) at pageURL.
func read(body []byte, pageURL string) reading {
	var r reading
	doc, err := html.Parse(bytes.NewReader(body))
	if err != nil {
		return r
	}
	base, _ := url.Parse(pageURL)
	w := walker{base: base, seen: map[string]bool{}}
	w.walk(doc, false)
	w.flush()
	r.passages, r.links = w.out, w.links
	r.main = w.mainOut
	if !w.hasMain {
		r.main = r.passages
	}
	r.facts = checks.Facts(200, nil, "text/html", pageURL, body, doc)
	return r
}

type walker struct {
	base          *url.URL
	cur           strings.Builder
	out, mainOut  []string
	links         []string
	seen          map[string]bool
	hasMain       bool
	baseSet       bool
	inMainCurrent bool
	started       bool // the passage has text (inMainCurrent is its)
}

// skipped are elements whose text no reader sees.
func skipped(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Head, atom.Svg, atom.Iframe, atom.Object, atom.Canvas:
		return true
	}
	for _, a := range n.Attr {
		if a.Key == "hidden" && a.Namespace == "" {
			return true
		}
	}
	return false
}

// block elements end a passage.
func block(a atom.Atom) bool {
	switch a {
	case atom.P, atom.Div, atom.Li, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Td, atom.Th, atom.Tr,
		atom.Section, atom.Article, atom.Header, atom.Footer, atom.Nav, atom.Main, atom.Aside, atom.Blockquote, atom.Pre,
		atom.Dd, atom.Dt, atom.Dl, atom.Figcaption, atom.Figure, atom.Form, atom.Table, atom.Ul, atom.Ol, atom.Br, atom.Hr,
		atom.Option, atom.Body, atom.Html, atom.Fieldset, atom.Legend, atom.Details, atom.Summary, atom.Caption, atom.Address:
		return true
	}
	return false
}

// separates reports whether an inline element stands apart from the text
// around it (a form control, an image, a table cell's neighbour).
func separates(a atom.Atom) bool {
	switch a {
	case atom.Button, atom.Input, atom.Select, atom.Textarea, atom.Img, atom.Label, atom.Output, atom.Meter, atom.Progress:
		return true
	}
	return false
}

func isMain(n *html.Node) bool {
	if n.DataAtom == atom.Main {
		return true
	}
	for _, a := range n.Attr {
		if a.Key == "role" && strings.EqualFold(strings.TrimSpace(a.Val), "main") {
			return true
		}
	}
	return false
}

func (w *walker) walk(n *html.Node, inMain bool) {
	if len(w.out) >= maxPassages {
		return
	}
	switch n.Type {
	case html.TextNode:
		if !w.started {
			w.inMainCurrent, w.started = inMain, true
		}
		w.cur.WriteString(n.Data)
		return
	case html.ElementNode:
		if n.DataAtom == atom.Base && !w.baseSet {
			for _, a := range n.Attr {
				if a.Key == "href" {
					if b, err := w.base.Parse(a.Val); err == nil {
						w.base, w.baseSet = b, true
					}
				}
			}
		}
		if skipped(n) {
			return
		}
		if isMain(n) {
			inMain = true
			w.hasMain = true
		}
		if n.DataAtom == atom.A {
			w.link(n)
		}
	}
	isBlock := n.Type == html.ElementNode && block(n.DataAtom)
	sep := n.Type == html.ElementNode && separates(n.DataAtom)
	if isBlock {
		w.flush()
	} else if sep {
		w.cur.WriteByte(' ')
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.walk(c, inMain)
	}
	if isBlock {
		w.flush()
	} else if sep {
		w.cur.WriteByte(' ')
	}
}

func (w *walker) flush() {
	if w.cur.Len() == 0 {
		return
	}
	p := strings.Join(strings.Fields(w.cur.String()), " ")
	w.cur.Reset()
	w.started = false
	if p == "" {
		return
	}
	w.out = append(w.out, p)
	if w.inMainCurrent {
		w.mainOut = append(w.mainOut, p)
	}
}

func (w *walker) link(n *html.Node) {
	if w.base == nil {
		return
	}
	for _, a := range n.Attr {
		if a.Key != "href" {
			continue
		}
		u, err := w.base.Parse(strings.TrimSpace(a.Val))
		if err != nil || u.Scheme != "http" && u.Scheme != "https" || u.Host != w.base.Host {
			return
		}
		u.Fragment, u.RawFragment = "", ""
		s := u.String()
		if !w.seen[s] && len(w.links) < maxPassages {
			w.seen[s] = true
			w.links = append(w.links, s)
		}
		return
	}
}

// words counts the words of the passages.
func words(ps []string) int {
	n := 0
	for _, p := range ps {
		n += len(strings.Fields(p))
	}
	return n
}

// fold is a passage as the comparison reads it: lower case, letters and
// digits only, single spaces.
func fold(s string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }), " ")
}

// compare fills r with what the rendered reading adds to the server's.
func compare(r *checks.Rendered, server, rendered reading) {
	r.ServerWords, r.Words = words(server.passages), words(rendered.passages)
	r.ServerText, r.Text = side(server.passages), side(rendered.passages)
	// A rendered passage is the server's when its text is in the server's
	// text (blocks may be split or joined differently).
	var all strings.Builder
	all.WriteByte(' ')
	for _, p := range server.passages {
		all.WriteString(fold(p))
		all.WriteByte(' ')
	}
	serverText := all.String()
	for _, p := range rendered.passages {
		f := fold(p)
		if f == "" || strings.Contains(serverText, " "+f+" ") {
			continue
		}
		r.JSWords += len(strings.Fields(p))
		if r.FirstMissing == "" {
			r.FirstMissing = shorten(p, maxMissingText)
		}
	}
	// Links.
	had := map[string]bool{}
	for _, l := range server.links {
		had[l] = true
	}
	r.Links = len(rendered.links)
	for _, l := range rendered.links {
		if !had[l] {
			r.JSLinkCount++
			if len(r.JSLinks) < maxExamples {
				r.JSLinks = append(r.JSLinks, l)
			}
		}
	}
	// Structured data: the rendered items beyond the server's, by type.
	count := map[string]int{}
	for _, e := range checks.Entities(server.facts) {
		count[typeKey(e)]++
	}
	types := map[string]bool{}
	for _, e := range checks.Entities(rendered.facts) {
		k := typeKey(e)
		if count[k] > 0 {
			count[k]--
			continue
		}
		r.JSItems++
		types[k] = true
	}
	for t := range types {
		r.JSTypes = append(r.JSTypes, t)
	}
	slices.Sort(r.JSTypes)
}

func typeKey(e *checks.Entity) string {
	if len(e.Types) == 0 {
		return "(untyped " + e.Source + ")"
	}
	return strings.Join(e.Types, "+")
}

// side is the start of a reading, a passage a line.
func side(ps []string) string {
	var b strings.Builder
	for _, p := range ps {
		if b.Len() >= maxSideText {
			break
		}
		b.WriteString(p)
		b.WriteByte('\n')
	}
	return shorten(strings.TrimSuffix(b.String(), "\n"), maxSideText)
}

// shorten cuts s to at most n bytes at a rune boundary, marking the cut.
func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8Start(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }
