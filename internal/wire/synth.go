package wire

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/agentready/agentready/internal/specload"
	"github.com/getkin/kin-openapi/openapi3"
)

// synth makes JSON values that a schema accepts. Optional properties are
// included half the time, decided by a seeded generator, so one seed always
// yields the same values.
type synth struct {
	rnd *rand.Rand
	// request is true for values the client sends (readOnly properties are
	// left out) and false for responses (writeOnly ones are).
	request bool
	// all includes every optional property, none leaves them all out
	// (variant's later rounds).
	all, none bool
	// undeclared collects required properties no schema declares.
	undeclared []string
}

// maxDepth bounds nesting: below it only required properties are made, so
// recursive schemas end.
const maxDepth = 6

// value returns a value for s. It prefers the schema's own example when the
// schema accepts it (many examples in real specs do not).
func (g *synth) value(s *openapi3.Schema, depth int) any {
	if s == nil {
		return "wire"
	}
	for _, ex := range []any{s.Example, s.Default} {
		if ex != nil && depth < maxDepth && g.valid(s, ex) {
			return ex
		}
	}
	if s.Const != nil {
		return s.Const
	}
	if depth > 3*maxDepth {
		// A cycle of required properties has no finite valid value: end it
		// with the emptiest one.
		switch schemaType(s) {
		case "object":
			return map[string]any{}
		case "array":
			return []any{}
		}
	}
	if len(s.Enum) > 0 {
		for _, e := range s.Enum {
			if e != nil {
				return e
			}
		}
	}
	if len(s.AllOf) > 0 {
		// The members are merged into one schema first, so that one
		// member's required list meets another's properties; the values of
		// the members merged are the fallback.
		v := g.value(merge(s), depth+1)
		if g.valid(s, v) {
			return v
		}
		if w := g.allOfValues(s, depth); g.valid(s, w) {
			return w
		}
		return v
	}
	if len(s.OneOf) > 0 {
		return g.variant(s, s.OneOf, depth)
	}
	if len(s.AnyOf) > 0 {
		return g.variant(s, s.AnyOf, depth)
	}
	switch typ := schemaType(s); typ {
	case "object":
		return g.object(s, depth)
	case "array":
		n := 1
		if s.MinItems > 1 {
			n = int(s.MinItems)
		}
		if s.MaxItems != nil && uint64(n) > *s.MaxItems {
			n = int(*s.MaxItems)
		}
		out := make([]any, 0, n)
		for i := range n {
			var items *openapi3.Schema
			if s.Items != nil {
				items = s.Items.Value
			}
			v := g.value(items, depth+1)
			if s.UniqueItems && i > 0 {
				v = distinct(v, i)
			}
			out = append(out, v)
		}
		return out
	case "integer":
		return g.number(s, true)
	case "number":
		return g.number(s, false)
	case "boolean":
		return true
	case "null":
		return nil
	default:
		return g.str(s)
	}
}

// allOfValues merges the values of s's allOf members.
func (g *synth) allOfValues(s *openapi3.Schema, depth int) any {
	merged := map[string]any{}
	var other any
	for _, ref := range s.AllOf {
		if annotation(ref.Value) {
			continue
		}
		v := g.value(ref.Value, depth+1)
		if m, ok := v.(map[string]any); ok {
			for k, x := range m {
				merged[k] = x
			}
		} else {
			other = v
		}
	}
	if len(s.Properties) > 0 {
		for k, x := range g.object(s, depth) {
			merged[k] = x
		}
	}
	if len(merged) == 0 && other != nil {
		return other
	}
	return merged
}

// variantTries is how many rounds variant makes over the alternatives:
// optional properties by the coin, then all of them, then none (a oneOf
// of required sets, as GitHub's repositories | repository_lists, is
// matched exactly once only without the others' properties).
const variantTries = 6

// variant returns a value the whole schema accepts (for a oneOf, exactly
// one alternative): each alternative is merged with the schema around it
// (its properties and required list), the discriminator property is set
// to the alternative's tag, and rounds are tried until one fits; the first
// value made when none does.
func (g *synth) variant(s *openapi3.Schema, alts openapi3.SchemaRefs, depth int) any {
	var first any
	outer := *s
	outer.OneOf, outer.AnyOf, outer.Example, outer.Default = nil, nil, nil, nil
	savedAll, savedNone := g.all, g.none
	defer func() { g.all, g.none = savedAll, savedNone }()
	for try := range variantTries {
		g.all, g.none = savedAll || try%3 == 1, savedNone || try%3 == 2
		for i, ref := range alts {
			if ref.Value == nil {
				continue
			}
			eff := ref.Value
			if !annotation(&outer) {
				eff = merge(&openapi3.Schema{AllOf: openapi3.SchemaRefs{{Value: &outer}, ref}})
			}
			v := g.value(eff, depth+1)
			if m, ok := v.(map[string]any); ok && s.Discriminator != nil {
				if tag := tagOf(s.Discriminator, ref); tag != "" {
					m[s.Discriminator.PropertyName] = tag
				}
			}
			if try == 0 && i == 0 {
				first = v
			}
			if g.valid(s, v) {
				return v
			}
		}
	}
	return first
}

// merge flattens s's allOf into one schema: required lists joined,
// properties overlaid (one declared twice must satisfy both, so it becomes
// an allOf of the two), and every other keyword from the first schema that
// sets it.
func merge(s *openapi3.Schema) *openapi3.Schema {
	out := *s
	out.AllOf = nil
	out.Properties = openapi3.Schemas{}
	for k, p := range s.Properties {
		out.Properties[k] = p
	}
	out.Required = append([]string(nil), s.Required...)
	for _, ref := range s.AllOf {
		m := ref.Value
		if m == nil {
			continue
		}
		if len(m.AllOf) > 0 {
			m = merge(m)
		}
		for k, p := range m.Properties {
			if have, ok := out.Properties[k]; ok && have != p {
				out.Properties[k] = &openapi3.SchemaRef{Value: &openapi3.Schema{AllOf: openapi3.SchemaRefs{have, p}}}
			} else {
				out.Properties[k] = p
			}
		}
		for _, r := range m.Required {
			if !slices.Contains(out.Required, r) {
				out.Required = append(out.Required, r)
			}
		}
		if out.Type == nil {
			out.Type = m.Type
		}
		if out.Format == "" {
			out.Format = m.Format
		}
		if out.Pattern == "" {
			out.Pattern = m.Pattern
		}
		if len(out.Enum) == 0 {
			out.Enum = m.Enum
		}
		if out.Const == nil {
			out.Const = m.Const
		}
		if out.Items == nil {
			out.Items = m.Items
		}
		if len(out.OneOf) == 0 {
			out.OneOf = m.OneOf
		}
		if len(out.AnyOf) == 0 {
			out.AnyOf = m.AnyOf
		}
		if out.Discriminator == nil {
			out.Discriminator = m.Discriminator
		}
		if out.AdditionalProperties.Has == nil && out.AdditionalProperties.Schema == nil {
			out.AdditionalProperties = m.AdditionalProperties
		}
		if out.Min == nil {
			out.Min, out.ExclusiveMin = m.Min, m.ExclusiveMin
		}
		if out.Max == nil {
			out.Max, out.ExclusiveMax = m.Max, m.ExclusiveMax
		}
		if out.MultipleOf == nil {
			out.MultipleOf = m.MultipleOf
		}
		out.MinLength = max(out.MinLength, m.MinLength)
		if out.MaxLength == nil {
			out.MaxLength = m.MaxLength
		}
		out.MinItems = max(out.MinItems, m.MinItems)
		if out.MaxItems == nil {
			out.MaxItems = m.MaxItems
		}
		out.UniqueItems = out.UniqueItems || m.UniqueItems
		out.Nullable = out.Nullable && m.Nullable
		if out.Example == nil {
			out.Example = m.Example
		}
	}
	if len(out.Properties) == 0 {
		out.Properties = nil
	}
	return &out
}

// tagOf is the discriminator value that selects ref.
func tagOf(d *openapi3.Discriminator, ref *openapi3.SchemaRef) string {
	keys := make([]string, 0, len(d.Mapping))
	for k := range d.Mapping {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if d.Mapping[k].Ref == ref.Ref {
			return k
		}
	}
	if ref.Ref != "" {
		return ref.Ref[strings.LastIndex(ref.Ref, "/")+1:]
	}
	return ""
}

func (g *synth) object(s *openapi3.Schema, depth int) map[string]any {
	out := map[string]any{}
	required := map[string]bool{}
	for _, r := range s.Required {
		required[r] = true
	}
	names := make([]string, 0, len(s.Properties))
	for k := range s.Properties {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		p := s.Properties[k].Value
		if p == nil {
			continue
		}
		if (g.request && p.ReadOnly) || (!g.request && p.WriteOnly) {
			continue
		}
		// The coin is tossed for every property so that what follows does
		// not depend on the depth at which a property was left out.
		coin := g.rnd.IntN(2) == 0
		if !required[k] && (depth >= maxDepth || (coin && !g.all) || g.none) {
			continue
		}
		out[k] = g.value(p, depth+1)
	}
	for _, k := range s.Required {
		if _, ok := out[k]; !ok && s.Properties[k] == nil {
			out[k] = g.extra(s, depth) // required but undeclared
			g.undeclared = append(g.undeclared, k)
		}
	}
	ap := s.AdditionalProperties
	if len(s.Properties) == 0 && len(out) == 0 && (ap.Schema != nil || (ap.Has != nil && *ap.Has)) && (s.MaxProps == nil || *s.MaxProps > 0) && depth < maxDepth {
		// A map gets one entry, so that a map parameter has something to send.
		out["wire"] = g.extra(s, depth)
	}
	for i := 0; uint64(len(out)) < s.MinProps && i < 64; i++ {
		out[fmt.Sprintf("wire%d", i)] = g.extra(s, depth)
	}
	return out
}

// extra is a value for a property s does not declare: of its
// additionalProperties schema, else any.
func (g *synth) extra(s *openapi3.Schema, depth int) any {
	if s.AdditionalProperties.Schema != nil && s.AdditionalProperties.Schema.Value != nil {
		return g.value(s.AdditionalProperties.Schema.Value, depth+1)
	}
	return "wire"
}

func (g *synth) number(s *openapi3.Schema, integer bool) any {
	v := 1.0
	if s.Min != nil {
		v = *s.Min
		if s.ExclusiveMin.IsTrue() {
			v++
		}
	}
	if s.ExclusiveMin.Value != nil && v <= *s.ExclusiveMin.Value {
		v = *s.ExclusiveMin.Value + 1
	}
	if s.Max != nil && v > *s.Max {
		v = *s.Max
		if s.ExclusiveMax.IsTrue() {
			v--
		}
	}
	if s.ExclusiveMax.Value != nil && v >= *s.ExclusiveMax.Value {
		v = *s.ExclusiveMax.Value - 1
	}
	if s.MultipleOf != nil && *s.MultipleOf > 0 {
		m := *s.MultipleOf
		v = math.Ceil(v/m) * m
		if s.Max != nil && v > *s.Max {
			v = math.Floor(*s.Max/m) * m
		}
		if s.ExclusiveMax.Value != nil && v >= *s.ExclusiveMax.Value {
			v = (math.Ceil(*s.ExclusiveMax.Value/m) - 1) * m
		}
	} else if !integer && g.all {
		// A fraction tells a number from an integer (a oneOf of both).
		if s.Max == nil || v+0.5 <= *s.Max {
			v += 0.5
		}
	}
	if integer {
		return int64(math.Ceil(v))
	}
	return v
}

// unreserved is a string that checks a client's escaping: a space, a
// percent sign and a non-ASCII letter must each be escaped exactly once.
const unreserved = "wire a%ü"

func (g *synth) str(s *openapi3.Schema) string {
	v := unreserved
	if f, ok := formats[s.Format]; ok {
		v = f
	}
	minLen, maxLen := int(min(s.MinLength, maxPatternLen)), -1
	if s.MaxLength != nil {
		maxLen = int(min(*s.MaxLength, maxPatternLen))
	}
	if s.Pattern != "" {
		if re, err := specload.CompilePattern(s.Pattern); err == nil && !(re.MatchString(v) && fitsLen(v, minLen, maxLen)) {
			if p, ok := fromPattern(s.Pattern, minLen, maxLen); ok {
				return p
			}
		}
	}
	for utf8.RuneCountInString(v) < minLen {
		v += "x"
	}
	if maxLen >= 0 && utf8.RuneCountInString(v) > maxLen {
		v = string([]rune(v)[:maxLen])
	}
	return v
}

func fitsLen(v string, minLen, maxLen int) bool {
	n := utf8.RuneCountInString(v)
	return n >= minLen && (maxLen < 0 || n <= maxLen)
}

// formats are a valid value of each string format the harness knows.
var formats = map[string]string{
	"date-time":     "2024-01-02T03:04:05Z",
	"date":          "2024-01-02",
	"time":          "03:04:05",
	"duration":      "P1D",
	"uuid":          "3f2a4b1c-5d6e-4f70-8a9b-0c1d2e3f4a5b",
	"email":         "wire@example.com",
	"idn-email":     "wire@example.com",
	"uri":           "https://example.com/wire",
	"url":           "https://example.com/wire",
	"uri-reference": "https://example.com/wire",
	"iri":           "https://example.com/wire",
	"iri-reference": "https://example.com/wire",
	"uri-template":  "https://example.com/{wire}",
	"hostname":      "example.com",
	"idn-hostname":  "example.com",
	"ipv4":          "192.0.2.1",
	"ipv6":          "2001:db8::1",
	"byte":          "d2lyZQ==",
	"binary":        "wire",
	"json-pointer":  "/wire",
	"regex":         "wire",
}

// valid reports whether s accepts v (as JSON would carry it).
func (g *synth) valid(s *openapi3.Schema, v any) bool { return g.verdict(s, v) == nil }

// verdict is s's error for v (as JSON would carry it), nil when it accepts it.
func (g *synth) verdict(s *openapi3.Schema, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	var x any
	if err := json.Unmarshal(b, &x); err != nil {
		return err
	}
	opts := []openapi3.SchemaValidationOption{openapi3.MultiErrors(), openapi3.SetSchemaRegexCompiler(specload.CompilePattern)}
	if g.request {
		opts = append(opts, openapi3.VisitAsRequest())
	} else {
		opts = append(opts, openapi3.VisitAsResponse())
	}
	return s.VisitJSON(x, opts...)
}

// schemaType is s's type, guessed from its keywords when it has none.
func schemaType(s *openapi3.Schema) string {
	if s.Type != nil {
		for _, t := range s.Type.Slice() {
			if t != "null" {
				return t
			}
		}
		if s.Type.Includes("null") {
			return "null"
		}
	}
	switch {
	case len(s.Properties) > 0 || s.AdditionalProperties.Has != nil || s.AdditionalProperties.Schema != nil:
		return "object"
	case s.Items != nil:
		return "array"
	}
	return "string"
}

// distinct makes the i-th item of a uniqueItems array differ from the others.
func distinct(v any, i int) any {
	switch x := v.(type) {
	case string:
		return fmt.Sprintf("%s%d", x, i)
	case int64:
		return x + int64(i)
	case float64:
		return x + float64(i)
	}
	return v
}

// annotation reports whether s constrains nothing (an allOf member that
// only adds a description to a $ref).
func annotation(s *openapi3.Schema) bool {
	return s == nil || (s.Type == nil && len(s.Properties) == 0 && s.Items == nil && len(s.AllOf) == 0 &&
		len(s.OneOf) == 0 && len(s.AnyOf) == 0 && len(s.Enum) == 0 && s.Format == "" && s.Const == nil)
}
