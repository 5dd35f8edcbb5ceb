package checks

import "testing"

// TestGradeAndPassByPrintedScore: a grade and a check's pass follow the
// score as the reports print it (rounded), so "90" never reads grade B or
// a failing check.
func TestGradeAndPassByPrintedScore(t *testing.T) {
	for _, tc := range []struct {
		score float64
		grade string
		pass  bool
	}{
		{89.4, "B", false},
		{89.5, "A", true},
		{90, "A", true},
		{79.5, "B", false},
		{49.4, "F", false},
	} {
		if g := Grade(tc.score); g != tc.grade {
			t.Errorf("Grade(%v) = %s, want %s", tc.score, g, tc.grade)
		}
		s := tc.score
		if p := (CheckResult{Score: &s}).Passed(); p != tc.pass {
			t.Errorf("Passed(%v) = %v, want %v", tc.score, p, tc.pass)
		}
	}
	if (CheckResult{}).Passed() {
		t.Error("a check that is not applicable passed")
	}
}
