package tools

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/agentready/agentready/generate/ir"
)

// direction says whether a schema describes what the tool takes (readOnly
// properties dropped) or what it returns (writeOnly properties dropped).
type direction int

const (
	input direction = iota
	output
)

// converter turns IR types into JSON Schema for one tool. Named types used
// more than once, or recursively, go to $defs when refs are allowed;
// everything else is inlined. Without refs (Gemini's OpenAPI subset)
// recursion is cut at the second visit of a type.
type converter struct {
	dir       direction
	refs      bool
	count     map[*ir.Type]int
	recursive map[*ir.Type]bool
	stack     map[*ir.Type]bool
	defs      map[string]*Schema
	notes     []string // what could not be represented
}

func newConverter(dir direction, refs bool) *converter {
	return &converter{dir: dir, refs: refs, count: map[*ir.Type]int{}, recursive: map[*ir.Type]bool{}, stack: map[*ir.Type]bool{}, defs: map[string]*Schema{}}
}

// resolve follows aliases to the type they stand for.
func resolve(t *ir.Type) *ir.Type {
	for i := 0; t != nil && t.Kind == ir.Alias && i < 64; i++ {
		t = t.Elem
	}
	if t == nil || t.Kind == ir.Alias {
		return &ir.Type{Kind: ir.Any}
	}
	return t
}

// compound reports whether a named type is worth a $defs entry.
func compound(t *ir.Type) bool {
	switch t.Kind {
	case ir.Object, ir.Union, ir.Map, ir.Array:
		return t.Named() && t.Name != ""
	}
	return false
}

func (c *converter) keep(f *ir.Field) bool {
	if c.dir == input {
		return !f.ReadOnly
	}
	return !f.WriteOnly
}

// visit counts the uses of named types reachable from t (first pass).
func (c *converter) visit(t *ir.Type) {
	t = resolve(t)
	if compound(t) {
		if c.stack[t] {
			c.recursive[t] = true
			return
		}
		c.count[t]++
		if c.count[t] > 1 {
			return
		}
		c.stack[t] = true
		defer delete(c.stack, t)
	}
	switch t.Kind {
	case ir.Array, ir.Map:
		c.visit(t.Elem)
	case ir.Object:
		for _, f := range t.Fields {
			if c.keep(f) {
				c.visit(f.Type)
			}
		}
		if t.Additional != nil {
			c.visit(t.Additional)
		}
	case ir.Union:
		for _, v := range t.Variants {
			c.visit(v.Type)
		}
	}
}

// schema renders t (second pass, after visit has seen every root).
func (c *converter) schema(t *ir.Type) *Schema {
	t = resolve(t)
	if compound(t) {
		if c.refs && (c.count[t] > 1 || c.recursive[t]) {
			name := t.Name
			if _, ok := c.defs[name]; !ok {
				c.defs[name] = nil // reserve before rendering, for recursion
				c.stack[t] = true
				c.defs[name] = c.body(t)
				delete(c.stack, t)
			}
			return &Schema{Ref: "#/$defs/" + name}
		}
		if c.stack[t] {
			c.note(fmt.Sprintf("recursive type %s cut at depth", t.Name))
			return &Schema{Type: Types{"object"}, Description: "(" + t.Name + ", nested again; its content is not described)"}
		}
		c.stack[t] = true
		defer delete(c.stack, t)
	}
	return c.body(t)
}

func (c *converter) note(s string) {
	for _, n := range c.notes {
		if n == s {
			return
		}
	}
	c.notes = append(c.notes, s)
}

func (c *converter) body(t *ir.Type) *Schema {
	s := &Schema{}
	switch t.Kind {
	case ir.Any:
	case ir.Bool:
		s.Type = Types{"boolean"}
	case ir.Integer:
		s.Type, s.Format = Types{"integer"}, t.Format
	case ir.Number:
		s.Type, s.Format = Types{"number"}, t.Format
	case ir.String:
		s.Type, s.Format = Types{"string"}, t.Format
	case ir.Array:
		s.Type = Types{"array"}
		s.Items = c.schema(t.Elem)
	case ir.Map:
		s.Type = Types{"object"}
		s.AdditionalProperties = &BoolOrSchema{Schema: c.schema(t.Elem)}
	case ir.Object:
		s.Type = Types{"object"}
		s.Properties = map[string]*Schema{}
		for _, f := range t.Fields {
			if !c.keep(f) {
				continue
			}
			p := c.schema(f.Type)
			if f.Description != "" {
				p = withDescription(p, f.Description)
			}
			if f.Deprecated {
				p = withDeprecated(p)
			}
			if f.Nullable {
				p = nullable(p)
			}
			s.Properties[f.JSONName] = p
			if f.Required {
				s.Required = append(s.Required, f.JSONName)
			}
		}
		if t.Additional != nil {
			s.AdditionalProperties = &BoolOrSchema{Schema: c.schema(t.Additional)}
		}
	case ir.Enum:
		s.Type, s.Format = Types{baseName(t.Base)}, t.Format
		for _, v := range t.Values {
			s.Enum = append(s.Enum, v.Value)
		}
	case ir.Union:
		var list []*Schema
		for _, v := range t.Variants {
			vs := c.schema(v.Type)
			if v.Nullable {
				vs = nullable(vs)
			}
			list = append(list, vs)
		}
		if t.AnyOf {
			s.AnyOf = list
		} else {
			s.OneOf = list
		}
	}
	if d := strings.TrimSpace(t.Description); d != "" {
		s.Description = cleanMarkdown(d)
	} else if t.Title != "" && t.Kind != ir.Object {
		s.Description = cleanMarkdown(t.Title)
	}
	s.Deprecated = t.Deprecated
	c.constrain(s, t)
	return s
}

func baseName(k ir.Kind) string {
	switch k {
	case ir.Integer:
		return "integer"
	case ir.Number:
		return "number"
	case ir.Bool:
		return "boolean"
	}
	return "string"
}

// constrain copies validation keywords that apply to s's type. A pattern
// that Go's RE2 cannot compile is kept as prose in the description, since
// validators built on RE2 (the MCP SDK's among them) would reject the schema.
func (c *converter) constrain(s *Schema, t *ir.Type) {
	k := t.Constraints
	if k == nil {
		return
	}
	kind := t.Kind
	if kind == ir.Enum {
		kind = t.Base
	}
	switch kind {
	case ir.Integer, ir.Number:
		s.Minimum, s.Maximum, s.MultipleOf = k.Minimum, k.Maximum, k.MultipleOf
		if k.ExclusiveMinimum && k.Minimum != nil {
			s.ExclusiveMinimum, s.Minimum = k.Minimum, nil
		}
		if k.ExclusiveMaximum && k.Maximum != nil {
			s.ExclusiveMaximum, s.Maximum = k.Maximum, nil
		}
		if s.MultipleOf != nil && *s.MultipleOf <= 0 {
			s.MultipleOf = nil
		}
	case ir.String:
		s.MinLength, s.MaxLength = k.MinLength, k.MaxLength
		if k.Pattern != "" {
			if _, err := regexp.Compile(k.Pattern); err == nil {
				s.Pattern = k.Pattern
			} else {
				s.Description = appendSentence(s.Description, "Pattern: "+k.Pattern)
			}
		}
		s.ContentEncoding, s.ContentMediaType = k.ContentEncoding, k.ContentMediaType
	case ir.Array:
		s.MinItems, s.MaxItems, s.UniqueItems = k.MinItems, k.MaxItems, k.UniqueItems
	case ir.Object, ir.Map:
		s.MinProperties, s.MaxProperties = k.MinProperties, k.MaxProperties
	}
	if k.Default != nil && fits(k.Default, s) {
		s.Default = value(k.Default)
	}
	if k.Example != nil && fits(k.Example, s) {
		s.Examples = []any{k.Example}
	}
	if k.Const != nil && fits(k.Const, s) {
		s.Const = value(k.Const)
	}
}

// fits reports whether v plausibly is an instance of s: its JSON type is
// one of s's types and, for an enum, one of its values. Specs get defaults
// and examples wrong; a wrong default makes validating SDKs refuse the tool.
func fits(v any, s *Schema) bool {
	if len(s.Type) > 0 && !s.Type.Has(jsonType(v)) && !(jsonType(v) == "integer" && s.Type.Has("number")) {
		return false
	}
	if len(s.Enum) > 0 {
		for _, e := range s.Enum {
			if equalJSON(e, v) {
				return true
			}
		}
		return false
	}
	return true
}

func jsonType(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case float64:
		if x == float64(int64(x)) {
			return "integer"
		}
		return "number"
	case int, int64, int32:
		return "integer"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return "unknown"
}

func equalJSON(a, b any) bool {
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && string(x) == string(y)
}

// withDescription gives s a description of its use (a property's or a
// parameter's) in front of the type's own.
func withDescription(s *Schema, d string) *Schema {
	d = cleanMarkdown(d)
	if d == "" {
		return s
	}
	if s.Ref != "" {
		// A $ref keeps its target intact; the description sits beside it.
		c := *s
		c.Description = d
		return &c
	}
	if s.Description == "" || s.Description == d {
		s.Description = d
	} else if !strings.Contains(s.Description, d) {
		s.Description = d + "\n\n" + s.Description
	}
	return s
}

func withDeprecated(s *Schema) *Schema {
	if s.Ref != "" {
		c := *s
		c.Deprecated = true
		return &c
	}
	s.Deprecated = true
	return s
}

// nullable returns s admitting null: a "null" type (and null in an enum)
// when s has types, otherwise anyOf with {type: null}.
func nullable(s *Schema) *Schema {
	switch {
	case s.Ref == "" && len(s.Type) > 0 && len(s.AnyOf) == 0 && len(s.OneOf) == 0:
		if !s.Type.Has("null") {
			s.Type = append(s.Type, "null")
		}
		if len(s.Enum) > 0 {
			has := false
			for _, e := range s.Enum {
				has = has || e == nil
			}
			if !has {
				s.Enum = append(s.Enum, nil)
			}
		}
		return s
	case s.Ref == "" && len(s.Type) == 0 && len(s.AnyOf) == 0 && len(s.OneOf) == 0:
		return s // the empty schema already admits null
	}
	for _, x := range append(append([]*Schema{}, s.AnyOf...), s.OneOf...) {
		if x.Type.Has("null") {
			return s
		}
	}
	if s.Ref == "" && len(s.AnyOf) > 0 && len(s.OneOf) == 0 {
		s.AnyOf = append(s.AnyOf, &Schema{Type: Types{"null"}})
		return s
	}
	out := &Schema{AnyOf: []*Schema{s, {Type: Types{"null"}}}}
	if s.Ref == "" && s.Description != "" {
		out.Description, s.Description = s.Description, ""
	} else if s.Ref != "" && s.Description != "" {
		inner := *s
		out.Description, inner.Description = s.Description, ""
		out.AnyOf[0] = &inner
	}
	return out
}

func appendSentence(d, s string) string {
	if d == "" {
		return s
	}
	if !strings.HasSuffix(d, ".") && !strings.HasSuffix(d, "\n") {
		d += "."
	}
	return d + " " + s
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
