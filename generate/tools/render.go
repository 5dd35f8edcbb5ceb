package tools

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// The wire forms of each target, as the value of a request's "tools" field
// (OpenAI Chat Completions, Anthropic Messages, Gemini generateContent) or
// the result of MCP's tools/list.
type (
	openAITool struct {
		Type     string         `json:"type"`
		Function openAIFunction `json:"function"`
	}
	openAIFunction struct {
		Name        string  `json:"name"`
		Description string  `json:"description,omitempty"`
		Parameters  *Schema `json:"parameters"`
		Strict      bool    `json:"strict,omitempty"`
	}
	anthropicTool struct {
		Name        string  `json:"name"`
		Description string  `json:"description,omitempty"`
		InputSchema *Schema `json:"input_schema"`
		Strict      bool    `json:"strict,omitempty"`
	}
	geminiTool struct {
		FunctionDeclarations []geminiFunction `json:"functionDeclarations"`
	}
	geminiFunction struct {
		Name                 string  `json:"name"`
		Description          string  `json:"description,omitempty"`
		Parameters           *Schema `json:"parameters,omitempty"`
		ParametersJSONSchema *Schema `json:"parametersJsonSchema,omitempty"`
	}
	// MCPList is the result of MCP's tools/list.
	MCPList struct {
		Tools []MCPTool `json:"tools"`
	}
	// MCPTool is one MCP tool definition.
	MCPTool struct {
		Name         string       `json:"name"`
		Title        string       `json:"title,omitempty"`
		Description  string       `json:"description,omitempty"`
		InputSchema  *Schema      `json:"inputSchema"`
		OutputSchema *Schema      `json:"outputSchema,omitempty"`
		Annotations  *Annotations `json:"annotations,omitempty"`
	}
)

// Value returns the set in its target's wire form, ready for encoding/json.
func (s *Set) Value() any {
	switch s.Target {
	case OpenAI:
		out := make([]openAITool, len(s.Tools))
		for i, t := range s.Tools {
			out[i] = openAITool{Type: "function", Function: openAIFunction{Name: t.Name, Description: t.Description, Parameters: t.Input, Strict: t.Strict}}
		}
		return out
	case Anthropic:
		out := make([]anthropicTool, len(s.Tools))
		for i, t := range s.Tools {
			out[i] = anthropicTool{Name: t.Name, Description: t.Description, InputSchema: t.Input, Strict: t.Strict}
		}
		return out
	case Gemini:
		g := geminiTool{FunctionDeclarations: make([]geminiFunction, len(s.Tools))}
		for i, t := range s.Tools {
			f := geminiFunction{Name: t.Name, Description: t.Description}
			if t.Strict {
				f.Parameters = GeminiParameters(t)
			} else {
				f.ParametersJSONSchema = t.Input
			}
			g.FunctionDeclarations[i] = f
		}
		return []geminiTool{g}
	case MCP:
		return s.MCP()
	}
	return nil
}

// GeminiParameters is t's input in Gemini's OpenAPI subset.
func GeminiParameters(t *Tool) *Schema {
	var notes []string
	return geminiSubset(t.Input, &notes)
}

// MCP returns the set as an MCP tools/list result.
func (s *Set) MCP() MCPList {
	l := MCPList{Tools: make([]MCPTool, len(s.Tools))}
	for i, t := range s.Tools {
		a := t.Annotations
		l.Tools[i] = MCPTool{Name: t.Name, Title: t.Title, Description: t.Description, InputSchema: t.Input, OutputSchema: t.Output, Annotations: &a}
	}
	return l
}

// Marshal writes the set as indented JSON in its target's wire form. HTML
// characters are not escaped: the output is read by models and people.
func (s *Set) Marshal() ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(s.Value()); err != nil {
		return nil, fmt.Errorf("encoding %s tools: %w", s.Target, err)
	}
	return b.Bytes(), nil
}
