package specload

import (
	"bytes"
	"context"
	"encoding/json"
	neturl "net/url"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	yaml "go.yaml.in/yaml/v4"
)

// fastYAML loads data as parse does for a YAML spec (one parse, the tree
// prepared and decoded) and returns the result encoded, or nil when it
// leaves the document to kin-openapi.
func fastYAML(t testing.TB, data []byte) []byte {
	var root yaml.Node
	if yaml.Unmarshal(data, &root) != nil || !yamlPlain(&root) {
		return nil
	}
	prepareYAML(&root)
	l := openapi3.NewLoader()
	l.IsExternalRefsAllowed = true
	l.ReadFromURIFunc = func(*openapi3.Loader, *neturl.URL) ([]byte, error) { return nil, errNotFast }
	doc, err := loadYAMLFast(l, data, &root)
	if err != nil {
		return nil
	}
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatalf("the fast path loaded a document that does not encode: %v", err)
	}
	return b
}

var yamlCases = []string{
	petYAML,
	`openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /a:
    get:
      responses:
        200:
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/A'}
        default: {description: err}
components:
  schemas:
    A:
      type: object
      description: !md some *text*
      properties:
        d: {type: string, example: 2020-06-11T16:32:50-03:00, default: 2001-12-14}
        n: {type: integer, default: 0x1F, example: 1_000, maximum: 1e3}
        o: {type: integer, enum: [0o17, 017, +12, -0]}
        s: {type: string, enum: [yes, no, on, "off", ~, null, '<<', 1.5]}
        b: {type: boolean, default: true}
      x-keys: {1: a, 2.5: b, true: c, 2020-01-01: d}
      x-tagged: !!str 12
`,
	"openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\nx-a: &a {k: 1}\nx-b: *a\n", // an alias
	"openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\nx-a: {<<: {k: 1}}\n",       // a merge key
	"openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\nx-a: {~: 1}\n",             // a null key
	"openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\nx-a: .inf\n",               // not JSON
	"openapi: 3.0.3\ninfo: {title: t, version: 1}\npaths: {}\n",                            // a decode error
	"openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {/a: {$ref: other.yaml}}\n",    // another document
	"{openapi: 3.0.3, info: {title: \"t\u0085\", version: '1'}, paths: {}}",                // read as JSON by kin
	"openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\nx-a: {k: 1, k: 2}\n",       // a duplicate key
	"openapi: 3.2.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    query: {responses: {'200': {description: x}}}\n",
}

// TestYAMLFastSame compares the one-parse YAML path with kin-openapi's own
// load: where the fast path takes a document, the loaded specs are the same.
func TestYAMLFastSame(t *testing.T) {
	sameAsKin(t, yamlCases, fastYAML, "want at least the first two and the last")
}

// TestYAMLParsedOnce: a 3.x YAML spec loaded by LoadBytes decodes from the
// tree its positions are read from (it is parsed once), and loads, locates
// and scans as kin-openapi's own load with a second parse does.
func TestYAMLParsedOnce(t *testing.T) {
	ctx := context.Background()
	ptrs := []string{"/paths", "/info/title", "/paths/~1a/get/responses/200", "/components/schemas/A/properties/d", "/x-nope"}
	for i, c := range yamlCases {
		load := func(off bool) (*Document, error) {
			noFastYAML = off
			defer func() { noFastYAML = false }()
			return LoadBytes(ctx, "p.yaml", []byte(c), "", Options{ScanKeys: []string{"$ref", "x-keys"}})
		}
		a, aerr := load(false)
		b, berr := load(true)
		if (aerr == nil) != (berr == nil) || aerr != nil && aerr.Error() != berr.Error() {
			t.Errorf("case %d: errors differ: %v / %v", i, aerr, berr)
			continue
		}
		if aerr != nil {
			continue
		}
		ja, _ := json.Marshal(a.Spec)
		jb, _ := json.Marshal(b.Spec)
		if !bytes.Equal(ja, jb) {
			t.Errorf("case %d: specs differ:\n%s\n%s", i, ja, jb)
		}
		if pa, pb := a.Locate(ptrs), b.Locate(ptrs); !reflect.DeepEqual(pa, pb) {
			t.Errorf("case %d: positions differ:\n%v\n%v", i, pa, pb)
		}
		ka, kb := a.FindKeys("$ref", "x-keys"), b.FindKeys("$ref", "x-keys")
		if i == 1 {
			// Keys are names, as kin-openapi reads them: the second parse
			// dropped the members of x-keys whose keys resolve to a number,
			// a boolean or a date.
			if m, _ := ka[len(ka)-1].Value.(map[string]any); len(m) != 4 {
				t.Errorf("x-keys read as %v, want its four members", ka[len(ka)-1].Value)
			}
			ka, kb = ka[:len(ka)-1], kb[:len(kb)-1]
		}
		if !reflect.DeepEqual(ka, kb) {
			t.Errorf("case %d: key matches differ:\n%v\n%v", i, ka, kb)
		}
	}
}

// TestYAMLFastSameRealSpecs compares the two paths on Figma's spec when
// AGENTREADY_SPECS_DIR names the node_modules bench/lint.sh installs.
func TestYAMLFastSameRealSpecs(t *testing.T) {
	dir := os.Getenv("AGENTREADY_SPECS_DIR")
	if dir == "" {
		t.Skip("AGENTREADY_SPECS_DIR not set")
	}
	data, err := os.ReadFile(filepath.Join(dir, "@figma/rest-api-spec/openapi/openapi.yaml"))
	if err != nil {
		t.Skip(err)
	}
	fast := fastYAML(t, data)
	if fast == nil {
		t.Fatal("Figma's spec was left to kin-openapi")
	}
	if kin := kinJSON(data); !bytes.Equal(fast, kin) {
		t.Errorf("the two paths load different specs")
	}
}

// FuzzYAMLFast: the one-parse path never panics or hangs, and a document
// it takes loads as kin-openapi loads it.
func FuzzYAMLFast(f *testing.F) {
	for _, c := range yamlCases {
		f.Add([]byte(c))
	}
	f.Add([]byte("openapi: 3.0.3\npaths:\n  /a:\n    get:\n      responses:\n        '200': {$ref: '#/x'}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fast := fastYAML(t, data)
		if fast == nil {
			return
		}
		if kin := kinJSON(data); !bytes.Equal(fast, kin) {
			t.Errorf("fast %s\nkin  %s", fast, kin)
		}
	})
}
