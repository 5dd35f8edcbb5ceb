package checks

import (
	"strings"
	"testing"

	"github.com/agentready/agentready/report"
)

// byID returns the registered check with the given ID.
func byID(t *testing.T, id string) *Check {
	t.Helper()
	for _, c := range All() {
		if c.ID == id {
			return c
		}
	}
	t.Fatalf("no check %s", id)
	return nil
}

// An Anubis proof-of-work page answered 401 is a bot wall, not a login
// wall: the login-wall check passes and the bot-wall check names Anubis.
func TestAnubisAt401IsABotWallNotALoginWall(t *testing.T) {
	p := siteFrom(t, `
-- _headers --
/
  Status: 401
-- index.html --
<!doctype html><html lang="en"><head><title>Making sure you&#39;re not a bot!</title>
<script id="anubis_version" type="application/json">"v1.24.0"</script>
<script id="anubis_challenge" type="application/json">{"rules":{"algorithm":"fast","difficulty":4}}</script></head>
<body><main><h1>Making sure you&#39;re not a bot!</h1><p id="status">Loading...</p>
<p>You are seeing this because the administrator of this website has set up Anubis to protect the server against the scourge of AI companies aggressively scraping websites.</p>
<footer><p>Protected by Anubis from Techaro.</p></footer></main></body></html>
`)
	if p.Start == nil || p.Start.Status != 401 {
		t.Fatalf("start page not served with 401: %+v", p.Start)
	}
	if r := runOne(byID(t, "login-wall"), p); r.Score == nil || *r.Score != 1 {
		t.Errorf("login-wall: %v (%s) %s", fmtScore(r.Score), r.Detail, messages(r.Findings))
	}
	r := runOne(byID(t, "bot-wall"), p)
	if r.Score == nil || *r.Score != 0 || !strings.Contains(messages(r.Findings), "Anubis challenge served instead of content") {
		t.Errorf("bot-wall: %v %s", fmtScore(r.Score), messages(r.Findings))
	}
	if why, ok := StartWall(p); !ok || why != "Anubis bot wall" {
		t.Errorf("StartWall = %q %v", why, ok)
	}
}

// A short readable contact page with a reCAPTCHA on its form is an info
// finding, not an error-level wall; a JS shell that loads reCAPTCHA v3 is
// a JS shell (the server-rendered check), not a wall.
func TestCaptchaOnReadablePagesAndShells(t *testing.T) {
	p := siteFrom(t, `
-- index.html --
<!doctype html><html lang="en"><head><title>Contact us</title><meta name="description" content="Contact"></head>
<body><main><h1>Contact us</h1><p>Questions about an order? Write to us and we answer within a day.</p>
<form action="/contact" method="post"><textarea name="m"></textarea><div class="g-recaptcha" data-sitekey="k"></div><button>Send</button></form>
<a href="/app.html">The app</a></main>
<script src="https://www.google.com/recaptcha/api.js" async defer></script></body></html>
-- app.html --
<!doctype html><html lang="en"><head><title>Shop</title>
<script src="https://www.google.com/recaptcha/api.js?render=6Lc_KEY"></script></head>
<body><noscript>You need to enable JavaScript to run this app.</noscript><div id="root"></div><script src="/main.js"></script></body></html>
`)
	r := runOne(byID(t, "bot-wall"), p)
	if r.Score == nil || *r.Score != 1 {
		t.Errorf("bot-wall scores %v: %s", fmtScore(r.Score), messages(r.Findings))
	}
	for _, f := range r.Findings {
		if f.Severity > report.Info || strings.Contains(f.Location.URL, "app.html") {
			t.Errorf("bot-wall finding %s: %s %s", f.Severity, f.Location.URL, f.Message)
		}
	}
	if len(r.Findings) != 1 {
		t.Errorf("want one info finding on the contact page: %s", messages(r.Findings))
	}
	shell := runOne(byID(t, "server-rendered"), p)
	if !strings.Contains(messages(shell.Findings), "app.html") {
		t.Errorf("server-rendered does not report the shell: %s", messages(shell.Findings))
	}
}
