package checks

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/agentready/agentready/audit/crawl"
)

// TestFeatureFixtures: fixtures beyond <id>.fail.txtar and the base, for
// the parts of a check that need their own site (the follow-up requests:
// service-desc links, llms.txt links, revalidation, user-agent parity
// beyond the start page; sitemap lastmod). Each names the check, whether
// it passes, and a finding its result must have.
func TestFeatureFixtures(t *testing.T) {
	cases := []struct {
		fixture, check string
		pass           bool
		finding        string // a regexp one finding's message matches
	}{
		{"openapi.service-desc.pass.txtar", "openapi", true, `OpenAPI found \(linked from api-catalog\): 1 operation;`},
		{"openapi.link-header.pass.txtar", "openapi", true, `OpenAPI found \(linked from Link header of http://fixture.test/\)`},
		{"openapi.html-link.pass.txtar", "openapi", true, `OpenAPI found \(linked from <link> in http://fixture.test/about.html\)`},
		{"openapi.linked-catalog.pass.txtar", "openapi", true, `OpenAPI found \(linked from api-catalog\): 1 operation;`},
		{"openapi.linked-catalog.pass.txtar", "api-catalog", true, `the api-catalog is only named by a Link header`},
		{"openapi.service-desc.fail.txtar", "openapi", false, `the service-desc link \(api-catalog\) answers status 404`},
		{"openapi.elsewhere.fail.txtar", "openapi", false, `the service-desc link \(api-catalog\) answers dns: no such host`},
		{"llms-txt.links.fail.txtar", "llms-txt", false, `^link http://fixture.test/pricing.md answers status 404$`},
		{"llms-txt.links.fail.txtar", "llms-txt", false, `^link http://fixture.test/guide/v1.md answers status 404$`},
		{"llms-txt.links.fail.txtar", "llms-txt", false, `^link https://partner.example.invalid/llms.txt answers dns: no such host$`},
		{"sitemap.lastmod.fail.txtar", "sitemap", false, `^1 <lastmod> value is not a W3C datetime .*such as "11/01/2026" \(http://fixture.test/\)$`},
		{"sitemap.lastmod.fail.txtar", "sitemap", false, `^1 <lastmod> date is in the future, such as "2031-01-01" \(http://fixture.test/about.html\)`},
		{"sitemap.lastmod.fail.txtar", "sitemap", false, `^2 of 4 entries \(50%\) have no <lastmod>`},
		{"sitemap.lastmod.pass.txtar", "sitemap", true, ``},
		{"user-agent-parity.deep.fail.txtar", "user-agent-parity", false, `^as GPTBot the page answers 403, as a browser 200 \(section /\)$`},
		{"user-agent-parity.robots.pass.txtar", "user-agent-parity", true, ``},
	}
	for _, tc := range cases {
		t.Run(tc.fixture, func(t *testing.T) {
			c, ok := Lookup(tc.check)
			if !ok {
				t.Fatalf("no check %s", tc.check)
			}
			site := loadFixture(t, true, tc.fixture)
			r := runOne(c, &Pass{Site: site, Start: startPage(site)})
			switch {
			case tc.pass && (r.Score == nil || *r.Score < 0.9):
				t.Errorf("scores %v (%s), want a pass", fmtScore(r.Score), r.Detail)
			case !tc.pass && (r.Score == nil || *r.Score >= 0.9):
				t.Errorf("scores %v (%s), want a failure", fmtScore(r.Score), r.Detail)
			}
			re := regexp.MustCompile(tc.finding)
			found := false
			for _, f := range r.Findings {
				if f.Location.URL == "" {
					t.Errorf("finding without URL: %s", f.Message)
				}
				found = found || re.MatchString(f.Message)
			}
			if !found && tc.finding != "" {
				t.Errorf("no finding matches %q; findings:", tc.finding)
				for _, f := range r.Findings {
					t.Logf("  %s: %s", f.Location.URL, f.Message)
				}
			}
		})
	}
}

// TestLLMsLinkLines: broken llms.txt links are reported at their line, and
// only links the crawl did not fetch are requested.
func TestLLMsLinkLines(t *testing.T) {
	site := loadFixture(t, true, "llms-txt.links.fail.txtar")
	c, _ := Lookup("llms-txt")
	r := runOne(c, &Pass{Site: site, Start: startPage(site)})
	lines := map[int]string{}
	for _, f := range r.Findings {
		if f.Location.Line > 0 {
			lines[f.Location.Line] = f.Message
		}
	}
	if len(lines) != 3 || lines[8] == "" || lines[9] == "" || lines[10] == "" {
		t.Errorf("broken links by line: %v, want lines 8, 9 and 10", lines)
	}
	ups := llmsLinkFollowUps(site)
	var urls []string
	for _, u := range ups {
		urls = append(urls, u.URL)
	}
	// guide/v1.md is a crawled page in the fixture (its _headers give it a
	// status), so its status is known without a request.
	want := []string{"http://fixture.test/about.md", "http://fixture.test/pricing.md", "https://partner.example.invalid/llms.txt"}
	if !slices.Equal(urls, want) || ups[0].MaxBytes == 0 {
		t.Errorf("follow-ups %v, want %v", urls, want)
	}
	// A folder audit stays offline: no request to another host.
	site.Folder = "public"
	urls = nil
	for _, u := range llmsLinkFollowUps(site) {
		urls = append(urls, u.URL)
	}
	if !slices.Equal(urls, want[:2]) {
		t.Errorf("follow-ups of a folder %v, want %v", urls, want[:2])
	}
}

// FuzzServiceDescs: a hostile api-catalog or Link header gives at most
// maxServiceDescs absolute http(s) URLs, never a panic.
func FuzzServiceDescs(f *testing.F) {
	f.Add([]byte(`{"linkset": [{"anchor": "https://api.example.com", "service-desc": [{"href": "/openapi.json"}]}]}`), `</spec.yaml>; rel="service-desc"`)
	f.Add([]byte(`{"linkset": [{"service-desc": [{"href": "javascript:alert(1)"}, {"href": "//evil.example/x"}, {"href": 3}]}, 7, null]}`), `<>; rel=service-desc, <http://[::1>; rel="service-desc"`)
	f.Add([]byte(`{"linkset": {"service-desc": "x"}}`), `<%zz>; rel="service-desc"`)
	f.Add([]byte(`[1,2,3]`), ``)
	f.Fuzz(func(t *testing.T, catalog []byte, link string) {
		site := &crawl.Site{Origin: "https://example.com", Extras: map[string]*crawl.Response{
			"api-catalog": {URL: "https://example.com/.well-known/api-catalog", FinalURL: "https://example.com/.well-known/api-catalog", Status: 200, Body: catalog},
		}}
		pg := &crawl.Page{Response: crawl.Response{URL: "https://example.com/", FinalURL: "https://example.com/", Status: 200,
			Header: http.Header{"Link": {link}}, ContentType: "text/html"}, Source: "start"}
		site.Pages = []*crawl.Page{pg}
		ds := ServiceDescs(site)
		if len(ds) > maxServiceDescs {
			t.Fatalf("%d descriptions", len(ds))
		}
		for _, d := range ds {
			u, err := url.Parse(d.URL)
			if err != nil || u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
				t.Fatalf("not an absolute http(s) URL: %q", d.URL)
			}
		}
		serviceDescFollowUps(site)
	})
}

// TestLLMsLinkBounds: a long llms.txt costs at most maxLLMsLinks requests
// on the site and maxLLMsOtherLinks on other hosts.
func TestLLMsLinkBounds(t *testing.T) {
	var b strings.Builder
	b.WriteString("# Big\n\n> Many links.\n\n## Links\n\n")
	for i := range 30 {
		fmt.Fprintf(&b, "- [Here %d](/doc/%d.md)\n- [There %d](https://host%d.example/doc.md)\n- [Mail](mailto:a@b.example)\n", i, i, i, i)
	}
	site := &crawl.Site{Origin: "http://fixture.test", Extras: map[string]*crawl.Response{
		"llms-txt": {URL: "http://fixture.test/llms.txt", FinalURL: "http://fixture.test/llms.txt", Status: 200, ContentType: "text/markdown", Body: []byte(b.String())}}}
	same, other := 0, 0
	for _, u := range llmsLinkFollowUps(site) {
		if strings.HasPrefix(u.URL, site.Origin+"/") {
			same++
		} else {
			other++
		}
	}
	if same != maxLLMsLinks || other != maxLLMsOtherLinks {
		t.Errorf("%d follow-ups on the site and %d elsewhere, want %d and %d", same, other, maxLLMsLinks, maxLLMsOtherLinks)
	}
}

// TestParityFollowUps: the pages of the parity sample besides the start
// page are asked for as a browser and as every agent, except those that
// already have their parity variants.
func TestParityFollowUps(t *testing.T) {
	mk := func(path, source string, variants ...string) *crawl.Page {
		pg := &crawl.Page{Response: crawl.Response{URL: "http://fixture.test" + path, FinalURL: "http://fixture.test" + path, Status: 200, ContentType: "text/html"}, Source: source}
		for _, v := range variants {
			pg.SetVariant(v, &crawl.Response{Status: 200})
		}
		return pg
	}
	all := []string{"ua-browser"}
	for _, a := range ParityAgents {
		all = append(all, "ua-"+a.Token)
	}
	site := &crawl.Site{Origin: "http://fixture.test", Pages: []*crawl.Page{
		mk("/", "start", all...),
		mk("/a", "link"), mk("/blog/x", "link", all...), mk("/blog/y", "link"), mk("/docs/z", "link"),
	}}
	got := map[string]int{}
	for _, u := range parityFollowUps(site, 4) {
		got[strings.TrimPrefix(u.Page, site.Origin)]++
	}
	// The sample of 4: /, /blog/x (its section's first page, already
	// fetched), /docs/z, then /a of what is left (/a, /blog/y).
	if want := map[string]int{"/docs/z": 1 + len(ParityAgents), "/a": 1 + len(ParityAgents)}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("follow-ups per page %v, want %v", got, want)
	}
}

func TestSectionOf(t *testing.T) {
	const o = "https://example.com"
	for u, want := range map[string]string{
		o + "/":                            "/",
		o + "/about":                       "/",
		o + "/about?x=1":                   "/",
		o + "/blog":                        "/",
		o + "/blog/":                       "/blog",
		o + "/blog/2024/a":                 "/blog",
		o + "/docs/a?x=/y":                 "/docs",
		"https://docs.example.com/":        "docs.example.com/",
		"https://docs.example.com/guide/a": "docs.example.com/guide",
		"https://example.com.evil/a/b":     "example.com.evil/a",
	} {
		if got := sectionOf(o, u); got != want {
			t.Errorf("sectionOf(%q) = %q, want %q", u, got, want)
		}
	}
}
