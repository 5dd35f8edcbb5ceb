package lint

import (
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/agentready/agentready/report"
	"github.com/getkin/kin-openapi/openapi3"
)

func init() {
	register(
		&Rule{ID: "parameter-description", Title: "every parameter has a description",
			Category: Fill, Severity: report.Warning, Preset: Recommended, Since: "0.1.0", Run: checkParameterDescription},
		&Rule{ID: "property-description", Title: "every request-body property has a description",
			Category: Fill, Severity: report.Info, Preset: Recommended, Since: "0.1.0", Run: checkPropertyDescription},
		&Rule{ID: "enum-documented", Title: "enums in requests say what their values mean",
			Category: Fill, Severity: report.Info, Preset: Recommended, Since: "0.1.0", Run: checkEnumDocumented},
		&Rule{ID: "request-example", Title: "request bodies and required parameters have examples",
			Category: Fill, Severity: report.Info, Preset: Recommended, Since: "0.1.0", Run: checkRequestExample},
		&Rule{ID: "format-hint", Title: "dates, emails, URIs and UUIDs declare their format",
			Category: Fill, Severity: report.Info, Preset: Recommended, Since: "0.1.0", Run: checkFormatHint},
		&Rule{ID: "request-schema-typed", Title: "request schemas have a type, or say in a description what they accept",
			Category: Fill, Severity: report.Warning, Preset: Recommended, Since: "0.1.0", Run: checkRequestSchemaTyped},
		&Rule{ID: "request-oneof-discriminator", Title: "oneOf and anyOf in requests have a discriminator",
			Category: Fill, Severity: report.Info, Preset: Recommended, Since: "0.1.0", Run: checkRequestDiscriminator},
		&Rule{ID: "strict-mode-compatible", Title: "request bodies fit LLM structured-output strict modes",
			Category: Fill, Severity: report.Hint, Preset: All, Since: "0.1.0", Run: checkStrictMode},
	)
}

func checkParameterDescription(p *Pass) {
	seen := map[string]bool{}
	for _, o := range p.Operations() {
		for _, pa := range o.Params {
			if seen[pa.Ptr] {
				continue
			}
			seen[pa.Ptr] = true
			if strings.TrimSpace(pa.P.Description) == "" {
				p.Report(pa.Ptr, "%s parameter %q of %s has no description", pa.P.In, pa.P.Name, o.Name())
			}
		}
	}
	if c := p.Spec.Components; c != nil {
		for _, name := range sortedKeys(c.Parameters) {
			pr := c.Parameters[name]
			if pr != nil && pr.Value != nil && pr.Ref == "" && strings.TrimSpace(pr.Value.Description) == "" {
				p.Report("/components/parameters/"+escape(name), "%s parameter %q has no description", pr.Value.In, pr.Value.Name)
			}
		}
	}
}

func escape(s string) string { return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1") }

// isProperty reports whether a visit is an object property.
func isProperty(v SchemaVisit) bool {
	return v.Parent != nil && v.Name != "" && v.Parent.Properties[v.Name] != nil
}

func checkPropertyDescription(p *Pass) {
	for _, v := range p.Schemas() {
		if !v.Request || !isProperty(v) || v.Schema.ReadOnly {
			continue
		}
		if strings.TrimSpace(v.Schema.Description) == "" && strings.TrimSpace(v.Schema.Title) == "" {
			p.Report(v.Ptr, "request property %q has no description", v.Name)
		}
	}
}

func checkEnumDocumented(p *Pass) {
	for _, v := range p.Schemas() {
		if !v.Request || len(v.Schema.Enum) < 2 {
			continue
		}
		if strings.TrimSpace(v.Schema.Description) != "" || v.Schema.Extensions["x-enum-descriptions"] != nil || v.Schema.Extensions["x-enumDescriptions"] != nil {
			continue
		}
		// An enum that is the items of a described array, or a described
		// parameter's schema, is documented by its holder.
		if v.Parent != nil && strings.TrimSpace(v.Parent.Description) != "" && v.Parent.Items != nil && v.Parent.Items.Value == v.Schema {
			continue
		}
		if strings.HasSuffix(v.Ptr, "/schema") && v.Name != "" && !isProperty(v) {
			continue // parameter schema: parameter-description covers it
		}
		p.Report(v.Ptr+"/enum", "enum %s has no description saying what its values mean", enumPreview(v.Schema.Enum))
	}
}

func enumPreview(vals []any) string {
	var parts []string
	for i, v := range vals {
		if i == 3 {
			parts = append(parts, "...")
			break
		}
		parts = append(parts, short(v))
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

func hasExample(mt *openapi3.MediaType) bool {
	if mt.Example != nil || len(mt.Examples) > 0 {
		return true
	}
	if s := mt.Schema; s != nil && s.Value != nil && (s.Value.Example != nil || len(s.Value.Examples) > 0) {
		return true
	}
	return false
}

func checkRequestExample(p *Pass) {
	for _, o := range p.Operations() {
		if rb := o.Op.RequestBody; rb != nil && rb.Value != nil && len(rb.Value.Content) > 0 {
			ok := false
			for _, mt := range rb.Value.Content {
				if mt != nil && hasExample(mt) {
					ok = true
				}
			}
			if !ok && !schemaHasExamples(rb.Value.Content) {
				p.Report(o.Ptr+"/requestBody", "request body of %s has no example", o.Name())
			}
		}
		for _, pa := range o.Params {
			if !pa.P.Required || pa.P.In == "path" && pa.P.Schema != nil && pa.P.Schema.Value != nil && len(pa.P.Schema.Value.Enum) > 0 {
				continue
			}
			if pa.P.Example != nil || len(pa.P.Examples) > 0 {
				continue
			}
			if s := pa.P.Schema; s != nil && s.Value != nil && (s.Value.Example != nil || len(s.Value.Examples) > 0 || len(s.Value.Enum) > 0 || s.Value.Default != nil) {
				continue
			}
			p.Report(pa.Ptr, "required %s parameter %q of %s has no example", pa.P.In, pa.P.Name, o.Name())
		}
	}
}

// schemaHasExamples reports whether every top-level property of a request
// body's object schema carries an example: enough for an agent to build one.
func schemaHasExamples(c openapi3.Content) bool {
	for _, mt := range c {
		if mt == nil || mt.Schema == nil || mt.Schema.Value == nil || len(mt.Schema.Value.Properties) == 0 {
			return false
		}
		for _, ps := range mt.Schema.Value.Properties {
			if ps == nil || ps.Value == nil || ps.Value.Example == nil && len(ps.Value.Examples) == 0 && len(ps.Value.Enum) == 0 {
				return false
			}
		}
	}
	return true
}

// formatHints match property names (snake_case or camelCase) that say
// what a string holds. Case matters for the camelCase forms: "format"
// must not read as "...At".
var formatHints = []struct {
	re      *regexp.Regexp
	formats []string
	what    string
}{
	{regexp.MustCompile(`(?i:^(.*_)?(created|updated|deleted|modified|expires|expired|started|ended|completed|closed|merged|pushed|published|submitted|last_modified|last_seen)_(at|on|time)$|^(timestamp|datetime|date_time)$)|[a-z](At|On|Time|Timestamp)$`), []string{"date-time", "date", "unix-time", "int64", "int32", "timestamp"}, "a date-time"},
	{regexp.MustCompile(`(?i:^(.*_)?(date|birthday|birth_date|dob)$)|[a-z]Date$`), []string{"date", "date-time", "timestamp"}, "a date"},
	{regexp.MustCompile(`(?i:^(.*_)?e?mail(_address)?$)|[a-z]Email$`), []string{"email", "idn-email"}, "an email address"},
	{regexp.MustCompile(`(?i:^(.*_)?(url|uri|href|website|homepage)$)|[a-z](Url|Uri|URL|URI)$`), []string{"uri", "url", "iri", "uri-reference", "iri-reference", "uri-template"}, "a URI"},
	{regexp.MustCompile(`(?i:^(.*_)?uuid$)|[a-z](Uuid|UUID)$`), []string{"uuid"}, "a UUID"},
}

func checkFormatHint(p *Pass) {
	for _, v := range p.Schemas() {
		// What the agent sends: request properties and parameters.
		if !v.Request || !isProperty(v) && v.Name == "" {
			continue
		}
		types := schemaTypes(v.Schema)
		if !slices.Contains(types, "string") || v.Schema.Format != "" || len(v.Schema.Enum) > 0 || v.Schema.Pattern != "" {
			continue
		}
		for _, h := range formatHints {
			if h.re.MatchString(v.Name) {
				p.Report(v.Ptr, "%q looks like %s but declares no format (%s)", v.Name, h.what, h.formats[0])
				break
			}
		}
	}
}

func isFreeForm(s *openapi3.Schema) bool {
	if len(schemaTypes(s)) > 0 && !slices.Contains(schemaTypes(s), "object") {
		return false
	}
	if len(s.Properties) > 0 || len(s.AllOf)+len(s.AnyOf)+len(s.OneOf) > 0 || s.Not != nil || len(s.Enum) > 0 ||
		s.Items != nil || s.AdditionalProperties.Schema != nil || len(s.PatternProperties) > 0 || s.Const != nil {
		return false
	}
	if ap := s.AdditionalProperties.Has; ap != nil && !*ap {
		return false // an empty object, said plainly
	}
	return true
}

// compositionRe matches the pointer of a branch of allOf/anyOf/oneOf or a
// not: such a branch often only constrains its parent ({required: [a]}).
var compositionRe = regexp.MustCompile(`/((allOf|anyOf|oneOf)/\d+|not)$`)

func checkRequestSchemaTyped(p *Pass) {
	for _, v := range p.Schemas() {
		if !v.Request || v.Schema.ReadOnly || compositionRe.MatchString(v.Ptr) {
			continue
		}
		if isFreeForm(v.Schema) && strings.TrimSpace(v.Schema.Description) == "" && strings.TrimSpace(v.Schema.Title) == "" {
			what := "has no type"
			if len(schemaTypes(v.Schema)) > 0 {
				what = "is a free-form object"
			}
			name := "request schema"
			if v.Name != "" {
				name = "request schema " + strconv.Quote(v.Name)
			}
			p.Report(v.Ptr, "%s %s and no description: an agent cannot tell what to send", name, what)
		}
	}
}

func checkRequestDiscriminator(p *Pass) {
	for _, v := range p.Schemas() {
		if !v.Request || v.Schema.Discriminator != nil {
			continue
		}
		for _, kw := range []struct {
			name string
			list openapi3.SchemaRefs
		}{{"oneOf", v.Schema.OneOf}, {"anyOf", v.Schema.AnyOf}} {
			if len(kw.list) < 2 || allScalars(kw.list) {
				continue
			}
			p.Report(v.Ptr+"/"+kw.name, "%s with %d alternatives and no discriminator: an agent must guess which one to send", kw.name, len(kw.list))
		}
	}
}

// allScalars reports whether every alternative is a non-object type
// (string or integer, say), which needs no discriminator.
func allScalars(list openapi3.SchemaRefs) bool {
	for _, s := range list {
		if s == nil || s.Value == nil {
			return false
		}
		ts := schemaTypes(s.Value)
		if len(ts) == 0 || slices.Contains(ts, "object") || slices.Contains(ts, "array") && s.Value.Items != nil && s.Value.Items.Value != nil && slices.Contains(schemaTypes(s.Value.Items.Value), "object") {
			return false
		}
	}
	return true
}

// OpenAI's structured outputs in strict mode (function calling with
// "strict": true): at most 5000 object properties in all, 10 levels of
// nesting and 1000 enum values; no allOf, oneOf, not, if/then/else; every object
// needs additionalProperties: false and every property must be required.
const (
	strictMaxDepth      = 10
	strictMaxProperties = 5000
	strictMaxEnum       = 1000
)

func checkStrictMode(p *Pass) {
	for _, o := range p.Operations() {
		rb := o.Op.RequestBody
		if rb == nil || rb.Value == nil {
			continue
		}
		for _, mtName := range sortedKeys(rb.Value.Content) {
			mt := rb.Value.Content[mtName]
			if mt == nil || mt.Schema == nil || !strings.Contains(mtName, "json") {
				continue
			}
			st := &strictState{seen: map[*openapi3.Schema]bool{}}
			st.walk(mt.Schema.Value, 1)
			if st.depth > strictMaxDepth {
				st.add("nesting " + strconv.Itoa(st.depth) + " levels deep (limit " + strconv.Itoa(strictMaxDepth) + ")")
			}
			if st.props > strictMaxProperties {
				st.add(strconv.Itoa(st.props) + " properties (limit " + strconv.Itoa(strictMaxProperties) + ")")
			}
			if st.enums > strictMaxEnum {
				st.add(strconv.Itoa(st.enums) + " enum values (limit " + strconv.Itoa(strictMaxEnum) + ")")
			}
			if len(st.reasons) > 0 {
				p.Report(o.Ptr+"/requestBody/content/"+escape(mtName)+"/schema", "request body of %s is not accepted by OpenAI strict mode: %s", o.Name(), strings.Join(st.reasons, "; "))
			}
		}
	}
}

type strictState struct {
	seen                map[*openapi3.Schema]bool
	depth, props, enums int
	reasons             []string
}

func (st *strictState) add(r string) {
	if !slices.Contains(st.reasons, r) {
		st.reasons = append(st.reasons, r)
	}
}

func (st *strictState) walk(s *openapi3.Schema, depth int) {
	if s == nil {
		return
	}
	if st.seen[s] {
		st.add("a recursive schema")
		return
	}
	st.seen[s] = true
	defer delete(st.seen, s)
	st.depth = max(st.depth, depth)
	if depth > 64 {
		return
	}
	if len(s.AllOf) > 0 {
		st.add("allOf")
	}
	if len(s.OneOf) > 0 {
		st.add("oneOf (use anyOf)")
	}
	if s.Not != nil {
		st.add("not")
	}
	if s.If != nil || s.Then != nil || s.Else != nil {
		st.add("if/then/else")
	}
	st.enums += len(s.Enum)
	if slices.Contains(schemaTypes(s), "object") || len(s.Properties) > 0 {
		st.props += len(s.Properties)
		if ap := s.AdditionalProperties.Has; ap == nil || *ap {
			st.add("objects without additionalProperties: false")
		}
		for name := range s.Properties {
			if !slices.Contains(s.Required, name) {
				st.add("optional properties (strict mode needs every property required; make optional ones nullable)")
				break
			}
		}
	}
	for _, name := range sortedKeys(s.Properties) {
		if c := s.Properties[name]; c != nil {
			st.walk(c.Value, depth+1)
		}
	}
	if s.Items != nil {
		st.walk(s.Items.Value, depth+1)
	}
	for _, l := range []openapi3.SchemaRefs{s.AllOf, s.AnyOf, s.OneOf} {
		for _, c := range l {
			if c != nil {
				st.walk(c.Value, depth+1)
			}
		}
	}
}
