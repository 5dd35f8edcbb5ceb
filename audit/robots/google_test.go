package robots

import (
	"strings"
	"testing"
)

// The cases below are ported from Google's robots.txt parser tests,
// robots_test.cc in https://github.com/google/robotstxt (Copyright 2019
// Google LLC, Apache License 2.0), one table row per EXPECT_TRUE/EXPECT_FALSE
// of IsUserAgentAllowed. Each group names the TEST it comes from.
type googleCase struct {
	test   string
	robots string
	agent  string
	url    string
	want   bool
}

const (
	groupsTxt = "allow: /foo/bar/\n\nuser-agent: FooBot\ndisallow: /\nallow: /x/\nuser-agent: BarBot\ndisallow: /\nallow: /y/\n\n\nallow: /w/\nuser-agent: BazBot\n\nuser-agent: FooBot\nallow: /z/\ndisallow: /\n"
	upperTxt  = "USER-AGENT: FooBot\nALLOW: /x/\nDISALLOW: /\n"
	lowerTxt  = "user-agent: FooBot\nallow: /x/\ndisallow: /\n"
	camelTxt  = "uSeR-aGeNt: FooBot\nAlLoW: /x/\ndIsAlLoW: /\n"
	uaUpper   = "User-Agent: FOO BAR\nAllow: /x/\nDisallow: /\n"
	uaLower   = "User-Agent: foo bar\nAllow: /x/\nDisallow: /\n"
	uaCamel   = "User-Agent: FoO bAr\nAllow: /x/\nDisallow: /\n"
	globalTxt = "user-agent: *\nallow: /\nuser-agent: FooBot\ndisallow: /\n"
	onlySpec  = "user-agent: FooBot\nallow: /\nuser-agent: BarBot\ndisallow: /\nuser-agent: BazBot\ndisallow: /\n"
	fishTxt   = "user-agent: FooBot\ndisallow: /\nallow: /fish\n"
	fishStar  = "user-agent: FooBot\ndisallow: /\nallow: /fish*\n"
	fishSlash = "user-agent: FooBot\ndisallow: /\nallow: /fish/\n"
	phpTxt    = "user-agent: FooBot\ndisallow: /\nallow: /*.php\n"
	phpEnd    = "user-agent: FooBot\ndisallow: /\nallow: /*.php$\n"
	fishPhp   = "user-agent: FooBot\ndisallow: /\nallow: /fish*.php\n"
)

var googleCases = []googleCase{
	// GoogleOnly_SystemTest
	{"SystemTest", "", "FooBot", "", true},
	{"SystemTest", "user-agent: FooBot\ndisallow: /\n", "", "", true},
	{"SystemTest", "user-agent: FooBot\ndisallow: /\n", "FooBot", "", false},
	{"SystemTest", "", "", "", true},
	// ID_LineSyntax_Line
	{"LineSyntax_Line", "user-agent: FooBot\ndisallow: /\n", "FooBot", "http://foo.bar/x/y", false},
	{"LineSyntax_Line", "foo: FooBot\nbar: /\n", "FooBot", "http://foo.bar/x/y", true},
	{"LineSyntax_Line", "user-agent FooBot\ndisallow /\n", "FooBot", "http://foo.bar/x/y", false},
	// ID_LineSyntax_Groups
	{"LineSyntax_Groups", groupsTxt, "FooBot", "http://foo.bar/x/b", true},
	{"LineSyntax_Groups", groupsTxt, "FooBot", "http://foo.bar/z/d", true},
	{"LineSyntax_Groups", groupsTxt, "FooBot", "http://foo.bar/y/c", false},
	{"LineSyntax_Groups", groupsTxt, "BarBot", "http://foo.bar/y/c", true},
	{"LineSyntax_Groups", groupsTxt, "BarBot", "http://foo.bar/w/a", true},
	{"LineSyntax_Groups", groupsTxt, "BarBot", "http://foo.bar/z/d", false},
	{"LineSyntax_Groups", groupsTxt, "BazBot", "http://foo.bar/z/d", true},
	{"LineSyntax_Groups", groupsTxt, "FooBot", "http://foo.bar/foo/bar/", false},
	{"LineSyntax_Groups", groupsTxt, "BarBot", "http://foo.bar/foo/bar/", false},
	{"LineSyntax_Groups", groupsTxt, "BazBot", "http://foo.bar/foo/bar/", false},
	// ID_REPLineNamesCaseInsensitive
	{"LineNamesCaseInsensitive", upperTxt, "FooBot", "http://foo.bar/x/y", true},
	{"LineNamesCaseInsensitive", lowerTxt, "FooBot", "http://foo.bar/x/y", true},
	{"LineNamesCaseInsensitive", camelTxt, "FooBot", "http://foo.bar/x/y", true},
	{"LineNamesCaseInsensitive", upperTxt, "FooBot", "http://foo.bar/a/b", false},
	{"LineNamesCaseInsensitive", lowerTxt, "FooBot", "http://foo.bar/a/b", false},
	{"LineNamesCaseInsensitive", camelTxt, "FooBot", "http://foo.bar/a/b", false},
	// ID_UserAgentValueCaseInsensitive
	{"UserAgentValueCaseInsensitive", uaUpper, "Foo", "http://foo.bar/x/y", true},
	{"UserAgentValueCaseInsensitive", uaLower, "Foo", "http://foo.bar/x/y", true},
	{"UserAgentValueCaseInsensitive", uaCamel, "Foo", "http://foo.bar/x/y", true},
	{"UserAgentValueCaseInsensitive", uaUpper, "Foo", "http://foo.bar/a/b", false},
	{"UserAgentValueCaseInsensitive", uaLower, "Foo", "http://foo.bar/a/b", false},
	{"UserAgentValueCaseInsensitive", uaCamel, "Foo", "http://foo.bar/a/b", false},
	{"UserAgentValueCaseInsensitive", uaUpper, "foo", "http://foo.bar/x/y", true},
	{"UserAgentValueCaseInsensitive", uaLower, "foo", "http://foo.bar/x/y", true},
	{"UserAgentValueCaseInsensitive", uaCamel, "foo", "http://foo.bar/x/y", true},
	{"UserAgentValueCaseInsensitive", uaUpper, "foo", "http://foo.bar/a/b", false},
	{"UserAgentValueCaseInsensitive", uaLower, "foo", "http://foo.bar/a/b", false},
	{"UserAgentValueCaseInsensitive", uaCamel, "foo", "http://foo.bar/a/b", false},
	// GoogleOnly_AcceptUserAgentUpToFirstSpace
	{"UpToFirstSpace", "User-Agent: *\nDisallow: /\nUser-Agent: Foo Bar\nAllow: /x/\nDisallow: /\n", "Foo", "http://foo.bar/x/y", true},
	{"UpToFirstSpace", "User-Agent: *\nDisallow: /\nUser-Agent: Foo Bar\nAllow: /x/\nDisallow: /\n", "Foo Bar", "http://foo.bar/x/y", false},
	// ID_GlobalGroups_Secondary
	{"GlobalGroups_Secondary", "", "FooBot", "http://foo.bar/x/y", true},
	{"GlobalGroups_Secondary", globalTxt, "FooBot", "http://foo.bar/x/y", false},
	{"GlobalGroups_Secondary", globalTxt, "BarBot", "http://foo.bar/x/y", true},
	{"GlobalGroups_Secondary", onlySpec, "QuxBot", "http://foo.bar/x/y", true},
	// ID_AllowDisallow_Value_CaseSensitive
	{"Value_CaseSensitive", "user-agent: FooBot\ndisallow: /x/\n", "FooBot", "http://foo.bar/x/y", false},
	{"Value_CaseSensitive", "user-agent: FooBot\ndisallow: /X/\n", "FooBot", "http://foo.bar/x/y", true},
	// ID_LongestMatch
	{"LongestMatch", "user-agent: FooBot\ndisallow: /x/page.html\nallow: /x/\n", "FooBot", "http://foo.bar/x/page.html", false},
	{"LongestMatch", "user-agent: FooBot\nallow: /x/page.html\ndisallow: /x/\n", "FooBot", "http://foo.bar/x/page.html", true},
	{"LongestMatch", "user-agent: FooBot\nallow: /x/page.html\ndisallow: /x/\n", "FooBot", "http://foo.bar/x/", false},
	{"LongestMatch", "user-agent: FooBot\ndisallow: \nallow: \n", "FooBot", "http://foo.bar/x/page.html", true},
	{"LongestMatch", "user-agent: FooBot\ndisallow: /\nallow: /\n", "FooBot", "http://foo.bar/x/page.html", true},
	{"LongestMatch", "user-agent: FooBot\ndisallow: /x\nallow: /x/\n", "FooBot", "http://foo.bar/x", false},
	{"LongestMatch", "user-agent: FooBot\ndisallow: /x\nallow: /x/\n", "FooBot", "http://foo.bar/x/", true},
	{"LongestMatch", "user-agent: FooBot\ndisallow: /x/page.html\nallow: /x/page.html\n", "FooBot", "http://foo.bar/x/page.html", true},
	{"LongestMatch", "user-agent: FooBot\nallow: /page\ndisallow: /*.html\n", "FooBot", "http://foo.bar/page.html", false},
	{"LongestMatch", "user-agent: FooBot\nallow: /page\ndisallow: /*.html\n", "FooBot", "http://foo.bar/page", true},
	{"LongestMatch", "user-agent: FooBot\nallow: /x/page.\ndisallow: /*.html\n", "FooBot", "http://foo.bar/x/page.html", true},
	{"LongestMatch", "user-agent: FooBot\nallow: /x/page.\ndisallow: /*.html\n", "FooBot", "http://foo.bar/x/y.html", false},
	{"LongestMatch", "User-agent: *\nDisallow: /x/\nUser-agent: FooBot\nDisallow: /y/\n", "FooBot", "http://foo.bar/x/page", true},
	{"LongestMatch", "User-agent: *\nDisallow: /x/\nUser-agent: FooBot\nDisallow: /y/\n", "FooBot", "http://foo.bar/y/page", false},
	// ID_Encoding
	{"Encoding", "User-agent: FooBot\nDisallow: /\nAllow: /foo/bar?qux=taz&baz=http://foo.bar?tar&par\n", "FooBot", "http://foo.bar/foo/bar?qux=taz&baz=http://foo.bar?tar&par", true},
	{"Encoding", "User-agent: FooBot\nDisallow: /\nAllow: /foo/bar/ツ\n", "FooBot", "http://foo.bar/foo/bar/%E3%83%84", true},
	{"Encoding", "User-agent: FooBot\nDisallow: /\nAllow: /foo/bar/ツ\n", "FooBot", "http://foo.bar/foo/bar/ツ", false},
	{"Encoding", "User-agent: FooBot\nDisallow: /\nAllow: /foo/bar/%E3%83%84\n", "FooBot", "http://foo.bar/foo/bar/%E3%83%84", true},
	{"Encoding", "User-agent: FooBot\nDisallow: /\nAllow: /foo/bar/%E3%83%84\n", "FooBot", "http://foo.bar/foo/bar/ツ", false},
	{"Encoding", "User-agent: FooBot\nDisallow: /\nAllow: /foo/bar/%62%61%7A\n", "FooBot", "http://foo.bar/foo/bar/baz", false},
	{"Encoding", "User-agent: FooBot\nDisallow: /\nAllow: /foo/bar/%62%61%7A\n", "FooBot", "http://foo.bar/foo/bar/%62%61%7A", true},
	// ID_SpecialCharacters
	{"SpecialCharacters", "User-agent: FooBot\nDisallow: /foo/bar/quz\nAllow: /foo/*/qux\n", "FooBot", "http://foo.bar/foo/bar/quz", false},
	{"SpecialCharacters", "User-agent: FooBot\nDisallow: /foo/bar/quz\nAllow: /foo/*/qux\n", "FooBot", "http://foo.bar/foo/quz", true},
	{"SpecialCharacters", "User-agent: FooBot\nDisallow: /foo/bar/quz\nAllow: /foo/*/qux\n", "FooBot", "http://foo.bar/foo//quz", true},
	{"SpecialCharacters", "User-agent: FooBot\nDisallow: /foo/bar/quz\nAllow: /foo/*/qux\n", "FooBot", "http://foo.bar/foo/bax/quz", true},
	{"SpecialCharacters", "User-agent: FooBot\nDisallow: /foo/bar$\nAllow: /foo/bar/qux\n", "FooBot", "http://foo.bar/foo/bar", false},
	{"SpecialCharacters", "User-agent: FooBot\nDisallow: /foo/bar$\nAllow: /foo/bar/qux\n", "FooBot", "http://foo.bar/foo/bar/qux", true},
	{"SpecialCharacters", "User-agent: FooBot\nDisallow: /foo/bar$\nAllow: /foo/bar/qux\n", "FooBot", "http://foo.bar/foo/bar/", true},
	{"SpecialCharacters", "User-agent: FooBot\nDisallow: /foo/bar$\nAllow: /foo/bar/qux\n", "FooBot", "http://foo.bar/foo/bar/baz", true},
	{"SpecialCharacters", "User-agent: FooBot\n# Disallow: /\nDisallow: /foo/quz#qux\nAllow: /\n", "FooBot", "http://foo.bar/foo/bar", true},
	{"SpecialCharacters", "User-agent: FooBot\n# Disallow: /\nDisallow: /foo/quz#qux\nAllow: /\n", "FooBot", "http://foo.bar/foo/quz", false},
	// GoogleOnly_IndexHTMLisDirectory
	{"IndexHTMLisDirectory", "User-Agent: *\nAllow: /allowed-slash/index.html\nDisallow: /\n", "foobot", "http://foo.com/allowed-slash/", true},
	{"IndexHTMLisDirectory", "User-Agent: *\nAllow: /allowed-slash/index.html\nDisallow: /\n", "foobot", "http://foo.com/allowed-slash/index.htm", false},
	{"IndexHTMLisDirectory", "User-Agent: *\nAllow: /allowed-slash/index.html\nDisallow: /\n", "foobot", "http://foo.com/allowed-slash/index.html", true},
	{"IndexHTMLisDirectory", "User-Agent: *\nAllow: /allowed-slash/index.html\nDisallow: /\n", "foobot", "http://foo.com/anyother-url", false},
	// GoogleOnly_DocumentationChecks: "/fish"
	{"Doc_fish", fishTxt, "FooBot", "http://foo.bar/bar", false},
	{"Doc_fish", fishTxt, "FooBot", "http://foo.bar/fish", true},
	{"Doc_fish", fishTxt, "FooBot", "http://foo.bar/fish.html", true},
	{"Doc_fish", fishTxt, "FooBot", "http://foo.bar/fish/salmon.html", true},
	{"Doc_fish", fishTxt, "FooBot", "http://foo.bar/fishheads", true},
	{"Doc_fish", fishTxt, "FooBot", "http://foo.bar/fishheads/yummy.html", true},
	{"Doc_fish", fishTxt, "FooBot", "http://foo.bar/fish.html?id=anything", true},
	{"Doc_fish", fishTxt, "FooBot", "http://foo.bar/Fish.asp", false},
	{"Doc_fish", fishTxt, "FooBot", "http://foo.bar/catfish", false},
	{"Doc_fish", fishTxt, "FooBot", "http://foo.bar/?id=fish", false},
	// "/fish*"
	{"Doc_fish*", fishStar, "FooBot", "http://foo.bar/bar", false},
	{"Doc_fish*", fishStar, "FooBot", "http://foo.bar/fish", true},
	{"Doc_fish*", fishStar, "FooBot", "http://foo.bar/fish.html", true},
	{"Doc_fish*", fishStar, "FooBot", "http://foo.bar/fish/salmon.html", true},
	{"Doc_fish*", fishStar, "FooBot", "http://foo.bar/fishheads", true},
	{"Doc_fish*", fishStar, "FooBot", "http://foo.bar/fishheads/yummy.html", true},
	{"Doc_fish*", fishStar, "FooBot", "http://foo.bar/fish.html?id=anything", true},
	{"Doc_fish*", fishStar, "FooBot", "http://foo.bar/Fish.bar", false},
	{"Doc_fish*", fishStar, "FooBot", "http://foo.bar/catfish", false},
	{"Doc_fish*", fishStar, "FooBot", "http://foo.bar/?id=fish", false},
	// "/fish/"
	{"Doc_fish/", fishSlash, "FooBot", "http://foo.bar/bar", false},
	{"Doc_fish/", fishSlash, "FooBot", "http://foo.bar/fish/", true},
	{"Doc_fish/", fishSlash, "FooBot", "http://foo.bar/fish/salmon", true},
	{"Doc_fish/", fishSlash, "FooBot", "http://foo.bar/fish/?salmon", true},
	{"Doc_fish/", fishSlash, "FooBot", "http://foo.bar/fish/salmon.html", true},
	{"Doc_fish/", fishSlash, "FooBot", "http://foo.bar/fish/?id=anything", true},
	{"Doc_fish/", fishSlash, "FooBot", "http://foo.bar/fish", false},
	{"Doc_fish/", fishSlash, "FooBot", "http://foo.bar/fish.html", false},
	{"Doc_fish/", fishSlash, "FooBot", "http://foo.bar/Fish/Salmon.html", false},
	// "/*.php"
	{"Doc_*.php", phpTxt, "FooBot", "http://foo.bar/bar", false},
	{"Doc_*.php", phpTxt, "FooBot", "http://foo.bar/filename.php", true},
	{"Doc_*.php", phpTxt, "FooBot", "http://foo.bar/folder/filename.php", true},
	{"Doc_*.php", phpTxt, "FooBot", "http://foo.bar/folder/filename.php?parameters", true},
	{"Doc_*.php", phpTxt, "FooBot", "http://foo.bar//folder/any.php.file.html", true},
	{"Doc_*.php", phpTxt, "FooBot", "http://foo.bar/filename.php/", true},
	{"Doc_*.php", phpTxt, "FooBot", "http://foo.bar/index?f=filename.php/", true},
	{"Doc_*.php", phpTxt, "FooBot", "http://foo.bar/php/", false},
	{"Doc_*.php", phpTxt, "FooBot", "http://foo.bar/index?php", false},
	{"Doc_*.php", phpTxt, "FooBot", "http://foo.bar/windows.PHP", false},
	// "/*.php$"
	{"Doc_*.php$", phpEnd, "FooBot", "http://foo.bar/bar", false},
	{"Doc_*.php$", phpEnd, "FooBot", "http://foo.bar/filename.php", true},
	{"Doc_*.php$", phpEnd, "FooBot", "http://foo.bar/folder/filename.php", true},
	{"Doc_*.php$", phpEnd, "FooBot", "http://foo.bar/filename.php?parameters", false},
	{"Doc_*.php$", phpEnd, "FooBot", "http://foo.bar/filename.php/", false},
	{"Doc_*.php$", phpEnd, "FooBot", "http://foo.bar/filename.php5", false},
	{"Doc_*.php$", phpEnd, "FooBot", "http://foo.bar/php/", false},
	{"Doc_*.php$", phpEnd, "FooBot", "http://foo.bar/filename?php", false},
	{"Doc_*.php$", phpEnd, "FooBot", "http://foo.bar/aaaphpaaa", false},
	{"Doc_*.php$", phpEnd, "FooBot", "http://foo.bar//windows.PHP", false},
	// "/fish*.php"
	{"Doc_fish*.php", fishPhp, "FooBot", "http://foo.bar/bar", false},
	{"Doc_fish*.php", fishPhp, "FooBot", "http://foo.bar/fish.php", true},
	{"Doc_fish*.php", fishPhp, "FooBot", "http://foo.bar/fishheads/catfish.php?parameters", true},
	{"Doc_fish*.php", fishPhp, "FooBot", "http://foo.bar/Fish.PHP", false},
	// Order of precedence for group-member records.
	{"Doc_precedence", "user-agent: FooBot\nallow: /p\ndisallow: /\n", "FooBot", "http://example.com/page", true},
	{"Doc_precedence", "user-agent: FooBot\nallow: /folder\ndisallow: /folder\n", "FooBot", "http://example.com/folder/page", true},
	{"Doc_precedence", "user-agent: FooBot\nallow: /page\ndisallow: /*.htm\n", "FooBot", "http://example.com/page.htm", false},
	{"Doc_precedence", "user-agent: FooBot\nallow: /$\ndisallow: /\n", "FooBot", "http://example.com/", true},
	{"Doc_precedence", "user-agent: FooBot\nallow: /$\ndisallow: /\n", "FooBot", "http://example.com/page.html", false},
}

func TestGoogleRobotsCases(t *testing.T) {
	for _, c := range googleCases {
		got := Parse([]byte(c.robots)).Allowed(c.agent, c.url)
		if got != c.want {
			t.Errorf("%s: Allowed(%q, %q) = %v, want %v\nrobots.txt:\n%s", c.test, c.agent, c.url, got, c.want, c.robots)
		}
	}
}

// GoogleOnly_LineTooLong: lines are cut at 8*2083 bytes.
func TestGoogleLineTooLong(t *testing.T) {
	const kMaxLineLen = 2083 * 8
	allow, disallow := "allow: ", "disallow: "
	{
		longline := "/x/"
		max := kMaxLineLen - len(longline) - len(disallow) + 1
		longline += strings.Repeat("a", max-len(longline))
		txt := "user-agent: FooBot\n" + disallow + longline + "/qux\n"
		r := Parse([]byte(txt))
		if !r.Allowed("FooBot", "http://foo.bar/fux") {
			t.Error("short URL should be allowed")
		}
		if r.Allowed("FooBot", "http://foo.bar"+longline+"/fux") {
			t.Error("URL matching the cut-off disallow rule should be disallowed")
		}
	}
	{
		a, b := "/x/", "/x/"
		max := kMaxLineLen - len(a) - len(allow) + 1
		a += strings.Repeat("a", max-len(a))
		b += strings.Repeat("b", max-len(b))
		txt := "user-agent: FooBot\ndisallow: /\n" + allow + a + "/qux\n" + allow + b + "/qux\n"
		r := Parse([]byte(txt))
		if r.Allowed("FooBot", "http://foo.bar/") {
			t.Error("/ should be disallowed")
		}
		if !r.Allowed("FooBot", "http://foo.bar"+a+"/qux") {
			t.Error("exact allow match should be allowed")
		}
		if !r.Allowed("FooBot", "http://foo.bar"+b+"/fux") {
			t.Error("cut-off allow match should be allowed")
		}
	}
}

// ID_VerifyValidUserAgentsToObey.
func TestGoogleValidUserAgents(t *testing.T) {
	for s, want := range map[string]bool{
		"Foobot": true, "Foobot-Bar": true, "Foo_Bar": true,
		"": false, "ツ": false, "Foobot*": false, " Foobot ": false, "Foobot/2.1": false, "Foobot Bar": false,
	} {
		if got := ValidProductToken(s); got != want {
			t.Errorf("ValidProductToken(%q) = %v, want %v", s, got, want)
		}
	}
}

// ID_LinesNumbersAreCountedCorrectly: every line-ending variant.
func TestGoogleLineNumbers(t *testing.T) {
	for name, txt := range map[string]string{
		"unix":         "User-Agent: foo\nAllow: /some/path\nUser-Agent: bar\n\n\nDisallow: /\n",
		"dos":          "User-Agent: foo\r\nAllow: /some/path\r\nUser-Agent: bar\r\n\r\n\r\nDisallow: /\r\n",
		"mac":          "User-Agent: foo\rAllow: /some/path\rUser-Agent: bar\r\r\rDisallow: /\r",
		"no final EOL": "User-Agent: foo\nAllow: /some/path\nUser-Agent: bar\n\n\nDisallow: /",
		"mixed":        "User-Agent: foo\nAllow: /some/path\r\nUser-Agent: bar\n\r\n\nDisallow: /",
	} {
		r := Parse([]byte(txt))
		if r.Directives != 4 || r.LastLine != 6 {
			t.Errorf("%s: directives %d, last line %d; want 4, 6", name, r.Directives, r.LastLine)
		}
	}
}

// ID_UTF8ByteOrderMarkIsSkipped.
func TestGoogleBOM(t *testing.T) {
	for _, c := range []struct {
		txt              string
		valid, unknownNo int
	}{
		{"\xEF\xBB\xBFUser-Agent: foo\nAllow: /AnyValue\n", 2, 0},
		{"\xEF\xBBUser-Agent: foo\nAllow: /AnyValue\n", 2, 0},
		{"\xEFUser-Agent: foo\nAllow: /AnyValue\n", 2, 0},
		{"\xEF\x11\xBFUser-Agent: foo\nAllow: /AnyValue\n", 1, 1},
		{"User-Agent: foo\n\xEF\xBB\xBFAllow: /AnyValue\n", 1, 1},
	} {
		r := Parse([]byte(c.txt))
		if r.Directives != c.valid || r.Unknown != c.unknownNo {
			t.Errorf("%q: directives %d unknown %d; want %d %d", c.txt, r.Directives, r.Unknown, c.valid, c.unknownNo)
		}
	}
}

// ID_NonStandardLineExample_Sitemap: a Sitemap line may appear anywhere.
func TestGoogleSitemap(t *testing.T) {
	const loc = "http://foo.bar/sitemap.xml"
	body := "User-Agent: foo\nAllow: /some/path\nUser-Agent: bar\n\n\n"
	for _, txt := range []string{body + "Sitemap: " + loc + "\n", "Sitemap: " + loc + "\n" + body} {
		r := Parse([]byte(txt))
		if len(r.Sitemaps) != 1 || r.Sitemaps[0] != loc {
			t.Errorf("sitemaps = %q", r.Sitemaps)
		}
	}
}

// TestGetPathParamsQuery and TestMaybeEscapePattern.
func TestGooglePathAndEscape(t *testing.T) {
	for in, want := range map[string]string{
		"": "/", "http://www.example.com": "/", "http://www.example.com/": "/",
		"http://www.example.com/a": "/a", "http://www.example.com/a/": "/a/",
		"http://www.example.com/a/b?c=http://d.e/":    "/a/b?c=http://d.e/",
		"http://www.example.com/a/b?c=d&e=f#fragment": "/a/b?c=d&e=f",
		"example.com": "/", "example.com/": "/", "example.com/a": "/a", "example.com/a/": "/a/",
		"example.com/a/b?c=d&e=f#fragment": "/a/b?c=d&e=f",
		"a":                                "/", "a/": "/", "/a": "/a", "a/b": "/b", "example.com?a": "/?a",
		"example.com/a;b#c": "/a;b", "//a/b/c": "/b/c",
	} {
		if got := PathOf(in); got != want {
			t.Errorf("PathOf(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"http://www.example.com": "http://www.example.com", "/a/b/c": "/a/b/c", "á": "%C3%A1", "%aa": "%AA",
	} {
		if got := EscapePattern(in); got != want {
			t.Errorf("EscapePattern(%q) = %q, want %q", in, got, want)
		}
	}
}
