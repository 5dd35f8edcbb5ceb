package ir

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// Options tune [Build].
type Options struct {
	// Reserved are package-level identifiers the renderer declares itself
	// (its runtime's exported names); no type or constant will take them.
	Reserved []string
	// ClientReserved are the client's own method names; no operation takes them.
	ClientReserved []string
	// FieldReserved are method names every generated struct may carry
	// (MarshalJSON, Valid, ...); no field, parameter or variant takes them.
	FieldReserved []string
}

// maxDepth bounds schema nesting so that a hostile document cannot exhaust the stack.
const maxDepth = 64

type builder struct {
	doc      *openapi3.T
	api      *API
	opts     Options
	memo     map[*openapi3.Schema]*Type
	visiting map[*openapi3.Schema]bool
	declared []*Type
	aliasing map[*openapi3.Schema]bool
	depth    int
	ops      []opState
}

// Build turns a loaded OpenAPI 3 document into the IR. Swagger 2.0 documents
// are converted to 3 by the loader (openapi2conv) before they get here. Build
// never fails on what a real-world spec gets wrong: it records a [Warning] and
// makes the closest faithful choice. It returns an error only for a nil document.
func Build(doc *openapi3.T, opts Options) (*API, error) {
	if doc == nil {
		return nil, fmt.Errorf("ir: nil document")
	}
	b := &builder{
		doc:      doc,
		opts:     opts,
		memo:     map[*openapi3.Schema]*Type{},
		visiting: map[*openapi3.Schema]bool{},
		aliasing: map[*openapi3.Schema]bool{},
		api:      &API{OpenAPI: doc.OpenAPI},
	}
	if doc.Info != nil {
		b.api.Title, b.api.Version, b.api.Description = doc.Info.Title, doc.Info.Version, doc.Info.Description
	}
	for _, s := range doc.Servers {
		if s == nil {
			continue
		}
		u := s.URL
		names := make([]string, 0, len(s.Variables))
		for k := range s.Variables {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			if v := s.Variables[k]; v != nil {
				u = strings.ReplaceAll(u, "{"+k+"}", v.Default)
			}
		}
		b.api.Servers = append(b.api.Servers, u)
	}
	b.securitySchemes()
	b.components()
	b.operations()
	b.api.Types = b.declared
	b.assignNames()
	return b.api, nil
}

func (b *builder) warn(ptr, format string, args ...any) {
	b.api.Warnings = append(b.api.Warnings, Warning{Pointer: ptr, Message: fmt.Sprintf(format, args...)})
}

// pointerToken escapes a JSON pointer token (RFC 6901).
func pointerToken(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

func (b *builder) components() {
	if b.doc.Components == nil {
		return
	}
	names := make([]string, 0, len(b.doc.Components.Schemas))
	for k := range b.doc.Components.Schemas {
		names = append(names, k)
	}
	sort.Strings(names)
	// First a placeholder for every component, so that references between
	// components find the component's own type whatever the order.
	var todo []string
	for _, k := range names {
		sr := b.doc.Components.Schemas[k]
		if sr == nil || sr.Value == nil {
			b.warn("/components/schemas/"+pointerToken(k), "schema %q could not be resolved; treated as free-form JSON", k)
			continue
		}
		if _, ok := b.memo[sr.Value]; ok {
			continue // a component that is a $ref to another component
		}
		t := &Type{SchemaName: k, Pointer: "/components/schemas/" + pointerToken(k), hint: Words(k), named: true}
		if len(t.hint) == 0 {
			t.hint = []string{"Schema"}
		}
		b.memo[sr.Value] = t
		b.declared = append(b.declared, t)
		todo = append(todo, k)
	}
	for _, k := range todo {
		sr := b.doc.Components.Schemas[k]
		t := b.memo[sr.Value]
		b.fill(t, sr.Value, t.hint, t.Pointer)
	}
}

// nullable reports whether s admits null, in 3.0 (nullable) or 3.1 (type null) form.
func nullable(s *openapi3.Schema) bool {
	if s == nil {
		return false
	}
	if s.Nullable || s.Type.Includes("null") {
		return true
	}
	for _, e := range s.Enum {
		if e == nil {
			return true
		}
	}
	if len(s.AllOf) > 0 && aliasTarget(s) != nil {
		for _, sub := range s.AllOf {
			if sub != nil && sub.Value != nil && sub.Value.Nullable && isAnnotation(sub.Value) {
				return true
			}
		}
	}
	for _, list := range []openapi3.SchemaRefs{s.OneOf, s.AnyOf} {
		for _, sub := range list {
			if sub != nil && sub.Value != nil && isNull(sub.Value) {
				return true
			}
		}
	}
	return false
}

// isNull reports whether s is the schema {type: null} (or {nullable: true} alone).
func isNull(s *openapi3.Schema) bool {
	ts := s.Type.Slice()
	return len(ts) == 1 && ts[0] == "null" && len(s.Properties) == 0
}

// isAnnotation reports whether s constrains nothing structural: only
// descriptions, nullability, examples or validation keywords.
func isAnnotation(s *openapi3.Schema) bool {
	return s != nil && len(nonNull(s.Type)) == 0 && len(s.Properties) == 0 && s.Items == nil && len(s.Enum) == 0 &&
		len(s.OneOf) == 0 && len(s.AnyOf) == 0 && len(s.AllOf) == 0 && s.AdditionalProperties.Schema == nil &&
		s.AdditionalProperties.Has == nil && s.Const == nil
}

func nonNull(ts *openapi3.Types) []string {
	var out []string
	for _, t := range ts.Slice() {
		if t != "null" {
			out = append(out, t)
		}
	}
	return out
}

// aliasTarget returns the one schema s stands for when s only wraps it:
// allOf/oneOf/anyOf with a single structural member (others being
// annotations or null) and nothing of its own.
func aliasTarget(s *openapi3.Schema) *openapi3.SchemaRef {
	if len(s.Properties) > 0 || s.Items != nil || len(s.Enum) > 0 || s.AdditionalProperties.Schema != nil {
		return nil
	}
	if ts := nonNull(s.Type); len(ts) > 1 || (len(ts) == 1 && ts[0] != "object") {
		return nil
	}
	var target *openapi3.SchemaRef
	count := 0
	for _, list := range []openapi3.SchemaRefs{s.AllOf, s.OneOf, s.AnyOf} {
		for _, sub := range list {
			if sub == nil || sub.Value == nil {
				continue
			}
			if isNull(sub.Value) || isAnnotation(sub.Value) {
				continue
			}
			target = sub
			count++
		}
	}
	if count != 1 {
		return nil
	}
	// oneOf [X] alongside allOf [Y] is not an alias; only one list may be used.
	lists := 0
	for _, list := range []openapi3.SchemaRefs{s.AllOf, s.OneOf, s.AnyOf} {
		if len(list) > 0 {
			lists++
		}
	}
	if lists != 1 {
		return nil
	}
	return target
}

// typeOf returns the type of a schema reference met at ptr, proposing hint as
// the name of a type it hoists, and whether the use admits null.
func (b *builder) typeOf(sr *openapi3.SchemaRef, hint []string, ptr string) (*Type, bool) {
	if sr == nil {
		return &Type{Kind: Any}, false
	}
	s := sr.Value
	if s == nil {
		b.warn(ptr, "unresolved reference %q; treated as free-form JSON", sr.Ref)
		return &Type{Kind: Any}, false
	}
	n := nullable(s)
	if t, ok := b.memo[s]; ok {
		return t, n
	}
	if sr.Ref != "" {
		if i := strings.LastIndexByte(sr.Ref, '/'); i >= 0 && i+1 < len(sr.Ref) {
			if w := Words(sr.Ref[i+1:]); len(w) > 0 {
				hint = w
			}
		}
	}
	if b.depth >= maxDepth || b.visiting[s] {
		b.warn(ptr, "schema nesting too deep or cyclic without a name; treated as free-form JSON")
		return &Type{Kind: Any}, n
	}
	if target := aliasTarget(s); target != nil && !b.aliasing[s] {
		b.aliasing[s] = true
		t, tn := b.typeOf(target, hint, ptr)
		delete(b.aliasing, s)
		if t.Kind != Any || t.named {
			b.memo[s] = t
		}
		return t, n || tn
	}
	if b.needsName(s) {
		t := &Type{Pointer: ptr, hint: hint, named: true}
		b.memo[s] = t
		b.declared = append(b.declared, t)
		b.fill(t, s, hint, ptr)
		return t, n
	}
	t := &Type{Pointer: ptr}
	b.fill(t, s, hint, ptr)
	return t, n
}

// needsName reports whether an inline schema becomes a declared type:
// objects with properties, enums and unions do.
func (b *builder) needsName(s *openapi3.Schema) bool {
	e := b.effective(s)
	if (len(e.OneOf) > 0 || len(e.AnyOf) > 0 || len(nonNull(e.Type)) > 1) && !b.constraintOnlyUnion(e) {
		return true
	}
	// An object whose anyOf only says which of its properties are required
	// (GitHub's code-scanning/update-alert body) is named as an object.
	if len(e.Enum) > 0 {
		return enumBase(e) != Any
	}
	return len(e.Properties) > 0 || (e.AdditionalProperties.Has != nil && !*e.AdditionalProperties.Has && e.AdditionalProperties.Schema == nil && (e.Type.Is("object")))
}

// constraintOnlyUnion reports a schema whose oneOf/anyOf members only say
// which of its own properties are required: it is an object, not a union.
func (b *builder) constraintOnlyUnion(s *openapi3.Schema) bool {
	if len(nonNull(s.Type)) > 1 {
		return false
	}
	members := append(append(openapi3.SchemaRefs{}, s.OneOf...), s.AnyOf...)
	if len(members) == 0 {
		return false
	}
	if len(s.Properties) > 0 {
		// An object whose inline members narrow its own properties.
		inline := true
		for _, m := range members {
			if m != nil && (m.Ref != "" || (m.Value != nil && len(nonNull(m.Value.Type)) > 0 && !m.Value.Type.Is("object"))) {
				inline = false
			}
		}
		if inline {
			return true
		}
	}
	for _, m := range members {
		if m == nil || m.Value == nil {
			continue
		}
		v := m.Value
		if m.Ref != "" || len(v.Properties) > 0 || len(nonNull(v.Type)) > 0 || v.Items != nil || len(v.Enum) > 0 || len(v.OneOf) > 0 || len(v.AnyOf) > 0 || len(v.AllOf) > 0 {
			return false
		}
	}
	return true
}

// effective returns s with allOf merged in (s itself when it has none).
func (b *builder) effective(s *openapi3.Schema) *openapi3.Schema {
	if len(s.AllOf) == 0 {
		return s
	}
	return b.merge(s, 0)
}

// merge flattens allOf into one schema: properties and required lists are
// united, the first type, format, items and additionalProperties win.
func (b *builder) merge(s *openapi3.Schema, depth int) *openapi3.Schema {
	out := *s
	out.AllOf = nil
	out.Properties = openapi3.Schemas{}
	for k, v := range s.Properties {
		out.Properties[k] = v
	}
	out.Required = append([]string(nil), s.Required...)
	if depth > maxDepth {
		return &out
	}
	allNullable := len(s.AllOf) > 0
	for _, sub := range s.AllOf {
		if sub == nil || sub.Value == nil {
			allNullable = false
			continue
		}
		m := sub.Value
		if len(m.AllOf) > 0 {
			m = b.merge(m, depth+1)
		}
		if !m.Nullable {
			allNullable = false
		}
		for k, v := range m.Properties {
			if cur, ok := out.Properties[k]; !ok || cur == nil || cur.Value == nil || (isAnnotation(cur.Value) && cur.Ref == "") {
				out.Properties[k] = v
			}
		}
		out.Required = append(out.Required, m.Required...)
		if out.Type == nil || len(nonNull(out.Type)) == 0 {
			if len(nonNull(m.Type)) > 0 {
				ts := openapi3.Types(nonNull(m.Type))
				out.Type = &ts
			}
		}
		if out.Format == "" {
			out.Format = m.Format
		}
		if out.Items == nil {
			out.Items = m.Items
		}
		if len(out.Enum) == 0 {
			out.Enum = m.Enum
		}
		if out.AdditionalProperties.Schema == nil && out.AdditionalProperties.Has == nil {
			out.AdditionalProperties = m.AdditionalProperties
		}
		if len(out.OneOf) == 0 && len(m.OneOf) > 0 && len(m.Properties) == 0 {
			out.OneOf = m.OneOf
		}
		if len(out.AnyOf) == 0 && len(m.AnyOf) > 0 && len(m.Properties) == 0 {
			out.AnyOf = m.AnyOf
		}
		if out.Discriminator == nil && len(m.OneOf)+len(m.AnyOf) > 0 {
			out.Discriminator = m.Discriminator
		}
		if out.Description == "" {
			out.Description = m.Description
		}
	}
	if allNullable {
		out.Nullable = true
	}
	return &out
}

// fill completes t from schema s.
func (b *builder) fill(t *Type, s *openapi3.Schema, hint []string, ptr string) {
	b.depth++
	b.visiting[s] = true
	defer func() { b.depth--; delete(b.visiting, s) }()

	if t.named && aliasTarget(s) != nil {
		// A component that only wraps another schema.
		target, _ := b.typeOf(aliasTarget(s), hint, ptr)
		if target == t || (target.Kind == Alias && target.Elem == t) {
			t.Kind = Any
			return
		}
		if target.named {
			t.Kind, t.Elem = Alias, target
		} else {
			name, sn, p, h := t.Name, t.SchemaName, t.Pointer, t.hint
			*t = *target
			t.Name, t.SchemaName, t.Pointer, t.hint, t.named = name, sn, p, h, true
		}
		t.Description = s.Description
		return
	}

	e := b.effective(s)
	t.Title, t.Description, t.Deprecated = e.Title, e.Description, e.Deprecated
	t.Constraints = constraintsOf(e)
	if e.Always != nil {
		t.Kind = Any
		return
	}
	types := nonNull(e.Type)

	switch {
	case (len(e.OneOf) > 0 || len(e.AnyOf) > 0) && !b.constraintOnlyUnion(e):
		b.union(t, e, hint, ptr)
		return
	case len(types) > 1:
		t.Kind = Union
		for _, ty := range types {
			one := *e
			one.OneOf, one.AnyOf, one.Enum = nil, nil, nil
			ts := openapi3.Types{ty}
			one.Type = &ts
			vt := &Type{Pointer: ptr}
			b.fill(vt, &one, hint, ptr)
			t.Variants = append(t.Variants, &Variant{Type: vt})
		}
		return
	case len(e.Enum) > 0 && enumBase(e) != Any:
		b.enum(t, e, ptr)
		return
	}

	ty := ""
	if len(types) == 1 {
		ty = types[0]
	} else if len(e.Properties) > 0 || e.AdditionalProperties.Schema != nil {
		ty = "object"
	} else if e.Items != nil {
		ty = "array"
	}
	switch ty {
	case "boolean":
		t.Kind = Bool
	case "integer":
		t.Kind, t.Format = Integer, e.Format
	case "number":
		t.Kind, t.Format = Number, e.Format
	case "string":
		t.Kind, t.Format = String, e.Format
	case "array":
		t.Kind = Array
		if e.Items == nil {
			t.Elem = &Type{Kind: Any}
		} else {
			t.Elem, _ = b.typeOf(e.Items, append(clone(hint), "Item"), ptr+"/items")
		}
	case "object":
		b.object(t, e, hint, ptr)
	default:
		t.Kind = Any
	}
}

func clone(s []string) []string { return append([]string(nil), s...) }

func (b *builder) object(t *Type, e *openapi3.Schema, hint []string, ptr string) {
	ap := e.AdditionalProperties
	if len(e.Properties) == 0 {
		switch {
		case ap.Schema != nil:
			t.Kind = Map
			t.Elem, _ = b.typeOf(ap.Schema, append(clone(hint), "Value"), ptr+"/additionalProperties")
		case ap.Has != nil && !*ap.Has:
			t.Kind = Object
		default:
			t.Kind = Any
		}
		return
	}
	t.Kind = Object
	required := map[string]bool{}
	for _, r := range e.Required {
		required[r] = true
	}
	names := make([]string, 0, len(e.Properties))
	for k := range e.Properties {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		pr := e.Properties[k]
		ft, fn := b.typeOf(pr, append(clone(hint), Words(k)...), ptr+"/properties/"+pointerToken(k))
		f := &Field{JSONName: k, Type: ft, Nullable: fn, Required: required[k]}
		if pr != nil && pr.Value != nil {
			v := pr.Value
			f.Description, f.Deprecated, f.ReadOnly, f.WriteOnly = v.Description, v.Deprecated, v.ReadOnly, v.WriteOnly
			if f.Description == "" && v.Title != "" {
				f.Description = v.Title
			}
		}
		if f.ReadOnly || f.WriteOnly {
			// Such a field is absent from one direction of traffic, so it is
			// optional in the shared type.
			f.Required = false
		}
		t.Fields = append(t.Fields, f)
	}
	if ap.Schema != nil {
		t.Additional, _ = b.typeOf(ap.Schema, append(clone(hint), "Value"), ptr+"/additionalProperties")
	}
}

// enumBase returns the kind of an enum's values, or Any when they cannot be
// expressed as one kind of constant.
func enumBase(e *openapi3.Schema) Kind {
	types := nonNull(e.Type)
	if len(types) > 1 {
		return Any
	}
	ty := ""
	if len(types) == 1 {
		ty = types[0]
	} else {
		for _, v := range e.Enum {
			switch v.(type) {
			case string:
				ty = "string"
			case bool:
				ty = "boolean"
			case float64, int, int64:
				ty = "number"
			default:
				continue
			}
			break
		}
	}
	switch ty {
	case "string":
		return String
	case "integer":
		return Integer
	case "number":
		for _, v := range e.Enum {
			if f, ok := v.(float64); ok && f != math.Trunc(f) {
				return Number
			}
		}
		return Integer
	case "boolean":
		return Any // booleans gain nothing from named constants
	}
	return Any
}

func (b *builder) enum(t *Type, e *openapi3.Schema, ptr string) {
	t.Kind, t.Base, t.Format = Enum, enumBase(e), e.Format
	seen := map[string]bool{}
	for _, v := range e.Enum {
		var val any
		switch t.Base {
		case String:
			s, ok := v.(string)
			if !ok {
				if v != nil {
					b.warn(ptr, "enum value %v is not a string; dropped", v)
				}
				continue
			}
			val = s
		case Integer:
			switch x := v.(type) {
			case float64:
				if x != math.Trunc(x) || math.Abs(x) > 1<<62 {
					b.warn(ptr, "enum value %v is not an integer; dropped", v)
					continue
				}
				val = int64(x)
			case int:
				val = int64(x)
			case int64:
				val = x
			default:
				if v != nil {
					b.warn(ptr, "enum value %v is not an integer; dropped", v)
				}
				continue
			}
		case Number:
			f, ok := v.(float64)
			if !ok {
				continue
			}
			val = f
		}
		key := fmt.Sprintf("%T:%v", val, val)
		if seen[key] {
			continue
		}
		seen[key] = true
		t.Values = append(t.Values, &EnumValue{Value: val})
	}
	if len(t.Values) == 0 {
		t.Kind = t.Base
		t.Base = Any
	}
}

func (b *builder) union(t *Type, e *openapi3.Schema, hint []string, ptr string) {
	t.Kind = Union
	list, key := e.OneOf, "oneOf"
	if len(list) == 0 {
		list, key, t.AnyOf = e.AnyOf, "anyOf", true
	}
	seen := map[*Type]bool{}
	refOf := map[*Variant]string{}
	for i, m := range list {
		if m == nil || m.Value == nil {
			b.warn(fmt.Sprintf("%s/%s/%d", ptr, key, i), "unresolved union member; dropped")
			continue
		}
		if isNull(m.Value) {
			continue
		}
		vh := append(clone(hint), "Option", strconv.Itoa(i+1))
		if m.Value.Title != "" {
			vh = append(clone(hint), Words(m.Value.Title)...)
		}
		vt, vn := b.typeOf(m, vh, fmt.Sprintf("%s/%s/%d", ptr, key, i))
		if seen[vt] {
			continue
		}
		seen[vt] = true
		v := &Variant{Type: vt, Nullable: vn}
		refOf[v] = m.Ref
		t.Variants = append(t.Variants, v)
	}
	if len(e.Properties) > 0 {
		b.warn(ptr, "properties beside %s are not represented; the union's variants are", key)
	}
	if d := e.Discriminator; d != nil && d.PropertyName != "" {
		t.Discriminator = &Discriminator{Property: d.PropertyName}
		keys := make([]string, 0, len(d.Mapping))
		for k := range d.Mapping {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		tagged := map[*Variant]bool{}
		for _, k := range keys {
			ref := d.Mapping[k].Ref
			for _, v := range t.Variants {
				r := refOf[v]
				if r == ref || (r != "" && (strings.HasSuffix(r, "/"+ref) || ref == v.Type.SchemaName)) {
					v.Tags = append(v.Tags, k)
					tagged[v] = true
				}
			}
		}
		for _, v := range t.Variants {
			if !tagged[v] {
				if r := refOf[v]; r != "" {
					v.Tags = append(v.Tags, r[strings.LastIndexByte(r, '/')+1:])
				}
			}
		}
	}
}
