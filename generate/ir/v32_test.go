package ir_test

import (
	"path/filepath"
	"testing"

	"github.com/agentready/agentready/generate/ir"
)

// TestOpenAPI32 builds the IR of lint's OpenAPI 3.2 fixture: QUERY and
// additionalOperations are operations, and a stream's itemSchema is the
// typed Item of its media (it was dropped: the body was an untyped string
// or bytes).
func TestOpenAPI32(t *testing.T) {
	api := load(t, filepath.Join(repoRoot(t), "testdata", "lint", "openapi32.yaml"))
	methods := map[string]string{}
	items := map[string]*ir.Type{}
	for _, o := range api.Operations {
		methods[o.ID] = o.Method
		for _, r := range o.Responses {
			for _, m := range r.Media {
				if m.Item != nil {
					items[o.ID+" "+m.MediaType] = m.Item
				}
			}
		}
	}
	for id, want := range map[string]string{"searchEvents": "QUERY", "queryEvents": "QUERY", "linkEvents": "LINK", "streamEvents": "GET"} {
		if methods[id] != want {
			t.Errorf("%s: method %q, want %q", id, methods[id], want)
		}
	}
	for _, k := range []string{"streamEvents text/event-stream", "queryEvents application/jsonl"} {
		it := items[k]
		if it == nil {
			t.Errorf("%s: no item type", k)
			continue
		}
		if it.Kind != ir.Object && it.Elem == nil {
			t.Errorf("%s: item %+v, want an object", k, it)
		}
	}
}
