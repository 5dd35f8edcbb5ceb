package golang

import (
	"fmt"
	"go/token"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// context says where a spec-derived string lands in generated source.
type context int

const (
	asIdent   context = iota // an identifier
	asString                 // a Go string literal
	asComment                // the text of // comments, one or more lines
	asTag                    // a struct tag literal for a JSON member name
)

// badIdent is raised (as a panic caught by Generate) when a name that should
// have come out of the IR's naming pass is not a safe identifier.
type badIdent string

// esc is the one escaping function: every identifier, comment and string
// literal that comes from a spec reaches the generated source through it, so
// that a spec can never inject code.
//
//   - identifiers must already be valid, non-keyword Go identifiers (the
//     naming pass guarantees it); anything else aborts generation;
//   - string literals are quoted with strconv.Quote, which escapes quotes,
//     backslashes, control characters and invalid UTF-8;
//   - comments become "// " lines: line breaks end a line (and start the next
//     with "// "), other control, format and bidirectional characters become
//     spaces, so text cannot leave the comment or hide what the code does;
//   - struct tags are `json:"..."` with the member name quoted, and written as
//     a quoted literal when the name holds a backquote.
func esc(ctx context, s string) string {
	switch ctx {
	case asIdent:
		if !token.IsIdentifier(s) || token.IsKeyword(s) {
			panic(badIdent(s))
		}
		return s
	case asString:
		return strconv.Quote(s)
	case asComment:
		return comment(s)
	case asTag:
		tag := "json:" + strconv.Quote(s)
		if strings.ContainsRune(tag, '`') {
			return strconv.Quote(tag)
		}
		return "`" + tag + "`"
	}
	panic(fmt.Sprintf("esc: unknown context %d", ctx))
}

func comment(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var b strings.Builder
	lines := strings.Split(s, "\n")
	// Drop leading and trailing blank lines; keep inner paragraphs.
	for len(lines) > 0 && strings.TrimSpace(lines[0]) == "" {
		lines = lines[1:]
	}
	for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) == "" {
		lines = lines[:len(lines)-1]
	}
	for i, line := range lines {
		line = strings.Map(func(r rune) rune {
			switch {
			case r == '\t':
				return ' '
			case unicode.IsControl(r), unicode.Is(unicode.Cf, r), r == '\u2028', r == '\u2029', r == '\uFEFF':
				return ' '
			}
			return r
		}, line)
		line = strings.TrimRight(line, " ")
		if i > 0 {
			b.WriteByte('\n')
		}
		if line == "" {
			b.WriteString("//")
		} else {
			b.WriteString("// ")
			b.WriteString(line)
		}
	}
	return b.String()
}
