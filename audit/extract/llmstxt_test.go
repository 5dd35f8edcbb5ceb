package extract

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func linkURLs(l *LLMsTxt) []string {
	var out []string
	for _, k := range l.Links() {
		out = append(out, k.URL)
	}
	return out
}

func problems(l *LLMsTxt) string {
	var msgs []string
	for _, p := range l.Problems {
		msgs = append(msgs, p.Msg)
	}
	return strings.Join(msgs, "|")
}

// TestParseLLMsTxtCommonMark: list items and links are what CommonMark
// says they are. The old parser, by rules per line, took a bold paragraph
// for a list item that is not a link, counted only an item that was one
// link (dropping "[SCIM](…) JSON/REST [API](…)"), missed ordered items,
// took a link in a code span or a fenced block for a link, and knew
// neither reference links nor nested lists.
func TestParseLLMsTxtCommonMark(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		links      []string
		notes      []string // of the first links, when set
		lines      []int    // of the first links, when set
		problem    string   // a problem that must be reported ("" none of list items)
	}{
		{name: "bold paragraph", body: "## Patterns\n\n**Use workspace:\\* for local packages:**\n\n- [Guide](https://ex.com/g)\n",
			links: []string{"https://ex.com/g"}, lines: []int{9}},
		{name: "several links in one item", body: "## Components\n\n- Jans SCIM: [SCIM](http://scim.test/) JSON/REST [API](https://api.test/) for users\n",
			links: []string{"http://scim.test/", "https://api.test/"}, notes: []string{"JSON/REST", "for users"}},
		{name: "bullets and ordered items", body: "## Docs\n\n* [A](https://ex.com/a)\n* [B](https://ex.com/b)\n\n+ [C](https://ex.com/c)\n\n1. [D](https://ex.com/d)\n2. [E](https://ex.com/e): the fifth\n\n3) [F](https://ex.com/f)\n",
			links: []string{"https://ex.com/a", "https://ex.com/b", "https://ex.com/c", "https://ex.com/d", "https://ex.com/e", "https://ex.com/f"}, lines: []int{7, 8, 10, 12, 13}},
		{name: "code span", body: "## Syntax\n\n- `[name](url)` is how an item is written\n- [Real](https://ex.com/r)\n",
			links: []string{"https://ex.com/r"}, problem: "list item in section \"Syntax\" is not a link"},
		{name: "fenced block", body: "## Example\n\n```markdown\n- [Not](https://ex.com/not)\n# Not a title\n```\n\n- [Yes](https://ex.com/yes)\n",
			links: []string{"https://ex.com/yes"}},
		{name: "reference links", body: "## Docs\n\n- [Guide][g]: start here\n- [API]\n\n[g]: https://ex.com/guide.md\n[API]: /api.md \"The API\"\n",
			links: []string{"https://ex.com/guide.md", "/api.md"}, notes: []string{"start here"}},
		{name: "continuation and nesting", body: "## Guides\n\n- Getting started\n  - [Install](https://ex.com/i): on Linux,\n    macOS or Windows\n  - [Configure](https://ex.com/c)\n- [Reference](https://ex.com/r)\n",
			links: []string{"https://ex.com/i", "https://ex.com/c", "https://ex.com/r"}, notes: []string{"on Linux, macOS or Windows"}, lines: []int{8, 10, 11}},
		{name: "not a link", body: "## Docs\n\n- [Guide](https://ex.com/g)\n- just text\n", links: []string{"https://ex.com/g"}, problem: "list item in section \"Docs\" is not a link"},
		{name: "autolink", body: "## Docs\n\n- <https://ex.com/auto>: an autolink\n", links: []string{"https://ex.com/auto"}, notes: []string{"an autolink"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := ParseLLMsTxt([]byte("# Example\n\n> A summary.\n\n" + tc.body))
			if got := strings.Join(linkURLs(l), " "); got != strings.Join(tc.links, " ") {
				t.Errorf("links %s, want %s", got, strings.Join(tc.links, " "))
			}
			for i, want := range tc.notes {
				if i < len(l.Links()) && l.Links()[i].Notes != want {
					t.Errorf("link %d: notes %q, want %q", i, l.Links()[i].Notes, want)
				}
			}
			for i, want := range tc.lines {
				if i < len(l.Links()) && l.Links()[i].Line != want {
					t.Errorf("link %d (%s): line %d, want %d", i, l.Links()[i].URL, l.Links()[i].Line, want)
				}
			}
			ps := problems(l)
			if tc.problem == "" && strings.Contains(ps, "list item") {
				t.Errorf("problems: %s", ps)
			}
			if tc.problem != "" && !strings.Contains(ps, tc.problem) {
				t.Errorf("problems %q, want %q", ps, tc.problem)
			}
			if l.Title != "Example" || l.Summary != "A summary." {
				t.Errorf("title %q, summary %q", l.Title, l.Summary)
			}
		})
	}
}

// TestParseLLMsTxtReal parses llms.txt files of real projects
// (testdata/llmstxt, licences in its README).
func TestParseLLMsTxtReal(t *testing.T) {
	read := func(name string) *LLMsTxt {
		b, err := os.ReadFile(filepath.Join("testdata", "llmstxt", name))
		if err != nil {
			t.Fatal(err)
		}
		return ParseLLMsTxt(b)
	}
	// syncpack: "**Ignore peer dependencies initially:**" and five more
	// bold paragraphs were "list items that are not links"; the list of
	// advice in the details is no section's.
	s := read("syncpack.llms.txt")
	if s.Title != "Syncpack" || !strings.HasPrefix(s.Summary, "Syncpack is a command-line tool") || !strings.HasPrefix(s.Details, "Used by: AWS") {
		t.Errorf("syncpack: title %q, summary %q, details %.40q", s.Title, s.Summary, s.Details)
	}
	if n := len(s.Links()); n != 14 {
		t.Errorf("syncpack: %d links, want 14", n)
	}
	if ps := problems(s); strings.Contains(ps, "list item") || strings.Count(ps, "has no links") != 3 {
		t.Errorf("syncpack problems: %s", ps)
	}
	if k := s.Links()[0]; k.Title != "list" || k.Line != 18 || k.Notes != "Show all dependencies and their versions. Use `--sort count` to find most-used dependencies. Use `--show all` to see every location." {
		t.Errorf("syncpack first link %+v", k)
	}
	// jans: items with links in their prose count each link; items of
	// bare URLs are not links (CommonMark has no bare-URL links, and
	// llmstxt.org asks for [name](url)).
	j := read("jans.llms.txt")
	var comp []string
	for _, k := range j.Sections[0].Links {
		comp = append(comp, k.Title)
	}
	if got := strings.Join(comp, ","); got != "certified,Gluu Flex,SCIM,API" {
		t.Errorf("jans components: links %s", got)
	}
	if n := strings.Count(problems(j), `list item in section "Janssen Components"`); n != 10 {
		t.Errorf("jans: %d component items without a link, want 10", n)
	}
	if n := len(j.Sections); n != 4 || j.Sections[3].Name != "Important links" || len(j.Sections[3].Links) != 1 {
		t.Errorf("jans sections %+v", j.Sections)
	}
}

// BenchmarkParseLLMsTxt parses a large llms.txt (the real files, repeated
// to about 200 KiB).
func BenchmarkParseLLMsTxt(b *testing.B) {
	var src []byte
	for _, n := range []string{"syncpack.llms.txt", "jans.llms.txt"} {
		f, err := os.ReadFile(filepath.Join("testdata", "llmstxt", n))
		if err != nil {
			b.Fatal(err)
		}
		src = append(src, f...)
	}
	src = bytes.Repeat(src, 20)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		ParseLLMsTxt(src)
	}
}

// BenchmarkParseLLMsTxtHostile parses 1 MiB inputs that make a Markdown
// parser backtrack (goldmark took 4 s on 100 KB of "[a](" and 1.7 s on
// 20,000 nested "- "): the parse stays linear.
func BenchmarkParseLLMsTxtHostile(b *testing.B) {
	for name, unit := range map[string]string{"open-links": "[a](", "nested-items": "- ", "brackets": "[", "ticks": "`a``", "quotes": ">", "refs": "- [a][b]\n"} {
		src := []byte("# T\n\n> s\n\n## S\n\n- " + strings.Repeat(unit, MaxLLMsTxtBytes/len(unit)))[:MaxLLMsTxtBytes]
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				ParseLLMsTxt(src)
			}
		})
	}
}
