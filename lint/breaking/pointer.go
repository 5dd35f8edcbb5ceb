package breaking

import (
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/agentready/agentready/internal/specload"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/oasdiff/oasdiff/checker"
)

// mapper turns an oasdiff change into a JSON pointer. oasdiff locates
// changes through kin-openapi's origin tracking, which costs about a
// quarter more load time on large specs; the pointer is built from what the
// change names instead (operation, parameter, status, property path), and
// specload maps it to line:column with one scan, only for the changes
// reported. A pointer that goes deeper than the document is resolved to
// its nearest existing ancestor by specload.Document.Locate.
type mapper struct {
	base, spec *specload.Document
}

var statusRE = regexp.MustCompile(`^([1-5](\d\d|XX)|default)$`)

var paramLocations = []string{"path", "query", "header", "cookie"}

func (m *mapper) locate(c checker.Change) (Side, string) {
	id := c.GetId()
	side := InSpec
	if IsRemoval(id) {
		side = InBase
	}
	switch c.GetSection() {
	case "components":
		cc, _ := c.(checker.ComponentChange)
		ptr := "/components"
		if cc.Component != "" {
			ptr = specload.Pointer("components", cc.Component)
			if args := c.GetArgs(); len(args) > 0 {
				if name, ok := args[0].(string); ok {
					ptr = specload.Pointer("components", cc.Component, name)
				}
			}
		}
		return side, ptr
	case "security":
		return side, "/security"
	case "info":
		return InSpec, "/info/version"
	}
	path, method := c.GetPath(), strings.ToLower(c.GetOperation())
	if path == "" {
		return side, ""
	}
	var opPtr string
	var itemPtr string
	if name, ok := strings.CutPrefix(path, "webhook:"); ok {
		itemPtr = specload.Pointer("webhooks", name)
	} else {
		itemPtr = specload.Pointer("paths", path)
	}
	if method == "" {
		return side, itemPtr
	}
	opPtr = itemPtr + "/" + method
	doc := m.spec
	if side == InBase {
		doc = m.base
	}
	item, op := operation(doc, path, method)
	if op == nil && side == InSpec {
		// An operation SPEC does not have: show it where BASE had it.
		side, doc = InBase, m.base
		item, op = operation(doc, path, method)
	}
	if op == nil {
		return side, opPtr
	}
	args := stringArgs(c.GetArgs())
	switch {
	case strings.Contains(id, "parameter") && len(args) >= 2 && slices.Contains(paramLocations, args[0]):
		return side, paramPointer(item, op, itemPtr, opPtr, args[0], args[1])
	case strings.HasPrefix(id, "response-") || strings.Contains(id, "-response-"):
		status := ""
		for _, a := range args {
			if statusRE.MatchString(a) {
				status = a
				break
			}
		}
		if status == "" || op.Responses == nil || op.Responses.Value(status) == nil {
			return side, opPtr + "/responses"
		}
		ptr := opPtr + "/responses/" + specload.EscapeToken(status)
		r := op.Responses.Value(status)
		if strings.Contains(id, "property") && len(args) > 0 && r.Value != nil {
			ptr, sr := mediaSchema(ptr, r.Ref, r.Value.Content)
			return side, walkProperty(ptr, sr, args[0])
		}
		return side, ptr
	case strings.HasPrefix(id, "request-body") || strings.HasPrefix(id, "request-property") ||
		strings.Contains(id, "request-property") || strings.Contains(id, "request-body"):
		if op.RequestBody == nil || op.RequestBody.Value == nil {
			return side, opPtr
		}
		ptr := opPtr + "/requestBody"
		if strings.Contains(id, "property") && len(args) > 0 {
			ptr, sr := mediaSchema(ptr, op.RequestBody.Ref, op.RequestBody.Value.Content)
			return side, walkProperty(ptr, sr, args[0])
		}
		return side, ptr
	}
	return side, opPtr
}

func operation(doc *specload.Document, path, method string) (*openapi3.PathItem, *openapi3.Operation) {
	if doc == nil || doc.Spec == nil {
		return nil, nil
	}
	var item *openapi3.PathItem
	if name, ok := strings.CutPrefix(path, "webhook:"); ok {
		if doc.Spec.Webhooks != nil {
			if ref := doc.Spec.Webhooks[name]; ref != nil {
				item = ref
			}
		}
	} else if doc.Spec.Paths != nil {
		item = doc.Spec.Paths.Value(path)
	}
	if item == nil {
		return nil, nil
	}
	return item, item.GetOperation(strings.ToUpper(method))
}

func stringArgs(args []any) []string {
	out := make([]string, len(args))
	for i, a := range args {
		if s, ok := a.(string); ok {
			out[i] = s
		}
	}
	return out
}

func paramPointer(item *openapi3.PathItem, op *openapi3.Operation, itemPtr, opPtr, in, name string) string {
	find := func(ps openapi3.Parameters) int {
		for i, p := range ps {
			if p != nil && p.Value != nil && p.Value.In == in && strings.EqualFold(p.Value.Name, name) {
				return i
			}
		}
		return -1
	}
	if i := find(op.Parameters); i >= 0 {
		return opPtr + "/parameters/" + strconv.Itoa(i)
	}
	if i := find(item.Parameters); i >= 0 {
		return itemPtr + "/parameters/" + strconv.Itoa(i)
	}
	return opPtr
}

// mediaSchema picks the schema of a request or response body: JSON first,
// else the first media type in name order.
func mediaSchema(ptr, ref string, content openapi3.Content) (string, *openapi3.SchemaRef) {
	if name, ok := strings.CutPrefix(ref, "#/components/"); ok {
		// The body is a component: point into it, where the property is.
		ptr = "/components/" + name
	}
	names := make([]string, 0, len(content))
	for n := range content {
		names = append(names, n)
	}
	slices.Sort(names)
	slices.SortStableFunc(names, func(a, b string) int { return boolRank(isJSON(b)) - boolRank(isJSON(a)) })
	for _, n := range names {
		if mt := content[n]; mt != nil && mt.Schema != nil {
			return ptr + "/content/" + specload.EscapeToken(n) + "/schema", mt.Schema
		}
	}
	return ptr, nil
}

func isJSON(mediaType string) bool {
	return mediaType == "application/json" || strings.HasSuffix(mediaType, "+json")
}

// walkProperty follows an oasdiff property path ("owner/tags/items/x")
// from a schema, through local $refs to where each property is defined.
// It stops where the path leaves what it can follow; the pointer is then
// the deepest schema it reached.
func walkProperty(ptr string, sr *openapi3.SchemaRef, path string) string {
	for seg := range strings.SplitSeq(path, "/") {
		if sr == nil || (sr.Ref != "" && !strings.HasPrefix(sr.Ref, "#/")) {
			// Another file: positions are in the spec's own file, so stop
			// at the $ref that leads there.
			return ptr
		}
		ptr, sr = deref(ptr, sr)
		s := sr.Value
		if s == nil {
			return ptr
		}
		switch {
		case seg == "items" && s.Items != nil:
			ptr, sr = ptr+"/items", s.Items
		case s.Properties[seg] != nil:
			ptr, sr = ptr+"/properties/"+specload.EscapeToken(seg), s.Properties[seg]
		default:
			found := false
			for _, kl := range []struct {
				kw   string
				list openapi3.SchemaRefs
			}{{"allOf", s.AllOf}, {"oneOf", s.OneOf}, {"anyOf", s.AnyOf}} {
				for i, sub := range kl.list {
					subPtr, subRef := deref(ptr+"/"+kl.kw+"/"+strconv.Itoa(i), sub)
					if subRef.Value != nil && subRef.Value.Properties[seg] != nil {
						ptr, sr = subPtr+"/properties/"+specload.EscapeToken(seg), subRef.Value.Properties[seg]
						found = true
						break
					}
				}
				if found {
					break
				}
			}
			if !found {
				return ptr
			}
		}
	}
	return ptr
}

// deref moves a pointer to where a local $ref points.
func deref(ptr string, sr *openapi3.SchemaRef) (string, *openapi3.SchemaRef) {
	if sr == nil {
		return ptr, &openapi3.SchemaRef{}
	}
	if target, ok := strings.CutPrefix(sr.Ref, "#"); ok && strings.HasPrefix(target, "/") {
		return target, sr
	}
	return ptr, sr
}
