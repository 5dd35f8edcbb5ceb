package tools_test

import (
	"bytes"
	"testing"

	"github.com/agentready/agentready/generate/ir"
	"github.com/agentready/agentready/generate/tools"
	"github.com/agentready/agentready/internal/golden"
)

// buildAll builds and validates every target, strict and not, and returns
// the outputs by "target[.strict]".
func buildAll(t *testing.T, api *ir.API, opts tools.Options, big bool) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, tg := range tools.Targets {
		for _, strict := range []bool{false, true} {
			if big && tg == tools.MCP && strict {
				continue // only closes objects; validating 17 MB of schemas twice buys nothing
			}
			o := opts
			o.Target, o.Strict = tg, strict
			set, err := tools.Build(api, o)
			if err != nil {
				t.Fatal(err)
			}
			raw, err := set.Marshal()
			if err != nil {
				t.Fatal(err)
			}
			st := validate(t, set, raw)
			key := string(tg)
			if strict {
				key += ".strict"
			}
			t.Logf("%-16s %4d tools, %4d strict, %9d bytes, %d warnings", key, st.tools, st.strict, st.bytes, len(set.Warnings))
			out[key] = raw
		}
	}
	return out
}

func TestPetstore(t *testing.T) {
	_, api := loadAPI(t, petstorePath())
	outs := buildAll(t, api, tools.Options{}, false)
	for key, raw := range outs {
		golden.Check(t, "petstore."+key+".json", raw)
	}
}

func TestDeterministic(t *testing.T) {
	var first []byte
	for i := 0; i < 3; i++ {
		_, api := loadAPI(t, petstorePath())
		set, err := tools.Build(api, tools.Options{Target: tools.MCP})
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := set.Marshal()
		if i == 0 {
			first = raw
		} else if !bytes.Equal(raw, first) {
			t.Fatal("output differs between runs")
		}
	}
}

func TestGitHub(t *testing.T) {
	if testing.Short() {
		t.Skip("GitHub's 1,223 operations take a while; run without -short")
	}
	_, api := loadAPI(t, realSpec(t, githubSpec))
	if len(api.Operations) < 1000 {
		t.Fatalf("GitHub spec has %d operations", len(api.Operations))
	}
	t.Logf("GitHub: %d operations", len(api.Operations))
	buildAll(t, api, tools.Options{}, true)
}

func TestFigma(t *testing.T) {
	_, api := loadAPI(t, realSpec(t, figmaSpec))
	t.Logf("Figma: %d operations", len(api.Operations))
	buildAll(t, api, tools.Options{}, true)
}
