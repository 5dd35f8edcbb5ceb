package lint

import (
	"regexp"
	"slices"
	"strings"

	"github.com/agentready/agentready/report"
)

// A cause is one problem that spec-valid (kin-openapi's validation, which
// checks everything) and a more specific rule both report, each in its own
// words and often at different pointers: a path conflict is "conflicting
// paths" at /paths for spec-valid and "same template" at the path for
// path-params. causes recognise the problem in each rule's message and
// name it the same way, so that it is reported once, by the specific
// rule, whose message says more and whose pointer is exact.
var causes = []struct {
	rule string
	re   *regexp.Regexp
	// kind names the problem; the submatches of re, sorted, identify its
	// instance (a pair of paths in either order is one conflict). A
	// message that does not name its instance (kin's "server has
	// undeclared variables") leaves them out on both sides.
	kind string
}{
	{specValidID, regexp.MustCompile(`^conflicting paths "(.+)" and "(.+)"$`), "path-conflict"},
	{"path-params", regexp.MustCompile(`^path (\S+) is the same template as (\S+):`), "path-conflict"},
	{specValidID, regexp.MustCompile(`^path parameter "(.+)" must be required$`), "path-param-required"},
	{"path-params", regexp.MustCompile(`^path parameter "(.+)" of \S+ must be required: true$`), "path-param-required"},
	{specValidID, regexp.MustCompile(`^more than one tag has name "(.+)"$`), "tag-twice"},
	{"tags-unique", regexp.MustCompile(`^tag "(.+)" is declared twice$`), "tag-twice"},
	{specValidID, regexp.MustCompile(`refers to undefined security scheme "(.+)"$`), "security-undefined"},
	{"security-defined", regexp.MustCompile(`^security scheme (.+) is not defined in components\.securitySchemes$`), "security-undefined"},
	{specValidID, regexp.MustCompile(`^server has unused variable (.+)$`), "server-variable-unused"},
	{"server-variables", regexp.MustCompile(`^server variable (.+) is not used in the URL `), "server-variable-unused"},
	{specValidID, regexp.MustCompile(`^server has undeclared variables$`), "server-variable-undeclared"},
	{"server-variables", regexp.MustCompile(`^server URL .* uses \{.*\}, which is not in variables$`), "server-variable-undeclared"},
	{specValidID, regexp.MustCompile(`^when schema type is 'array', schema 'items' must be non-null$`), "array-items"},
	{"array-items", regexp.MustCompile(`^array schema has no items$`), "array-items"},
}

// causeOf is the cause of a finding, or "" when it has none in causes.
func causeOf(f report.Finding) string {
	for _, c := range causes {
		if c.rule != f.RuleID {
			continue
		}
		if m := c.re.FindStringSubmatch(f.Message); m != nil {
			ids := slices.Clone(m[1:])
			slices.Sort(ids)
			return c.kind + "\x00" + strings.Join(ids, "\x00")
		}
	}
	return ""
}

// dedupeCauses drops each spec-valid finding whose cause a specific rule
// reported too, in the same document: one finding per problem, from the
// more specific rule. It runs before inline ignores and severity
// overrides, so the specific finding stands for the problem in both.
func dedupeCauses(fs []report.Finding) []report.Finding {
	specific := map[string]bool{}
	generic := false
	for _, f := range fs {
		if f.RuleID == specValidID {
			generic = true
			continue
		}
		if c := causeOf(f); c != "" {
			specific[c] = true
		}
	}
	if !generic || len(specific) == 0 {
		return fs
	}
	return slices.DeleteFunc(fs, func(f report.Finding) bool {
		return f.RuleID == specValidID && specific[causeOf(f)]
	})
}
