package tools

import (
	"html"
	"regexp"
	"strings"
	"sync"
	"unicode/utf8"
)

var (
	mdComment    = regexp.MustCompile(`(?s)<!--.*?-->`)
	mdBreak      = regexp.MustCompile(`(?i)<br\s*/?>|</p>|</li>|</div>`)
	mdTag        = regexp.MustCompile(`</?[a-zA-Z][a-zA-Z0-9-]*(\s[^<>]*)?/?>`)
	mdImage      = regexp.MustCompile(`!\[([^\]]*)\]\([^)]*\)`)
	mdLink       = regexp.MustCompile(`\[([^\]]+)\]\((?:[^()]|\([^)]*\))*\)`)
	mdRefLink    = regexp.MustCompile(`\[([^\]]+)\]\[[^\]]*\]`)
	mdRefDef     = regexp.MustCompile(`(?m)^\s{0,3}\[[^\]]+\]:\s+\S.*$`)
	mdHeading    = regexp.MustCompile(`(?m)^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$`)
	mdQuote      = regexp.MustCompile(`(?m)^\s{0,3}>\s?`)
	mdAlert      = regexp.MustCompile(`(?m)^\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]\s*`)
	mdStrong     = regexp.MustCompile(`\*\*([^*\n]+)\*\*|__([^_\n]+)__`)
	mdFence      = regexp.MustCompile("(?m)^\\s*(```|~~~).*$")
	mdRule       = regexp.MustCompile(`(?m)^\s{0,3}([-*_]\s*){3,}$`)
	mdTrailing   = regexp.MustCompile(`(?m)[ \t]+$`)
	mdBlankLines = regexp.MustCompile(`\n{3,}`)
)

// cleanMarkdown turns a spec's CommonMark (with the HTML specs embed) into
// plain text an LLM reads cheaply: links keep their text, images their alt
// text, headings and emphasis lose their markers, tags and comments go,
// entities are decoded and blank lines collapse. Inline code keeps its
// backticks: they mark identifiers.
func cleanMarkdown(s string) string {
	if !strings.ContainsAny(s, "<>[]#*_`&~!-\r\n") && utf8.ValidString(s) {
		return strings.TrimSpace(s)
	}
	mdCache.Lock()
	out, ok := mdCache.m[s]
	mdCache.Unlock()
	if ok {
		return out
	}
	out = clean(s)
	mdCache.Lock()
	if len(mdCache.m) > 1<<16 {
		clear(mdCache.m)
	}
	mdCache.m[s] = out
	mdCache.Unlock()
	return out
}

// mdCache memoises cleanMarkdown: big specs repeat the same descriptions on
// every use of a shared schema.
var mdCache = struct {
	sync.Mutex
	m map[string]string
}{m: map[string]string{}}

func clean(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = mdComment.ReplaceAllString(s, "")
	s = mdBreak.ReplaceAllString(s, "\n")
	s = mdTag.ReplaceAllString(s, "")
	s = mdImage.ReplaceAllString(s, "$1")
	s = mdLink.ReplaceAllString(s, "$1")
	s = mdRefLink.ReplaceAllString(s, "$1")
	s = mdRefDef.ReplaceAllString(s, "")
	s = mdHeading.ReplaceAllString(s, "$1")
	s = mdQuote.ReplaceAllString(s, "")
	s = mdAlert.ReplaceAllString(s, "$1: ")
	s = mdStrong.ReplaceAllString(s, "$1$2")
	s = mdFence.ReplaceAllString(s, "")
	s = mdRule.ReplaceAllString(s, "")
	s = html.UnescapeString(s)
	s = mdTrailing.ReplaceAllString(s, "")
	s = mdBlankLines.ReplaceAllString(s, "\n\n")
	return strings.TrimSpace(s)
}

// truncate shortens s to at most max bytes (so at most max characters),
// preferring the end of a sentence, then of a word, and marks the cut with
// "...". It never splits a UTF-8 sequence.
func truncate(s string, max int) string {
	if len(s) <= max {
		return s
	}
	const mark = "..."
	if max <= len(mark) {
		return mark[:max]
	}
	cut := max - len(mark)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	head := s[:cut]
	if i := strings.LastIndexAny(head, ".!?\n"); i >= cut/2 {
		return strings.TrimSpace(head[:i+1])
	}
	if i := strings.LastIndexAny(head, " \t"); i >= cut/2 {
		head = head[:i]
	}
	return strings.TrimSpace(head) + mark
}

// firstLine is the first line of s, for titles.
func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}
