package ir_test

import (
	"context"
	"go/token"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/agentready/agentready/generate/ir"
	_ "github.com/agentready/agentready/internal/golden" // defines -update, which go test ./... -update hands every package
	"github.com/agentready/agentready/internal/specload"
)

func repoRoot(t testing.TB) string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

func load(t testing.TB, path string) *ir.API {
	t.Helper()
	d, err := specload.Load(context.Background(), path, nil, specload.Options{})
	if err != nil {
		t.Fatal(err)
	}
	api, err := ir.Build(d.Spec, ir.Options{Reserved: []string{"Client", "New"}, FieldReserved: []string{"MarshalJSON"}})
	if err != nil {
		t.Fatal(err)
	}
	return api
}

// checkNames asserts the naming pass's contract: valid, non-reserved,
// unique identifiers in every namespace.
func checkNames(t *testing.T, api *ir.API, reserved ...string) {
	t.Helper()
	pkg := map[string]string{}
	for _, r := range reserved {
		pkg[r] = "reserved"
	}
	claim := func(ns map[string]string, name, what string) {
		t.Helper()
		if !token.IsIdentifier(name) || token.IsKeyword(name) {
			t.Errorf("%s: %q is not a valid identifier", what, name)
		}
		for _, r := range name {
			if r > 127 {
				t.Errorf("%s: %q is not ASCII", what, name)
				break
			}
		}
		if prev, ok := ns[name]; ok {
			t.Errorf("%s: %q already used by %s", what, name, prev)
		}
		ns[name] = what
	}
	client := map[string]string{}
	for _, ty := range api.Types {
		claim(pkg, ty.Name, "type "+ty.Pointer)
		fields := map[string]string{"MarshalJSON": "reserved"}
		for _, f := range ty.Fields {
			claim(fields, f.Name, "field "+f.JSONName+" of "+ty.Name)
		}
		variants := map[string]string{"Raw": "reserved"}
		for _, v := range ty.Variants {
			claim(variants, v.Name, "variant of "+ty.Name)
		}
	}
	for _, ty := range api.Types {
		for _, v := range ty.Values {
			claim(pkg, v.Name, "enum constant of "+ty.Name)
		}
	}
	for _, op := range api.Operations {
		claim(client, op.Name, "operation "+op.Pointer)
		claim(pkg, op.ParamsName, "params of "+op.Pointer)
		claim(pkg, op.ResponseName, "response of "+op.Pointer)
		if op.Pagination != nil {
			claim(client, op.Pagination.IterName, "iterator of "+op.Pointer)
		}
		params := map[string]string{"Body": "reserved"}
		for _, p := range op.Params {
			claim(params, p.Name, "param "+p.Wire+" of "+op.Name)
		}
	}
}

func TestNamingFixture(t *testing.T) {
	api := load(t, filepath.Join(repoRoot(t), "testdata", "generate", "naming.yaml"))
	checkNames(t, api, "Client", "New")

	byPointer := map[string]*ir.Type{}
	for _, ty := range api.Types {
		byPointer[ty.Pointer] = ty
	}
	want := map[string]string{
		"/components/schemas/Pet":        "Pet",
		"/components/schemas/pet":        "Pet2",    // differs only in case
		"/components/schemas/type":       "Type",    // keyword-like, exported
		"/components/schemas/2fa":        "N2fa",    // leading digit
		"/components/schemas/Ünïcode":    "Unicode", // diacritics dropped
		"/components/schemas/日本":         "U65E5U672C",
		"/components/schemas/Client":     "Client2", // reserved by the renderer
		"/components/schemas/Pet-Status": "PetStatus",
	}
	for ptr, name := range want {
		ty := byPointer[ptr]
		if ty == nil {
			t.Errorf("no type for %s", ptr)
			continue
		}
		if ty.Name != name {
			t.Errorf("%s: name %q, want %q", ptr, ty.Name, name)
		}
	}
	pet := byPointer["/components/schemas/Pet"]
	got := map[string]string{}
	for _, f := range pet.Fields {
		got[f.JSONName] = f.Name
	}
	for json, name := range map[string]string{"ID": "ID", "Id": "ID2", "id": "ID3", "MarshalJSON": "MarshalJSON2", "func": "Func", "type": "Type"} {
		if got[json] != name {
			t.Errorf("Pet.%s named %q, want %q", json, got[json], name)
		}
	}
	var children, tag, status *ir.Field
	for _, f := range pet.Fields {
		switch f.JSONName {
		case "children":
			children = f
		case "tag":
			tag = f
		case "status":
			status = f
		}
	}
	if children == nil || children.Type.Kind != ir.Array || children.Type.Elem != pet {
		t.Errorf("Pet.children should be an array of Pet itself (recursion)")
	}
	if tag == nil || !tag.Nullable || tag.Type.Kind != ir.String {
		t.Errorf("Pet.tag should be a nullable string (3.1 type array)")
	}
	if status == nil || status.Type.Kind != ir.Enum || !status.Nullable {
		t.Fatalf("Pet.status should be a nullable enum, got %+v", status)
	}
	var consts []string
	for _, v := range status.Type.Values {
		consts = append(consts, v.Name)
	}
	wantConsts := []string{"PetStatus2Available", "PetStatus2Available2", "PetStatus2Minus1", "PetStatus2Empty", "PetStatus2Pending"}
	if len(consts) != len(wantConsts) {
		t.Fatalf("enum constants %v, want %v", consts, wantConsts)
	}
	for i := range consts {
		if consts[i] != wantConsts[i] {
			t.Errorf("enum constants %v, want %v", consts, wantConsts)
			break
		}
	}
	shape := byPointer["/components/schemas/Shape"]
	if shape.Kind != ir.Union || shape.Discriminator == nil || shape.Discriminator.Property != "kind" {
		t.Fatalf("Shape should be a discriminated union")
	}
	if tags := shape.Variants[0].Tags; len(tags) != 1 || tags[0] != "circle" {
		t.Errorf("Circle tags %v, want [circle] from the mapping", tags)
	}
	if tags := shape.Variants[1].Tags; len(tags) != 1 || tags[0] != "Square" {
		t.Errorf("Square tags %v, want [Square] (implicit)", tags)
	}
	if u := byPointer["/components/schemas/IdOrName"]; u.Kind != ir.Union || !u.AnyOf || u.Variants[0].Name != "String" || u.Variants[1].Name != "Integer" {
		t.Errorf("IdOrName should be an anyOf union of String and Integer")
	}

	ops := map[string]*ir.Operation{}
	for _, op := range api.Operations {
		ops[op.Method+" "+op.Path] = op
	}
	list := ops["GET /pets"]
	if list.Name != "ListPets" || list.ParamsName != "ListPetsParams2" {
		t.Errorf("GET /pets: %s/%s, want ListPets/ListPetsParams2", list.Name, list.ParamsName)
	}
	if p := list.Pagination; p == nil || p.Kind != "cursor" || p.Param.Wire != "cursor" || p.Limit.Wire != "limit" || p.Next[0].JSONName != "next_cursor" || p.Item != pet {
		t.Errorf("GET /pets should paginate by cursor, got %+v", list.Pagination)
	}
	if list.Params[3].Wire != "Body" || list.Params[3].Name != "Body2" {
		t.Errorf("a parameter named Body must not take the body's field name")
	}
	create := ops["POST /pets"]
	if create.Name != "ListPets2" || create.IdempotencyKey == nil {
		t.Errorf("POST /pets: %s idempotency=%v", create.Name, create.IdempotencyKey != nil)
	}
	owners := ops["GET /pets/{petId}/owners/{ownerId}"]
	if owners.Name != "GetPetsPetIDOwnersOwnerID" || len(owners.Params) != 2 || owners.Params[1].Wire != "ownerId" {
		t.Errorf("undeclared path parameter should be synthesised: %+v", owners.Params)
	}
	if len(api.Warnings) == 0 {
		t.Errorf("the undeclared path parameter should be warned about")
	}
	if len(api.Servers) != 1 || api.Servers[0] != "https://eu.example.test/v1" {
		t.Errorf("servers %v", api.Servers)
	}
}

func TestWords(t *testing.T) {
	for in, want := range map[string]string{
		"HTTPServer":         "HTTPServer",
		"pet_id":             "PetID",
		"repos/list-for-org": "ReposListForOrg",
		"getURLs":            "GetURLs",
		"x-ratelimit-limit":  "XRatelimitLimit",
		"  ":                 "",
		"café":               "Cafe",
		// Go initialisms and their plurals (golint, staticcheck ST1003).
		"ids":         "IDs",
		"tax_ids":     "TaxIDs",
		"userId":      "UserID",
		"htmlUrl":     "HTMLURL",
		"html_urls":   "HTMLURLs",
		"UserIDsList": "UserIDsList",
		"api_uuid":    "APIUUID",
		"xmpp_jid":    "XMPPJid",
		"IPsec":       "IPsec",
		"ips":         "IPs",
		"status":      "Status",
		"os":          "OS",
		"dbName":      "DBName",
	} {
		if got := ir.Pascal(ir.Words(in)); got != want {
			t.Errorf("Pascal(Words(%q)) = %q, want %q", in, got, want)
		}
	}
	if got := ir.Camel("PetID"); got != "petID" {
		t.Errorf("Camel(PetID) = %q", got)
	}
	if got := ir.Camel("Type"); got != "type_" {
		t.Errorf("Camel(Type) = %q, want type_", got)
	}
	if got := ir.Snake("HTTPServerID"); got != "http_server_id" {
		t.Errorf("Snake = %q", got)
	}
	// Names already in Go form come back unchanged, so renderers can derive
	// other cases from them.
	for in, want := range map[string]string{"UserIDs": "user_ids", "APIsByURLs": "apis_by_urls"} {
		if got := ir.Snake(in); got != want {
			t.Errorf("Snake(%q) = %q, want %q", in, got, want)
		}
		if got := ir.Pascal(ir.Words(in)); got != in {
			t.Errorf("Pascal(Words(%q)) = %q", in, got)
		}
	}
	if got := ir.Camel("UserIDs"); got != "userIDs" {
		t.Errorf("Camel(UserIDs) = %q", got)
	}
}

// TestRealSpecs builds the IR of every spec in AGENTREADY_SPECS (a directory
// tree, e.g. the bench cache) and checks the naming contract on each.
func TestRealSpecs(t *testing.T) {
	dir := os.Getenv("AGENTREADY_SPECS")
	if dir == "" {
		t.Skip("AGENTREADY_SPECS not set")
	}
	matches, _ := filepath.Glob(filepath.Join(dir, "*"))
	for _, m := range matches {
		t.Run(filepath.Base(m), func(t *testing.T) {
			api := load(t, m)
			checkNames(t, api, "Client", "New")
		})
	}
}
