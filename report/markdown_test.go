package report

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer/html"

	"github.com/agentready/agentready/internal/golden"
)

// renderGFM renders Markdown as GitHub would (GFM tables, autolinks,
// strikethrough), with raw HTML passed through so that any HTML a message
// smuggled in would show.
func renderGFM(t *testing.T, md []byte) string {
	t.Helper()
	var out bytes.Buffer
	gm := goldmark.New(goldmark.WithExtensions(extension.GFM), goldmark.WithRendererOptions(html.WithUnsafe()))
	if err := gm.Convert(md, &out); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

// allowedTags are the only HTML elements the markdown printer's output may
// render to.
var allowedTags = map[string]bool{
	"h2": true, "p": true, "strong": true, "em": true, "code": true, "table": true, "thead": true, "tbody": true,
	"tr": true, "th": true, "td": true, "br": true, "a": true, "sub": true, "details": true, "summary": true,
}

var tagRE = regexp.MustCompile(`<(/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*)>`)

func TestMarkdownHostileRendersInert(t *testing.T) {
	md := printFixture(t, hostileFixture, "markdown", PrintOptions{BaseDir: "/repo"})
	out := renderGFM(t, md)
	for _, m := range tagRE.FindAllStringSubmatch(out, -1) {
		if !allowedTags[strings.ToLower(m[2])] {
			t.Errorf("rendered a <%s> element: %s", m[2], m[0])
		}
		if strings.EqualFold(m[2], "a") && m[1] == "" && !strings.Contains(m[3], `href="https://`) {
			t.Errorf("rendered a link that is not https: %s", m[0])
		}
	}
	for _, bad := range []string{"<img", "<del>", "javascript:", "onerror=\"", "<a href=\"javascript"} {
		if strings.Contains(strings.ToLower(out), bad) && bad != "javascript:" {
			t.Errorf("rendered %q", bad)
		}
	}
	if strings.Contains(out, `href="javascript`) {
		t.Error("a javascript: link rendered")
	}
	// Every table row has exactly four cells and ends with the rule: no
	// message split a cell (GFM drops the cells past the header's count,
	// so the last cell shows whether one did).
	for i, row := range regexp.MustCompile(`(?s)<tr>.*?</tr>`).FindAllString(out, -1) {
		if n := strings.Count(row, "<td") + strings.Count(row, "<th"); n != 4 {
			t.Errorf("row with %d cells: %s", n, row)
		}
		if i > 0 && !strings.HasSuffix(strings.TrimSpace(strings.TrimSuffix(row, "</tr>")), "<td><code>description-present</code></td>") {
			t.Errorf("row does not end with its rule: %s", row)
		}
	}
	// The whole message survived, as text.
	for _, want := range []string{"| a | b | `code` &lt;img src=x onerror=alert(1)&gt;", "[x](javascript:alert(1)) ]]&gt;&lt;/failure&gt; &quot;quotes&quot;"} {
		if !strings.Contains(out, want) {
			t.Errorf("rendered output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "@admin") {
		t.Error("@admin would mention someone")
	}
}

func TestMarkdownEscapes(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"a|b", `a\|b`},
		{"*x* _y_ ~z~ $m$", `\*x\* \_y\_ \~z\~ \$m\$`},
		{"<b>&", "&lt;b&gt;&amp;"},
		{"line1\nline2", "line1<br>line2"},
		{"@team", "@&#8203;team"},
		{"[a](b)", `\[a\]\(b\)`},
	} {
		if got := mdText(tc.in); got != tc.want {
			t.Errorf("mdText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	for _, tc := range []struct{ in, want string }{
		{"a.yaml", "`a.yaml`"},
		{"a`b", "`` a`b ``"},
		{"a``b|c", "``` a``b\\|c ```"},
		{"x\ny", "`x y`"},
	} {
		if got := mdCode(tc.in); got != tc.want {
			t.Errorf("mdCode(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// longFixture has more findings than markdownCollapseAt over three files.
func longFixture() *Report {
	r := lintFixture()
	for i := range markdownCollapseAt {
		r.Findings = append(r.Findings, Finding{
			RuleID: "description-present", Severity: Warning,
			Message:  fmt.Sprintf("operation %d has no description", i),
			Location: Location{File: "/repo/api/big.yaml", Line: 10 + i, Column: 3},
		})
	}
	return r
}

func TestMarkdownCollapsesLongReports(t *testing.T) {
	md := printFixture(t, longFixture, "markdown", PrintOptions{BaseDir: "/repo"})
	golden.Check(t, "long.markdown", md)
	if n := bytes.Count(md, []byte("<details>")); n != 3 {
		t.Errorf("%d <details> blocks, want one per file (3)", n)
	}
	out := renderGFM(t, md)
	if strings.Count(out, "<table>") != 3 {
		t.Errorf("tables inside <details> did not render:\n%s", out)
	}
	if !strings.Contains(string(md), "<summary><code>api/big.yaml</code>: 20 warnings</summary>") {
		t.Errorf("summary line missing:\n%s", md)
	}
}

func TestMarkdownFitsAGitHubComment(t *testing.T) {
	for _, tc := range []struct {
		name       string
		errors     int
		others     int
		wantErrors int // error rows expected, -1 for "some but not all"
		note       string
	}{
		{"drops lower severities", 50, 3000, 50, "(everything below error)"},
		{"cuts errors last", 3000, 100, -1, "more findings not shown"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fx := func() *Report {
				r := lintFixture()
				r.Findings = nil
				for i := range tc.errors + tc.others {
					sev := Hint + Severity(i%3)
					if i < tc.errors {
						sev = Error
					}
					r.Findings = append(r.Findings, Finding{
						RuleID: "description-present", Severity: sev,
						Message:  fmt.Sprintf("operation %d has no description, which agents need to choose it", i),
						Location: Location{File: fmt.Sprintf("/repo/api/f%d.yaml", i%7), Line: i + 1, Column: 3},
					})
				}
				return r
			}
			md := printFixture(t, fx, "markdown", PrintOptions{BaseDir: "/repo"})
			if n := len([]rune(string(md))); n > 65536 {
				t.Errorf("%d characters: more than a GitHub comment holds", n)
			}
			if !bytes.Contains(md, []byte(tc.note)) || !bytes.Contains(md, []byte("the json and sarif formats list them all")) {
				t.Errorf("no note about what was left out (want %q)", tc.note)
			}
			rows := bytes.Count(md, []byte("| ❌ error |"))
			if tc.wantErrors >= 0 && rows != tc.wantErrors {
				t.Errorf("%d error rows, want %d", rows, tc.wantErrors)
			}
			if tc.wantErrors < 0 && (rows == 0 || rows >= tc.errors) {
				t.Errorf("%d error rows of %d", rows, tc.errors)
			}
			if bytes.Count(md, []byte("<details>")) != bytes.Count(md, []byte("</details>")) {
				t.Error("unbalanced <details>")
			}
			if !bytes.HasSuffix(md, []byte("</sub>\n")) {
				t.Error("the footer is missing")
			}
		})
	}
}

// A report target that is a URL is named as a URL, not cleaned as a path
// ("https:/example.com"), when the printer resolves files against a base.
func TestMarkdownURLTarget(t *testing.T) {
	rep := &Report{Command: "audit", Targets: []string{"http://127.0.0.1:8081/", "public"}}
	out := string(printFixture(t, func() *Report { return rep }, "markdown", PrintOptions{BaseDir: t.TempDir()}))
	if !strings.Contains(out, "checked `http://127.0.0.1:8081/`") {
		t.Errorf("the URL target is not named as given:\n%s", out)
	}
}
