package lint

import (
	"github.com/agentready/agentready/report"
)

func init() {
	register(
		&Rule{ID: "operation-count", Title: "the operation count fits provider tool caps",
			Category: Scale, Severity: report.Info, Preset: Recommended, Since: "0.1.0", Run: checkOperationCount},
		&Rule{ID: inlineIgnoreID, Title: "x-agentready-ignore entries give a reason, name a rule, and match a finding",
			Category: Meta, Severity: report.Warning, Preset: Minimal, Since: "0.1.0", Run: func(*Pass) {}},
	)
}

// Provider caps on the number of tools in one request.
const (
	openAIMaxTools          = 128
	anthropicStrictMaxTools = 20
)

func checkOperationCount(p *Pass) {
	n := len(p.Operations())
	switch {
	case n > openAIMaxTools:
		p.Report("/paths", "%d operations: more than OpenAI's cap of %d tools per request; group them or let the agent pick a subset by tag", n, openAIMaxTools)
	case n > anthropicStrictMaxTools:
		p.Report("/paths", "%d operations: more than the %d strict tools Anthropic accepts per request", n, anthropicStrictMaxTools)
	}
}
