package lint

import (
	"encoding/json"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"

	"github.com/agentready/agentready/internal/options"
	"github.com/agentready/agentready/internal/specload"
	"github.com/agentready/agentready/report"
)

// Override sets severities (or "off") for findings on some paths or
// operations. A finding matches when its path matches one of Paths (a
// path.Match glob on the path template, "/**" for a subtree) or its
// operation's operationId is one of Operations. Later overrides win.
type Override struct {
	Paths      []string          `yaml:"paths" json:"paths,omitempty"`
	Operations []string          `yaml:"operations" json:"operations,omitempty"`
	Severity   map[string]string `yaml:"severity" json:"severity,omitempty"`
}

// RuleSet is a config resolved against the registry: which rules run and
// the severity of each finding.
type RuleSet struct {
	rules     []*Rule
	severity  map[string]string // global overrides by rule ID or category
	overrides []Override
}

// NewRuleSet resolves cfg's preset, severities and overrides. A rule
// outside the preset runs when cfg.Severity gives it a severity; a rule set
// "off" globally does not run unless an override turns it on somewhere.
func NewRuleSet(cfg Config) (*RuleSet, error) {
	policy := cfg.Policy
	preset, err := ParsePreset(cfg.Extends)
	if err != nil {
		return nil, fmt.Errorf("lint.extends: %v", err)
	}
	check := func(where string, m map[string]string) error {
		for _, k := range sortedKeys(m) {
			if Lookup(k) == nil && !slices.Contains(Categories(), Category(k)) {
				return fmt.Errorf("%s: %q is neither a rule nor a category%s (see agentready lint --list-rules)", where, k, report.DidYouMean(k, KnownIDs()))
			}
			if v := m[k]; v != report.Off {
				if _, err := report.ParseSeverity(v); err != nil {
					return fmt.Errorf("%s.%s: %v (or off)", where, k, err)
				}
			}
		}
		return nil
	}
	if err := check("lint.severity", policy.Severity); err != nil {
		return nil, err
	}
	for i, o := range cfg.Overrides {
		if err := check(fmt.Sprintf("lint.overrides[%d].severity", i), o.Severity); err != nil {
			return nil, err
		}
		if len(o.Paths) == 0 && len(o.Operations) == 0 {
			return nil, fmt.Errorf("lint.overrides[%d]: give paths or operations", i)
		}
		for _, p := range o.Paths {
			if _, err := path.Match(strings.TrimSuffix(p, "/**"), "/"); err != nil {
				return nil, fmt.Errorf("lint.overrides[%d].paths: bad pattern %q: %v", i, p, err)
			}
		}
	}
	rs := &RuleSet{severity: policy.Severity, overrides: cfg.Overrides}
	for _, r := range rules() {
		on := r.Preset <= preset
		if v, ok := lookupSeverity(policy.Severity, r); ok {
			on = v != report.Off
		}
		for _, o := range cfg.Overrides {
			if v, ok := lookupSeverity(o.Severity, r); ok && v != report.Off {
				on = true
			}
		}
		if on {
			rs.rules = append(rs.rules, r)
		}
	}
	return rs, nil
}

// KnownIDs are the names a lint config may give a severity or an ignore:
// every rule ID and every category, sorted.
func KnownIDs() []string {
	var ids []string
	for _, r := range rules() {
		ids = append(ids, r.ID)
	}
	for _, c := range Categories() {
		ids = append(ids, string(c))
	}
	slices.Sort(ids)
	return ids
}

// Validate reports the first setting Lint cannot use, before any work: the
// min-score range, the versioning policy, the preset, every rule ID and
// category the severities, overrides and ignores name (with the closest
// known one), override path patterns, ignore path patterns. `agentready
// config` checks a config file with it, so the file it calls valid is one
// lint runs with.
func (c Config) Validate() error {
	if m := c.MinScore; m != nil && (*m < 0 || *m > 100) {
		return options.Invalidf("--min-score: %v is not between 0 and 100", *m)
	}
	if err := c.Versioning.Validate(); err != nil {
		return err
	}
	if _, err := NewRuleSet(c); err != nil {
		return err
	}
	return c.Policy.ValidateIDs("lint", "rule", KnownIDs())
}

func lookupSeverity(m map[string]string, r *Rule) (string, bool) {
	if v, ok := m[r.ID]; ok {
		return v, true
	}
	v, ok := m[string(r.Category)]
	return v, ok
}

// Rules are the rules to run.
func (rs *RuleSet) Rules() []*Rule { return rs.rules }

// Descriptors are the rules' descriptors with their effective global
// severities, for printers.
func (rs *RuleSet) Descriptors() []report.Rule {
	out := make([]report.Rule, 0, len(rs.rules))
	for _, r := range rs.rules {
		d := r.Descriptor()
		if v, ok := lookupSeverity(rs.severity, r); ok && v != report.Off {
			d.Severity, _ = report.ParseSeverity(v)
		}
		out = append(out, d)
	}
	return out
}

// Apply sets each finding's severity from the global and scoped overrides
// and drops findings turned off. Findings from rules turned off globally
// but on by an override are kept only where the override matches.
func (rs *RuleSet) Apply(doc *specload.Document, fs []report.Finding) []report.Finding {
	out := fs[:0]
	for _, f := range fs {
		r := Lookup(f.RuleID)
		sev := f.Severity.String()
		if r != nil {
			if v, ok := lookupSeverity(rs.severity, r); ok {
				sev = v
			}
			if len(rs.overrides) > 0 {
				p, method := opOf(f.Location.Pointer)
				opID := ""
				if method != "" && doc.Spec.Paths != nil {
					if item := doc.Spec.Paths.Value(p); item != nil {
						if op := item.GetOperation(strings.ToUpper(method)); op != nil {
							opID = op.OperationID
						}
					}
				}
				for _, o := range rs.overrides {
					if !o.matches(p, opID) {
						continue
					}
					if v, ok := lookupSeverity(o.Severity, r); ok {
						sev = v
					}
				}
			}
		}
		if sev == report.Off {
			continue
		}
		f.Severity, _ = report.ParseSeverity(sev)
		out = append(out, f)
	}
	return out
}

func (o Override) matches(p, opID string) bool {
	if opID != "" && slices.Contains(o.Operations, opID) {
		return true
	}
	if p == "" {
		return false
	}
	for _, pat := range o.Paths {
		if dir, ok := strings.CutSuffix(pat, "/**"); ok {
			if p == dir || strings.HasPrefix(p, dir+"/") {
				return true
			}
			continue
		}
		if ok, _ := path.Match(pat, p); ok {
			return true
		}
	}
	return false
}

// Baseline is the findings of an earlier JSON report.
type Baseline struct {
	keys map[baselineKey]int
}

type baselineKey struct{ rule, file, pointer, message string }

// ReadBaseline reads a JSON report written by agentready (-f json).
func ReadBaseline(r io.Reader) (*Baseline, error) {
	var rep struct {
		Findings []report.Finding `json:"findings"`
	}
	dec := json.NewDecoder(io.LimitReader(r, 256<<20))
	if err := dec.Decode(&rep); err != nil {
		return nil, fmt.Errorf("baseline: not a JSON report: %v", err)
	}
	b := &Baseline{keys: map[baselineKey]int{}}
	for _, f := range rep.Findings {
		b.keys[keyOf(f)]++
	}
	return b, nil
}

// keyOf identifies a finding across runs: lines move when a spec is edited,
// pointers and messages do not.
func keyOf(f report.Finding) baselineKey {
	return baselineKey{f.RuleID, path.Base(f.Location.File), f.Location.Pointer, f.Message}
}

// Filter drops findings that were in the baseline and returns how many.
func (b *Baseline) Filter(fs []report.Finding) ([]report.Finding, int) {
	left := make(map[baselineKey]int, len(b.keys))
	for k, v := range b.keys {
		left[k] = v
	}
	out := fs[:0]
	dropped := 0
	for _, f := range fs {
		k := keyOf(f)
		if left[k] > 0 {
			left[k]--
			dropped++
			continue
		}
		out = append(out, f)
	}
	return out, dropped
}
