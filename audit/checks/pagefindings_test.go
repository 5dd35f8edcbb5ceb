package checks

import (
	"fmt"
	"net/http"
	"reflect"
	"testing"

	"github.com/agentready/agentready/audit/crawl"
	"github.com/agentready/agentready/report"
)

// TestDeferredFindings: the per-page findings a check collects compactly
// are the same whether the check runs alone (its Result's Findings) or
// under Run (built straight into the site's findings), in the same order
// and counted in the check's result.
func TestDeferredFindings(t *testing.T) {
	const n = 40
	site := &crawl.Site{Origin: "http://e.test", Target: "http://e.test/", Extras: map[string]*crawl.Response{}}
	for i := range n {
		u := fmt.Sprintf("http://e.test/p/%d.html", i)
		body := syntheticPage(i, n) // a relative canonical: one finding per page
		pg := &crawl.Page{Response: crawl.Response{URL: u, FinalURL: u, Status: 200, ContentType: "text/html", Header: http.Header{}, Bytes: int64(len(body))}, Source: "link"}
		if i == 0 {
			pg.Source = "start"
		}
		SetFacts(pg, Facts(200, pg.Header, pg.ContentType, u, body, nil))
		site.Pages = append(site.Pages, pg)
	}
	c, _ := Lookup("canonical-hreflang")
	alone := c.Run(&Pass{Site: site, Start: startPage(site)})
	if len(alone.Findings) != n {
		t.Fatalf("alone: %d findings, want %d", len(alone.Findings), n)
	}
	res := Run(site, Options{})
	var got []report.Finding
	for _, f := range res.Findings {
		if f.RuleID == c.ID {
			got = append(got, f)
		}
	}
	want := make([]report.Finding, len(alone.Findings))
	for i, f := range alone.Findings {
		f.RuleID, f.Category, f.Help = c.ID, string(c.Category), c.FixHint()
		want[i] = f
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("under Run:\n%+v\nalone:\n%+v", got, want)
	}
	for _, cr := range res.Checks {
		if cr.ID == c.ID && cr.Findings != n {
			t.Errorf("check result counts %d findings, want %d", cr.Findings, n)
		}
	}
	for _, row := range res.Pages {
		if row.Findings < 1 {
			t.Errorf("page row %s counts %d findings", row.URL, row.Findings)
		}
	}
}
