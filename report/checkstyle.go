package report

import (
	"encoding/xml"
	"io"
)

type checkstyleDoc struct {
	XMLName xml.Name         `xml:"checkstyle"`
	Version string           `xml:"version,attr"`
	Files   []checkstyleFile `xml:"file"`
}

type checkstyleFile struct {
	Name   string            `xml:"name,attr"`
	Errors []checkstyleError `xml:"error"`
}

type checkstyleError struct {
	Line     int    `xml:"line,attr"`
	Column   int    `xml:"column,attr,omitempty"`
	Severity string `xml:"severity,attr"`
	Message  string `xml:"message,attr"`
	Source   string `xml:"source,attr"`
}

// checkstyleSeverity maps a severity to Checkstyle's (error, warning,
// info); a hint is info.
var checkstyleSeverity = map[Severity]string{Error: "error", Warning: "warning", Info: "info", Hint: "info"}

// printCheckstyle writes Checkstyle XML (-f checkstyle), which reviewdog,
// Jenkins' warnings-ng and many CI tools read: one <file> per file (relative
// to the repository root) or URL, in the report's order, holding one
// <error> per finding with its line (1 when it has none, as SARIF places it;
// the JSON pointer then ends the message), column, severity, message and the rule ID as
// source. A finding with no location goes under the report's first
// target. A run that did not finish adds an error, source
// agentready/incomplete, on the first target.
func printCheckstyle(w io.Writer, r *Report, o PrintOptions) error {
	pm := newPaths(o.BaseDir)
	doc := checkstyleDoc{Version: "4.3"}
	index := map[string]int{}
	add := func(name string, e checkstyleError) {
		i, ok := index[name]
		if !ok {
			i = len(doc.Files)
			index[name] = i
			doc.Files = append(doc.Files, checkstyleFile{Name: name})
		}
		doc.Files[i].Errors = append(doc.Files[i].Errors, e)
	}
	nameOf := func(l Location) string {
		if l.Target() == "" && len(r.Targets) > 0 {
			l = targetLocation(r.Targets[0])
		}
		if l.File != "" {
			name, _ := pm.repo(l.File)
			return sanitize(name, false)
		}
		return sanitize(l.URL, false)
	}
	for _, f := range r.Findings {
		l := f.Location
		msg := f.Message
		if l.Line == 0 && l.Pointer != "" {
			msg += " (at " + l.Pointer + ")"
		}
		add(nameOf(l), checkstyleError{Line: max(l.Line, 1), Column: l.Column, Severity: checkstyleSeverity[clampSeverity(f.Severity)],
			Message: sanitize(msg, false), Source: sanitize(f.RuleID, false)})
	}
	if r.Incomplete != "" {
		add(nameOf(Location{}), checkstyleError{Line: 1, Severity: "error", Message: incompleteText(r), Source: "agentready/incomplete"})
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
