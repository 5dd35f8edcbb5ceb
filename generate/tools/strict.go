package tools

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// strictFormats are the string formats each strict mode accepts; others are
// moved into the description.
var strictFormats = map[Target]map[string]bool{
	OpenAI:    {"date-time": true, "time": true, "date": true, "duration": true, "email": true, "hostname": true, "ipv4": true, "ipv6": true, "uuid": true},
	Anthropic: {"date-time": true, "time": true, "date": true, "duration": true, "email": true, "hostname": true, "uri": true, "ipv4": true, "ipv6": true, "uuid": true},
}

// strictTool applies the target's strict mode to t's input. A schema that
// cannot be strict (a free-form value, a map, too deep, recursion where it
// is not supported) leaves the tool non-strict, with a warning.
func strictTool(t *Tool, target Target, lim Limits, set *Set) {
	switch target {
	case MCP:
		t.Input.walk(0, func(s *Schema, _ int) {
			if s.Type.Has("object") && s.AdditionalProperties == nil && len(s.Properties) > 0 {
				s.AdditionalProperties = &BoolOrSchema{Allowed: false}
			}
		})
		return
	case Gemini:
		// Strict Gemini is the OpenAPI-subset "parameters", made when
		// writing; what the subset cannot say is reported now.
		t.Strict = true
		var notes []string
		geminiSubset(t.Input, &notes)
		seen := map[string]bool{}
		for _, n := range notes {
			if !seen[n] {
				seen[n] = true
				set.Warnings = append(set.Warnings, Warning{Kind: "lossy", Tool: t.Name, Pointer: pointerOf(t), Message: "gemini: " + n})
			}
		}
		return
	}
	s := t.Input.clone()
	reason := makeStrict(s, target, "")
	for _, k := range sortedKeys(s.Defs) {
		if reason == "" {
			reason = makeStrict(s.Defs[k], target, "/$defs/"+k)
		}
	}
	if reason == "" {
		reason = strictLimits(s, target, lim)
	}
	if reason != "" {
		set.Warnings = append(set.Warnings, Warning{Kind: "strict", Tool: t.Name, Pointer: pointerOf(t), Message: "not strict: " + reason})
		return
	}
	t.Input, t.Strict = s, true
}

func pointerOf(t *Tool) string {
	if t.Operation != nil {
		return t.Operation.Pointer
	}
	return ""
}

// makeStrict rewrites s in place for the target's strict mode, or returns
// why it cannot be.
func makeStrict(s *Schema, target Target, at string) string {
	if s.Ref != "" {
		// Strict schemas accept no keyword beside $ref.
		*s = Schema{Ref: s.Ref}
		return ""
	}
	if len(s.OneOf) > 0 {
		s.AnyOf = append(s.AnyOf, s.OneOf...)
		s.OneOf = nil
	}
	if len(s.Type) == 0 && len(s.AnyOf) == 0 && len(s.Enum) == 0 && s.Const == nil {
		return "free-form value at " + pointerOr(at)
	}
	var moved []string
	move := func(k string, v any) {
		b, _ := json.Marshal(v)
		moved = append(moved, k+": "+string(b))
	}
	s.Title = ""
	if s.Deprecated {
		s.Deprecated = false
		moved = append(moved, "deprecated")
	}
	if s.Default != nil {
		move("default", s.Default.V)
		s.Default = nil
	}
	s.Examples, s.Example = nil, nil
	if s.MinLength != nil {
		move("minLength", *s.MinLength)
		s.MinLength = nil
	}
	if s.MaxLength != nil {
		move("maxLength", *s.MaxLength)
		s.MaxLength = nil
	}
	if s.MinProperties != nil {
		move("minProperties", *s.MinProperties)
		s.MinProperties = nil
	}
	if s.MaxProperties != nil {
		move("maxProperties", *s.MaxProperties)
		s.MaxProperties = nil
	}
	if s.UniqueItems {
		moved = append(moved, "items must be unique")
		s.UniqueItems = false
	}
	if s.ContentEncoding != "" || s.ContentMediaType != "" {
		if s.ContentMediaType != "" {
			move("contentMediaType", s.ContentMediaType)
		}
		if s.ContentEncoding != "" {
			move("contentEncoding", s.ContentEncoding)
		}
		s.ContentEncoding, s.ContentMediaType = "", ""
	}
	switch s.Format {
	case "int32", "int64", "float", "double":
		s.Format = "" // implied by the type, as far as a model is concerned
	}
	if s.Format != "" && !strictFormats[target][s.Format] {
		move("format", s.Format)
		s.Format = ""
	}
	if target == Anthropic {
		for _, kv := range []struct {
			k string
			v **float64
		}{{"minimum", &s.Minimum}, {"maximum", &s.Maximum}, {"exclusiveMinimum", &s.ExclusiveMinimum}, {"exclusiveMaximum", &s.ExclusiveMaximum}, {"multipleOf", &s.MultipleOf}} {
			if *kv.v != nil {
				move(kv.k, **kv.v)
				*kv.v = nil
			}
		}
		if s.MinItems != nil && *s.MinItems > 1 {
			move("minItems", *s.MinItems)
			s.MinItems = nil
		}
		if s.MaxItems != nil {
			move("maxItems", *s.MaxItems)
			s.MaxItems = nil
		}
	}
	if len(moved) > 0 {
		s.Description = appendSentence(s.Description, "Constraints: "+strings.Join(moved, ", ")+".")
	}
	if s.Type.Has("object") {
		if s.AdditionalProperties != nil && (s.AdditionalProperties.Schema != nil || s.AdditionalProperties.Allowed) {
			return "object with arbitrary keys (a map) at " + pointerOr(at)
		}
		if s.Properties == nil && s.AdditionalProperties == nil {
			return "free-form object at " + pointerOr(at)
		}
		s.AdditionalProperties = &BoolOrSchema{Allowed: false}
		if target == OpenAI {
			req := map[string]bool{}
			for _, r := range s.Required {
				req[r] = true
			}
			for _, k := range sortedKeys(s.Properties) {
				if !req[k] {
					// Optional becomes required-but-nullable: the model sends null.
					s.Properties[k] = nullable(s.Properties[k])
				}
			}
			s.Required = sortedKeys(s.Properties)
			if s.Required == nil {
				s.Required = []string{}
			}
		}
	}
	for _, k := range sortedKeys(s.Properties) {
		if r := makeStrict(s.Properties[k], target, at+"/properties/"+k); r != "" {
			return r
		}
	}
	if s.Items != nil {
		if r := makeStrict(s.Items, target, at+"/items"); r != "" {
			return r
		}
	} else if s.Type.Has("array") {
		return "array of free-form items at " + pointerOr(at)
	}
	for i, x := range s.AnyOf {
		if r := makeStrict(x, target, fmt.Sprintf("%s/anyOf/%d", at, i)); r != "" {
			return r
		}
	}
	return ""
}

func pointerOr(p string) string {
	if p == "" {
		return "the root"
	}
	return p
}

// strictLimits checks the size limits of strict mode and, for Anthropic,
// that no definition refers to itself.
func strictLimits(s *Schema, target Target, lim Limits) string {
	props, enums := 0, 0
	s.walk(0, func(x *Schema, _ int) {
		props += len(x.Properties)
		enums += len(x.Enum)
	})
	if lim.StrictProperties > 0 && props > lim.StrictProperties {
		return fmt.Sprintf("%d properties exceed strict mode's %d", props, lim.StrictProperties)
	}
	if lim.StrictEnumValues > 0 && enums > lim.StrictEnumValues {
		return fmt.Sprintf("%d enum values exceed strict mode's %d", enums, lim.StrictEnumValues)
	}
	if lim.StrictDepth > 0 {
		if d := objectDepth(s); d > lim.StrictDepth {
			return fmt.Sprintf("objects nested %d deep exceed strict mode's %d", d, lim.StrictDepth)
		}
		for _, k := range sortedKeys(s.Defs) {
			if d := objectDepth(s.Defs[k]); d > lim.StrictDepth {
				return fmt.Sprintf("objects nested %d deep in $defs/%s exceed strict mode's %d", d, k, lim.StrictDepth)
			}
		}
	}
	if target == Anthropic {
		if c := refCycle(s); c != "" {
			return "recursive schema (" + c + ") is not supported by Anthropic strict mode"
		}
	}
	return ""
}

// objectDepth is the deepest nesting of object schemas written out in s.
func objectDepth(s *Schema) int {
	if s == nil {
		return 0
	}
	d := 0
	for _, x := range s.Properties {
		d = max(d, objectDepth(x))
	}
	if s.AdditionalProperties != nil {
		d = max(d, objectDepth(s.AdditionalProperties.Schema))
	}
	d = max(d, objectDepth(s.Items))
	for _, x := range s.AnyOf {
		d = max(d, objectDepth(x))
	}
	for _, x := range s.OneOf {
		d = max(d, objectDepth(x))
	}
	if s.Type.Has("object") {
		d++
	}
	return d
}

// refCycle names a $defs entry that reaches itself, or returns "".
func refCycle(root *Schema) string {
	edges := map[string][]string{}
	for _, k := range sortedKeys(root.Defs) {
		var out []string
		root.Defs[k].walk(0, func(x *Schema, _ int) {
			if strings.HasPrefix(x.Ref, "#/$defs/") {
				out = append(out, strings.TrimPrefix(x.Ref, "#/$defs/"))
			}
		})
		sort.Strings(out)
		edges[k] = out
	}
	state := map[string]int{}
	var cyc string
	var visit func(k string) bool
	visit = func(k string) bool {
		switch state[k] {
		case 1:
			cyc = k
			return true
		case 2:
			return false
		}
		state[k] = 1
		for _, n := range edges[k] {
			if visit(n) {
				return true
			}
		}
		state[k] = 2
		return false
	}
	for _, k := range sortedKeys(edges) {
		if visit(k) {
			return cyc
		}
	}
	return ""
}
