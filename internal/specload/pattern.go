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

// re2Escapes writes ECMA's \uXXXX, which RE2 lacks, as \x{XXXX} (as
// kin-openapi does before compiling), but not an escaped backslash followed
// by "u0041" (`\\u0041`, a backslash then the letters).
func re2Escapes(p string) string {
	if !strings.Contains(p, `\u`) {
		return p
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
	for i := 0; i < len(p); i++ {
		if p[i] != '\\' || i+1 == len(p) {
			b.WriteByte(p[i])
			continue
		}
		if p[i+1] == 'u' && i+6 <= len(p) && hex4(p[i+2:i+6]) {
			b.WriteString(`\x{` + p[i+2:i+6] + `}`)
			i += 5
			continue
		}
		b.WriteString(p[i : i+2])
		i++
	}
	return b.String()
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
	if re, err := regexp.Compile(re2Escapes(pattern)); err == nil {
		cp.m = re
	} else if re2, err2 := regexp2.Compile(pattern, regexp2.ECMAScript); err2 == nil {
		re2.MatchTimeout = patternMatchTimeout
		cp.m = &ecmaMatcher{re: re2}
	} else {
		cp.err = err2
	}
	patterns.Store(pattern, cp)
	return cp.m, cp.err
}
