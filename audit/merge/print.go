package merge

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"math"
	"strings"

	"github.com/agentready/agentready/report"
)

// Printers returns the formats a merged report prints in: the standard
// text and json (json encodes the Summary under "extra"), and the merge's
// own markdown and html, which show the sites table and the
// distributions.
func Printers() report.Printers {
	std := report.Standard()
	return report.Printers{
		"text": func(w io.Writer, r *report.Report, o report.PrintOptions) error {
			if s, err := summaryOf(r); err == nil && !o.Quiet {
				if _, err := fmt.Fprintf(w, "%s\n\n", headline(s)); err != nil {
					return err
				}
			}
			return std["text"](w, r, o)
		},
		"json":     std["json"],
		"markdown": printMarkdown,
		"html":     printHTML,
	}
}

func summaryOf(r *report.Report) (*Summary, error) {
	s, ok := r.Extra.(*Summary)
	if !ok {
		return nil, fmt.Errorf("not a merged report")
	}
	return s, nil
}

// md makes untrusted text (site names and finding messages come from the
// pages crawled) safe in a Markdown table cell: no HTML, no link or image
// syntax, no cell break.
func md(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\', '`', '*', '_', '[', ']', '<', '>', '|', '!', '#', '@', '~', '&':
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

func score(p *float64) string {
	if p == nil {
		return "–"
	}
	return fmt.Sprintf("%.0f", math.Round(*p))
}

func pct(v float64) string { return fmt.Sprintf("%.0f%%", math.Round(v*100)) }

// categoryScore is a site's score in one category, "–" when it has none.
func categoryScore(s Site, id string) string {
	for _, c := range s.Categories {
		if c.ID == id {
			v := c.Score
			return score(&v)
		}
	}
	return "–"
}

func worst(s Site) []string {
	var out []string
	for _, f := range s.Worst {
		out = append(out, f.Severity.String()+" "+f.RuleID+": "+f.Message)
	}
	return out
}

// headline is the merge in one line.
func headline(s *Summary) string {
	line := fmt.Sprintf("%d sites from %d files, %d scored", len(s.Sites), len(s.Inputs), s.Scored)
	if s.Scored > 0 {
		line += fmt.Sprintf(" (mean %.1f, median %.1f)", s.Scores.Mean, s.Scores.Median)
	}
	if s.ShardCount > 0 {
		done := 0
		for _, sh := range s.Shards {
			if sh.Complete {
				done++
			}
		}
		line += fmt.Sprintf("; shards: %d of %d complete", done, s.ShardCount)
	}
	return line
}

func printMarkdown(w io.Writer, r *report.Report, _ report.PrintOptions) error {
	s, err := summaryOf(r)
	if err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString("## agentready report merge\n\n")
	fmt.Fprintf(&b, "**%d sites** from %d files, %d scored", len(s.Sites), len(s.Inputs), s.Scored)
	if s.Scored > 0 {
		fmt.Fprintf(&b, ": mean %.1f, median %.1f, min %.0f, max %.0f", s.Scores.Mean, s.Scores.Median, s.Scores.Min, s.Scores.Max)
	}
	b.WriteString(".\n\n")
	if s.ShardCount > 0 {
		done := 0
		for _, sh := range s.Shards {
			if sh.Complete {
				done++
			}
		}
		fmt.Fprintf(&b, "Shards: %d of %d complete, list `%s` (%d sites).\n\n", done, s.ShardCount, md(short(s.ListInput)), s.ListSites)
	}
	if len(r.Findings) > 0 {
		b.WriteString("### Problems with the inputs\n\n")
		for _, f := range r.Findings {
			at := ""
			if f.Location.File != "" {
				at = " (" + md(f.Location.String()) + ")"
			}
			fmt.Fprintf(&b, "- **%s** `%s`: %s%s\n", f.Severity, f.RuleID, md(f.Message), at)
		}
		b.WriteString("\n")
	}
	if s.Scored > 0 {
		b.WriteString("### Scores\n\n| score | sites |\n|---|---:|\n")
		for i, n := range s.Scores.Buckets {
			hi := i*10 + 9
			if i == 9 {
				hi = 100
			}
			fmt.Fprintf(&b, "| %d–%d | %d |\n", i*10, hi, n)
		}
		b.WriteString("\n| grade | sites |\n|---|---:|\n")
		for _, g := range s.Scores.Grades {
			fmt.Fprintf(&b, "| %s | %d |\n", g.Grade, g.Sites)
		}
		b.WriteString("\n### Checks, by pass rate\n\n| check | category | passed | applicable | rate |\n|---|---|---:|---:|---:|\n")
		for _, c := range s.Checks {
			rate := "–"
			if c.Applicable > 0 {
				rate = pct(c.Rate)
			}
			fmt.Fprintf(&b, "| `%s` | %s | %d | %d | %s |\n", md(c.ID), md(c.Category), c.Passed, c.Applicable, rate)
		}
		b.WriteString("\n")
	}
	b.WriteString("### Sites\n\n| site | score | grade |")
	for _, c := range s.Categories {
		b.WriteString(" " + md(c.Title) + " |")
	}
	b.WriteString(" errors | warnings | worst findings |\n|---|---:|---|")
	b.WriteString(strings.Repeat("---:|", len(s.Categories)))
	b.WriteString("---:|---:|---|\n")
	for _, site := range s.Sites {
		fmt.Fprintf(&b, "| %s | %s | %s |", md(site.Name), score(site.Score), md(site.Grade))
		for _, c := range s.Categories {
			b.WriteString(" " + categoryScore(site, c.ID) + " |")
		}
		ws := worst(site)
		for i := range ws {
			ws[i] = md(ws[i])
		}
		fmt.Fprintf(&b, " %d | %d | %s |\n", site.Errors, site.Warnings, strings.Join(ws, "<br>"))
	}
	_, err = io.WriteString(w, b.String())
	return err
}

//go:embed report.html.tmpl
var htmlSource string

var htmlTemplate = template.Must(template.New("merge").Funcs(template.FuncMap{
	"score": score, "pct": pct, "short": short, "cat": categoryScore, "worst": worst,
	"bucketLabel": func(i int) string {
		if i == 9 {
			return "90–100"
		}
		return fmt.Sprintf("%d–%d", i*10, i*10+9)
	},
	// bar is the height of a histogram bar in the chart's 0-100 units.
	"bar": func(n int, b [10]int) float64 {
		top := 1
		for _, v := range b {
			top = max(top, v)
		}
		return math.Round(float64(n)/float64(top)*1000) / 10
	},
	"sub":   func(a, b float64) float64 { return a - b },
	"mul":   func(a, b float64) float64 { return math.Round(a*b*10) / 10 },
	"x":     func(i int) int { return 40 + i*56 },
	"y":     func(i int) int { return 10 + i*22 },
	"ylast": func(n int) int { return 20 + n*22 },
	"complete": func(s *Summary) int {
		n := 0
		for _, sh := range s.Shards {
			if sh.Complete {
				n++
			}
		}
		return n
	},
}).Parse(htmlSource))

// printHTML writes one self-contained page: inline CSS and SVG charts,
// no script and nothing fetched.
func printHTML(w io.Writer, r *report.Report, _ report.PrintOptions) error {
	s, err := summaryOf(r)
	if err != nil {
		return err
	}
	return htmlTemplate.Execute(w, struct {
		R *report.Report
		S *Summary
	}{r, s})
}
