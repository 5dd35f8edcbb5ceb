package lint

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/agentready/agentready/internal/specload"
	"github.com/agentready/agentready/report"
)

func ruleIDs(rs []*Rule) []string {
	var ids []string
	for _, r := range rs {
		ids = append(ids, r.ID)
	}
	return ids
}

func TestRuleSetPresets(t *testing.T) {
	min, _ := NewRuleSet(Config{Extends: "minimal"})
	rec, _ := NewRuleSet(Config{})
	all, _ := NewRuleSet(Config{Extends: "all"})
	if !(len(min.Rules()) < len(rec.Rules()) && len(rec.Rules()) < len(all.Rules())) {
		t.Errorf("presets do not nest: %d, %d, %d", len(min.Rules()), len(rec.Rules()), len(all.Rules()))
	}
	if slices.Contains(ruleIDs(rec.Rules()), "tags-alphabetical") || !slices.Contains(ruleIDs(all.Rules()), "tags-alphabetical") {
		t.Error("tags-alphabetical should be in all only")
	}
	// A severity turns on a rule outside the preset; off turns one off.
	rs, err := NewRuleSet(Config{Policy: report.Policy{Severity: map[string]string{"tags-alphabetical": "warning", "operation-summary": "off", "auth": "off"}}})
	if err != nil {
		t.Fatal(err)
	}
	ids := ruleIDs(rs.Rules())
	if !slices.Contains(ids, "tags-alphabetical") || slices.Contains(ids, "operation-summary") || slices.Contains(ids, "server-https") {
		t.Errorf("severity did not select rules: %v", ids)
	}
	for _, bad := range []struct {
		cfg Config
		pol report.Policy
		msg string
	}{
		{Config{Extends: "most"}, report.Policy{}, "unknown preset"},
		{Config{}, report.Policy{Severity: map[string]string{"nope": "error"}}, "neither a rule nor a category"},
		{Config{}, report.Policy{Severity: map[string]string{"auth": "loud"}}, "unknown severity"},
		{Config{Overrides: []Override{{Severity: map[string]string{"auth": "off"}}}}, report.Policy{}, "give paths or operations"},
		{Config{Overrides: []Override{{Paths: []string{"[x"}, Severity: map[string]string{"auth": "off"}}}}, report.Policy{}, "bad pattern"},
	} {
		bad.cfg.Policy = bad.pol
		if _, err := NewRuleSet(bad.cfg); err == nil || !strings.Contains(err.Error(), bad.msg) {
			t.Errorf("%+v: %v, want %q", bad, err, bad.msg)
		}
	}
}

func TestRuleSetApplyOverrides(t *testing.T) {
	doc, err := specload.Load(context.Background(), "../testdata/lint/choose.yaml", nil, specload.Options{})
	if err != nil {
		t.Fatal(err)
	}
	rs, err := NewRuleSet(Config{Overrides: []Override{
		{Paths: []string{"/users/**"}, Severity: map[string]string{"operation-id-meaningful": "error"}},
		{Operations: []string{"userAvatar"}, Severity: map[string]string{"choose": "off"}},
	}, Policy: report.Policy{Severity: map[string]string{"operation-id-tool-name": "info"}}})
	if err != nil {
		t.Fatal(err)
	}
	fs := rs.Apply(doc, Run(context.Background(), doc, Options{Rules: rs.Rules()}).Findings)
	for _, f := range fs {
		switch {
		case strings.Contains(f.Message, "userAvatar") && f.Category == string(Choose):
			t.Errorf("operation override did not drop %s", f.Message)
		case f.RuleID == "operation-id-meaningful" && f.Severity != report.Error:
			t.Errorf("path override: %s is %s", f.Message, f.Severity)
		case f.RuleID == "operation-id-tool-name" && f.Severity != report.Info:
			t.Errorf("global override: %s is %s", f.Message, f.Severity)
		}
	}
}

func TestScore(t *testing.T) {
	if s := Score(nil, 50); s.Overall != 100 {
		t.Errorf("no findings: %v", s.Overall)
	}
	f := func(cat Category, sev report.Severity, n int) []report.Finding {
		var fs []report.Finding
		for range n {
			fs = append(fs, report.Finding{Category: string(cat), Severity: sev})
		}
		return fs
	}
	// One warning per operation in a category gives 37.
	s := Score(f(Choose, report.Warning, 20), 20)
	for _, c := range s.Categories {
		if c.ID == "choose" && math.Abs(c.Score-36.8) > 0.1 {
			t.Errorf("choose = %v, want 36.8", c.Score)
		}
	}
	// Twice the spec with twice the findings scores the same.
	if a, b := Score(f(Fill, report.Error, 7), 40).Overall, Score(f(Fill, report.Error, 14), 80).Overall; a != b {
		t.Errorf("not normalised by size: %v vs %v", a, b)
	}
	// Scale has no weight.
	if s := Score(f(Scale, report.Info, 5), 10); s.Overall != 100 {
		t.Errorf("scale counted: %v", s.Overall)
	}
}

func TestBaseline(t *testing.T) {
	old := `{"findings": [
		{"ruleId": "a", "message": "m", "location": {"file": "dir/api.yaml", "pointer": "/x", "line": 3}},
		{"ruleId": "a", "message": "m", "location": {"file": "dir/api.yaml", "pointer": "/x", "line": 3}}
	]}`
	b, err := ReadBaseline(strings.NewReader(old))
	if err != nil {
		t.Fatal(err)
	}
	mk := func(line int) report.Finding {
		return report.Finding{RuleID: "a", Message: "m", Location: report.Location{File: "api.yaml", Pointer: "/x", Line: line}}
	}
	// Lines moved; the pointer and message did not. Three now, two before.
	left, dropped := b.Filter([]report.Finding{mk(5), mk(5), mk(9)})
	if dropped != 2 || len(left) != 1 {
		t.Errorf("dropped %d, left %d", dropped, len(left))
	}
	if _, err := ReadBaseline(strings.NewReader("not json")); err == nil {
		t.Error("no error on a bad baseline")
	}
}
