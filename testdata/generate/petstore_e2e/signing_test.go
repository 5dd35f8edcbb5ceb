package petstore

// These tests are copied next to the client generated from
// testdata/generate/petstore.yaml and run with `go test` in a temporary
// module (see generate/golang's TestAgentSigner). They check WithAgentSigner
// (signing.go) against published test vectors and against a loopback
// server that verifies each request's signature on its own, the way a Web
// Bot Auth verifier does.

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// rfc9421Key is test-key-ed25519 of RFC 9421, Appendix B.1.4 (also the
// Ed25519 key of Cloudflare's web-bot-auth test vectors).
func rfc9421Key(t *testing.T) ed25519.PrivateKey {
	t.Helper()
	seed, err := base64.RawURLEncoding.DecodeString("n4Ni-HpISpVObnQMW0wOhCKROaIKqKtW_2ZYb2p9KcU")
	if err != nil {
		t.Fatal(err)
	}
	key := ed25519.NewKeyFromSeed(seed)
	if x := base64.RawURLEncoding.EncodeToString(key.Public().(ed25519.PublicKey)); x != "JrQLj5P_89iXES9-vFgrIy29clF9CC_oPPsw3c5D0bs" {
		t.Fatalf("public key x = %s", x)
	}
	return key
}

func TestAgentKeyIDIsTheJWKThumbprint(t *testing.T) {
	// RFC 8037, Appendix A.3.
	x, _ := base64.RawURLEncoding.DecodeString("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo")
	if got, want := AgentKeyID(ed25519.PublicKey(x)), "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"; got != want {
		t.Errorf("RFC 8037 A.3 thumbprint = %s, want %s", got, want)
	}
	// The keyid of Cloudflare's Ed25519 web-bot-auth vectors.
	pub := rfc9421Key(t).Public().(ed25519.PublicKey)
	if got, want := AgentKeyID(pub), "poqkLGiymh_W0uP6PZFw-dvez3QJT5SolqXBCW38r0U"; got != want {
		t.Errorf("test-key-ed25519 thumbprint = %s, want %s", got, want)
	}
	var dir struct {
		Keys []map[string]string `json:"keys"`
	}
	if err := json.Unmarshal(AgentKeyDirectory(pub), &dir); err != nil || len(dir.Keys) != 1 ||
		dir.Keys[0]["kty"] != "OKP" || dir.Keys[0]["crv"] != "Ed25519" || dir.Keys[0]["x"] != "JrQLj5P_89iXES9-vFgrIy29clF9CC_oPPsw3c5D0bs" {
		t.Errorf("key directory %s (%v)", AgentKeyDirectory(pub), err)
	}
}

// TestRFC9421B26 rebuilds RFC 9421's Appendix B.2.6 example, "Signing a
// Request Using ed25519": the signature base and the signature, which
// Ed25519 makes deterministically, must be the RFC's to the byte.
func TestRFC9421B26(t *testing.T) {
	req, err := http.NewRequest("POST", "http://example.com/foo?param=Value&Pet=dog", strings.NewReader(`{"hello": "world"}`))
	if err != nil {
		t.Fatal(err)
	}
	components := []signatureComponent{
		{`"date"`, "Tue, 20 Apr 2021 02:07:55 GMT"},
		{`"@method"`, req.Method},
		{`"@path"`, req.URL.Path},
		{`"@authority"`, requestAuthority(req)},
		{`"content-type"`, "application/json"},
		{`"content-length"`, "18"},
	}
	input, base := signatureBase(components, `;created=1618884473;keyid="test-key-ed25519"`)
	wantInput := `("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519"`
	wantBase := `"date": Tue, 20 Apr 2021 02:07:55 GMT
"@method": POST
"@path": /foo
"@authority": example.com
"content-type": application/json
"content-length": 18
"@signature-params": ` + wantInput
	if input != wantInput {
		t.Errorf("signature input\n got %s\nwant %s", input, wantInput)
	}
	if base != wantBase {
		t.Errorf("signature base\n got %q\nwant %q", base, wantBase)
	}
	sig := base64.StdEncoding.EncodeToString(ed25519.Sign(rfc9421Key(t), []byte(base)))
	if want := "wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw=="; sig != want {
		t.Errorf("signature\n got %s\nwant %s", sig, want)
	}
}

// TestWebBotAuthVectors reproduces the Ed25519 vectors of Cloudflare's
// web-bot-auth (packages/web-bot-auth/test/test_data/web_bot_auth_architecture_v2.json).
func TestWebBotAuthVectors(t *testing.T) {
	key := rfc9421Key(t)
	created := time.Unix(1735689600, 0)
	lifetime := time.Unix(4889289600, 0).Sub(created)

	// The first: @authority only (no Signature-Agent), label sig1, through sign.
	s := &agentSigner{keyID: AgentKeyID(key.Public().(ed25519.PublicKey)), key: key, lifetime: lifetime}
	req, _ := http.NewRequest("GET", "https://example.com/path/to/resource", nil)
	s.sign(req, created, "zIW8+cdmA3vdYagbxojpONwa/l0EKJ/O3/wD486VvsQjO/RxPaSt6ZxvQaMcQzNnqKN/mQ6hpGiFro2L2qkz5A==")
	if got, want := req.Header.Get("Signature-Input"), `sig1=("@authority");created=1735689600;keyid="poqkLGiymh_W0uP6PZFw-dvez3QJT5SolqXBCW38r0U";alg="ed25519";expires=4889289600;nonce="zIW8+cdmA3vdYagbxojpONwa/l0EKJ/O3/wD486VvsQjO/RxPaSt6ZxvQaMcQzNnqKN/mQ6hpGiFro2L2qkz5A==";tag="web-bot-auth"`; got != want {
		t.Errorf("Signature-Input\n got %s\nwant %s", got, want)
	}
	if got, want := req.Header.Get("Signature"), "sig1=:QKN4fTdIYfh82fvoZCQiQA1weuozfCS/Led2zTMbewMMqH8PI2Wsy/5c4ao6B6D09nraNQdBNOADg8aM1MqfCg==:"; got != want {
		t.Errorf("Signature\n got %s\nwant %s", got, want)
	}
	if h := req.Header.Get("Signature-Agent"); h != "" {
		t.Errorf("Signature-Agent %q sent without an agent", h)
	}

	// The second covers the Signature-Agent member agent2 under label sig2:
	// the member's value in the base is its serialized String, quotes included.
	params := `;created=1735689600;keyid="poqkLGiymh_W0uP6PZFw-dvez3QJT5SolqXBCW38r0U";alg="ed25519";expires=4889289600;nonce="n9p433xm+NJ3ph3upfBIGmsuwHw387YV7Q/F+6BSpGCVjYCqQw6rznNA8PVVLySrAWsv0hQtFioQb6E1YsauiA==";tag="web-bot-auth"`
	input, base := signatureBase([]signatureComponent{
		{`"@authority"`, requestAuthority(req)},
		{`"signature-agent";key="agent2"`, sfString("https://signature-agent.test")},
	}, params)
	if want := `("@authority" "signature-agent";key="agent2")` + params; input != want {
		t.Errorf("signature input\n got %s\nwant %s", input, want)
	}
	if got, want := base64.StdEncoding.EncodeToString(ed25519.Sign(key, []byte(base))), "RdNFx5Bj6au3YgAMQL/RzmUlZE8QZLIaXGRpw985hWnwPfMxT228NMk6ehRS1PSl4e8PhbNZACSanGdhEwYCCg=="; got != want {
		t.Errorf("signature\n got %s\nwant %s", got, want)
	}
}

// verifiedRequest is what the loopback verifier saw in one request.
type verifiedRequest struct {
	method, path, nonce string
	created             int64
	body                string
	err                 error
}

// verifyWebBotAuth checks r's signature as a Web Bot Auth verifier does,
// independently of signing.go: it parses Signature-Input, rebuilds the
// signature base from the request (RFC 9421, section 2.5), verifies it with
// pub, and checks the profile's parameters.
func verifyWebBotAuth(r *http.Request, pub ed25519.PublicKey, agent string, now time.Time) (nonce string, created int64, err error) {
	input, ok := strings.CutPrefix(r.Header.Get("Signature-Input"), "sig1=")
	if !ok {
		return "", 0, fmt.Errorf("Signature-Input %q has no sig1", r.Header.Get("Signature-Input"))
	}
	sigField, ok := strings.CutPrefix(r.Header.Get("Signature"), "sig1=:")
	if !ok || !strings.HasSuffix(sigField, ":") {
		return "", 0, fmt.Errorf("Signature %q is not sig1=:...:", r.Header.Get("Signature"))
	}
	sig, err := base64.StdEncoding.DecodeString(strings.TrimSuffix(sigField, ":"))
	if err != nil {
		return "", 0, err
	}
	if !strings.HasPrefix(input, "(") || !strings.Contains(input, ")") {
		return "", 0, fmt.Errorf("Signature-Input %q is not an inner list", input)
	}
	list, params, _ := strings.Cut(input[1:], ")")
	var base strings.Builder
	covered := map[string]bool{}
	for _, id := range strings.Fields(list) {
		name, key, _ := strings.Cut(id, ";key=")
		name = strings.Trim(name, `"`)
		var value string
		switch {
		case name == "@authority":
			value = strings.ToLower(r.Host)
		case name == "signature-agent" && key != "":
			// The Signature-Agent Dictionary's member named key.
			for _, m := range strings.Split(r.Header.Get("Signature-Agent"), ",") {
				if k, v, ok := strings.Cut(strings.TrimSpace(m), "="); ok && `"`+k+`"` == key {
					value = v
				}
			}
			if value == "" {
				return "", 0, fmt.Errorf("Signature-Agent %q has no member %s", r.Header.Get("Signature-Agent"), key)
			}
		default:
			return "", 0, fmt.Errorf("unexpected component %s", id)
		}
		covered[id] = true
		base.WriteString(id + ": " + value + "\n")
	}
	base.WriteString(`"@signature-params": ` + input)
	if !ed25519.Verify(pub, []byte(base.String()), sig) {
		return "", 0, fmt.Errorf("signature does not verify over %q", base.String())
	}
	if !covered[`"@authority"`] {
		return "", 0, errors.New("@authority is not covered")
	}
	if agent != "" {
		if !covered[`"signature-agent";key="sig1"`] {
			return "", 0, errors.New("Signature-Agent member sig1 is not covered")
		}
		if got := r.Header.Get("Signature-Agent"); got != `sig1="`+agent+`"` {
			return "", 0, fmt.Errorf("Signature-Agent %q", got)
		}
	}
	p := map[string]string{}
	for _, kv := range strings.Split(strings.TrimPrefix(params, ";"), ";") {
		k, v, _ := strings.Cut(kv, "=")
		p[k] = v
	}
	if p["keyid"] != `"`+AgentKeyID(pub)+`"` || p["alg"] != `"ed25519"` || p["tag"] != `"web-bot-auth"` {
		return "", 0, fmt.Errorf("parameters %v", p)
	}
	created, err1 := strconv.ParseInt(p["created"], 10, 64)
	expires, err2 := strconv.ParseInt(p["expires"], 10, 64)
	if err1 != nil || err2 != nil || created > now.Unix()+1 || created < now.Unix()-5 || expires <= now.Unix() || expires-created > 3600 {
		return "", 0, fmt.Errorf("created %s, expires %s, now %d", p["created"], p["expires"], now.Unix())
	}
	nonce = strings.Trim(p["nonce"], `"`)
	if n, err := base64.RawURLEncoding.DecodeString(nonce); err != nil || len(n) != 64 {
		return "", 0, fmt.Errorf("nonce %q is not 64 bytes of base64url", nonce)
	}
	return nonce, created, nil
}

// signedServer answers petstore calls and records what verifyWebBotAuth
// made of each request; fail503 makes the first request a 503.
func signedServer(t *testing.T, pub ed25519.PublicKey, agent string, fail503 bool) (*httptest.Server, func() []verifiedRequest) {
	var mu sync.Mutex
	var seen []verifiedRequest
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		nonce, created, err := verifyWebBotAuth(r, pub, agent, time.Now())
		mu.Lock()
		seen = append(seen, verifiedRequest{r.Method, r.URL.Path, nonce, created, string(body), err})
		n := len(seen)
		mu.Unlock()
		if err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		if fail503 && n == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		if r.Method == "POST" {
			w.WriteHeader(http.StatusCreated)
		}
		io.WriteString(w, `{"id": 7, "name": "Rex"}`)
	}))
	t.Cleanup(srv.Close)
	return srv, func() []verifiedRequest {
		mu.Lock()
		defer mu.Unlock()
		return append([]verifiedRequest(nil), seen...)
	}
}

const testAgent = "https://agent.example/.well-known/http-message-signatures-directory"

func TestAgentSignerSignsGetAndPost(t *testing.T) {
	pub, key, _ := ed25519.GenerateKey(nil)
	srv, seen := signedServer(t, pub, testAgent, false)
	c := newClient(t, srv.URL, WithAuth(Auth{APIKey: "k"}), WithAgentSigner("", key, testAgent))
	if _, err := c.GetPet(context.Background(), &GetPetParams{PetID: 7}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreatePet(context.Background(), &CreatePetParams{Body: NewPet{Name: "Rex"}}); err != nil {
		t.Fatal(err)
	}
	got := seen()
	if len(got) != 2 || got[0].method != "GET" || got[1].method != "POST" || !strings.Contains(got[1].body, `"Rex"`) {
		t.Fatalf("requests %+v", got)
	}
	for _, r := range got {
		if r.err != nil {
			t.Errorf("%s %s: %v", r.method, r.path, r.err)
		}
	}
	if got[0].nonce == got[1].nonce {
		t.Errorf("two requests share the nonce %s", got[0].nonce)
	}
}

func TestAgentSignerResignsRetries(t *testing.T) {
	pub, key, _ := ed25519.GenerateKey(nil)
	srv, seen := signedServer(t, pub, testAgent, true)
	c := newClient(t, srv.URL, WithAgentSigner("", key, testAgent), WithRetry(RetryPolicy{BaseDelay: time.Millisecond, MaxDelay: time.Millisecond}))
	if _, err := c.GetPet(context.Background(), &GetPetParams{PetID: 7}); err != nil {
		t.Fatal(err)
	}
	got := seen()
	if len(got) != 2 || got[0].err != nil || got[1].err != nil {
		t.Fatalf("want two verified attempts, got %+v", got)
	}
	if got[0].nonce == got[1].nonce {
		t.Errorf("the retry reused the nonce %s", got[0].nonce)
	}
}

// A redirect to another origin is signed for that origin's authority.
func TestAgentSignerSignsRedirects(t *testing.T) {
	pub, key, _ := ed25519.GenerateKey(nil)
	target, seen := signedServer(t, pub, "", false)
	front := httptest.NewServer(http.RedirectHandler(target.URL+"/pets/7", http.StatusFound))
	defer front.Close()
	c := newClient(t, front.URL, WithAgentSigner("", key, ""))
	if _, err := c.GetPet(context.Background(), &GetPetParams{PetID: 7}); err != nil {
		t.Fatal(err)
	}
	if got := seen(); len(got) != 1 || got[0].err != nil {
		t.Fatalf("redirected request: %+v", got)
	}
}

func TestAgentSignerRefusesBadOptions(t *testing.T) {
	_, key, _ := ed25519.GenerateKey(nil)
	for _, opt := range []Option{
		WithAgentSigner("", key[:10], testAgent),
		WithAgentSigner("", key, "agent.example"),
		WithAgentSigner("", key, "https://agent.example/\u00e9"),
		WithAgentSigner("k\n", key, testAgent),
	} {
		if _, err := New("https://api.example", opt); err == nil || !strings.Contains(err.Error(), "agent signer") {
			t.Errorf("New accepted a bad signer option (err %v)", err)
		}
	}
}

func TestNoSignatureWithoutSigner(t *testing.T) {
	var h http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h = r.Header.Clone()
		io.WriteString(w, `{"id": 7, "name": "Rex"}`)
	}))
	defer srv.Close()
	if _, err := newClient(t, srv.URL).GetPet(context.Background(), &GetPetParams{PetID: 7}); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"Signature", "Signature-Input", "Signature-Agent"} {
		if h.Get(k) != "" {
			t.Errorf("%s sent without a signer", k)
		}
	}
}
