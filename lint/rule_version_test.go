package lint

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/agentready/agentready/internal/specload"
	"github.com/agentready/agentready/lint/breaking"
	"github.com/agentready/agentready/report"
)

// Spec pairs for the --base rules live in testdata/lint/versioning/NAME/,
// as base.yaml and spec.yaml. Both carry the harness's wants
// (# want rule-id "regexp"): a finding shown in the base must match a want
// in base.yaml, one in the spec a want in spec.yaml. pair-clean must have
// no finding from a --base rule.

const pairDir = "../testdata/lint/versioning"

var pairWantRe = regexp.MustCompile(`([a-z0-9-]+)\s+"((?:[^"\\]|\\.)*)"`)

type pairWant struct {
	file    string
	line    int
	rule    string
	re      *regexp.Regexp
	matched bool
}

func readPairWants(t *testing.T, path string) []*pairWant {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var ws []*pairWant
	for i, line := range strings.Split(string(data), "\n") {
		_, rest, ok := strings.Cut(line, "# want ")
		if !ok {
			continue
		}
		pairs := pairWantRe.FindAllStringSubmatch(rest, -1)
		if len(pairs) == 0 {
			t.Fatalf("%s:%d: malformed want", path, i+1)
		}
		for _, p := range pairs {
			if Lookup(p[1]) == nil {
				t.Fatalf("%s:%d: want names unknown rule %q", path, i+1, p[1])
			}
			pat, err := strconv.Unquote(`"` + p[2] + `"`)
			if err != nil {
				t.Fatalf("%s:%d: %v", path, i+1, err)
			}
			ws = append(ws, &pairWant{file: path, line: i + 1, rule: p[1], re: regexp.MustCompile(pat)})
		}
	}
	return ws
}

// pinClock sets the rules' clock for a test.
func pinClock(t *testing.T, day string) {
	t.Helper()
	d, err := time.Parse(time.DateOnly, day)
	if err != nil {
		t.Fatal(err)
	}
	old := now
	now = func() time.Time { return d }
	t.Cleanup(func() { now = old })
}

func loadFixture(t testing.TB, path string) *specload.Document {
	t.Helper()
	d, err := specload.Load(context.Background(), path, nil, specload.Options{ScanKeys: ScanKeys})
	if err != nil {
		t.Fatalf("load %s: %v", path, err)
	}
	return d
}

func TestBasePairs(t *testing.T) {
	pinClock(t, "2026-01-15")
	dirs, _ := filepath.Glob(filepath.Join(pairDir, "pair-*"))
	if len(dirs) == 0 {
		t.Fatal("no pairs in " + pairDir)
	}
	triggered := map[string]bool{}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			basePath, specPath := filepath.Join(dir, "base.yaml"), filepath.Join(dir, "spec.yaml")
			base, spec := loadFixture(t, basePath), loadFixture(t, specPath)
			res := Run(context.Background(), spec, Options{Rules: Select(All), Base: base})
			if res.Base == nil {
				t.Fatal("Result.Base is nil")
			}
			wants := append(readPairWants(t, basePath), readPairWants(t, specPath)...)
			for _, w := range wants {
				triggered[w.rule] = true
			}
			for _, f := range res.Findings {
				r := Lookup(f.RuleID)
				if r == nil || !r.NeedsBase {
					continue
				}
				if f.Location.Line == 0 || f.Location.File == "" {
					t.Errorf("finding without a position: %+v", f)
				}
				if filepath.Base(dir) == "pair-clean" && f.Severity > report.Info {
					t.Errorf("%s: unexpected %s finding: %s", f.Location, f.RuleID, f.Message)
					continue
				}
				ok := false
				for _, w := range wants {
					if w.rule == f.RuleID && w.file == f.Location.File && w.line == f.Location.Line && w.re.MatchString(f.Message) {
						w.matched, ok = true, true
					}
				}
				if !ok && filepath.Base(dir) != "pair-clean" {
					t.Errorf("%s: unexpected %s %s finding: %s", f.Location, f.Severity, f.RuleID, f.Message)
				}
			}
			for _, w := range wants {
				if !w.matched {
					t.Errorf("%s:%d: no %s finding matching %q", w.file, w.line, w.rule, w.re)
				}
			}
		})
	}
	for _, r := range Rules() {
		if r.NeedsBase && !triggered[r.ID] {
			t.Errorf("rule %s has no pair with a want that triggers it", r.ID)
		}
	}
}

// TestBaseAllowedByMajorBump: a breaking change in a major release is
// information, not an error, so a CI gate at --fail-on error passes.
func TestBaseAllowedByMajorBump(t *testing.T) {
	dir := filepath.Join(pairDir, "pair-basic")
	base, spec := loadFixture(t, filepath.Join(dir, "base.yaml")), loadFixture(t, filepath.Join(dir, "spec.yaml"))
	spec.Spec.Info.Version = "2.0.0"
	res := Run(context.Background(), spec, Options{Rules: []*Rule{Lookup("breaking-change"), Lookup("version-bump-required")}, Base: base})
	n := 0
	for _, f := range res.Findings {
		if f.RuleID == "version-bump-required" {
			t.Errorf("unexpected %s", f.Message)
		}
		if f.RuleID == "breaking-change" {
			n++
			if f.Severity != report.Info || !strings.Contains(f.Message, "allowed: info.version 1.4.0 → 2.0.0") {
				t.Errorf("breaking change in a major release: got %s %q", f.Severity, f.Message)
			}
		}
	}
	if n != 2 {
		t.Errorf("got %d breaking-change findings, want 2", n)
	}
	if res.Base.Bump != breaking.BumpMajor {
		t.Errorf("bump = %s", res.Base.Bump)
	}
}

// TestBaseRulesSkippedWithoutBase: NeedsBase rules do not run alone.
func TestBaseRulesSkippedWithoutBase(t *testing.T) {
	spec := loadFixture(t, filepath.Join(pairDir, "pair-basic", "spec.yaml"))
	res := Run(context.Background(), spec, Options{Rules: Select(All)})
	for _, f := range res.Findings {
		if r := Lookup(f.RuleID); r != nil && r.NeedsBase {
			t.Errorf("base rule ran without a base: %s", f.Message)
		}
	}
	if res.Base != nil {
		t.Error("Result.Base without a base")
	}
}

func TestVersionSchemeDate(t *testing.T) {
	for _, tc := range []struct {
		scheme, version string
		want            string
	}{
		{"", "2024-06-01", "is a date: declare lint.versioning.scheme: date"},
		{"date", "2024-06-01", ""},
		{"date", "1.2.0", "not a date version"},
		{"", "1.2.0", ""},
		{"", "1.2", "not a semantic version"},
		{"semver", "2.0.0-rc.1+build.5", ""},
	} {
		doc, err := specload.LoadBytes(context.Background(), "t.yaml", []byte("openapi: 3.0.3\ninfo: {title: t, version: '"+tc.version+"'}\npaths: {}\n"), "", specload.Options{})
		if err != nil {
			t.Fatal(err)
		}
		res := Run(context.Background(), doc, Options{Rules: []*Rule{Lookup("version-semver")}, Versioning: Versioning{Scheme: tc.scheme}})
		got := ""
		if len(res.Findings) > 0 {
			got = res.Findings[0].Message
		}
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("scheme %q, version %q: got %q, want %q", tc.scheme, tc.version, got, tc.want)
		}
	}
	if (Versioning{Scheme: "calver"}).Validate() == nil {
		t.Error("Validate accepted calver")
	}
}
