package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/agentready/agentready/internal/golden"
)

// cappedFixture is an audit of one site where a check fails on eight
// pages (a warning at the last one, hints at the others) and another on
// two: the text and markdown printers show five of the eight.
func cappedFixture() *Report {
	r := &Report{
		Tool: Tool{Name: "agentready", Version: "0.1.0"}, Command: "audit", Targets: []string{"https://example.com/"},
		Rules: []Rule{
			{ID: "markdown-mirrors", Title: "Pages link a Markdown version", Severity: Hint, Category: "content"},
			{ID: "title-description", Title: "Pages have a title and a meta description", Severity: Warning, Category: "content"},
		},
		MaxPerRule: DefaultMaxPerRule,
		Scores: &Scores{Overall: 70, Grade: "C", Categories: []CategoryScore{
			{ID: "access", Title: "Access", Score: 100, Weight: 3},
			{ID: "content", Title: "Content", Score: 80, Weight: 3},
			{ID: "discovery", Title: "Discovery", Score: 10, Weight: 1},
			{ID: "policy", Title: "Policy and trust", Score: 60, Weight: 1},
		}},
	}
	for i := range 8 {
		f := Finding{RuleID: "markdown-mirrors", Severity: Hint, Category: "content", Message: "the page links no Markdown version",
			Location: Location{URL: fmt.Sprintf("https://example.com/p/%d", i)}}
		if i == 7 {
			f.Severity, f.Message = Warning, "the page links a Markdown version that answers 404"
		}
		r.Findings = append(r.Findings, f)
	}
	for i := range 2 {
		r.Findings = append(r.Findings, Finding{RuleID: "title-description", Severity: Warning, Category: "content", Message: "the page has no <title>",
			Location: Location{URL: fmt.Sprintf("https://example.com/p/%d", i)}})
	}
	return r
}

// TestCapPerRule: text and markdown show at most MaxPerRule findings of a
// rule (the most severe first) and one "and N more" line for it; -v shows
// them all; json and sarif list every finding.
func TestCapPerRule(t *testing.T) {
	mirrors := regexp.MustCompile(`(?m)^.*markdown-mirrors.*$`)
	for _, format := range []string{"text", "markdown"} {
		for _, o := range []PrintOptions{{}, {Quiet: true}} {
			out := string(printFixture(t, cappedFixture, format, o))
			var rows []string
			for _, l := range mirrors.FindAllString(out, -1) {
				if !strings.Contains(l, "more") {
					rows = append(rows, l)
				}
			}
			if format == "text" || !o.Quiet {
				golden.Check(t, "capped."+format+map[bool]string{true: "-quiet"}[o.Quiet], []byte(out))
			}
			if len(rows) != DefaultMaxPerRule {
				t.Errorf("%s %+v: %d markdown-mirrors rows, want %d:\n%s", format, o, len(rows), DefaultMaxPerRule, out)
			}
			if !strings.Contains(out, "answers 404") {
				t.Errorf("%s: the warning is not among the findings shown:\n%s", format, out)
			}
			more := "and 3 more markdown-mirrors findings (see -f json)"
			if format == "markdown" {
				more = `_and 3 more markdown-mirrors findings \(see -f json\)_`
			}
			if strings.Count(out, more) != 1 || strings.Contains(out, "more title-description") {
				t.Errorf("%s: want one line %q:\n%s", format, more, out)
			}
			if !o.Quiet && !strings.Contains(out, "3 warnings, 7 hints") {
				t.Errorf("%s: the summary does not count every finding:\n%s", format, out)
			}
		}
		all := string(printFixture(t, cappedFixture, format, PrintOptions{Verbose: true}))
		if strings.Contains(all, "more markdown-mirrors") || strings.Count(all, "https://example.com/p/6") == 0 {
			t.Errorf("%s -v: not every finding:\n%s", format, all)
		}
	}
	var doc struct {
		Findings []json.RawMessage `json:"findings"`
	}
	if err := json.Unmarshal(printFixture(t, cappedFixture, "json", PrintOptions{}), &doc); err != nil || len(doc.Findings) != 10 {
		t.Errorf("json: %d findings (%v), want 10", len(doc.Findings), err)
	}
	if n := bytes.Count(printFixture(t, cappedFixture, "sarif", PrintOptions{}), []byte(`"ruleId":`)); n != 10 {
		t.Errorf("sarif: %d results, want 10", n)
	}
	// An uncapped rule is shown whole.
	whole := func() *Report { x := cappedFixture(); x.Uncapped = []string{"markdown-mirrors"}; return x }
	if out := string(printFixture(t, whole, "text", PrintOptions{})); strings.Contains(out, "more markdown-mirrors") || !strings.Contains(out, "https://example.com/p/6") {
		t.Errorf("Uncapped: capped:\n%s", out)
	}
	// A report with no cap (lint) shows everything.
	r := cappedFixture
	uncapped := func() *Report { x := r(); x.MaxPerRule = 0; return x }
	if out := string(printFixture(t, uncapped, "text", PrintOptions{})); strings.Contains(out, "more markdown-mirrors") {
		t.Errorf("no MaxPerRule: capped:\n%s", out)
	}
}

// TestCapPerSite: the cap is per rule and site, so that the second site
// of a run shows its own findings; the line names the site.
func TestCapPerSite(t *testing.T) {
	two := func() *Report {
		r := cappedFixture()
		for _, f := range r.Findings {
			f.Location.URL = strings.Replace(f.Location.URL, "example.com", "example.org", 1)
			r.Findings = append(r.Findings, f)
		}
		return r
	}
	out := string(printFixture(t, two, "text", PrintOptions{}))
	for _, site := range []string{"https://example.com", "https://example.org"} {
		if !strings.Contains(out, "and 3 more markdown-mirrors findings on "+site+" (see -f json)") {
			t.Errorf("no line for %s:\n%s", site, out)
		}
		if !strings.Contains(out, site+"/p/7") {
			t.Errorf("the warning of %s is not shown:\n%s", site, out)
		}
	}
}

// TestCategoriesByImpact: text and markdown list the categories with the
// most to gain first, by weight × points lost: Discovery (1 × 90), Content
// (3 × 20), Policy and trust (1 × 40), and Access, at 100, last. The
// report's order was Access, Content, Discovery, Policy.
func TestCategoriesByImpact(t *testing.T) {
	want := []string{"Discovery", "Content", "Policy and trust", "Access"}
	for _, format := range []string{"text", "markdown"} {
		out := string(printFixture(t, cappedFixture, format, PrintOptions{}))
		last := -1
		for _, c := range want {
			i := strings.Index(out, c)
			if i < last {
				t.Errorf("%s: %s is not after %v:\n%s", format, c, want, out)
			}
			last = i
		}
	}
}
