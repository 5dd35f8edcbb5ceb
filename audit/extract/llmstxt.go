package extract

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
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

// maxLinkPart bounds a link destination or title: longer ones are not
// links. It keeps the scan linear on hostile input (goldmark, tried
// first, takes 4 s on 100 KB of "[a](" and 1.7 s on 20,000 nested "- ").
const maxLinkPart = 4096

// refDef is a link reference definition, "[label]: url "title"" on a line.
var refDef = regexp.MustCompile(`^\s*\[([^\]\\]{1,999})\]:[ \t]*(<[^<>\n]*>|\S+)(?:[ \t]+(?:"[^"]*"|'[^']*'|\([^()]*\)))?[ \t]*$`)

// ParseLLMsTxt parses an llms.txt file. It never fails: departures from the
// format are listed in Problems with their lines, so a check can report
// them and still use what was readable.
//
// Sections are read as CommonMark reads them, in one linear pass: a list
// item starts with "-", "*" or "+" and a space, or a number and "." or
// ")"; it goes on over its indented and lazy continuation lines and holds
// nested items. So a bold paragraph ("**Docs**") is no item; every link of
// an item counts, inline ("[t](url "title")"), by reference ("[t][ref]",
// "[t][]", "[ref]" with a "[ref]: url" line) or as an autolink ("<url>"),
// but not an image; a link in a code span, a fenced block or behind a
// backslash is text. Headings are ATX ("# ", "## ").
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
	lines := strings.Split(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n")
	for i, ln := range lines {
		lines[i] = strings.TrimRight(ln, " \t\r")
	}
	defs := llmsRefDefs(lines)

	state := 0 // 0 before the H1, 1 after it (summary, details), 2 in sections
	var details, summary []string
	var cur *LLMsSection
	var fence string // the opening fence of the code block we are in
	var items []*llmsItem
	var open []*llmsItem // the open items, innermost last
	blank := true        // the previous line was blank (or a block ended)
	flush := func() {
		for _, it := range items {
			links := it.links(defs)
			if len(links) == 0 && !it.nested {
				prob(it.line, "list item in section %q is not a link \"- [name](url): notes\"", cur.Name)
			}
			cur.Links = append(cur.Links, links...)
		}
		items, open = nil, nil
	}
	for i, line := range lines {
		n := i + 1
		indent, rest := llmsIndent(line)
		if fence != "" {
			if strings.HasPrefix(rest, fence) && strings.Trim(rest, fence[:1]) == "" {
				fence = ""
			}
			continue
		}
		if rest == "" {
			blank = true
			continue
		}
		if f := llmsFence(rest); f != "" {
			fence = f
			blank = true
			continue
		}
		// Close the items this line is not inside of: it is indented less
		// than their content, and is no lazy continuation of a paragraph.
		_, _, isItem := llmsMarker(rest)
		block := isItem || llmsHeading(rest, indent) > 0 || strings.HasPrefix(rest, ">") || llmsBreak(rest)
		for len(open) > 0 && indent < open[len(open)-1].indent && (blank || block) {
			open = open[:len(open)-1]
		}
		if isItem && (state == 2) {
			w, body, _ := llmsMarker(rest)
			it := &llmsItem{line: n, indent: indent + w}
			if len(open) > 0 {
				open[len(open)-1].nested = true
			}
			it.add(n, body)
			items = append(items, it)
			open = append(open, it)
			blank = false
			continue
		}
		if len(open) > 0 {
			open[len(open)-1].add(n, rest)
			blank = false
			continue
		}
		blank = false
		switch h := llmsHeading(rest, indent); {
		case h == 1:
			title := llmsHeadingText(rest)
			if state == 0 {
				l.Title, state = title, 1
			} else {
				prob(n, "a second H1 %q; an llms.txt has exactly one H1, the first line", title)
			}
			continue
		case h == 2:
			if state == 0 {
				prob(n, "a section before the H1 title")
			}
			if state == 2 {
				flush()
			}
			state = 2
			l.Sections = append(l.Sections, LLMsSection{Name: llmsHeadingText(rest), Line: n})
			cur = &l.Sections[len(l.Sections)-1]
			continue
		}
		switch state {
		case 0:
			prob(n, "text before the H1 title; an llms.txt starts with \"# Name\"")
		case 1:
			if strings.HasPrefix(rest, ">") && len(details) == 0 {
				summary = append(summary, strings.TrimSpace(strings.TrimPrefix(rest, ">")))
			} else {
				details = append(details, line)
			}
		}
		// Other text inside a section is allowed prose.
	}
	if state == 2 {
		flush()
	}
	l.Summary = strings.Join(summary, " ")
	l.Details = strings.TrimSpace(strings.Join(details, "\n"))
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

// llmsIndent returns a line's indentation in columns (a tab to the next
// multiple of 4) and the rest of it.
func llmsIndent(line string) (int, string) {
	col := 0
	for i, c := range line {
		switch c {
		case ' ':
			col++
		case '\t':
			col += 4 - col%4
		default:
			return col, line[i:]
		}
	}
	return col, ""
}

// llmsMarker reports whether s starts with a list marker and returns the
// marker's width with the spaces after it (the item's content indent) and
// the item's first line.
func llmsMarker(s string) (width int, body string, ok bool) {
	m := 0
	switch {
	case s[0] == '-' || s[0] == '*' || s[0] == '+':
		m = 1
	default:
		for m < len(s) && m < 9 && s[m] >= '0' && s[m] <= '9' {
			m++
		}
		if m == 0 || m == len(s) || s[m] != '.' && s[m] != ')' {
			return 0, "", false
		}
		m++
	}
	if m == len(s) {
		return m + 1, "", !llmsBreak(s) // an empty item
	}
	if s[m] != ' ' && s[m] != '\t' {
		return 0, "", false
	}
	if llmsBreak(s) {
		return 0, "", false // "* * *" is a thematic break
	}
	sp, rest := llmsIndent(s[m:])
	if sp > 4 {
		sp = 1 // indented code in the item: content starts after one space
	}
	return m + sp, rest, true
}

// llmsBreak reports a thematic break: three or more "-", "*" or "_" and
// spaces only.
func llmsBreak(s string) bool {
	c, n := s[0], 0
	if c != '-' && c != '*' && c != '_' {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case c:
			n++
		case ' ', '\t':
		default:
			return false
		}
	}
	return n >= 3
}

// llmsFence returns the fence that opens a fenced code block ("```",
// "~~~~"), or "".
func llmsFence(s string) string {
	if s[0] != '`' && s[0] != '~' {
		return ""
	}
	n := 0
	for n < len(s) && s[n] == s[0] {
		n++
	}
	if n < 3 || s[0] == '`' && strings.Contains(s[n:], "`") {
		return ""
	}
	return s[:n]
}

// llmsHeading returns the level of an ATX heading (0 when s is none).
func llmsHeading(s string, indent int) int {
	if indent > 3 {
		return 0
	}
	n := 0
	for n < len(s) && s[n] == '#' {
		n++
	}
	if n == 0 || n > 6 || n < len(s) && s[n] != ' ' && s[n] != '\t' {
		return 0
	}
	return n
}

// llmsHeadingText is an ATX heading's text, without its closing #s.
func llmsHeadingText(s string) string {
	t := strings.TrimSpace(strings.TrimLeft(s, "#"))
	if c := strings.TrimRight(t, "#"); c == "" || strings.HasSuffix(c, " ") || strings.HasSuffix(c, "\t") {
		t = strings.TrimSpace(c)
	}
	return t
}

// llmsRefDefs collects the link reference definitions outside fenced
// blocks, by normalised label (the first wins, as in CommonMark).
func llmsRefDefs(lines []string) map[string]string {
	defs := map[string]string{}
	fence := ""
	for _, line := range lines {
		_, rest := llmsIndent(line)
		if fence != "" {
			if strings.HasPrefix(rest, fence) && strings.Trim(rest, fence[:1]) == "" {
				fence = ""
			}
			continue
		}
		if rest == "" {
			continue
		}
		if fence = llmsFence(rest); fence != "" || rest[0] != '[' {
			continue
		}
		if m := refDef.FindStringSubmatch(line); m != nil {
			k := llmsLabel(m[1])
			if _, dup := defs[k]; !dup && k != "" {
				defs[k] = strings.TrimSuffix(strings.TrimPrefix(m[2], "<"), ">")
			}
		}
	}
	return defs
}

// llmsLabel normalises a reference label: case-folded, whitespace
// collapsed.
func llmsLabel(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

// llmsItem is one list item: its text and the line of each of its lines.
type llmsItem struct {
	line, indent int
	nested       bool // it holds a list
	text         strings.Builder
	starts       []int // offset in text where each line starts
	lines        []int // and its line in the file
}

func (it *llmsItem) add(line int, s string) {
	if it.text.Len() > 0 {
		it.text.WriteByte('\n')
	}
	it.starts = append(it.starts, it.text.Len())
	it.lines = append(it.lines, line)
	it.text.WriteString(s)
}

// lineAt is the file line of offset off of the item's text.
func (it *llmsItem) lineAt(off int) int {
	i := len(it.starts) - 1
	for i > 0 && it.starts[i] > off {
		i--
	}
	return it.lines[i]
}

// links scans the item's text for links, left to right, as CommonMark's
// inline parser finds them: code spans first, backslash escapes, then
// brackets (the innermost "[" that a "]" closes makes a link when a
// destination or a known reference follows; a link holds no link).
func (it *llmsItem) links(defs map[string]string) []LLMsLink {
	s := it.text.String()
	type opener struct {
		pos   int
		image bool
	}
	var out []LLMsLink
	var starts, ends []int // where each link starts and ends, for the notes
	var openers []opener
	ticks := llmsTickRuns(s)
	emit := func(start, end int, title, dest string) {
		out = append(out, LLMsLink{Title: strings.TrimSpace(title), URL: dest, Line: it.lineAt(start)})
		starts, ends = append(starts, start), append(ends, end)
	}
	for i := 0; i < len(s); {
		switch c := s[i]; c {
		case '\\':
			i += 2
		case '`':
			i = ticks.skip(i)
		case '<':
			if end, u, ok := llmsAutolink(s, i); ok {
				emit(i, end, u, u)
				i = end
			} else {
				i++
			}
		case '!':
			if i+1 < len(s) && s[i+1] == '[' {
				openers = append(openers, opener{i + 1, true})
				i += 2
			} else {
				i++
			}
		case '[':
			openers = append(openers, opener{i, false})
			i++
		case ']':
			if len(openers) == 0 {
				i++
				continue
			}
			o := openers[len(openers)-1]
			openers = openers[:len(openers)-1]
			label := s[o.pos+1 : i]
			dest, end, ok := "", 0, false
			if i+1 < len(s) && s[i+1] == '(' {
				dest, end, ok = llmsInlineDest(s, i+2)
			}
			if !ok && i+1 < len(s) && s[i+1] == '[' {
				if j := strings.IndexByte(s[i+2:min(len(s), i+2+1000)], ']'); j >= 0 {
					ref := s[i+2 : i+2+j]
					if strings.TrimSpace(ref) == "" {
						ref = label
					}
					dest, ok = defs[llmsLabel(ref)]
					end = i + 3 + j
				}
			}
			if !ok && (i+1 >= len(s) || s[i+1] != '[' && s[i+1] != '(') {
				dest, ok = defs[llmsLabel(label)]
				end = i + 1
			}
			if !ok {
				i++
				continue
			}
			if !o.image {
				emit(o.pos, end, label, dest)
				// A link holds no link: the brackets before it are text.
				kept := openers[:0]
				for _, op := range openers {
					if op.image {
						kept = append(kept, op)
					}
				}
				openers = kept
			}
			i = end
		default:
			i++
		}
	}
	for k := range out {
		to := len(s)
		if k+1 < len(out) {
			to = starts[k+1]
		}
		n := strings.Join(strings.Fields(s[ends[k]:max(to, ends[k])]), " ")
		out[k].Notes = strings.TrimSpace(strings.TrimLeft(n, ":–—- "))
	}
	return out
}

// tickRuns are the runs of backticks of a text, to find in linear time
// the run that closes a code span (the next run of the same length).
type tickRuns struct {
	at   map[int]int // offset of a run -> its index
	runs [][2]int    // offset, length
	next []int       // index of the next run of the same length, or -1
}

func llmsTickRuns(s string) tickRuns {
	t := tickRuns{at: map[int]int{}}
	for i := 0; i < len(s); {
		if s[i] == '\\' {
			i += 2
			continue
		}
		if s[i] != '`' {
			i++
			continue
		}
		j := i
		for j < len(s) && s[j] == '`' {
			j++
		}
		t.at[i] = len(t.runs)
		t.runs = append(t.runs, [2]int{i, j - i})
		i = j
	}
	t.next = make([]int, len(t.runs))
	last := map[int]int{}
	for k := len(t.runs) - 1; k >= 0; k-- {
		t.next[k] = -1
		if n, ok := last[t.runs[k][1]]; ok {
			t.next[k] = n
		}
		last[t.runs[k][1]] = k
	}
	return t
}

// skip returns where the text goes on after the run of backticks at i: after
// the code span it opens, or after the run when nothing closes it.
func (t tickRuns) skip(i int) int {
	k, ok := t.at[i]
	if !ok { // inside a run already skipped
		return i + 1
	}
	if n := t.next[k]; n >= 0 {
		return t.runs[n][0] + t.runs[n][1]
	}
	return i + t.runs[k][1]
}

// llmsInlineDest parses an inline link's "(dest "title")" from i (after
// the "("): the destination and where the link ends.
func llmsInlineDest(s string, i int) (dest string, end int, ok bool) {
	skipSpace := func() {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n') {
			i++
		}
	}
	skipSpace()
	start := i
	if i < len(s) && s[i] == '<' {
		j := strings.IndexAny(s[i+1:min(len(s), i+1+maxLinkPart)], "<>\n")
		if j < 0 || s[i+1+j] != '>' {
			return "", 0, false
		}
		dest, i = s[i+1:i+1+j], i+2+j
	} else {
		depth := 0
	scan:
		for ; i < len(s) && i-start < maxLinkPart; i++ {
			switch c := s[i]; {
			case c == '\\' && i+1 < len(s):
				i++
			case c == '(':
				depth++
				if depth > 32 {
					return "", 0, false
				}
			case c == ')':
				if depth == 0 {
					break scan
				}
				depth--
			case c <= ' ':
				break scan
			}
		}
		if i-start >= maxLinkPart || depth != 0 {
			return "", 0, false
		}
		dest = s[start:i]
	}
	sp := i
	skipSpace()
	if i < len(s) && i > sp && (s[i] == '"' || s[i] == '\'' || s[i] == '(') {
		closer := s[i]
		if closer == '(' {
			closer = ')'
		}
		j := strings.IndexByte(s[i+1:min(len(s), i+1+maxLinkPart)], closer)
		if j < 0 {
			return "", 0, false
		}
		i += j + 2
		skipSpace()
	}
	if i >= len(s) || s[i] != ')' {
		return "", 0, false
	}
	return llmsUnescape(dest), i + 1, true
}

// llmsUnescape removes the backslashes of escaped ASCII punctuation.
func llmsUnescape(s string) string {
	if !strings.Contains(s, "\\") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && strings.IndexByte("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", s[i+1]) >= 0 {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// llmsAutolink parses "<scheme:...>" at i: where it ends and its URL.
func llmsAutolink(s string, i int) (end int, u string, ok bool) {
	j := strings.IndexAny(s[i+1:min(len(s), i+1+maxLinkPart)], "<> \t\n")
	if j < 0 || s[i+1+j] != '>' {
		return 0, "", false
	}
	u = s[i+1 : i+1+j]
	colon := strings.IndexByte(u, ':')
	if colon < 2 || colon > 32 || !(u[0] >= 'a' && u[0] <= 'z' || u[0] >= 'A' && u[0] <= 'Z') {
		return 0, "", false
	}
	for _, c := range u[1:colon] {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '+' || c == '.' || c == '-') {
			return 0, "", false
		}
	}
	return i + 2 + j, u, true
}
