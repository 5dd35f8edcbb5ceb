package golang

import (
	"go/format"
	"strings"
	"testing"
)

// gofmtDoc is what gofmt makes of the comment lines as the doc comment of
// a declaration.
func gofmtDoc(t testing.TB, lines []string) []string {
	t.Helper()
	src := "package p\n\n" + strings.Join(lines, "\n") + "\ntype T int\n"
	out, err := format.Source([]byte(src))
	if err != nil {
		t.Fatalf("%v\n%s", err, src)
	}
	s := strings.TrimPrefix(string(out), "package p\n\n")
	s = strings.TrimSuffix(s, "type T int\n")
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}

// docCases are descriptions that gofmt's doc comment reformatting touches
// (lists, code, headings, link definitions, curly quotes) or must not.
var docCases = []string{
	"A plain sentence.",
	"Two lines\nof one paragraph.",
	"namespace_ids=[''] and ``quoted'' text",
	"```\ncode fence\n```",
	"Intro:\n- one\n- two\n\nAfter.",
	"Intro:\n  * `admin` - owner\n  * `member` - member",
	"1. first\n2. second",
	"Heading\n\nText under it.\n\nMore",
	"# Heading\n\nText.",
	"Text\n\n    indented code\n\nmore",
	"See [the docs].\n\n[the docs]: https://example.com/docs",
	"See https://example.com/a_(b) and [Foo].",
	"• bullet\n• bullet",
	"+ plus item",
	"Trailing ''",
	"x ``` y '' z",
	"Deprecated: use something else.",
}

func TestFormatDocMatchesGofmt(t *testing.T) {
	for _, d := range docCases {
		lines := strings.Split(comment(d), "\n")
		got := formatDoc(lines)
		want := gofmtDoc(t, lines)
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%q:\n got %q\nwant %q", d, got, want)
		}
	}
}

// FuzzFormatDoc checks formatDoc, fast path included, against gofmt on
// arbitrary descriptions (as escaped into comments by esc).
func FuzzFormatDoc(f *testing.F) {
	for _, d := range docCases {
		f.Add(d)
	}
	f.Fuzz(func(t *testing.T, d string) {
		c := comment(d)
		if c == "" {
			return
		}
		lines := strings.Split(c, "\n")
		got := formatDoc(lines)
		want := gofmtDoc(t, lines)
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("%q:\n got %q\nwant %q", d, got, want)
		}
	})
}
