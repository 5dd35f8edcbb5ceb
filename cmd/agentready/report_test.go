package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReportMergeExitCodes(t *testing.T) {
	fx := func(n string) string { return filepath.Join("..", "..", "audit", "merge", "testdata", n) }
	bad := filepath.Join(t.TempDir(), "bad.jsonl")
	os.WriteFile(bad, []byte(`{"command":"lint"}`+"\n"), 0o644)
	html := filepath.Join(t.TempDir(), "index.html")
	for _, tc := range []struct {
		args   []string
		code   int
		stdout string
	}{
		{[]string{fx("shard-0.jsonl"), fx("shard-1.jsonl"), fx("shard-2.jsonl"), "-f", "html=" + html, "-f", "markdown"}, 0, "**6 sites** from 3 files"},
		{[]string{fx("shard-0.jsonl"), fx("shard-1-cut.jsonl"), "-f", "json"}, 1, `"merge-shard-missing"`},
		{[]string{fx("shard-0.jsonl"), fx("shard-1-cut.jsonl"), "--fail-on", "none"}, 0, "shard 2/3 is missing"},
		{[]string{bad}, 2, ""},
		{[]string{filepath.Join(t.TempDir(), "absent.jsonl")}, 2, ""},
		{nil, 2, ""},
	} {
		var out, errb bytes.Buffer
		code := run(append([]string{"report", "merge", "--no-config"}, tc.args...), strings.NewReader(""), &out, &errb)
		if code != tc.code || !strings.Contains(out.String(), tc.stdout) {
			t.Errorf("%q: exit %d, want %d; stdout lacks %q?\n%s\n%s", tc.args, code, tc.code, tc.stdout, out.String(), errb.String())
		}
	}
	if b, err := os.ReadFile(html); err != nil || !bytes.Contains(b, []byte("<svg")) {
		t.Errorf("html report: %v", err)
	}
}
