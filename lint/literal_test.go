package lint

import "testing"

func TestContainsLiteral(t *testing.T) {
	for _, tc := range []struct {
		b, lit string
		fold   bool
		want   bool
	}{
		{"a <SCRIPT>x", "<script", true, true},
		{`"d": "\u003cScript src=x"`, "<script", true, true},
		{"a <scrip", "<script", true, false},
		{"call eval(x)", "eval", false, true},
		{"eval  (x)", "eval", false, true},
		{"retrieval(x) and evaluation", "eval", false, false},
		{"no match", "eval", false, false},
	} {
		if got := containsLiteral([]byte(tc.b), tc.lit, tc.fold); got != tc.want {
			t.Errorf("containsLiteral(%q, %q) = %v", tc.b, tc.lit, got)
		}
	}
}
