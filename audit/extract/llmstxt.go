package extract

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// LLMsTxt is a parsed llms.txt file (https://llmstxt.org): an H1 with the
// name of the site, an optional blockquote summary, optional free text, and
// H2 sections of Markdown link lists. A section named "Optional" holds
// links that can be skipped when context is short.
type LLMsTxt struct {
	Title    string           `json:"title"`
	Summary  string           `json:"summary,omitempty"`
	Details  string           `json:"details,omitempty"`
	Sections []LLMsSection    `json:"sections,omitempty"`
	Problems []LLMsTxtProblem `json:"problems,omitempty"`
}

// LLMsSection is one H2 section of an llms.txt file.
type LLMsSection struct {
	Name  string     `json:"name"`
	Line  int        `json:"line"`
	Links []LLMsLink `json:"links,omitempty"`
}

// LLMsLink is one link of a list item, "- [title](url): notes"; an item
// with several links gives one each.
type LLMsLink struct {
	Title string `json:"title"`
	URL   string `json:"url"`
	Notes string `json:"notes,omitempty"`
	Line  int    `json:"line"`
}

// LLMsTxtProblem is a departure from the llmstxt.org format, with its line.
type LLMsTxtProblem struct {
	Line int    `json:"line"`
	Msg  string `json:"message"`
}

// Links returns every link of every section, in file order.
func (l *LLMsTxt) Links() []LLMsLink {
	var out []LLMsLink
	for _, s := range l.Sections {
		out = append(out, s.Links...)
	}
	return out
}

// MaxLLMsTxtBytes caps what ParseLLMsTxt reads; the rest is reported as a
// problem and ignored.
const MaxLLMsTxtBytes = 1 << 20

// llmsMarkdown parses CommonMark only (no GFM extensions: a bare URL is no
// link, as llmstxt.org's own parser has it).
var llmsMarkdown = goldmark.New()

// ParseLLMsTxt parses an llms.txt file. It never fails: departures from the
// format are listed in Problems with their lines, so a check can report
// them and still use what was readable.
//
// The file is parsed as CommonMark (goldmark), not by rules per line: a
// list item is what CommonMark calls one ("-", "*", "+" and ordered
// bullets, continuation lines, nested lists), so a bold paragraph
// ("**Docs**") is none; every link of an item counts, inline or by
// reference ("[x][ref]" with "[ref]: url"); a link in a code span or a
// code block is text.
func ParseLLMsTxt(b []byte) *LLMsTxt {
	l := &LLMsTxt{}
	prob := func(line int, f string, a ...any) {
		l.Problems = append(l.Problems, LLMsTxtProblem{Line: line, Msg: fmt.Sprintf(f, a...)})
	}
	if len(b) > MaxLLMsTxtBytes {
		prob(0, "file of %d bytes is larger than %d bytes; the rest is ignored", len(b), MaxLLMsTxtBytes)
		b = b[:MaxLLMsTxtBytes]
	}
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(b) {
		prob(0, "not valid UTF-8")
		b = bytes.ToValidUTF8(b, []byte("\uFFFD"))
	}
	trimmed := bytes.TrimSpace(b)
	if len(trimmed) > 0 && trimmed[0] == '<' {
		prob(1, "looks like HTML, not Markdown (a soft 404 or an HTML page served at /llms.txt?)")
	}
	src := &llmsSource{b: b}
	for i, c := range b {
		if c == '\n' {
			src.starts = append(src.starts, i+1)
		}
	}
	doc := llmsMarkdown.Parser().Parse(text.NewReader(b))

	state := 0 // 0 before the H1, 1 after it (summary, details), 2 in sections
	detailsFrom, detailsTo := 0, 0 // lines of the free text after the H1
	var cur *LLMsSection
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		first, last := src.lines(n)
		if h, ok := n.(*ast.Heading); ok && h.Level <= 2 {
			name := strings.TrimSpace(src.plain(h))
			if h.Level == 1 {
				if state == 0 {
					l.Title, state = name, 1
					detailsFrom = last + 1
				} else {
					prob(first, "a second H1 %q; an llms.txt has exactly one H1, the first line", name)
				}
				continue
			}
			if state == 0 {
				prob(first, "a section before the H1 title")
			}
			if state == 1 {
				detailsTo = first - 1
			}
			state = 2
			l.Sections = append(l.Sections, LLMsSection{Name: name, Line: first})
			cur = &l.Sections[len(l.Sections)-1]
			continue
		}
		switch state {
		case 0:
			prob(first, "text before the H1 title; an llms.txt starts with \"# Name\"")
		case 1:
			if bq, ok := n.(*ast.Blockquote); ok && l.Summary == "" && first == src.nextBlockLine(detailsFrom) {
				l.Summary = strings.Join(strings.Fields(src.plain(bq)), " ")
				detailsFrom = last + 1
			}
		case 2:
			if list, ok := n.(*ast.List); ok {
				src.items(list, cur, prob)
			}
			// Other blocks inside a section are allowed prose.
		}
	}
	if state == 1 {
		detailsTo = len(src.starts) + 1
	}
	l.Details = src.text(detailsFrom, detailsTo)
	if l.Title == "" {
		prob(1, "no H1 title; an llms.txt starts with \"# Name\"")
	}
	if l.Summary == "" && l.Title != "" {
		prob(0, "no blockquote summary (\"> ...\") after the title")
	}
	if len(l.Sections) == 0 && l.Title != "" {
		prob(0, "no H2 sections of links")
	}
	for _, s := range l.Sections {
		if len(s.Links) == 0 {
			prob(s.Line, "section %q has no links", s.Name)
		}
	}
	return l
}

// llmsSource is the file's bytes and where its lines start, for the lines
// of the nodes goldmark parsed (it gives byte offsets).
type llmsSource struct {
	b      []byte
	starts []int // byte offset of each line after the first
}

// line is the 1-based line of byte offset off.
func (s *llmsSource) line(off int) int { return sort.SearchInts(s.starts, off+1) + 1 }

// lines returns the first and last line of a block node and its
// descendants (0, 0 when it has no text).
func (s *llmsSource) lines(n ast.Node) (first, last int) {
	lo, hi := -1, -1
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		var segs []text.Segment
		if c.Type() == ast.TypeBlock {
			ls := c.Lines()
			for i := range ls.Len() {
				segs = append(segs, ls.At(i))
			}
		} else if t, ok := c.(*ast.Text); ok {
			segs = append(segs, t.Segment)
		}
		for _, sg := range segs {
			if lo < 0 || sg.Start < lo {
				lo = sg.Start
			}
			if sg.Stop > hi {
				hi = sg.Stop
			}
		}
		return ast.WalkContinue, nil
	})
	if lo < 0 {
		return 0, 0
	}
	if hi > lo {
		hi-- // the last byte, not the one after it
	}
	return s.line(lo), s.line(hi)
}

// nextBlockLine is the first non-blank line at or after line n.
func (s *llmsSource) nextBlockLine(n int) int {
	for ; n <= len(s.starts)+1; n++ {
		if strings.TrimSpace(s.lineText(n)) != "" {
			return n
		}
	}
	return n
}

func (s *llmsSource) lineText(n int) string {
	if n < 1 || n > len(s.starts)+1 {
		return ""
	}
	from, to := 0, len(s.b)
	if n > 1 {
		from = s.starts[n-2]
	}
	if n <= len(s.starts) {
		to = s.starts[n-1]
	}
	return strings.TrimRight(string(s.b[from:to]), " \t\r\n")
}

// text is the non-blank lines from..to, trimmed, joined by newlines.
func (s *llmsSource) text(from, to int) string {
	var out []string
	for n := max(from, 1); n <= to && n <= len(s.starts)+1; n++ {
		if t := s.lineText(n); strings.TrimSpace(t) != "" {
			out = append(out, t)
		}
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}

// plain is the text of a node's inlines, without markup.
func (s *llmsSource) plain(n ast.Node) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch t := c.(type) {
		case *ast.Text:
			b.Write(t.Segment.Value(s.b))
			if t.SoftLineBreak() || t.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(t.Value)
		case *ast.AutoLink:
			b.Write(t.Label(s.b))
		default:
			if c.Type() == ast.TypeBlock && c.FirstChild() == nil {
				ls := c.Lines()
				for i := range ls.Len() {
					sg := ls.At(i)
					b.Write(sg.Value(s.b))
				}
			}
			return ast.WalkContinue, nil
		}
		return ast.WalkSkipChildren, nil
	})
	return b.String()
}

// items adds the links of a list's items to the section, and reports an
// item that has neither a link nor a nested list of them.
func (s *llmsSource) items(list *ast.List, sec *LLMsSection, prob func(int, string, ...any)) {
	for it := list.FirstChild(); it != nil; it = it.NextSibling() {
		found, nested := false, false
		for blk := it.FirstChild(); blk != nil; blk = blk.NextSibling() {
			if sub, ok := blk.(*ast.List); ok {
				nested = true
				s.items(sub, sec, prob)
				continue
			}
			links := s.links(blk)
			found = found || len(links) > 0
			sec.Links = append(sec.Links, links...)
		}
		if !found && !nested {
			first, _ := s.lines(it)
			prob(first, "list item in section %q is not a link \"- [name](url): notes\"", sec.Name)
		}
	}
}

// links returns the links of one block of a list item, each with the text
// that follows it up to the next link as its notes.
func (s *llmsSource) links(blk ast.Node) []LLMsLink {
	var out []LLMsLink
	var notes *strings.Builder
	flush := func() {
		if notes != nil && len(out) > 0 {
			n := strings.TrimSpace(notes.String())
			n = strings.TrimSpace(strings.TrimLeft(n, ":–—-"))
			out[len(out)-1].Notes = strings.Join(strings.Fields(n), " ")
		}
		notes = &strings.Builder{}
	}
	_ = ast.Walk(blk, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch t := c.(type) {
		case *ast.Link:
			flush()
			line, _ := s.lines(t)
			if line == 0 {
				line, _ = s.lines(blk)
			}
			out = append(out, LLMsLink{Title: strings.TrimSpace(s.plain(t)), URL: string(t.Destination), Line: line})
			return ast.WalkSkipChildren, nil
		case *ast.AutoLink:
			flush()
			line, _ := s.lines(blk)
			if t.AutoLinkType != ast.AutoLinkURL {
				return ast.WalkSkipChildren, nil // an e-mail address
			}
			out = append(out, LLMsLink{Title: string(t.Label(s.b)), URL: string(t.URL(s.b)), Line: line})
			return ast.WalkSkipChildren, nil
		case *ast.CodeSpan:
			if notes != nil {
				notes.WriteString("`" + s.plain(t) + "`")
			}
			return ast.WalkSkipChildren, nil
		case *ast.Text, *ast.String:
			if notes != nil {
				notes.WriteString(s.plain(t))
				if tt, ok := t.(*ast.Text); ok && tt.SoftLineBreak() {
					notes.WriteByte(' ')
				}
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	flush()
	return out
}
