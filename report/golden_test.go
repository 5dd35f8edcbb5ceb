package report

import (
	"bytes"
	"testing"

	"github.com/agentready/agentready/internal/golden"
)

// printFixture runs a fixture through Process and one printer.
func printFixture(t *testing.T, fx func() *Report, format string, o PrintOptions) []byte {
	t.Helper()
	r := fx()
	if err := Process(r, Policy{}); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := Print(&buf, format, r, o); err != nil {
		t.Fatalf("%s: %v", format, err)
	}
	return buf.Bytes()
}

var builtinFormats = []string{"checkstyle", "codeclimate", "github", "json", "junit", "markdown", "sarif", "text"}

func TestGolden(t *testing.T) {
	for _, fx := range fixtures {
		for _, format := range builtinFormats {
			t.Run(fx.name+"/"+format, func(t *testing.T) {
				got := printFixture(t, fx.rep, format, fx.opts)
				golden.Check(t, fx.name+"."+format, got)
				// Printing twice gives the same bytes.
				if again := printFixture(t, fx.rep, format, fx.opts); !bytes.Equal(got, again) {
					t.Errorf("%s output is not deterministic", format)
				}
			})
		}
	}
}

func TestGoldenTextVariants(t *testing.T) {
	for _, fx := range fixtures {
		t.Run(fx.name, func(t *testing.T) {
			o := fx.opts
			o.Verbose = true
			golden.Check(t, fx.name+".text-verbose", printFixture(t, fx.rep, "text", o))
			o.Color = true
			golden.Check(t, fx.name+".text-color", printFixture(t, fx.rep, "text", o))
			o = fx.opts
			o.Width = 60
			golden.Check(t, fx.name+".text-width60", printFixture(t, fx.rep, "text", o))
			o = fx.opts
			o.Quiet = true
			golden.Check(t, fx.name+".text-quiet", printFixture(t, fx.rep, "text", o))
		})
	}
}

func TestBuiltinFormatsRegistered(t *testing.T) {
	have := map[string]bool{}
	for _, f := range Standard().Names() {
		have[f] = true
	}
	for _, f := range builtinFormats {
		if !have[f] {
			t.Errorf("format %q is not registered", f)
		}
	}
	if err := Print(&bytes.Buffer{}, "nope", lintFixture(), PrintOptions{}); err == nil {
		t.Error("Print with an unknown format: no error")
	}
}
