package specload

import (
	"maps"

	"github.com/getkin/kin-openapi/openapi3"
)

// OpenAPI 3.2 is read with kin-openapi v0.153.0, which already decodes and
// validates most of what 3.2 adds (itemSchema, the QUERY method,
// additionalOperations) but not the document's $self nor a tag's summary,
// parent and kind: it keeps those among the extensions, and its validation
// calls them "extra sibling fields". Another loader would have meant a
// second model of the spec beside the one lint and generate share; so
// these few fields are read from the extensions here, and validation of a
// 3.2 document does not count them as unknown.

// Tag32 is what OpenAPI 3.2 adds to a tag.
type Tag32 struct {
	Summary string // a short name for display
	Parent  string // the name of the tag this one nests under
	Kind    string // "nav", "badge", "audience" or another registered kind
}

// tag32Fields are the fields of Tag32, as named in a document.
var tag32Fields = []string{"summary", "parent", "kind"}

// TagFields32 returns the 3.2 fields of a tag (empty when it has none or they
// are not strings).
func TagFields32(t *openapi3.Tag) Tag32 {
	if t == nil {
		return Tag32{}
	}
	s := func(k string) string {
		v, _ := t.Extensions[k].(string)
		return v
	}
	return Tag32{Summary: s("summary"), Parent: s("parent"), Kind: s("kind")}
}

// Self returns a 3.2 document's $self: the URI it identifies itself by, the
// base of its relative references ("" when absent).
func (d *Document) Self() string {
	if d.Spec == nil {
		return ""
	}
	s, _ := d.Spec.Extensions["$self"].(string)
	return s
}

// view32 returns spec as validation should see it: for a 3.2 document, a
// copy without the 3.2 fields kin-openapi keeps among the extensions.
func view32(spec *openapi3.T) *openapi3.T {
	if !spec.IsOpenAPI32OrLater() {
		return spec
	}
	cp := *spec
	if _, ok := spec.Extensions["$self"]; ok {
		cp.Extensions = maps.Clone(spec.Extensions)
		delete(cp.Extensions, "$self")
	}
	if len(spec.Tags) > 0 {
		cp.Tags = make(openapi3.Tags, len(spec.Tags))
		for i, t := range spec.Tags {
			cp.Tags[i] = t
			if t == nil {
				continue
			}
			nt := *t
			nt.Extensions = maps.Clone(t.Extensions)
			for _, k := range tag32Fields {
				delete(nt.Extensions, k)
			}
			if len(nt.Extensions) == 0 {
				nt.Extensions = nil
			}
			cp.Tags[i] = &nt
		}
	}
	return &cp
}
