package report

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// sharedDir locates ../shared: $AGENTREADY_SHARED, else <repo root>/../shared.
// It skips the test when neither exists (a user's clone has no ../shared).
func sharedDir(t *testing.T) string {
	t.Helper()
	if d := os.Getenv("AGENTREADY_SHARED"); d != "" {
		return d
	}
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			shared := filepath.Join(dir, "..", "shared")
			if _, err := os.Stat(shared); err != nil {
				t.Skipf("no shared folder at %s (set AGENTREADY_SHARED)", shared)
			}
			return shared
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("no repository root above the test; set AGENTREADY_SHARED")
		}
		dir = parent
	}
}

func compileSchema(t *testing.T, name string, data []byte) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(name, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(name)
	if err != nil {
		t.Fatalf("compile %s: %v", name, err)
	}
	return sch
}

func validate(t *testing.T, sch *jsonschema.Schema, what string, out []byte) {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("%s: not JSON: %v", what, err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Errorf("%s does not validate:\n%v", what, err)
	}
}

// schemaFixtures adds edge cases to the golden fixtures: findings without
// a location at all, a URL with a region, a fix that cannot be placed, a
// related location with no file, an end before its start.
func schemaFixtures() map[string]func() *Report {
	m := map[string]func() *Report{}
	for _, fx := range fixtures {
		m[fx.name] = fx.rep
	}
	m["edge"] = func() *Report {
		return &Report{
			Tool: Tool{Name: "agentready", Version: "dev"},
			Findings: []Finding{
				{RuleID: "a", Message: "nowhere"},
				{RuleID: "b", Severity: Severity(9), Message: "out of range severity", Location: Location{URL: "https://x.test/p", Line: 2}},
				{RuleID: "c", Severity: Warning, Message: "described fix", Location: Location{File: "s.yaml"}, Fix: &Fix{Description: "do it"}},
				{RuleID: "c", Severity: Warning, Message: "backwards", Location: Location{File: "s.yaml", Line: 9, Column: 5, EndLine: 3, EndColumn: 1},
					Related: []RelatedLocation{{Location: Location{Line: 1}}, {Location: Location{}}}},
				{RuleID: "c", Severity: Warning, Message: "", Location: Location{File: "C:/x/s.yaml", Line: 1, Column: 4, EndLine: 1, EndColumn: 2}},
				{RuleID: "d", Severity: Error, Message: "control \x00\x1b", Location: Location{URL: "https://x.test/\x7f bad url"}},
			},
		}
	}
	return m
}

func TestSARIFValidatesAgainstSchema(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(sharedDir(t), "data", "sarif", "sarif-schema-2.1.0.json"))
	if err != nil {
		t.Skipf("SARIF schema: %v", err)
	}
	sch := compileSchema(t, "sarif-schema-2.1.0.json", data)
	for name, fx := range schemaFixtures() {
		for _, base := range []string{"", "/repo"} {
			out := printFixture(t, fx, "sarif", PrintOptions{BaseDir: base})
			validate(t, sch, name+" (base "+base+")", out)
		}
	}
}

func TestJSONValidatesAgainstSchema(t *testing.T) {
	sch := compileSchema(t, "report.schema.json", JSONSchema)
	for name, fx := range schemaFixtures() {
		validate(t, sch, name, printFixture(t, fx, "json", PrintOptions{}))
	}
}

// TestJSONSchemaFile checks that the embedded schema is the file in the
// repository that docs/json-report.md points to.
func TestJSONSchemaFile(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("schema", "report.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(data, JSONSchema) {
		t.Error("JSONSchema differs from schema/report.schema.json")
	}
	var s struct {
		Required []string `json:"required"`
	}
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatal(err)
	}
	// Every top-level key the printer writes is required by the schema, and
	// the other way round (durationMs is optional).
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(printFixture(t, emptyFixture, "json", PrintOptions{}), &doc); err != nil {
		t.Fatal(err)
	}
	for _, k := range s.Required {
		if _, ok := doc[k]; !ok {
			t.Errorf("schema requires %q; the printer does not write it", k)
		}
	}
	if len(doc) != len(s.Required) {
		t.Errorf("printer writes %d keys, schema requires %d", len(doc), len(s.Required))
	}
}

// sarifDoc is the part of a SARIF log the structural tests read.
type sarifDoc struct {
	Schema  string `json:"$schema"`
	Version string `json:"version"`
	Runs    []struct {
		Tool struct {
			Driver struct {
				Name  string `json:"name"`
				Rules []struct {
					ID               string `json:"id"`
					Name             string `json:"name"`
					ShortDescription struct {
						Text string `json:"text"`
					} `json:"shortDescription"`
					Help struct {
						Text     string `json:"text"`
						Markdown string `json:"markdown"`
					} `json:"help"`
					DefaultConfiguration struct {
						Level string `json:"level"`
					} `json:"defaultConfiguration"`
					Properties struct {
						Tags []string `json:"tags"`
					} `json:"properties"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		OriginalURIBaseIDs map[string]struct {
			URI string `json:"uri"`
		} `json:"originalUriBaseIds"`
		Results []struct {
			RuleID    string `json:"ruleId"`
			RuleIndex int    `json:"ruleIndex"`
			Level     string `json:"level"`
			Message   struct {
				Text string `json:"text"`
			} `json:"message"`
			Locations []struct {
				PhysicalLocation struct {
					ArtifactLocation struct {
						URI       string `json:"uri"`
						URIBaseID string `json:"uriBaseId"`
					} `json:"artifactLocation"`
					Region *struct {
						StartLine   int `json:"startLine"`
						StartColumn int `json:"startColumn"`
						EndLine     int `json:"endLine"`
						EndColumn   int `json:"endColumn"`
					} `json:"region"`
				} `json:"physicalLocation"`
			} `json:"locations"`
			RelatedLocations    []json.RawMessage `json:"relatedLocations"`
			PartialFingerprints map[string]string `json:"partialFingerprints"`
			Fixes               []json.RawMessage `json:"fixes"`
		} `json:"results"`
	} `json:"runs"`
}

func TestSARIFStructure(t *testing.T) {
	var doc sarifDoc
	out := printFixture(t, lintFixture, "sarif", PrintOptions{BaseDir: "/repo"})
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Version != "2.1.0" || !strings.Contains(doc.Schema, "sarif-schema-2.1.0.json") || len(doc.Runs) != 1 {
		t.Fatalf("header: version %q, $schema %q, %d runs", doc.Version, doc.Schema, len(doc.Runs))
	}
	run := doc.Runs[0]
	if run.Tool.Driver.Name != "agentready" {
		t.Errorf("driver name %q", run.Tool.Driver.Name)
	}
	if got := run.OriginalURIBaseIDs["%SRCROOT%"].URI; got != "file:///repo/" {
		t.Errorf("originalUriBaseIds %%SRCROOT%% = %q, want file:///repo/", got)
	}
	rules := run.Tool.Driver.Rules
	if len(rules) != len(lintRules) {
		t.Fatalf("%d rules, want %d", len(rules), len(lintRules))
	}
	for _, rl := range rules {
		if rl.ID == "" || rl.Name == "" || rl.ShortDescription.Text == "" || rl.Help.Text == "" || rl.DefaultConfiguration.Level == "" || len(rl.Properties.Tags) != 1 {
			t.Errorf("rule %+v lacks a field GitHub shows", rl)
		}
	}
	if rules[2].ID != "operation-id-required" || rules[2].Name != "OperationIdRequired" || rules[2].DefaultConfiguration.Level != "error" {
		t.Errorf("rule 2 = %+v", rules[2])
	}
	if len(run.Results) != 6 {
		t.Fatalf("%d results, want 6", len(run.Results))
	}
	levels := map[string]int{}
	fps := map[string]bool{}
	for _, res := range run.Results {
		levels[res.Level]++
		if rules[res.RuleIndex].ID != res.RuleID {
			t.Errorf("result %s has ruleIndex %d (%s)", res.RuleID, res.RuleIndex, rules[res.RuleIndex].ID)
		}
		if len(res.Locations) != 1 {
			t.Fatalf("result %s has %d locations", res.RuleID, len(res.Locations))
		}
		al := res.Locations[0].PhysicalLocation.ArtifactLocation
		if al.URIBaseID != "%SRCROOT%" || strings.HasPrefix(al.URI, "/") || !strings.HasPrefix(al.URI, "api/") {
			t.Errorf("result %s: uri %q base %q, want repo-relative under %%SRCROOT%%", res.RuleID, al.URI, al.URIBaseID)
		}
		if rg := res.Locations[0].PhysicalLocation.Region; rg == nil || rg.StartLine < 1 {
			t.Errorf("result %s has no region with a line", res.RuleID)
		}
		fp := res.PartialFingerprints["agentready/v1"]
		if fp == "" || fps[fp] {
			t.Errorf("result %s: fingerprint %q empty or repeated", res.RuleID, fp)
		}
		fps[fp] = true
	}
	if levels["error"] != 2 || levels["warning"] != 2 || levels["note"] != 2 {
		t.Errorf("levels %v, want 2 error, 2 warning, 2 note (info and hint)", levels)
	}
	// The line-less info finding sits on line 1; the error has its full region, a fix and a related location.
	var sawFix, sawRelated bool
	for _, res := range run.Results {
		rg := res.Locations[0].PhysicalLocation.Region
		switch res.Message.Text {
		case "the server URL has no version":
			if rg.StartLine != 1 || rg.StartColumn != 0 {
				t.Errorf("line-less finding region %+v, want line 1 only", *rg)
			}
		case "GET /pets has no operationId\nadd operationId: listPets":
			if rg.StartLine != 12 || rg.StartColumn != 5 || rg.EndLine != 12 || rg.EndColumn != 8 {
				t.Errorf("region %+v", *rg)
			}
			sawFix = len(res.Fixes) == 1
		case "operationId \"getPet\" is used twice":
			sawRelated = len(res.RelatedLocations) == 1
		}
	}
	if !sawFix || !sawRelated {
		t.Errorf("fix present %v, related location present %v", sawFix, sawRelated)
	}
}

func TestSARIFURLFindings(t *testing.T) {
	out := printFixture(t, auditFixture, "sarif", PrintOptions{})
	var doc sarifDoc
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	run := doc.Runs[0]
	if run.OriginalURIBaseIDs != nil {
		t.Errorf("originalUriBaseIds without a BaseDir: %v", run.OriginalURIBaseIDs)
	}
	// site-reachable is not among the report's rules; it still gets one.
	ids := map[string]bool{}
	for _, rl := range run.Tool.Driver.Rules {
		ids[rl.ID] = true
	}
	if !ids["site-reachable"] {
		t.Error("a finding's undescribed rule is missing from tool.driver.rules")
	}
	want := map[string]string{
		"robots-allows-ai": "example.com/robots.txt", "llms-txt": "example.com/llms.txt",
		"html-lang": "example.com/docs", "site-reachable": "example.com", // the report's target
	}
	for _, res := range run.Results {
		al := res.Locations[0].PhysicalLocation.ArtifactLocation
		if w, ok := want[res.RuleID]; ok && al.URI != w {
			t.Errorf("%s: artifact uri %q, want %q", res.RuleID, al.URI, w)
		}
	}
	if !strings.Contains(string(out), `"fullyQualifiedName": "https://example.com/robots.txt"`) {
		t.Error("the absolute URL is not kept as a logical location")
	}
}

// TestSARIFGitHubIngestion checks the rules GitHub code scanning applies
// on upload beyond the schema; one result that breaks them fails the whole
// upload: every result has a location; every location, related ones
// included, has a physical artifact URI that is relative or file:.
func TestSARIFGitHubIngestion(t *testing.T) {
	for name, fx := range schemaFixtures() {
		var doc struct {
			Runs []struct {
				Results []struct {
					RuleID    string `json:"ruleId"`
					Locations []struct {
						PhysicalLocation *struct {
							ArtifactLocation struct {
								URI string `json:"uri"`
							} `json:"artifactLocation"`
						} `json:"physicalLocation"`
					} `json:"locations"`
					RelatedLocations []struct {
						PhysicalLocation *struct {
							ArtifactLocation struct {
								URI string `json:"uri"`
							} `json:"artifactLocation"`
						} `json:"physicalLocation"`
					} `json:"relatedLocations"`
				} `json:"results"`
			} `json:"runs"`
		}
		out := printFixture(t, fx, "sarif", PrintOptions{BaseDir: "/repo"})
		if err := json.Unmarshal(out, &doc); err != nil {
			t.Fatal(err)
		}
		if len(doc.Runs) != 1 {
			t.Fatalf("%s: %d runs", name, len(doc.Runs))
		}
		check := func(rule, uri string) {
			if uri == "" {
				t.Errorf("%s/%s: empty artifact uri", name, rule)
			}
			if scheme, _, ok := strings.Cut(uri, ":"); ok && !strings.Contains(scheme, "/") && scheme != "file" && !strings.HasPrefix(uri, "./") {
				t.Errorf("%s/%s: artifact uri %q has scheme %q; GitHub accepts file: only", name, rule, uri, scheme)
			}
		}
		for _, res := range doc.Runs[0].Results {
			if name == "edge" && res.RuleID == "a" {
				continue // no location and no target: nothing to point at
			}
			if len(res.Locations) == 0 {
				t.Errorf("%s/%s: no location", name, res.RuleID)
			}
			for _, l := range res.Locations {
				if l.PhysicalLocation == nil {
					t.Errorf("%s/%s: a location without physicalLocation", name, res.RuleID)
					continue
				}
				check(res.RuleID, l.PhysicalLocation.ArtifactLocation.URI)
			}
			for _, l := range res.RelatedLocations {
				if l.PhysicalLocation == nil {
					t.Errorf("%s/%s: a related location without physicalLocation", name, res.RuleID)
					continue
				}
				check(res.RuleID, l.PhysicalLocation.ArtifactLocation.URI)
			}
		}
	}
}

func TestSARIFPaths(t *testing.T) {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	repoRoot := filepath.Dir(wd)
	for _, tc := range []struct {
		base, file, uri, baseID string
	}{
		{"", "api/openapi.yaml", "api/openapi.yaml", "%SRCROOT%"},
		{"", "./api/openapi.yaml", "api/openapi.yaml", "%SRCROOT%"},
		{"/repo", "/repo/my spec#1.yaml", "my%20spec%231.yaml", "%SRCROOT%"},
		{"/repo", "/elsewhere/x.yaml", "file:///elsewhere/x.yaml", ""},
		{"/repo", "/repo/../x.yaml", "file:///repo/../x.yaml", ""},
		{"", "a:b.yaml", "./a:b.yaml", "%SRCROOT%"},
		// Relative paths are relative to the working directory (report/),
		// which is below the repository root.
		{repoRoot, "x.yaml", "report/x.yaml", "%SRCROOT%"},
		{repoRoot, "../go.mod", "go.mod", "%SRCROOT%"},
	} {
		loc, ok := sarifLocationOf(Location{File: tc.file}, newPaths(tc.base), true)
		if !ok {
			t.Fatalf("%q: no location", tc.file)
		}
		al := loc.PhysicalLocation.ArtifactLocation
		if al.URI != tc.uri || al.URIBaseID != tc.baseID {
			t.Errorf("base %q file %q: uri %q base %q, want %q %q", tc.base, tc.file, al.URI, al.URIBaseID, tc.uri, tc.baseID)
		}
	}
}

// TestSchemasReject shows that the validation above can fail: documents
// that break each schema are rejected.
func TestSchemasReject(t *testing.T) {
	reject := func(sch *jsonschema.Schema, what, doc string) {
		t.Helper()
		inst, err := jsonschema.UnmarshalJSON(strings.NewReader(doc))
		if err != nil {
			t.Fatal(err)
		}
		if sch.Validate(inst) == nil {
			t.Errorf("%s: an invalid document validates", what)
		}
	}
	js := compileSchema(t, "report.schema.json", JSONSchema)
	good := string(printFixture(t, lintFixture, "json", PrintOptions{}))
	reject(js, "json severity", strings.Replace(good, `"severity": "error"`, `"severity": "fatal"`, 1))
	reject(js, "json missing key", strings.Replace(good, `"stats"`, `"statz"`, 1))

	data, err := os.ReadFile(filepath.Join(sharedDir(t), "data", "sarif", "sarif-schema-2.1.0.json"))
	if err != nil {
		t.Skipf("SARIF schema: %v", err)
	}
	ss := compileSchema(t, "sarif-schema-2.1.0.json", data)
	sarif := string(printFixture(t, lintFixture, "sarif", PrintOptions{BaseDir: "/repo"}))
	reject(ss, "sarif level hint", strings.Replace(sarif, `"level": "note"`, `"level": "hint"`, 1))
	reject(ss, "sarif line 0", strings.Replace(sarif, `"startLine": 12`, `"startLine": 0`, 1))
}

// TestJSONDocExample validates the example in docs/json-report.md, so the
// documentation cannot drift from the schema.
func TestJSONDocExample(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "docs", "json-report.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(doc), "```json\n")
	example, _, ok2 := strings.Cut(rest, "```")
	if !ok || !ok2 {
		t.Fatal("docs/json-report.md has no ```json example")
	}
	validate(t, compileSchema(t, "report.schema.json", JSONSchema), "docs/json-report.md example", []byte(example))
	if !strings.Contains(example, `"schemaVersion": "`+SchemaVersion+`"`) {
		t.Errorf("the example's schemaVersion is not %s", SchemaVersion)
	}
}
