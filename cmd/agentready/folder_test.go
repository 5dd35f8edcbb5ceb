package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestAuditFolderIdentity: a folder is served at one origin,
// http://NAME.localhost, every run, so two audits of it give the same
// findings with the same URLs and fingerprints, those that only a URL
// locates (a link to a missing page) too.
func TestAuditFolderIdentity(t *testing.T) {
	site := filepath.Join(t.TempDir(), "public")
	os.MkdirAll(filepath.Join(site, "docs"), 0o755)
	os.WriteFile(filepath.Join(site, "index.html"), []byte(`<!doctype html><title>Home</title><a href="/docs/">docs</a> <a href="/gone.html">gone</a>`), 0o644)
	os.WriteFile(filepath.Join(site, "docs", "index.html"), []byte(`<!doctype html><title>Docs</title><p>text</p>`), 0o644)
	audit := func() (string, []string) {
		var out, errb bytes.Buffer
		if code := run([]string{"audit", "--no-config", "-f", "json", site}, strings.NewReader(""), &out, &errb); code > 1 {
			t.Fatalf("exit %d\n%s", code, errb.String())
		}
		if strings.Contains(out.String(), "127.0.0.1") {
			t.Error("the report names a loopback address")
		}
		var doc struct {
			Findings []struct {
				RuleID      string `json:"ruleId"`
				Fingerprint string `json:"fingerprint"`
				Location    struct {
					File string `json:"file"`
					URL  string `json:"url"`
				} `json:"location"`
			} `json:"findings"`
		}
		if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		var origin string
		var fps []string
		for _, f := range doc.Findings {
			fps = append(fps, f.RuleID+" "+f.Location.File+" "+f.Location.URL+" "+f.Fingerprint)
			if strings.HasSuffix(f.Location.URL, "/gone.html") && f.Location.File == "" {
				origin = strings.TrimSuffix(f.Location.URL, "/gone.html")
			}
		}
		slices.Sort(fps)
		return origin, fps
	}
	o1, first := audit()
	if o1 != "http://public.localhost" {
		t.Errorf("the missing page's finding is at origin %q, want http://public.localhost", o1)
	}
	_, second := audit()
	if a, b := strings.Join(first, "\n"), strings.Join(second, "\n"); a != b {
		t.Errorf("two audits of one folder differ:\n%s\n--\n%s", a, b)
	}
}
