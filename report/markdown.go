package report

import (
	"fmt"
	"html"
	"io"
	"strings"
)

// markdownCollapseAt is the number of findings above which each file's
// findings fold into a <details> block, so a long report does not bury the
// summary of a pull request comment.
const markdownCollapseAt = 20

// printMarkdown writes GitHub-flavoured Markdown for a pull request comment
// or $GITHUB_STEP_SUMMARY: a heading, the counts, a score table when the
// report is scored (the categories with the most to gain first), and the
// findings as tables (one per file or URL, folded into <details> when there
// are many; at most Report.MaxPerRule of a rule on a site, with a line for
// the rest), with links to the rules' docs.
//
// Messages, paths and URLs come from untrusted specs and pages: every one
// goes through mdText or mdCode, so none can inject HTML, links, images,
// mentions or table cells.
func printMarkdown(w io.Writer, r *Report, o PrintOptions) error {
	var b strings.Builder
	pm := newPaths(o.BaseDir)
	title := nonEmpty(r.Tool.Name, "agentready")
	if r.Command != "" {
		title += " " + r.Command
	}
	fmt.Fprintf(&b, "## %s\n\n", mdText(title))

	if r.Incomplete != "" {
		fmt.Fprintf(&b, "⛔ **%s.**\n\n", mdText(strings.ToUpper(incompleteText(r)[:1])+incompleteText(r)[1:]))
	}
	c := countFindings(r.Findings)
	if c.total() == 0 && r.Incomplete != "" {
		fmt.Fprintf(&b, "⚠️ **%s**", mdText(reportSummary(r)))
	} else if c.total() == 0 {
		if line := reportSummary(r); line != summaryLine(nil) {
			fmt.Fprintf(&b, "✅ **%s.**", mdText(strings.ToUpper(line[:1])+line[1:]))
		} else {
			b.WriteString("✅ **No findings.**")
		}
	} else {
		icon := "ℹ️"
		switch {
		case c.Error > 0:
			icon = "❌"
		case c.Warning > 0:
			icon = "⚠️"
		}
		fmt.Fprintf(&b, "%s **%s**", icon, mdText(reportSummary(r)))
	}
	if len(r.Targets) > 0 {
		ts := make([]string, len(r.Targets))
		for i, t := range r.Targets {
			ts[i] = mdCode(markdownTarget(targetLocation(t), pm))
		}
		b.WriteString(" · checked " + strings.Join(ts, ", "))
	}
	b.WriteString("\n\n")

	if r.Scores != nil {
		writeMarkdownScores(&b, r.Scores)
		writeMarkdownSections(&b, r.Scores.Sections)
	}
	if cl := changelogOf(r); cl != nil {
		writeMarkdownChangelog(&b, cl)
	}

	// The lines for the findings left out per rule come after the tables,
	// within the comment's budget: it cuts findings, not them.
	shown, more := capFindings(r, o)
	var moreText strings.Builder
	for _, m := range more {
		moreText.WriteString("_" + mdText(m.String()) + "_\n\n")
	}
	b.WriteString(markdownFindings(r, pm, shown, markdownMaxBytes-b.Len()-200-moreText.Len()))
	b.WriteString(moreText.String())

	footer := "<sub>" + html.EscapeString(sanitize(title, false))
	if r.Tool.Version != "" {
		footer += " " + html.EscapeString(sanitize(r.Tool.Version, false))
	}
	if r.Duration > 0 {
		footer += fmt.Sprintf(" · %.1fs", r.Duration.Seconds())
	}
	b.WriteString(footer + "</sub>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// markdownMaxBytes bounds the markdown report: GitHub refuses a comment
// body over 65,536 characters, and a report that cannot be posted helps
// no one. The least severe findings are left out first, with a note.
const markdownMaxBytes = 60000

// markdownFindings renders the findings tables within budget bytes. When
// they do not fit, it leaves out hints, then info, then warnings, and at
// last the errors that do not fit, and says how many it left out and that
// the json and sarif formats have them all.
func markdownFindings(r *Report, pm paths, all []Finding, budget int) string {
	for floor := Hint; ; floor++ {
		fs := all
		if floor > Hint {
			fs = nil
			for _, f := range all {
				if f.Severity >= floor {
					fs = append(fs, f)
				}
			}
		}
		out, shown := renderMarkdownFindings(r, pm, fs, budget, floor == Error)
		if shown == len(fs) || floor == Error {
			if left := len(all) - shown; left > 0 {
				note := fmt.Sprintf("_%d more %s not shown, to fit a GitHub comment", left, plural(left, "finding", "findings"))
				if floor > Hint && shown == len(fs) {
					note += fmt.Sprintf(" (everything below %s)", floor)
				}
				out += note + ": the json and sarif formats list them all._\n\n"
			}
			return out
		}
	}
}

// renderMarkdownFindings renders fs as tables, one per file folded into
// <details> when there are many; with cut, it stops before the row that
// would pass budget. It returns the Markdown and how many findings it shows.
func renderMarkdownFindings(r *Report, pm paths, fs []Finding, budget int, cut bool) (string, int) {
	if len(fs) == 0 {
		return "", 0
	}
	var b strings.Builder
	const header = "| Severity | Location | Message | Rule |\n|---|---|---|---|\n"
	long := len(fs) > markdownCollapseAt
	if !long {
		b.WriteString(header)
	}
	shown := 0
	for _, g := range groupByTarget(fs) {
		if long {
			name := "(no location)"
			if g.Target != "" {
				name = markdownTarget(g.Findings[0].Location, pm)
			}
			fmt.Fprintf(&b, "<details><summary><code>%s</code>: %s</summary>\n\n",
				html.EscapeString(sanitize(name, false)), html.EscapeString(strings.Join(countFindings(g.Findings).parts(), ", ")))
			b.WriteString(header)
		}
		for _, f := range g.Findings {
			var row strings.Builder
			writeMarkdownRow(&row, r, f, pm)
			if b.Len()+row.Len() > budget {
				if !cut {
					return "", 0
				}
				if long {
					b.WriteString("\n</details>")
				}
				b.WriteString("\n\n")
				return b.String(), shown
			}
			b.WriteString(row.String())
			shown++
		}
		if long {
			b.WriteString("\n</details>\n\n")
		}
	}
	if !long {
		b.WriteString("\n")
	}
	return b.String(), shown
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func writeMarkdownScores(b *strings.Builder, s *Scores) {
	b.WriteString("| Category | Score | |\n|---|---:|---|\n")
	row := func(label string, score float64, bold bool) {
		n := fmt.Sprint(roundScore(score))
		if bold {
			label, n = "**"+label+"**", "**"+n+"**"
		}
		fmt.Fprintf(b, "| %s | %s | %s |\n", label, n, scoreIcon(score))
	}
	overall := "Overall"
	if s.Grade != "" {
		overall += " (grade " + mdText(s.Grade) + ")"
	}
	row(overall, s.Overall, true)
	for _, c := range byImpact(s.Categories) {
		row(mdText(categoryLabel(c)), c.Score, false)
	}
	b.WriteString("\n")
}

// writeMarkdownSections writes each section as a bold title and a table;
// a section without rows or columns is a note, its title alone.
func writeMarkdownSections(b *strings.Builder, secs []Section) {
	for _, sec := range secs {
		c := sec.Columns
		if len(sec.Rows) == 0 && c == [3]string{} {
			fmt.Fprintf(b, "**%s**\n\n", mdText(sec.Title))
			continue
		}
		fmt.Fprintf(b, "**%s**\n\n| %s | %s | %s |\n|---|---|---|\n", mdText(sec.Title), mdText(c[0]), mdText(c[1]), mdText(c[2]))
		for _, r := range sec.Rows {
			fmt.Fprintf(b, "| %s | %s | %s |\n", mdText(r.Label), mdText(r.Value), mdText(r.Detail))
		}
		b.WriteString("\n")
	}
}

// scoreIcon colours a score as Lighthouse does: 90 and up is good, 50 and
// up needs improvement, below 50 is poor.
func scoreIcon(score float64) string {
	switch s := roundScore(score); {
	case s >= 90:
		return "🟢"
	case s >= 50:
		return "🟠"
	}
	return "🔴"
}

func writeMarkdownRow(b *strings.Builder, r *Report, f Finding, pm paths) {
	sev := clampSeverity(f.Severity)
	icon := sevIcons[sev]
	loc := "-"
	if t := markdownTarget(f.Location, pm); t != "" || f.Location.Pointer != "" {
		l := f.Location
		if l.File != "" {
			l.File = t
		}
		loc = mdCode(l.String())
		if l.Line > 0 && l.Pointer != "" {
			loc += "<br>" + mdCode(l.Pointer)
		}
	}
	msg := mdText(f.Message)
	if f.Help != "" {
		msg += "<br>_" + mdText(f.Help) + "_"
	}
	rule := mdCode(f.RuleID)
	if rl := r.Rule(f.RuleID); rl != nil {
		if uri := docURI(rl.HelpURI); uri != "" {
			rule = "[" + mdCode(f.RuleID) + "](" + mdURL(uri) + ")"
		}
	}
	fmt.Fprintf(b, "| %s %s | %s | %s | %s |\n", icon, sev, loc, msg, rule)
}

// markdownTarget is a location's file (relative to base) or URL.
func markdownTarget(l Location, pm paths) string {
	if l.File != "" {
		rel, _ := pm.repo(l.File)
		return rel
	}
	return l.URL
}

// mdText escapes untrusted text for a GitHub Markdown table cell: HTML is
// entity-escaped, Markdown punctuation backslash-escaped (no emphasis,
// links, images, code, strikethrough, math or cell breaks), @ is followed
// by a zero-width space so that no one is mentioned, and line breaks become
// <br>.
func mdText(s string) string {
	s = sanitize(s, true)
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '"':
			b.WriteString("&quot;")
		case '@':
			b.WriteString("@&#8203;")
		case '\n':
			b.WriteString("<br>")
		case '\t':
			b.WriteString(" ")
		case '\\', '`', '*', '_', '[', ']', '|', '~', '#', '!', '$', '(', ')', '{', '}':
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// mdCode formats untrusted text as a code span that is safe in a table
// cell: the fence is longer than any run of backticks inside, line breaks
// become spaces, and "|" is escaped (GitHub splits cells on it even inside
// code spans).
func mdCode(s string) string {
	s = codeEscaper.Replace(sanitize(s, true))
	longest, run := 0, 0
	for _, r := range s {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	if longest > 0 || strings.HasPrefix(s, " ") {
		return fence + " " + s + " " + fence
	}
	return fence + s + fence
}

// mdURL escapes a link destination: spaces, parentheses and angle brackets
// would end it.
func mdURL(u string) string { return urlEscaper.Replace(u) }

var (
	codeEscaper = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ", "|", `\|`)
	urlEscaper  = strings.NewReplacer(" ", "%20", "(", "%28", ")", "%29", "<", "%3C", ">", "%3E")
	sevIcons    = map[Severity]string{Error: "❌", Warning: "⚠️", Info: "ℹ️", Hint: "💡"}
)
