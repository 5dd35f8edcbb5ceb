package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/agentready/agentready/lint"
	"github.com/agentready/agentready/report"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

const lintSpec = `openapi: 3.0.3
info: {title: t, version: 1.0.0, description: d, contact: {email: a@example.com}}
servers: [{url: "https://api.example.com"}]
paths:
  /items:
    get:
      operationId: listItems
      summary: List items
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: array, items: {type: string}}
`

// TestLintExitCodes pins lint's exit codes: 0 ran, 1 a threshold (--fail-on
// or --min-score), 2 usage or input errors.
func TestLintExitCodes(t *testing.T) {
	tests := []struct {
		name      string
		config    string
		args      []string
		code      int
		stdoutHas string
		stderrHas string
	}{
		{name: "warnings pass", args: []string{"lint", "api.yaml"}, code: 0, stdoutHas: "operation-description"},
		{name: "fail-on warning", args: []string{"lint", "--fail-on", "warning", "api.yaml"}, code: 1, stderrHas: "at or above --fail-on warning"},
		{name: "min-score", args: []string{"lint", "--min-score", "100", "api.yaml"}, code: 1, stderrHas: "is below --min-score 100"},
		{name: "min-score from config", config: "lint:\n  min-score: 100\n", args: []string{"lint", "api.yaml"}, code: 1, stderrHas: "below --min-score"},
		{name: "min-score met", args: []string{"lint", "--min-score", "10", "api.yaml"}, code: 0},
		{name: "min-score flag wins over config", config: "lint:\n  min-score: 100\n", args: []string{"lint", "--min-score", "10", "api.yaml"}, code: 0},
		{name: "min-score out of range", args: []string{"lint", "--min-score", "101", "api.yaml"}, code: 2, stderrHas: "Run 'agentready lint --help'"},
		{name: "extends flag wins over config", config: "lint:\n  extends: nope\n", args: []string{"lint", "--extends", "all", "api.yaml"}, code: 0},
		{name: "extends from config", config: "lint:\n  extends: nope\n", args: []string{"lint", "api.yaml"}, code: 2, stderrHas: "unknown preset"},
		{name: "no spec", args: []string{"lint"}, code: 2, stderrHas: "lint needs a SPEC"},
		{name: "missing spec", args: []string{"lint", "nope.yaml"}, code: 2, stderrHas: "nope.yaml"},
		{name: "broken spec", args: []string{"lint", "broken.yaml"}, code: 2, stderrHas: "broken.yaml:"},
		{name: "unknown rule in config", config: "lint:\n  severity:\n    nope: error\n", args: []string{"lint", "api.yaml"}, code: 2, stderrHas: `"nope" is neither a rule nor a category`},
		{name: "bad extends", args: []string{"lint", "--extends", "most", "api.yaml"}, code: 2, stderrHas: "unknown preset"},
		{name: "explain", args: []string{"lint", "--explain", "path-params"}, code: 0, stdoutHas: "# path-params"},
		{name: "explain unknown", args: []string{"lint", "--explain", "nope"}, code: 2, stderrHas: `no rule "nope"`},
		{name: "list rules", args: []string{"lint", "--list-rules"}, code: 0, stdoutHas: "spec-valid"},
		{name: "bad baseline", args: []string{"lint", "--baseline", "api.yaml", "api.yaml"}, code: 2, stderrHas: "not a JSON report"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := isolate(t)
			writeFile(t, filepath.Join(dir, "api.yaml"), lintSpec)
			writeFile(t, filepath.Join(dir, "broken.yaml"), "openapi: 3.0.3\ninfo: [\n")
			if tt.config != "" {
				writeFile(t, filepath.Join(dir, ".agentready.yaml"), tt.config)
			}
			runTest(t, tt.args...).expect(t, tt.code, tt.stdoutHas, tt.stderrHas)
		})
	}
}

// TestLintBaselineScore pins that --baseline only hides findings: the score
// is the spec's, from every finding, so --min-score (flag or config) gates
// on it; --fail-on counts the findings shown, the new ones.
func TestLintBaselineScore(t *testing.T) {
	dir := isolate(t)
	writeFile(t, filepath.Join(dir, "api.yaml"), lintSpec)
	runTest(t, "lint", "-f", "json=base.json", "api.yaml").expect(t, 0, "", "")
	score := func(name string) float64 {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		var rep struct {
			Findings []json.RawMessage `json:"findings"`
			Scores   struct {
				Overall float64 `json:"overall"`
			} `json:"scores"`
		}
		if err := json.Unmarshal(b, &rep); err != nil {
			t.Fatal(err)
		}
		if name == "base.json" && len(rep.Findings) == 0 {
			t.Fatal("the spec has no findings: the test proves nothing")
		}
		if name != "base.json" && len(rep.Findings) != 0 {
			t.Errorf("%s: %d findings shown, want none (all in the baseline)", name, len(rep.Findings))
		}
		return rep.Scores.Overall
	}
	want := score("base.json")
	if want >= 100 {
		t.Fatalf("base score %v: the test needs a spec that scores below 100", want)
	}
	runTest(t, "lint", "--baseline", "base.json", "-f", "json=new.json", "api.yaml").expect(t, 0, "", "")
	if got := score("new.json"); got != want {
		t.Errorf("score with --baseline = %v, want %v (the score without it)", got, want)
	}
	runTest(t, "lint", "--baseline", "base.json", "--min-score", "100", "api.yaml").expect(t, 1, "", "is below --min-score 100")
	writeFile(t, filepath.Join(dir, ".agentready.yaml"), "lint:\n  min-score: 100\n")
	runTest(t, "lint", "--baseline", "base.json", "api.yaml").expect(t, 1, "", "is below --min-score 100")
	os.Remove(filepath.Join(dir, ".agentready.yaml"))
	// Every finding is known: nothing shown reaches --fail-on.
	runTest(t, "lint", "--baseline", "base.json", "--fail-on", "warning", "api.yaml").expect(t, 0, "", "")
	runTest(t, "lint", "--fail-on", "warning", "api.yaml").expect(t, 1, "", "at or above --fail-on warning")
}

// TestLintFlagsAreConfigFields pins that lint's settings flags are the
// fields of lint.Config with a flag tag, named in help by their arg tag,
// and that its other flags are the command actions and -f.
func TestLintFlagsAreConfigFields(t *testing.T) {
	g := &globalOpts{reportPrinters: map[*cobra.Command]report.Printers{}}
	cmd := newLintCmd(g)
	fields := map[string]bool{}
	for _, f := range reflect.VisibleFields(reflect.TypeFor[lint.Config]()) {
		name := f.Tag.Get("flag")
		if name == "" {
			continue
		}
		fields[name] = true
		fl := cmd.Flags().Lookup(name)
		if fl == nil {
			t.Errorf("lint.Config.%s has flag %q, which lint does not have", f.Name, name)
			continue
		}
		if f.Tag.Get("help") == "" {
			t.Errorf("lint.Config.%s: no help", f.Name)
		}
		if arg, _ := pflag.UnquoteUsage(fl); f.Tag.Get("arg") != "" && arg != f.Tag.Get("arg") {
			t.Errorf("--%s shows its value as %q, want %q", name, arg, f.Tag.Get("arg"))
		}
	}
	cmd.Flags().VisitAll(func(fl *pflag.Flag) {
		switch {
		case fields[fl.Name], fl.Name == "explain", fl.Name == "list-rules", fl.Name == "format":
		default:
			t.Errorf("lint flag --%s is not a lint.Config field", fl.Name)
		}
	})
}
