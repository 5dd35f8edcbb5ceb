package merge

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/agentready/agentready/report"
)

// FuzzRead: any bytes merge into a report or fail with an error that names
// the input; never a panic or a hang.
func FuzzRead(f *testing.F) {
	for _, name := range []string{"shard-0.jsonl", "shard-1-cut.jsonl", "public.json", "other-list.jsonl"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("{\n"))
	f.Add([]byte(`{"command":"audit","extra":{"shard":{"index":5,"count":2,"site":-1,"sites":-3,"total":-1}}}` + "\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		rep, err := Read([]string{"in"}, []io.Reader{strings.NewReader(string(b))})
		if err != nil {
			if !strings.HasPrefix(err.Error(), "in") {
				t.Errorf("error does not name the input: %v", err)
			}
			return
		}
		for _, format := range Printers().Names() {
			if err := Printers().Print(io.Discard, format, rep, reportOptions()); err != nil {
				t.Errorf("%s: %v", format, err)
			}
		}
	})
}

func reportOptions() report.PrintOptions { return report.PrintOptions{} }
