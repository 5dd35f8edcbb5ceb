package tools_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/agentready/agentready/generate/ir"
	"github.com/agentready/agentready/generate/tools"
	"github.com/agentready/agentready/internal/specload"
)

func apiFrom(t testing.TB, spec string) *ir.API {
	t.Helper()
	d, err := specload.LoadBytes(context.Background(), "spec.yaml", []byte(spec), "", specload.Options{})
	if err != nil {
		t.Fatal(err)
	}
	api, err := ir.Build(d.Spec, ir.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return api
}

const namingSpec = `openapi: 3.0.3
info: {title: Names, version: "1"}
paths:
  /repos/{owner}/{repo}:
    get:
      operationId: repos/get
      parameters:
        - {name: owner, in: path, required: true, schema: {type: string}}
        - {name: repo, in: path, required: true, schema: {type: string}}
        - {name: repo, in: query, schema: {type: integer}}
        - {name: 'filter[state]', in: query, schema: {type: string}}
      responses: {"200": {description: ok}}
  /a:
    get:
      operationId: this_is_an_extremely_long_operation_identifier_that_goes_well_beyond_sixty_four_characters
      responses: {"200": {description: ok}}
  /b:
    get:
      operationId: this_is_an_extremely_long_operation_identifier_that_goes_well_beyond_sixty_four_characters_too
      responses: {"200": {description: ok}}
  /c:
    get:
      operationId: listThings
      responses: {"200": {description: ok}}
  /d:
    get:
      operationId: ListThings
      responses: {"200": {description: ok}}
  /e/{id}:
    post:
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [id]
              properties:
                id: {type: integer}
                name: {type: string}
                created: {type: string, format: date-time, readOnly: true}
      responses: {"201": {description: created}}
  /9lives:
    get:
      operationId: 9lives
      responses: {"200": {description: ok}}
`

func TestNames(t *testing.T) {
	api := apiFrom(t, namingSpec)
	for _, tg := range tools.Targets {
		set, err := tools.Build(api, tools.Options{Target: tg})
		if err != nil {
			t.Fatal(err)
		}
		lim := tools.TargetLimits[tg]
		names := map[string]*tools.Tool{}
		for _, tl := range set.Tools {
			if !lim.Name.MatchString(tl.Name) {
				t.Errorf("%s: %q invalid", tg, tl.Name)
			}
			if prev := names[strings.ToLower(tl.Name)]; prev != nil {
				t.Errorf("%s: %q and %q collide", tg, tl.Name, prev.Name)
			}
			names[strings.ToLower(tl.Name)] = tl
		}
		byOp := map[string]string{}
		for _, tl := range set.Tools {
			byOp[tl.Operation.Method+" "+tl.Operation.Path] = tl.Name
		}
		// Invalid characters: words in snake case; valid names kept as written.
		if got := byOp["GET /repos/{owner}/{repo}"]; got != "repos_get" && tg != tools.MCP {
			t.Errorf("%s: repos/get became %q", tg, got)
		}
		if got := byOp["GET /c"]; got != "listThings" {
			t.Errorf("%s: listThings became %q", tg, got)
		}
		// Case-insensitive collision: the second gets a hash.
		if got := byOp["GET /d"]; !strings.HasPrefix(got, "ListThings_") || len(got) != len("ListThings_")+6 {
			t.Errorf("%s: ListThings became %q", tg, got)
		}
		// Too long: cut at a word and hashed, differently for each operation.
		a, b := byOp["GET /a"], byOp["GET /b"]
		if tg != tools.MCP && (len(a) > 64 || len(b) > 64 || a == b || !strings.HasPrefix(a, "this_is_an")) {
			t.Errorf("%s: long names %q %q", tg, a, b)
		}
		// No operationId: method and path.
		if got := byOp["POST /e/{id}"]; got != "post_e_id" {
			t.Errorf("%s: POST /e/{id} became %q", tg, got)
		}
		if tg == tools.Gemini {
			if got := byOp["GET /9lives"]; got != "_9lives" {
				t.Errorf("gemini: 9lives became %q", got)
			}
		}
	}
}

func TestInputMerge(t *testing.T) {
	api := apiFrom(t, namingSpec)
	set, err := tools.Build(api, tools.Options{Target: tools.MCP})
	if err != nil {
		t.Fatal(err)
	}
	var repos, post *tools.Tool
	for _, tl := range set.Tools {
		switch tl.Operation.Path {
		case "/repos/{owner}/{repo}":
			repos = tl
		case "/e/{id}":
			post = tl
		}
	}
	props := func(tl *tools.Tool) string {
		var ks []string
		for _, a := range tl.Args {
			ks = append(ks, a.Property)
		}
		return strings.Join(ks, ",")
	}
	// Path params first; the query param of the same name is prefixed; an
	// invalid key is made valid.
	if got := props(repos); got != "owner,repo,query_repo,filter_state" {
		t.Errorf("repos properties %s", got)
	}
	if s := repos.Input.Properties["query_repo"]; s == nil || s.Type[0] != "integer" {
		t.Errorf("query_repo: %+v", s)
	}
	// Body fields are flattened; a body field that collides with a path
	// parameter is prefixed; readOnly fields are dropped.
	if got := props(post); got != "id,body_id,name" {
		t.Errorf("post properties %s", got)
	}
	if strings.Join(post.Input.Required, ",") != "body_id,id" {
		t.Errorf("required %v", post.Input.Required)
	}
	if post.Annotations.ReadOnlyHint || post.Annotations.DestructiveHint == nil || *post.Annotations.DestructiveHint || post.Annotations.IdempotentHint {
		t.Errorf("POST annotations %+v", post.Annotations)
	}
}

func TestSelector(t *testing.T) {
	_, api := loadAPI(t, petstorePath())
	cases := map[string]int{
		"tag:pet": 8, "tag:PET": 8, "path:/pet/*": 5, "path:/pet/**": 6, "/store/**": 4, "method:GET": 8,
		"DELETE": 3, "op:get*": 4, "getPetById": 1, "user": 8, "path:/user/{username}": 3,
	}
	for sel, want := range cases {
		s, err := tools.ParseSelector(sel)
		if err != nil {
			t.Fatal(err)
		}
		if got := len(tools.Select(api.Operations, []tools.Selector{s}, nil)); got != want {
			t.Errorf("%s selects %d, want %d", sel, got, want)
		}
	}
	inc, _ := tools.ParseSelector("tag:pet")
	exc, _ := tools.ParseSelector("method:GET")
	if got := len(tools.Select(api.Operations, []tools.Selector{inc}, []tools.Selector{exc})); got != 5 {
		t.Errorf("tag:pet minus GET = %d, want 5", got)
	}
	for _, bad := range []string{"method:FETCH", "tag:", ""} {
		if _, err := tools.ParseSelector(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestGroup(t *testing.T) {
	_, api := loadAPI(t, petstorePath())
	set, err := tools.Build(api, tools.Options{Target: tools.OpenAI, Strict: true, MaxTools: 14})
	if err != nil {
		t.Fatal(err)
	}
	// 20 operations: folding pet (8) leaves 13 tools.
	if len(set.Tools) != 13 {
		t.Fatalf("%d tools, want 13", len(set.Tools))
	}
	var pet *tools.Tool
	for _, tl := range set.Tools {
		if tl.Name == "pet" {
			pet = tl
		}
	}
	if pet == nil || len(pet.Group) != 8 {
		t.Fatalf("no pet group: %+v", pet)
	}
	raw, _ := set.Marshal()
	validate(t, set, raw)
	op := pet.Input.Properties["operation"]
	if len(op.Enum) != 8 || len(pet.Input.Properties["arguments"].AnyOf) != 8 {
		t.Errorf("group input: %d operations, %d variants", len(op.Enum), len(pet.Input.Properties["arguments"].AnyOf))
	}
	if _, err := tools.Build(api, tools.Options{Target: tools.OpenAI, MaxTools: 2}); err == nil {
		t.Error("a cap below the number of tags was accepted")
	}
}

func TestCapWarnings(t *testing.T) {
	_, api := loadAPI(t, petstorePath())
	// Anthropic accepts 20 strict tools: Petstore's 20 fit, 21 would not.
	set, err := tools.Build(api, tools.Options{Target: tools.Anthropic, Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range set.Warnings {
		if w.Kind == "cap" {
			t.Errorf("unexpected cap warning: %s", w)
		}
	}
	spec := "openapi: 3.0.3\ninfo: {title: Many, version: '1'}\npaths:\n"
	for i := 0; i < 130; i++ {
		spec += "  /r" + strings.Repeat("x", i%3) + itoa(i) + ":\n    get:\n      responses: {'200': {description: ok}}\n"
	}
	many := apiFrom(t, spec)
	set, err = tools.Build(many, tools.Options{Target: tools.OpenAI})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, f := range set.Findings("spec.yaml") {
		found = found || f.RuleID == tools.CapExceeded.ID
	}
	if !found {
		t.Error("130 OpenAI tools gave no cap finding")
	}
}

func itoa(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}

func TestCleanMarkdown(t *testing.T) {
	spec := `openapi: 3.0.3
info: {title: Md, version: "1"}
paths:
  /x:
    get:
      operationId: x
      summary: Get **the** thing
      description: |
        ## Heading

        See [the docs](https://example.com/docs) and ![logo](https://x/y.png).<br/>
        > [!NOTE]
        > Use ` + "`per_page`" + ` &amp; friends.

        <!-- hidden -->
        <details><summary>More</summary>Text</details>
      responses: {"200": {description: ok}}
`
	set, err := tools.Build(apiFrom(t, spec), tools.Options{Target: tools.OpenAI})
	if err != nil {
		t.Fatal(err)
	}
	d := set.Tools[0].Description
	for _, bad := range []string{"**", "##", "](", "<br", "<!--", "hidden", "&amp;", "[!NOTE]", "<details>"} {
		if strings.Contains(d, bad) {
			t.Errorf("description keeps %q: %q", bad, d)
		}
	}
	for _, good := range []string{"Get the thing.", "Heading", "See the docs and logo.", "NOTE:", "`per_page` & friends", "MoreText"} {
		if !strings.Contains(d, good) {
			t.Errorf("description lacks %q: %q", good, d)
		}
	}
	if set.Tools[0].Title != "Get the thing" {
		t.Errorf("title %q", set.Tools[0].Title)
	}
}

func TestDescriptionLimit(t *testing.T) {
	long := strings.Repeat("Ünïcödé words fill the description. ", 200)
	spec := "openapi: 3.0.3\ninfo: {title: L, version: '1'}\npaths:\n  /x:\n    get:\n      operationId: x\n      description: \"" + long + "\"\n      responses: {'200': {description: ok}}\n"
	for _, tg := range tools.Targets {
		set, err := tools.Build(apiFrom(t, spec), tools.Options{Target: tg})
		if err != nil {
			t.Fatal(err)
		}
		d := set.Tools[0].Description
		if len(d) > tools.TargetLimits[tg].Description || !strings.HasSuffix(d, ".") || !json.Valid([]byte(`"`+d+`"`)) {
			t.Errorf("%s: %d bytes, ends %q", tg, len(d), d[len(d)-10:])
		}
	}
}

func TestStrictFallback(t *testing.T) {
	spec := `openapi: 3.0.3
info: {title: S, version: "1"}
paths:
  /m:
    post:
      operationId: withMap
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                labels: {type: object, additionalProperties: {type: string}}
      responses: {"200": {description: ok}}
  /n:
    post:
      operationId: withNode
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Node'}
      responses: {"200": {description: ok}}
components:
  schemas:
    Node:
      type: object
      properties:
        name: {type: string, minLength: 2}
        children: {type: array, items: {$ref: '#/components/schemas/Node'}}
`
	api := apiFrom(t, spec)
	strictOf := func(tg tools.Target) map[string]bool {
		set, err := tools.Build(api, tools.Options{Target: tg, Strict: true})
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := set.Marshal()
		validate(t, set, raw)
		out := map[string]bool{}
		for _, tl := range set.Tools {
			out[tl.Name] = tl.Strict
		}
		return out
	}
	// A map cannot be strict anywhere; recursion is fine for OpenAI
	// ($defs) and not for Anthropic.
	if got := strictOf(tools.OpenAI); got["withMap"] || !got["withNode"] {
		t.Errorf("openai strict: %v", got)
	}
	if got := strictOf(tools.Anthropic); got["withMap"] || got["withNode"] {
		t.Errorf("anthropic strict: %v", got)
	}
	// Gemini has no references: recursion is cut, with a warning.
	set, _ := tools.Build(api, tools.Options{Target: tools.Gemini, Strict: true})
	lossy := 0
	for _, w := range set.Warnings {
		if w.Kind == "lossy" {
			lossy++
		}
	}
	if lossy == 0 {
		t.Error("no warning for the cut recursion")
	}
}
