package report

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestSARIFFetchedSpec: lint names a spec read from a URL by its URL, in
// Location.File. SARIF writes it as it writes an audited page (host and
// path as a relative reference, no %SRCROOT%, the URL in a logical location
// and in the message), not as a repo path "./http:/host/...", and keeps its
// lines.
func TestSARIFFetchedSpec(t *testing.T) {
	const spec = "http://127.0.0.1:8080/api/openapi.yaml"
	fx := func() *Report {
		return &Report{
			Command: "lint",
			Targets: []string{spec},
			Findings: []Finding{
				{RuleID: "info-contact", Severity: Warning, Message: "no contact", Location: Location{File: spec, Line: 2, Column: 3, Pointer: "/info"},
					Related: []RelatedLocation{{Location: Location{Line: 9}, Message: "here too"}},
					Fix:     &Fix{Description: "add one", Edits: []Edit{{Location: Location{Line: 2, Column: 3}, NewText: "contact: {}"}}}},
				{RuleID: "spec-valid", Severity: Error, Message: "whole document", Location: Location{File: "https://example.com/o.json"}},
				{RuleID: "no-target", Severity: Info, Message: "placed on the target"},
			},
		}
	}
	type artifact struct {
		URI       string `json:"uri"`
		URIBaseID string `json:"uriBaseId"`
	}
	type location struct {
		PhysicalLocation struct {
			ArtifactLocation artifact `json:"artifactLocation"`
			Region           *struct {
				StartLine int `json:"startLine"`
			} `json:"region"`
		} `json:"physicalLocation"`
		LogicalLocations []struct {
			FullyQualifiedName string `json:"fullyQualifiedName"`
			Kind               string `json:"kind"`
		} `json:"logicalLocations"`
	}
	for _, base := range []string{"", "/repo"} {
		out := printFixture(t, fx, "sarif", PrintOptions{BaseDir: base})
		var doc struct {
			Runs []struct {
				Results []struct {
					RuleID  string `json:"ruleId"`
					Message struct {
						Text string `json:"text"`
					} `json:"message"`
					Locations        []location `json:"locations"`
					RelatedLocations []location `json:"relatedLocations"`
					Fixes            []struct {
						ArtifactChanges []struct {
							ArtifactLocation artifact `json:"artifactLocation"`
						} `json:"artifactChanges"`
					} `json:"fixes"`
				} `json:"results"`
			} `json:"runs"`
		}
		if err := json.Unmarshal(out, &doc); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(out), "http:/127") || strings.Contains(string(out), "%SRCROOT%/") {
			t.Errorf("base %q: a URL written as a path:\n%s", base, out)
		}
		want := map[string]struct {
			uri, url string
			line     int
		}{
			"info-contact": {"./127.0.0.1:8080/api/openapi.yaml", spec, 2},
			"spec-valid":   {"example.com/o.json", "https://example.com/o.json", 1},
			// The report's target, as the audit places a site's finding:
			// no region, and the URL only in the logical location.
			"no-target": {"./127.0.0.1:8080/api/openapi.yaml", spec, 0},
		}
		if len(doc.Runs) != 1 || len(doc.Runs[0].Results) != len(want) {
			t.Fatalf("base %q: want one run with %d results:\n%s", base, len(want), out)
		}
		for _, res := range doc.Runs[0].Results {
			w := want[res.RuleID]
			if len(res.Locations) != 1 {
				t.Errorf("base %q, %s: %d locations", base, res.RuleID, len(res.Locations))
				continue
			}
			l := res.Locations[0]
			al := l.PhysicalLocation.ArtifactLocation
			if al.URI != w.uri || al.URIBaseID != "" {
				t.Errorf("base %q, %s: artifact %+v, want uri %q without a uriBaseId", base, res.RuleID, al, w.uri)
			}
			if rg := l.PhysicalLocation.Region; (w.line == 0) != (rg == nil) || rg != nil && rg.StartLine != w.line {
				t.Errorf("base %q, %s: region %+v, want line %d", base, res.RuleID, rg, w.line)
			}
			if len(l.LogicalLocations) == 0 || l.LogicalLocations[0].FullyQualifiedName != w.url || l.LogicalLocations[0].Kind != "resource" {
				t.Errorf("base %q, %s: logical locations %+v, want the URL %q first", base, res.RuleID, l.LogicalLocations, w.url)
			}
			if w.line != 0 && !strings.Contains(res.Message.Text, "("+w.url+")") {
				t.Errorf("base %q, %s: message %q does not name the URL", base, res.RuleID, res.Message.Text)
			}
			if res.RuleID != "info-contact" {
				continue
			}
			if len(res.RelatedLocations) != 1 || res.RelatedLocations[0].PhysicalLocation.ArtifactLocation != (artifact{URI: w.uri}) {
				t.Errorf("base %q: related locations %+v, want one in %q", base, res.RelatedLocations, w.uri)
			}
			if len(res.Fixes) != 1 || len(res.Fixes[0].ArtifactChanges) != 1 || res.Fixes[0].ArtifactChanges[0].ArtifactLocation != (artifact{URI: w.uri}) {
				t.Errorf("base %q: fixes %+v, want one change to %q", base, res.Fixes, w.uri)
			}
		}
	}
	for _, s := range []string{"http://", "https:/x", "httpx://a/b", "api.yaml", "http.yaml", "C:/http://x"} {
		if isHTTPURL(s) {
			t.Errorf("isHTTPURL(%q) = true", s)
		}
	}
}
