package generate

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/agentready/agentready/internal/options"

	_ "github.com/agentready/agentready/internal/golden" // defines -update, which go test ./... -update hands every package
)

const petstore = "../testdata/specs/petstore.yaml"

// TestRunWithoutCLI drives each target through its Run call, as the CLI
// does but without it: settings are refused as options.Invalid, the
// outputs are written, and the report is processed.
func TestRunWithoutCLI(t *testing.T) {
	ctx := context.Background()
	if _, err := RunTools(ctx, petstore, ToolsConfig{For: "cobol", SpecConfig: DefaultSpecConfig()}); !errors.As(err, new(*options.Invalid)) {
		t.Errorf("--for cobol: %v, want *options.Invalid", err)
	}
	res, err := RunTools(ctx, petstore, ToolsConfig{For: "openai", SpecConfig: DefaultSpecConfig()})
	if err != nil {
		t.Fatal(err)
	}
	var tools []map[string]any
	if err := json.Unmarshal(res.JSON, &tools); err != nil || len(tools) == 0 || res.Tools != len(tools) {
		t.Errorf("tools: %d (%v), counted %d", len(tools), err, res.Tools)
	}
	if res.Report.Command != "generate tools" || len(res.Report.Stats) == 0 {
		t.Errorf("report %+v", res.Report)
	}

	out := filepath.Join(t.TempDir(), "client")
	if _, err := RunGo(ctx, petstore, GoConfig{SpecConfig: DefaultSpecConfig()}); !errors.As(err, new(*options.Invalid)) {
		t.Errorf("no -o: %v, want *options.Invalid", err)
	}
	rep, err := RunGo(ctx, petstore, GoConfig{Out: out, SpecConfig: DefaultSpecConfig()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(out, "client.go")); err != nil || rep.Command != "generate go" {
		t.Errorf("client.go: %v; report %q", err, rep.Command)
	}
}
