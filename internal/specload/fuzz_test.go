package specload

import (
	"context"
	"strings"
	"testing"
	"time"
)

// FuzzLoad feeds arbitrary bytes to the loader and the position scanners:
// they must return (a document or an error) without panicking or hanging.
func FuzzLoad(f *testing.F) {
	for _, s := range []string{petYAML, petJSON, swagger, aliasBomb,
		`{"openapi": "3.0.3", "paths": {"/a": {"get": {"responses": {"200": {"$ref": "#/x"}}}}}}`,
		`{"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{}`, // truncated
		"openapi: 3.0.3\ninfo: &a {title: *a}\n",
		`{"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {"/p": {"post": {"parameters": [{"in": "body", "name": "b", "schema": {"type": "object"}}], "responses": {"200": {"description": "x"}}}}}}`,
		"\ufeff{\"openapi\": 3.1}", "[", "{\"a\\u0000\": [}", "openapi: '3.0.0'\npaths:\n  /x:\n    $ref: '#/paths/~1x'\n",
	} {
		f.Add([]byte(s))
	}
	ptrs := []string{"", "/paths", "/paths/~1pets~1{id}/get/parameters/0", "/components/schemas/Pet/properties/x",
		"/info/title", "/paths/~1p/post/requestBody/content/application~1json/schema", "@/definitions", "/x~/~1/0/1"}
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		d, err := LoadBytes(ctx, "fuzz", data, "", Options{MaxBytes: 1 << 20})
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz") {
				t.Errorf("error without the file name: %v", err)
			}
			d = &Document{Name: "fuzz", Bytes: data, Format: detectFormat(data)}
		} else {
			_ = d.Validate(ctx)
		}
		pos := d.Locate(ptrs)
		for _, p := range ptrs {
			if pos[p].Line < 1 || pos[p].Column < 1 {
				t.Errorf("%q: no position", p)
			}
		}
		_ = d.FindKeys("$ref", "description")
	})
}
