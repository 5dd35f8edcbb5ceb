package extract

import (
	"bufio"
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

// LLMsLink is one list item "- [title](url): notes".
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

var linkItem = regexp.MustCompile(`^\s*[-*+]\s+\[([^\]]*)\]\(\s*([^)\s]+)(?:\s+"[^"]*")?\s*\)\s*(?::\s*(.*))?$`)

// ParseLLMsTxt parses an llms.txt file. It never fails: departures from the
// format are listed in Problems with their lines, so a check can report
// them and still use what was readable.
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
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 64*1024), MaxLLMsTxtBytes+1)
	n := 0
	state := 0 // 0 before H1, 1 after H1 (summary/details), 2 in sections
	var details []string
	var summary []string
	inFence := false
	var cur *LLMsSection
	for sc.Scan() {
		n++
		line := strings.TrimRight(sc.Text(), " \t\r")
		trim := strings.TrimSpace(line)
		if strings.HasPrefix(trim, "```") || strings.HasPrefix(trim, "~~~") {
			inFence = !inFence
		}
		switch {
		case !inFence && strings.HasPrefix(line, "# "):
			if state == 0 {
				l.Title = strings.TrimSpace(line[2:])
				state = 1
			} else {
				prob(n, "a second H1 %q; an llms.txt has exactly one H1, the first line", strings.TrimSpace(line[2:]))
			}
		case !inFence && strings.HasPrefix(line, "## "):
			if state == 0 {
				prob(n, "a section before the H1 title")
			}
			state = 2
			l.Sections = append(l.Sections, LLMsSection{Name: strings.TrimSpace(line[3:]), Line: n})
			cur = &l.Sections[len(l.Sections)-1]
		case trim == "":
		case state == 0:
			prob(n, "text before the H1 title; an llms.txt starts with \"# Name\"")
		case state == 1:
			if strings.HasPrefix(trim, ">") && len(details) == 0 {
				summary = append(summary, strings.TrimSpace(strings.TrimPrefix(trim, ">")))
			} else {
				details = append(details, line)
			}
		case state == 2:
			if m := linkItem.FindStringSubmatch(line); m != nil {
				cur.Links = append(cur.Links, LLMsLink{Title: strings.TrimSpace(m[1]), URL: m[2], Notes: strings.TrimSpace(m[3]), Line: n})
			} else if strings.HasPrefix(trim, "-") || strings.HasPrefix(trim, "*") {
				prob(n, "list item in section %q is not a link \"- [name](url): notes\"", cur.Name)
			}
			// Other text inside a section is allowed prose.
		}
	}
	if err := sc.Err(); err != nil {
		prob(n+1, "read stopped: %v", err)
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
