package report

import (
	"strings"
	"testing"
)

func sectionReport() *Report {
	return &Report{Command: "audit", Scores: &Scores{Overall: 72, Grade: "C",
		Categories: []CategoryScore{{ID: "access", Title: "Access", Score: 80}},
		Sections: []Section{{Title: "AI access: https://example.com", Columns: [3]string{"Function", "Allowed", "Blocked"}, Rows: []SectionRow{
			{Label: "training", Value: "0/2 allowed", Detail: "blocked: GPTBot, CCBot", Level: "average"},
			{Label: "user-initiated assistant", Value: "3/3 allowed", Level: "good"},
			{Label: "agent", Value: "0/1 allowed", Detail: "blocked: \x1b[31mEvil|Bot", Level: "poor"},
		}}}}}
}

func TestTextSections(t *testing.T) {
	var b strings.Builder
	if err := Print(&b, "text", sectionReport(), PrintOptions{}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	want := "AI access: https://example.com\n" +
		"  training                  0/2 allowed  blocked: GPTBot, CCBot\n" +
		"  user-initiated assistant  3/3 allowed\n" +
		"  agent                     0/1 allowed  blocked: "
	if !strings.Contains(out, want) {
		t.Errorf("text output lacks the section:\n%s", out)
	}
	if strings.Contains(out, "\x1b") {
		t.Errorf("escape sequences without colour (or unsanitised detail):\n%q", out)
	}
	if i, j := strings.Index(out, "Scores"), strings.Index(out, "AI access"); i < 0 || j < i {
		t.Errorf("the section should follow the score bars:\n%s", out)
	}
	b.Reset()
	if err := Print(&b, "text", sectionReport(), PrintOptions{Color: true}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "\x1b[") || !strings.Contains(b.String(), "3/3 allowed") {
		t.Errorf("coloured output has no styling:\n%q", b.String())
	}
	b.Reset()
	if err := Print(&b, "text", sectionReport(), PrintOptions{Quiet: true}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "AI access") {
		t.Errorf("-q printed the section:\n%s", b.String())
	}
}

func TestMarkdownSections(t *testing.T) {
	var b strings.Builder
	if err := Print(&b, "markdown", sectionReport(), PrintOptions{}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"**AI access: https://example.com**", "| Function | Allowed | Blocked |\n|---|---|---|\n", "| training | 0/2 allowed | blocked: GPTBot, CCBot |", "| user-initiated assistant | 3/3 allowed |  |", `Evil\|Bot`} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown output lacks %q:\n%s", want, out)
		}
	}
}

func TestJSONLeavesSectionsOut(t *testing.T) {
	var b strings.Builder
	if err := Print(&b, "json", sectionReport(), PrintOptions{}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "AI access") {
		t.Errorf("json carries the text sections:\n%s", b.String())
	}
}
