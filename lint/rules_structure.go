package lint

import (
	"bytes"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/agentready/agentready/internal/specload"
	"github.com/agentready/agentready/report"
	"github.com/getkin/kin-openapi/openapi3"
)

const specValidID = "spec-valid"

func init() {
	register(
		&Rule{ID: specValidID, Title: "the spec is valid OpenAPI, with examples and defaults that match their schemas",
			Category: Structure, Severity: report.Error, Preset: Minimal, Since: "0.1.0", Run: checkSpecValid},
		&Rule{ID: "operation-success-response", Title: "every operation has a 2xx or 3xx response",
			Category: Structure, Severity: report.Warning, Preset: Minimal, Since: "0.1.0", Run: checkSuccessResponse},
		&Rule{ID: "operation-parameters-unique", Title: "an operation does not declare the same parameter twice",
			Category: Structure, Severity: report.Error, Preset: Minimal, Since: "0.1.0", Run: checkParamsUnique},
		&Rule{ID: "path-params", Title: "path templates and path parameters agree, and no two paths are the same template",
			Category: Structure, Severity: report.Error, Preset: Minimal, Since: "0.1.0", Run: checkPathParams},
		&Rule{ID: "path-trailing-slash", Title: "paths do not end with a slash",
			Category: Structure, Severity: report.Warning, Preset: Recommended, Since: "0.1.0", Run: checkTrailingSlash},
		&Rule{ID: "path-query", Title: "paths do not include a query string",
			Category: Structure, Severity: report.Error, Preset: Minimal, Since: "0.1.0", Run: checkPathQuery},
		&Rule{ID: "typed-enum", Title: "enum values have the schema's type",
			Category: Structure, Severity: report.Warning, Preset: Recommended, Since: "0.1.0", Run: checkTypedEnum},
		&Rule{ID: "enum-duplicates", Title: "enum values are unique",
			Category: Structure, Severity: report.Warning, Preset: Recommended, Since: "0.1.0", Run: checkEnumDuplicates},
		&Rule{ID: "ref-siblings", Title: "a $ref has no sibling keywords (OpenAPI 2.0 and 3.0 ignore them)",
			Category: Structure, Severity: report.Warning, Preset: Recommended, Since: "0.1.0", Run: checkRefSiblings},
		&Rule{ID: "array-items", Title: "array schemas say what their items are",
			Category: Structure, Severity: report.Error, Preset: Recommended, Since: "0.1.0", Run: checkArrayItems},
		&Rule{ID: "unused-component", Title: "every component is used",
			Category: Structure, Severity: report.Warning, Preset: Recommended, Since: "0.1.0", Run: checkUnusedComponents},
		&Rule{ID: "server-variables", Title: "server URL variables are defined, used, and have valid defaults",
			Category: Structure, Severity: report.Error, Preset: Minimal, Since: "0.1.0", Run: checkServerVariables},
		&Rule{ID: "security-defined", Title: "security requirements name defined security schemes",
			Category: Structure, Severity: report.Error, Preset: Minimal, Since: "0.1.0", Run: checkSecurityDefined},
		&Rule{ID: "markdown-no-script", Title: "descriptions hold no <script> tags",
			Category: Structure, Severity: report.Error, Preset: Minimal, Since: "0.1.0", Run: checkMarkdown(scriptRe, "<script", true, "a <script> tag")},
		&Rule{ID: "markdown-no-eval", Title: "descriptions hold no eval(",
			Category: Structure, Severity: report.Error, Preset: Minimal, Since: "0.1.0", Run: checkMarkdown(evalRe, "eval", false, "eval(")},
		&Rule{ID: "info-contact", Title: "info has a contact",
			Category: Structure, Severity: report.Warning, Preset: Recommended, Since: "0.1.0", Run: checkInfoContact},
		&Rule{ID: "info-description", Title: "info has a description",
			Category: Structure, Severity: report.Warning, Preset: Recommended, Since: "0.1.0", Run: checkInfoDescription},
		&Rule{ID: "info-license", Title: "info has a license",
			Category: Structure, Severity: report.Info, Preset: All, Since: "0.1.0", Run: checkInfoLicense},
		&Rule{ID: "operation-tags", Title: "every operation has a tag",
			Category: Structure, Severity: report.Warning, Preset: Recommended, Since: "0.1.0", Run: checkOperationTags},
		&Rule{ID: "tags-defined", Title: "operation tags are declared in the top-level tags",
			Category: Structure, Severity: report.Warning, Preset: Recommended, Since: "0.1.0", Run: checkTagsDefined},
		&Rule{ID: "tags-unique", Title: "top-level tag names are unique",
			Category: Structure, Severity: report.Error, Preset: Minimal, Since: "0.1.0", Run: checkTagsUnique},
		&Rule{ID: "tags-alphabetical", Title: "top-level tags are sorted by name",
			Category: Structure, Severity: report.Hint, Preset: All, Since: "0.1.0", Run: checkTagsAlphabetical},
	)
}

func checkSpecValid(p *Pass) {
	for _, pr := range p.Doc.Validate(p.Context()) {
		sev := report.Error
		if pr.Kind != specload.Structure {
			sev = report.Warning
		}
		msg := pr.Message
		if i := strings.IndexByte(msg, '\n'); i >= 0 {
			msg = strings.TrimSpace(msg[:i]) // kin-openapi appends the schema and value
		}
		p.ReportFinding(report.Finding{Severity: sev, Message: msg, Location: report.Location{Pointer: pr.Pointer}})
	}
}

func checkSuccessResponse(p *Pass) {
	for _, o := range p.Operations() {
		ok := false
		if o.Op.Responses != nil {
			for code := range o.Op.Responses.Map() {
				if strings.HasPrefix(code, "2") || strings.HasPrefix(code, "3") {
					ok = true
				}
			}
		}
		if !ok {
			p.Report(o.Ptr+"/responses", "%s has no 2xx or 3xx response", o.Name())
		}
	}
}

func checkParamsUnique(p *Pass) {
	for _, o := range p.Operations() {
		seen := map[string]bool{}
		for i, pr := range o.Op.Parameters {
			if pr == nil || pr.Value == nil {
				continue
			}
			k := pr.Value.In + " " + strings.ToLower(pr.Value.Name)
			if pr.Value.In != "header" {
				k = pr.Value.In + " " + pr.Value.Name
			}
			if seen[k] {
				p.Report(o.Ptr+"/parameters/"+strconv.Itoa(i), "%s declares the %s parameter %q twice", o.Name(), pr.Value.In, pr.Value.Name)
			}
			seen[k] = true
		}
	}
}

var templateVarRe = regexp.MustCompile(`\{([^{}]*)\}`)

func checkPathParams(p *Pass) {
	shapes := map[string]string{}
	for _, path := range sortedPaths(p.Spec) {
		ptr := specload.Pointer("paths", path)
		shape := templateVarRe.ReplaceAllString(path, "{}")
		if prev, ok := shapes[shape]; ok {
			p.Report(ptr, "path %s is the same template as %s: requests cannot tell them apart", path, prev)
		} else {
			shapes[shape] = path
		}
		vars := map[string]bool{}
		for _, m := range templateVarRe.FindAllStringSubmatch(path, -1) {
			if m[1] == "" {
				p.Report(ptr, "path %s has an empty template variable {}", path)
				continue
			}
			if vars[m[1]] {
				p.Report(ptr, "path %s uses the variable {%s} twice", path, m[1])
			}
			vars[m[1]] = true
		}
		if strings.Count(path, "{") != strings.Count(path, "}") {
			p.Report(ptr, "path %s has unbalanced braces", path)
		}
	}
	for _, o := range p.Operations() {
		vars := map[string]bool{}
		for _, m := range templateVarRe.FindAllStringSubmatch(o.Path, -1) {
			vars[m[1]] = true
		}
		declared := map[string]bool{}
		for _, pa := range o.Params {
			if pa.P.In != "path" {
				continue
			}
			declared[pa.P.Name] = true
			if !vars[pa.P.Name] {
				p.Report(pa.Ptr, "path parameter %q of %s is not in the path template %s", pa.P.Name, o.Name(), o.Path)
			} else if !pa.P.Required {
				p.Report(pa.Ptr, "path parameter %q of %s must be required: true", pa.P.Name, o.Name())
			}
		}
		for _, v := range sortedKeys(vars) {
			if v != "" && !declared[v] {
				p.Report(o.Ptr, "%s does not declare the path parameter {%s}", o.Name(), v)
			}
		}
	}
}

func sortedPaths(spec *openapi3.T) []string {
	if spec.Paths == nil {
		return nil
	}
	ps := spec.Paths.InMatchingOrder()
	slices.Sort(ps)
	return ps
}

func checkTrailingSlash(p *Pass) {
	for _, path := range sortedPaths(p.Spec) {
		if len(path) > 1 && strings.HasSuffix(path, "/") {
			p.Report(specload.Pointer("paths", path), "path %s ends with a slash", path)
		}
	}
}

func checkPathQuery(p *Pass) {
	for _, path := range sortedPaths(p.Spec) {
		if strings.Contains(path, "?") {
			p.Report(specload.Pointer("paths", path), "path %s includes a query string: declare query parameters instead", path)
		}
	}
}

// schemaTypes returns the declared types of a schema, or nil.
func schemaTypes(s *openapi3.Schema) []string {
	if s.Type == nil {
		return nil
	}
	return s.Type.Slice()
}

func valueHasType(v any, typ string) bool {
	switch typ {
	case "string":
		_, ok := v.(string)
		return ok
	case "integer":
		switch n := v.(type) {
		case float64:
			return n == float64(int64(n))
		case int, int64, uint64:
			return true
		}
		return false
	case "number":
		switch v.(type) {
		case float64, int, int64, uint64:
			return true
		}
		return false
	case "boolean":
		_, ok := v.(bool)
		return ok
	case "array":
		_, ok := v.([]any)
		return ok
	case "object":
		_, ok := v.(map[string]any)
		return ok
	case "null":
		return v == nil
	}
	return true
}

func checkTypedEnum(p *Pass) {
	for _, v := range p.Schemas() {
		types := schemaTypes(v.Schema)
		if len(types) == 0 || len(v.Schema.Enum) == 0 {
			continue
		}
		for i, e := range v.Schema.Enum {
			if e == nil && (v.Schema.Nullable || slices.Contains(types, "null")) {
				continue
			}
			if !slices.ContainsFunc(types, func(t string) bool { return valueHasType(e, t) }) {
				p.Report(v.Ptr+"/enum/"+strconv.Itoa(i), "enum value %s is not of type %s", short(e), strings.Join(types, " or "))
			}
		}
	}
}

func short(v any) string {
	s := fmt.Sprintf("%#v", v)
	if str, ok := v.(string); ok {
		s = strconv.Quote(str)
	}
	if len(s) > 40 {
		s = s[:37] + "..."
	}
	return s
}

func checkEnumDuplicates(p *Pass) {
	for _, v := range p.Schemas() {
		for i, e := range v.Schema.Enum {
			for j := 0; j < i; j++ {
				if reflect.DeepEqual(v.Schema.Enum[j], e) {
					p.Report(v.Ptr+"/enum/"+strconv.Itoa(i), "enum value %s is listed twice", short(e))
					break
				}
			}
		}
	}
}

// refs returns every $ref in the file.
func (p *Pass) refs() []specload.KeyMatch { return p.rawKeys("$ref") }

func checkRefSiblings(p *Pass) {
	if p.Spec.IsOpenAPI31OrLater() {
		return // 3.1 allows siblings of $ref
	}
	for _, m := range p.refs() {
		var bad []string
		for _, s := range m.Siblings {
			if !strings.HasPrefix(s, "x-") {
				bad = append(bad, s)
			}
		}
		if len(bad) > 0 {
			p.Report("@"+m.Pointer+"/$ref", "$ref has sibling keywords %s, which OpenAPI %s ignores", strings.Join(bad, ", "), p.Doc.Version)
		}
	}
}

func checkArrayItems(p *Pass) {
	for _, v := range p.Schemas() {
		if slices.Contains(schemaTypes(v.Schema), "array") && v.Schema.Items == nil && len(v.Schema.PrefixItems) == 0 {
			p.Report(v.Ptr, "array schema has no items")
		}
	}
}

func checkUnusedComponents(p *Pass) {
	c := p.Spec.Components
	if c == nil {
		return
	}
	used := map[string]bool{}
	note := func(ref string) {
		ref = ref[strings.IndexByte(ref, '#')+1:]
		if p.Doc.IsV2() {
			switch {
			case strings.HasPrefix(ref, "/definitions/"):
				ref = "/components/schemas/" + strings.TrimPrefix(ref, "/definitions/")
			case strings.HasPrefix(ref, "/parameters/"):
				name := strings.TrimPrefix(ref, "/parameters/")
				used["/components/requestBodies/"+name] = true
				ref = "/components/parameters/" + name
			case strings.HasPrefix(ref, "/responses/"):
				ref = "/components/responses/" + strings.TrimPrefix(ref, "/responses/")
			}
		}
		used[ref] = true
	}
	for _, m := range p.refs() {
		if s, ok := m.Value.(string); ok && strings.Contains(s, "#/") && !strings.HasPrefix(s, "http") {
			note(s)
		}
	}
	for _, m := range p.rawKeys("mapping") {
		if mm, ok := m.Value.(map[string]any); ok {
			for _, v := range mm {
				if s, ok := v.(string); ok && strings.Contains(s, "#/") {
					note(s)
				}
			}
		}
	}
	check := func(kind string, names []string) {
		for _, name := range names {
			ptr := specload.Pointer("components", kind, name)
			if !used[ptr] {
				p.Report(ptr, "%s %s is never referenced", strings.TrimSuffix(kind, "s"), name)
			}
		}
	}
	check("schemas", sortedKeys(c.Schemas))
	check("parameters", sortedKeys(c.Parameters))
	check("responses", sortedKeys(c.Responses))
	check("requestBodies", sortedKeys(c.RequestBodies))
	check("headers", sortedKeys(c.Headers))
	check("examples", sortedKeys(c.Examples))
	check("links", sortedKeys(c.Links))
	check("callbacks", sortedKeys(c.Callbacks))
}

func checkServerVariables(p *Pass) {
	check := func(servers openapi3.Servers, base string) {
		for i, s := range servers {
			if s == nil {
				continue
			}
			ptr := base + "/" + strconv.Itoa(i)
			used := map[string]bool{}
			for _, m := range templateVarRe.FindAllStringSubmatch(s.URL, -1) {
				used[m[1]] = true
				if _, ok := s.Variables[m[1]]; !ok {
					p.Report(ptr+"/url", "server URL %s uses {%s}, which is not in variables", s.URL, m[1])
				}
			}
			for _, name := range sortedKeys(s.Variables) {
				v := s.Variables[name]
				vptr := ptr + "/variables/" + specload.EscapeToken(name)
				if !used[name] {
					p.Report(vptr, "server variable %s is not used in the URL %s", name, s.URL)
				}
				if v != nil && len(v.Enum) > 0 && !slices.Contains(v.Enum, v.Default) {
					p.Report(vptr+"/default", "default %q of server variable %s is not one of its enum values", v.Default, name)
				}
			}
		}
	}
	check(p.Spec.Servers, "/servers")
	for _, path := range sortedPaths(p.Spec) {
		item := p.Spec.Paths.Value(path)
		check(item.Servers, specload.Pointer("paths", path, "servers"))
	}
	for _, o := range p.Operations() {
		if o.Op.Servers != nil {
			check(*o.Op.Servers, o.Ptr+"/servers")
		}
	}
}

func checkSecurityDefined(p *Pass) {
	defined := map[string]bool{}
	if c := p.Spec.Components; c != nil {
		for name := range c.SecuritySchemes {
			defined[name] = true
		}
	}
	check := func(reqs openapi3.SecurityRequirements, ptr string) {
		for i, req := range reqs {
			for _, name := range sortedKeys(req) {
				if !defined[name] {
					p.Report(ptr+"/"+strconv.Itoa(i)+"/"+specload.EscapeToken(name), "security scheme %s is not defined in components.securitySchemes", name)
				}
			}
		}
	}
	check(p.Spec.Security, "/security")
	for _, o := range p.Operations() {
		if o.Op.Security != nil {
			check(*o.Op.Security, o.Ptr+"/security")
		}
	}
}

var (
	scriptRe = regexp.MustCompile(`(?i)<script`)
	evalRe   = regexp.MustCompile(`\beval\s*\(`)
)

// checkMarkdown reports texts matching re. literal is a string every match
// contains (compared without case when fold is set): most specs hold it
// nowhere, and a plain search of the bytes for it is far cheaper than the
// regexp over 13 MB or decoding every description.
func checkMarkdown(re *regexp.Regexp, literal string, fold bool, what string) func(*Pass) {
	return func(p *Pass) {
		if !containsLiteral(p.Doc.Bytes, literal, fold) {
			return
		}
		for _, m := range p.texts() {
			if s, ok := m.Value.(string); ok && re.MatchString(s) {
				p.Report("@"+m.Pointer+"/"+specload.EscapeToken(m.Key), "%s contains %s", m.Key, what)
			}
		}
	}
}

func checkInfoContact(p *Pass) {
	if p.Spec.Info != nil && p.Spec.Info.Contact == nil {
		p.Report("/info", "info has no contact: say who answers for this API")
	}
}

func checkInfoDescription(p *Pass) {
	if p.Spec.Info != nil && strings.TrimSpace(p.Spec.Info.Description) == "" {
		p.Report("/info", "info has no description: say what the API is for")
	}
}

func checkInfoLicense(p *Pass) {
	if p.Spec.Info != nil && p.Spec.Info.License == nil {
		p.Report("/info", "info has no license")
	}
}

func checkOperationTags(p *Pass) {
	for _, o := range p.Operations() {
		if len(o.Op.Tags) == 0 {
			p.Report(o.Ptr, "%s has no tags", o.Name())
		}
	}
}

func checkTagsDefined(p *Pass) {
	defined := map[string]bool{}
	for _, t := range p.Spec.Tags {
		if t != nil {
			defined[t.Name] = true
		}
	}
	for _, o := range p.Operations() {
		for i, t := range o.Op.Tags {
			if !defined[t] {
				p.Report(o.Ptr+"/tags/"+strconv.Itoa(i), "tag %q of %s is not declared in the top-level tags", t, o.Name())
			}
		}
	}
}

func checkTagsUnique(p *Pass) {
	seen := map[string]bool{}
	for i, t := range p.Spec.Tags {
		if t == nil {
			continue
		}
		if seen[t.Name] {
			p.Report("/tags/"+strconv.Itoa(i), "tag %q is declared twice", t.Name)
		}
		seen[t.Name] = true
	}
}

func checkTagsAlphabetical(p *Pass) {
	for i := 1; i < len(p.Spec.Tags); i++ {
		a, b := p.Spec.Tags[i-1], p.Spec.Tags[i]
		if a != nil && b != nil && strings.ToLower(a.Name) > strings.ToLower(b.Name) {
			p.Report("/tags/"+strconv.Itoa(i), "tag %q comes after %q: sort tags by name", b.Name, a.Name)
			return
		}
	}
}

// containsLiteral reports whether b may hold a match: for "<script", the
// literal without ASCII case (or its JSON escape \u003cscript); for "eval",
// an "eval" that starts a word and is followed by "(".
func containsLiteral(b []byte, lit string, fold bool) bool {
	if fold {
		return indexFold(b, lit) || indexFold(b, `\u003c`+lit[1:])
	}
	for i := 0; ; {
		j := bytes.Index(b[i:], []byte(lit))
		if j < 0 {
			return false
		}
		i += j
		k := i + len(lit)
		for k < len(b) && (b[k] == ' ' || b[k] == '\t') {
			k++
		}
		wordBefore := i > 0 && (b[i-1] == '_' || b[i-1] >= 'a' && b[i-1] <= 'z' || b[i-1] >= 'A' && b[i-1] <= 'Z' || b[i-1] >= '0' && b[i-1] <= '9')
		if k < len(b) && b[k] == '(' && !wordBefore {
			return true
		}
		i++
	}
}

func indexFold(b []byte, lit string) bool {
	first, upper := lit[0], lit[0]
	if first >= 'a' && first <= 'z' {
		upper = first - 'a' + 'A'
	}
	for i := 0; i < len(b); i++ {
		if c := b[i]; c != first && c != upper {
			j := bytes.IndexByte(b[i:], first)
			if first != upper {
				if k := bytes.IndexByte(b[i:], upper); k >= 0 && (j < 0 || k < j) {
					j = k
				}
			}
			if j < 0 {
				return false
			}
			i += j
		}
		if i+len(lit) <= len(b) && strings.EqualFold(string(b[i:i+len(lit)]), lit) {
			return true
		}
	}
	return false
}
