package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"

	xhtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Text layout as html-text (used by extruct) guesses it: these elements
// start a new line, and these a new paragraph.
var (
	newlineTags = map[atom.Atom]bool{
		atom.Article: true, atom.Aside: true, atom.Br: true, atom.Dd: true, atom.Details: true,
		atom.Div: true, atom.Dt: true, atom.Fieldset: true, atom.Figcaption: true, atom.Footer: true,
		atom.Form: true, atom.Header: true, atom.Hr: true, atom.Legend: true, atom.Li: true,
		atom.Main: true, atom.Nav: true, atom.Table: true, atom.Tr: true,
	}
	doubleNewlineTags = map[atom.Atom]bool{
		atom.Blockquote: true, atom.Dl: true, atom.Figure: true, atom.H1: true, atom.H2: true,
		atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true, atom.Ol: true, atom.P: true,
		atom.Pre: true, atom.Title: true, atom.Ul: true,
	}
	// invisible elements are dropped with their content.
	invisible = map[atom.Atom]bool{
		atom.Script: true, atom.Style: true, atom.Link: true, atom.Meta: true, atom.Noscript: false,
		atom.Template: true,
	}
)

// TextContent returns the visible text of n as a reader sees it: scripts,
// styles and comments dropped, white space collapsed, a line break around
// block elements and no space before punctuation (html-text's heuristics,
// which extruct's microdata values follow).
func TextContent(n *xhtml.Node) string {
	t := &textWriter{prev: prevDouble}
	t.node(n, true)
	return strings.TrimFunc(t.b.String(), unicode.IsSpace)
}

type prevKind int

const (
	prevText prevKind = iota
	prevNewline
	prevDouble
)

type textWriter struct {
	b        strings.Builder
	prev     prevKind
	prevText string
	pending  strings.Builder // adjacent text, merged as lxml does
}

func (t *textWriter) node(n *xhtml.Node, root bool) {
	if n.Type == xhtml.DocumentNode {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			t.child(c)
		}
		t.flush()
		return
	}
	if n.Type != xhtml.ElementNode {
		t.child(n)
		t.flush()
		return
	}
	if !root && invisible[n.DataAtom] {
		return
	}
	t.newlines(n.DataAtom)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		t.child(c)
	}
	t.flush()
	t.newlines(n.DataAtom)
}

func (t *textWriter) child(c *xhtml.Node) {
	switch c.Type {
	case xhtml.TextNode:
		t.pending.WriteString(c.Data)
	case xhtml.ElementNode:
		if invisible[c.DataAtom] {
			return // dropped with its content; its tail merges with the text before
		}
		t.flush()
		t.node(c, false)
	}
	// Comments and other nodes are dropped; text around them merges.
}

func (t *textWriter) flush() {
	if t.pending.Len() == 0 {
		return
	}
	raw := t.pending.String()
	t.pending.Reset()
	text := strings.Join(strings.FieldsFunc(raw, isPySpace), " ")
	if text == "" {
		return
	}
	if t.spaceBefore(text) {
		t.b.WriteByte(' ')
	}
	t.b.WriteString(text)
	t.prev = prevText
	t.prevText = raw
}

func isPySpace(r rune) bool { return unicode.IsSpace(r) || (r >= 0x1c && r <= 0x1f) }

func (t *textWriter) spaceBefore(text string) bool {
	if t.prev != prevText {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(t.prevText)
	if !isPySpace(last) {
		if strings.IndexByte(`,:;.!?")`, text[0]) >= 0 || last == '(' {
			return false
		}
	}
	return true
}

func (t *textWriter) newlines(a atom.Atom) {
	if t.prev == prevDouble {
		return
	}
	switch {
	case doubleNewlineTags[a]:
		if t.prev == prevNewline {
			t.b.WriteString("\n")
		} else {
			t.b.WriteString("\n\n")
		}
		t.prev = prevDouble
	case newlineTags[a]:
		if t.prev != prevNewline {
			t.b.WriteString("\n")
		}
		t.prev = prevNewline
	}
}
