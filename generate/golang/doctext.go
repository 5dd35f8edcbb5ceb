package golang

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// docText renders a description from a spec, written in CommonMark, HTML
// or a mix of both (Stripe's are HTML paragraphs holding Markdown links), as
// plain Go doc text: paragraphs separated by blank lines, links as
// "text (URL)", list items as "- " lines (numbered ones keep their numbers),
// headings as lines of their own, code spans as their text, code blocks
// indented and entities decoded. The result is still untrusted text: it
// reaches the source only through esc(asComment, ...).
//
// Every pass is linear in the length of s: HTML goes through the
// tokenizer, not the tree builder (whose adoption agency and deep nesting
// cost more than linear time on hostile input), and the inline scanners
// look each delimiter up once.
func docText(s string) string {
	if s == "" {
		return ""
	}
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	decoded := false
	if hasHTML(s) {
		s = htmlText(s)
		decoded = true
	}
	return markdownText(s, decoded)
}

// htmlTags are the element names that make a description HTML; text with
// only other things in angle brackets ("/users/<id>") is not parsed as HTML.
var htmlTags = map[string]bool{
	"a": true, "abbr": true, "b": true, "blockquote": true, "br": true, "caption": true, "cite": true,
	"code": true, "dd": true, "del": true, "details": true, "div": true, "dl": true, "dt": true, "em": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "hr": true, "i": true, "img": true,
	"ins": true, "kbd": true, "li": true, "mark": true, "ol": true, "p": true, "pre": true, "s": true,
	"samp": true, "small": true, "span": true, "strike": true, "strong": true, "sub": true, "summary": true,
	"sup": true, "table": true, "tbody": true, "td": true, "tfoot": true, "th": true, "thead": true, "tr": true,
	"tt": true, "u": true, "ul": true, "var": true, "script": true, "style": true, "section": true,
	"article": true, "header": true, "footer": true,
}

// hasHTML reports whether s holds a tag of a known HTML element.
func hasHTML(s string) bool {
	for i := strings.IndexByte(s, '<'); i >= 0; {
		j := i + 1
		if j < len(s) && s[j] == '/' {
			j++
		}
		k := j
		for k < len(s) && k-j <= 10 && (s[k] >= 'a' && s[k] <= 'z' || s[k] >= 'A' && s[k] <= 'Z' || s[k] >= '0' && s[k] <= '9') {
			k++
		}
		if k > j && k < len(s) && strings.IndexByte(" \t\n/>", s[k]) >= 0 && htmlTags[strings.ToLower(s[j:k])] {
			return true
		}
		n := strings.IndexByte(s[i+1:], '<')
		if n < 0 {
			break
		}
		i += 1 + n
	}
	return false
}

// htmlBlock are the elements that stand as paragraphs of their own.
var htmlBlock = map[string]bool{
	"p": true, "div": true, "blockquote": true, "table": true, "h1": true, "h2": true, "h3": true, "h4": true,
	"h5": true, "h6": true, "dl": true, "hr": true, "section": true, "article": true, "header": true,
	"footer": true, "details": true, "summary": true, "caption": true,
}

// htmlText turns HTML into the Markdown-like text markdownText reads:
// blank lines between blocks, "- " and "N. " list items, links as
// "text (URL)", preformatted text indented as a code block, entities
// decoded and white space collapsed as a browser would. Tags of unknown
// elements are kept as text.
func htmlText(s string) string {
	z := html.NewTokenizer(strings.NewReader(s))
	var b []byte
	type link struct {
		href  string
		start int
	}
	var links []link
	var lists []int // per open list: 0 for ul, the next number for ol
	pre, skip, preStart := 0, 0, 0
	// breakLine ends the current line; paragraph leaves a blank line too.
	breakLine := func(n int) {
		for len(b) > 0 && b[len(b)-1] == ' ' {
			b = b[:len(b)-1]
		}
		if len(b) == 0 {
			return
		}
		have := 0
		for i := len(b) - 1; i >= 0 && b[i] == '\n' && have < n; i-- {
			have++
		}
		for ; have < n; have++ {
			b = append(b, '\n')
		}
	}
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return string(b)
		case html.TextToken:
			if skip > 0 {
				continue
			}
			text := string(z.Text())
			if pre > 0 {
				b = append(b, text...)
				continue
			}
			lead := len(text) > 0 && unicode.IsSpace(rune(text[0]))
			for i, f := range strings.FieldsFunc(text, unicode.IsSpace) {
				if (i > 0 || lead) && len(b) > 0 && b[len(b)-1] != '\n' && b[len(b)-1] != ' ' {
					b = append(b, ' ')
				}
				b = append(b, f...)
			}
			if len(text) > 0 && unicode.IsSpace(rune(text[len(text)-1])) && len(b) > 0 && b[len(b)-1] != '\n' {
				b = append(b, ' ')
			}
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			nameb, hasAttr := z.TagName()
			name := string(nameb)
			end := tt == html.EndTagToken
			if !htmlTags[name] {
				if skip == 0 {
					b = append(b, z.Raw()...)
				}
				continue
			}
			if name == "script" || name == "style" {
				if tt == html.StartTagToken {
					skip++
				} else if end && skip > 0 {
					skip--
				}
				continue
			}
			if skip > 0 {
				continue
			}
			switch {
			case htmlBlock[name]:
				breakLine(2)
			case name == "br" || name == "tr" || name == "dt" || name == "dd":
				breakLine(1)
			case name == "ul" || name == "ol":
				if end {
					if len(lists) > 0 {
						lists = lists[:len(lists)-1]
					}
					breakLine(2)
					continue
				}
				if len(lists) == 0 {
					breakLine(2)
				} else {
					breakLine(1)
				}
				lists = append(lists, map[bool]int{true: 1, false: 0}[name == "ol"])
			case name == "li":
				breakLine(1)
				if end {
					continue
				}
				if n := len(lists); n > 0 && lists[n-1] > 0 {
					b = append(b, itoa(lists[n-1])...)
					b = append(b, ". "...)
					lists[n-1]++
				} else {
					b = append(b, "- "...)
				}
			case name == "td" || name == "th":
				if !end && len(b) > 0 && b[len(b)-1] != '\n' && b[len(b)-1] != ' ' {
					b = append(b, ' ')
				}
			case name == "pre":
				breakLine(2)
				if !end {
					if pre == 0 {
						preStart = len(b)
					}
					pre++
				} else if pre > 0 {
					pre--
					if pre == 0 {
						b = append(b[:preStart], indentCode(string(b[preStart:]))...)
						breakLine(2)
					}
				}
			case name == "a":
				if end {
					if n := len(links); n > 0 {
						l := links[n-1]
						links = links[:n-1]
						text := strings.TrimSpace(string(b[l.start:]))
						if l.href != "" && l.href != text && !strings.HasPrefix(l.href, "#") &&
							!strings.HasPrefix(strings.ToLower(l.href), "javascript:") {
							if text == "" {
								b = append(b, l.href...)
							} else {
								b = append(b, " ("+l.href+")"...)
							}
						}
					}
					continue
				}
				href := ""
				for hasAttr {
					var k, v []byte
					k, v, hasAttr = z.TagAttr()
					if string(k) == "href" {
						href = strings.TrimSpace(string(v))
					}
				}
				if tt == html.StartTagToken {
					links = append(links, link{href, len(b)})
				}
			case name == "img":
				for hasAttr {
					var k, v []byte
					k, v, hasAttr = z.TagAttr()
					if string(k) == "alt" {
						b = append(b, v...)
					}
				}
			}
		}
	}
}

func itoa(n int) string {
	var d [20]byte
	i := len(d)
	for {
		i--
		d[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			return string(d[i:])
		}
	}
}

// indentCode indents the lines of a code block, less its leading and
// trailing blank lines.
func indentCode(s string) string {
	lines := strings.Split(strings.Trim(s, "\n"), "\n")
	var b strings.Builder
	for i, l := range lines {
		if i > 0 {
			b.WriteByte('\n')
		}
		if strings.TrimSpace(l) != "" {
			b.WriteString("    ")
			b.WriteString(l)
		}
	}
	return b.String()
}

// markdownText renders CommonMark's blocks and inlines as plain doc text;
// decoded says that entities were decoded already (by htmlText).
func markdownText(s string, decoded bool) string {
	var out []string
	blank := func() {
		if len(out) > 0 && out[len(out)-1] != "" {
			out = append(out, "")
		}
	}
	fence := ""
	code := false // the last line written belongs to a code block
	for _, l := range strings.Split(s, "\n") {
		l = strings.TrimRight(strings.ReplaceAll(l, "\t", "    "), " ")
		t := strings.TrimLeft(l, " ")
		indent := len(l) - len(t)
		if fence != "" {
			if indent < 4 && strings.HasPrefix(t, fence) && strings.Trim(t, fence[:1]) == "" {
				fence = ""
				blank()
				continue
			}
			if t == "" {
				out = append(out, "")
			} else {
				out = append(out, "    "+l)
			}
			continue
		}
		if indent < 4 && (strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~")) {
			fence = t[:3]
			blank()
			code = true
			continue
		}
		if t == "" {
			blank()
			continue
		}
		if indent >= 4 && (code || len(out) == 0 || out[len(out)-1] == "") {
			out = append(out, l)
			code = true
			continue
		}
		code = false
		for strings.HasPrefix(t, ">") {
			t = strings.TrimLeft(t[1:], " ")
		}
		if t == "" {
			blank()
			continue
		}
		if h := heading(t); h != "" {
			blank()
			out = append(out, inline(h, decoded))
			blank()
			continue
		}
		if rule(t) {
			blank()
			continue
		}
		if len(t) > 1 && strings.IndexByte("-*+", t[0]) >= 0 && t[1] == ' ' {
			out = append(out, "- "+inline(strings.TrimLeft(t[2:], " "), decoded))
			continue
		}
		if n := numbered(t); n > 0 {
			out = append(out, t[:n-2]+". "+inline(strings.TrimLeft(t[n:], " "), decoded))
			continue
		}
		out = append(out, inline(t, decoded))
	}
	for len(out) > 0 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	return strings.Join(out, "\n")
}

// heading returns the text of an ATX heading line ("## Title"), or "".
func heading(t string) string {
	n := 0
	for n < len(t) && t[n] == '#' {
		n++
	}
	if n == 0 || n > 6 || (n < len(t) && t[n] != ' ') {
		return ""
	}
	h := strings.TrimSpace(t[n:])
	h = strings.TrimSpace(strings.TrimRight(h, "#"))
	return h
}

// rule reports whether t is a thematic break or a setext underline.
func rule(t string) bool {
	c := t[0]
	if c != '-' && c != '*' && c != '_' && c != '=' {
		return false
	}
	n := 0
	for i := 0; i < len(t); i++ {
		switch t[i] {
		case c:
			n++
		case ' ':
		default:
			return false
		}
	}
	return n >= 3 || c == '='
}

// numbered returns the length of an ordered list marker with its space
// ("12. " -> 4), or 0.
func numbered(t string) int {
	i := 0
	for i < len(t) && i < 9 && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	if i == 0 || i+1 >= len(t) || (t[i] != '.' && t[i] != ')') || t[i+1] != ' ' {
		return 0
	}
	return i + 2
}

// inline renders a line's inlines: code spans as their text, links as
// "text (URL)", emphasis markers and backslash escapes removed, entities
// decoded unless decoded is set.
func inline(s string, decoded bool) string {
	if !strings.ContainsAny(s, "`[]<*_\\&") {
		return s
	}
	// Code spans: a run of n backquotes up to the next run of exactly n.
	// next[i] is the index of the next run as long as run i.
	type run struct{ at, n int }
	var runs []run
	for i := 0; i < len(s); {
		if s[i] != '`' {
			i++
			continue
		}
		j := i
		for j < len(s) && s[j] == '`' {
			j++
		}
		runs = append(runs, run{i, j - i})
		i = j
	}
	next := make([]int, len(runs))
	last := map[int]int{}
	for k := len(runs) - 1; k >= 0; k-- {
		next[k] = -1
		if m, ok := last[runs[k].n]; ok {
			next[k] = m
		}
		last[runs[k].n] = k
	}
	var b strings.Builder
	from := 0
	for k := 0; k < len(runs); k++ {
		m := next[k]
		if m < 0 {
			continue
		}
		b.WriteString(inlineText(s[from:runs[k].at], decoded))
		b.WriteString(strings.TrimSpace(s[runs[k].at+runs[k].n : runs[m].at]))
		from = runs[m].at + runs[m].n
		k = m
	}
	b.WriteString(inlineText(s[from:], decoded))
	return b.String()
}

// inlineText renders the links, emphasis and escapes of text outside code
// spans.
func inlineText(s string, decoded bool) string {
	var b strings.Builder
	text := func(t string) {
		t = emphasis(t)
		if !decoded {
			t = html.UnescapeString(t)
		}
		b.WriteString(t)
	}
	// stop finds the next ')' or '>' (want) or white space at or after i;
	// queries move forward, so the last answer is reused while it holds.
	stopAt, stopFrom := map[byte]int{}, map[byte]int{}
	stop := func(i int, want byte) int {
		if j, ok := stopAt[want]; ok && i >= stopFrom[want] && i <= j {
			return j
		}
		j := i
		for j < len(s) && s[j] != want && s[j] != ' ' && s[j] != '\t' {
			j++
		}
		stopAt[want], stopFrom[want] = j, i
		return j
	}
	from, open := 0, -1
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '[':
			open = i
		case ']':
			if open < 0 || i+1 >= len(s) || s[i+1] != '(' {
				open = -1
				continue
			}
			j := stop(i+2, ')')
			if j >= len(s) || s[j] != ')' {
				open = -1
				continue
			}
			start := open
			if start > from && s[start-1] == '!' {
				start--
			}
			text(s[from:start])
			label := strings.TrimSpace(s[open+1 : i])
			url := strings.Trim(s[i+2:j], "<>")
			switch {
			case url == "" || strings.HasPrefix(url, "#"):
				text(label)
			case label == "" || label == url:
				b.WriteString(url)
			default:
				text(label)
				b.WriteString(" (" + url + ")")
			}
			from, open, i = j+1, -1, j
		case '<':
			j := stop(i+1, '>')
			if j < len(s) && s[j] == '>' && strings.Contains(s[i+1:j], "://") {
				text(s[from:i])
				b.WriteString(s[i+1 : j])
				from, i = j+1, j
			}
		}
	}
	text(s[from:])
	return b.String()
}

// emphasis removes the markers of emphasis (*x*, **x**, _x_, __x__) and
// backslash escapes. A run of markers opens when followed by a non-space
// and closes when preceded by one (for _, also not inside a word); a
// closer pairs with the last unpaired opener if it is of the same
// character, so the pass is linear. Unpaired markers stay.
func emphasis(s string) string {
	if !strings.ContainsAny(s, "*_\\") {
		return s
	}
	type piece struct {
		text       string
		delim      byte
		drop       bool
		open, shut bool
	}
	var ps []piece
	var stack []int
	space := func(i int) bool { return i < 0 || i >= len(s) || s[i] == ' ' || s[i] == '\t' }
	word := func(i int) bool {
		if i < 0 || i >= len(s) {
			return false
		}
		c := s[i]
		return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
	}
	from := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\\' && i+1 < len(s) && strings.IndexByte("\\`*_{}[]()#+-.!<>|~", s[i+1]) >= 0 {
			ps = append(ps, piece{text: s[from:i]})
			from = i + 1
			i++
			continue
		}
		if c != '*' && c != '_' {
			continue
		}
		j := i
		for j < len(s) && s[j] == c {
			j++
		}
		open := !space(j)
		shut := !space(i - 1)
		if c == '_' {
			open = open && !word(i-1)
			shut = shut && !word(j)
		}
		ps = append(ps, piece{text: s[from:i]})
		ps = append(ps, piece{text: s[i:j], delim: c, open: open, shut: shut})
		k := len(ps) - 1
		switch {
		case shut && len(stack) > 0 && ps[stack[len(stack)-1]].delim == c:
			ps[stack[len(stack)-1]].drop = true
			ps[k].drop = true
			stack = stack[:len(stack)-1]
		case open:
			stack = append(stack, k)
		}
		from = j
		i = j - 1
	}
	ps = append(ps, piece{text: s[from:]})
	var b strings.Builder
	for _, p := range ps {
		if !p.drop {
			b.WriteString(p.text)
		}
	}
	return b.String()
}

// typeSentence makes a type's description a doc comment that starts with
// the type's name: "Pet is a pet in the store." from "A pet in the store.",
// "Customer represents ..." from "This object represents ..." or
// "Represents ...". It returns "" when the description only repeats the
// name (a title "CreateChannelRequest" on CreateChannelRequest).
func typeSentence(name, d string) string {
	// A first paragraph that only names the type (a heading "# Channels"
	// on Channel) is dropped.
	for {
		first, rest, _ := strings.Cut(d, "\n\n")
		if !sameWords(name, first) && !sameWords(name+"s", first) {
			break
		}
		d = strings.TrimLeft(rest, "\n")
	}
	if d == "" {
		return ""
	}
	if startsWithName(d, name) {
		return d
	}
	first, rest, _ := strings.Cut(d, " ")
	lower := strings.ToLower(first)
	switch {
	case lower == "a" || lower == "an" || lower == "the":
		// "A channel groups ..." on Channel is a sentence about the type.
		if noun, tail, ok := strings.Cut(rest, " "); ok && sameWords(name, noun) {
			if v, _, _ := strings.Cut(tail, " "); v == "is" || v == "has" || v == "can" || v == "may" ||
				len(v) > 3 && strings.HasSuffix(v, "s") && !strings.HasSuffix(v, "ss") && strings.ToLower(v) == v {
				return name + " " + tail
			}
		}
		return name + " is " + lower + " " + rest
	case lower == "this" || lower == "these":
		if noun, tail, ok := strings.Cut(rest, " "); ok && selfNouns[strings.ToLower(noun)] {
			if v, _, _ := strings.Cut(tail, " "); thirdPerson[strings.ToLower(v)] || strings.ToLower(v) == "is" {
				return name + " " + lowerFirst(tail)
			}
		}
	case thirdPerson[lower]:
		return name + " " + lower + " " + rest
	}
	if lower == "this" && strings.HasPrefix(rest, "is ") {
		return name + " " + rest
	}
	// "Account Links are the means ..." on AccountLink: a short subject
	// before "is" or "are" stands for the type.
	ws := strings.SplitN(d, " ", 6)
	for i := 1; i < len(ws)-1; i++ {
		if ws[i] == "is" || ws[i] == "are" {
			return name + " is " + strings.Join(ws[i+1:], " ")
		}
		if strings.ContainsAny(ws[i], ".,;:()") {
			break
		}
	}
	return name + " is " + lowerFirst(d)
}

// selfNouns are the words a description uses for the thing it describes
// ("This object represents ...").
var selfNouns = map[string]bool{"object": true, "resource": true, "schema": true, "type": true, "model": true,
	"entity": true, "structure": true, "field": true, "property": true, "endpoint": true}

// thirdPerson are the verbs that can start a type's description.
var thirdPerson = map[string]bool{"represents": true, "contains": true, "describes": true, "defines": true,
	"holds": true, "stores": true, "specifies": true, "provides": true, "identifies": true, "indicates": true,
	"configures": true, "controls": true, "tracks": true, "lists": true, "allows": true, "enables": true}

// opSentence is the first sentence of an operation's doc comment, from its
// summary: "GetContact gets a contact." from "Get a contact", or
// "GetContact calls GET /contacts/{id}." when the summary does not start
// with a verb (the summary then follows as a paragraph of its own).
func opSentence(name, method, path, summary string) (lead, rest string) {
	calls := name + " calls " + method + " " + path + "."
	if summary == "" {
		return calls, ""
	}
	if startsWithName(summary, name) {
		return sentence(summary), method + " " + path
	}
	first, tail, _ := strings.Cut(summary, " ")
	lower := strings.ToLower(first)
	verb := ""
	switch {
	case imperative[lower]:
		verb = conjugate(lower)
	case strings.HasSuffix(lower, "s") && (imperative[lower[:len(lower)-1]] || imperative[strings.TrimSuffix(lower, "es")]):
		verb = lower
	case strings.HasSuffix(lower, "ies") && imperative[strings.TrimSuffix(lower, "ies")+"y"]:
		verb = lower
	}
	if verb == "" || first != strings.ToUpper(first[:1])+lower[1:] && first != lower {
		if sameWords(name, summary) {
			return calls, ""
		}
		return calls, sentence(summary)
	}
	s := name + " " + verb
	if tail != "" {
		s += " " + tail
	}
	return sentence(s), method + " " + path
}

// imperative are verbs that start operation summaries ("Get a contact").
var imperative = func() map[string]bool {
	m := map[string]bool{}
	for _, v := range strings.Fields(`accept add apply approve archive assign attach block cancel capture change check
		claim clear close compare configure confirm convert copy count create decline delete deploy detach disable
		dismiss download edit enable execute export fetch finalize find follow generate get import install invite
		invoke link list load lock mark merge modify move mute open patch pause pay pin post preview publish purge
		put query read redeliver refresh refund register reject release remove rename render replace request rerun
		reserve reset restore resume retrieve return review revoke run save schedule search send set share star
		start stop submit subscribe suspend sync test transfer trigger unarchive unassign unblock unfollow uninstall
		unlink unlock unmute unpin unstar unsubscribe unsuspend update upload validate verify void write`) {
		m[v] = true
	}
	return m
}()

// conjugate returns the third person singular of an English verb.
func conjugate(v string) string {
	switch {
	case strings.HasSuffix(v, "s"), strings.HasSuffix(v, "sh"), strings.HasSuffix(v, "ch"),
		strings.HasSuffix(v, "x"), strings.HasSuffix(v, "z"), strings.HasSuffix(v, "o"):
		return v + "es"
	case len(v) > 1 && strings.HasSuffix(v, "y") && !strings.ContainsRune("aeiou", rune(v[len(v)-2])):
		return v[:len(v)-1] + "ies"
	}
	return v + "s"
}

// sentence ends s with a full stop unless it ends with punctuation.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || strings.ContainsRune(".!?:", rune(s[len(s)-1])) {
		return s
	}
	return s + "."
}

// startsWithName reports whether d starts with the word name.
func startsWithName(d, name string) bool {
	rest, ok := strings.CutPrefix(d, name)
	return ok && (rest == "" || !isIdentRune(rest[0]))
}

func isIdentRune(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// sameWords reports whether text says nothing but name: the same words in
// any case and spacing ("Create channel request." for CreateChannelRequest).
func sameWords(name, text string) bool {
	norm := func(s string) string {
		var b strings.Builder
		for i := 0; i < len(s); i++ {
			if isIdentRune(s[i]) && s[i] != '_' {
				b.WriteByte(s[i] | 0x20)
			}
		}
		return b.String()
	}
	return len(text) <= 4*len(name)+8 && norm(name) == norm(text)
}

// lowerFirst lower-cases the first letter of s when its first word is a
// capitalised ordinary word ("Customer details" -> "customer details"),
// leaving acronyms and names with inner capitals ("API key", "GitHub").
func lowerFirst(s string) string {
	first, _, _ := strings.Cut(s, " ")
	if len(first) < 2 || first[0] < 'A' || first[0] > 'Z' {
		return s
	}
	for i := 1; i < len(first); i++ {
		if first[i] >= 'A' && first[i] <= 'Z' || first[i] >= '0' && first[i] <= '9' {
			return s
		}
	}
	return string(first[0]|0x20) + s[1:]
}
