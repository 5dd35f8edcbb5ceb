package checks

import (
	"strings"
	"testing"
)

// TestEveryNeedIsFetched: each artifact a check names in Needs is one the
// crawl can be asked for (the site's pages, robots.txt, sitemaps, a
// well-known path, a variant of the start pages, or what a follow-up
// fetches), so that a misspelt need cannot silently fetch nothing and
// leave its check reading nil.
func TestEveryNeedIsFetched(t *testing.T) {
	known := []string{"pages", "robots", "sitemaps",
		// Follow-ups (followups.go); service-desc's also fetch the
		// api-catalog a Link header names.
		"extra:" + serviceDescName(""), "extra:" + linkedCatalogName, "extra:" + llmsLinkName(""), "variant:" + revalidateName,
		// The AI Catalog's announced copy and entries, the skills, the MCP
		// requests (agents.go).
		"extra:" + aiCatalogLinkedName, "extra:" + aiEntryName(""), "extra:" + skillName(""), "extra:mcp:"}
	for _, a := range artifacts() {
		kind := "variant:"
		if a.Path != "" {
			kind = "extra:"
		}
		known = append(known, kind+a.Name)
	}
	for _, c := range append(CrawlChecks(), All()...) {
		for _, n := range c.Needs {
			found := false
			for _, k := range known {
				if p, ok := strings.CutSuffix(n, "*"); ok && strings.HasPrefix(k, p) || n == k {
					found = true
				}
			}
			if !found {
				t.Errorf("check %s needs %q, which nothing fetches (known: %v)", c.ID, n, known)
			}
		}
	}
}

func TestArticle(t *testing.T) {
	for word, want := range map[string]string{"Anubis bot wall": "an", "Imperva bot wall": "an", "Cloudflare bot wall": "a", "login wall": "a", "": "a"} {
		if got := article(word); got != want {
			t.Errorf("article(%q) = %q, want %q", word, got, want)
		}
	}
}
