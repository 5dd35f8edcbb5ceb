package golang

import (
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/agentready/agentready/generate/ir"
)

// valueCycles finds the struct fields that would make a type contain itself
// by value (an invalid recursive type in Go): fields whose object type is in
// the same strongly connected component of the "contains by value" graph.
// Those fields become pointers.
func valueCycles(api *ir.API) map[*ir.Field]bool {
	edges := map[*ir.Type][]*ir.Field{}
	target := func(f *ir.Field) *ir.Type {
		if !(f.Required || f.Nullable) {
			return nil
		}
		t := deref(f.Type)
		if t != nil && t.Kind == ir.Object && t.Named() {
			return t
		}
		return nil
	}
	for _, t := range api.Types {
		if t.Kind != ir.Object {
			continue
		}
		for _, f := range t.Fields {
			if target(f) != nil {
				edges[t] = append(edges[t], f)
			}
		}
	}
	// Tarjan's algorithm.
	index := map[*ir.Type]int{}
	low := map[*ir.Type]int{}
	on := map[*ir.Type]bool{}
	comp := map[*ir.Type]int{}
	var stack []*ir.Type
	next, ncomp := 0, 0
	var visit func(v *ir.Type)
	visit = func(v *ir.Type) {
		index[v], low[v] = next, next
		next++
		stack = append(stack, v)
		on[v] = true
		for _, f := range edges[v] {
			w := target(f)
			if _, ok := index[w]; !ok {
				visit(w)
				low[v] = min(low[v], low[w])
			} else if on[w] {
				low[v] = min(low[v], index[w])
			}
		}
		if low[v] == index[v] {
			for {
				w := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				on[w] = false
				comp[w] = ncomp
				if w == v {
					break
				}
			}
			ncomp++
		}
	}
	for _, t := range api.Types {
		if _, ok := index[t]; !ok && t.Kind == ir.Object {
			visit(t)
		}
	}
	out := map[*ir.Field]bool{}
	for v, fs := range edges {
		for _, f := range fs {
			if comp[target(f)] == comp[v] {
				out[f] = true
			}
		}
	}
	return out
}

func (g *gen) models(types []*ir.Type) []byte {
	g.start()
	for _, t := range types {
		g.declare(t)
	}
	return g.finish()
}

func (g *gen) typeDoc(t *ir.Type) {
	d := docText(t.Description)
	if d == "" && strings.ContainsRune(strings.TrimSpace(t.Title), ' ') {
		// A one-word title ("outbound_payments", "SubscriptionList") names
		// a schema rather than describes it.
		d = docText(t.Title)
	}
	d = typeSentence(t.Name, d)
	if d != "" {
		g.doc(d)
	}
	if t.Deprecated {
		if d != "" {
			g.p("//")
		}
		g.p("// Deprecated: the API marks this schema deprecated.")
	}
}

func (g *gen) declare(t *ir.Type) {
	name := esc(asIdent, t.Name)
	g.typeDoc(t)
	switch t.Kind {
	case ir.Object:
		g.object(t)
	case ir.Enum:
		g.enum(t)
	case ir.Union:
		g.union(t)
	case ir.Array:
		g.p("type %s %s", name, g.typ(&ir.Type{Kind: ir.Array, Elem: t.Elem}))
	case ir.Map:
		g.p("type %s %s", name, g.typ(&ir.Type{Kind: ir.Map, Elem: t.Elem}))
	case ir.Alias:
		target := deref(t)
		if target.Kind == ir.Any || !target.Named() {
			g.p("type %s = %s", name, g.typ(target))
		} else {
			g.p("type %s = %s", name, g.typ(t.Elem))
		}
	default:
		g.p("type %s = %s", name, g.typ(unnamed(t)))
	}
	g.p("")
}

// variantType is the Go type of a union's variant field: a pointer, so that
// an unset variant is nil, unless nil is already the zero value of the
// variant's type (a slice, a map, raw JSON), which needs no pointer.
func variantType(goType string, t *ir.Type) string {
	if nilable(t) {
		return goType
	}
	return "*" + goType
}

// unnamed returns a copy of t that renders as its structure, not its name.
func unnamed(t *ir.Type) *ir.Type {
	return &ir.Type{Kind: t.Kind, Format: t.Format, Elem: t.Elem}
}

func (g *gen) object(t *ir.Type) {
	name := esc(asIdent, t.Name)
	if c := g.same[t]; c != nil {
		g.p("type %s = %s", name, esc(asIdent, c.Name))
		return
	}
	g.p("type %s struct {", name)
	var bad []*ir.Field
	for _, f := range t.Fields {
		ft, opt := g.fieldType(f)
		doc := docText(f.Description)
		if f.Deprecated {
			if doc != "" {
				doc += "\n\n"
			}
			doc += "Deprecated: the API marks this property deprecated."
		}
		if doc != "" {
			g.doc(doc)
		}
		if f.JSONName == "-" && opt == "" {
			opt = "," // a member named "-", not a skipped field
		}
		tag := esc(asTag, f.JSONName+opt)
		if !validTagName(f.JSONName) {
			// encoding/json cannot name this member in a tag; it is carried
			// by the MarshalJSON/UnmarshalJSON below instead.
			tag = "`json:\"-\"`"
			bad = append(bad, f)
		}
		g.field(esc(asIdent, f.Name), ft, tag)
	}
	if t.Additional != nil {
		g.p("// AdditionalProperties holds the members not described above.")
		g.field("AdditionalProperties", "map[string]"+g.typ(t.Additional), "`json:\"-\"`")
	}
	g.p("}")
	if t.Additional == nil && len(bad) == 0 {
		return
	}
	g.use("encoding/json")
	g.p("")
	g.p("// MarshalJSON encodes the described members and AdditionalProperties.")
	g.p("func (v %s) MarshalJSON() ([]byte, error) {", name)
	g.p("type plain %s", name)
	g.p("b, err := json.Marshal(plain(v))")
	g.p("if err != nil {\nreturn nil, err\n}")
	g.p("extra := map[string]any{}")
	for _, f := range bad {
		g.p("extra[%s] = v.%s", esc(asString, f.JSONName), esc(asIdent, f.Name))
	}
	if t.Additional != nil {
		g.p("for k, x := range v.AdditionalProperties {\nif _, ok := extra[k]; !ok {\nextra[k] = x\n}\n}")
	}
	g.p("if len(extra) == 0 {\nreturn b, nil\n}")
	g.p("return mergeObject(b, extra)")
	g.p("}")
	g.p("")
	g.p("// UnmarshalJSON decodes the described members and AdditionalProperties.")
	g.p("func (v *%s) UnmarshalJSON(b []byte) error {", name)
	g.p("type plain %s", name)
	g.p("if err := json.Unmarshal(b, (*plain)(v)); err != nil {\nreturn err\n}")
	g.p("var all map[string]json.RawMessage")
	g.p("if err := json.Unmarshal(b, &all); err != nil {\nreturn err\n}")
	for _, f := range bad {
		g.p("if raw, ok := all[%s]; ok {\nif err := json.Unmarshal(raw, &v.%s); err != nil {\nreturn err\n}\n}", esc(asString, f.JSONName), esc(asIdent, f.Name))
	}
	if t.Additional != nil {
		var known []string
		for _, f := range t.Fields {
			known = append(known, esc(asString, f.JSONName))
		}
		g.p("for k, raw := range all {")
		if len(known) > 0 {
			g.p("switch k {\ncase %s:\ncontinue\n}", strings.Join(known, ", "))
		}
		g.p("var x %s", g.typ(t.Additional))
		g.p("if err := json.Unmarshal(raw, &x); err != nil {\nreturn err\n}")
		g.p("if v.AdditionalProperties == nil {\nv.AdditionalProperties = map[string]%s{}\n}", g.typ(t.Additional))
		g.p("v.AdditionalProperties[k] = x")
		g.p("}")
	}
	g.p("return nil")
	g.p("}")
}

func enumLiteral(base ir.Kind, v any) string {
	switch x := v.(type) {
	case string:
		return esc(asString, x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	return "0"
}

// intRange is the range of Go's sized integer types, for enum constants.
var intRange = map[string][2]float64{
	"int8": {math.MinInt8, math.MaxInt8}, "int16": {math.MinInt16, math.MaxInt16}, "int32": {math.MinInt32, math.MaxInt32},
	"uint8": {0, math.MaxUint8}, "uint16": {0, math.MaxUint16}, "uint32": {0, math.MaxUint32},
	"uint64": {0, math.MaxUint64}, "uint": {0, math.MaxUint64},
}

// fits reports whether an enum value is a constant of Go type base; one that
// is not (out of range, infinite) is left out of the constants.
func fits(base string, v any) bool {
	switch x := v.(type) {
	case int64:
		r, ok := intRange[base]
		return !ok || (float64(x) >= r[0] && float64(x) <= r[1])
	case float64:
		if math.IsInf(x, 0) || math.IsNaN(x) {
			return false
		}
		return base != "float32" || math.Abs(x) <= math.MaxFloat32
	}
	return true
}

// enumBase is the Go type under an enum.
func (g *gen) enumBase(t *ir.Type) string {
	if t.Base == ir.String {
		return "string"
	}
	return g.typ(&ir.Type{Kind: t.Base, Format: t.Format})
}

// enumValues are the values of t that are constants of its Go type.
func enumValues(t *ir.Type, base string) []*ir.EnumValue {
	var values []*ir.EnumValue
	for _, v := range t.Values {
		if fits(base, v.Value) {
			values = append(values, v)
		}
	}
	return values
}

// sameTypes maps each enum, object and union that is identical to an
// earlier one in api.Types to that first one, which the renderer declares
// it an alias of. Identical means the same Go declaration and methods: for
// an enum the same Go type, constant values and deprecation; for an object
// the same fields (names, wire names, Go types, optionality, documentation)
// and additional properties; for a union the same variants, tags and
// discriminator. Types are compared by the canonical names of the types
// they refer to, refined until nothing changes, so that copies of nested
// schemas merge bottom-up (recursive copies stay apart, which is safe).
//
// Real specs repeat inline schemas many times: GitHub's has 3,287 enums of
// which 533 are distinct, and 3,971 object types of which 1,956 are. Each
// repeat keeps its name (and an enum its named constants), while the
// compiler builds one type descriptor, equality function and set of
// methods per distinct type instead of per repeat.
func sameTypes(api *ir.API, cycle map[*ir.Field]bool) map[*ir.Type]*ir.Type {
	// Each candidate is described once by a static key (everything but the
	// named types it refers to, interned to an int) and the list of those
	// types; each round then compares the static key and the referred
	// types' current classes.
	g := &gen{uses: map[string]bool{}, cycle: cycle}
	var refs []*ir.Type
	var typ func(b *strings.Builder, t *ir.Type)
	typ = func(b *strings.Builder, t *ir.Type) {
		switch {
		case t == nil:
			b.WriteString("?")
		case t.Named():
			b.WriteString("#")
			refs = append(refs, t)
		case t.Kind == ir.Array:
			b.WriteString("[]")
			typ(b, t.Elem)
		case t.Kind == ir.Map:
			b.WriteString("map[string]")
			typ(b, t.Elem)
		default:
			b.WriteString(g.typ(t))
		}
	}
	type cand struct {
		t      *ir.Type
		static int
		refs   []*ir.Type
	}
	var cands []cand
	statics := map[string]int{}
	class := map[*ir.Type]int{} // index in cands of the type's class representative
	var b strings.Builder
	for _, t := range api.Types {
		if t.Kind != ir.Enum && t.Kind != ir.Object && t.Kind != ir.Union {
			continue
		}
		b.Reset()
		refs = nil
		switch t.Kind {
		case ir.Enum:
			base := g.enumBase(t)
			lits := make([]string, 0, len(t.Values))
			for _, v := range enumValues(t, base) {
				lits = append(lits, enumLiteral(t.Base, v.Value))
			}
			sort.Strings(lits)
			b.WriteString("enum " + base)
			if t.Deprecated {
				b.WriteString(" deprecated")
			}
			for _, l := range lits {
				b.WriteString("\x00" + l)
			}
		case ir.Object:
			b.WriteString("object ")
			if t.Additional != nil {
				typ(&b, t.Additional)
			}
			for _, f := range t.Fields {
				b.WriteString("\x00" + f.Name + "\x00" + f.JSONName + "\x00")
				typ(&b, f.Type)
				b.WriteByte(0)
				for _, flag := range [...]bool{f.Required, f.Nullable, cycle[f], nilable(f.Type), f.Deprecated} {
					if flag {
						b.WriteByte('1')
					} else {
						b.WriteByte('0')
					}
				}
				b.WriteByte(0)
				b.WriteString(f.Description)
			}
		case ir.Union:
			b.WriteString("union " + strconv.FormatBool(t.AnyOf))
			if t.Discriminator != nil {
				b.WriteString(" " + t.Discriminator.Property)
			}
			for _, v := range t.Variants {
				b.WriteString("\x00" + v.Name + "\x00")
				typ(&b, v.Type)
				for _, tag := range v.Tags {
					b.WriteString("\x00" + strconv.Quote(tag))
				}
				b.WriteString("\x00;")
			}
		}
		id, ok := statics[b.String()]
		if !ok {
			id = len(statics)
			statics[b.String()] = id
		}
		class[t] = len(cands)
		cands = append(cands, cand{t, id, refs})
	}
	// Refine from the finest partition (each type its own class): a round
	// puts each type in the class of the first type with the same static
	// key and the same classes of referred types. Classes only ever merge,
	// so the rounds stop after about the nesting depth of the copies.
	// Copies that refer to themselves never merge (safe, if not minimal).
	var kb []byte
	for {
		first := map[string]int{}
		next := make([]int, len(cands))
		for i, c := range cands {
			kb = strconv.AppendInt(kb[:0], int64(c.static), 10)
			for _, r := range c.refs {
				if rc, ok := class[r]; ok {
					kb = strconv.AppendInt(append(kb, " c"...), int64(rc), 10)
				} else {
					kb = append(append(kb, " n"...), r.Name...) // arrays, maps, aliases: by name
				}
			}
			if f, ok := first[string(kb)]; ok {
				next[i] = f
			} else {
				first[string(kb)] = i
				next[i] = i
			}
		}
		changed := false
		for i, c := range cands {
			if class[c.t] != next[i] {
				class[c.t] = next[i]
				changed = true
			}
		}
		if !changed {
			break
		}
	}
	same := map[*ir.Type]*ir.Type{}
	for i, c := range cands {
		if k := class[c.t]; k != i {
			same[c.t] = cands[k].t
		}
	}
	return same
}

func (g *gen) enum(t *ir.Type) {
	name := esc(asIdent, t.Name)
	base := g.enumBase(t)
	canon := g.same[t]
	if canon != nil {
		g.p("type %s = %s", name, esc(asIdent, canon.Name))
	} else {
		g.p("type %s %s", name, base)
	}
	values := enumValues(t, base)
	if len(values) > 0 {
		g.p("")
		g.p("// Values of %s.", name)
		g.p("const (")
		for _, v := range values {
			g.field(esc(asIdent, v.Name), name, "= "+enumLiteral(t.Base, v.Value))
		}
		g.p(")")
	}
	if canon != nil {
		return // Valid is the canonical type's
	}
	g.p("")
	// A switch, not a generic helper: 3,000 instantiations of one cost
	// GitHub's client a sixth more compiler memory.
	g.p("// Valid reports whether v is one of the values the API declares.")
	if len(values) == 0 {
		g.p("func (v %s) Valid() bool {\nreturn false\n}", name)
		return
	}
	var consts []string
	for _, v := range values {
		consts = append(consts, esc(asIdent, v.Name))
	}
	g.p("func (v %s) Valid() bool {", name)
	g.p("switch v {")
	g.p("case %s:", strings.Join(consts, ", "))
	g.p("return true")
	g.p("}")
	g.p("return false")
	g.p("}")
}

func (g *gen) union(t *ir.Type) {
	name := esc(asIdent, t.Name)
	if c := g.same[t]; c != nil {
		g.p("type %s = %s", name, esc(asIdent, c.Name))
		return
	}
	g.use("encoding/json")
	var names []string
	for _, v := range t.Variants {
		names = append(names, esc(asIdent, v.Name))
	}
	if len(g.docs) > 0 {
		g.p("//")
	}
	if t.AnyOf {
		g.p("// %s holds at least one of: %s. Decoding sets the first variant that matches.", name, strings.Join(names, ", "))
	} else {
		g.p("// %s is one of: %s. Set exactly one field.", name, strings.Join(names, ", "))
	}
	g.p("type %s struct {", name)
	for _, v := range t.Variants {
		g.field(esc(asIdent, v.Name), variantType(g.typ(v.Type), v.Type), "")
	}
	g.p("// Raw is the JSON when no variant matched, kept so that it round-trips.")
	g.field("Raw", "json.RawMessage", "")
	g.p("}")
	g.p("")
	g.p("// MarshalJSON encodes the variant that is set.")
	g.p("func (u %s) MarshalJSON() ([]byte, error) {", name)
	g.p("switch {")
	for _, v := range t.Variants {
		vn := esc(asIdent, v.Name)
		g.p("case u.%s != nil:", vn)
		g.p("return json.Marshal(u.%s)", vn)
	}
	g.p("case u.Raw != nil:")
	g.p("return u.Raw, nil")
	g.p("}")
	g.p("return []byte(\"null\"), nil")
	g.p("}")
	g.p("")
	g.p("// UnmarshalJSON picks the variant by discriminator when there is one, else")
	g.p("// by trying each variant, strictly first.")
	g.p("func (u *%s) UnmarshalJSON(b []byte) error {", name)
	g.p("*u = %s{}", name)
	if d := t.Discriminator; d != nil {
		g.p("if tag, ok := discriminator(b, %s); ok {", esc(asString, d.Property))
		g.p("switch tag {")
		used := map[string]bool{}
		for _, v := range t.Variants {
			var tags []string
			for _, tg := range v.Tags {
				if !used[tg] { // a tag selects one variant: the first that claims it
					used[tg] = true
					tags = append(tags, esc(asString, tg))
				}
			}
			if len(tags) == 0 {
				continue
			}
			g.p("case %s:", strings.Join(tags, ", "))
			if nilable(v.Type) {
				g.p("return json.Unmarshal(b, &u.%s)", esc(asIdent, v.Name))
				continue
			}
			g.p("u.%s = new(%s)", esc(asIdent, v.Name), g.typ(v.Type))
			g.p("return json.Unmarshal(b, u.%s)", esc(asIdent, v.Name))
		}
		g.p("}")
		g.p("}")
	}
	for _, strict := range []bool{true, false} {
		for _, v := range t.Variants {
			vn := esc(asIdent, v.Name)
			g.p("if x := new(%s); %s {", g.typ(v.Type), map[bool]string{true: "decodeStrict(b, x)", false: "json.Unmarshal(b, x) == nil"}[strict])
			if nilable(v.Type) {
				g.p("u.%s = *x", vn)
			} else {
				g.p("u.%s = x", vn)
			}
			g.p("return nil")
			g.p("}")
		}
	}
	g.p("u.Raw = append(json.RawMessage(nil), b...)")
	g.p("return nil")
	g.p("}")
}
