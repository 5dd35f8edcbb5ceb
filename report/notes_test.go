package report

import (
	"strings"
	"testing"
)

// TestNoteSections: a section without rows or columns is a one-line note
// under the score bars (audit's capped score): in text its title alone, in
// markdown its title in bold, without an empty table.
func TestNoteSections(t *testing.T) {
	r := &Report{Command: "audit", Scores: &Scores{Overall: 40, Grade: "F", Categories: []CategoryScore{{ID: "access", Title: "Access", Score: 83}},
		Sections: []Section{{Title: "the start page is behind a login wall: the score is capped at 40"}}}}
	var b strings.Builder
	if err := Print(&b, "text", r, PrintOptions{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "  Access              83  ") || !strings.Contains(b.String(), "\n\nthe start page is behind a login wall: the score is capped at 40\n\n") {
		t.Errorf("text:\n%s", b.String())
	}
	b.Reset()
	if err := Print(&b, "markdown", r, PrintOptions{}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if !strings.Contains(out, "| Access | 83 | 🟠 |\n\n**the start page is behind a login wall: the score is capped at 40**\n\n") || strings.Contains(out, "|  |  |  |") {
		t.Errorf("markdown:\n%s", out)
	}
}
