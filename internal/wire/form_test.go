package wire

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// TestValidatorFormDeepArrays: the validator's form decoder does not read
// an array property sent as name[0]=value (Stripe's deepObject encoding of
// form bodies), and says the property is missing: the class of such a
// failure is the harness's (the validator's gap).
func TestValidatorFormDeepArrays(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData([]byte(`openapi: 3.0.3
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
            encoding:
              features: {explode: true, style: deepObject}
      responses: {"200": {description: ok}}
`))
	if err != nil {
		t.Fatal(err)
	}
	c := &call{Name: "Refresh", op: doc.Paths.Value("/refresh").Post}
	s := newServer(doc, []*call{c})
	if err := s.route("http://example.test", "http://example.test"); err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest("POST", "http://example.test/refresh", strings.NewReader("features[0]=balance"))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	msg := s.check(r, c)
	if !strings.Contains(msg, `property "features" is missing`) {
		t.Fatalf("verdict %q: the validator reads features[0] now; drop the classification rule", msg)
	}
	class, _ := classify(c, Failure{Kind: "request", Message: msg}, "")
	if class != Harness {
		t.Errorf("class %s, want %s (%s)", class, Harness, msg)
	}
}
