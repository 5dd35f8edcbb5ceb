package botwall

import (
	"bytes"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	_ "github.com/agentready/agentready/internal/golden" // defines -update, which go test ./... -update hands every package
)

func corpusDir(t testing.TB) string {
	t.Helper()
	root := os.Getenv("AGENTREADY_SHARED")
	if root == "" {
		root, _ = filepath.Abs("../../../shared")
	}
	d := filepath.Join(root, "corpus")
	if _, err := os.Stat(filepath.Join(d, "flaresolverr")); err != nil {
		t.Skipf("corpus %s is absent", d)
	}
	return d
}

type label int

const (
	normal label = iota // a readable page, no CAPTCHA
	widget              // a readable page with a CAPTCHA widget on a form
	wall                // a challenge, CAPTCHA or block page instead of content
)

// corpusLabels are our own labels of the public challenge pages, from
// reading each page. Status is what such a page is served with (Cloudflare
// serves challenges with 403, its old IUAM pages with 503).
var corpusLabels = []struct {
	file   string
	status int
	want   label
	vendor string
	why    string
}{
	{"flaresolverr/html_samples/cloudflare_captcha_hcaptcha_v1.html", 403, wall, "Cloudflare", "managed challenge with an hCaptcha, 'Just a moment...'"},
	{"flaresolverr/html_samples/cloudflare_captcha_norobot_v1.html", 403, wall, "Cloudflare", "managed challenge, 'Just a moment...'"},
	{"flaresolverr/html_samples/cloudflare_init_v1.html", 403, wall, "Cloudflare", "challenge before the widget loads"},
	{"flaresolverr/html_samples/cloudflare_spinner_v1.html", 403, wall, "Cloudflare", "challenge spinner"},
	{"cloudscraper-py/tests/fixtures/bfm_07_01_2021.html", 200, wall, "Cloudflare", "Bot Fight Mode: an empty page that only runs /cdn-cgi/bm/cv/"},
	{"cloudscraper-py/tests/fixtures/cf_recaptcha_15_04_2019.html", 403, wall, "Cloudflare", "'Attention Required!' reCAPTCHA page"},
	{"cloudscraper-py/tests/fixtures/js_challenge-27-05-2020.html", 503, wall, "Cloudflare", "IUAM JavaScript challenge (hidden 1020 template is not a block)"},
	{"cloudscraper-py/tests/fixtures/js_challenge1_16_05_2020.html", 503, wall, "Cloudflare", "IUAM JavaScript challenge"},
	{"cloudscraper-py/tests/fixtures/js_challenge2_16_05_2020.html", 503, wall, "Cloudflare", "IUAM JavaScript challenge"},
	{"cloudscraper-py/tests/fixtures/js_challenge_02_11_2021.html", 503, wall, "Cloudflare", "'Please Wait... | Cloudflare' challenge"},
	{"cloudscraper-py/tests/fixtures/js_challenge_03_12_2018.html", 503, wall, "Cloudflare", "IUAM JavaScript challenge"},
	{"cloudscraper-py/tests/fixtures/js_challenge_05-03-2020.html", 503, wall, "Cloudflare", "French IUAM challenge 'Vérification en cours...'"},
	{"cloudscraper-py/tests/fixtures/js_challenge_09_06_2016.html", 503, wall, "Cloudflare", "IUAM JavaScript challenge"},
	{"cloudscraper-py/tests/fixtures/js_challenge_10_04_2019.html", 503, wall, "Cloudflare", "IUAM JavaScript challenge"},
	{"cloudscraper-py/tests/fixtures/js_challenge_11_12_2019.html", 503, wall, "Cloudflare", "IUAM JavaScript challenge"},
	{"cloudscraper-py/tests/fixtures/js_challenge_13_03_2019.html", 503, wall, "Cloudflare", "IUAM JavaScript challenge"},
	{"cloudscraper-py/tests/fixtures/js_challenge_21_03_2019.html", 503, wall, "Cloudflare", "IUAM JavaScript challenge"},
	{"cloudscraper-py/tests/fixtures/js_challenge_21_05_2015.html", 503, wall, "Cloudflare", "2015 'Loading... please wait 5 seconds'"},
	{"cloudscraper-py/tests/fixtures/js_challenge_26_05_2020.html", 503, wall, "Cloudflare", "IUAM JavaScript challenge"},
	{"cloudscraper-py/tests/fixtures/reCaptcha_challenge_12_12_2019.html", 403, wall, "Cloudflare", "'Attention Required!' reCAPTCHA page"},
	{"cloudscraper-py/tests/fixtures/requested_page.html", 200, normal, "", "the page behind the challenge"},
	{"cloudscraper-node/test/fixtures/access_denied.html", 403, wall, "Cloudflare", "error 1006 access denied (a block)"},
	{"cloudscraper-node/test/fixtures/captcha.html", 403, wall, "Cloudflare", "2016 'Attention Required! | CloudFlare' CAPTCHA"},
	{"cloudscraper-node/test/fixtures/cf_recaptcha_01_12_2019.html", 403, wall, "Cloudflare", "'Attention Required!' reCAPTCHA page"},
	{"cloudscraper-node/test/fixtures/cf_recaptcha_15_04_2019.html", 403, wall, "Cloudflare", "'Attention Required!' reCAPTCHA page"},
	{"cloudscraper-node/test/fixtures/invalid_js_challenge.html", 503, wall, "Cloudflare", "IUAM challenge with a broken script: still a wall"},
	{"cloudscraper-node/test/fixtures/js_challenge_03_12_2018_1.html", 503, wall, "Cloudflare", "IUAM JavaScript challenge"},
	{"cloudscraper-node/test/fixtures/js_challenge_03_12_2018_2.html", 503, wall, "Cloudflare", "IUAM JavaScript challenge"},
	{"cloudscraper-node/test/fixtures/js_challenge_09_06_2016.html", 503, wall, "Cloudflare", "IUAM JavaScript challenge"},
	{"cloudscraper-node/test/fixtures/js_challenge_10_04_2019.html", 503, wall, "Cloudflare", "IUAM JavaScript challenge"},
	{"cloudscraper-node/test/fixtures/js_challenge_13_03_2019.html", 503, wall, "Cloudflare", "IUAM JavaScript challenge"},
	{"cloudscraper-node/test/fixtures/js_challenge_21_03_2019.html", 503, wall, "Cloudflare", "IUAM JavaScript challenge"},
	{"cloudscraper-node/test/fixtures/js_challenge_21_05_2015.html", 503, wall, "Cloudflare", "2015 'Loading... please wait 5 seconds'"},
	{"cloudscraper-node/test/fixtures/js_challenge_28_11_2019.html", 503, wall, "Cloudflare", "IUAM JavaScript challenge"},
	{"cloudscraper-node/test/fixtures/page_with_emails.html", 200, normal, "", "a normal page with Cloudflare e-mail obfuscation"},
	{"cloudscraper-node/test/fixtures/page_with_recaptcha.html", 200, widget, "reCAPTCHA", "Google's home page with a reCAPTCHA on a form"},
	{"cloudscraper-node/test/fixtures/requested_page.html", 200, normal, "", "the page behind the challenge"},
	{"cloudscraper-node/test/fixtures/sucuri_waf_11_08_2019.html", 200, wall, "Sucuri", "Sucuri CloudProxy JavaScript redirect"},
	{"cloudscraper-node/test/fixtures/sucuri_waf_18_08_2016.html", 200, wall, "Sucuri", "Sucuri CloudProxy JavaScript redirect"},
}

func TestCorpus(t *testing.T) {
	dir := corpusDir(t)
	for _, c := range corpusLabels {
		body, err := os.ReadFile(filepath.Join(dir, c.file))
		if err != nil {
			t.Errorf("%s: %v", c.file, err)
			continue
		}
		v := Detect(c.status, http.Header{}, body)
		got := normal
		switch {
		case v.Wall:
			got = wall
		case v.Widget:
			got = widget
		}
		if got != c.want || v.Vendor != c.vendor {
			t.Errorf("%s (%s): got label %d vendor %q (matches %v, %d words), want %d %q", c.file, c.why, got, v.Vendor, v.Matches, v.Words, c.want, c.vendor)
		}
	}
	// Every labelled file exists and every corpus HTML file is labelled.
	var all []string
	for _, sub := range []string{"flaresolverr", "cloudscraper-py", "cloudscraper-node"} {
		_ = filepath.Walk(filepath.Join(dir, sub), func(p string, info os.FileInfo, err error) error {
			if err == nil && strings.HasSuffix(p, ".html") {
				rel, _ := filepath.Rel(dir, p)
				all = append(all, rel)
			}
			return nil
		})
	}
	labelled := map[string]bool{}
	for _, c := range corpusLabels {
		labelled[c.file] = true
	}
	for _, f := range all {
		if !labelled[f] {
			t.Errorf("%s is not labelled", f)
		}
	}
}

func TestHeadersAndWidgets(t *testing.T) {
	article := "<html><head><title>Post</title></head><body><main>" + strings.Repeat("Readable words about a topic. ", 40) + "</main>"
	cases := []struct {
		name   string
		status int
		h      http.Header
		body   string
		wall   bool
		widget bool
		vendor string
	}{
		{"cf-mitigated", 403, http.Header{"Cf-Mitigated": {"challenge"}}, "<html></html>", true, false, "Cloudflare"},
		{"aws waf challenge", 202, http.Header{"X-Amzn-Waf-Action": {"challenge"}}, "", true, false, "AWS WAF"},
		{"aws waf captcha", 405, http.Header{}, `<script src="https://abc.token.awswaf.com/abc/captcha.js"></script>`, true, false, "AWS WAF"},
		{"aws waf script on a 200 page", 200, http.Header{}, article + `<script src="https://x.token.awswaf.com/y/challenge.js"></script>`, false, false, ""},
		{"datadome captcha", 403, http.Header{"X-Datadome": {"protected"}}, `<iframe src="https://geo.captcha-delivery.com/captcha/?initialCid=x"></iframe>`, true, false, "DataDome"},
		{"datadome tag on a page", 200, http.Header{"X-Datadome": {"protected"}}, article, false, false, "DataDome"},
		{"perimeterx", 403, nil, `<div id="px-captcha"></div><p>Press &amp; Hold to confirm you are a human</p>`, true, false, "PerimeterX/HUMAN"},
		{"akamai", 403, nil, `<title>Access Denied</title><h1>Access Denied</h1>You don't have permission to access "http://x/" on this server.<p>Reference #18.1</p>`, true, false, "Akamai"},
		{"imperva", 200, nil, `<html><head><meta name="robots" content="noindex"></head><iframe src="/_Incapsula_Resource?CWUDNSAI=1"></iframe>Request unsuccessful. Incapsula incident ID: 1-2</html>`, true, false, "Imperva"},
		{"kasada", 429, http.Header{"X-Kpsdk-Ct": {"x"}}, `<script src="/ips.js?KPSDK"></script>`, true, false, "Kasada"},
		{"ddos-guard", 403, http.Header{"Server": {"ddos-guard"}}, `<title>DDoS-Guard</title>`, true, false, "DDoS-Guard"},
		{"turnstile on a form", 200, nil, article + `<form><div class="cf-turnstile" data-sitekey="x"></div></form><script src="https://challenges.cloudflare.com/turnstile/v0/api.js"></script>`, false, true, "Cloudflare Turnstile"},
		{"hcaptcha page", 200, nil, `<title>Verify you are human</title><form><div class="h-captcha"></div></form><script src="https://js.hcaptcha.com/1/api.js"></script>`, true, false, "hCaptcha"},
		// A CAPTCHA's script without a widget is no widget, and a wall only
		// on a challenge page.
		{"recaptcha v3 on a page", 200, nil, article + `<script src="https://www.google.com/recaptcha/api.js?render=KEY"></script>`, false, false, "reCAPTCHA"},
		{"recaptcha v3 on a js shell", 200, nil, `<title>Shop</title><div id="root"></div><script src="https://www.google.com/recaptcha/api.js?render=KEY"></script>`, false, false, "reCAPTCHA"},
		{"recaptcha enterprise script", 200, nil, `<p>Please solve</p><script src="https://www.google.com/recaptcha/enterprise.js"></script>`, false, false, "reCAPTCHA Enterprise"},
		{"recaptcha enterprise challenge page", 200, nil, `<title>Security check</title><script src="https://www.google.com/recaptcha/enterprise.js"></script>`, true, false, "reCAPTCHA Enterprise"},
		{"invisible recaptcha on a short page", 200, nil, `<title>Contact</title><p>Write to us.</p><form><div class="g-recaptcha" data-size="invisible"></div></form><script src="https://www.google.com/recaptcha/api.js"></script>`, false, false, "reCAPTCHA"},
		{"arkose", 200, nil, article + `<script src="https://client-api.arkoselabs.com/v2/KEY/api.js"></script>`, false, false, "Arkose Labs"},
		{"arkose on a login page", 200, nil, `<title>Sign in</title><h1>Sign in to your account</h1><form><input name="u"><input type="password" name="p"></form><script src="https://client-api.arkoselabs.com/v2/KEY/api.js"></script>`, false, false, "Arkose Labs"},
		{"geetest", 200, nil, `<script src="https://static.geetest.com/v4/gt4.js"></script>`, false, false, "GeeTest"},
		// A widget is the page when the page has no content besides its
		// form or asks to prove one is human, whatever its length.
		{"short contact page with recaptcha on its form", 200, nil, `<title>Contact us</title><h1>Contact us</h1><p>Questions about an order? Write to us and we answer within a day.</p><form><textarea name="m"></textarea><div class="g-recaptcha" data-sitekey="k"></div></form><script src="https://www.google.com/recaptcha/api.js"></script>`, false, true, "reCAPTCHA"},
		{"short turnstile contact form", 200, nil, `<title>Contact</title><p>Send us a message: we answer within a day.</p><form><input name="e"><div class="cf-turnstile" data-sitekey="k"></div></form>`, false, true, "Cloudflare Turnstile"},
		{"long recaptcha challenge page", 200, nil, `<title>example.com</title><p>` + strings.Repeat("We have detected unusual traffic from your network. ", 30) + `</p><form><div class="g-recaptcha"></div></form>`, true, false, "reCAPTCHA"},
		{"google sorry", 429, nil, `<title>https://www.google.com/search?q=x</title>Our systems have detected unusual traffic from your computer network. <script src="https://www.google.com/recaptcha/api.js"></script><form action="/sorry/index" method="post"><input name="continue"></form>`, true, false, "Google"},
		{"anubis at 401", 401, nil, `<title>Making sure you&#39;re not a bot!</title><script id="anubis_challenge" type="application/json">{}</script>` + strings.Repeat("<p>Anubis uses a proof-of-work scheme to protect this server. </p>", 30), true, false, "Anubis"},
		{"aws waf challenge at 200", 200, nil, `<title></title><script>window.gokuProps = {"key":"k"};</script><script src="https://x.token.awswaf.com/challenge.js"></script>`, true, false, "AWS WAF"},
		{"imperva script on a served page", 200, http.Header{"X-Iinfo": {"1"}}, article + `<script src="/_Incapsula_Resource?SWJIYLWA=1&ns=1&cb=2" async></script>`, false, false, "Imperva"},
		{"friendly captcha", 200, nil, article + `<form><div class="frc-captcha" data-sitekey="x"></div></form>`, false, true, "Friendly Captcha"},
		{"plain page", 200, nil, article, false, false, ""},
		{"challenge-platform script on a real page", 200, nil, article + `<script src="/cdn-cgi/challenge-platform/scripts/jsd/main.js"></script>`, false, false, "Cloudflare"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := c.h
			if h == nil {
				h = http.Header{}
			}
			v := Detect(c.status, h, []byte(c.body))
			if v.Wall != c.wall || v.Widget != c.widget || v.Vendor != c.vendor {
				t.Errorf("got wall=%v widget=%v vendor=%q matches=%v words=%d", v.Wall, v.Widget, v.Vendor, v.Matches, v.Words)
			}
		})
	}
}

func TestSignatureTable(t *testing.T) {
	seen := map[string]bool{}
	vendors := map[string]bool{}
	for _, s := range Signatures {
		if s.ID == "" || seen[s.ID] {
			t.Errorf("bad or duplicate ID %q", s.ID)
		}
		seen[s.ID] = true
		vendors[s.Vendor] = true
		if s.Source == "" || len(s.Checked) != 10 {
			t.Errorf("%s: source and date required", s.ID)
		}
		if s.Contains != strings.ToLower(s.Contains) {
			t.Errorf("%s: Contains must be lower case", s.ID)
		}
		if s.Header == "" && s.Contains == "" {
			t.Errorf("%s: matches everything", s.ID)
		}
	}
	for _, v := range []string{"Cloudflare", "Cloudflare Turnstile", "reCAPTCHA", "reCAPTCHA Enterprise", "hCaptcha", "DataDome", "PerimeterX/HUMAN", "Akamai", "Imperva", "AWS WAF", "Kasada", "Arkose Labs", "GeeTest", "Friendly Captcha", "DDoS-Guard", "Sucuri",
		"Anubis", "Tencent Captcha", "Sina Visitor System", "Google", "CHEQ"} {
		if !vendors[v] {
			t.Errorf("no signature for %s", v)
		}
	}
}

func FuzzDetect(f *testing.F) {
	f.Add(403, []byte(`<title>Just a moment...</title><form id="challenge-form">`))
	f.Add(200, []byte(`<script src="https://www.google.com/recaptcha/api.js"></script><title`))
	f.Add(200, []byte(`<title>x</title><form><div class="g-recaptcha" data-size="invisible"></div></form><p>text`))
	f.Add(401, []byte(`<script id="anubis_challenge">{}</script><noscript><form></noscript></form>`))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		v := Detect(status, http.Header{}, body)
		if v.Wall && v.Widget {
			t.Fatal("both wall and widget")
		}
	})
}

// TestScanBodyMatchesNaive checks the anchored marker scan against a plain
// case-insensitive search for each marker.
func TestScanBodyMatchesNaive(t *testing.T) {
	bodies := []string{"", "x", "CH", "<div class=\"G-RECAPTCHA\">Just a moment...</div>",
		"prefix challenge", "_abck=1; window._cf_chl_opt={}", "ddos-guardDDOS-GUARD", "Incapsula Incident ID: 1"}
	for _, s := range Signatures {
		if s.Header == "" && s.In == Body {
			for pad := 0; pad < 8; pad++ {
				p := strings.Repeat("z", pad)
				bodies = append(bodies, p+strings.ToUpper(s.Contains), p+s.Contains+p, p+s.Contains[:len(s.Contains)-1])
			}
		}
	}
	for _, b := range bodies {
		checkScan(t, b)
	}
}

// FuzzScanBody checks the anchored scan against a plain search.
func FuzzScanBody(f *testing.F) {
	f.Add("zz<div CLASS=\"g-recaptcha\">just a moment...")
	f.Add("xchallengexinitgeetest")
	f.Fuzz(func(t *testing.T, b string) { checkScan(t, b) })
}

// titleRE is what titleText stands for.
var titleRE = regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`)

// FuzzTitleText checks titleText against the regexp it stands for.
func FuzzTitleText(f *testing.F) {
	for _, s := range []string{"<TITLE>a</title>", "<title x>a</TiTlE><title>b</title>", "<titl<title>x</title>", "<title>no end",
		"<title no close", "x<title\n>a\nb</title>", "<tıtle>a</title><title>b</title>", "<tit\xffle><title>\xff</title>", "<", "<title",
		"<title>", "<title></title", "<title></title>", "<title>a<</title>", "<title>a</title", "<title>x</TITLE >y</title>"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		want := titleRE.FindSubmatch(b)
		got, ok := titleText(b)
		if ok != (want != nil) || ok && !bytes.Equal(got, want[1]) {
			t.Fatalf("title of %q: got %q %v, want %q", b, got, ok, want)
		}
	})
}

func checkScan(t *testing.T, b string) {
	got := scanBody([]byte(b))
	for i, s := range Signatures {
		want := s.Header == "" && s.In == Body && len(s.Contains) >= 2 && strings.Contains(asciiLower(b), s.Contains)
		if got[i] != want {
			t.Errorf("scanBody(%q)[%s] = %v, want %v", b, s.ID, got[i], want)
		}
	}
}

// BenchmarkScanBody measures the marker scan over a 30 KB article page.
func BenchmarkScanBody(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(`<!doctype html><html lang="en"><head><title>Page</title></head><body><main><h1>Synthetic article</h1>`)
	for sb.Len() < 30<<10 {
		sb.WriteString(`<p>Agents read this paragraph of plain text to see whether the crawler and the checks keep up with a large site; it has <a href="/about.html">a link</a> and <em>some</em> markup.</p>` + "\n")
	}
	body := []byte(sb.String())
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		scanBody(body)
	}
}

// BenchmarkDetectNoTitle measures Detect on a 30 KB page without a
// <title> (the title regexp used to read all of it).
func BenchmarkDetectNoTitle(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(`<!doctype html><html lang="en"><head></head><body><main><h1>Synthetic article</h1>`)
	for sb.Len() < 30<<10 {
		sb.WriteString(`<p>Agents read this paragraph of plain text to see whether the crawler and the checks keep up with a large site; it has <a href="/about.html">a link</a> and <em>some</em> markup.</p>` + "\n")
	}
	body := []byte(sb.String())
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		DetectWords(200, http.Header{}, body, 1000)
	}
}

func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		b[i] = lowerByte(c)
	}
	return string(b)
}
