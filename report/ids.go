package report

import (
	"fmt"
	"path"
	"slices"
	"strings"
)

// ValidateIDs checks that every rule ID or category the policy names (its
// severity: keys and its ignore entries' rule) is one of known, so that a
// misspelt ID is an error that suggests the closest known one instead of
// an override that does nothing. section names the config section in
// messages ("lint", "audit"); what says what the IDs are ("rule", "check").
// It also checks the severities (Validate).
func (p Policy) ValidateIDs(section, what string, known []string) error {
	unknown := func(id string) bool { return !slices.Contains(known, id) }
	for _, k := range sortedKeys(p.Severity) {
		if unknown(k) {
			return fmt.Errorf("%s.severity: %q is neither a %s nor a category%s", section, k, what, DidYouMean(k, known))
		}
	}
	for i, ig := range p.Ignore {
		if ig.Rule != "" && unknown(ig.Rule) {
			return fmt.Errorf("%s.ignore[%d].rule: %q is neither a %s nor a category%s", section, i, ig.Rule, what, DidYouMean(ig.Rule, known))
		}
		if _, err := path.Match(strings.ReplaceAll(ig.Path, "**", "*"), ""); err != nil {
			return fmt.Errorf("%s.ignore[%d].path: bad pattern %q: %v", section, i, ig.Path, err)
		}
	}
	if err := p.Validate(); err != nil {
		return fmt.Errorf("%s.%v", section, err)
	}
	return nil
}

// DidYouMean returns ` (did you mean "X"?)` for the candidate closest to
// s by edit distance, when it is close enough to be a typo (at most a
// third of s's length, and at least one edit), else "".
func DidYouMean(s string, candidates []string) string {
	best, bestD := "", len(s)/3+1
	for _, c := range candidates {
		if d := editDistance(s, c); d < bestD || d == bestD && best != "" && c < best {
			best, bestD = c, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
