package report

import (
	"cmp"
	"fmt"
	"path"
	"slices"
	"strings"
)

// Off, as a severity override, drops a rule's findings.
const Off = "off"

// Ignore suppresses findings. Empty fields match everything; a finding is
// ignored when every non-empty field matches.
type Ignore struct {
	// Rule is a rule ID, or a category.
	Rule string `yaml:"rule" json:"rule,omitempty"`
	// Path is a glob (path.Match syntax, plus "**" for any number of
	// directories: "specs/**", "**/admin.yaml") matched against the
	// finding's file or URL.
	Path string `yaml:"path" json:"path,omitempty"`
	// Pointer matches a JSON pointer and everything under it.
	Pointer string `yaml:"pointer" json:"pointer,omitempty"`
	// Reason documents why; it is not matched.
	Reason string `yaml:"reason" json:"reason,omitempty"`
}

// Policy is what a config file says about findings: severity overrides by
// rule ID or category ("off" drops them) and ignores.
type Policy struct {
	Severity map[string]string `yaml:"severity" json:"severity,omitempty"`
	Ignore   []Ignore          `yaml:"ignore" json:"ignore,omitempty"`
}

// Validate checks that every override names a severity or "off".
func (p Policy) Validate() error {
	for _, k := range sortedKeys(p.Severity) {
		v := p.Severity[k]
		if v == Off {
			continue
		}
		if _, err := ParseSeverity(v); err != nil {
			return fmt.Errorf("severity of %q: %v (or %q)", k, err, Off)
		}
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func (ig Ignore) matches(f Finding) bool {
	if ig.Rule != "" && ig.Rule != f.RuleID && ig.Rule != f.Category {
		return false
	}
	if ig.Pointer != "" {
		p := f.Location.Pointer
		if p != ig.Pointer && !strings.HasPrefix(p, strings.TrimSuffix(ig.Pointer, "/")+"/") {
			return false
		}
	}
	if ig.Path != "" && !matchPath(ig.Path, f.Location.File) && !matchPath(ig.Path, f.Location.URL) {
		return false
	}
	return true
}

func matchPath(pattern, name string) bool {
	if name == "" {
		return false
	}
	name = strings.TrimPrefix(name, "./")
	pattern = strings.TrimPrefix(pattern, "./")
	if dir, ok := strings.CutSuffix(pattern, "/**"); ok {
		return name == dir || strings.HasPrefix(name, dir+"/")
	}
	if ok, _ := path.Match(pattern, name); ok {
		return true
	}
	if strings.Contains(pattern, "**") && matchSegments(strings.Split(pattern, "/"), strings.Split(name, "/")) {
		return true
	}
	// A pattern without a slash also matches the base name, as .gitignore does.
	if !strings.Contains(pattern, "/") {
		ok, _ := path.Match(pattern, path.Base(name))
		return ok
	}
	return false
}

// matchSegments matches slash-separated segments, where a "**" segment
// matches any number of segments ("**/admin.yaml", "specs/**/x.yaml"). It
// memoizes on positions, so hostile patterns with many "**" stay
// O(len(pattern) * len(name)).
func matchSegments(pat, name []string) bool {
	memo := make(map[[2]int]bool)
	var match func(i, j int) bool
	match = func(i, j int) bool {
		if i == len(pat) {
			return j == len(name)
		}
		k := [2]int{i, j}
		if v, ok := memo[k]; ok {
			return v
		}
		var ok bool
		if pat[i] == "**" {
			ok = match(i+1, j) || (j < len(name) && match(i, j+1))
		} else if j < len(name) {
			m, _ := path.Match(pat[i], name[j])
			ok = m && match(i+1, j+1)
		}
		memo[k] = ok
		return ok
	}
	return match(0, 0)
}

// Process applies p to r's findings, in order: fill categories from the
// rule descriptors, apply severity overrides (a rule ID wins over its
// category), drop ignored findings, dedupe, and sort. It also applies the
// overrides to the rule descriptors so that printers show the effective
// severity.
func Process(r *Report, p Policy) error {
	return process(r, p, nil)
}

// ProcessUnused is Process that also returns the indexes, in order, of the
// entries of p.Ignore that matched no finding (of those the severity
// overrides kept): such an entry is stale or mistyped and hides nothing.
func ProcessUnused(r *Report, p Policy) ([]int, error) {
	used := make([]bool, len(p.Ignore))
	if err := process(r, p, used); err != nil {
		return nil, err
	}
	var unused []int
	for i, u := range used {
		if !u {
			unused = append(unused, i)
		}
	}
	return unused, nil
}

// process is Process; when used is not nil, it marks in it every ignore
// entry that matches a finding, so it tries them all.
func process(r *Report, p Policy, used []bool) error {
	if err := p.Validate(); err != nil {
		return err
	}
	rules := make(map[string]*Rule, len(r.Rules))
	for i := range r.Rules {
		rl := &r.Rules[i]
		rules[rl.ID] = rl
		if v, ok := override(p, rl.ID, rl.Category); ok && v != Off {
			rl.Severity, _ = ParseSeverity(v)
		}
	}
	out := r.Findings[:0]
	for _, f := range r.Findings {
		if f.Category == "" {
			if rl := rules[f.RuleID]; rl != nil {
				f.Category = rl.Category
			}
		}
		if v, ok := override(p, f.RuleID, f.Category); ok {
			if v == Off {
				continue
			}
			f.Severity, _ = ParseSeverity(v)
		}
		if ignored(p.Ignore, f, used) {
			continue
		}
		out = append(out, f)
	}
	r.Findings = Dedupe(out)
	Sort(r.Findings)
	slices.SortFunc(r.Rules, func(a, b Rule) int { return cmp.Compare(a.ID, b.ID) })
	return nil
}

// ignored reports whether an entry of igs matches f, marking in used (when
// not nil) every entry that does.
func ignored(igs []Ignore, f Finding, used []bool) bool {
	if used == nil {
		return slices.ContainsFunc(igs, func(ig Ignore) bool { return ig.matches(f) })
	}
	hit := false
	for i, ig := range igs {
		if ig.matches(f) {
			used[i], hit = true, true
		}
	}
	return hit
}

func override(p Policy, id, category string) (string, bool) {
	if v, ok := p.Severity[id]; ok {
		return v, true
	}
	if category != "" {
		v, ok := p.Severity[category]
		return v, ok
	}
	return "", false
}

// Dedupe removes findings with the same rule, location and message, keeping
// the first.
func Dedupe(fs []Finding) []Finding {
	type key struct {
		rule, msg string
		loc       Location
	}
	seen := make(map[key]bool, len(fs))
	out := fs[:0]
	for _, f := range fs {
		k := key{f.RuleID, f.Message, f.Location}
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, f)
	}
	return out
}

// Sort orders findings deterministically: by file or URL, line, column,
// pointer, then most severe first, rule ID and message.
func Sort(fs []Finding) {
	slices.SortStableFunc(fs, Compare)
}

// Compare is the order Sort uses.
func Compare(a, b Finding) int {
	return cmp.Or(
		cmp.Compare(a.Location.Target(), b.Location.Target()),
		cmp.Compare(a.Location.Line, b.Location.Line),
		cmp.Compare(a.Location.Column, b.Location.Column),
		cmp.Compare(a.Location.Pointer, b.Location.Pointer),
		cmp.Compare(b.Severity, a.Severity),
		cmp.Compare(a.RuleID, b.RuleID),
		cmp.Compare(a.Message, b.Message),
	)
}
