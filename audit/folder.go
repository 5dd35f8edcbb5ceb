package audit

import (
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/agentready/agentready/audit/checks"
	"github.com/agentready/agentready/audit/crawl"
	"github.com/agentready/agentready/report"
)

// folderFiles points the findings of folder targets at the files served
// (public/docs/index.html): editors, SARIF viewers and GitHub annotations
// can open a file. The URL stays in the finding.
func folderFiles(fs []report.Finding, sites []*crawl.Site) {
	for _, s := range sites {
		if s.Folder == "" || s.Origin == "" {
			continue
		}
		for i := range fs {
			loc := &fs[i].Location
			if loc.File != "" || (loc.URL != s.Origin && !strings.HasPrefix(loc.URL, s.Origin+"/")) {
				continue
			}
			if f := checks.File(s, loc.URL); f != "" {
				loc.File = f
				continue
			}
			p := strings.TrimPrefix(loc.URL, s.Origin)
			if j := strings.IndexAny(p, "?#"); j >= 0 {
				p = p[:j]
			}
			if siteFile(p) {
				// A site-level file the folder lacks (no sitemap, no
				// llms.txt): the finding is about the file to create.
				rel := path.Clean("/" + p)[1:]
				if rel == "" {
					rel = "index.html" // the home page
				}
				loc.File = path.Join(filepath.ToSlash(s.Target), rel)
			}
		}
	}
}

// siteFile reports whether an origin-relative path names a site-level file
// that checks look for at a fixed place: the home page, robots.txt,
// sitemap.xml, llms-full.txt, the well-known paths the checks fetch
// (checks.WellKnown: llms.txt, the conventional OpenAPI paths, ...) and
// anything under /.well-known/. A missing page stays a URL: it is a broken
// link, not a file to create.
func siteFile(p string) bool {
	switch p {
	case "", "/", "/robots.txt", "/sitemap.xml", "/llms-full.txt":
		return true
	}
	return slices.ContainsFunc(checks.WellKnown, func(w crawl.Extra) bool { return w.Path == p }) ||
		strings.HasPrefix(p, "/.well-known/") && len(p) > len("/.well-known/")
}
