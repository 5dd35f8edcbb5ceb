package report

import (
	"strings"
	"testing"
)

// unescapeData undoes escapeData/escapeProperty the way the Actions runner
// does (ActionCommand.UnescapeValue).
func unescapeData(s string) string {
	return strings.NewReplacer("%0D", "\r", "%0A", "\n", "%3A", ":", "%2C", ",", "%25", "%").Replace(s)
}

func TestGitHubEscaping(t *testing.T) {
	for _, s := range []string{"", "plain", "100%", "%0A", "a\r\nb", "k:v,w", "%25%3A", "::error::x"} {
		if got := unescapeData(escapeProperty(s)); got != s {
			t.Errorf("escapeProperty(%q) round-trips to %q", s, got)
		}
		if strings.ContainsAny(escapeProperty(s), ":,\r\n") {
			t.Errorf("escapeProperty(%q) = %q keeps a separator", s, escapeProperty(s))
		}
		if strings.ContainsAny(escapeData(s), "\r\n") {
			t.Errorf("escapeData(%q) = %q keeps a line break", s, escapeData(s))
		}
	}
}

// TestGitHubOneCommandPerFinding checks that hostile messages cannot start
// a second workflow command: every output line is one annotation.
func TestGitHubOneCommandPerFinding(t *testing.T) {
	r := hostileFixture()
	out := string(printFixture(t, hostileFixture, "github", PrintOptions{BaseDir: "/repo"}))
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != len(r.Findings) {
		t.Fatalf("%d lines for %d findings:\n%s", len(lines), len(r.Findings), out)
	}
	if !strings.HasPrefix(lines[0], "::error file=specs/we%2Cird%3A name%25.yaml,line=3,col=7,title=description-present::") {
		t.Errorf("first annotation: %s", lines[0])
	}
	if !strings.HasPrefix(lines[1], "::warning title=") || !strings.Contains(lines[1], "::https://example.com/a b?<x>&y=1: plain") {
		t.Errorf("URL annotation: %s", lines[1])
	}
	if strings.ContainsRune(out, '\x1b') {
		t.Error("an escape character reached the log")
	}
}

// TestGitHubFetchedSpec: a spec read from a URL is no file of the
// repository: the URL goes into the message, not into file=.
func TestGitHubFetchedSpec(t *testing.T) {
	r := &Report{Findings: []Finding{{RuleID: "r", Severity: Warning, Message: "m", Location: Location{File: "http://127.0.0.1:8080/petstore.yaml", Pointer: "/info", Line: 3, Column: 1}}}}
	var b strings.Builder
	if err := Print(&b, "github", r, PrintOptions{}); err != nil {
		t.Fatal(err)
	}
	want := "::warning title=r::http://127.0.0.1:8080/petstore.yaml:3:1: m\n"
	if b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}
