package wire

import (
	"regexp"
	"regexp/syntax"

	"github.com/agentready/agentready/internal/specload"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxPatternLen bounds a string generated from a pattern: a repetition
// grows only as far as a minLength asks, and no further than this.
const maxPatternLen = 4096

// fromPattern returns a string the pattern matches whole, with a length
// (in runes) in [minLen, maxLen] (maxLen < 0: no bound), walking the
// regexp's syntax tree: each repetition is taken its minimum number of
// times, then grown one at a time until the string is long enough. The
// pattern is the one kin-openapi compiles (ECMA \uXXXX rewritten); ok is
// false when it does not parse or no candidate matches.
func fromPattern(pattern string, minLen, maxLen int) (string, bool) {
	re, err := specload.CompilePattern(pattern)
	if err != nil {
		return "", false
	}
	// Go's syntax has no lookarounds: candidates are walked from the
	// pattern without them (which matches more) and kept only when the
	// whole ECMA pattern matches.
	goPattern := ecmaCodepoints.ReplaceAllString(withoutLookarounds(pattern), `\x{${1}}`)
	tree, err := syntax.Parse(goPattern, syntax.Perl)
	if err != nil {
		return "", false
	}
	tree = tree.Simplify()
	fits := func(s string) bool {
		n := utf8.RuneCountInString(s)
		return n >= minLen && (maxLen < 0 || n <= maxLen) && re.MatchString(s)
	}
	// Alternatives and character classes are tried in turn (alt picks the
	// i-th choice of every one of them, modulo its size) before growing.
	for grow := 0; ; grow = next(grow) {
		for alt := range 4 {
			w := &patternWalker{grow: grow, alt: alt}
			w.walk(tree, 0)
			if s := w.b.String(); !w.over && fits(s) {
				return s, true
			}
			if w.over {
				break
			}
		}
		if grow > max(minLen, 1) || grow > maxPatternLen {
			return "", false
		}
	}
}

// next is the following growth: one at a time at first, then doubling,
// so that a large minLength takes a few walks.
func next(grow int) int {
	if grow < 64 {
		return grow + 1
	}
	return grow * 2
}

// ecmaCodepoints is an ECMA-262 \uXXXX escape, which Go's syntax spells \x{XXXX}.
var ecmaCodepoints = regexp.MustCompile(`\\u([0-9A-Fa-f]{4})`)

type patternWalker struct {
	b    strings.Builder
	grow int // extra repetitions of each unbounded or ranged repeat
	alt  int
	over bool
}

func (w *patternWalker) walk(re *syntax.Regexp, depth int) {
	if w.over || depth > 200 || w.b.Len() > maxPatternLen {
		w.over = true
		return
	}
	switch re.Op {
	case syntax.OpLiteral:
		for _, r := range re.Rune {
			w.b.WriteRune(r)
		}
	case syntax.OpCharClass:
		w.b.WriteRune(pickRune(re.Rune, w.alt))
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		w.b.WriteByte("abcd"[w.alt%4])
	case syntax.OpCapture:
		w.walk(re.Sub[0], depth+1)
	case syntax.OpConcat:
		for _, s := range re.Sub {
			w.walk(s, depth+1)
		}
	case syntax.OpAlternate:
		w.walk(re.Sub[w.alt%len(re.Sub)], depth+1)
	case syntax.OpStar, syntax.OpPlus, syntax.OpQuest, syntax.OpRepeat:
		lo, hi := 0, -1
		switch re.Op {
		case syntax.OpPlus:
			lo = 1
		case syntax.OpQuest:
			hi = 1
		case syntax.OpRepeat:
			lo, hi = re.Min, re.Max
		}
		n := lo + w.grow
		if hi >= 0 && n > hi {
			n = hi
		}
		for range n {
			w.walk(re.Sub[0], depth+1)
			if w.over {
				return
			}
		}
	}
	// Anchors, boundaries and empty matches add nothing.
}

// pickRune chooses a printable rune of a character class (pairs of
// inclusive ranges), preferring letters and digits; alt moves to the next
// range so that a second try differs.
func pickRune(ranges []rune, alt int) rune {
	for _, pref := range []rune{'a', 'x', '0', 'A', '1', '-', '_', '.'} {
		for i := 0; i+1 < len(ranges); i += 2 {
			if alt == 0 && ranges[i] <= pref && pref <= ranges[i+1] {
				return pref
			}
		}
	}
	n := len(ranges) / 2
	for k := range n {
		i := 2 * ((k + alt) % n)
		for r := ranges[i]; r <= ranges[i+1] && r-ranges[i] < 256; r++ {
			if unicode.IsPrint(r) && r != ' ' {
				return r
			}
		}
	}
	for i := 0; i+1 < len(ranges); i += 2 {
		if ranges[i] <= ' ' && ' ' <= ranges[i+1] {
			return ' '
		}
	}
	if n > 0 {
		return ranges[0]
	}
	return 'a'
}

// withoutLookarounds drops the lookahead and lookbehind groups ((?=...),
// (?!...), (?<=...), (?<!...)) of an ECMA pattern, balancing parentheses
// and skipping escapes and character classes.
func withoutLookarounds(p string) string {
	if !strings.Contains(p, "(?=") && !strings.Contains(p, "(?!") && !strings.Contains(p, "(?<") {
		return p
	}
	var b strings.Builder
	for i := 0; i < len(p); {
		if look := strings.HasPrefix(p[i:], "(?=") || strings.HasPrefix(p[i:], "(?!") ||
			strings.HasPrefix(p[i:], "(?<=") || strings.HasPrefix(p[i:], "(?<!"); look {
			i = groupEnd(p, i)
			continue
		}
		if p[i] == '\\' && i+1 < len(p) {
			b.WriteString(p[i : i+2])
			i += 2
			continue
		}
		b.WriteByte(p[i])
		i++
	}
	return b.String()
}

// groupEnd is the index after the group opening at p[i].
func groupEnd(p string, i int) int {
	depth, class := 0, false
	for ; i < len(p); i++ {
		switch c := p[i]; {
		case c == '\\':
			i++
		case class:
			class = c != ']'
		case c == '[':
			class = true
		case c == '(':
			depth++
		case c == ')':
			depth--
			if depth == 0 {
				return i + 1
			}
		}
	}
	return len(p)
}
