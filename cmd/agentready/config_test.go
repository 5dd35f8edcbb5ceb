package main

import (
	"regexp"
	"strings"
	"testing"

	"github.com/agentready/agentready/report"
)

func TestParseConfig(t *testing.T) {
	good := `# comments are fine
lint:
  severity:
    operation-id-required: error
    semantics: off
  ignore:
    - rule: operation-description
      path: specs/legacy/**
      reason: frozen API
audit:
  ignore:
    - pointer: /paths
generate: {}
`
	cfg, err := parseConfig(".agentready.yaml", []byte(good))
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.Lint.Severity["operation-id-required"]; got != "error" {
		t.Errorf("lint severity = %q", got)
	}
	if got := cfg.Lint.Severity["semantics"]; got != report.Off {
		t.Errorf("off = %q", got)
	}
	want := report.Ignore{Rule: "operation-description", Path: "specs/legacy/**", Reason: "frozen API"}
	if len(cfg.Lint.Ignore) != 1 || cfg.Lint.Ignore[0] != want {
		t.Errorf("lint ignore = %+v", cfg.Lint.Ignore)
	}
	if len(cfg.Audit.Ignore) != 1 || cfg.Audit.Ignore[0].Pointer != "/paths" {
		t.Errorf("audit ignore = %+v", cfg.Audit.Ignore)
	}

	for _, empty := range []string{"", "# nothing\n", "---\n", "lint:\n", "lint: {}\naudit: ~\n"} {
		if _, err := parseConfig("c.yaml", []byte(empty)); err != nil {
			t.Errorf("parseConfig(%q): %v", empty, err)
		}
	}
}

var sectionKeys = regexp.MustCompile(`(in (?:lint|audit|generate)) \(want one of [^)]*\)`)

func TestParseConfigErrors(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string // every line of the error, in order
	}{
		{"unknown top-level key", "lint: {}\nlinter: {}\n",
			[]string{`c.yaml:2: unknown key "linter" (want one of audit, generate, lint)`}},
		{"unknown key in a section", "lint:\n  severity: {}\n  severty:\n    a: error\n",
			[]string{`c.yaml:3: unknown key "severty" in lint (want one of ...)`}},
		{"unknown key in an ignore entry", "audit:\n  ignore:\n    - rule: x\n      paht: y\n",
			[]string{`c.yaml:4: unknown key "paht" in audit.ignore[0] (want one of path, pointer, reason, rule)`}},
		{"several problems at once", "lint:\n  sevrity: {}\naudit:\n  ignore: {}\nfoo: 1\n",
			[]string{
				`c.yaml:2: unknown key "sevrity" in lint (want one of ...)`,
				`c.yaml:4: audit.ignore: want a list, got a mapping`,
				`c.yaml:5: unknown key "foo" (want one of audit, generate, lint)`,
			}},
		{"section is a list", "lint:\n  - a\n", []string{`c.yaml:2: lint: want a mapping of keys, got a list`}},
		{"top level is a list", "- lint\n", []string{`c.yaml:1: config: want a mapping of keys, got a list`}},
		{"severity is a string", "lint:\n  severity: error\n", []string{`c.yaml:2: lint.severity: want a mapping, got "error"`}},
		{"severity value is a list", "lint:\n  severity:\n    a: [error]\n", []string{`c.yaml:3: lint.severity.a: want a string, got a list`}},
		{"unknown severity", "generate:\n  severity:\n    a: fatal\n    b: warning\n",
			[]string{`c.yaml:3: generate.severity.a: unknown severity "fatal" (want error, warning, info, hint or off)`}},
		{"ignore entry is a string", "lint:\n  ignore:\n    - some-rule\n", []string{`c.yaml:3: lint.ignore[0]: want a mapping of keys, got "some-rule"`}},
		{"duplicate key", "lint: {}\nlint: {}\n", []string{`c.yaml:2: mapping key "lint" already defined at line 1`}},
		{"syntax error", "lint:\n\tseverity: {}\n", []string{`c.yaml:2: found character that cannot start any token`}},
		{"unknown key through an alias", "x: &a {nope: 1}\n", []string{`c.yaml:1: unknown key "x" (want one of audit, generate, lint)`}},
		{"alias to a bad section", "lint: &a\n  nope: 1\naudit: *a\n",
			[]string{`c.yaml:2: unknown key "nope" in lint (want one of ...)`, `c.yaml:2: unknown key "nope" in audit (want one of ...)`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseConfig("c.yaml", []byte(tt.in))
			if err == nil {
				t.Fatalf("no error, want %q", tt.want)
			}
			// Each command's engineer adds keys to its section, so the list
			// of keys a section wants is checked apart, below.
			got := sectionKeys.ReplaceAllString(err.Error(), "$1 (want one of ...)")
			if got != strings.Join(tt.want, "\n") {
				t.Errorf("error:\n%s\nwant:\n%s", err, strings.Join(tt.want, "\n"))
			}
		})
	}
}

// TestParseConfigAliasBomb: a "billion laughs" file must fail fast (or
// parse) without expanding every alias.
func TestParseConfigAliasBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 12; i++ {
		b.WriteString("a")
		b.WriteString(string(rune('0' + i%10)))
		b.WriteString(strings.Repeat("_", i))
		b.WriteString(": &a")
		b.WriteString(strings.Repeat("_", i))
		b.WriteString(" [")
		for j := range 10 {
			if j > 0 {
				b.WriteString(", ")
			}
			if i == 1 {
				b.WriteString("*a0")
			} else {
				b.WriteString("*a" + strings.Repeat("_", i-1))
			}
		}
		b.WriteString("]\n")
	}
	if _, err := parseConfig("bomb.yaml", []byte(b.String())); err == nil {
		t.Fatal("alias bomb parsed without error")
	}
}

func FuzzParseConfig(f *testing.F) {
	for _, s := range []string{
		"", "lint: {}\n", "lint:\n  severity:\n    a: off\n  ignore:\n    - rule: x\n      path: a/**\n",
		"x: &a {nope: 1}\ny: *a\n", "lint: [\n", "- 1\n- 2\n", "lint:\n  severity:\n    a: [1]\n",
		"audit: !!binary aGk=\n", "? [a]\n: b\n", "lint: &a\n  ignore: *a\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := parseConfig("f.yaml", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "f.yaml") {
				t.Errorf("error does not name the file: %v", err)
			}
			return
		}
		for _, p := range []report.Policy{cfg.Lint.Policy, cfg.Audit.Policy, cfg.Generate.Policy} {
			if err := p.Validate(); err != nil {
				t.Errorf("accepted an invalid policy: %v", err)
			}
		}
	})
}

// TestSectionKeys: every section accepts the policy keys, and an unknown
// key's message lists them.
func TestSectionKeys(t *testing.T) {
	for _, section := range []string{"lint", "audit", "generate"} {
		_, err := parseConfig("c.yaml", []byte(section+":\n  nope: 1\n"))
		if err == nil {
			t.Fatalf("%s: unknown key accepted", section)
		}
		re := regexp.MustCompile(`^c\.yaml:2: unknown key "nope" in ` + section + ` \(want one of [^)]*\bignore, (?:[a-z-]+, )*severity\b`)
		if !re.MatchString(err.Error()) {
			t.Errorf("%s: %v", section, err)
		}
		if _, err := parseConfig("c.yaml", []byte(section+":\n  severity:\n    x: off\n  ignore:\n    - rule: y\n")); err != nil {
			t.Errorf("%s: policy keys rejected: %v", section, err)
		}
	}
}
