package botwall

// Signatures is the table of bot-wall and CAPTCHA markers. Each row says
// where the marker is looked for, what it means and where it comes from:
// Source is the vendor documentation or public sample it was taken from,
// Checked the date the marker was last confirmed against it. Rows are data:
// add a vendor by adding rows, and a test case in the corpus table.
//
// Kinds:
//   - Challenge: an interstitial that replaces the page until a browser
//     solves it (JavaScript challenge, CAPTCHA page). A wall.
//   - Block: an access-denied page from a firewall. A wall.
//   - Widget: a CAPTCHA widget that can sit on a form of a readable page
//     (info), or be the whole page (a wall, when the page has no content).
//   - Script: a vendor's bot-detection script or cookie that also appears on
//     normal pages; a wall only on a page with no content.
//   - CaptchaScript: a CAPTCHA's script alone (reCAPTCHA v3, invisible or
//     explicitly rendered widgets): no widget; a wall only on a challenge
//     page (a challenge title and no content).
var Signatures = []Signature{
	// Cloudflare.
	{ID: "cloudflare-cf-mitigated", Vendor: "Cloudflare", Kind: Challenge, Header: "cf-mitigated", Contains: "challenge",
		Source: "https://developers.cloudflare.com/cloudflare-challenges/challenge-types/challenge-pages/detect-response/", Checked: "2026-11-26"},
	{ID: "cloudflare-just-a-moment", Vendor: "Cloudflare", Kind: Challenge, In: Title, Contains: "just a moment...",
		Source: "corpus: flaresolverr/html_samples/cloudflare_*_v1.html; cloudscraper js_challenge_*.html", Checked: "2026-11-26"},
	{ID: "cloudflare-attention-required", Vendor: "Cloudflare", Kind: Challenge, In: Title, Contains: "attention required! | cloudflare",
		Source: "corpus: cloudscraper cf_recaptcha_*.html, captcha.html", Checked: "2026-11-26"},
	{ID: "cloudflare-please-wait", Vendor: "Cloudflare", Kind: Challenge, In: Title, Contains: "please wait... | cloudflare",
		Source: "corpus: cloudscraper-py js_challenge_02_11_2021.html", Checked: "2026-11-26"},
	{ID: "cloudflare-challenge-form", Vendor: "Cloudflare", Kind: Challenge, In: Body, Contains: `id="challenge-form"`,
		Source: "corpus: cloudscraper and flaresolverr challenge pages (2015-2026)", Checked: "2026-11-26"},
	{ID: "cloudflare-chl-opt", Vendor: "Cloudflare", Kind: Challenge, In: Body, Contains: "window._cf_chl_opt",
		Source: "corpus: flaresolverr/html_samples/cloudflare_init_v1.html", Checked: "2026-11-26"},
	{ID: "cloudflare-jschl", Vendor: "Cloudflare", Kind: Challenge, In: Body, Contains: `name="jschl_vc"`,
		Source: "corpus: cloudscraper js_challenge_*.html (IUAM, 2015-2020)", Checked: "2026-11-26"},
	{ID: "cloudflare-restrict-access", Vendor: "Cloudflare", Kind: Block, In: Title, Contains: "used cloudflare to restrict access",
		Source: "corpus: cloudscraper-node access_denied.html (error 1006)", Checked: "2026-11-26"},
	{ID: "cloudflare-blocked", Vendor: "Cloudflare", Kind: Block, In: Body, Contains: "sorry, you have been blocked",
		Source: "https://developers.cloudflare.com/support/troubleshooting/http-status-codes/cloudflare-1xxx-errors/", Checked: "2026-11-26"},
	{ID: "cloudflare-challenge-platform", Vendor: "Cloudflare", Kind: Script, In: Body, Contains: "/cdn-cgi/challenge-platform/",
		Source: "https://developers.cloudflare.com/cloudflare-challenges/challenge-types/javascript-detections/", Checked: "2026-11-26"},
	{ID: "cloudflare-bot-management", Vendor: "Cloudflare", Kind: Script, In: Body, Contains: "/cdn-cgi/bm/cv/",
		Source: "corpus: cloudscraper-py bfm_07_01_2021.html (Bot Fight Mode)", Checked: "2026-11-26"},
	{ID: "cloudflare-turnstile", Vendor: "Cloudflare Turnstile", Kind: CaptchaScript, In: Body, Contains: "challenges.cloudflare.com/turnstile",
		Source: "https://developers.cloudflare.com/turnstile/get-started/client-side-rendering/", Checked: "2026-11-26"},
	{ID: "cloudflare-turnstile-class", Vendor: "Cloudflare Turnstile", Kind: Widget, In: Body, Contains: `class="cf-turnstile"`,
		Source: "https://developers.cloudflare.com/turnstile/get-started/client-side-rendering/", Checked: "2026-11-26"},

	// Google reCAPTCHA (v2 checkbox and invisible, v3, Enterprise).
	{ID: "recaptcha-api", Vendor: "reCAPTCHA", Kind: CaptchaScript, In: Body, Contains: "www.google.com/recaptcha/api.js",
		Source: "https://developers.google.com/recaptcha/docs/display", Checked: "2026-11-26"},
	{ID: "recaptcha-net-api", Vendor: "reCAPTCHA", Kind: CaptchaScript, In: Body, Contains: "www.recaptcha.net/recaptcha/",
		Source: "https://developers.google.com/recaptcha/docs/faq#can-i-use-recaptcha-globally", Checked: "2026-11-26"},
	{ID: "recaptcha-enterprise", Vendor: "reCAPTCHA Enterprise", Kind: CaptchaScript, In: Body, Contains: "recaptcha/enterprise.js",
		Source: "https://cloud.google.com/recaptcha/docs/instrument-web-pages", Checked: "2026-11-26"},
	{ID: "recaptcha-class", Vendor: "reCAPTCHA", Kind: Widget, In: Body, Contains: `class="g-recaptcha"`,
		Source: "https://developers.google.com/recaptcha/docs/display; corpus: cloudscraper-node page_with_recaptcha.html", Checked: "2026-11-26"},
	{ID: "recaptcha-invisible", Vendor: "reCAPTCHA", Kind: CaptchaScript, In: Body, Contains: `data-size="invisible"`, Invisible: true,
		Source: "https://developers.google.com/recaptcha/docs/invisible", Checked: "2026-12-01"},

	// hCaptcha.
	{ID: "hcaptcha-api", Vendor: "hCaptcha", Kind: CaptchaScript, In: Body, Contains: "hcaptcha.com/1/api.js",
		Source: "https://docs.hcaptcha.com/#add-the-hcaptcha-widget-to-your-webpage", Checked: "2026-11-26"},
	{ID: "hcaptcha-class", Vendor: "hCaptcha", Kind: Widget, In: Body, Contains: `class="h-captcha"`,
		Source: "https://docs.hcaptcha.com/#add-the-hcaptcha-widget-to-your-webpage", Checked: "2026-11-26"},

	// DataDome.
	{ID: "datadome-captcha", Vendor: "DataDome", Kind: Challenge, In: Body, Contains: "captcha-delivery.com",
		Source: "https://docs.datadome.co/docs/captcha-page", Checked: "2026-11-26"},
	{ID: "datadome-header", Vendor: "DataDome", Kind: Script, Header: "x-datadome",
		Source: "https://docs.datadome.co/docs/api-server-side-headers", Checked: "2026-11-26"},
	{ID: "datadome-tag", Vendor: "DataDome", Kind: Script, In: Body, Contains: "js.datadome.co/tags.js",
		Source: "https://docs.datadome.co/docs/javascript-tag", Checked: "2026-11-26"},

	// PerimeterX / HUMAN.
	{ID: "perimeterx-captcha", Vendor: "PerimeterX/HUMAN", Kind: Challenge, In: Body, Contains: `id="px-captcha"`,
		Source: "https://docs.humansecurity.com/applications-and-accounts/docs/customizing-the-challenge-page", Checked: "2026-11-26"},
	{ID: "perimeterx-block-script", Vendor: "PerimeterX/HUMAN", Kind: Challenge, In: Body, Contains: "captcha.px-cdn.net",
		Source: "https://docs.humansecurity.com/applications-and-accounts/docs/customizing-the-challenge-page", Checked: "2026-11-26"},
	{ID: "perimeterx-app-id", Vendor: "PerimeterX/HUMAN", Kind: Script, In: Body, Contains: "window._pxappid",
		Source: "https://docs.humansecurity.com/applications-and-accounts/docs/javascript-sensor; https://github.com/microlinkhq/is-antibot (providers/perimeterx/*.json, MIT)", Checked: "2026-12-01"},
	{ID: "perimeterx-sensor", Vendor: "PerimeterX/HUMAN", Kind: Script, In: Body, Contains: "client.perimeterx.net",
		Source: "https://docs.humansecurity.com/applications-and-accounts/docs/javascript-sensor", Checked: "2026-11-26"},

	// Akamai Bot Manager.
	{ID: "akamai-reference", Vendor: "Akamai", Kind: Block, In: Body, Contains: "you don't have permission to access",
		Status: []int{403}, Source: "https://techdocs.akamai.com/property-mgr/docs/access-denied (Akamai 'Access Denied ... Reference #')", Checked: "2026-11-26"},
	{ID: "akamai-sec-cpt", Vendor: "Akamai", Kind: Challenge, In: Body, Contains: "/_sec/cp_challenge/",
		Source: "https://techdocs.akamai.com/bot-manager/docs/crypto-challenge", Checked: "2026-11-26"},
	{ID: "akamai-edgesuite-reference", Vendor: "Akamai", Kind: Block, In: Body, Contains: "errors.edgesuite.net/",
		Source: "https://techdocs.akamai.com/property-mgr/docs/access-denied (the reference link of Akamai's Access Denied page)", Checked: "2026-12-01"},
	{ID: "akamai-sensor", Vendor: "Akamai", Kind: Script, In: Body, Contains: "bmak.sensor_data",
		Source: "https://github.com/microlinkhq/is-antibot (providers/akamai/failed.json, MIT)", Checked: "2026-12-01"},
	{ID: "akamai-interstitial", Vendor: "Akamai", Kind: Challenge, In: Body, Contains: "/_sec/verify?provider=interstitial",
		Source: "https://techdocs.akamai.com/bot-manager/docs/crypto-challenge (interstitial challenge action)", Checked: "2026-12-01"},
	{ID: "akamai-bm-cookie", Vendor: "Akamai", Kind: Script, Header: "set-cookie", Contains: "_abck=",
		Source: "https://techdocs.akamai.com/bot-manager/docs/cookies", Checked: "2026-11-26"},

	// Imperva (Incapsula).
	{ID: "imperva-incident", Vendor: "Imperva", Kind: Block, In: Body, Contains: "incapsula incident id",
		Source: "https://docs.imperva.com/bundle/cloud-application-security/page/more/error-pages.htm", Checked: "2026-11-26"},
	// Imperva injects its script into the pages it serves too: a wall only
	// on an empty page. Its CAPTCHA is an iframe of the resource.
	{ID: "imperva-resource", Vendor: "Imperva", Kind: Script, In: Body, Contains: "_incapsula_resource",
		Source: "https://docs.imperva.com/bundle/cloud-application-security/page/settings/captcha.htm; https://github.com/microlinkhq/is-antibot (providers/imperva/success.json: a served page with the script, MIT)", Checked: "2026-12-01"},
	{ID: "imperva-captcha", Vendor: "Imperva", Kind: Challenge, In: Body, Contains: "_incapsula_resource?cwudnsai",
		Source: "https://docs.imperva.com/bundle/cloud-application-security/page/settings/captcha.htm", Checked: "2026-12-01"},
	{ID: "imperva-distil", Vendor: "Imperva", Kind: Challenge, In: Title, Contains: "pardon our interruption",
		Source: "Distil Networks (Imperva Advanced Bot Protection) block page; https://github.com/silverfoxy/JSCryptoMinerStudy pagesource/pricefalls.com", Checked: "2026-12-01"},
	{ID: "imperva-header", Vendor: "Imperva", Kind: Script, Header: "x-iinfo",
		Source: "https://docs.imperva.com/bundle/cloud-application-security/page/settings/xray-debug-headers.htm", Checked: "2026-11-26"},

	// AWS WAF: challenge is a 202 and CAPTCHA a 405, both with x-amzn-waf-action.
	{ID: "aws-waf-action", Vendor: "AWS WAF", Kind: Challenge, Header: "x-amzn-waf-action",
		Source: "https://docs.aws.amazon.com/waf/latest/developerguide/waf-captcha-and-challenge-how-it-works.html", Checked: "2026-11-26"},
	{ID: "aws-waf-script", Vendor: "AWS WAF", Kind: Challenge, In: Body, Contains: ".awswaf.com/", Status: []int{202, 405},
		Source: "https://docs.aws.amazon.com/waf/latest/developerguide/waf-js-challenge-api.html", Checked: "2026-11-26"},

	{ID: "aws-waf-goku", Vendor: "AWS WAF", Kind: Challenge, In: Body, Contains: "window.gokuprops",
		Source: "https://docs.aws.amazon.com/waf/latest/developerguide/waf-captcha-and-challenge-how-it-works.html (the interstitial's gokuProps, any status)", Checked: "2026-12-01"},

	// Kasada.
	{ID: "kasada-header", Vendor: "Kasada", Kind: Challenge, Header: "x-kpsdk-ct", Status: []int{429},
		Source: "https://www.kasada.io/ (429 with x-kpsdk-* headers while the client proves itself)", Checked: "2026-11-26"},
	{ID: "kasada-ips", Vendor: "Kasada", Kind: Script, In: Body, Contains: "kpsdk",
		Source: "https://www.kasada.io/", Checked: "2026-11-26"},

	// Arkose Labs (FunCaptcha).
	{ID: "arkose-api", Vendor: "Arkose Labs", Kind: CaptchaScript, In: Body, Contains: "arkoselabs.com/v2/",
		Source: "https://developer.arkoselabs.com/docs/standard-setup", Checked: "2026-11-26"},
	{ID: "arkose-funcaptcha", Vendor: "Arkose Labs", Kind: CaptchaScript, In: Body, Contains: "funcaptcha",
		Source: "https://developer.arkoselabs.com/docs/standard-setup", Checked: "2026-11-26"},

	// GeeTest.
	{ID: "geetest-script", Vendor: "GeeTest", Kind: CaptchaScript, In: Body, Contains: "static.geetest.com",
		Source: "https://docs.geetest.com/BehaviorVerification/deploy/client/web", Checked: "2026-11-26"},
	{ID: "geetest-init", Vendor: "GeeTest", Kind: CaptchaScript, In: Body, Contains: "initgeetest",
		Source: "https://docs.geetest.com/BehaviorVerification/deploy/client/web", Checked: "2026-11-26"},

	// Anubis and BotStopper (Techaro's commercial Anubis): a proof-of-work
	// page at 200 or 401, with a long explanation (not a short page).
	{ID: "anubis-challenge", Vendor: "Anubis", Kind: Challenge, In: Body, Contains: `id="anubis_challenge"`,
		Source: "https://github.com/TecharoHQ/anubis (web/index.templ); https://github.com/microlinkhq/is-antibot (providers/anubis/failed.json, MIT)", Checked: "2026-12-01"},
	{ID: "anubis-static", Vendor: "Anubis", Kind: Challenge, In: Body, Contains: ".within.website/x/cmd/anubis/",
		Source: "https://github.com/TecharoHQ/anubis/blob/0214b7081861fdb7b5fcf4296c10c275207008a5/web/index.templ", Checked: "2026-12-01"},
	{ID: "anubis-title", Vendor: "Anubis", Kind: Challenge, In: Title, Contains: "making sure you're not a bot",
		Source: "https://github.com/TecharoHQ/anubis/blob/0214b7081861fdb7b5fcf4296c10c275207008a5/web/index.templ", Checked: "2026-12-01"},

	// Tencent Cloud CAPTCHA (T-Sec, 腾讯防水墙) and Sina's visitor system.
	{ID: "tencent-captcha-element", Vendor: "Tencent Captcha", Kind: Widget, In: Body, Contains: `id="tencentcaptcha"`,
		Source: "https://cloud.tencent.com/document/product/1110/36841; https://github.com/microlinkhq/is-antibot (providers/qcloud-captcha/*.json, MIT)", Checked: "2026-12-01"},
	{ID: "tencent-captcha-script", Vendor: "Tencent Captcha", Kind: CaptchaScript, In: Body, Contains: "captcha.qcloud.com/tcaptcha.js",
		Source: "https://cloud.tencent.com/document/product/1110/36841", Checked: "2026-12-01"},
	{ID: "tencent-captcha-qq", Vendor: "Tencent Captcha", Kind: CaptchaScript, In: Body, Contains: "captcha.qq.com/tcaptcha.js",
		Source: "https://cloud.tencent.com/document/product/1110/36841 (the older ssl.captcha.qq.com host)", Checked: "2026-12-01"},
	{ID: "sina-visitor-title", Vendor: "Sina Visitor System", Kind: Challenge, In: Title, Contains: "sina visitor system",
		Source: "https://github.com/microlinkhq/is-antibot (providers/weibo/failed.json, MIT)", Checked: "2026-12-01"},
	{ID: "sina-visitor-script", Vendor: "Sina Visitor System", Kind: Challenge, In: Body, Contains: "/js/visitor/mini",
		Source: "https://github.com/microlinkhq/is-antibot (providers/weibo/failed.json, MIT)", Checked: "2026-12-01"},

	// Google's "sorry" page (unusual traffic, a reCAPTCHA posted to /sorry/index).
	{ID: "google-sorry-form", Vendor: "Google", Kind: Challenge, In: Body, Contains: `action="/sorry/index"`,
		Source: "https://support.google.com/websearch/answer/86640", Checked: "2026-12-01"},
	{ID: "google-sorry-text", Vendor: "Google", Kind: Challenge, In: Body, Contains: "our systems have detected unusual traffic from your computer network",
		Source: "https://support.google.com/websearch/answer/86640", Checked: "2026-12-01"},

	// CHEQ: its script on a page without content.
	{ID: "cheq-script", Vendor: "CHEQ", Kind: Script, In: Body, Contains: "cheqzone.com",
		Source: "https://cheq.ai; https://github.com/microlinkhq/is-antibot (providers/cheq/*.json, MIT)", Checked: "2026-12-01"},

	// Friendly Captcha.
	{ID: "friendlycaptcha-class", Vendor: "Friendly Captcha", Kind: Widget, In: Body, Contains: `class="frc-captcha"`,
		Source: "https://docs.friendlycaptcha.com/#/installation", Checked: "2026-11-26"},
	{ID: "friendlycaptcha-script", Vendor: "Friendly Captcha", Kind: CaptchaScript, In: Body, Contains: "friendly-challenge",
		Source: "https://docs.friendlycaptcha.com/#/installation", Checked: "2026-11-26"},

	// DDoS-Guard.
	{ID: "ddos-guard-check", Vendor: "DDoS-Guard", Kind: Challenge, In: Body, Contains: "check.ddos-guard.net",
		Source: "https://ddos-guard.net/en/info/documentation (JS challenge served from check.ddos-guard.net)", Checked: "2026-11-26"},
	{ID: "ddos-guard-title", Vendor: "DDoS-Guard", Kind: Challenge, In: Title, Contains: "ddos-guard",
		Source: "https://ddos-guard.net/en/info/documentation", Checked: "2026-11-26"},
	{ID: "ddos-guard-server", Vendor: "DDoS-Guard", Kind: Script, Header: "server", Contains: "ddos-guard",
		Source: "https://ddos-guard.net/en/info/documentation", Checked: "2026-11-26"},

	// Sucuri.
	{ID: "sucuri-cloudproxy-js", Vendor: "Sucuri", Kind: Challenge, In: Body, Contains: "sucuri_cloudproxy_js",
		Source: "corpus: cloudscraper-node sucuri_waf_*.html", Checked: "2026-11-26"},
	{ID: "sucuri-access-denied", Vendor: "Sucuri", Kind: Block, In: Title, Contains: "sucuri website firewall - access denied",
		Source: "https://docs.sucuri.net/website-firewall/troubleshooting/", Checked: "2026-11-26"},
	{ID: "sucuri-header", Vendor: "Sucuri", Kind: Script, Header: "x-sucuri-id",
		Source: "https://docs.sucuri.net/website-firewall/troubleshooting/", Checked: "2026-11-26"},
}
