package report

import (
	"os"
	"path/filepath"
	"testing"
)

// TestOpenJSONLinesCreatesDirectories: a shard's -f json=out/shard-3.jsonl
// on a fresh volume gets its directory, as a whole report's file does.
func TestOpenJSONLinesCreatesDirectories(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out", "deeper", "shard-3.jsonl")
	l, err := OpenJSONLines([]Output{{Format: "json", Path: path}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	l.Add(0, &Report{Command: "audit"})
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(path); err != nil || len(b) == 0 {
		t.Errorf("%s: %v, %d bytes", path, err, len(b))
	}
}
