package report

import (
	"encoding/xml"
	"strings"
	"testing"
)

// junitParsed is what a CI dashboard reads from JUnit XML.
type junitParsed struct {
	XMLName  xml.Name `xml:"testsuites"`
	Tests    int      `xml:"tests,attr"`
	Failures int      `xml:"failures,attr"`
	Suites   []struct {
		Name     string `xml:"name,attr"`
		Tests    int    `xml:"tests,attr"`
		Failures int    `xml:"failures,attr"`
		Cases    []struct {
			Name    string `xml:"name,attr"`
			File    string `xml:"file,attr"`
			Failure *struct {
				Message string `xml:"message,attr"`
				Type    string `xml:"type,attr"`
				Text    string `xml:",chardata"`
			} `xml:"failure"`
			SystemOut string `xml:"system-out"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

func parseJUnit(t *testing.T, out []byte) junitParsed {
	t.Helper()
	var doc junitParsed
	if err := xml.Unmarshal(out, &doc); err != nil {
		t.Fatalf("JUnit output does not parse: %v\n%s", err, out)
	}
	return doc
}

func TestJUnitParsesAndCounts(t *testing.T) {
	for _, fx := range fixtures {
		t.Run(fx.name, func(t *testing.T) {
			doc := parseJUnit(t, printFixture(t, fx.rep, "junit", fx.opts))
			tests, failures := 0, 0
			for _, s := range doc.Suites {
				f := 0
				for _, c := range s.Cases {
					if c.Failure != nil {
						f++
					}
				}
				if s.Tests != len(s.Cases) || s.Failures != f {
					t.Errorf("suite %s: tests=%d failures=%d, has %d cases, %d failing", s.Name, s.Tests, s.Failures, len(s.Cases), f)
				}
				tests += s.Tests
				failures += s.Failures
			}
			if doc.Tests != tests || doc.Failures != failures {
				t.Errorf("testsuites: tests=%d failures=%d, suites add up to %d and %d", doc.Tests, doc.Failures, tests, failures)
			}
		})
	}
}

func TestJUnitLint(t *testing.T) {
	doc := parseJUnit(t, printFixture(t, lintFixture, "junit", PrintOptions{BaseDir: "/repo"}))
	if len(doc.Suites) != 2 || doc.Suites[0].Name != "api/admin.yaml" || doc.Suites[1].Name != "api/openapi.yaml" {
		t.Fatalf("suites: %+v", doc.Suites)
	}
	// One case per rule in every suite.
	for _, s := range doc.Suites {
		if len(s.Cases) != len(lintRules) {
			t.Errorf("suite %s has %d cases, want %d", s.Name, len(s.Cases), len(lintRules))
		}
	}
	s := doc.Suites[1]
	if s.Failures != 2 {
		t.Errorf("openapi.yaml: %d failures, want 2 (operation-id-required, description-present)", s.Failures)
	}
	for _, c := range s.Cases {
		switch c.Name {
		case "operation-id-required":
			if c.Failure == nil || c.Failure.Type != "error" || !strings.Contains(c.Failure.Message, "(and 1 more)") ||
				!strings.Contains(c.Failure.Text, "12:5 error: GET /pets has no operationId") || !strings.Contains(c.Failure.Text, "40:20") {
				t.Errorf("operation-id-required case: %+v", c.Failure)
			}
		case "version-in-path", "enum-described":
			if c.Failure != nil || c.SystemOut == "" {
				t.Errorf("%s: info and hint findings must pass with system-out, got failure %+v out %q", c.Name, c.Failure, c.SystemOut)
			}
		}
		if c.File != "api/openapi.yaml" {
			t.Errorf("case %s file %q", c.Name, c.File)
		}
	}
}

func TestJUnitCategorySuites(t *testing.T) {
	doc := parseJUnit(t, printFixture(t, auditFixture, "junit", PrintOptions{}))
	last := doc.Suites[len(doc.Suites)-1]
	if last.Name != "category: general" || len(last.Cases) != 1 || last.Cases[0].Name != "site-reachable" {
		t.Errorf("location-less findings: suite %+v", last)
	}
	// The site's pages are one suite, the report target's: one case per
	// check, whose failure lists the pages.
	if len(doc.Suites) != 2 || doc.Suites[0].Name != "https://example.com/" || doc.Suites[0].Failures != 3 {
		t.Fatalf("the site's findings are not in the target's suite: %+v", doc.Suites)
	}
	for _, c := range doc.Suites[0].Cases {
		switch c.Name {
		case "robots-allows-ai":
			if c.Failure == nil || !strings.Contains(c.Failure.Text, "https://example.com/robots.txt:3:1 error: robots.txt disallows GPTBot") {
				t.Errorf("robots-allows-ai: %+v", c.Failure)
			}
		case "html-lang":
			if c.Failure != nil || !strings.Contains(c.SystemOut, "https://example.com/docs: info: <html> has no lang") {
				t.Errorf("html-lang: failure %+v out %q", c.Failure, c.SystemOut)
			}
		}
	}
}

// A folder audit's findings are in the folder's files: one suite for the
// folder, each case pointing at its first failing file; a file outside
// every target, and a URL on no target's origin, get suites of their own.
func TestJUnitFolderSuite(t *testing.T) {
	rep := &Report{Command: "audit", Targets: []string{"/repo/public"},
		Rules: []Rule{{ID: "title", Severity: Warning}, {ID: "alt", Severity: Warning}},
		Findings: []Finding{
			{RuleID: "title", Severity: Warning, Message: "no title", Location: Location{File: "/repo/public/docs/a.html"}},
			{RuleID: "title", Severity: Warning, Message: "no title", Location: Location{File: "/repo/public/b.html", Line: 4}},
			{RuleID: "alt", Severity: Warning, Message: "img has no alt", Location: Location{File: "/repo/publication.html"}},
			{RuleID: "alt", Severity: Warning, Message: "img has no alt", Location: Location{URL: "https://cdn.example.com/x/y.html"}},
		}}
	doc := parseJUnit(t, printFixture(t, func() *Report { return rep }, "junit", PrintOptions{BaseDir: "/repo"}))
	var names []string
	for _, s := range doc.Suites {
		names = append(names, s.Name)
	}
	if strings.Join(names, " ") != "https://cdn.example.com public publication.html" {
		t.Fatalf("suites %q", names)
	}
	public := doc.Suites[1]
	if public.Tests != 2 || public.Failures != 1 {
		t.Fatalf("public: %+v", public)
	}
	for _, c := range public.Cases {
		if c.Name != "title" {
			continue
		}
		if c.File != "public/b.html" || c.Failure == nil || !strings.Contains(c.Failure.Message, "(and 1 more)") ||
			!strings.Contains(c.Failure.Text, "public/docs/a.html: warning: no title") || !strings.Contains(c.Failure.Text, "public/b.html:4 warning: no title") {
			t.Errorf("title case: file %q failure %+v", c.File, c.Failure)
		}
	}
}

func TestJUnitHostile(t *testing.T) {
	out := printFixture(t, hostileFixture, "junit", PrintOptions{BaseDir: "/repo"})
	doc := parseJUnit(t, out)
	if strings.Contains(string(out), "]]></failure>") && !strings.Contains(string(out), "]]&gt;&lt;/failure&gt;") {
		t.Error("a message closed the failure element")
	}
	if doc.Failures != 2 {
		t.Errorf("%d failures, want 2", doc.Failures)
	}
}

// A site whose start page moved to https or www. keeps its findings in the
// target's suite.
func TestJUnitMovedSite(t *testing.T) {
	rep := &Report{Command: "audit", Targets: []string{"http://example.com"},
		Rules: []Rule{{ID: "title", Severity: Warning}},
		Findings: []Finding{
			{RuleID: "title", Severity: Warning, Message: "no title", Location: Location{URL: "https://www.example.com/a"}},
			{RuleID: "title", Severity: Warning, Message: "no title", Location: Location{URL: "https://example.org/b"}},
		}}
	doc := parseJUnit(t, printFixture(t, func() *Report { return rep }, "junit", PrintOptions{}))
	if len(doc.Suites) != 2 || doc.Suites[0].Name != "http://example.com" || doc.Suites[0].Failures != 1 || doc.Suites[1].Name != "https://example.org" {
		t.Errorf("suites: %+v", doc.Suites)
	}
}

// Two sections of one site are two suites; a loopback port is part of the
// site.
func TestJUnitSectionsAndPorts(t *testing.T) {
	rep := &Report{Command: "audit", Targets: []string{"https://example.com/docs/", "https://example.com/blog/", "http://127.0.0.1:8081/"},
		Rules: []Rule{{ID: "title", Severity: Warning}},
		Findings: []Finding{
			{RuleID: "title", Severity: Warning, Message: "no title", Location: Location{URL: "https://example.com/blog/post"}},
			{RuleID: "title", Severity: Warning, Message: "no title", Location: Location{URL: "http://127.0.0.1:9999/x"}},
		}}
	doc := parseJUnit(t, printFixture(t, func() *Report { return rep }, "junit", PrintOptions{}))
	failures := map[string]int{}
	for _, s := range doc.Suites {
		failures[s.Name] = s.Failures
	}
	want := map[string]int{"https://example.com/blog/": 1, "https://example.com/docs/": 0, "http://127.0.0.1:8081/": 0, "http://127.0.0.1:9999": 1}
	for name, n := range want {
		if got, ok := failures[name]; !ok || got != n {
			t.Errorf("suite %s: %d failures (present %v), want %d; all: %v", name, got, ok, n, failures)
		}
	}
}
