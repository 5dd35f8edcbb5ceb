package specload

import (
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi3"
)

// FilePointer returns the pointer into the file's own layout for a pointer
// into Spec: the same pointer for 3.x, its 2.0 counterpart for a 2.0 spec
// (see Locate). A pointer prefixed with "@" is already in the file's layout.
func (d *Document) FilePointer(p string) string {
	if raw, ok := strings.CutPrefix(p, "@"); ok {
		return raw
	}
	if d.V2 == nil {
		return p
	}
	return d.toV2Pointer(p)
}

// toV2Pointer translates a pointer into the converted OpenAPI 3 model to the
// place in the 2.0 file that it came from. Parts that have no 2.0
// counterpart are kept; Locate then stops at the deepest ancestor found.
func (d *Document) toV2Pointer(p string) string {
	segs := splitPointer(p)
	if len(segs) == 0 {
		return p
	}
	switch segs[0] {
	case "servers":
		return "/host"
	case "components":
		if len(segs) < 2 {
			return "/definitions"
		}
		m := map[string]string{"schemas": "definitions", "parameters": "parameters", "responses": "responses",
			"securitySchemes": "securityDefinitions", "requestBodies": "parameters"}
		if t, ok := m[segs[1]]; ok {
			rest := segs[2:]
			if segs[1] == "requestBodies" && len(rest) > 0 {
				return Pointer(append([]string{"parameters", rest[0]}, v2Content(rest[1:])...)...)
			}
			if segs[1] == "responses" && len(rest) > 0 {
				return Pointer(append([]string{"responses", rest[0]}, v2Content(rest[1:])...)...)
			}
			if segs[1] == "parameters" && len(rest) > 1 && rest[1] == "schema" {
				rest = append([]string{rest[0]}, rest[2:]...)
			}
			return Pointer(append([]string{t}, rest...)...)
		}
		return p
	case "paths":
		if len(segs) < 3 {
			return p
		}
		path := segs[1]
		pi2 := d.V2.Paths[path]
		var pi3 *openapi3.PathItem
		if d.Spec != nil && d.Spec.Paths != nil {
			pi3 = d.Spec.Paths.Value(path)
		}
		if pi2 == nil || pi3 == nil {
			return p
		}
		if segs[2] == "parameters" {
			return Pointer(append([]string{"paths", path}, v2Params(pi3.Parameters, pi2.Parameters, segs[3:])...)...)
		}
		method := segs[2]
		op3 := pi3.GetOperation(strings.ToUpper(method))
		op2 := pi2.GetOperation(strings.ToUpper(method))
		if op3 == nil || op2 == nil || len(segs) < 4 {
			return p
		}
		head := []string{"paths", path, method}
		rest := segs[3:]
		switch rest[0] {
		case "parameters":
			return Pointer(append(head, v2Params(op3.Parameters, op2.Parameters, rest[1:])...)...)
		case "requestBody":
			for i, prm := range op2.Parameters {
				if prm == nil {
					continue
				}
				if prm.In == "body" || (prm.Ref != "" && strings.Contains(prm.Ref, "Body")) {
					return Pointer(append(head, append([]string{"parameters", strconv.Itoa(i)}, v2Content(rest[1:])...)...)...)
				}
			}
			// formData: .../content/MT/schema/properties/NAME -> the parameter NAME.
			if len(rest) >= 6 && rest[3] == "schema" && rest[4] == "properties" {
				for i, prm := range op2.Parameters {
					if prm != nil && prm.In == "formData" && prm.Name == rest[5] {
						return Pointer(append(head, "parameters", strconv.Itoa(i))...)
					}
				}
			}
			return Pointer(append(head, "parameters")...)
		case "responses":
			if len(rest) >= 2 {
				return Pointer(append(head, append([]string{"responses", rest[1]}, v2Content(rest[2:])...)...)...)
			}
		}
		return p
	}
	return p
}

// v2Content drops the media-type level of a 3.x content map
// (content/MT/schema/... becomes schema/...) and a header's schema level.
func v2Content(rest []string) []string {
	if len(rest) >= 2 && rest[0] == "content" {
		return rest[2:]
	}
	if len(rest) >= 3 && rest[0] == "headers" && rest[2] == "schema" {
		return append([]string{"headers", rest[1]}, rest[3:]...)
	}
	return rest
}

// v2Params maps parameters/I/... in a 3.x list to the same parameter in the
// 2.0 list (indexes differ once body and formData parameters are taken out).
func v2Params(p3 openapi3.Parameters, p2 openapi2.Parameters, rest []string) []string {
	if len(rest) == 0 {
		return []string{"parameters"}
	}
	i, err := strconv.Atoi(rest[0])
	if err != nil || i < 0 || i >= len(p3) || p3[i] == nil {
		return append([]string{"parameters"}, rest...)
	}
	tail := rest[1:]
	if len(tail) > 0 && tail[0] == "schema" {
		tail = tail[1:] // 2.0 parameters carry their type inline
	}
	ref3 := p3[i].Ref
	var name, in string
	if v := p3[i].Value; v != nil {
		name, in = v.Name, v.In
	}
	for j, q := range p2 {
		if q == nil {
			continue
		}
		if (ref3 != "" && q.Ref != "" && refName(q.Ref) == refName(ref3)) || (q.Ref == "" && q.Name == name && q.In == in) {
			return append([]string{"parameters", strconv.Itoa(j)}, tail...)
		}
	}
	return []string{"parameters"}
}

func refName(ref string) string {
	return ref[strings.LastIndexByte(ref, '/')+1:]
}
