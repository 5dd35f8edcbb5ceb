// Package htmlreport is the audit's "html" report format: one
// self-contained HTML file for site owners, with the score gauge and the
// category chart as inline SVG, the AI crawler access matrix, the checks,
// the findings with how to fix them, and a per-page table. It has no
// scripts and loads nothing; every string from the audited site goes
// through html/template's contextual escaping.
package htmlreport

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"math"
	"net/url"
	"slices"
	"strings"

	"github.com/yuin/goldmark"

	"github.com/agentready/agentready/audit/checks"
	"github.com/agentready/agentready/audit/data"
	"github.com/agentready/agentready/report"
)

//go:embed report.html.tmpl
var tmplText string

var tmpl = template.Must(template.New("report").Funcs(template.FuncMap{
	"pct":      pct,
	"grade":    checks.Grade,
	"color":    color,
	"gauge":    gauge,
	"safeURL":  safeURL,
	"sevClass": func(s report.Severity) string { return s.String() },
	"inc":      func(i int) int { return i + 1 },
	"count":    count,
	"mul2":     func(i int) int { return 2 * i },
}).Parse(tmplText))

type view struct {
	Title      string
	Tool       report.Tool
	Targets    []string
	Overall    float64
	Grade      string
	Categories []catView
	Sites      []siteView
	Groups     []findingGroup
	Counts     map[string]int
	Scored     bool
	// Incomplete is why the run did not finish (report.Report.Incomplete).
	Incomplete string
}

type catView struct {
	Title  string
	Score  float64
	Weight float64
	Width  string // bar width, in per cent of the track
}

type siteView struct {
	*checks.SiteResult
	Matrix []matrixGroup
	Checks []checkView
	// Readings are the pages the browser rendered (--render).
	Readings []checks.PageRow
}

type matrixGroup struct {
	Function string
	Allowed  int
	Rows     []checks.AccessRow
}

type checkView struct {
	ID, Title, Category, Detail, Status string
	Score                               string
}

type findingGroup struct {
	Rule     report.Rule
	Doc      template.HTML
	Findings []report.Finding
}

// Print writes an audit report and its scorecard (nil when no check ran)
// as one HTML document.
func Print(w io.Writer, r *report.Report, sc *checks.Scorecard, o report.PrintOptions) error {
	v := view{Tool: r.Tool, Targets: r.Targets, Counts: map[string]int{}, Incomplete: r.Incomplete}
	v.Title = "agentready audit"
	if len(r.Targets) > 0 {
		v.Title += ": " + strings.Join(r.Targets, ", ")
	}
	if r.Scores != nil {
		v.Scored = true
		v.Overall = r.Scores.Overall
		v.Grade = checks.Grade(r.Scores.Overall)
		for _, c := range r.Scores.Categories {
			v.Categories = append(v.Categories, catView{Title: c.Title, Score: c.Score, Weight: c.Weight,
				Width: fmt.Sprintf("%.1f", math.Max(0, math.Min(100, c.Score)))})
		}
	}
	if sc == nil {
		sc = &checks.Scorecard{}
	}
	for _, s := range sc.Sites {
		sv := siteView{SiteResult: s}
		for _, row := range s.Pages {
			if row.Rendered != nil {
				sv.Readings = append(sv.Readings, row)
			}
		}
		for _, fn := range data.Functions {
			g := matrixGroup{Function: string(fn)}
			for _, row := range s.Access {
				if row.Function == fn {
					g.Rows = append(g.Rows, row)
					if row.Allowed {
						g.Allowed++
					}
				}
			}
			if len(g.Rows) > 0 {
				sv.Matrix = append(sv.Matrix, g)
			}
		}
		for _, c := range s.Checks {
			cv := checkView{ID: c.ID, Category: string(c.Category), Detail: c.Detail, Status: "na", Score: "n/a"}
			if chk, ok := checks.Lookup(c.ID); ok {
				cv.Title = checks.Titles(chk, c)
				cv.Category = chk.Category.Title()
			}
			if c.Score != nil {
				cv.Score = pct(*c.Score)
				cv.Status = "fail"
				if c.Passed() {
					cv.Status = "pass"
				} else if *c.Score >= 50 {
					cv.Status = "warn"
				}
			}
			sv.Checks = append(sv.Checks, cv)
		}
		v.Sites = append(v.Sites, sv)
	}
	// Findings grouped by rule, most severe first, in report order within.
	byRule := map[string]*findingGroup{}
	var order []string
	for _, f := range r.Findings {
		v.Counts[f.Severity.String()]++
		g := byRule[f.RuleID]
		if g == nil {
			g = &findingGroup{Rule: report.Rule{ID: f.RuleID, Title: f.RuleID}}
			if rule := r.Rule(f.RuleID); rule != nil {
				g.Rule = *rule
				g.Doc = markdown(rule.Doc)
			}
			byRule[f.RuleID] = g
			order = append(order, f.RuleID)
		}
		g.Findings = append(g.Findings, f)
	}
	maxSev := func(g *findingGroup) report.Severity {
		m := report.Hint
		for _, f := range g.Findings {
			m = max(m, f.Severity)
		}
		return m
	}
	slices.SortStableFunc(order, func(a, b string) int { return int(maxSev(byRule[b])) - int(maxSev(byRule[a])) })
	for _, id := range order {
		v.Groups = append(v.Groups, *byRule[id])
	}
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, v); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// markdown renders a check's documentation (our own text, not the
// site's); goldmark escapes raw HTML by default.
func markdown(src string) template.HTML {
	var b bytes.Buffer
	if err := goldmark.Convert([]byte(src), &b); err != nil {
		return template.HTML(template.HTMLEscapeString(src))
	}
	return template.HTML(b.String()) //nolint:gosec // trusted, embedded docs rendered without raw HTML
}

// round rounds a score as every report and gate does (report.ShownScore).
func round(s float64) float64 { return report.ShownScore(s) }

// count is n with its noun: "1 error", "3 errors".
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// pct prints a score rounded (see round).
func pct(s float64) string { return fmt.Sprint(int(round(s))) }

// color is the colour of a score, by its rounded value (the one printed):
// Lighthouse's bands.
func color(s float64) string {
	switch s = round(s); {
	case s >= 90:
		return "#0c7d3e"
	case s >= 50:
		return "#b35c00"
	}
	return "#c5221f"
}

// gauge returns the stroke-dasharray of a circular gauge of radius 54.
func gauge(s float64) string {
	c := 2 * math.Pi * 54
	return fmt.Sprintf("%.1f %.1f", c*s/100, c)
}

// safeURL returns a link target for a finding's URL: http(s) only.
func safeURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return ""
	}
	return u.String()
}
