package report

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

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

// golden compares got with testdata/name.golden, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./report -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		i := 0
		for i < len(gl) && i < len(wl) && gl[i] == wl[i] {
			i++
		}
		line := func(ls []string) string {
			if i < len(ls) {
				return fmt.Sprintf("%q", ls[i])
			}
			return "end of output"
		}
		t.Errorf("%s differs from the output (go test ./report -update rewrites it); first at line %d:\n got %s\nwant %s", path, i+1, line(gl), line(wl))
	}
}

var builtinFormats = []string{"github", "json", "junit", "markdown", "sarif", "text"}

func TestGolden(t *testing.T) {
	for _, fx := range fixtures {
		for _, format := range builtinFormats {
			t.Run(fx.name+"/"+format, func(t *testing.T) {
				got := printFixture(t, fx.rep, format, fx.opts)
				golden(t, fx.name+"."+format, got)
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
			golden(t, fx.name+".text-verbose", printFixture(t, fx.rep, "text", o))
			o.Color = true
			golden(t, fx.name+".text-color", printFixture(t, fx.rep, "text", o))
			o = fx.opts
			o.Width = 60
			golden(t, fx.name+".text-width60", printFixture(t, fx.rep, "text", o))
			o = fx.opts
			o.Quiet = true
			golden(t, fx.name+".text-quiet", printFixture(t, fx.rep, "text", o))
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
