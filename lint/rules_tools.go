package lint

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/agentready/agentready/generate/ir"
	"github.com/agentready/agentready/generate/tools"
	"github.com/agentready/agentready/report"
)

// The tools rules measure the tool surface an agent sees when the spec
// becomes tools (agentready generate tools or mcp): what tools/list costs,
// whether names survive each provider's rules, whether the effect hints
// agree with the method and the wording, what the vendor MCP extensions say,
// and whether a description says what comes back. They are in the All
// preset and the category has no weight in the score.
func init() {
	register(
		&Rule{ID: "tool-list-tokens", Title: "the tool definitions fit a token budget",
			Category: Tools, Severity: report.Warning, Preset: All, Since: "0.2.0", Run: checkToolTokens},
		&Rule{ID: "tool-name-collision", Title: "tool names stay distinct after each provider's name rules",
			Category: Tools, Severity: report.Warning, Preset: All, Since: "0.2.0", Run: checkToolNames},
		&Rule{ID: "tool-effect-hint", Title: "the effect an operation's method implies matches its wording",
			Category: Tools, Severity: report.Info, Preset: All, Since: "0.2.0", Run: checkEffectHints},
		&Rule{ID: "tool-vendor-extensions", Title: "vendor MCP extensions agree with each other and with the method",
			Category: Tools, Severity: report.Warning, Preset: All, Since: "0.2.0", Run: checkVendorMCP},
		&Rule{ID: "tool-description-returns", Title: "a tool's description says what the operation returns",
			Category: Tools, Severity: report.Info, Preset: All, Since: "0.2.0", Run: checkDescribesReturn},
	)
}

// DefaultToolTokenBudget is the tool-list-tokens budget when the config
// sets none: about a tenth of a 200k context.
const DefaultToolTokenBudget = 20000

func checkToolTokens(p *Pass) {
	budget := p.ToolTokenBudget
	if budget <= 0 {
		budget = DefaultToolTokenBudget
	}
	api, err := ir.Build(p.Spec, ir.Options{})
	if err != nil || len(api.Operations) == 0 {
		return
	}
	worst, worstTarget, n := 0, "", 0
	for _, target := range []tools.Target{tools.MCP, tools.OpenAI} {
		set, err := tools.Build(api, tools.Options{Target: target})
		if err != nil {
			return
		}
		raw, err := json.Marshal(set.Value()) // compact, as sent
		if err != nil {
			return
		}
		if t := tools.EstimateTokens(raw); t > worst {
			worst, worstTarget, n = t, string(target), len(set.Tools)
		}
	}
	if worst <= budget {
		return
	}
	search, _ := json.Marshal(tools.SearchModeTools(api.Title, n))
	p.Report("/paths", "the %d tool definitions cost about %d tokens (%s list, 4 bytes a token), over the budget of %d: serve them with generate mcp --tool-mode search (about %d tokens) or tags, or select fewer operations",
		n, worst, worstTarget, budget, tools.EstimateTokens(search))
}

var (
	openAINameBad = regexp.MustCompile(`[^a-zA-Z0-9_-]`)
	geminiNameBad = regexp.MustCompile(`[^a-zA-Z0-9_.:-]`)
)

// providerNames normalise a tool name the way each provider requires it:
// OpenAI and Anthropic ^[a-zA-Z0-9_-]{1,64}$, Gemini letters, digits,
// _ . : - starting with a letter or underscore, at most 64.
var providerNames = []struct {
	provider string
	norm     func(string) string
}{
	{"OpenAI and Anthropic", func(s string) string { return clip64(openAINameBad.ReplaceAllString(s, "_")) }},
	{"Gemini", func(s string) string {
		s = geminiNameBad.ReplaceAllString(s, "_")
		if s != "" && !(s[0] == '_' || s[0] >= 'a' && s[0] <= 'z' || s[0] >= 'A' && s[0] <= 'Z') {
			s = "_" + s
		}
		return clip64(s)
	}},
}

func clip64(s string) string {
	if len(s) > 64 {
		return s[:64]
	}
	return s
}

func toolBaseName(o *Op) string {
	if o.Op.OperationID != "" {
		return o.Op.OperationID
	}
	return o.Method + "_" + o.Path
}

func checkToolNames(p *Pass) {
	for _, pn := range providerNames {
		seen := map[string]*Op{}
		for _, o := range p.Operations() {
			if o.Op.OperationID == "" {
				continue // operation-id-required says so
			}
			name := pn.norm(toolBaseName(o))
			if prev, ok := seen[name]; ok {
				p.Report(o.Ptr+"/operationId", "operationId %q becomes the tool name %q for %s, the same as %s's: the generator must rename one, and the agent sees a name the spec does not have",
					o.Op.OperationID, name, pn.provider, prev.Name())
				continue
			}
			seen[name] = o
		}
	}
}

var (
	readWords    = regexp.MustCompile(`(?i)^\s*(search|query|list|get|find|look\s*up|lookup|fetch|retrieve|count|read|export|preview|estimate|calculate|compute|check|validate|resolve)\b`)
	writeWords   = regexp.MustCompile(`(?i)^\s*(create|delete|remove|update|set|send|post|trigger|start|stop|cancel|publish|reset|revoke|add)\b`)
	softDelWords = regexp.MustCompile(`(?i)soft[- ]?delet|archiv|moves? (it )?to (the )?trash|can be (restored|undeleted|recovered)|recoverable|deactivat|restore it`)
)

// wording is the operation's summary, else its operationId in words.
func wording(o *Op) string {
	if s := strings.TrimSpace(o.Op.Summary); s != "" {
		return s
	}
	return splitWords(o.Op.OperationID)
}

func splitWords(id string) string {
	var b strings.Builder
	for i, r := range id {
		if r >= 'A' && r <= 'Z' && i > 0 {
			b.WriteByte(' ')
		}
		if r == '_' || r == '-' || r == '.' {
			r = ' '
		}
		b.WriteRune(r)
	}
	return b.String()
}

func checkEffectHints(p *Pass) {
	for _, o := range p.Operations() {
		w := wording(o)
		hints := vendorHints(o)
		switch o.Method {
		case "post":
			if readWords.MatchString(w) && !writeWords.MatchString(w) && hints.readOnly == nil {
				p.Report(o.Ptr, "%s is a POST that reads (%q): tool generators mark a POST as a write (readOnlyHint false), so agents ask before running it; use QUERY, or say readOnlyHint: true in x-mcp", o.Name(), w)
			}
		case "delete":
			text := o.Op.Summary + " " + o.Op.Description
			if softDelWords.MatchString(text) && hints.destructive == nil {
				p.Report(o.Ptr, "%s is a DELETE that its description calls reversible (%q): generators mark a DELETE destructive (destructiveHint true); say destructiveHint: false in x-mcp", o.Name(), softDelWords.FindString(text))
			}
		case "get", "head":
			if writeWords.MatchString(w) {
				p.Report(o.Ptr, "%s is a %s that its summary says writes (%q): tools mark it read-only and idempotent, and agents may call it freely", o.Name(), strings.ToUpper(o.Method), w)
			}
		}
	}
}

// mcpExtensions are the vendor extensions that describe an operation as an
// MCP tool.
var mcpExtensions = []string{"x-mcp", "x-mcp-tool", "x-speakeasy-mcp", "x-stainless-mcp", "x-fastmcp"}

// toolHints is what the vendor extensions say about one operation's tool,
// merged; each value remembers the extension that set it.
type toolHints struct {
	name, description, hidden, readOnly, destructive, idempotent *hintValue
}

type hintValue struct {
	value any
	from  string
}

// vendorHints reads the operation's MCP extensions into one model (first
// extension wins); conflicts are checkVendorMCP's.
func vendorHints(o *Op) toolHints {
	h, _ := readVendorHints(o)
	return h
}

func readVendorHints(o *Op) (toolHints, []string) {
	var h toolHints
	var conflicts []string
	set := func(dst **hintValue, field string, v any, from string) {
		if v == nil {
			return
		}
		if *dst == nil {
			*dst = &hintValue{v, from}
			return
		}
		if fmt.Sprint((*dst).value) != fmt.Sprint(v) {
			conflicts = append(conflicts, fmt.Sprintf("%s says %s %v but %s says %v", (*dst).from, field, (*dst).value, from, v))
		}
	}
	for _, ext := range mcpExtensions {
		raw, ok := o.Op.Extensions[ext]
		if !ok {
			continue
		}
		if b, ok := raw.(bool); ok {
			set(&h.hidden, "hidden", !b, ext)
			continue
		}
		m, ok := raw.(map[string]any)
		if !ok {
			continue
		}
		get := func(keys ...string) any {
			for _, src := range []map[string]any{m, asMap(m["annotations"]), asMap(m["hints"])} {
				for _, k := range keys {
					if v, ok := src[k]; ok {
						return v
					}
				}
			}
			return nil
		}
		set(&h.name, "name", get("name", "toolName", "tool-name"), ext)
		set(&h.description, "description", get("description"), ext)
		hidden := get("hidden", "disabled", "exclude", "skip")
		if e, ok := get("enabled").(bool); ok && hidden == nil {
			hidden = !e
		}
		set(&h.hidden, "hidden", hidden, ext)
		set(&h.readOnly, "readOnlyHint", get("readOnlyHint", "readOnly", "read-only"), ext)
		set(&h.destructive, "destructiveHint", get("destructiveHint", "destructive"), ext)
		set(&h.idempotent, "idempotentHint", get("idempotentHint", "idempotent"), ext)
	}
	return h, conflicts
}

func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func checkVendorMCP(p *Pass) {
	for _, o := range p.Operations() {
		h, conflicts := readVendorHints(o)
		var used []string
		for _, ext := range mcpExtensions {
			if _, ok := o.Op.Extensions[ext]; ok {
				used = append(used, ext)
			}
		}
		sort.Strings(conflicts)
		for _, c := range conflicts {
			p.Report(o.Ptr, "%s: the MCP extensions disagree: %s", o.Name(), c)
		}
		if h.readOnly != nil && h.readOnly.value == true && (o.Method == "delete" || o.Method == "put" || o.Method == "patch") {
			p.Report(o.Ptr+"/"+h.readOnly.from, "%s: %s marks a %s read-only", o.Name(), h.readOnly.from, strings.ToUpper(o.Method))
		}
		if h.destructive != nil && h.destructive.value == true && (o.Method == "get" || o.Method == "head") {
			p.Report(o.Ptr+"/"+h.destructive.from, "%s: %s marks a %s destructive", o.Name(), h.destructive.from, strings.ToUpper(o.Method))
		}
		if len(used) > 1 && len(conflicts) == 0 {
			continue // several extensions that agree are fine
		}
	}
}

var (
	returnWords     = regexp.MustCompile(`(?i)\b(returns?|returning|lists?|gets?|retrieves?|fetch(es)?|responds?|response|yields?|gives|contains?|provides?|shows?|outputs?|results?|reads?|search(es)?|finds?|counts?|downloads?|exports?)\b`)
	genericResponse = regexp.MustCompile(`(?i)^\s*(ok|success(ful)?( operation| response| request)?|successful(ly)?|200|201|done|response|default( response)?|)\s*\.?\s*$`)
)

func checkDescribesReturn(p *Pass) {
	for _, o := range p.Operations() {
		if o.Op.Responses == nil {
			continue
		}
		code, resp := "", ""
		for _, c := range []string{"200", "201", "202", "206", "2XX"} {
			if r := o.Op.Responses.Value(c); r != nil && r.Value != nil {
				if len(r.Value.Content) == 0 {
					break // no body: nothing to describe
				}
				code = c
				if r.Value.Description != nil {
					resp = *r.Value.Description
				}
				break
			}
		}
		if code == "" {
			continue
		}
		text := o.Op.Summary + " " + o.Op.Description
		if returnWords.MatchString(text) || !genericResponse.MatchString(resp) {
			continue
		}
		p.Report(o.Ptr, "%s: neither the summary nor the description says what it returns, and its %s response is described as %q: a tool's description is all the agent reads before calling it", o.Name(), code, strings.TrimSpace(resp))
	}
}
