package report

import (
	"time"
)

// fixtures are the reports every printer's golden tests run over.
var fixtures = []struct {
	name string
	rep  func() *Report
	opts PrintOptions
}{
	{"lint", lintFixture, PrintOptions{BaseDir: "/repo"}},
	{"audit", auditFixture, PrintOptions{}},
	{"empty", emptyFixture, PrintOptions{}},
	{"hostile", hostileFixture, PrintOptions{BaseDir: "/repo"}},
	{"incomplete", incompleteFixture, PrintOptions{BaseDir: "/repo"}},
}

// incompleteFixture is a lint run interrupted after its first findings.
func incompleteFixture() *Report {
	r := lintFixture()
	r.Findings = r.Findings[:1]
	r.Scores = nil
	r.Incomplete = "interrupted"
	return r
}

var lintRules = []Rule{
	{
		ID: "operation-id-required", Title: "operations have an operationId",
		Doc:      "Every operation needs an `operationId`: agents and generated clients call operations by it.\n\n```yaml\nget:\n  operationId: listPets\n```",
		Severity: Error, Category: "semantics", HelpURI: "https://agentready.dev/rules/operation-id-required", Since: "0.1.0",
	},
	{
		ID: "description-present", Title: "operations are described",
		Doc:      "An agent picks a tool by its description.",
		Severity: Warning, Category: "semantics", HelpURI: "https://agentready.dev/rules/description-present",
	},
	{
		ID: "version-in-path", Title: "the API version is in the server URL or path",
		Doc:      "Versioned paths let clients pin a contract.",
		Severity: Info, Category: "versioning",
	},
	{
		ID: "enum-described", Title: "enum values are described", Severity: Hint, Category: "semantics",
	},
}

func lintFixture() *Report {
	return &Report{
		Tool:    Tool{Name: "agentready", Version: "0.1.0", URI: "https://github.com/agentready/agentready"},
		Command: "lint",
		Targets: []string{"/repo/api/openapi.yaml", "/repo/api/admin.yaml"},
		Rules:   append([]Rule(nil), lintRules...),
		Findings: []Finding{
			{
				RuleID: "operation-id-required", Severity: Error, Category: "semantics",
				Message:  "GET /pets has no operationId",
				Location: Location{File: "/repo/api/openapi.yaml", Pointer: "/paths/~1pets/get", Line: 12, Column: 5, EndLine: 12, EndColumn: 8},
				Help:     "add operationId: listPets",
				Fix: &Fix{Description: "add an operationId", Edits: []Edit{
					{Location: Location{File: "/repo/api/openapi.yaml", Line: 12, Column: 9, EndLine: 12, EndColumn: 9}, NewText: "\n      operationId: listPets"},
				}},
			},
			{
				RuleID: "operation-id-required", Severity: Error, Category: "semantics",
				Message:  "operationId \"getPet\" is used twice",
				Location: Location{File: "/repo/api/openapi.yaml", Pointer: "/paths/~1pets~1{id}/get/operationId", Line: 40, Column: 20},
				Related:  []RelatedLocation{{Location: Location{File: "/repo/api/openapi.yaml", Line: 30, Column: 20}, Message: "first used here"}},
			},
			{
				RuleID: "description-present", Severity: Warning, Category: "semantics",
				Message:  "POST /pets has no description",
				Location: Location{File: "/repo/api/openapi.yaml", Pointer: "/paths/~1pets/post", Line: 25, Column: 5},
			},
			{
				RuleID: "version-in-path", Severity: Info, Category: "versioning",
				Message:  "the server URL has no version",
				Location: Location{File: "/repo/api/openapi.yaml", Pointer: "/servers/0/url"},
			},
			{
				RuleID: "enum-described", Severity: Hint, Category: "semantics",
				Message:  "enum value \"sold\" is not described",
				Location: Location{File: "/repo/api/openapi.yaml", Pointer: "/components/schemas/Pet/properties/status", Line: 88, Column: 11},
			},
			{
				RuleID: "description-present", Severity: Warning, Category: "semantics",
				Message:  "DELETE /users/{id} has no description",
				Location: Location{File: "/repo/api/admin.yaml", Pointer: "/paths/~1users~1{id}/delete", Line: 7, Column: 5},
			},
		},
		Stats: []Stat{{Name: "operations", Value: 14}, {Name: "rules", Value: 4}},
	}
}

func auditFixture() *Report {
	extra := map[string]any{"pages": []string{"https://example.com/", "https://example.com/docs"}}
	return &Report{
		Tool:    Tool{Name: "agentready", Version: "0.1.0"},
		Command: "audit",
		Targets: []string{"https://example.com/"},
		Rules: []Rule{
			{ID: "robots-allows-ai", Title: "robots.txt lets AI agents in", Doc: "Agents obey robots.txt.", Severity: Error, Category: "access", HelpURI: "https://agentready.dev/checks/robots-allows-ai"},
			{ID: "llms-txt", Title: "the site has /llms.txt", Doc: "See https://llmstxt.org.", Severity: Warning, Category: "discovery"},
			{ID: "jsonld-valid", Title: "JSON-LD is valid schema.org", Severity: Warning, Category: "structure"},
			{ID: "html-lang", Title: "pages declare a language", Severity: Info, Category: "structure"},
		},
		Findings: []Finding{
			{RuleID: "llms-txt", Severity: Warning, Category: "discovery", Message: "/llms.txt returned 404", Location: Location{URL: "https://example.com/llms.txt"}},
			{RuleID: "robots-allows-ai", Severity: Error, Category: "access", Message: "robots.txt disallows GPTBot from /", Location: Location{URL: "https://example.com/robots.txt", Line: 3, Column: 1}, Help: "remove \"Disallow: /\" for GPTBot"},
			{RuleID: "jsonld-valid", Severity: Warning, Category: "structure", Message: "Product has no name", Location: Location{URL: "https://example.com/docs", Pointer: "/0/@graph/1"}},
			{RuleID: "html-lang", Severity: Info, Category: "structure", Message: "<html> has no lang attribute", Location: Location{URL: "https://example.com/docs"}},
			{RuleID: "site-reachable", Severity: Info, Message: "the site answered over HTTP/1.1 only"},
		},
		Scores: &Scores{Overall: 61.5, Categories: []CategoryScore{
			{ID: "access", Title: "Access", Score: 40, Weight: 3},
			{ID: "discovery", Title: "Discovery", Score: 50, Weight: 2},
			{ID: "structure", Title: "Structured data", Score: 92.4, Weight: 2},
		}},
		Stats:    []Stat{{Name: "pages", Value: 2}},
		Duration: 0,
		Extra:    extra,
	}
}

func emptyFixture() *Report {
	return &Report{
		Tool:    Tool{Name: "agentready", Version: "0.1.0"},
		Command: "lint",
		Targets: []string{"openapi.yaml"},
		Rules:   []Rule{lintRules[0]},
	}
}

// hostileFixture carries what untrusted specs and pages can put in a
// message, a path or a URL: escape sequences, bidi overrides, markup,
// workflow commands, Markdown, XML and JSON metacharacters.
func hostileFixture() *Report {
	return &Report{
		Tool:    Tool{Name: "agentready", Version: "0.1.0"},
		Command: "lint",
		Targets: []string{"/repo/specs/we,ird: name%.yaml"},
		Rules: []Rule{{
			ID: "description-present", Title: "operations are <b>described</b>", Doc: "Descriptions | matter & <script>alert(1)</script>",
			Severity: Warning, Category: "semantics", HelpURI: "javascript:alert(1)",
		}},
		Findings: []Finding{
			{
				RuleID: "description-present", Severity: Error,
				Message:  "\x1b[31mred\x1b[0m \x1b]8;;https://evil.example\x07link\x1b]8;;\x07 \u202egnp.exe\u202c 100% done\r\n::error::injected\n| a | b | `code` <img src=x onerror=alert(1)> @admin #1 [x](javascript:alert(1)) ]]></failure> \"quotes\" \x00nul",
				Location: Location{File: "/repo/specs/we,ird: name%.yaml", Pointer: "/paths/~1a|b/get", Line: 3, Column: 7},
			},
			{
				RuleID: "description-present", Severity: Warning,
				Message:  "plain",
				Location: Location{URL: "https://example.com/a b?<x>&y=1"},
			},
		},
		Duration: 1500 * time.Millisecond,
	}
}
