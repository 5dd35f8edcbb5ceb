package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCommandCodeIsSmall: cmd/agentready only wires flags to the
// libraries; what does the work lives in them.
func TestCommandCodeIsSmall(t *testing.T) {
	const limit = 1500
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		total += bytes.Count(b, []byte("\n"))
	}
	if total >= limit {
		t.Errorf("cmd/agentready has %d lines of non-test code, the limit is %d: move logic into a library", total, limit)
	}
}
