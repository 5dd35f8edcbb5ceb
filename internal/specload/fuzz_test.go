package specload

import (
	"context"
	"errors"
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
		// YAML syntax errors, located by a second parse.
		"openapi: 3.0.3\ninfo: {title: t,\n  version: '1'\npaths: {}\n", "openapi: 3.0.3\r\ninfo:\r\n\ttitle: t\r\n",
		"openapi: 3.0.3\u2028info: [1\u2029paths: *x\n", "a: \"b\n", "openapi: 3.0.3\ninfo: *x\n",
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
			var pe *ParseError
			if errors.As(err, &pe) && (pe.Line > lineBreaks(data)+1 || pe.Line < 0 || pe.Column < 0) {
				t.Errorf("parse error outside the document (%d line breaks): %v", lineBreaks(data), err)
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

// lineBreaks counts the line breaks of data as YAML does: \n, \r\n, a lone
// \r, NEL, LS and PS.
func lineBreaks(data []byte) int {
	n := 0
	for i := 0; i < len(data); i++ {
		switch {
		case data[i] == '\n':
			n++
		case data[i] == '\r' && (i+1 == len(data) || data[i+1] != '\n'):
			n++
		case data[i] == 0xc2 && i+1 < len(data) && data[i+1] == 0x85,
			data[i] == 0xe2 && i+2 < len(data) && data[i+1] == 0x80 && (data[i+2] == 0xa8 || data[i+2] == 0xa9):
			n++
		}
	}
	return n
}
