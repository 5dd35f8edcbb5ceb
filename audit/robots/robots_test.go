package robots

import (
	"strings"
	"testing"
	"time"

	_ "github.com/agentready/agentready/internal/golden" // defines -update, which go test ./... -update hands every package
)

func TestForStatus(t *testing.T) {
	body := []byte("User-agent: *\nDisallow: /private\n")
	for _, c := range []struct {
		status  int
		private bool // may /private be fetched
		public  bool // may / be fetched
	}{
		{200, false, true},
		{204, false, true},
		{301, true, true}, // unresolved redirect: unavailable
		{404, true, true},
		{401, true, true},
		{403, true, true},
		{410, true, true},
		{429, false, false},
		{500, false, false},
		{503, false, false},
		{0, false, false}, // network error
	} {
		r := ForStatus(c.status, body)
		if got := r.Allowed("agentready", "https://x.test/private"); got != c.private {
			t.Errorf("status %d: /private allowed = %v, want %v", c.status, got, c.private)
		}
		if got := r.Allowed("agentready", "https://x.test/"); got != c.public {
			t.Errorf("status %d: / allowed = %v, want %v", c.status, got, c.public)
		}
	}
}

func TestMergedGroupsAndRecords(t *testing.T) {
	txt := "Sitemap: https://x.test/a.xml\n" +
		"User-agent: GPTBot\nUser-agent: ClaudeBot\nDisallow: /\n\n" +
		"User-agent: *\nContent-Signal: search=yes, ai-train=no\nCrawl-delay: 2.5\nAllow: /\n" +
		"User-agent: gptbot\nAllow: /docs/\nHost: x.test\n" +
		"Sitemap: https://x.test/b.xml\n"
	r := Parse([]byte(txt))
	if len(r.Groups) != 3 {
		t.Fatalf("groups = %d, want 3", len(r.Groups))
	}
	if r.Allowed("GPTBot", "https://x.test/blog") || !r.Allowed("GPTBot", "https://x.test/docs/a") {
		t.Error("GPTBot's two groups were not merged")
	}
	if r.Allowed("ClaudeBot", "https://x.test/docs/a") {
		t.Error("ClaudeBot must not get gptbot's second group")
	}
	if !r.Allowed("PerplexityBot", "https://x.test/anything") {
		t.Error("the global group allows everything")
	}
	v := r.Check("gptbot", "https://x.test/docs/a")
	if v.Group != "gptbot" || v.Rule != "allow: /docs/" || v.Line != 11 {
		t.Errorf("verdict = %+v", v)
	}
	if got := strings.Join(r.Sitemaps, " "); got != "https://x.test/a.xml https://x.test/b.xml" {
		t.Errorf("sitemaps = %q", got)
	}
	var keys []string
	for _, rec := range r.Records {
		keys = append(keys, rec.Key)
	}
	if got := strings.Join(keys, ","); got != "Sitemap,Content-Signal,Crawl-delay,Host,Sitemap" {
		t.Errorf("records = %s", got)
	}
	if rec := r.Groups[1].Records[0]; rec.Value != "search=yes, ai-train=no" || rec.Group != 1 {
		t.Errorf("content-signal record = %+v", rec)
	}
	if d, ok := r.CrawlDelay("agentready"); !ok || d != 2500*time.Millisecond {
		t.Errorf("crawl-delay = %v %v", d, ok)
	}
	if _, ok := r.CrawlDelay("GPTBot"); ok {
		t.Error("GPTBot has its own groups, so the global crawl-delay does not apply")
	}
}

func TestSizeLimit(t *testing.T) {
	// 10 MB robots.txt: only the first 500 KiB count.
	var b strings.Builder
	b.WriteString("User-agent: *\nDisallow: /early\n")
	for b.Len() < MaxSize {
		b.WriteString("# padding padding padding padding padding padding\n")
	}
	b.WriteString("Disallow: /late\n")
	for b.Len() < 10<<20 {
		b.WriteString("Disallow: /more\n")
	}
	r := Parse([]byte(b.String()))
	if !r.Truncated || r.Size != MaxSize {
		t.Errorf("truncated %v size %d", r.Truncated, r.Size)
	}
	if r.Allowed("x", "https://x.test/early") || !r.Allowed("x", "https://x.test/late") {
		t.Error("rules past 500 KiB must be ignored")
	}
}

func TestRobotsTxtImplicitlyAllowed(t *testing.T) {
	r := Parse([]byte("User-agent: *\nDisallow: /\n"))
	if !r.Allowed("x", "https://x.test/robots.txt") || r.Allowed("x", "https://x.test/robots.txt.bak") {
		t.Error("/robots.txt must be implicitly allowed, and only it")
	}
}

func TestHTMLServedAsRobots(t *testing.T) {
	// A soft 404 page served with status 200: nothing parses as a rule, so
	// everything is allowed, and the lines are counted as unknown.
	r := Parse([]byte("<!doctype html>\n<html><head><title>Not found</title></head>\n<body><p>Sorry: no page</p></body></html>\n"))
	if len(r.Groups) != 0 || !r.Allowed("agentready", "https://x.test/a") {
		t.Errorf("groups = %v", r.Groups)
	}
	if r.Unknown == 0 {
		t.Error("HTML lines should be counted as unknown")
	}
}

func TestAgentTokens(t *testing.T) {
	r := Parse([]byte("User-agent: Googlebot/2.1 (+http://www.google.com/bot.html)\nDisallow: /g\nUser-agent: * extra\nDisallow: /s\n"))
	if r.Groups[0].Agents[0] != "Googlebot" || r.Groups[1].Agents[0] != "*" {
		t.Errorf("agents = %v %v", r.Groups[0].Agents, r.Groups[1].Agents)
	}
	if got := ProductToken("agentready/0.1 (+https://github.com/agentready/agentready)"); got != "agentready" {
		t.Errorf("ProductToken = %q", got)
	}
}

func TestMatch(t *testing.T) {
	for _, c := range []struct {
		pat, path string
		want      bool
	}{
		{"/", "/", true},
		{"/a*b$", "/axxb", true},
		{"/a*b$", "/axxbc", false},
		{"*", "/anything", true},
		{"/**/x", "/a/b/x", true},
		{"/$", "/", true},
		{"/$", "/a", false},
		{"/a$b", "/a$b", true}, // "$" is literal except at the end
		{"/a$b", "/a", false},
	} {
		if got := Match(c.pat, c.path); got != c.want {
			t.Errorf("Match(%q, %q) = %v, want %v", c.pat, c.path, got, c.want)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("User-agent: *\nDisallow: /\n"), "GPTBot", "/a")
	f.Add([]byte("\xEF\xBB\xBFuser-agent foo\rallow /x*y$\r\nsitemap: s\n"), "foo", "/xay")
	f.Add([]byte("User-agent: a\nUser-agent: b\nAllow: /%e3%83%84\nDisallow: /*$\nCrawl-delay: 1e9\n"), "b", "/%E3%83%84")
	f.Add([]byte(strings.Repeat("*", 100)), "x", strings.Repeat("a", 100))
	f.Fuzz(func(t *testing.T, data []byte, agent, path string) {
		r := Parse(data)
		v := r.Check(agent, "https://x.test"+path)
		if !v.Allowed && v.Rule == "" {
			t.Fatalf("disallowed without a rule: %+v", v)
		}
		r.CrawlDelay(agent)
		for _, g := range r.Groups {
			for _, rl := range g.Rules {
				Match(rl.Pattern, path)
			}
		}
	})
}

// TestEmptyQuery: rules are matched against the path and query as given
// (RFC 9309 2.2.2), so a rule ending in "?" (Stack Overflow's robots.txt
// has "Disallow: /questions/ask?"-style rules) applies to the URL with an
// empty query and any query, not to the bare path. The crawler keeps the
// empty query when it normalises (urlnorm.Resolve) for this.
func TestEmptyQuery(t *testing.T) {
	r := Parse([]byte("User-agent: *\nDisallow: /questions/ask?\nDisallow: /search?\nAllow: /search?public$\n"))
	for u, want := range map[string]bool{
		"https://x.test/questions/ask?":      false,
		"https://x.test/questions/ask?tag=x": false,
		"https://x.test/questions/ask":       true,
		"https://x.test/questions/ask/":      true,
		"https://x.test/search?":             false,
		"https://x.test/search?public":       true,
		"https://x.test/search?public&x":     false,
		"https://x.test/search":              true,
		"https://x.test/questions/ask?#frag": false,
	} {
		if got := r.Allowed("agentready", u); got != want {
			t.Errorf("%s: allowed = %v, want %v (%+v)", u, got, want, r.Check("agentready", u))
		}
	}
	if p := PathOf("https://x.test/questions/ask?"); p != "/questions/ask?" {
		t.Errorf("PathOf kept %q, want the empty query", p)
	}
}

// TestWhitelist: robots.txt in whitelist style, as real sites have it
// (named allows for search engines and link-preview bots, then
// "User-agent: *" / "Disallow: /"): a named token gets its group, every
// other token, agentready and the AI crawlers among them, the global one.
func TestWhitelist(t *testing.T) {
	r := Parse([]byte("User-agent: Googlebot\nAllow: /\nDisallow: /cgi-bin/\n\nUser-agent: Bingbot\nAllow: /\nDisallow: /cgi-bin/\n\n" +
		"User-agent: Twitterbot\nAllow: /\nDisallow: /cgi-bin/\n\nUser-agent: facebookexternalhit/1.1\nAllow: /\nDisallow: /cgi-bin/\n\n" +
		"User-agent: LinkedInBot\nAllow: /\n\nUser-agent: *\nDisallow: /\n"))
	for _, c := range []struct {
		agent, url string
		allowed    bool
		group      string
	}{
		{"Googlebot", "https://x.test/", true, "Googlebot"},
		{"googlebot", "https://x.test/cgi-bin/x", false, "googlebot"},
		{"LinkedInBot", "https://x.test/p", true, "LinkedInBot"},
		// "facebookexternalhit/1.1" is no product token (RFC 9309 2.2.1
		// stops at the "/"): the group is facebookexternalhit's.
		{"facebookexternalhit", "https://x.test/", true, "facebookexternalhit"},
		{"agentready", "https://x.test/", false, "*"},
		{"GPTBot", "https://x.test/", false, "*"},
		{"ClaudeBot", "https://x.test/robots.txt", true, ""},
	} {
		v := r.Check(c.agent, c.url)
		if v.Allowed != c.allowed || c.group != "" && v.Group != c.group {
			t.Errorf("%s %s: %+v, want allowed %v in group %q", c.agent, c.url, v, c.allowed, c.group)
		}
	}
}
