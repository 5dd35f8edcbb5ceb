package wire

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"regexp"
	"sort"
	"strings"

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

// variant picks the first alternative of a oneOf or anyOf whose value the
// whole schema accepts, the discriminator property set to the variant's tag.
func (g *synth) variant(s *openapi3.Schema, alts openapi3.SchemaRefs, depth int) any {
	var first any
	for i, ref := range alts {
		v := g.value(ref.Value, depth+1)
		if m, ok := v.(map[string]any); ok && s.Discriminator != nil {
			if tag := tagOf(s.Discriminator, ref); tag != "" {
				m[s.Discriminator.PropertyName] = tag
			}
		}
		if i == 0 {
			first = v
		}
		if g.valid(s, v) {
			return v
		}
	}
	return first
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
		if !required[k] && (depth >= maxDepth || coin) {
			continue
		}
		out[k] = g.value(p, depth+1)
	}
	for _, k := range s.Required {
		if _, ok := out[k]; !ok && s.Properties[k] == nil {
			out[k] = "wire" // required but undeclared: any value
		}
	}
	return out
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
		v = math.Ceil(v / *s.MultipleOf) * *s.MultipleOf
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
	var v string
	switch s.Format {
	case "date-time":
		v = "2024-01-02T03:04:05Z"
	case "date":
		v = "2024-01-02"
	case "time":
		v = "03:04:05"
	case "uuid":
		v = "3f2a4b1c-5d6e-4f70-8a9b-0c1d2e3f4a5b"
	case "email":
		v = "wire@example.com"
	case "uri", "url", "uri-reference", "iri":
		v = "https://example.com/wire"
	case "hostname":
		v = "example.com"
	case "ipv4":
		v = "192.0.2.1"
	case "ipv6":
		v = "2001:db8::1"
	case "byte":
		v = "d2lyZQ=="
	case "binary":
		v = "wire"
	default:
		v = unreserved
	}
	if s.Pattern != "" {
		if re, err := regexp.Compile(s.Pattern); err == nil && !re.MatchString(v) {
			for _, c := range []string{"wire", "a", "A", "1", "abc", "ABC", "a1", "123", "wire-1", "2024-01-02", "abc_123", "x.y", "wire@example.com", "https://example.com/wire", "US", "usd", "en-US", "0"} {
				if re.MatchString(c) {
					v = c
					break
				}
			}
		}
	}
	for uint64(len([]rune(v))) < s.MinLength {
		v += "x"
	}
	if s.MaxLength != nil && uint64(len([]rune(v))) > *s.MaxLength {
		v = string([]rune(v)[:*s.MaxLength])
	}
	return v
}

// valid reports whether s accepts v (as JSON would carry it).
func (g *synth) valid(s *openapi3.Schema, v any) bool {
	b, err := json.Marshal(v)
	if err != nil {
		return false
	}
	var x any
	if json.Unmarshal(b, &x) != nil {
		return false
	}
	opts := []openapi3.SchemaValidationOption{openapi3.MultiErrors()}
	if g.request {
		opts = append(opts, openapi3.VisitAsRequest())
	} else {
		opts = append(opts, openapi3.VisitAsResponse())
	}
	return s.VisitJSON(x, opts...) == nil
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
