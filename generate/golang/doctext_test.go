package golang

import (
	"strings"
	"testing"
)

func TestDocText(t *testing.T) {
	for in, want := range map[string]string{
		"<p>One &amp; two.</p><p>Three.</p>":                "One & two.\n\nThree.",
		"See <a href=\"https://x.test/a\">the docs</a>.":    "See the docs (https://x.test/a).",
		"<a href=\"https://x.test\">https://x.test</a>":     "https://x.test",
		"<ol><li>a</li><li>b</li></ol>":                     "1. a\n2. b",
		"<p>Use <code>id</code></p><pre>x := 1\ny</pre>":    "Use id\n\n    x := 1\n    y",
		"/users/<id> and a < b":                             "/users/<id> and a < b",
		"<p>Path /users/<id></p>":                           "Path /users/<id>",
		"## Title ##\nText with [a link](https://x.test).":  "Title\n\nText with a link (https://x.test).",
		"* one\n+ two\n- three":                             "- one\n- two\n- three",
		"**bold** and _it_ but snake_case_name and 2 * 3":   "bold and it but snake_case_name and 2 * 3",
		"`a*b*` and ``x ` y`` and \\*lit\\*":                "a*b* and x ` y and *lit*",
		"> quoted\n\n---\n\n```go\nfunc f() {}\n```\nafter": "quoted\n\n    func f() {}\n\nafter",
		"Tom &amp; Jerry <https://x.test/t>":                "Tom & Jerry https://x.test/t",
		"[same](#anchor) ![alt](https://x.test/i.png)":      "same alt (https://x.test/i.png)",
	} {
		if got := docText(in); got != want {
			t.Errorf("docText(%q) =\n%q, want\n%q", in, got, want)
		}
	}
}

func TestSentences(t *testing.T) {
	for _, c := range [][3]string{
		{"Pet", "A pet in the store.", "Pet is a pet in the store."},
		{"Channel", "A channel groups messages.", "Channel groups messages."},
		{"Customer", "This object represents a customer.", "Customer represents a customer."},
		{"Pet", "Pet is an animal.", "Pet is an animal."},
		{"Config", "Describes the settings.", "Config describes the settings."},
		{"CreateChannelRequest", "CreateChannelRequest", ""},
		{"Channel", "Channels\n\nA channel.", "Channel is a channel."},
		{"Key", "API key of the user", "Key is API key of the user"},
		{"Account", "This is an object representing an account.", "Account is an object representing an account."},
		{"AccountLink", "Account Links are the means by which", "AccountLink is the means by which"},
	} {
		if got := typeSentence(c[0], c[1]); got != c[2] {
			t.Errorf("typeSentence(%q, %q) = %q, want %q", c[0], c[1], got, c[2])
		}
	}
	for _, c := range [][4]string{
		{"GetContact", "Get a contact", "GetContact gets a contact.", "GET /c"},
		{"ListPets", "Lists pets", "ListPets lists pets.", "GET /c"},
		{"ReposSearch", "Search repositories", "ReposSearch searches repositories.", "GET /c"},
		{"ApplyPatch", "Apply a patch", "ApplyPatch applies a patch.", "GET /c"},
		{"Stats", "Repository statistics", "Stats calls GET /c.", "Repository statistics."},
		{"Stats", "stats", "Stats calls GET /c.", ""},
		{"X", "", "X calls GET /c.", ""},
	} {
		lead, rest := opSentence(c[0], "GET", "/c", c[1])
		if lead != c[2] || rest != c[3] {
			t.Errorf("opSentence(%q, %q) = %q, %q; want %q, %q", c[0], c[1], lead, rest, c[2], c[3])
		}
	}
}

// TestDocTextLinear renders hostile descriptions of a few MB: a pass that
// rescans would take minutes on these, a linear one milliseconds.
func TestDocTextLinear(t *testing.T) {
	const n = 200000
	for _, s := range []string{
		strings.Repeat("[a](", n), strings.Repeat("<x ", n), strings.Repeat("`", n) + strings.Repeat(" ``", n/2),
		strings.Repeat("*a _", n), strings.Repeat("<b><i>", n), strings.Repeat("<a href=x>", n),
		strings.Repeat("](", n), strings.Repeat("<https://", n),
	} {
		docText(s)
	}
}
