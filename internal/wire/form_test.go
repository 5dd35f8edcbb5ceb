package wire

import (
	"fmt"
	"math/rand/v2"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// bodiesSpec has the bodies the validator's own decoders misread: Stripe's
// deepObject form bodies (arrays as name[0]=value, arrays of objects as
// name[0][key]=value), an untyped form field, a JWT body (no decoder for
// the type), and GitHub's oneOf string|array query parameter.
const bodiesSpec = `openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /refresh:
    post:
      operationId: refresh
      requestBody:
        required: true
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              additionalProperties: false
              required: [features]
              properties:
                features: {type: array, items: {type: string, enum: [balance, ownership]}}
                tax_id_data:
                  type: array
                  items:
                    type: object
                    required: [type]
                    properties:
                      type: {type: string, enum: [eu_vat]}
                      value: {type: string}
                metadata: {description: anything}
                tags: {type: array, items: {type: integer}}
            encoding:
              features: {explode: true, style: deepObject}
              tax_id_data: {explode: true, style: deepObject}
      responses: {"200": {description: ok}}
  /token:
    post:
      operationId: token
      requestBody:
        required: true
        content:
          application/jwt:
            schema: {type: string, pattern: '^[^.]+\.[^.]+\.[^.]*$'}
      responses: {"200": {description: ok}}
  /key:
    post:
      operationId: keyRegister
      requestBody:
        required: true
        content:
          application/jwt:
            schema: {type: object, required: [sub], properties: {sub: {type: string}}}
      responses: {"200": {description: ok}}
  /alerts:
    get:
      operationId: alerts
      parameters:
        - name: has
          in: query
          schema:
            oneOf:
              - {type: string}
              - {type: array, items: {type: string, enum: [patch]}}
        - name: code
          in: query
          schema: {type: string, pattern: '^(?!admin)[a-z]+$'}
      responses: {"200": {description: ok}}
`

// TestOwnBodyDecoding: the server judges what the validator's decoders
// cannot read (each case failed on the old code: a bracketed array or array
// of objects was "missing" or "unsupported", the untyped field null, the
// JWT body "unsupported content type", a single "has" not a string, the
// lookahead pattern "error parsing regexp"), and still rejects what the
// spec does not allow.
func TestOwnBodyDecoding(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData([]byte(bodiesSpec))
	if err != nil {
		t.Fatal(err)
	}
	calls := map[string]*call{
		"Refresh": {Name: "Refresh", op: doc.Paths.Value("/refresh").Post},
		"Token":   {Name: "Token", op: doc.Paths.Value("/token").Post},
		"Alerts":  {Name: "Alerts", op: doc.Paths.Value("/alerts").Get},
		"Key":     {Name: "Key", op: doc.Paths.Value("/key").Post},
	}
	var list []*call
	for _, c := range calls {
		list = append(list, c)
	}
	s := newServer(doc, list)
	if err := s.route("http://example.test", "http://example.test"); err != nil {
		t.Fatal(err)
	}
	form, jwt := "application/x-www-form-urlencoded", "application/jwt"
	for _, tc := range []struct {
		op, method, target, ct, body string
		want                         string // "" valid, else a part of the verdict
	}{
		{"Refresh", "POST", "/refresh", form, "features[0]=balance", ""},
		{"Refresh", "POST", "/refresh", form, "features[0]=balance&features[1]=ownership&tax_id_data[0][type]=eu_vat&tax_id_data[0][value]=DE1", ""},
		{"Refresh", "POST", "/refresh", form, "features[0]=balance&metadata=x&tags=1&tags=2", ""},
		{"Refresh", "POST", "/refresh", form, "features[0]=nope", "value is not one of the allowed values"},
		{"Refresh", "POST", "/refresh", form, "features[0]=balance&tax_id_data[0][value]=DE1", `property "type" is missing`},
		// Stripe's tax_id_data as JSON text in a form field is not the
		// deepObject encoding.
		{"Refresh", "POST", "/refresh", form, `features[0]=balance&tax_id_data=[{"type":"eu_vat"}]`, "value must be an array"},
		{"Refresh", "POST", "/refresh", form, "features[x]=balance", "value must be an array"},
		{"Refresh", "POST", "/refresh", form, "features[0]=balance&tags=a", "value must be an integer"},
		{"Refresh", "POST", "/refresh", form, "features[0]=balance&other[0]=1", `property "other" is unsupported`},
		{"Token", "POST", "/token", jwt, "a.b.c", ""},
		{"Token", "POST", "/token", jwt, "not-a-jwt", "doesn't match the regular expression"},
		// A JWT body whose schema is an object is judged by its claims
		// (authentiq's KeyRegister).
		{"Key", "POST", "/key", jwt, jwtOf(map[string]any{"sub": "x"}), ""},
		{"Key", "POST", "/key", jwt, jwtOf(map[string]any{"devtoken": "x"}), `property "sub" is missing`},
		{"Key", "POST", "/key", jwt, "wire", "not a JWT"},
		{"Alerts", "GET", "/alerts?has=patch", "", "", ""},
		{"Alerts", "GET", "/alerts?has=patch&has=patch", "", "", ""},
		{"Alerts", "GET", "/alerts?has=x&has=y", "", "", "no variant accepts"},
		{"Alerts", "GET", "/alerts?code=abc", "", "", ""},
		{"Alerts", "GET", "/alerts?code=adminx", "", "", "doesn't match the regular expression"},
	} {
		r := httptest.NewRequest(tc.method, "http://example.test"+tc.target, strings.NewReader(tc.body))
		if tc.ct != "" {
			r.Header.Set("Content-Type", tc.ct)
		}
		msg := s.check(r, calls[tc.op])
		if tc.want == "" && msg != "" || tc.want != "" && !strings.Contains(msg, tc.want) {
			t.Errorf("%s %s %q: verdict %q, want %q", tc.method, tc.target, tc.body, msg, tc.want)
		}
	}
}

// FuzzDecodeForm: any form body is rebuilt without a panic.
func FuzzDecodeForm(f *testing.F) {
	doc, err := openapi3.NewLoader().LoadFromData([]byte(bodiesSpec))
	if err != nil {
		f.Fatal(err)
	}
	media := doc.Paths.Value("/refresh").Post.RequestBody.Value.Content.Get("application/x-www-form-urlencoded")
	for _, s := range []string{"a[b][0][c]=x", "features[0]=balance", "a[", "a]]=1", "tax_id_data[0][type][x]=1", "a[][]=1&a=2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		r := httptest.NewRequest("POST", "http://example.test/refresh", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		ownBody(r, []byte(body), doc.Paths.Value("/refresh").Post, nil)
		vals, err := url.ParseQuery(body)
		if err == nil {
			decodeForm(vals, media.Schema.Value, media.Encoding)
		}
	})
}

// TestAllOfConflict: a schema whose required property an allOf member's
// additionalProperties refuses (graphrbac's UserCreateParameters) is the
// spec's defect, with the evidence; the old classification called it the
// synthesizer's.
func TestAllOfConflict(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData([]byte(`openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    UserBase:
      type: object
      additionalProperties: {type: object}
      properties: {givenName: {type: string}}
    UserCreateParameters:
      type: object
      allOf: [{$ref: "#/components/schemas/UserBase"}]
      required: [accountEnabled]
      properties: {accountEnabled: {type: boolean}}
`))
	if err != nil {
		t.Fatal(err)
	}
	s := doc.Components.Schemas["UserCreateParameters"].Value
	g := &synth{rnd: rand.New(rand.NewPCG(1, 2)), request: true}
	c := &call{Name: "UsersCreate"}
	c.check(g, "body", s, g.value(s, 0))
	if len(c.unfit) != 1 {
		t.Fatalf("unfit %v: want the body", c.unfit)
	}
	class, why := classify(c, Failure{Kind: "request", Message: "request body has an error: doesn't match schema"}, "")
	if class != Spec || !strings.Contains(why, "declared accountEnabled (boolean) is refused by allOf UserBase") {
		t.Errorf("%s: %s", class, why)
	}
}

// TestUndeclaredRequiredUnderABody: a required property that a schema
// under the body does not declare is found though the body came from the
// spec's example (vtex's UpsertSellerRequest, whose Groups items require
// "groups"; the old plan only knew what the synthesizer made).
func TestUndeclaredRequiredUnderABody(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData([]byte(`openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Groups:
      type: object
      required: [groups]
      properties: {id: {type: string}, name: {type: string}}
    Seller:
      type: object
      required: [id]
      properties:
        id: {type: string}
        groups: {type: array, items: {$ref: "#/components/schemas/Groups"}}
        self: {$ref: "#/components/schemas/Seller"}
`))
	if err != nil {
		t.Fatal(err)
	}
	got := undeclaredRequired(doc.Components.Schemas["Seller"].Value, map[*openapi3.Schema]bool{})
	if fmt.Sprint(got) != "[groups]" {
		t.Errorf("undeclared %v, want [groups]", got)
	}
}

// TestFreeMapQuery: an exploded form map parameter (AWS SNS's required
// attributes, additionalProperties strings) is sent as its keys; the old
// server's validator called it missing.
func TestFreeMapQuery(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData([]byte(`openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /:
    get:
      operationId: setSMSAttributes
      parameters:
        - {name: attributes, in: query, required: true, schema: {type: object, additionalProperties: {type: string, maxLength: 3}}}
        - {name: Action, in: query, required: true, schema: {type: string, enum: [SetSMSAttributes]}}
      responses: {"200": {description: ok}}
`))
	if err != nil {
		t.Fatal(err)
	}
	c := &call{Name: "SetSMSAttributes", op: doc.Paths.Value("/").Get}
	s := newServer(doc, []*call{c})
	if err := s.route("http://example.test", "http://example.test"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		query, want string
	}{
		{"Action=SetSMSAttributes&MonthlySpendLimit=1", ""},
		{"Action=SetSMSAttributes", "value is required but missing"},
		{"Action=SetSMSAttributes&MonthlySpendLimit=1234", "maximum string length"},
		{"MonthlySpendLimit=1", `parameter "Action"`},
	} {
		msg := s.check(httptest.NewRequest("GET", "http://example.test/?"+tc.query, nil), c)
		if tc.want == "" && msg != "" || tc.want != "" && !strings.Contains(msg, tc.want) {
			t.Errorf("%s: verdict %q, want %q", tc.query, msg, tc.want)
		}
	}
}
