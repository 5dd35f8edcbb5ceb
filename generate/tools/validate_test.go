package tools_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"

	gjs "github.com/google/jsonschema-go/jsonschema"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/agentready/agentready/generate/tools"
)

// def is one tool definition read back from a target's JSON output.
type def struct {
	name, desc string
	input      any // decoded schema
	output     any
	strict     bool
	gemini     bool // input is Gemini's OpenAPI subset
	annot      map[string]any
}

// readBack decodes a target's output generically, as its consumer would.
func readBack(t *testing.T, target tools.Target, raw []byte) []def {
	t.Helper()
	dec := func(v any) {
		d := json.NewDecoder(bytes.NewReader(raw))
		d.UseNumber()
		if err := d.Decode(v); err != nil {
			t.Fatalf("%s output is not JSON: %v", target, err)
		}
	}
	var out []def
	switch target {
	case tools.OpenAI:
		var l []struct {
			Type     string
			Function struct {
				Name, Description string
				Parameters        any
				Strict            bool
			}
		}
		dec(&l)
		for _, x := range l {
			if x.Type != "function" {
				t.Errorf("tool type %q", x.Type)
			}
			out = append(out, def{name: x.Function.Name, desc: x.Function.Description, input: x.Function.Parameters, strict: x.Function.Strict})
		}
	case tools.Anthropic:
		var l []struct {
			Name, Description string
			InputSchema       any `json:"input_schema"`
			Strict            bool
		}
		dec(&l)
		for _, x := range l {
			out = append(out, def{name: x.Name, desc: x.Description, input: x.InputSchema, strict: x.Strict})
		}
	case tools.Gemini:
		var l []struct {
			FunctionDeclarations []struct {
				Name, Description    string
				Parameters           any
				ParametersJSONSchema any `json:"parametersJsonSchema"`
			}
		}
		dec(&l)
		if len(l) != 1 {
			t.Fatalf("gemini: %d tool objects, want 1", len(l))
		}
		for _, x := range l[0].FunctionDeclarations {
			d := def{name: x.Name, desc: x.Description, input: x.ParametersJSONSchema}
			if x.Parameters != nil {
				d.input, d.gemini, d.strict = x.Parameters, true, true
			}
			out = append(out, d)
		}
	case tools.MCP:
		var l struct {
			Tools []struct {
				Name, Title, Description string
				InputSchema              any
				OutputSchema             any
				Annotations              map[string]any
			}
		}
		dec(&l)
		for _, x := range l.Tools {
			out = append(out, def{name: x.Name, desc: x.Description, input: x.InputSchema, output: x.OutputSchema, annot: x.Annotations})
		}
	}
	return out
}

// stats are what a validation run saw, for the test log.
type stats struct {
	tools, strict, bytes int
}

// validate checks a target's output against the target's constraints and
// returns counts. Every check here is a rule of the provider's API.
func validate(t *testing.T, set *tools.Set, raw []byte) stats {
	t.Helper()
	lim := tools.TargetLimits[set.Target]
	defs := readBack(t, set.Target, raw)
	if len(defs) != len(set.Tools) {
		t.Fatalf("%d tools written, %d built", len(defs), len(set.Tools))
	}
	st := stats{tools: len(defs), bytes: len(raw)}
	seen := map[string]string{}
	for _, d := range defs {
		if !lim.Name.MatchString(d.name) {
			t.Errorf("%s: name %q does not match %s", set.Target, d.name, lim.Name)
		}
		if prev, ok := seen[strings.ToLower(d.name)]; ok {
			t.Errorf("%s: name %q collides with %q", set.Target, d.name, prev)
		}
		seen[strings.ToLower(d.name)] = d.name
		if d.desc == "" {
			t.Errorf("%s: %s has no description", set.Target, d.name)
		}
		if len(d.desc) > lim.Description {
			t.Errorf("%s: %s description is %d bytes, limit %d", set.Target, d.name, len(d.desc), lim.Description)
		}
		if d.strict {
			st.strict++
		}
		in, ok := d.input.(map[string]any)
		if !ok {
			t.Errorf("%s: %s input schema is not an object", set.Target, d.name)
			continue
		}
		wantType := "object"
		if d.gemini {
			wantType = "OBJECT"
		}
		if in["type"] != wantType {
			t.Errorf("%s: %s input root type is %v, want %s", set.Target, d.name, in["type"], wantType)
		}
		if props, ok := in["properties"].(map[string]any); ok {
			for k := range props {
				if !lim.Property.MatchString(k) {
					t.Errorf("%s: %s property %q does not match %s", set.Target, d.name, k, lim.Property)
				}
			}
		}
		if d.gemini {
			if err := geminiMeta.Validate(d.input); err != nil {
				t.Errorf("gemini: %s parameters are not Gemini's OpenAPI subset: %v", d.name, err)
			}
		} else {
			compileSchema(t, set.Target, d.name, "input", d.input)
		}
		if d.strict && !d.gemini {
			checkStrict(t, set.Target, d.name, in, lim)
		}
		if set.Target == tools.MCP {
			checkMCP(t, d)
		}
	}
	return st
}

// compileSchema compiles a schema as draft 2020-12 with santhosh-tekuri's
// validator, and, for MCP, resolves it as the MCP Go SDK does.
func compileSchema(t *testing.T, target tools.Target, name, which string, s any) {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	url := "mem://" + name + "/" + which + ".json"
	if err := c.AddResource(url, s); err != nil {
		t.Errorf("%s: %s %s schema: %v", target, name, which, err)
		return
	}
	if _, err := c.Compile(url); err != nil {
		t.Errorf("%s: %s %s schema does not compile: %v", target, name, which, err)
	}
	if target == tools.MCP {
		b, _ := json.Marshal(s)
		var gs gjs.Schema
		if err := json.Unmarshal(b, &gs); err != nil {
			t.Errorf("mcp: %s %s schema: jsonschema-go cannot read it: %v", name, which, err)
			return
		}
		if _, err := gs.Resolve(&gjs.ResolveOptions{ValidateDefaults: true}); err != nil {
			t.Errorf("mcp: %s %s schema: the MCP SDK would refuse it: %v", name, which, err)
		}
	}
}

var strictKeywords = map[tools.Target]map[string]bool{
	tools.OpenAI: set("type", "properties", "required", "additionalProperties", "items", "enum", "const", "anyOf", "$ref", "$defs",
		"description", "pattern", "format", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minItems", "maxItems"),
	tools.Anthropic: set("type", "properties", "required", "additionalProperties", "items", "enum", "const", "anyOf", "$ref", "$defs",
		"description", "pattern", "format", "minItems"),
}

func set(xs ...string) map[string]bool {
	m := map[string]bool{}
	for _, x := range xs {
		m[x] = true
	}
	return m
}

// checkStrict applies the strict-mode rules: only supported keywords; every
// object closed (and, for OpenAI, every property required); nothing beside
// $ref; nesting and size within limits; for Anthropic, no recursion.
func checkStrict(t *testing.T, target tools.Target, name string, root map[string]any, lim tools.Limits) {
	t.Helper()
	allowed := strictKeywords[target]
	props, enums := 0, 0
	var walk func(s map[string]any, at string, depth int)
	walk = func(s map[string]any, at string, depth int) {
		for k := range s {
			if !allowed[k] {
				t.Errorf("%s strict: %s%s uses unsupported keyword %q", target, name, at, k)
			}
		}
		if _, ok := s["$ref"]; ok && len(s) > 1 {
			t.Errorf("%s strict: %s%s has keywords beside $ref", target, name, at)
		}
		if types(s)["object"] {
			depth++
			if lim.StrictDepth > 0 && depth > lim.StrictDepth {
				t.Errorf("%s strict: %s%s nests objects %d deep", target, name, at, depth)
			}
			if s["additionalProperties"] != false {
				t.Errorf("%s strict: %s%s object without additionalProperties: false", target, name, at)
			}
			p, _ := s["properties"].(map[string]any)
			props += len(p)
			if target == tools.OpenAI {
				req := map[string]bool{}
				rl, _ := s["required"].([]any)
				for _, r := range rl {
					req[r.(string)] = true
				}
				for k := range p {
					if !req[k] {
						t.Errorf("openai strict: %s%s property %q is not required", name, at, k)
					}
				}
			}
		}
		if e, ok := s["enum"].([]any); ok {
			enums += len(e)
		}
		if target == tools.Anthropic {
			if v, ok := s["minItems"].(json.Number); ok && v.String() != "0" && v.String() != "1" {
				t.Errorf("anthropic strict: %s%s minItems %s", name, at, v)
			}
		}
		for _, k := range sortedKeys(s, "properties") {
			walk(s["properties"].(map[string]any)[k].(map[string]any), at+"/properties/"+k, depth)
		}
		if it, ok := s["items"].(map[string]any); ok {
			walk(it, at+"/items", depth)
		}
		if l, ok := s["anyOf"].([]any); ok {
			for i, x := range l {
				walk(x.(map[string]any), fmt.Sprintf("%s/anyOf/%d", at, i), depth)
			}
		}
		for _, k := range sortedKeys(s, "$defs") {
			walk(s["$defs"].(map[string]any)[k].(map[string]any), at+"/$defs/"+k, 0)
		}
	}
	if _, ok := root["anyOf"]; ok {
		t.Errorf("%s strict: %s root is anyOf", target, name)
	}
	walk(root, "", 0)
	if lim.StrictProperties > 0 && props > lim.StrictProperties {
		t.Errorf("%s strict: %s has %d properties", target, name, props)
	}
	if lim.StrictEnumValues > 0 && enums > lim.StrictEnumValues {
		t.Errorf("%s strict: %s has %d enum values", target, name, enums)
	}
	if target == tools.Anthropic {
		if defs, ok := root["$defs"].(map[string]any); ok {
			for k, d := range defs {
				if reaches(defs, d, k, map[string]bool{}) {
					t.Errorf("anthropic strict: %s $defs/%s is recursive", name, k)
				}
			}
		}
	}
}

func reaches(defs map[string]any, s any, target string, seen map[string]bool) bool {
	switch x := s.(type) {
	case map[string]any:
		if r, ok := x["$ref"].(string); ok {
			n := strings.TrimPrefix(r, "#/$defs/")
			if n == target {
				return true
			}
			if !seen[n] {
				seen[n] = true
				if reaches(defs, defs[n], target, seen) {
					return true
				}
			}
		}
		for k, v := range x {
			if k != "$defs" && reaches(defs, v, target, seen) {
				return true
			}
		}
	case []any:
		for _, v := range x {
			if reaches(defs, v, target, seen) {
				return true
			}
		}
	}
	return false
}

func types(s map[string]any) map[string]bool {
	out := map[string]bool{}
	switch v := s["type"].(type) {
	case string:
		out[v] = true
	case []any:
		for _, x := range v {
			out[x.(string)] = true
		}
	}
	return out
}

func sortedKeys(s map[string]any, key string) []string {
	m, _ := s[key].(map[string]any)
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// checkMCP checks an MCP tool's output schema and annotations.
func checkMCP(t *testing.T, d def) {
	t.Helper()
	if d.output != nil {
		o, ok := d.output.(map[string]any)
		if !ok || o["type"] != "object" {
			t.Errorf("mcp: %s outputSchema root is not type object", d.name)
		}
		compileSchema(t, tools.MCP, d.name, "output", d.output)
	}
	if d.annot == nil {
		t.Errorf("mcp: %s has no annotations", d.name)
		return
	}
	for _, k := range []string{"readOnlyHint", "idempotentHint"} {
		if _, ok := d.annot[k].(bool); !ok {
			t.Errorf("mcp: %s annotation %s missing", d.name, k)
		}
	}
}

// geminiMeta validates Gemini's OpenAPI-subset Schema object: upper-case
// types, only the fields the API defines, string-only enums, and the formats
// each type accepts.
var geminiMeta = func() *jsonschema.Schema {
	const meta = `{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$ref": "#/$defs/schema",
  "$defs": {
    "schema": {
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "type": {"enum": ["STRING", "NUMBER", "INTEGER", "BOOLEAN", "ARRAY", "OBJECT", "NULL"]},
        "format": {"type": "string"},
        "title": {"type": "string"},
        "description": {"type": "string"},
        "nullable": {"type": "boolean"},
        "enum": {"type": "array", "items": {"type": "string"}},
        "maxItems": {"type": "integer", "minimum": 0},
        "minItems": {"type": "integer", "minimum": 0},
        "properties": {"type": "object", "additionalProperties": {"$ref": "#/$defs/schema"}},
        "required": {"type": "array", "items": {"type": "string"}},
        "minProperties": {"type": "integer", "minimum": 0},
        "maxProperties": {"type": "integer", "minimum": 0},
        "minLength": {"type": "integer", "minimum": 0},
        "maxLength": {"type": "integer", "minimum": 0},
        "pattern": {"type": "string"},
        "example": true,
        "anyOf": {"type": "array", "items": {"$ref": "#/$defs/schema"}},
        "propertyOrdering": {"type": "array", "items": {"type": "string"}},
        "default": true,
        "items": {"$ref": "#/$defs/schema"},
        "minimum": {"type": "number"},
        "maximum": {"type": "number"}
      },
      "allOf": [
        {"if": {"required": ["enum"]}, "then": {"properties": {"type": {"const": "STRING"}}}},
        {"if": {"required": ["format"], "properties": {"type": {"const": "STRING"}}}, "then": {"properties": {"format": {"enum": ["enum", "date-time"]}}}},
        {"if": {"required": ["format"], "properties": {"type": {"const": "NUMBER"}}}, "then": {"properties": {"format": {"enum": ["float", "double"]}}}},
        {"if": {"required": ["format"], "properties": {"type": {"const": "INTEGER"}}}, "then": {"properties": {"format": {"enum": ["int32", "int64"]}}}}
      ]
    }
  }
}`
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(meta))
	if err != nil {
		panic(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("mem://gemini-schema.json", doc); err != nil {
		panic(err)
	}
	return c.MustCompile("mem://gemini-schema.json")
}()
