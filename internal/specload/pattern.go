package specload

import (
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dlclark/regexp2"
	"github.com/getkin/kin-openapi/openapi3"
)

// A schema's pattern is an ECMA-262 regular expression (JSON Schema says
// so), not Go's RE2. Real specs use what RE2 lacks: AWS's
// `^.{0,1023}$` (RE2 caps repeats at 1000), lookaheads `(?!...)`,
// lookbehinds `(?<!...)`. Go's regexp rejects them, and kin-openapi's
// validation with it reported every such pattern as an error of the spec.
//
// CompilePattern tries RE2 first (linear time, and what most patterns
// fit), then regexp2 in ECMAScript mode. regexp2 backtracks, so a matcher
// from it gives up after patternMatchTimeout: a hostile pattern and
// example cannot hang a run. A pattern neither engine compiles is invalid.

// patternMatchTimeout bounds one match of a backtracking matcher.
const patternMatchTimeout = 100 * time.Millisecond

var patterns sync.Map // pattern -> compiledPattern

type compiledPattern struct {
	m   openapi3.RegexMatcher
	err error
}

// patternBudget bounds the time all backtracking matches take in one
// process. The per-match timeout alone does not bound a run: a spec of
// 1,000 examples against slow patterns would take minutes.
const patternBudget = 2 * time.Second

var patternSpent atomic.Int64 // nanoseconds spent in backtracking matches

// ecmaMatcher matches with regexp2; a match that times out counts as a
// match, so a slow pattern never produces a false "does not match". A
// pattern that timed out once is not run again, and once patternBudget is
// spent no backtracking match runs: each counts as a match.
type ecmaMatcher struct {
	re   *regexp2.Regexp
	slow atomic.Bool
}

func (m *ecmaMatcher) MatchString(s string) bool {
	if m.slow.Load() || time.Duration(patternSpent.Load()) >= patternBudget {
		return true
	}
	start := time.Now()
	ok, err := m.re.MatchString(s)
	patternSpent.Add(int64(time.Since(start)))
	if err != nil {
		m.slow.Store(true)
	}
	return ok || err != nil
}

// ecmaSpace is what ECMA-262's \s matches (WhiteSpace and LineTerminator),
// as the inside of an RE2 class; RE2's \s is ASCII only.
const ecmaSpace = `\t\n\v\f\r \x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}\x{feff}`

// toRE2 writes an ECMA-262 pattern in RE2 syntax with ECMA's meaning where
// the two differ on what RE2 accepts: \uXXXX becomes \x{XXXX} (as
// kin-openapi does, but not an escaped backslash followed by "u0041"), "."
// excludes every line terminator (\r, U+2028, U+2029, not only \n), and
// \s and \S take Unicode spaces (a no-break space is \s in ECMA). It
// returns false for what it cannot write so (\S in a class, [] and [^],
// and [: in a class, which RE2 reads otherwise): such a pattern goes to the
// ECMA engine.
func toRE2(p string) (string, bool) {
	if !strings.ContainsAny(p, `\.[`) {
		return p, true
	}
	hex4 := func(s string) bool {
		for i := range len(s) {
			if c := s[i] | 0x20; !(s[i] >= '0' && s[i] <= '9' || c >= 'a' && c <= 'f') {
				return false
			}
		}
		return len(s) == 4
	}
	var b strings.Builder
	inClass := false
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c == '\\' && i+1 < len(p):
			switch n := p[i+1]; {
			case n == 'u' && i+6 <= len(p) && hex4(p[i+2:i+6]):
				b.WriteString(`\x{` + p[i+2:i+6] + `}`)
				i += 5
				continue
			case n == 's' && inClass:
				b.WriteString(ecmaSpace)
			case n == 's':
				b.WriteString("[" + ecmaSpace + "]")
			case n == 'S' && inClass:
				return "", false
			case n == 'S':
				b.WriteString("[^" + ecmaSpace + "]")
			default:
				b.WriteString(p[i : i+2])
			}
			i++
			continue
		case c == '[' && !inClass:
			rest := p[i+1:]
			if strings.HasPrefix(rest, "]") || strings.HasPrefix(rest, "^]") {
				return "", false
			}
			inClass = true
		case c == '[' && inClass && strings.HasPrefix(p[i+1:], ":"):
			return "", false // RE2's [:alpha:]; literal in ECMA
		case c == ']' && inClass:
			inClass = false
		case c == '.' && !inClass:
			b.WriteString(`[^\n\r\x{2028}\x{2029}]`)
			continue
		}
		b.WriteByte(c)
	}
	return b.String(), true
}

// CompilePattern compiles a schema's pattern as the ECMA-262 regular
// expression it is, and returns a matcher or why the pattern is invalid.
// Results are cached by pattern.
func CompilePattern(pattern string) (openapi3.RegexMatcher, error) {
	if c, ok := patterns.Load(pattern); ok {
		cp := c.(compiledPattern)
		return cp.m, cp.err
	}
	var cp compiledPattern
	if p, ok := toRE2(pattern); ok {
		if re, err := regexp.Compile(p); err == nil {
			cp.m = re
		}
	}
	if cp.m == nil {
		if re2, err := regexp2.Compile(pattern, regexp2.ECMAScript); err == nil {
			re2.MatchTimeout = patternMatchTimeout
			cp.m = &ecmaMatcher{re: re2}
		} else {
			cp.err = err
		}
	}
	patterns.Store(pattern, cp)
	return cp.m, cp.err
}
