// Package extract pulls machine-readable data out of HTML pages: JSON-LD
// (parsed leniently, as search engines and extruct do, with the repairs
// recorded), microdata, RDFa Lite, OpenGraph and Twitter cards, and parses
// llms.txt files. Every function is pure: bytes or a parsed document in,
// values out.
package extract

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"regexp"
	"strings"
	"unicode/utf8"

	xhtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// MaxJSONLDBytes caps the size of one JSON-LD script that is parsed; larger
// scripts are reported as errors rather than parsed.
const MaxJSONLDBytes = 4 << 20

// maxDepth caps the nesting of parsed JSON so hostile input cannot exhaust
// the stack.
const maxDepth = 512

// JSONLDBlock is one <script type="application/ld+json"> of a page.
type JSONLDBlock struct {
	// Line is the 1-based line of the page on which the script's content
	// starts, or 0 when the block came from a parsed tree.
	Line int `json:"line,omitempty"`
	// Items are the top-level JSON-LD objects (a top-level array is spread).
	Items []any `json:"items,omitempty"`
	// Repairs lists the leniencies that were needed to read the script
	// ("comments removed", "trailing junk ignored", ...). A strictly valid
	// script has none.
	Repairs []string `json:"repairs,omitempty"`
	// Err is the syntax error of a script that could not be read at all.
	Err *SyntaxError `json:"error,omitempty"`
}

// SyntaxError locates a JSON syntax error inside a script.
type SyntaxError struct {
	Line   int    `json:"line"`   // 1-based line within the page (or the script when the page line is unknown)
	Column int    `json:"column"` // 1-based column, in characters
	Msg    string `json:"message"`
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("%d:%d: %s", e.Line, e.Column, e.Msg) }

// IsJSONLDType reports whether a script's type attribute names JSON-LD.
// Browsers and search engines compare it case-insensitively and ignore
// surrounding white space; so do we.
func IsJSONLDType(t string) bool {
	t = strings.TrimSpace(t)
	if i := strings.IndexByte(t, ';'); i >= 0 {
		t = strings.TrimSpace(t[:i])
	}
	return strings.EqualFold(t, "application/ld+json")
}

// JSONLD finds and parses every JSON-LD script of an HTML page, with page
// line numbers. It never fails: unreadable scripts carry Err.
func JSONLD(page []byte) []JSONLDBlock {
	var out []JSONLDBlock
	z := xhtml.NewTokenizer(bytes.NewReader(page))
	line := 1
	inScript := false
	for {
		tt := z.Next()
		if tt == xhtml.ErrorToken {
			if !errors.Is(z.Err(), io.EOF) {
				break
			}
			break
		}
		raw := z.Raw()
		startLine := line
		line += bytes.Count(raw, []byte{'\n'})
		switch tt {
		case xhtml.StartTagToken:
			name, hasAttr := z.TagName()
			inScript = false
			if atom.Lookup(name) != atom.Script || !hasAttr {
				continue
			}
			for {
				k, v, more := z.TagAttr()
				if string(k) == "type" && IsJSONLDType(string(v)) {
					inScript = true
				}
				if !more {
					break
				}
			}
			if inScript {
				// A script with no content yields an end tag next.
				continue
			}
		case xhtml.TextToken:
			if inScript {
				inScript = false
				if b, ok := ParseJSONLDScript(string(z.Text()), startLine); ok {
					out = append(out, b)
				}
			}
		default:
			inScript = false
		}
	}
	return out
}

// JSONLDFromTree reads the JSON-LD scripts of an already parsed document.
// Lines are unknown (0).
func JSONLDFromTree(doc *xhtml.Node) []JSONLDBlock {
	var out []JSONLDBlock
	var walk func(*xhtml.Node)
	walk = func(n *xhtml.Node) {
		if n.Type == xhtml.ElementNode && n.DataAtom == atom.Script && IsJSONLDType(attr(n, "type")) {
			var sb strings.Builder
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				if c.Type == xhtml.TextNode {
					sb.WriteString(c.Data)
				}
			}
			if b, ok := ParseJSONLDScript(sb.String(), 0); ok {
				out = append(out, b)
			}
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}

// ParseJSONLDScript parses the text of one JSON-LD script leniently. line is
// the page line on which the text starts (0 if unknown). ok is false for a
// script that holds only white space.
//
// The repairs, tried in this order as extruct does, are: control characters
// inside strings accepted; a leading HTML or // comment line dropped; /* */
// and // comments and trailing commas removed; JavaScript escapes (\' \xHH)
// and stray backslashes repaired; HTML entities decoded (a page that
// HTML-escaped its script); and finally as many complete values as the
// script starts with kept, and trailing junk ignored.
func ParseJSONLDScript(text string, line int) (JSONLDBlock, bool) {
	b := JSONLDBlock{Line: line}
	// Offsets below are into trimmed; lead counts the lines trimmed off.
	trimmed := strings.TrimSpace(text)
	if trimmed == "" {
		return b, false
	}
	lead := strings.Count(text[:strings.Index(text, trimmed)], "\n")
	if len(trimmed) > MaxJSONLDBytes {
		b.Err = &SyntaxError{Line: max(line, 1) + lead, Column: 1, Msg: fmt.Sprintf("script of %d bytes is larger than the %d-byte limit", len(trimmed), MaxJSONLDBytes)}
		return b, true
	}
	if !utf8.ValidString(trimmed) {
		trimmed = strings.ToValidUTF8(trimmed, "\uFFFD")
		b.Repairs = append(b.Repairs, "invalid UTF-8 replaced")
	}
	v, err := decodeOne(trimmed)
	if err == nil {
		b.Items = items(v)
		return b, true
	}
	firstErr := err
	s := trimmed
	if loc := leadingComment.FindStringIndex(s); loc != nil {
		s = s[:loc[0]] + s[loc[1]:]
	}
	s2 := stripComments(s)
	if v, err := decodeOne(s2); err == nil {
		b.Items = items(v)
		b.Repairs = append(b.Repairs, "comments or trailing commas removed")
		return b, true
	}
	s3 := repairEscapes(s2)
	if v, err := decodeOne(s3); err == nil {
		b.Items = items(v)
		b.Repairs = append(b.Repairs, "JavaScript escapes repaired")
		return b, true
	}
	if strings.Contains(s3, "&quot;") || strings.Contains(s3, "&#34;") || strings.Contains(s3, "&#x22;") {
		if v, err := decodeOne(stripComments(html.UnescapeString(trimmed))); err == nil {
			b.Items = items(v)
			b.Repairs = append(b.Repairs, "HTML entities decoded (the script was HTML-escaped)")
			return b, true
		}
	}
	if vals, rest := decodeLeading(s3); len(vals) > 0 {
		for _, v := range vals {
			b.Items = append(b.Items, items(v)...)
		}
		if len(vals) > 1 {
			b.Repairs = append(b.Repairs, "several JSON values concatenated")
		}
		if rest > 0 {
			b.Repairs = append(b.Repairs, fmt.Sprintf("%d trailing characters ignored", rest))
		}
		return b, true
	}
	b.Err = locate(trimmed, firstErr, line, lead)
	return b, true
}

var leadingComment = regexp.MustCompile(`^\s*(//.*|<!--.*-->)`)

// items spreads a top-level array and drops null and empty values, as
// extruct does.
func items(v any) []any {
	var out []any
	add := func(x any) {
		switch t := x.(type) {
		case nil:
		case map[string]any:
			if len(t) > 0 {
				out = append(out, t)
			}
		case []any:
			if len(t) > 0 {
				out = append(out, t)
			}
		case string:
			if t != "" {
				out = append(out, t)
			}
		default:
			out = append(out, t)
		}
	}
	if a, ok := v.([]any); ok {
		for _, x := range a {
			add(x)
		}
	} else if m, ok := v.(map[string]any); ok {
		add(m)
	}
	return out
}

// decodeOne decodes exactly one JSON value, accepting raw control
// characters inside strings (as Python's json with strict=False does).
func decodeOne(s string) (any, error) {
	s = escapeControls(s)
	if err := checkDepth(s); err != nil {
		return nil, err
	}
	d := json.NewDecoder(strings.NewReader(s))
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	if d.More() {
		off := d.InputOffset()
		return nil, &json.SyntaxError{Offset: off}
	}
	// Decoder.More is false at EOF and also before a stray ']' or '}';
	// look at what is left.
	if rest := strings.TrimSpace(s[d.InputOffset():]); rest != "" {
		return nil, &trailingError{offset: d.InputOffset()}
	}
	return v, nil
}

type trailingError struct{ offset int64 }

func (e *trailingError) Error() string { return "invalid character after top-level value" }

// decodeLeading decodes as many complete values as s starts with and
// returns them with the number of characters left over.
func decodeLeading(s string) ([]any, int) {
	s = escapeControls(s)
	if checkDepth(s) != nil {
		return nil, len(s)
	}
	d := json.NewDecoder(strings.NewReader(s))
	var out []any
	off := int64(0)
	for {
		var v any
		if err := d.Decode(&v); err != nil {
			break
		}
		out = append(out, v)
		off = d.InputOffset()
	}
	rest := strings.TrimSpace(s[off:])
	return out, utf8.RuneCountInString(rest)
}

// checkDepth rejects JSON nested deeper than maxDepth, outside strings.
func checkDepth(s string) error {
	depth, inStr, esc := 0, false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if inStr {
			switch {
			case esc:
				esc = false
			case c == '\\':
				esc = true
			case c == '"':
				inStr = false
			}
			continue
		}
		switch c {
		case '"':
			inStr = true
		case '[', '{':
			depth++
			if depth > maxDepth {
				return fmt.Errorf("JSON nested more than %d levels deep", maxDepth)
			}
		case ']', '}':
			depth--
		}
	}
	return nil
}

// escapeControls escapes raw control characters inside JSON strings.
func escapeControls(s string) string {
	need := false
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 && s[i] != '\n' && s[i] != '\r' && s[i] != '\t' && s[i] != ' ' {
			need = true
			break
		}
		if s[i] == '\n' || s[i] == '\r' || s[i] == '\t' {
			need = true
			break
		}
	}
	if !need {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	inStr, esc := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !inStr {
			if c == '"' {
				inStr = true
			}
			b.WriteByte(c)
			continue
		}
		switch {
		case esc:
			esc = false
			b.WriteByte(c)
		case c == '\\':
			esc = true
			b.WriteByte(c)
		case c == '"':
			inStr = false
			b.WriteByte(c)
		case c < 0x20:
			fmt.Fprintf(&b, `\u%04x`, c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// stripComments removes // and /* */ comments outside strings and commas
// that directly precede a closing bracket, as jstyleson does.
func stripComments(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	inStr, esc := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if inStr {
			switch {
			case esc:
				esc = false
			case c == '\\':
				esc = true
			case c == '"':
				inStr = false
			}
			b.WriteByte(c)
			continue
		}
		switch {
		case c == '"':
			inStr = true
			b.WriteByte(c)
		case c == '/' && i+1 < len(s) && s[i+1] == '/':
			for i < len(s) && s[i] != '\n' {
				i++
			}
			if i < len(s) {
				b.WriteByte('\n')
			}
		case c == '/' && i+1 < len(s) && s[i+1] == '*':
			end := strings.Index(s[i+2:], "*/")
			if end < 0 {
				i = len(s)
			} else {
				// Keep line numbers: replace the comment by its newlines.
				b.WriteString(strings.Repeat("\n", strings.Count(s[i:i+2+end+2], "\n")))
				i += 2 + end + 1
			}
		case c == ',':
			j := i + 1
			for j < len(s) && (s[j] == ' ' || s[j] == '\t' || s[j] == '\n' || s[j] == '\r') {
				j++
			}
			// A comma followed (after white space and comments) by a closing
			// bracket is a trailing comma.
			k := j
			for k+1 < len(s) && s[k] == '/' && (s[k+1] == '/' || s[k+1] == '*') {
				if s[k+1] == '/' {
					for k < len(s) && s[k] != '\n' {
						k++
					}
				} else if e := strings.Index(s[k+2:], "*/"); e >= 0 {
					k += 2 + e + 2
				} else {
					k = len(s)
				}
				for k < len(s) && (s[k] == ' ' || s[k] == '\t' || s[k] == '\n' || s[k] == '\r') {
					k++
				}
			}
			if k < len(s) && (s[k] == '}' || s[k] == ']') {
				continue
			}
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// repairEscapes rewrites JavaScript escapes JSON does not allow: \' becomes
// ', \xHH becomes \u00HH, and any other invalid escape keeps its backslash
// as a literal one.
func repairEscapes(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 >= len(s) {
			b.WriteByte(c)
			continue
		}
		n := s[i+1]
		switch {
		case n == 'u' && i+5 < len(s) && isHex(s[i+2:i+6]):
			b.WriteString(s[i : i+6])
			i += 5
		case n == 'x' && i+3 < len(s) && isHex(s[i+2:i+4]):
			b.WriteString(`\u00` + s[i+2:i+4])
			i += 3
		case strings.IndexByte(`"\/bfnrt`, n) >= 0:
			b.WriteByte('\\')
			b.WriteByte(n)
			i++
		case n == '\'':
			b.WriteByte('\'')
			i++
		default:
			b.WriteString(`\\`)
		}
	}
	return b.String()
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// locate turns a decoding error into a line and column of the page.
func locate(s string, err error, line, lead int) *SyntaxError {
	var off int64 = -1
	var se *json.SyntaxError
	var te *trailingError
	var ue *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.offset
	case errors.As(err, &ue):
		off = ue.Offset
	}
	msg := strings.TrimPrefix(err.Error(), "json: ")
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		off = int64(len(s))
		msg = "unexpected end of JSON"
	}
	if off < 0 || off > int64(len(s)) {
		off = 0
	}
	prefix := s[:off]
	l := strings.Count(prefix, "\n")
	col := utf8.RuneCountInString(prefix[strings.LastIndexByte(prefix, '\n')+1:])
	if col == 0 {
		col = 1
	}
	base := line
	if base == 0 {
		base = 1
	}
	return &SyntaxError{Line: base + lead + l, Column: col, Msg: msg}
}

func attr(n *xhtml.Node, key string) string {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *xhtml.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return true
		}
	}
	return false
}
