package wire

import (
	"math/rand/v2"
	"testing"
	"unicode/utf8"

	"github.com/agentready/agentready/internal/specload"
	"github.com/getkin/kin-openapi/openapi3"
)

// TestFromPattern: strings generated from real specs' patterns match them
// whole and keep to the length bounds; the candidates the old synthesizer
// tried ("wire", "a", "1", ...) match none of these.
func TestFromPattern(t *testing.T) {
	for _, tc := range []struct {
		pattern  string
		min, max int
	}{
		{`^sha256:[a-f0-9]{64}$`, 0, -1},                                             // GitHub's attestation subject_digest
		{`^ssh-(rsa|dss|ed25519) AAAA[0-9A-Za-z+/]+[=]{0,3}( [^@]+@[^@]+)?$`, 0, -1}, // an SSH public key
		{`^[A-Z]{2}-\d{4}$`, 0, -1},
		{`^(?:[a-z0-9]+(?:-[a-z0-9]+)*)$`, 12, 20},
		{`^\u00e9+$`, 3, 3}, // ECMA \u escapes, as kin-openapi rewrites them
		{`[0-9]{3}`, 0, -1}, // unanchored
		{`^arn:aws:iam::\d{12}:role/.+$`, 0, 2048},
		{`^\s*\S+\s*$`, 0, -1},
		// ECMA lookarounds, which Go's regexp cannot compile (the sample's
		// specs): walked without them, kept when the whole pattern matches.
		{`^(?!\s)[a-z0-9 ]+(?<!\s)$`, 0, -1},
		{`^(?=.*[0-9])[a-z0-9]{6,}$`, 0, -1},
		{`^((?!\.\.)[a-z.])+$`, 0, -1},
	} {
		s, ok := fromPattern(tc.pattern, tc.min, tc.max)
		if !ok {
			t.Errorf("%s: no string", tc.pattern)
			continue
		}
		re, err := specload.CompilePattern(tc.pattern)
		if err != nil {
			t.Fatal(err)
		}
		n := utf8.RuneCountInString(s)
		if !re.MatchString(s) || n < tc.min || (tc.max >= 0 && n > tc.max) {
			t.Errorf("%s [%d,%d]: %q does not fit", tc.pattern, tc.min, tc.max, s)
		}
	}
	if _, ok := fromPattern(`^a$`, 2, -1); ok {
		t.Error("^a$ with minLength 2: want no string")
	}
	if _, ok := fromPattern(`(`, 0, -1); ok {
		t.Error("a pattern that does not compile: want no string")
	}
}

// FuzzFromPattern: any pattern either yields a string it matches within
// the bounds or none, without panicking or running away.
func FuzzFromPattern(f *testing.F) {
	for _, s := range []string{`^sha256:[a-f0-9]{64}$`, `a{1000}b{1000}`, `(a|b)*c+`, `[^\x00-\x{10FFFF}]`, `\b\B`, `((((a*)*)*)*)`} {
		f.Add(s, 3, 40)
	}
	f.Add(`^(?!\s)[a-z]+(?<=x)$`, 0, 10)
	f.Fuzz(func(t *testing.T, pattern string, lo, hi int) {
		lo, hi = lo%100, hi%5000
		if lo < 0 {
			lo = -lo
		}
		s, ok := fromPattern(pattern, lo, hi)
		if !ok {
			return
		}
		re, err := specload.CompilePattern(pattern)
		if err != nil {
			t.Fatalf("%q: a string from a pattern that does not compile: %v", pattern, err)
		}
		n := utf8.RuneCountInString(s)
		if !re.MatchString(s) || n < lo || (hi >= 0 && n > hi) {
			t.Fatalf("%q [%d,%d]: %q does not fit", pattern, lo, hi, s)
		}
	})
}

// TestSynthValid: values the old synthesizer got wrong are valid now
// (each schema is from a real spec's shape).
func TestSynthValid(t *testing.T) {
	for name, src := range map[string]string{
		"pattern":                 `{"type": "string", "pattern": "^sha256:[a-f0-9]{64}$"}`,
		"minLength":               `{"type": "string", "pattern": "^[a-z]+$", "minLength": 8}`,
		"multipleOf":              `{"type": "integer", "minimum": 3, "maximum": 10, "multipleOf": 4}`,
		"multipleOf fraction":     `{"type": "number", "minimum": 0.2, "maximum": 1, "multipleOf": 0.25}`,
		"oneOf number or integer": `{"oneOf": [{"type": "integer"}, {"type": "number"}]}`,
		"oneOf by optional property": `{"oneOf": [
			{"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}}, "additionalProperties": false},
			{"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}, "b": {"type": "integer"}}, "additionalProperties": false}]}`,
		"oneOf discriminator": `{"oneOf": [
			{"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string", "enum": ["cat"]}}},
			{"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string", "enum": ["dog"]}, "bark": {"type": "boolean"}}}],
			"discriminator": {"propertyName": "kind"}}`,
		"anyOf required sets": `{"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "integer"}},
			"anyOf": [{"required": ["a"]}, {"required": ["b"]}]}`,
		"oneOf required sets": `{"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "integer"}},
			"oneOf": [{"required": ["a"]}, {"required": ["b"]}], "additionalProperties": false}`,
		"oneOf required sets, optional others": `{"type": "object", "additionalProperties": false, "required": ["language"],
			"properties": {"language": {"type": "string"}, "repositories": {"type": "array", "items": {"type": "string"}},
				"repository_lists": {"type": "array", "items": {"type": "string"}}, "repository_owners": {"type": "array", "items": {"type": "string"}}},
			"oneOf": [{"required": ["repositories"]}, {"required": ["repository_lists"]}, {"required": ["repository_owners"]}]}`,
		"allOf required meets properties": `{"allOf": [
			{"type": "object", "properties": {"n": {"type": "integer", "minimum": 5}}},
			{"required": ["n"]}]}`,
		"allOf property twice": `{"allOf": [
			{"type": "object", "required": ["s"], "properties": {"s": {"type": "string", "minLength": 3}}},
			{"type": "object", "properties": {"s": {"type": "string", "maxLength": 4, "pattern": "^[0-9]+$"}}}]}`,
		"minProperties": `{"type": "object", "minProperties": 2, "additionalProperties": {"type": "integer"}}`,
		"enum":          `{"type": "string", "enum": [null, "x"], "nullable": true}`,
		"format":        `{"type": "string", "format": "date-time", "maxLength": 30}`,
	} {
		var s openapi3.Schema
		if err := s.UnmarshalJSON([]byte(src)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, request := range []bool{true, false} {
			for seed := range uint64(4) {
				g := &synth{rnd: rand.New(rand.NewPCG(seed, 1)), request: request}
				v := g.value(&s, 0)
				if !g.valid(&s, v) {
					t.Errorf("%s (seed %d, request %v): %#v is not valid: %v", name, seed, request, v, s.VisitJSON(v))
				}
			}
		}
	}
}

// TestSynthReadOnly: a request leaves readOnly properties out, a response
// writeOnly ones, even when required.
// TestSynthMap: a map gets an entry (SNS's required "attributes" map
// parameter was sent empty, so not at all, by the old synthesizer).
func TestSynthMap(t *testing.T) {
	var s openapi3.Schema
	if err := s.UnmarshalJSON([]byte(`{"type": "object", "additionalProperties": {"type": "integer", "minimum": 3}}`)); err != nil {
		t.Fatal(err)
	}
	v := (&synth{rnd: rand.New(rand.NewPCG(1, 1))}).value(&s, 0).(map[string]any)
	if len(v) != 1 || v["wire"] != int64(3) {
		t.Errorf("%v: want one entry of 3", v)
	}
}

func TestSynthReadOnly(t *testing.T) {
	var s openapi3.Schema
	if err := s.UnmarshalJSON([]byte(`{"type": "object", "required": ["id", "secret", "name"], "properties": {
		"id": {"type": "string", "readOnly": true}, "secret": {"type": "string", "writeOnly": true}, "name": {"type": "string"}}}`)); err != nil {
		t.Fatal(err)
	}
	req := (&synth{rnd: rand.New(rand.NewPCG(1, 1)), request: true}).value(&s, 0).(map[string]any)
	resp := (&synth{rnd: rand.New(rand.NewPCG(1, 1))}).value(&s, 0).(map[string]any)
	if _, ok := req["id"]; ok || req["secret"] == nil {
		t.Errorf("request %v: want secret and no id", req)
	}
	if _, ok := resp["secret"]; ok || resp["id"] == nil {
		t.Errorf("response %v: want id and no secret", resp)
	}
}
