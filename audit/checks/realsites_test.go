package checks

import (
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/agentready/agentready/report"
)

// Regression tests for what audits of real documentation sites (Python's
// Sphinx build and PostgreSQL's DocBook build, served by nginx and as
// folders) showed to be wrong. Each fixture is a distilled page, not a
// copy of the documentation.

// siteFrom builds a site from an inline txtar archive (no base fixture).
func siteFrom(t *testing.T, archive string) *Pass {
	t.Helper()
	files := map[string][]byte{}
	for _, f := range txtar.Parse([]byte(archive)).Files {
		files[f.Name] = f.Data
	}
	site := buildSite(t, files)
	return &Pass{Site: site, Start: startPage(site)}
}

func messages(fs []report.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString(f.Location.URL + ": " + f.Message + "\n")
	}
	return b.String()
}

// Sphinx's classic theme marks its content with <div class="body"
// role="main"> and its sidebar with role="navigation": ARIA landmarks are
// what <main> and <nav> are.
func TestLandmarkRoles(t *testing.T) {
	for _, tc := range []struct {
		html      string
		main, nav bool
	}{
		{`<div class="related" role="navigation"><a href="/">up</a></div><div class="body" role="main"><h1>os</h1></div>`, true, true},
		{`<div role="Main navigation"><h1>x</h1></div>`, true, false}, // the first recognised token applies
		{`<div role="region main"><h1>x</h1></div>`, false, false},
		{`<div role="mainly"><h1>x</h1></div><div role="nav"></div>`, false, false},
		{`<main><h1>x</h1></main><nav></nav>`, true, true},
	} {
		body := "<!doctype html><html lang=en><head><title>t</title></head><body>" + tc.html + "</body></html>"
		f := Facts(200, nil, "text/html", "http://fixture.test/", []byte(body), nil)
		if f.Main != tc.main || f.Nav != tc.nav {
			t.Errorf("%s: main %v nav %v, want %v %v", tc.html, f.Main, f.Nav, tc.main, tc.nav)
		}
	}
	p := siteFrom(t, `
-- index.html --
<!doctype html><html lang="en"><head><title>Python docs</title></head><body>
<div class="document"><div class="body" role="main"><h1>The Python Standard Library</h1><p>Text.</p></div></div>
<div class="sphinxsidebar" role="navigation"><h2>Navigation</h2></div>
</body></html>
`)
	c, _ := Lookup("semantic-html")
	r := runOne(c, p)
	if strings.Contains(messages(r.Findings), "<main>") {
		t.Errorf("role=main page reported without main content:\n%s", messages(r.Findings))
	}
}

// Navigation bars and layout grids built from tables are not data tables
// that need <th> cells (axe-core's isDataTable and td-has-header).
func TestLayoutTables(t *testing.T) {
	row := func(cells ...string) string {
		return "<tr><td>" + strings.Join(cells, "</td><td>") + "</td></tr>"
	}
	for _, tc := range []struct {
		name            string
		table           string
		tables, noHeads int
	}{
		// Python's index: one row of two link columns.
		{"one row", `<table class="contentstable" align="center">` + row("<p><a href=a>A</a></p>", "<p><a href=b>B</a></p>") + `</table>`, 0, 0},
		// PostgreSQL's navigation footer: two rows of three cells.
		{"docbook footer", `<table width="100%" summary="Navigation footer">` + row("<a href=p>Prev</a>", "<a href=u>Up</a>", "<a href=n>Next</a>") + row("Types", "<a href=h>Home</a>", "Operators") + `</table>`, 0, 0},
		{"full-width grid", `<table width="100%">` + row("a", "b", "c") + row("d", "e", "f") + row("g", "h", "i") + `</table>`, 0, 0},
		{"presentation", `<table role="presentation">` + row("a", "b", "c") + row("d", "e", "f") + row("g", "h", "i") + row("j", "k", "l") + `</table>`, 0, 0},
		{"nested layout", `<table>` + row("<table><tr><td>x</td></tr></table>", "b", "c") + row("d", "e", "f") + row("g", "h", "i") + row("j", "k", "l") + `</table>`, 0, 0},
		{"data, no headers", `<table>` + row("anvil", "99", "EUR") + row("rocket", "250", "EUR") + row("spring", "5", "EUR") + row("hole", "1", "EUR") + `</table>`, 1, 1},
		{"summary, no headers", `<table summary="Prices">` + row("anvil", "99", "EUR") + row("rocket", "250", "EUR") + row("spring", "5", "EUR") + `</table>`, 1, 1},
		{"bordered, no headers", `<table border="1">` + row("a", "b", "c") + row("d", "e", "f") + row("g", "h", "i") + `</table>`, 1, 1},
		{"wide, no headers", `<table>` + row("a", "b", "c", "d", "e") + row("f", "g", "h", "i", "j") + row("k", "l", "m", "n", "o") + `</table>`, 1, 1},
		{"headers", `<table><thead><tr><th>Product</th><th>Price</th><th>Currency</th></tr></thead><tbody>` + row("anvil", "99", "EUR") + row("rocket", "250", "EUR") + `</tbody></table>`, 1, 0},
	} {
		body := "<!doctype html><html lang=en><head><title>t</title></head><body><main><h1>x</h1>" + tc.table + "</main></body></html>"
		f := Facts(200, nil, "text/html", "http://fixture.test/", []byte(body), nil)
		if f.Tables != tc.tables || f.TablesNoHeader != tc.noHeads {
			t.Errorf("%s: %d tables, %d without headers; want %d, %d", tc.name, f.Tables, f.TablesNoHeader, tc.tables, tc.noHeads)
		}
	}
}

// A site search box on every page of a docs site with no API must not
// zero the API category: a site with no WebMCP tool gets a hint, not a
// score (notes are not scored).
func TestWebMCPWithoutAPI(t *testing.T) {
	page := func(title string) string {
		return `<!doctype html><html lang="en"><head><title>` + title + `</title></head><body><main><h1>` + title +
			`</h1><form class="search" action="search.html"><input name="q"></form></main></body></html>
`
	}
	p := siteFrom(t, "-- index.html --\n"+page("Home")+"-- a.html --\n"+page("A")+"-- b.html --\n"+page("B"))
	c, _ := Lookup("webmcp-tools")
	r := runOne(c, p)
	if r.Score != nil {
		t.Errorf("no API: webmcp-tools scored %v (%s)", *r.Score, r.Detail)
	}
	// One finding at each page with a form, not a count at the start page.
	if len(r.Findings) != 3 || !strings.HasPrefix(r.Findings[0].Message, "1 form, none declares") || r.Findings[2].Location.URL != "http://fixture.test/b.html" {
		t.Errorf("no API: findings\n%s", messages(r.Findings))
	}
	res := Run(p.Site, Options{})
	for _, cat := range res.Categories {
		if cat.ID == string(API) {
			t.Errorf("a site with no API and only search forms has an API category score %v", cat.Score)
		}
	}
	// A site that declares tools on some forms scores the share.
	site := loadFixture(t, true, "webmcp-tools.fail.txtar")
	r = runOne(c, &Pass{Site: site, Start: startPage(site)})
	if r.Score == nil || *r.Score != 0.5 {
		t.Errorf("with an API: webmcp-tools scored %v (%s)", fmtScore(r.Score), r.Detail)
	}
}

// Debian's Python documentation links rel=canonical to
// file:///usr/share/doc/...: broken when served and in a folder, and said
// so plainly rather than as "another domain".
func TestFileCanonical(t *testing.T) {
	for _, folder := range []string{"", "html"} {
		p := siteFrom(t, `
-- index.html --
<!doctype html><html lang="en"><head><title>Home</title>
<link rel="canonical" href="file:///usr/share/doc/python3.11/html/index.html" /></head>
<body><main><h1>Home</h1></main></body></html>
`)
		p.Site.Folder = folder
		c, _ := Lookup("canonical-hreflang")
		r := runOne(c, p)
		if r.Score == nil || *r.Score != 0 || len(r.Findings) != 1 || !strings.Contains(r.Findings[0].Message, "is not an http(s) URL") {
			t.Errorf("folder %q: %v (%s)\n%s", folder, fmtScore(r.Score), r.Detail, messages(r.Findings))
		}
	}
}

// Two URLs of one page (a directory and its index.html, both declaring
// the same canonical) do not "share a title"; two pages do.
func TestDuplicateTitlesByCanonical(t *testing.T) {
	page := func(title, canonical string) string {
		return `<!doctype html><html lang="en"><head><title>` + title + `</title><link rel="canonical" href="` + canonical +
			`"></head><body><main><h1>` + title + `</h1></main></body></html>
`
	}
	c, _ := Lookup("title-description")
	p := siteFrom(t, "-- index.html --\n"+page("Home", "http://fixture.test/")+
		"-- docs/index.html --\n"+page("Docs", "/docs/")+
		"-- docs.html --\n"+page("Docs", "http://fixture.test/docs/")+
		"-- other.html --\n"+page("Other", "http://fixture.test/other.html"))
	if m := messages(runOne(c, p).Findings); strings.Contains(m, "share the title") {
		t.Errorf("one page at two URLs reported as a duplicate title:\n%s", m)
	}
	p = siteFrom(t, "-- index.html --\n"+page("Home", "http://fixture.test/")+
		"-- a.html --\n"+page("Docs", "http://fixture.test/a.html")+
		"-- b.html --\n"+page("Docs", "http://fixture.test/b.html"))
	if m := messages(runOne(c, p).Findings); !strings.Contains(m, `2 pages share the title "Docs" (also /b.html)`) {
		t.Errorf("two pages with one title not reported:\n%s", m)
	}
}

// A folder is served by agentready's own in-process server: the checks that
// grade the HTTP host (compression, validators, revalidation, timings,
// negotiation, Link headers, answers per user agent) do not apply, so an
// uncompressed folder is not marked down and its instant answers do not
// lift its score.
func TestFolderHostOnlyChecks(t *testing.T) {
	want := map[string]bool{"compression": true, "caching-validators": true, "conditional-requests": true, "time-to-first-byte": true,
		"markdown-negotiation": true, "link-headers": true, "user-agent-parity": true, "soft-404": true}
	for _, c := range All() {
		if c.HostOnly != want[c.ID] {
			t.Errorf("%s: HostOnly %v", c.ID, c.HostOnly)
		}
	}
	site := loadFixture(t, true, "compression.fail.txtar")
	c, _ := Lookup("compression")
	if r := runOne(c, &Pass{Site: site, Start: startPage(site)}); r.Score == nil || *r.Score >= 0.9 {
		t.Fatalf("served site: compression %v", fmtScore(r.Score))
	}
	site.Folder = "public"
	for id := range want {
		c, _ := Lookup(id)
		if r := runOne(c, &Pass{Site: site, Start: startPage(site)}); r.Score != nil || len(r.Findings) > 0 {
			t.Errorf("folder: %s scored %v with %d findings (%s)", id, *r.Score, len(r.Findings), r.Detail)
		}
	}
	res := Run(site, Options{})
	for _, cat := range res.Categories {
		if cat.ID == string(Efficiency) {
			t.Errorf("folder: efficiency category scored %v", cat.Score)
		}
	}
}

// Sphinx links keywords to their documentation as code
// (<a><code><span class="pre">continue</span></code></a>): an identifier,
// not vague link text; "here" in prose still is.
func TestCodeLinksAreNotVague(t *testing.T) {
	body := `<!doctype html><html lang=en><head><title>t</title></head><body><main><h1>x</h1>
<p>Use <a class="reference internal" href="../reference/simple_stmts.html#continue"><code class="xref std std-keyword docutils literal notranslate"><span class="pre">continue</span></code></a>
or <a href="start.html"><kbd>start</kbd></a>; details <a href="faq.html"><em>here</em></a>.</p></main></body></html>`
	f := Facts(200, nil, "text/html", "http://fixture.test/", []byte(body), nil)
	if len(f.VagueLinks) != 1 || f.VagueLinks[0] != "here" {
		t.Errorf("vague links %q, want [here]", f.VagueLinks)
	}
}

// With --no-sitemaps the crawl reads no sitemap: the sitemap check has
// nothing to judge, and must not say the site has none (the Python docs
// site lists one in robots.txt). A site whose /sitemap.xml is missing is
// still marked down.
func TestSitemapNotRead(t *testing.T) {
	c, _ := Lookup("sitemap")
	const site = `
-- robots.txt --
User-agent: *
Allow: /
Sitemap: http://fixture.test/sitemap.xml
-- index.html --
<!doctype html><html lang="en"><head><title>Home</title></head><body><main><h1>Home</h1></main></body></html>
`
	p := siteFrom(t, site+"-- _site --\nno-sitemaps\n")
	if r := runOne(c, p); r.Score != nil || len(r.Findings) > 0 {
		t.Errorf("--no-sitemaps: sitemap scored %v (%s)\n%s", fmtScore(r.Score), r.Detail, messages(r.Findings))
	}
	p = siteFrom(t, site)
	if r := runOne(c, p); r.Score == nil || *r.Score != 0 || !strings.Contains(messages(r.Findings), "status 404") {
		t.Errorf("missing sitemap: %v (%s)\n%s", fmtScore(r.Score), r.Detail, messages(r.Findings))
	}
}
