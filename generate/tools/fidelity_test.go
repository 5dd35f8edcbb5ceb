package tools_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/agentready/agentready/generate/ir"
	"github.com/agentready/agentready/generate/tools"
)

// fidelity compares tool input properties with the source schemas read
// straight from kin-openapi (not from the IR): integers stay integers,
// numbers numbers, formats and enum values survive.
type fidelity struct {
	t      *testing.T
	strict bool
	checks map[string]int
}

func (f *fidelity) check(src *openapi3.Schema, dst map[string]any, defs map[string]any, at string, depth int) {
	if src == nil || dst == nil || depth > 3 || len(src.AllOf)+len(src.OneOf)+len(src.AnyOf) > 0 {
		return
	}
	dst = deref(dst, defs)
	if dst == nil {
		return
	}
	ts := src.Type.Slice()
	var base string
	for _, x := range ts {
		if x != "null" {
			base = x
		}
	}
	dt := types(dst)
	switch base {
	case "integer", "number", "string", "boolean", "array":
		f.checks["type"]++
		if !dt[base] {
			f.t.Errorf("%s: type %v, source says %s", at, dst["type"], base)
		}
		if base == "integer" && dt["number"] {
			f.t.Errorf("%s: integer widened to number", at)
		}
	}
	if src.Format != "" && (base == "integer" || base == "number" || base == "string") && !f.strict {
		f.checks["format"]++
		if dst["format"] != src.Format {
			f.t.Errorf("%s: format %v, source says %q", at, dst["format"], src.Format)
		}
	}
	if len(src.Enum) > 0 && (base == "string" || base == "integer") {
		want := enumSet(src.Enum)
		got := enumSet(anyList(dst["enum"]))
		f.checks["enum"]++
		if want != got {
			f.t.Errorf("%s: enum %s, source says %s", at, got, want)
		}
	}
	if base == "array" && src.Items != nil && src.Items.Value != nil {
		if it, ok := dst["items"].(map[string]any); ok {
			f.check(src.Items.Value, it, defs, at+"/items", depth+1)
		} else {
			f.t.Errorf("%s: array without items", at)
		}
	}
}

// deref follows a $ref into defs and a nullable wrapper to its non-null member.
func deref(s map[string]any, defs map[string]any) map[string]any {
	for i := 0; i < 8 && s != nil; i++ {
		if r, ok := s["$ref"].(string); ok {
			d, _ := defs[strings.TrimPrefix(r, "#/$defs/")].(map[string]any)
			s = d
			continue
		}
		if l, ok := s["anyOf"].([]any); ok && len(l) == 2 && s["type"] == nil {
			var other map[string]any
			nulls := 0
			for _, x := range l {
				m := x.(map[string]any)
				if m["type"] == "null" {
					nulls++
				} else {
					other = m
				}
			}
			if nulls == 1 {
				s = other
				continue
			}
		}
		return s
	}
	return s
}

func anyList(v any) []any {
	l, _ := v.([]any)
	return l
}

func enumSet(vals []any) string {
	var out []string
	for _, v := range vals {
		if v == nil {
			continue
		}
		b, _ := json.Marshal(v)
		out = append(out, string(b))
	}
	sort.Strings(out)
	return strings.Join(out, ",")
}

// runFidelity builds tools for target and compares every parameter and
// flattened body property of every tool with its source schema.
func runFidelity(t *testing.T, doc *openapi3.T, api *ir.API, target tools.Target, strict bool) map[string]int {
	set, err := tools.Build(api, tools.Options{Target: target, Strict: strict})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := set.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	var inputs []map[string]any
	dec := json.NewDecoder(bytes.NewReader(raw))
	switch target {
	case tools.MCP:
		var l struct {
			Tools []struct{ InputSchema map[string]any }
		}
		if err := dec.Decode(&l); err != nil {
			t.Fatal(err)
		}
		for _, x := range l.Tools {
			inputs = append(inputs, x.InputSchema)
		}
	case tools.OpenAI:
		var l []struct {
			Function struct{ Parameters map[string]any }
		}
		if err := dec.Decode(&l); err != nil {
			t.Fatal(err)
		}
		for _, x := range l {
			inputs = append(inputs, x.Function.Parameters)
		}
	}
	f := &fidelity{t: t, strict: strict, checks: map[string]int{}}
	for i, tl := range set.Tools {
		in := inputs[i]
		props, _ := in["properties"].(map[string]any)
		defs, _ := in["$defs"].(map[string]any)
		op := tl.Operation
		item := doc.Paths.Value(op.Path)
		src := item.GetOperation(op.Method)
		params := map[string]*openapi3.Parameter{}
		for _, list := range []openapi3.Parameters{item.Parameters, src.Parameters} {
			for _, p := range list {
				if p != nil && p.Value != nil {
					params[p.Value.In+" "+p.Value.Name] = p.Value
				}
			}
		}
		var body *openapi3.Schema
		if src.RequestBody != nil && src.RequestBody.Value != nil {
			for _, mt := range []string{"application/json", "application/x-www-form-urlencoded", "multipart/form-data"} {
				if c := src.RequestBody.Value.Content.Get(mt); c != nil && c.Schema != nil && c.Schema.Value != nil {
					body = c.Schema.Value
					break
				}
			}
		}
		for _, a := range tl.Args {
			ps, _ := props[a.Property].(map[string]any)
			if ps == nil {
				t.Errorf("%s: property %q missing from the input schema", tl.Name, a.Property)
				continue
			}
			at := fmt.Sprintf("%s %s", tl.Name, a.Property)
			switch {
			case a.Param != nil:
				p := params[a.Param.In+" "+a.Param.Wire]
				if p == nil {
					t.Errorf("%s: no source parameter %s %s", at, a.Param.In, a.Param.Wire)
					continue
				}
				if p.Schema != nil {
					f.check(p.Schema.Value, ps, defs, at, 0)
				}
			case a.Field != nil && body != nil:
				if sp := body.Properties[a.Field.JSONName]; sp != nil {
					f.check(sp.Value, ps, defs, at, 0)
				}
			}
		}
	}
	return f.checks
}

func TestFidelityPetstore(t *testing.T) {
	d, api := loadAPI(t, petstorePath())
	for _, strict := range []bool{false, true} {
		got := runFidelity(t, d.Spec, api, tools.OpenAI, strict)
		t.Logf("strict=%v checks: %v", strict, got)
		// Petstore: petId/orderId integers, status enums, int64 formats.
		if got["type"] < 15 || got["enum"] < 3 || (!strict && got["format"] < 5) {
			t.Errorf("too few checks ran: %v", got)
		}
	}
	got := runFidelity(t, d.Spec, api, tools.MCP, false)
	if got["type"] < 15 {
		t.Errorf("too few checks ran: %v", got)
	}
}

func TestFidelityGitHub(t *testing.T) {
	if testing.Short() {
		t.Skip("GitHub's spec is big")
	}
	d, api := loadAPI(t, realSpec(t, githubSpec))
	got := runFidelity(t, d.Spec, api, tools.MCP, false)
	t.Logf("GitHub checks: %v", got)
	if got["type"] < 3000 || got["enum"] < 300 || got["format"] < 50 {
		t.Errorf("too few checks ran: %v", got)
	}
	got = runFidelity(t, d.Spec, api, tools.OpenAI, true)
	t.Logf("GitHub strict checks: %v", got)
}
