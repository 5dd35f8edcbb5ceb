package lint

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/agentready/agentready/internal/specload"
	"github.com/agentready/agentready/report"
)

// The rule harness. Fixture specs under testdata/lint carry their
// expectations beside the offending line, as go/analysis's // want comments
// do:
//
//	    get:   # want operation-id-required "has no operationId"
//
// A line may hold several rule/regexp pairs. For every rule named in a
// file, each finding of that rule must match a want on its line, and each
// want must be matched. clean.yaml must have no findings from any rule in
// the All preset. A fixture X.yaml with a sibling X.base.yaml is linted
// with that as its base, for rules that compare versions (NeedsBase).

const fixtureDir = "../testdata/lint"

var (
	wantRe     = regexp.MustCompile(`#\s*want\s+(.*)$`)
	wantPairRe = regexp.MustCompile(`([a-z0-9-]+)\s+"((?:[^"\\]|\\.)*)"`)
)

type want struct {
	line    int
	rule    string
	re      *regexp.Regexp
	matched bool
}

func parseWants(t *testing.T, path string, data []byte) []*want {
	t.Helper()
	var ws []*want
	for i, line := range strings.Split(string(data), "\n") {
		m := wantRe.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		pairs := wantPairRe.FindAllStringSubmatch(m[1], -1)
		if len(pairs) == 0 {
			t.Fatalf("%s:%d: malformed want comment", path, i+1)
		}
		for _, p := range pairs {
			if Lookup(p[1]) == nil {
				t.Fatalf("%s:%d: want names unknown rule %q", path, i+1, p[1])
			}
			pat, err := strconv.Unquote(`"` + p[2] + `"`)
			if err != nil {
				t.Fatalf("%s:%d: %v", path, i+1, err)
			}
			ws = append(ws, &want{line: i + 1, rule: p[1], re: regexp.MustCompile(pat)})
		}
	}
	return ws
}

func lintFixture(t *testing.T, path string) []report.Finding {
	t.Helper()
	doc, err := specload.Load(context.Background(), path, nil, specload.Options{ScanKeys: ScanKeys})
	if err != nil {
		t.Fatalf("load %s: %v", path, err)
	}
	opts := Options{Rules: Select(All)}
	ext := filepath.Ext(path)
	if basePath := strings.TrimSuffix(path, ext) + ".base" + ext; fileExists(basePath) {
		opts.Base, err = specload.Load(context.Background(), basePath, nil, specload.Options{})
		if err != nil {
			t.Fatalf("load %s: %v", basePath, err)
		}
	}
	return Run(context.Background(), doc, opts).Findings
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func fixtures(t *testing.T) []string {
	t.Helper()
	var files []string
	for _, pat := range []string{"*.yaml", "*.yml", "*.json"} {
		m, _ := filepath.Glob(filepath.Join(fixtureDir, pat))
		for _, f := range m {
			if !strings.Contains(filepath.Base(f), ".base.") {
				files = append(files, f)
			}
		}
	}
	slices.Sort(files)
	if len(files) == 0 {
		t.Fatal("no fixtures in " + fixtureDir)
	}
	return files
}

// TestRuleFixtures runs every fixture and checks its wants.
func TestRuleFixtures(t *testing.T) {
	for _, path := range fixtures(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			wants := parseWants(t, path, data)
			fs := lintFixture(t, path)
			if filepath.Base(path) == "clean.yaml" {
				for _, f := range fs {
					t.Errorf("%s: unexpected %s finding: %s", f.Location, f.RuleID, f.Message)
				}
				return
			}
			checked := map[string]bool{}
			for _, w := range wants {
				checked[w.rule] = true
			}
			for _, f := range fs {
				if f.Location.Line == 0 || f.Location.Column == 0 || f.Location.File == "" {
					t.Errorf("finding without a position: %+v", f)
				}
				if !checked[f.RuleID] {
					continue
				}
				ok := false
				for _, w := range wants {
					if w.rule == f.RuleID && w.line == f.Location.Line && w.re.MatchString(f.Message) {
						w.matched, ok = true, true
					}
				}
				if !ok {
					t.Errorf("%s:%d: unexpected %s finding: %s", path, f.Location.Line, f.RuleID, f.Message)
				}
			}
			for _, w := range wants {
				if !w.matched {
					var near []string
					for _, f := range fs {
						if f.RuleID == w.rule {
							near = append(near, fmt.Sprintf("line %d: %s", f.Location.Line, f.Message))
						}
					}
					t.Errorf("%s:%d: no %s finding matching %q (%s findings: %s)", path, w.line, w.rule, w.re, w.rule, strings.Join(near, "; "))
				}
			}
		})
	}
}

// TestRegistry checks the registry: unique kebab-case IDs, a title, docs,
// a category with a score weight or a known role, and a fixture that
// triggers every rule (clean.yaml is the one that does not).
func TestRegistry(t *testing.T) {
	idRe := regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	seen := map[string]bool{}
	for _, r := range Rules() {
		if seen[r.ID] {
			t.Errorf("duplicate rule %s", r.ID)
		}
		seen[r.ID] = true
		if !idRe.MatchString(r.ID) {
			t.Errorf("rule ID %q is not kebab-case", r.ID)
		}
		if r.Title == "" || r.Doc == "" || r.Since == "" || r.Run == nil {
			t.Errorf("rule %s lacks a title, doc, since or Run", r.ID)
		}
		if !slices.Contains(Categories(), r.Category) {
			t.Errorf("rule %s has unknown category %q", r.ID, r.Category)
		}
	}
	// Wants anywhere under testdata/lint count, including the spec/base
	// pairs of the versioning rules (lint/rule_version_test.go runs those).
	triggered := map[string]bool{}
	err := filepath.WalkDir(fixtureDir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !slices.Contains([]string{".yaml", ".yml", ".json"}, filepath.Ext(path)) {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, w := range parseWants(t, path, data) {
			triggered[w.rule] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(fixtureDir, "clean.yaml")); err != nil {
		t.Errorf("no clean.yaml: %v", err)
	}
	for _, r := range Rules() {
		if !triggered[r.ID] {
			t.Errorf("rule %s has no fixture with a want that triggers it", r.ID)
		}
	}
}
