package lint

import (
	"regexp"
	"strings"
	"unicode"

	"github.com/agentready/agentready/report"
)

func init() {
	register(
		&Rule{ID: "operation-id-required", Title: "every operation has an operationId",
			Category: Choose, Severity: report.Error, Preset: Minimal, Since: "0.1.0", Run: checkOperationIDRequired},
		&Rule{ID: "operation-id-unique", Title: "operationIds are unique, also ignoring case",
			Category: Choose, Severity: report.Error, Preset: Minimal, Since: "0.1.0", Run: checkOperationIDUnique},
		&Rule{ID: "operation-id-url-safe", Title: "operationIds use only characters that are safe in a URL",
			Category: Choose, Severity: report.Warning, Preset: Recommended, Since: "0.1.0", Run: checkOperationIDURLSafe},
		&Rule{ID: "operation-id-tool-name", Title: "operationIds are valid tool names for OpenAI, Anthropic, Gemini and MCP",
			Category: Choose, Severity: report.Warning, Preset: Recommended, Since: "0.1.0", Run: checkOperationIDToolName},
		&Rule{ID: "operation-id-meaningful", Title: "operationIds read as a verb on a noun, not generated noise",
			Category: Choose, Severity: report.Warning, Preset: Recommended, Since: "0.1.0", Run: checkOperationIDMeaningful},
		&Rule{ID: "operation-summary", Title: "every operation has a summary",
			Category: Choose, Severity: report.Warning, Preset: Recommended, Since: "0.1.0", Run: checkOperationSummary},
		&Rule{ID: "operation-description", Title: "every operation has a description",
			Category: Choose, Severity: report.Warning, Preset: Recommended, Since: "0.1.0", Run: checkOperationDescription},
		&Rule{ID: "operation-distinct", Title: "no two operations have the same summary and description",
			Category: Choose, Severity: report.Warning, Preset: Recommended, Since: "0.1.0", Run: checkOperationDistinct},
		&Rule{ID: "operation-description-length", Title: "operation descriptions fit in a tool description",
			Category: Choose, Severity: report.Info, Preset: Recommended, Since: "0.1.0", Run: checkDescriptionLength},
		&Rule{ID: "tag-description", Title: "top-level tags have descriptions",
			Category: Choose, Severity: report.Info, Preset: Recommended, Since: "0.1.0", Run: checkTagDescription},
	)
}

func checkOperationIDRequired(p *Pass) {
	for _, o := range p.Operations() {
		if strings.TrimSpace(o.Op.OperationID) == "" {
			p.Report(o.Ptr, "%s has no operationId: agents name tools after it", o.Name())
		}
	}
}

func checkOperationIDUnique(p *Pass) {
	first := map[string]*Op{}
	for _, o := range p.Operations() {
		id := o.Op.OperationID
		if id == "" {
			continue
		}
		k := strings.ToLower(id)
		prev, dup := first[k]
		if !dup {
			first[k] = o
			continue
		}
		msg := "operationId %q is also used by %s %s"
		if prev.Op.OperationID != id {
			msg = "operationId %q differs only in case from the one of %s %s"
		}
		f := report.Finding{Location: report.Location{Pointer: o.Ptr + "/operationId"},
			Related: []report.RelatedLocation{{Location: report.Location{Pointer: prev.Ptr + "/operationId"}, Message: "first used here"}}}
		f.Message = sprintf(msg, id, strings.ToUpper(prev.Method), prev.Path)
		p.ReportFinding(f)
	}
}

var urlSafeRe = regexp.MustCompile(`^[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]*$`)

func checkOperationIDURLSafe(p *Pass) {
	for _, o := range p.Operations() {
		if id := o.Op.OperationID; id != "" && !urlSafeRe.MatchString(id) {
			p.Report(o.Ptr+"/operationId", "operationId %q has characters that are not safe in a URL", id)
		}
	}
}

// toolNameRe is what every major provider accepts as a function or tool
// name: OpenAI and Anthropic allow ^[a-zA-Z0-9_-]{1,64}$; Gemini also wants
// a letter or underscore first; MCP recommends the same set.
var (
	toolNameRe  = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,64}$`)
	toolFirstRe = regexp.MustCompile(`^[a-zA-Z_]`)
)

func checkOperationIDToolName(p *Pass) {
	for _, o := range p.Operations() {
		id := o.Op.OperationID
		if id == "" {
			continue
		}
		switch {
		case len(id) > 64:
			p.Report(o.Ptr+"/operationId", "operationId %q is %d characters: tool names are at most 64 (OpenAI, Anthropic, Gemini)", id, len(id))
		case !toolNameRe.MatchString(id):
			p.Report(o.Ptr+"/operationId", "operationId %q is not a valid tool name: OpenAI and Anthropic accept only ^[a-zA-Z0-9_-]{1,64}$", id)
		case !toolFirstRe.MatchString(id):
			p.Report(o.Ptr+"/operationId", "operationId %q does not start with a letter or underscore, as Gemini function names must", id)
		}
	}
}

// verbs are words an operationId may act with.
var verbs = map[string]bool{}

func init() {
	for _, v := range strings.Fields(`get list create update delete remove add set put post patch search find fetch retrieve
		read write upload download send cancel approve reject accept decline enable disable start stop restart run rerun
		check verify validate test ping sync import export copy move merge rename archive unarchive lock unlock publish
		unpublish subscribe unsubscribe follow unfollow star unstar block unblock invite revoke grant assign unassign
		attach detach close reopen open mark resolve submit review request generate render preview count query lookup
		replace upsert reset refresh rotate redeliver transfer convert install uninstall suspend unsuspend pause resume
		trigger dispatch deploy login logout authorize authenticate register confirm complete finalize void pay refund
		capture charge apply clear increment decrement estimate calculate compare describe show view watch unwatch pin
		unpin hide unhide mute unmute react report dismiss restore purge schedule reorder order upgrade downgrade
		link unlink map tag untag label verify sign encrypt decrypt issue renew exchange introspect health status`) {
		verbs[v] = true
	}
}

// words splits an identifier into lower-case words at case changes,
// digits and punctuation.
func words(id string) []string {
	var out []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			out = append(out, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	rs := []rune(id)
	for i, r := range rs {
		switch {
		case !unicode.IsLetter(r) && !unicode.IsDigit(r):
			flush()
		case len(cur) > 0 && unicode.IsDigit(r) != unicode.IsDigit(cur[len(cur)-1]):
			flush()
			cur = append(cur, r)
		case unicode.IsUpper(r) && len(cur) > 0 && (unicode.IsLower(cur[len(cur)-1]) || i+1 < len(rs) && unicode.IsLower(rs[i+1])):
			flush()
			cur = append(cur, r)
		default:
			cur = append(cur, r)
		}
	}
	flush()
	return out
}

var (
	numberedRe = regexp.MustCompile(`(?i)^(operation|op|endpoint|method|function|api|action|call|request)_?\d+$`)
	versionRe  = regexp.MustCompile(`^v\d+$`)
)

func checkOperationIDMeaningful(p *Pass) {
	for _, o := range p.Operations() {
		id := o.Op.OperationID
		if id == "" {
			continue
		}
		ptr := o.Ptr + "/operationId"
		ws := words(id)
		switch {
		case numberedRe.MatchString(id):
			p.Report(ptr, "operationId %q is a generated name: say what the operation does", id)
			continue
		case strings.Contains(id, "__"):
			p.Report(ptr, "operationId %q looks generated from the path (it has \"__\"): name the action instead", id)
			continue
		case len(ws) >= 3 && ws[len(ws)-1] == o.Method && (ws[0] == o.Method || ws[0] == "api"):
			p.Report(ptr, "operationId %q repeats the method and path: name the action instead", id)
			continue
		}
		for _, w := range ws {
			if w == "api" || versionRe.MatchString(w) {
				p.Report(ptr, "operationId %q carries path segments such as %q: name the action instead", id, w)
				goto next
			}
		}
		if !hasVerb(ws) {
			p.Report(ptr, "operationId %q has no verb: name it as an action on a noun (listPets, createOrder)", id)
		}
	next:
	}
}

func hasVerb(ws []string) bool {
	for _, w := range ws {
		if verbs[w] || verbs[strings.TrimSuffix(w, "s")] {
			return true
		}
	}
	return false
}

func checkOperationSummary(p *Pass) {
	for _, o := range p.Operations() {
		if strings.TrimSpace(o.Op.Summary) == "" {
			p.Report(o.Ptr, "%s has no summary", o.Name())
		}
	}
}

func checkOperationDescription(p *Pass) {
	for _, o := range p.Operations() {
		if strings.TrimSpace(o.Op.Description) == "" {
			p.Report(o.Ptr, "%s has no description: agents read it to decide when to call the operation", o.Name())
		}
	}
}

func normText(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(s)), " ")
}

// checkOperationDistinct reports operations whose summary and description
// are both the same as another's: what an agent reads of two tools is then
// identical but for the name. Same summaries with different descriptions
// can be told apart, so they pass.
func checkOperationDistinct(p *Pass) {
	first := map[string]*Op{}
	for _, o := range p.Operations() {
		sum, desc := normText(o.Op.Summary), normText(o.Op.Description)
		if sum == "" && desc == "" {
			continue
		}
		k := sum + "\x00" + desc
		prev, dup := first[k]
		if !dup {
			first[k] = o
			continue
		}
		field, what := "summary", "summary and description"
		switch {
		case sum == "":
			field, what = "description", "description (and no summary)"
		case desc == "":
			what = "summary (and no description)"
		}
		p.ReportFinding(report.Finding{
			Message:  sprintf("%s has the same %s as %s: an agent cannot tell them apart", o.Name(), what, prev.Name()),
			Location: report.Location{Pointer: o.Ptr + "/" + field},
			Related:  []report.RelatedLocation{{Location: report.Location{Pointer: prev.Ptr + "/" + field}, Message: "the other operation"}},
		})
	}
}

// maxToolDescription is the length past which tool descriptions get cut:
// OpenAI's function description limit is 1024 characters.
const maxToolDescription = 1024

func checkDescriptionLength(p *Pass) {
	for _, o := range p.Operations() {
		if n := len([]rune(o.Op.Description)); n > maxToolDescription {
			p.Report(o.Ptr+"/description", "description of %s is %d characters: tool descriptions past %d are cut or rejected; put the essentials first", o.Name(), n, maxToolDescription)
		}
	}
}

func checkTagDescription(p *Pass) {
	for i, t := range p.Spec.Tags {
		if t != nil && strings.TrimSpace(t.Description) == "" {
			p.Report(sprintf("/tags/%d", i), "tag %q has no description", t.Name)
		}
	}
}
