package extract

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	_ "github.com/agentready/agentready/internal/golden" // defines -update, which go test ./... -update hands every package
)

func TestParseJSONLDScript(t *testing.T) {
	cases := []struct {
		name, script string
		want         string // JSON of the items
		repair       string // substring of a repair, "" for none
		errLine      int    // >0: an error is expected on this line
	}{
		{"strict", `{"@type": "Product", "name": "a"}`, `[{"@type":"Product","name":"a"}]`, "", 0},
		{"array spread and nulls dropped", `[{"a":1}, null, {}]`, `[{"a":1}]`, "", 0},
		{"control chars", "{\"a\": \"x\ty\nz\"}", `[{"a":"x\ty\nz"}]`, "", 0},
		{"comments and trailing commas", "{\n\"a\": \"b\", // note\n/* c */ \"c\": [1,2,],\n}", `[{"a":"b","c":[1,2]}]`, "comments", 0},
		{"url with slashes kept", `{"u": "http://x/y", /* c */ "v": 1,}`, `[{"u":"http://x/y","v":1}]`, "comments", 0},
		{"leading html comment", "<!-- x -->\n{\"a\": 1,}", `[{"a":1}]`, "comments", 0},
		{"js escapes", `{"a": "Bob\'s \x27 c:\videos"}`, `[{"a":"Bob's ' c:\\videos"}]`, "escapes", 0},
		{"trailing brace", `{"@type": "Product", "name": "a"}}`, `[{"@type":"Product","name":"a"}]`, "trailing", 0},
		{"trailing semicolon", `{"@type": "Product", "name": "a"};`, `[{"@type":"Product","name":"a"}]`, "trailing", 0},
		{"trailing words", `{"@type": "Product", "name": "a"} oops trailing words`, `[{"@type":"Product","name":"a"}]`, "trailing", 0},
		{"concatenated", `{"@type": "Product"}{"@type": "Offer"}`, `[{"@type":"Product"},{"@type":"Offer"}]`, "concatenated", 0},
		{"html escaped", `{&quot;@type&quot;:&quot;Organization&quot;,&quot;name&quot;:&quot;Foo &amp; Bar&quot;}`, `[{"@type":"Organization","name":"Foo & Bar"}]`, "HTML entities", 0},
		{"truncated", "{\n  \"@type\": \"Product\",\n  \"name\":", ``, "", 3},
		{"not json", "hello world", ``, "", 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b, ok := ParseJSONLDScript(c.script, 1)
			if !ok {
				t.Fatal("not ok")
			}
			if c.errLine > 0 {
				if b.Err == nil {
					t.Fatalf("no error; items %v", b.Items)
				}
				if b.Err.Line != c.errLine {
					t.Errorf("error on line %d, want %d (%v)", b.Err.Line, c.errLine, b.Err)
				}
				return
			}
			if b.Err != nil {
				t.Fatal(b.Err)
			}
			var want any
			if err := json.Unmarshal([]byte(c.want), &want); err != nil {
				t.Fatal(err)
			}
			if got := roundTrip(t, b.Items); !reflect.DeepEqual(got, want) {
				t.Errorf("got %v, want %v", got, want)
			}
			joined := strings.Join(b.Repairs, "; ")
			if c.repair == "" && joined != "" || c.repair != "" && !strings.Contains(joined, c.repair) {
				t.Errorf("repairs %q, want %q", joined, c.repair)
			}
		})
	}
	if _, ok := ParseJSONLDScript("  \n\n ", 1); ok {
		t.Error("blank script reported")
	}
}

func TestJSONLDPageLines(t *testing.T) {
	page := "<!doctype html>\n<html><head>\n<script type=\"application/ld+json\">{\"a\":1}</script>\n" +
		"<SCRIPT type=' Application/LD+JSON '>\n{\n \"b\": ,\n}</SCRIPT>\n<script>var x = 1</script></head></html>"
	bs := JSONLD([]byte(page))
	if len(bs) != 2 {
		t.Fatalf("%d blocks", len(bs))
	}
	if bs[0].Line != 3 || bs[0].Err != nil || len(bs[0].Items) != 1 {
		t.Errorf("block 0: %+v", bs[0])
	}
	if bs[1].Err == nil || bs[1].Err.Line != 6 {
		t.Errorf("block 1 error: %+v", bs[1].Err)
	}
}

func TestJSONLDDeepNesting(t *testing.T) {
	s := strings.Repeat("[", 100000) + strings.Repeat("]", 100000)
	b, _ := ParseJSONLDScript(s, 1)
	if b.Err == nil {
		t.Fatal("deep nesting accepted")
	}
}

func FuzzParseJSONLDScript(f *testing.F) {
	for _, s := range []string{`{"a":1}`, `[{"a":"b",},]`, "{\"a\": \"\x01\"} // x", `{"a":"\x41\'"}}`, `{&quot;a&quot;:1}`, "/* */", `"\u12"`, "{\"a\":[1,2,{\"b\":null}]}{}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b, _ := ParseJSONLDScript(s, 1)
		if b.Err != nil && b.Err.Line < 1 {
			t.Fatalf("bad line %d", b.Err.Line)
		}
	})
}

func FuzzJSONLD(f *testing.F) {
	f.Add([]byte(`<script type="application/ld+json">{"a":1}</script>`))
	f.Add([]byte(`<script type="application/ld+json"></script><script type="application/ld+json">x`))
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, bl := range JSONLD(b) {
			if bl.Err != nil && bl.Err.Line < 1 {
				t.Fatalf("bad line %d", bl.Err.Line)
			}
		}
	})
}
