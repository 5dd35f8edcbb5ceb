package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"strings"
	"testing"
)

// FuzzPrinters prints a report whose strings are arbitrary (they come from
// untrusted specs and pages) in every format and checks each format's
// invariants: JSON and SARIF decode and keep the message, JUnit parses,
// github writes one command per finding, text without colour has no
// escape character, markdown keeps its table shape.
func FuzzPrinters(f *testing.F) {
	h := hostileFixture().Findings[0]
	f.Add(h.Message, h.Location.File, "https://x.test/a b", h.Location.Pointer, "rule-id", 3, 7)
	f.Add("", "", "", "", "", 0, 0)
	f.Add("a\x00b\xff\xfe", "C:\\dir\\a.yaml", "not a url", "/a~1b", "r|`x`", -1, -5)
	f.Add("]]></failure><![CDATA[", "../../etc/passwd", "javascript:alert(1)", "~", "--", 1<<30, 1)
	f.Fuzz(func(t *testing.T, msg, file, url, pointer, rule string, line, col int) {
		r := &Report{
			Tool:    Tool{Name: "agentready", Version: "0.1.0"},
			Command: "lint",
			Targets: []string{file},
			Rules:   []Rule{{ID: rule, Title: msg, Doc: msg, Severity: Warning, Category: msg, HelpURI: url}},
			Findings: []Finding{
				{RuleID: rule, Severity: Error, Message: msg, Location: Location{File: file, URL: url, Pointer: pointer, Line: line, Column: col}, Help: msg,
					Related: []RelatedLocation{{Location: Location{File: file, Line: line}, Message: msg}}},
				{RuleID: rule, Severity: Hint, Message: msg, Location: Location{URL: url, Line: col}},
			},
		}
		for _, format := range builtinFormats {
			var buf bytes.Buffer
			if err := Print(&buf, format, r, PrintOptions{BaseDir: "/repo"}); err != nil {
				t.Fatalf("%s: %v", format, err)
			}
			out := buf.Bytes()
			switch format {
			case "json":
				var doc struct {
					Findings []struct{ Message string } `json:"findings"`
				}
				if err := json.Unmarshal(out, &doc); err != nil {
					t.Fatalf("json: %v", err)
				}
				// encoding/json turns invalid UTF-8 into U+FFFD, byte by byte.
				var want string
				b, _ := json.Marshal(msg)
				_ = json.Unmarshal(b, &want)
				if len(doc.Findings) != 2 || doc.Findings[0].Message != want {
					t.Fatalf("json lost the message: %+v", doc.Findings)
				}
			case "sarif":
				if !json.Valid(out) {
					t.Fatalf("sarif is not JSON")
				}
			case "codeclimate":
				if err := checkCodeClimate(out, 2); err != nil {
					t.Fatalf("codeclimate: %v\n%s", err, out)
				}
			case "junit", "checkstyle":
				var v any
				if err := xml.Unmarshal(out, &v); err != nil {
					t.Fatalf("junit: %v\n%s", err, out)
				}
			case "github":
				if n := strings.Count(string(out), "\n"); n != 2 || !strings.HasPrefix(string(out), "::error ") {
					t.Fatalf("github: %d lines:\n%s", n, out)
				}
			case "text":
				if bytes.ContainsRune(out, '\x1b') {
					t.Fatalf("text without colour has an escape character:\n%q", out)
				}
			case "markdown":
				for _, l := range strings.Split(string(out), "\n") {
					if strings.HasPrefix(l, "| ") && strings.Count(strings.ReplaceAll(l, `\|`, ""), "|") != 5 && !strings.HasPrefix(l, "| Category") {
						t.Fatalf("markdown row with a stray cell: %q", l)
					}
				}
			}
		}
	})
}

// FuzzCheckBaseline: any bytes given as --baseline are accepted or refused
// with an error naming the file, never a panic.
func FuzzCheckBaseline(f *testing.F) {
	f.Add([]byte(`{"schemaVersion": "1.0", "tool": {"name": "agentready"}, "command": "lint"}`), "lint")
	f.Add([]byte(`{"$schema": "sarif", "version": "2.1.0"}`), "audit")
	f.Add([]byte("\x00\xff{"), "")
	f.Fuzz(func(t *testing.T, data []byte, command string) {
		if err := CheckBaseline("b.json", data, command); err != nil && !strings.HasPrefix(err.Error(), "--baseline b.json: ") {
			t.Fatalf("error without the file: %v", err)
		}
	})
}
