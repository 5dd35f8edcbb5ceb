package report

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// textStyles are the styles of the text printer, bound to one renderer.
type textStyles struct {
	target, dim, rule, bold textStyle
	severity                map[Severity]textStyle
	good, average, poor     textStyle
}

// textStyle is a lipgloss style that is skipped when there is no colour:
// the Ascii profile would render the text unchanged, only 3x slower
// (lipgloss measures and pads every string it renders).
type textStyle struct {
	style lipgloss.Style
	on    bool
}

// Render styles s.
func (t textStyle) Render(s string) string {
	if !t.on {
		return s
	}
	return t.style.Render(s)
}

func newTextStyles(w io.Writer, color bool) textStyles {
	// The renderer is bound to w, and its profile is forced rather than
	// detected: the caller has already decided about colour (terminal,
	// NO_COLOR, --no-color), and forcing it keeps golden output stable and
	// keeps termenv from querying the terminal.
	re := lipgloss.NewRenderer(w)
	if color {
		re.SetColorProfile(termenv.TrueColor)
	} else {
		re.SetColorProfile(termenv.Ascii)
	}
	re.SetHasDarkBackground(true)
	base := re.NewStyle()
	st := func(s lipgloss.Style) textStyle { return textStyle{style: s, on: color} }
	fg := func(c string) lipgloss.Style { return base.Foreground(lipgloss.Color(c)) }
	return textStyles{
		target: st(base.Bold(true)),
		dim:    st(base.Faint(true)),
		rule:   st(fg("8")),
		bold:   st(base.Bold(true)),
		severity: map[Severity]textStyle{
			Error:   st(fg("1").Bold(true)),
			Warning: st(fg("3")),
			Info:    st(fg("4")),
			Hint:    st(fg("8")),
		},
		good:    st(fg("2")),
		average: st(fg("3")),
		poor:    st(fg("1")),
	}
}

// printText writes findings grouped by file or URL, one line each
// ("line:col  severity  message  rule-id"), at most Report.MaxPerRule of a
// rule on a site and a line for the rest (capFindings), then score bars
// when the report has scores (the categories with the most to gain first),
// then a summary line counting every finding. Quiet leaves out everything
// but the findings; Verbose shows every finding and adds help, docs links,
// fixes, related locations and the run's stats.
func printText(w io.Writer, r *Report, o PrintOptions) error {
	st := newTextStyles(w, o.Color)
	var b strings.Builder
	shown, more := capFindings(r, o)
	gs := groupByTarget(shown)
	for i, g := range gs {
		writeTextGroup(&b, st, r, g, o)
		if !o.Quiet || i < len(gs)-1 || len(more) > 0 {
			b.WriteString("\n")
		}
	}
	for _, m := range more {
		b.WriteString(st.dim.Render(sanitize(m.String(), false)) + "\n")
	}
	if len(more) > 0 && !o.Quiet {
		b.WriteString("\n")
	}
	if o.Quiet {
		// -q: findings only, for scripts and for CI logs that only want
		// what is wrong.
		_, err := io.WriteString(w, b.String())
		return err
	}
	if r.Scores != nil {
		writeTextScores(&b, st, r.Scores, o.Width)
		b.WriteString("\n")
		writeTextSections(&b, st, r.Scores.Sections)
	}
	c := countFindings(r.Findings)
	line := reportSummary(r)
	if r.Incomplete != "" {
		b.WriteString(st.severity[Error].Render(incompleteText(r)) + "\n")
	}
	switch {
	case r.Incomplete != "":
	case c.Error > 0:
		line = st.severity[Error].Render(line)
	case c.Warning > 0:
		line = st.severity[Warning].Render(line)
	case c.total() == 0:
		line = st.good.Render(line)
	}
	b.WriteString(line + "\n")
	if o.Verbose {
		writeTextStats(&b, st, r)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeTextGroup(b *strings.Builder, st textStyles, r *Report, g group, o PrintOptions) {
	title := "(no location)"
	if g.Target != "" {
		title = sanitize(textLocation(Location{File: g.Findings[0].Location.File, URL: g.Findings[0].Location.URL}, o.BaseDir), false)
	}
	b.WriteString(st.target.Render(title) + "\n")

	type row struct {
		loc, sev, msg, rest, rule string
	}
	rows := make([]row, len(g.Findings))
	locW, sevW, msgW := 0, 0, 0
	for i, f := range g.Findings {
		msg := strings.ReplaceAll(sanitize(f.Message, true), "\t", " ")
		first, rest, _ := strings.Cut(msg, "\n")
		rows[i] = row{
			loc:  textPosition(f.Location),
			sev:  clampSeverity(f.Severity).String(),
			msg:  first,
			rest: rest,
			rule: sanitize(f.RuleID, false),
		}
		locW = max(locW, lipgloss.Width(rows[i].loc))
		sevW = max(sevW, lipgloss.Width(rows[i].sev))
		msgW = max(msgW, lipgloss.Width(first))
	}
	// A very long message would push every rule ID far right; past this
	// width (72 cells, or what a terminal of o.Width leaves) the rule ID
	// just follows its message.
	locW = min(locW, 32)
	limit := 72
	if o.Width > 0 {
		ruleW := 0
		for _, rw := range rows {
			ruleW = max(ruleW, lipgloss.Width(rw.rule))
		}
		limit = max(o.Width-(2+locW+2+sevW+2)-2-ruleW, 24)
	}
	msgW = min(msgW, limit)
	indent := strings.Repeat(" ", 2+locW+2+sevW+2)
	for i, f := range g.Findings {
		rw := rows[i]
		fmt.Fprintf(b, "  %s  %s  %s  %s\n",
			st.dim.Render(pad(rw.loc, locW)),
			st.severity[clampSeverity(f.Severity)].Render(pad(rw.sev, sevW)),
			pad(rw.msg, msgW),
			st.rule.Render(rw.rule))
		if rw.rest != "" {
			for _, l := range strings.Split(rw.rest, "\n") {
				b.WriteString(indent + l + "\n")
			}
		}
		if o.Verbose {
			writeTextDetails(b, st, r, f, indent, o)
		}
	}
}

// writeTextDetails writes what -v adds under a finding: the pointer when
// the position hid it, help, a suggested fix and related locations.
func writeTextDetails(b *strings.Builder, st textStyles, r *Report, f Finding, indent string, o PrintOptions) {
	if f.Location.Pointer != "" && f.Location.Line > 0 {
		b.WriteString(indent + st.dim.Render("at "+sanitize(f.Location.Pointer, false)) + "\n")
	}
	if f.Location.File != "" && f.Location.URL != "" {
		b.WriteString(indent + st.dim.Render("url "+sanitize(f.Location.URL, false)) + "\n")
	}
	help := f.Help
	if help == "" {
		if rl := r.Rule(f.RuleID); rl != nil {
			help = firstParagraph(rl.Doc)
			if help == "" {
				help = rl.Title
			}
		}
	}
	if help != "" {
		writeTextIndented(b, indent, "help: ", sanitize(help, true))
	}
	if rl := r.Rule(f.RuleID); rl != nil && docURI(rl.HelpURI) != "" {
		b.WriteString(indent + st.dim.Render("docs: "+sanitize(docURI(rl.HelpURI), false)) + "\n")
	}
	if f.Fix != nil {
		writeTextIndented(b, indent, "fix: ", sanitize(f.Fix.Description, true))
		for _, e := range f.Fix.Edits {
			loc := e.Location
			if loc.Target() == "" {
				loc.File = f.Location.File
				loc.URL = f.Location.URL
			}
			fmt.Fprintf(b, "%s  %s: replace with %q\n", indent, sanitize(textLocation(loc, o.BaseDir), false), e.NewText)
		}
	}
	for _, rel := range f.Related {
		line := "related: " + sanitize(textLocation(rel.Location, o.BaseDir), false)
		if rel.Message != "" {
			line += " " + sanitize(rel.Message, false)
		}
		b.WriteString(indent + st.dim.Render(line) + "\n")
	}
}

func writeTextIndented(b *strings.Builder, indent, label, text string) {
	cont := indent + strings.Repeat(" ", len(label))
	for i, l := range strings.Split(text, "\n") {
		if i == 0 {
			b.WriteString(indent + label + l + "\n")
		} else {
			b.WriteString(cont + l + "\n")
		}
	}
}

func writeTextScores(b *strings.Builder, st textStyles, s *Scores, width int) {
	if width <= 0 {
		width = 80
	}
	overall := "Overall"
	if s.Grade != "" {
		overall += " (grade " + sanitize(s.Grade, false) + ")"
	}
	labelW := len(overall)
	cats := byImpact(s.Categories)
	for _, c := range cats {
		labelW = max(labelW, lipgloss.Width(categoryLabel(c)))
	}
	barW := min(max(width-labelW-12, 10), 40)
	b.WriteString(st.bold.Render("Scores") + "\n")
	line := func(label string, score float64, bold bool) {
		l := pad(label, labelW)
		if bold {
			l = st.bold.Render(l)
		}
		// The colour is the printed (rounded) score's, as markdown's icon:
		// 89.5 prints 90, in green.
		style := st.poor
		switch n := roundScore(score); {
		case n >= 90:
			style = st.good
		case n >= 50:
			style = st.average
		}
		fmt.Fprintf(b, "  %s  %s  %s\n", l, style.Render(fmt.Sprintf("%3d", roundScore(score))), style.Render(bar(score, barW)))
	}
	line(overall, s.Overall, true)
	for _, c := range cats {
		line(categoryLabel(c), c.Score, false)
	}
}

// writeTextSections writes each section as aligned rows under a bold title:
// "  label  value  detail".
func writeTextSections(b *strings.Builder, st textStyles, secs []Section) {
	for _, sec := range secs {
		b.WriteString(st.bold.Render(sanitize(sec.Title, false)) + "\n")
		labelW, valueW := 0, 0
		for _, r := range sec.Rows {
			labelW = max(labelW, lipgloss.Width(sanitize(r.Label, false)))
			valueW = max(valueW, lipgloss.Width(sanitize(r.Value, false)))
		}
		for _, r := range sec.Rows {
			v := pad(sanitize(r.Value, false), valueW)
			switch r.Level {
			case "good":
				v = st.good.Render(v)
			case "average":
				v = st.average.Render(v)
			case "poor":
				v = st.poor.Render(v)
			}
			line := "  " + pad(sanitize(r.Label, false), labelW) + "  " + v
			if r.Detail != "" {
				line += "  " + st.dim.Render(sanitize(r.Detail, false))
			}
			b.WriteString(strings.TrimRight(line, " ") + "\n")
		}
		b.WriteString("\n")
	}
}

func writeTextStats(b *strings.Builder, st textStyles, r *Report) {
	var parts []string
	for _, s := range r.Stats {
		parts = append(parts, fmt.Sprintf("%s: %d", sanitize(s.Name, false), s.Value))
	}
	if r.Duration > 0 {
		parts = append(parts, "took "+r.Duration.Round(time.Millisecond).String())
	}
	if len(parts) > 0 {
		b.WriteString(st.dim.Render(strings.Join(parts, ", ")) + "\n")
	}
}

func categoryLabel(c CategoryScore) string {
	if c.Title != "" {
		return sanitize(c.Title, false)
	}
	return sanitize(c.ID, false)
}

// roundScore is ShownScore as an int.
func roundScore(s float64) int { return int(ShownScore(s)) }

// bar draws a score from 0 to 100 as a bar of width cells.
func bar(score float64, width int) string {
	filled := roundScore(score) * width / 100
	return strings.Repeat("█", filled) + strings.Repeat("░", width-filled)
}

// textPosition is the position column: "line:col", the JSON pointer when
// there is no line, or "-".
func textPosition(l Location) string {
	switch {
	case l.Line > 0 && l.Column > 0:
		return fmt.Sprintf("%d:%d", l.Line, l.Column)
	case l.Line > 0:
		return fmt.Sprintf("%d", l.Line)
	case l.Pointer != "":
		return sanitize(l.Pointer, false)
	}
	return "-"
}

// textLocation formats a location for a reader, relative to base.
func textLocation(l Location, base string) string {
	if l.File != "" {
		l.File, _ = relPath(base, l.File)
	}
	return l.String()
}

func clampSeverity(s Severity) Severity { return min(max(s, Hint), Error) }

// pad right-pads s with spaces to w display cells.
func pad(s string, w int) string {
	if n := lipgloss.Width(s); n < w {
		return s + strings.Repeat(" ", w-n)
	}
	return s
}
