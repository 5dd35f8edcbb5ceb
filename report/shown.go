package report

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
)

// DefaultMaxPerRule is how many findings of a rule on one site an audit's
// text and markdown reports show: a check that fails on every page of a
// 500-page site is five lines and one "and 495 more", not a screenful.
const DefaultMaxPerRule = 5

// moreLine is what the text and markdown printers say of a rule whose
// findings they left out: how many, on which site when the report has
// several.
type moreLine struct {
	Rule, Site string
	N          int
}

// String is the line: "and 12 more markdown-mirrors findings (see -f json)".
func (m moreLine) String() string {
	on := ""
	if m.Site != "" {
		on = " on " + m.Site
	}
	return fmt.Sprintf("and %d more %s %s%s (see -f json)", m.N, m.Rule, plural(m.N, "finding", "findings"), on)
}

// capFindings returns the findings the text and markdown printers show of
// r: with r.MaxPerRule set and no -v, at most that many of each rule
// (but those in r.Uncapped) per site (the origin of a finding's URL; findings without one are one site),
// the most severe first, then in report order; and a line for each rule
// with findings left out, by rule ID and site. The json and sarif formats
// list every finding.
func capFindings(r *Report, o PrintOptions) ([]Finding, []moreLine) {
	if r.MaxPerRule <= 0 || o.Verbose || len(r.Findings) <= r.MaxPerRule {
		return r.Findings, nil
	}
	type key struct{ rule, site string }
	buckets := map[key][]int{}
	sites := map[string]bool{}
	var order []key
	for i, f := range r.Findings {
		k := key{f.RuleID, urlOrigin(f.Location.URL)}
		if buckets[k] == nil {
			order = append(order, k)
		}
		buckets[k] = append(buckets[k], i)
		sites[k.site] = true
	}
	drop := map[int]bool{}
	var more []moreLine
	for _, k := range order {
		idx := buckets[k]
		if len(idx) <= r.MaxPerRule || slices.Contains(r.Uncapped, k.rule) {
			continue
		}
		// The most severe first: a warning at the start page is shown
		// before the hints at other pages.
		slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(r.Findings[b].Severity, r.Findings[a].Severity) })
		for _, i := range idx[r.MaxPerRule:] {
			drop[i] = true
		}
		m := moreLine{Rule: k.rule, N: len(idx) - r.MaxPerRule}
		if len(sites) > 1 {
			m.Site = k.site
			if m.Site == "" {
				m.Site = "no site"
			}
		}
		more = append(more, m)
	}
	if len(more) == 0 {
		return r.Findings, nil
	}
	shown := make([]Finding, 0, len(r.Findings)-len(drop))
	for i, f := range r.Findings {
		if !drop[i] {
			shown = append(shown, f)
		}
	}
	slices.SortFunc(more, func(a, b moreLine) int { return cmp.Or(cmp.Compare(a.Rule, b.Rule), cmp.Compare(a.Site, b.Site)) })
	return shown, more
}

// byImpact returns the categories the text and markdown printers list
// under the overall score, the most to gain first: by weight × the points
// lost (100 − score), so that a heavy category at 60 comes before a light
// one at 10 and a category at 100 comes last; ties keep the report's
// order. The json report keeps the command's order.
func byImpact(cs []CategoryScore) []CategoryScore {
	out := slices.Clone(cs)
	lost := func(c CategoryScore) float64 { return c.Weight * (100 - min(max(c.Score, 0), 100)) }
	slices.SortStableFunc(out, func(a, b CategoryScore) int { return cmp.Compare(lost(b), lost(a)) })
	return out
}

// MaxPerRule is the --max-per-rule flag (a pflag.Value): how many findings
// of a rule the text and markdown printers show (per site in an audit), 0
// for all. Unset, a command keeps its own default (an audit's
// DefaultMaxPerRule, every finding for lint).
type MaxPerRule struct {
	N     int
	Given bool
}

// String is the value as the help shows it: nothing when unset.
func (m *MaxPerRule) String() string {
	if !m.Given {
		return ""
	}
	return strconv.Itoa(m.N)
}

// Set parses a count of 0 or more.
func (m *MaxPerRule) Set(s string) error {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return fmt.Errorf("want a count of 0 or more (0 shows every finding), not %q", s)
	}
	m.N, m.Given = n, true
	return nil
}

// Type is the flag's argument name in the help.
func (m *MaxPerRule) Type() string { return "N" }

// Apply sets r.MaxPerRule when the flag was given.
func (m *MaxPerRule) Apply(r *Report) {
	if m.Given {
		r.MaxPerRule = m.N
	}
}
