package tools_test

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/agentready/agentready/generate/ir"
	"github.com/agentready/agentready/generate/tools"
	"github.com/agentready/agentready/internal/specload"
)

// FuzzBuild feeds arbitrary spec bytes through the loader, the IR and every
// target: no panic, and whatever is written is JSON with valid, unique names.
func FuzzBuild(f *testing.F) {
	pet, err := os.ReadFile(petstorePath())
	if err != nil {
		f.Fatal(err)
	}
	f.Add(pet)
	f.Add([]byte(namingSpec))
	f.Add([]byte("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /x/{a}:\n    get:\n      parameters: [{name: a, in: path, required: true, schema: {type: [integer, 'null'], enum: [1, 2, null]}}]\n      responses: {'200': {description: ok, content: {application/json: {schema: {type: array, items: {$ref: '#/components/schemas/T'}}}}}}\ncomponents:\n  schemas:\n    T: {oneOf: [{type: string}, {$ref: '#/components/schemas/T'}]}\n"))
	f.Add([]byte(`{"swagger":"2.0","info":{"title":"s","version":"1"},"paths":{"/a":{"post":{"operationId":"a\u0000b","parameters":[{"name":"body","in":"body","schema":{"type":"object","additionalProperties":true}}],"responses":{"200":{"description":"ok"}}}}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := specload.LoadBytes(context.Background(), "fuzz.yaml", data, "", specload.Options{})
		if err != nil {
			return
		}
		api, err := ir.Build(d.Spec, ir.Options{})
		if err != nil {
			return
		}
		for _, tg := range tools.Targets {
			for _, strict := range []bool{false, true} {
				set, err := tools.Build(api, tools.Options{Target: tg, Strict: strict, MaxTools: 3})
				if err != nil {
					continue // no operations, or too many tags for the cap
				}
				raw, err := set.Marshal()
				if err != nil {
					t.Fatalf("%s: %v", tg, err)
				}
				if !json.Valid(raw) {
					t.Fatalf("%s: invalid JSON", tg)
				}
				seen := map[string]bool{}
				for _, tl := range set.Tools {
					if !tools.TargetLimits[tg].Name.MatchString(tl.Name) || seen[strings.ToLower(tl.Name)] {
						t.Fatalf("%s: bad or duplicate name %q", tg, tl.Name)
					}
					seen[strings.ToLower(tl.Name)] = true
					if len(tl.Description) > tools.TargetLimits[tg].Description {
						t.Fatalf("%s: description too long", tg)
					}
				}
			}
		}
	})
}

// FuzzSearch: any query (search_tools passes the caller's text) ranks
// without a panic and returns at most k known names.
func FuzzSearch(f *testing.F) {
	for _, s := range []string{"list repository issues", "", "ÄÖÜ camelCaseWord snake_case", "\xff\xfe", "a a a a"} {
		f.Add(s)
	}
	ix := tools.NewSearchIndex([]tools.SearchDoc{{Name: "listIssues", Text: "List issues"}, {Name: "getUser", Text: "Get a user"}})
	f.Fuzz(func(t *testing.T, q string) {
		got := ix.Search(q, 1)
		if len(got) > 1 {
			t.Fatalf("k=1 returned %v", got)
		}
		for _, n := range got {
			if n != "listIssues" && n != "getUser" {
				t.Fatalf("unknown name %q", n)
			}
		}
	})
}
