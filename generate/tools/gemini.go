package tools

import (
	"encoding/json"
	"strings"
)

// geminiFormats are the formats Gemini's OpenAPI-subset schema accepts, by type.
var geminiFormats = map[string]map[string]bool{
	"STRING":  {"enum": true, "date-time": true},
	"NUMBER":  {"float": true, "double": true},
	"INTEGER": {"int32": true, "int64": true},
}

// geminiSubset rewrites a JSON Schema (without $ref) into the OpenAPI 3.0
// subset of Gemini's FunctionDeclaration.parameters: one upper-case type,
// "nullable" instead of a null type, enums of strings only, no
// additionalProperties; what it cannot say goes into the description.
// notes collects what was lost.
func geminiSubset(s *Schema, notes *[]string) *Schema {
	if s == nil {
		return nil
	}
	out := &Schema{Title: s.Title, Description: s.Description, Pattern: s.Pattern, MinLength: s.MinLength, MaxLength: s.MaxLength,
		MinItems: s.MinItems, MaxItems: s.MaxItems, MinProperties: s.MinProperties, MaxProperties: s.MaxProperties,
		Minimum: s.Minimum, Maximum: s.Maximum, Default: s.Default}
	var moved []string
	move := func(k string, v any) {
		b, _ := json.Marshal(v)
		moved = append(moved, k+": "+string(b))
	}
	if s.Ref != "" {
		*notes = append(*notes, "a $ref was left in a Gemini schema")
	}
	var types []string
	for _, t := range s.Type {
		if t == "null" {
			out.Nullable = true
		} else {
			types = append(types, strings.ToUpper(t))
		}
	}
	alts := append(append([]*Schema{}, s.AnyOf...), s.OneOf...)
	switch {
	case len(types) == 1:
		out.Type = Types{types[0]}
	case len(types) > 1:
		for _, t := range types {
			one := *s
			one.Type, one.AnyOf, one.OneOf, one.Description = Types{strings.ToLower(t)}, nil, nil, ""
			out.AnyOf = append(out.AnyOf, geminiSubset(&one, notes))
		}
	}
	for _, a := range alts {
		if len(a.Type) == 1 && a.Type[0] == "null" {
			out.Nullable = true
			continue
		}
		out.AnyOf = append(out.AnyOf, geminiSubset(a, notes))
	}
	if len(out.AnyOf) == 1 && len(out.Type) == 0 {
		one := out.AnyOf[0]
		one.Nullable = one.Nullable || out.Nullable
		if out.Description != "" {
			one.Description = out.Description
		}
		out = one
	}
	ty := ""
	if len(out.Type) == 1 {
		ty = out.Type[0]
	}
	for _, e := range s.Enum {
		if e == nil {
			out.Nullable = true
			continue
		}
		if ty == "STRING" {
			out.Enum = append(out.Enum, e)
		}
	}
	if len(out.Enum) > 0 {
		out.Format = "enum"
	} else if len(s.Enum) > 0 && ty != "STRING" {
		var vals []any
		for _, e := range s.Enum {
			if e != nil {
				vals = append(vals, e)
			}
		}
		move("one of", vals)
	}
	if s.Const != nil {
		if str, ok := s.Const.V.(string); ok && ty == "STRING" {
			out.Enum, out.Format = []any{str}, "enum"
		} else {
			move("always", s.Const.V)
		}
	}
	if s.Format != "" && out.Format == "" {
		if geminiFormats[ty][s.Format] {
			out.Format = s.Format
		} else {
			move("format", s.Format)
		}
	}
	if len(s.Examples) > 0 {
		out.Example = value(s.Examples[0])
	}
	for _, kv := range []struct {
		k string
		v *float64
	}{{"exclusiveMinimum", s.ExclusiveMinimum}, {"exclusiveMaximum", s.ExclusiveMaximum}, {"multipleOf", s.MultipleOf}} {
		if kv.v != nil {
			move(kv.k, *kv.v)
		}
	}
	if s.UniqueItems {
		moved = append(moved, "items must be unique")
	}
	if s.Deprecated {
		moved = append(moved, "deprecated")
	}
	if s.ContentMediaType != "" {
		move("contentMediaType", s.ContentMediaType)
	}
	if len(s.Properties) > 0 {
		out.Properties = map[string]*Schema{}
		for k, v := range s.Properties {
			out.Properties[k] = geminiSubset(v, notes)
		}
		out.Required = s.Required
	}
	if ap := s.AdditionalProperties; ap != nil && (ap.Schema != nil || ap.Allowed) {
		if ap.Schema != nil && len(ap.Schema.Type) > 0 {
			moved = append(moved, "an object with any keys, each value of type "+strings.Join(ap.Schema.Type, " or "))
		} else {
			moved = append(moved, "an object with any keys")
		}
	}
	if s.Items != nil {
		out.Items = geminiSubset(s.Items, notes)
	} else if ty == "ARRAY" {
		out.Items = &Schema{Type: Types{"STRING"}, Description: "Items of any type, JSON-encoded when not strings."}
		*notes = append(*notes, "array of free-form items given string items")
	}
	if out.Default != nil && !geminiFits(out.Default.V, ty) {
		out.Default = nil
	}
	if len(moved) > 0 {
		out.Description = appendSentence(out.Description, "Constraints: "+strings.Join(moved, ", ")+".")
	}
	return out
}

func geminiFits(v any, ty string) bool {
	jt := jsonType(v)
	switch ty {
	case "STRING":
		return jt == "string"
	case "INTEGER":
		return jt == "integer"
	case "NUMBER":
		return jt == "integer" || jt == "number"
	case "BOOLEAN":
		return jt == "boolean"
	case "ARRAY":
		return jt == "array"
	case "OBJECT":
		return jt == "object"
	}
	return false
}
