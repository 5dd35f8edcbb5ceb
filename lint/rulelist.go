package lint

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/agentready/agentready/report"
)

// RuleListFormats are the formats --list-rules prints. The others (sarif,
// junit, github, codeclimate, checkstyle) are reports of a run's results:
// a SARIF log of rules and no results, uploaded, would close every open
// code-scanning alert.
var RuleListFormats = []string{"text", "json", "markdown"}

// ListedRule is a rule as --list-rules -f json prints it: its descriptor
// and the preset that turns it on.
type ListedRule struct {
	report.Rule
	Preset string `json:"preset"`
}

// ruleList is --list-rules -f json: the header of a JSON report (so a
// program can tell it apart), then the rules.
type ruleList struct {
	SchemaVersion string       `json:"schemaVersion"`
	Tool          report.Tool  `json:"tool"`
	Command       string       `json:"command"`
	Rules         []ListedRule `json:"rules"`
}

// RuleList is --list-rules in one of RuleListFormats: text (RuleTable),
// json ({schemaVersion, tool, command, rules}, each rule with its
// documentation and preset), or markdown (RuleMarkdown, the README's
// table).
func RuleList(format string, tool report.Tool) ([]byte, error) {
	switch format {
	case "text":
		return []byte(RuleTable()), nil
	case "markdown":
		return []byte(RuleMarkdown()), nil
	case "json":
		l := ruleList{SchemaVersion: report.SchemaVersion, Tool: tool, Command: "lint", Rules: []ListedRule{}}
		for _, r := range Rules() {
			l.Rules = append(l.Rules, ListedRule{Rule: r.Descriptor(), Preset: r.Preset.String()})
		}
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		err := enc.Encode(l)
		return b.Bytes(), err
	}
	return nil, fmt.Errorf("--list-rules prints %s, not %s (a results format)", strings.Join(RuleListFormats, ", "), format)
}

// RuleMarkdown renders the registry as a Markdown table: the README's
// rule table, and --list-rules -f markdown.
func RuleMarkdown() string {
	var b strings.Builder
	b.WriteString("| rule | category | severity | preset | checks that |\n|---|---|---|---|---|\n")
	for _, r := range Rules() {
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s |\n", r.ID, r.Category, r.Severity, r.Preset, strings.ReplaceAll(r.Title, "|", `\|`))
	}
	return b.String()
}
