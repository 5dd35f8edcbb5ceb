package tools

import (
	"fmt"
	"regexp"
	"strings"
)

// Target is a tool format: an LLM provider's function-calling API or MCP.
type Target string

// The targets.
const (
	OpenAI    Target = "openai"
	Anthropic Target = "anthropic"
	Gemini    Target = "gemini"
	MCP       Target = "mcp"
)

// Targets lists every target, in the order the CLI documents them.
var Targets = []Target{OpenAI, Anthropic, Gemini, MCP}

// ParseTarget reads a target name, case-insensitively.
func ParseTarget(s string) (Target, error) {
	for _, t := range Targets {
		if strings.EqualFold(s, string(t)) {
			return t, nil
		}
	}
	return "", fmt.Errorf("unknown target %q (want one of openai, anthropic, gemini, mcp)", s)
}

// Limits are what a target accepts. The figures are from each provider's
// API reference; where a provider documents no limit, the one given here
// bounds prompt size and is marked as ours.
type Limits struct {
	// Name is the pattern every tool name must match.
	Name *regexp.Regexp
	// NameMax is the longest name, in characters.
	NameMax int
	// NameFirst, when set, is what the first character of a name must match.
	NameFirst *regexp.Regexp
	// NameRune matches one allowed name character.
	NameRune *regexp.Regexp
	// Description is the longest tool description, in characters.
	Description int
	// Property matches every top-level input property name.
	Property *regexp.Regexp
	// MaxTools is how many tools one request may carry (0: no limit).
	MaxTools int
	// MaxStrictTools is how many strict tools one request may carry (0: no limit).
	MaxStrictTools int
	// StrictDepth is the deepest object nesting strict mode accepts (0: no limit).
	StrictDepth int
	// StrictProperties is the most properties strict mode accepts in one schema (0: no limit).
	StrictProperties int
	// StrictEnumValues is the most enum values strict mode accepts in one schema (0: no limit).
	StrictEnumValues int
}

var propertyName = regexp.MustCompile(`^[a-zA-Z0-9_.-]{1,64}$`)

// TargetLimits holds every target's limits.
var TargetLimits = map[Target]Limits{
	// OpenAI function calling: name ^[a-zA-Z0-9_-]{1,64}$; description up to
	// 1024 characters; at most 128 tools; structured outputs (strict): up to
	// 5000 properties, 10 levels of nesting, 1000 enum values.
	OpenAI: {
		Name: regexp.MustCompile(`^[a-zA-Z0-9_-]{1,64}$`), NameMax: 64, NameRune: regexp.MustCompile(`[a-zA-Z0-9_-]`),
		Description: 1024, Property: propertyName, MaxTools: 128,
		StrictDepth: 10, StrictProperties: 5000, StrictEnumValues: 1000,
	},
	// Anthropic tool use: name ^[a-zA-Z0-9_-]{1,64}$; input_schema property
	// keys ^[a-zA-Z0-9_.-]{1,64}$; at most 20 strict tools per request. No
	// description limit is documented: 4096 is ours.
	Anthropic: {
		Name: regexp.MustCompile(`^[a-zA-Z0-9_-]{1,64}$`), NameMax: 64, NameRune: regexp.MustCompile(`[a-zA-Z0-9_-]`),
		Description: 4096, Property: propertyName, MaxStrictTools: 20,
	},
	// Gemini function declarations: a name starts with a letter or an
	// underscore, then letters, digits, underscores, dots, colons or dashes,
	// at most 64. No description limit is documented: 4096 is ours.
	Gemini: {
		Name: regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_.:-]{0,63}$`), NameMax: 64, NameRune: regexp.MustCompile(`[a-zA-Z0-9_.:-]`),
		NameFirst: regexp.MustCompile(`^[a-zA-Z_]`), Description: 4096, Property: propertyName,
	},
	// MCP (2025-06-18 and later): names of 1 to 128 characters from
	// [A-Za-z0-9_.-]. No description limit: 8192 is ours.
	MCP: {
		Name: regexp.MustCompile(`^[A-Za-z0-9_.-]{1,128}$`), NameMax: 128, NameRune: regexp.MustCompile(`[A-Za-z0-9_.-]`),
		Description: 8192, Property: propertyName,
	},
}
