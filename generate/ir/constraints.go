package ir

import "github.com/getkin/kin-openapi/openapi3"

// Constraints are a schema's validation keywords. Renderers that emit JSON
// Schema (LLM tool definitions) need them; code generators may ignore them.
type Constraints struct {
	Minimum, Maximum *float64
	// ExclusiveMinimum and ExclusiveMaximum make Minimum and Maximum strict
	// (3.0's booleans and 3.1's numbers are both normalised to this form).
	ExclusiveMinimum, ExclusiveMaximum bool
	MultipleOf                         *float64
	MinLength, MaxLength               *uint64
	Pattern                            string
	MinItems, MaxItems                 *uint64
	UniqueItems                        bool
	MinProperties, MaxProperties       *uint64
	// Default and Example are JSON values as decoded from the spec.
	Default, Example any
	// Const is JSON Schema's const (3.1), nil when absent.
	Const any
	// ContentEncoding and ContentMediaType describe encoded string content (3.1).
	ContentEncoding, ContentMediaType string
}

// constraintsOf collects s's validation keywords, or nil when it has none.
func constraintsOf(s *openapi3.Schema) *Constraints {
	c := &Constraints{
		Minimum: s.Min, Maximum: s.Max, MultipleOf: s.MultipleOf, MaxLength: s.MaxLength, Pattern: s.Pattern,
		MaxItems: s.MaxItems, UniqueItems: s.UniqueItems, MaxProperties: s.MaxProps, Default: s.Default,
		Example: s.Example, Const: s.Const, ContentEncoding: s.ContentEncoding, ContentMediaType: s.ContentMediaType,
	}
	if s.MinLength > 0 {
		v := s.MinLength
		c.MinLength = &v
	}
	if s.MinItems > 0 {
		v := s.MinItems
		c.MinItems = &v
	}
	if s.MinProps > 0 {
		v := s.MinProps
		c.MinProperties = &v
	}
	if c.Example == nil && len(s.Examples) > 0 {
		c.Example = s.Examples[0]
	}
	if s.ExclusiveMin.Value != nil {
		v := *s.ExclusiveMin.Value
		c.Minimum, c.ExclusiveMinimum = &v, true
	} else if s.ExclusiveMin.IsTrue() && c.Minimum != nil {
		c.ExclusiveMinimum = true
	}
	if s.ExclusiveMax.Value != nil {
		v := *s.ExclusiveMax.Value
		c.Maximum, c.ExclusiveMaximum = &v, true
	} else if s.ExclusiveMax.IsTrue() && c.Maximum != nil {
		c.ExclusiveMaximum = true
	}
	// Default, Example and Const may hold maps, which == cannot compare.
	if c.Minimum == nil && c.Maximum == nil && c.MultipleOf == nil && c.MinLength == nil && c.MaxLength == nil &&
		c.Pattern == "" && c.MinItems == nil && c.MaxItems == nil && !c.UniqueItems && c.MinProperties == nil &&
		c.MaxProperties == nil && c.Default == nil && c.Example == nil && c.Const == nil && c.ContentEncoding == "" &&
		c.ContentMediaType == "" {
		return nil
	}
	return c
}
