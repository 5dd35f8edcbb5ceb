package typescript_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/agentready/agentready/generate/ir"
	"github.com/agentready/agentready/generate/typescript"
	"github.com/agentready/agentready/internal/specload"
)

// FuzzHostileText puts arbitrary text in every place a spec's text reaches
// the TypeScript output as a comment, a string literal or a quoted property
// name, and checks that none of it escapes into code.
func FuzzHostileText(f *testing.F) {
	for _, s := range []string{"*/ P#W#N /*", "`${P#W#N}`", "\"; P#W#N; \"", "'); P#W#N; ('", "\u2028P#W#N", "\\", "\n}\nP#W#N\n", "*\\/", "</script>P#W#N"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !strings.Contains(s, "P#W#N") {
			s += "P#W#N"
		}
		spec := map[string]any{
			"openapi": "3.0.3",
			"info":    map[string]any{"title": s, "version": s, "description": s},
			"servers": []any{map[string]any{"url": "https://x.test/" + s}},
			"paths": map[string]any{
				"/a": map[string]any{"get": map[string]any{
					"summary": s, "description": s,
					"parameters": []any{map[string]any{"name": "-" + s, "in": "query", "description": s, "schema": map[string]any{"type": "string", "enum": []any{s}}}},
					"responses":  map[string]any{"200": map[string]any{"description": s, "content": map[string]any{"application/json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/U"}}}}},
				}},
			},
			"components": map[string]any{"schemas": map[string]any{
				"O": map[string]any{"type": "object", "description": s, "properties": map[string]any{"-" + s: map[string]any{"type": "string", "description": s}, "k": map[string]any{"type": "string"}}},
				"U": map[string]any{"oneOf": []any{map[string]any{"$ref": "#/components/schemas/O"}}, "discriminator": map[string]any{"propertyName": "-" + s, "mapping": map[string]any{s: "#/components/schemas/O"}}},
			}},
		}
		raw, err := json.Marshal(spec)
		if err != nil {
			return
		}
		d, err := specload.Load(context.Background(), "-", strings.NewReader(string(raw)), specload.Options{})
		if err != nil {
			return
		}
		api, err := ir.Build(d.Spec, typescript.IROptions())
		if err != nil {
			return
		}
		files, err := typescript.Generate(api, typescript.Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if !strings.HasSuffix(f.Name, ".ts") || f.Name == "src/runtime.ts" {
				continue
			}
			c := code(string(f.Content))
			for _, bad := range []string{"P#W#N", "<unterminated", "<newline", "<template"} {
				if i := strings.Index(c, bad); i >= 0 {
					t.Fatalf("%s: %q in code: ...%s...", f.Name, bad, c[max(0, i-80):min(len(c), i+40)])
				}
			}
		}
	})
}
