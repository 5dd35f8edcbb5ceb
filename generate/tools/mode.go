package tools

import (
	_ "embed"
	"fmt"
	"strings"
)

// Mode is how an API's operations become tools.
type Mode string

const (
	// ModeAll is one tool per operation.
	ModeAll Mode = "all"
	// ModeSearch is two tools: search_tools, which finds operations by
	// words (BM25 over names, descriptions and parameters) and returns
	// their input schemas, and call_tool, which calls one by name.
	ModeSearch Mode = "search"
	// ModeTags is one tool per tag, whose operation argument names the
	// operation (an enum) and whose arguments are its input.
	ModeTags Mode = "tags"
)

// AllModeLimit is the largest number of operations the default mode
// serves one tool each; larger APIs default to ModeSearch.
const AllModeLimit = 128

// ParseMode parses a --tool-mode value; "" is the default (DefaultMode).
func ParseMode(s string) (Mode, error) {
	switch m := Mode(strings.ToLower(strings.TrimSpace(s))); m {
	case "", ModeAll, ModeSearch, ModeTags:
		return m, nil
	}
	return "", fmt.Errorf("unknown tool mode %q (want all, search or tags)", s)
}

// DefaultMode is the mode for n selected operations: all up to
// AllModeLimit, else search.
func DefaultMode(n int) Mode {
	if n <= AllModeLimit {
		return ModeAll
	}
	return ModeSearch
}

// SearchDocs are the tools' search documents: name, title, description and
// the input's property names and descriptions.
func (s *Set) SearchDocs() []SearchDoc {
	docs := make([]SearchDoc, 0, len(s.Tools))
	for _, t := range s.Tools {
		var b strings.Builder
		b.WriteString(t.Title)
		b.WriteString(" ")
		b.WriteString(t.Description)
		if t.Input != nil {
			for _, k := range sortedKeys(t.Input.Properties) {
				b.WriteString(" ")
				b.WriteString(k)
				if p := t.Input.Properties[k]; p != nil && len(p.Description) < 200 {
					b.WriteString(" ")
					b.WriteString(p.Description)
				}
			}
		}
		if t.Operation != nil {
			b.WriteString(" ")
			b.WriteString(t.Operation.Path)
			for _, tag := range t.Operation.Tags {
				b.WriteString(" " + tag)
			}
		}
		docs = append(docs, SearchDoc{Name: t.Name, Text: b.String()})
	}
	return docs
}

// Names of search mode's two tools.
const (
	SearchToolName = "search_tools"
	CallToolName   = "call_tool"
)

// SearchModeTools are the tools/list of a server in search mode:
// search_tools and call_tool, for the API called title.
func SearchModeTools(title string, operations int) MCPList {
	obj := func(props map[string]*Schema, req ...string) *Schema {
		return &Schema{Type: Types{"object"}, Properties: props, Required: req}
	}
	str := func(d string) *Schema { return &Schema{Type: Types{"string"}, Description: d} }
	limit := &Schema{Type: Types{"integer"}, Description: "How many tools to return (default 5, at most 20).", Minimum: ptr(1.0), Maximum: ptr(20.0)}
	return MCPList{Tools: []MCPTool{
		{
			Name:  SearchToolName,
			Title: "Search the " + title + " tools",
			Description: fmt.Sprintf("Finds the operations of the %s API (%d in all) that match a few words (ranked by BM25 over their names, descriptions and parameters). "+
				"Returns the best matches with their names, descriptions and input schemas; call one with %s.", title, operations, CallToolName),
			InputSchema: obj(map[string]*Schema{"query": str("Words describing the task, e.g. \"list repository issues\"."), "limit": limit}, "query"),
			Annotations: &Annotations{Title: "Search tools", ReadOnlyHint: true, IdempotentHint: true, OpenWorldHint: ptr(false)},
		},
		{
			Name:        CallToolName,
			Title:       "Call a " + title + " tool",
			Description: "Calls the operation named name (found with " + SearchToolName + ") with arguments, an object matching its input schema. Returns the operation's result.",
			InputSchema: obj(map[string]*Schema{"name": str("The tool's name, as " + SearchToolName + " returned it."), "arguments": {Type: Types{"object"}, Description: "The tool's arguments."}}, "name"),
			Annotations: &Annotations{Title: "Call a tool", OpenWorldHint: ptr(true), DestructiveHint: ptr(true)},
		},
	}}
}

// EstimateTokens estimates the tokens a model reads for JSON text: one
// per four bytes, the usual rule of thumb for English and JSON with
// cl100k/o200k-style tokenizers.
func EstimateTokens(b []byte) int { return (len(b) + 3) / 4 }

//go:embed bm25.go
var searchSource string

// SearchSource is the Go source of [SearchIndex] (standard library only)
// as a file of package pkg, for generated servers in search mode.
func SearchSource(pkg string) string {
	return strings.Replace(searchSource, "package tools\n", "package "+pkg+"\n", 1)
}
