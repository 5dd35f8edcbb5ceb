package report

import (
	"strings"
	"testing"
)

// TestScoreRounding: every printer of the score bars rounds halves up
// (math.Round), and colours a score by the number it prints.
func TestScoreRounding(t *testing.T) {
	r := &Report{Command: "audit", Scores: &Scores{Overall: 90.5, Grade: "A",
		Categories: []CategoryScore{{ID: "access", Title: "Access", Score: 89.5}, {ID: "content", Title: "Content", Score: 2.5}}}}
	var b strings.Builder
	if err := Print(&b, "text", r, PrintOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Overall (grade A)   91 ", "Access              90 ", "Content              3 "} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, b.String())
		}
	}
	b.Reset()
	if err := Print(&b, "markdown", r, PrintOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"| **Overall (grade A)** | **91** | 🟢 |", "| Access | 90 | 🟢 |", "| Content | 3 | 🔴 |"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("markdown lacks %q:\n%s", want, b.String())
		}
	}
	b.Reset()
	if err := Print(&b, "text", r, PrintOptions{Color: true}); err != nil {
		t.Fatal(err)
	}
	green := newTextStyles(&strings.Builder{}, true).good.Render(" 90")
	if !strings.Contains(b.String(), green) {
		t.Errorf("text colours Access (89.5, printed 90) other than green %q:\n%q", green, b.String())
	}
}
