package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func hostileChangelog() *Changelog {
	return &Changelog{
		Base: "origin/main:api/openapi.yaml", Revision: "api/<b>openapi</b>.yaml",
		BaseVersion: "1.0.0", RevisionVersion: "1.1.0 <img src=x>", Bump: "minor",
		Verdict: "1 breaking change without a MAJOR version bump", OK: false,
		Groups: []ChangelogGroup{
			{ID: "breaking", Title: "Breaking", Entries: []ChangelogEntry{
				{ID: "request-parameter-became-required", Level: "error", Operation: "GET /pets/{id}|x",
					Text: "the `query` request parameter `<script>alert(1)</script>` became required @admin [x](javascript:alert(1))"},
				{ID: "odd", Level: "warning", Text: "unbalanced ` backtick | pipe\nnewline"},
			}},
			{ID: "deprecated", Title: "Deprecated", Entries: []ChangelogEntry{}},
			{ID: "added", Title: "Added", Entries: []ChangelogEntry{{ID: "endpoint-added", Level: "info", Operation: "POST /pets", Text: "endpoint added"}}},
			{ID: "changed", Title: "Changed", Entries: []ChangelogEntry{}},
		},
	}
}

func TestMarkdownChangelog(t *testing.T) {
	r := &Report{Tool: Tool{Name: "agentready"}, Command: "lint", Extra: &ChangelogExtra{hostileChangelog()}}
	var b bytes.Buffer
	if err := Print(&b, "markdown", r, PrintOptions{}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"### API changes: `origin/main:api/openapi.yaml` → `api/<b>openapi</b>.yaml`",
		"❌ **Version** `1.0.0` → `1.1.0 <img src=x>` (minor): 1 breaking change without a MAJOR version bump",
		"2 breaking · 0 deprecated · 1 added · 0 changed",
		"#### Breaking (2)",
		"#### Added (1)",
		"- **POST /pets**: endpoint added <sub>`endpoint-added`</sub>",
		"the `query` request parameter `<script>alert(1)</script>` became required", // a code span: shown, not run
	} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown lacks %q:\n%s", want, out)
		}
	}
	for _, bad := range []string{"<script>alert(1)</script> became", "@admin", "](javascript:", "#### Deprecated", "#### Changed", "\nnewline"} {
		if strings.Contains(out, bad) {
			t.Errorf("markdown contains %q:\n%s", bad, out)
		}
	}
	// Outside code spans, HTML is escaped.
	if !strings.Contains(out, "GET /pets/\\{id\\}\\|x") {
		t.Errorf("operation not escaped:\n%s", out)
	}

	// json carries the same changelog under extra.
	b.Reset()
	if err := Print(&b, "json", r, PrintOptions{}); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Extra struct {
			Changelog Changelog `json:"changelog"`
		} `json:"extra"`
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if got := doc.Extra.Changelog; len(got.Groups) != 4 || len(got.Groups[0].Entries) != 2 || got.Bump != "minor" {
		t.Errorf("json changelog: %+v", got)
	}
}

func TestMarkdownChangelogBounded(t *testing.T) {
	cl := &Changelog{Base: "a", Revision: "b", Bump: "major", OK: true, Verdict: "ok"}
	g := ChangelogGroup{ID: "added", Title: "Added"}
	for range 5000 {
		g.Entries = append(g.Entries, ChangelogEntry{ID: "endpoint-added", Operation: "POST /" + strings.Repeat("x", 100), Text: "endpoint added"})
	}
	cl.Groups = []ChangelogGroup{g}
	var b bytes.Buffer
	if err := Print(&b, "markdown", &Report{Command: "lint", Extra: &ChangelogExtra{cl}}, PrintOptions{}); err != nil {
		t.Fatal(err)
	}
	if b.Len() > markdownMaxBytes {
		t.Errorf("markdown is %d bytes, over the %d a GitHub comment takes", b.Len(), markdownMaxBytes)
	}
	if !strings.Contains(b.String(), "more, listed in the json report") {
		t.Error("no note on the entries left out")
	}
}

func TestChangelogOfIgnoresOtherExtra(t *testing.T) {
	for _, extra := range []any{nil, map[string]any{"pages": []any{}}, "not a changelog", &ChangelogExtra{}} {
		if c := changelogOf(&Report{Extra: extra}); c != nil {
			t.Errorf("%v: got a changelog", extra)
		}
	}
}
