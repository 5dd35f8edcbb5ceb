package tools

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Schema is a JSON Schema (draft 2020-12) as tool definitions use it. It is
// typed so that output is built as data and encoded by encoding/json; maps
// (properties, $defs) are written with sorted keys, so the output is
// deterministic.
type Schema struct {
	Ref         string `json:"$ref,omitempty"`
	Type        Types  `json:"type,omitempty"`
	Format      string `json:"format,omitempty"`
	Title       string `json:"title,omitempty"`
	Description string `json:"description,omitempty"`
	// Nullable is the OpenAPI-subset spelling of null (Gemini's parameters);
	// JSON Schema outputs use a "null" type instead.
	Nullable bool       `json:"nullable,omitempty"`
	Enum     []any      `json:"enum,omitempty"`
	Const    *JSONValue `json:"const,omitempty"`
	Default  *JSONValue `json:"default,omitempty"`
	Examples []any      `json:"examples,omitempty"`
	// Example is the OpenAPI-subset spelling of an example (Gemini).
	Example *JSONValue `json:"example,omitempty"`

	Properties           map[string]*Schema `json:"properties,omitempty"`
	Required             []string           `json:"required,omitempty"`
	AdditionalProperties *BoolOrSchema      `json:"additionalProperties,omitempty"`
	MinProperties        *uint64            `json:"minProperties,omitempty"`
	MaxProperties        *uint64            `json:"maxProperties,omitempty"`

	Items       *Schema `json:"items,omitempty"`
	MinItems    *uint64 `json:"minItems,omitempty"`
	MaxItems    *uint64 `json:"maxItems,omitempty"`
	UniqueItems bool    `json:"uniqueItems,omitempty"`

	AnyOf []*Schema `json:"anyOf,omitempty"`
	OneOf []*Schema `json:"oneOf,omitempty"`

	Minimum          *float64 `json:"minimum,omitempty"`
	Maximum          *float64 `json:"maximum,omitempty"`
	ExclusiveMinimum *float64 `json:"exclusiveMinimum,omitempty"`
	ExclusiveMaximum *float64 `json:"exclusiveMaximum,omitempty"`
	MultipleOf       *float64 `json:"multipleOf,omitempty"`

	MinLength        *uint64 `json:"minLength,omitempty"`
	MaxLength        *uint64 `json:"maxLength,omitempty"`
	Pattern          string  `json:"pattern,omitempty"`
	ContentEncoding  string  `json:"contentEncoding,omitempty"`
	ContentMediaType string  `json:"contentMediaType,omitempty"`

	Deprecated bool `json:"deprecated,omitempty"`

	Defs map[string]*Schema `json:"$defs,omitempty"`
}

// Types is JSON Schema's type keyword: one name is written as a string,
// several as an array.
type Types []string

// MarshalJSON writes one type as a string and several as an array.
func (t Types) MarshalJSON() ([]byte, error) {
	if len(t) == 1 {
		return json.Marshal(t[0])
	}
	return json.Marshal([]string(t))
}

// UnmarshalJSON reads a string or an array of strings.
func (t *Types) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*t = Types{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return fmt.Errorf("type: %w", err)
	}
	*t = many
	return nil
}

// Has reports whether name is one of the types.
func (t Types) Has(name string) bool {
	for _, x := range t {
		if x == name {
			return true
		}
	}
	return false
}

// BoolOrSchema is additionalProperties: false, true or a schema.
type BoolOrSchema struct {
	Allowed bool    // the boolean form, when Schema is nil
	Schema  *Schema // the schema form
}

// MarshalJSON writes the schema or the boolean.
func (b *BoolOrSchema) MarshalJSON() ([]byte, error) {
	if b.Schema != nil {
		return json.Marshal(b.Schema)
	}
	return json.Marshal(b.Allowed)
}

// UnmarshalJSON reads a boolean or a schema.
func (b *BoolOrSchema) UnmarshalJSON(data []byte) error {
	if bytes.Equal(bytes.TrimSpace(data), []byte("true")) || bytes.Equal(bytes.TrimSpace(data), []byte("false")) {
		return json.Unmarshal(data, &b.Allowed)
	}
	b.Schema = new(Schema)
	return json.Unmarshal(data, b.Schema)
}

// JSONValue is any JSON value, including null, for keywords where absence
// and null differ (const, default, example).
type JSONValue struct{ V any }

// MarshalJSON writes the value.
func (v *JSONValue) MarshalJSON() ([]byte, error) { return json.Marshal(v.V) }

// UnmarshalJSON reads any value.
func (v *JSONValue) UnmarshalJSON(b []byte) error { return json.Unmarshal(b, &v.V) }

func value(v any) *JSONValue {
	if v == nil {
		return nil
	}
	return &JSONValue{V: v}
}

// clone returns a deep copy of s ($defs and nested schemas included).
func (s *Schema) clone() *Schema {
	if s == nil {
		return nil
	}
	c := *s
	c.Type = append(Types(nil), s.Type...)
	c.Enum = append([]any(nil), s.Enum...)
	c.Required = append([]string(nil), s.Required...)
	c.Examples = append([]any(nil), s.Examples...)
	if s.Properties != nil {
		c.Properties = make(map[string]*Schema, len(s.Properties))
		for k, v := range s.Properties {
			c.Properties[k] = v.clone()
		}
	}
	if s.Defs != nil {
		c.Defs = make(map[string]*Schema, len(s.Defs))
		for k, v := range s.Defs {
			c.Defs[k] = v.clone()
		}
	}
	if s.AdditionalProperties != nil {
		c.AdditionalProperties = &BoolOrSchema{Allowed: s.AdditionalProperties.Allowed, Schema: s.AdditionalProperties.Schema.clone()}
	}
	c.Items = s.Items.clone()
	c.AnyOf = cloneList(s.AnyOf)
	c.OneOf = cloneList(s.OneOf)
	return &c
}

func cloneList(l []*Schema) []*Schema {
	if l == nil {
		return nil
	}
	out := make([]*Schema, len(l))
	for i, s := range l {
		out[i] = s.clone()
	}
	return out
}

// walk calls f on s and every schema nested in it, parents first, with the
// depth of nesting (the root is 0; $defs entries start again at 1).
func (s *Schema) walk(depth int, f func(s *Schema, depth int)) {
	if s == nil {
		return
	}
	f(s, depth)
	for _, k := range sortedKeys(s.Properties) {
		s.Properties[k].walk(depth+1, f)
	}
	if s.AdditionalProperties != nil {
		s.AdditionalProperties.Schema.walk(depth+1, f)
	}
	s.Items.walk(depth+1, f)
	for _, x := range s.AnyOf {
		x.walk(depth+1, f)
	}
	for _, x := range s.OneOf {
		x.walk(depth+1, f)
	}
	for _, k := range sortedKeys(s.Defs) {
		s.Defs[k].walk(1, f)
	}
}
