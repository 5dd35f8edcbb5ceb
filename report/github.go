package report

import (
	"fmt"
	"io"
	"strings"
)

// printGitHub writes one GitHub Actions workflow command per finding
// ("::error file=F,line=L,col=C,endLine=..,endColumn=..,title=RULE::message"),
// which the runner turns into annotations on the pull request. Errors are
// ::error, warnings ::warning, info and hints ::notice. File paths are made
// relative to PrintOptions.BaseDir (GitHub wants repo-relative paths); a URL
// finding has no file, so its URL leads the message.
func printGitHub(w io.Writer, r *Report, o PrintOptions) error {
	var b strings.Builder
	pm := newPaths(o.BaseDir)
	for _, f := range r.Findings {
		cmd := "notice"
		switch {
		case f.Severity >= Error:
			cmd = "error"
		case f.Severity == Warning:
			cmd = "warning"
		}
		var props []string
		l := f.Location
		// A spec fetched from a URL is named by it: GitHub has no file to
		// annotate, so the URL and position go into the message, as a
		// page's URL does.
		if strings.Contains(l.File, "://") {
			l.URL, l.File = l.File, ""
			if l.Line > 0 {
				l.URL += fmt.Sprintf(":%d:%d", l.Line, max(l.Column, 1))
				l.Pointer = ""
			}
		}
		if l.File != "" {
			rel, _ := pm.repo(l.File)
			props = append(props, "file="+escapeProperty(sanitize(rel, false)))
			if l.Line > 0 {
				props = append(props, fmt.Sprintf("line=%d", l.Line))
				if l.Column > 0 {
					props = append(props, fmt.Sprintf("col=%d", l.Column))
				}
				if l.EndLine >= l.Line {
					props = append(props, fmt.Sprintf("endLine=%d", l.EndLine))
					if l.EndColumn > 0 && (l.EndLine > l.Line || l.EndColumn >= l.Column) {
						props = append(props, fmt.Sprintf("endColumn=%d", l.EndColumn))
					}
				}
			}
		}
		props = append(props, "title="+escapeProperty(sanitize(f.RuleID, false)))

		msg := f.Message
		if l.File == "" && l.URL != "" {
			msg = l.URL + ": " + msg
		}
		if l.Line == 0 && l.Pointer != "" {
			msg += " (at " + l.Pointer + ")"
		}
		if f.Help != "" {
			msg += "\n" + f.Help
		}
		fmt.Fprintf(&b, "::%s %s::%s\n", cmd, strings.Join(props, ","), escapeData(sanitize(msg, true)))
	}
	if r.Incomplete != "" {
		fmt.Fprintf(&b, "::error title=%s::%s\n", escapeProperty(nonEmpty(r.Tool.Name, "agentready")), escapeData(incompleteText(r)))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// escapeData escapes a workflow command's message as the Actions toolkit's
// escapeData does: %, CR and LF, so that a message cannot end the command
// and start another ("\n::add-mask::" from a hostile spec).
func escapeData(s string) string { return dataEscaper.Replace(s) }

var (
	dataEscaper     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	propertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

// escapeProperty escapes a workflow command property value as the toolkit's
// escapeProperty does: escapeData plus ":" and ",", which separate
// properties.
func escapeProperty(s string) string { return propertyEscaper.Replace(s) }
