package lint

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/agentready/agentready/internal/specload"
	"github.com/agentready/agentready/lint/breaking"
	"github.com/agentready/agentready/report"
	"github.com/getkin/kin-openapi/openapi3"
)

// Versioning is the lint.versioning section of the config.
type Versioning struct {
	// Scheme is how info.version is written: "semver" (the default,
	// MAJOR.MINOR.PATCH with an optional pre-release) or "date"
	// (YYYY-MM-DD, as Stripe and GitHub date their API versions).
	Scheme string `yaml:"scheme" json:"scheme,omitempty"`
}

// Version schemes.
const (
	SchemeSemver = "semver"
	SchemeDate   = "date"
)

// Validate checks the scheme.
func (v Versioning) Validate() error {
	switch v.Scheme {
	case "", SchemeSemver, SchemeDate:
		return nil
	}
	return fmt.Errorf("lint.versioning.scheme: %q is not a scheme (want semver or date)", v.Scheme)
}

func init() {
	register(
		&Rule{ID: "version-semver", Title: "info.version is a semantic version (or a date, when the config says so)",
			Category: CategoryVersioning, Severity: report.Warning, Preset: Recommended, Since: "0.1.0", Run: checkVersionScheme},
		&Rule{ID: "version-strategy", Title: "the API is versioned one way: path prefix, server URL, header or query parameter",
			Category: CategoryVersioning, Severity: report.Warning, Preset: Recommended, Since: "0.1.0", Run: checkVersionStrategy},
		&Rule{ID: "version-path-major", Title: "a /vN path or server prefix agrees with the major of info.version",
			Category: CategoryVersioning, Severity: report.Warning, Preset: Recommended, Since: "0.1.0", Run: checkVersionPathMajor},
		&Rule{ID: "deprecation-sunset", Title: "deprecated operations, parameters and properties say when they go (Sunset, Deprecation or x-sunset), and not in the past",
			Category: CategoryVersioning, Severity: report.Warning, Preset: Recommended, Since: "0.1.0", Run: checkDeprecationSunset},
		&Rule{ID: "deprecation-replacement", Title: "deprecated operations, parameters and properties name what replaces them",
			Category: CategoryVersioning, Severity: report.Warning, Preset: Recommended, Since: "0.1.0", Run: checkDeprecationReplacement},
	)
}

// now is the clock the sunset rules read; tests pin it.
var now = time.Now

func checkVersionScheme(p *Pass) {
	if p.Spec.Info == nil {
		return
	}
	v := p.Spec.Info.Version
	switch {
	case p.Versioning.Scheme == SchemeDate:
		if !breaking.IsDateVersion(v) {
			p.Report("/info/version", "info.version %q is not a date version (YYYY-MM-DD), the scheme the config declares", v)
		}
	case breaking.IsSemver(v):
	case strings.HasPrefix(v, "v") && breaking.IsSemver(v[1:]):
		p.Report("/info/version", "info.version %q has a leading v: write %q, a semantic version", v, v[1:])
	case breaking.IsDateVersion(v):
		p.Report("/info/version", "info.version %q is a date: declare lint.versioning.scheme: date in .agentready.yaml if the API is versioned by date", v)
	default:
		p.Report("/info/version", "info.version %q is not a semantic version (MAJOR.MINOR.PATCH): an agent cannot tell a breaking release from a fix", v)
	}
}

// majorSegRE is a path segment that carries a major version: v1, v2.1.
var majorSegRE = regexp.MustCompile(`^v(\d{1,4})(?:\.\d+)?$`)

// pathMajor returns the major of the first /vN segment of a URL path.
func pathMajor(path string) (int, bool) {
	for seg := range strings.SplitSeq(path, "/") {
		if m := majorSegRE.FindStringSubmatch(seg); m != nil {
			n, err := strconv.Atoi(m[1])
			return n, err == nil
		}
	}
	return 0, false
}

// serverURL is a server URL with its variables set to their defaults.
func serverURL(s *openapi3.Server) string {
	u := s.URL
	for name, v := range s.Variables {
		if v != nil {
			u = strings.ReplaceAll(u, "{"+name+"}", v.Default)
		}
	}
	if i := strings.Index(u, "://"); i >= 0 {
		u = u[i+3:]
		if j := strings.IndexByte(u, '/'); j >= 0 {
			u = u[j:]
		} else {
			u = "/"
		}
	}
	return u
}

var (
	versionHeaderRE = regexp.MustCompile(`(?i)^((x-)?(api-)?version|accept-version|x-.*-api-version|.*-api-version|api-version)$`)
	versionQueryRE  = regexp.MustCompile(`(?i)^(api[-_.]?version|version|v)$`)
	// ambiguousVersionParamRE matches the names above that need not be
	// about the API's version.
	ambiguousVersionParamRE = regexp.MustCompile(`(?i)^(x-)?(version|v)$`)
)

// versionEvidence is where the spec shows a versioning strategy.
type versionEvidence struct {
	strategy string // "path prefix", "server URL", "header", "query parameter"
	what     string
	ptr      string
	major    int // for path and server; -1 otherwise
}

// versionEvidences lists each strategy's first evidence, and every path and
// server that carries a major, in a fixed order.
//
// A version in a path prefix and one in the server URL are one strategy:
// either way the version is in the URL path the agent requests. A header or
// query parameter with a name that could mean something else (version, v)
// counts only when at least half the operations take it, as an API-wide
// version selector does: on one operation, a query parameter "version" is
// usually that operation's own input (ReadMe's /search takes the docs
// version to search in).
func versionEvidences(p *Pass) (first []versionEvidence, majors []versionEvidence) {
	seen := map[string]bool{}
	add := func(e versionEvidence) {
		if e.major >= 0 {
			majors = append(majors, e)
		}
		family := e.strategy
		if family == "server URL" {
			family = "path prefix"
		}
		if !seen[family] {
			seen[family] = true
			first = append(first, e)
		}
	}
	if p.Spec.Paths != nil {
		paths := p.Spec.Paths.InMatchingOrder()
		slices.Sort(paths)
		for _, path := range paths {
			if n, ok := pathMajor(path); ok {
				add(versionEvidence{"path prefix", path, specload.Pointer("paths", path), n})
			}
		}
	}
	for i, s := range p.Spec.Servers {
		if s == nil {
			continue
		}
		if n, ok := pathMajor(serverURL(s)); ok {
			add(versionEvidence{"server URL", s.URL, "/servers/" + strconv.Itoa(i) + "/url", n})
		}
	}
	type param struct {
		e   versionEvidence
		ops int
	}
	var params []*param
	byKey := map[string]*param{}
	for _, o := range p.Operations() {
		counted := map[string]bool{}
		for _, pa := range o.Params {
			var e versionEvidence
			switch {
			case pa.P.In == "header" && versionHeaderRE.MatchString(pa.P.Name):
				e = versionEvidence{"header", pa.P.Name, pa.Ptr, -1}
			case pa.P.In == "query" && versionQueryRE.MatchString(pa.P.Name):
				e = versionEvidence{"query parameter", pa.P.Name, pa.Ptr, -1}
			default:
				continue
			}
			key := pa.P.In + "\x00" + strings.ToLower(pa.P.Name)
			if byKey[key] == nil {
				byKey[key] = &param{e: e}
				params = append(params, byKey[key])
			}
			if !counted[key] {
				counted[key] = true
				byKey[key].ops++
			}
		}
	}
	for _, pr := range params {
		if ambiguousVersionParamRE.MatchString(pr.e.what) && 2*pr.ops < len(p.Operations()) {
			continue
		}
		add(pr.e)
	}
	return first, majors
}

func checkVersionStrategy(p *Pass) {
	first, _ := versionEvidences(p)
	if len(first) < 2 {
		return
	}
	var names []string
	for _, e := range first {
		names = append(names, fmt.Sprintf("%s (%s)", e.strategy, e.what))
	}
	e := first[1]
	p.Report(e.ptr, "the API is versioned in %d ways: %s; pick one, so that an agent sends the version one way", len(first), strings.Join(names, ", "))
}

func checkVersionPathMajor(p *Pass) {
	if p.Spec.Info == nil || p.Versioning.Scheme == SchemeDate {
		return
	}
	v, ok := breaking.ParseVersion(p.Spec.Info.Version)
	if !ok || v.Major == 0 {
		// No major to compare with; below 1.0.0 APIs commonly serve /v1.
		return
	}
	_, majors := versionEvidences(p)
	type tally struct {
		first versionEvidence
		n     int
	}
	wrong := map[int]*tally{}
	var order []int
	for _, e := range majors {
		if e.major == v.Major {
			continue
		}
		if wrong[e.major] == nil {
			wrong[e.major] = &tally{first: e}
			order = append(order, e.major)
		}
		wrong[e.major].n++
	}
	for _, m := range order {
		t := wrong[m]
		what := fmt.Sprintf("%s %s", t.first.strategy, t.first.what)
		if t.n > 1 {
			what += fmt.Sprintf(" and %d more under /v%d", t.n-1, m)
		}
		p.Report(t.first.ptr, "%s says major version %d but info.version is %s", what, m, p.Spec.Info.Version)
	}
}

// deprecated is one deprecated thing: an operation, a parameter or a
// schema (property).
type deprecated struct {
	kind, name string
	ptr        string
	ext        map[string]any
	desc       string
	docs       *openapi3.ExternalDocs
	op         *Op // the operation, for an operation or its own parameter
}

func deprecations(p *Pass) []deprecated {
	var out []deprecated
	for _, o := range p.Operations() {
		if o.Op.Deprecated {
			out = append(out, deprecated{"operation", o.Name(), o.Ptr, o.Op.Extensions, o.Op.Summary + "\n" + o.Op.Description, o.Op.ExternalDocs, o})
		}
		for i, pr := range o.Op.Parameters {
			if pr == nil || pr.Ref != "" || pr.Value == nil || !pr.Value.Deprecated {
				continue // a $ref'd parameter is checked once, in components
			}
			out = append(out, deprecated{"parameter", pr.Value.Name + " of " + o.Name(), o.Ptr + "/parameters/" + strconv.Itoa(i), pr.Value.Extensions, pr.Value.Description, nil, o})
		}
	}
	if p.Spec.Paths != nil {
		for _, path := range sortedKeys(p.Spec.Paths.Map()) {
			item := p.Spec.Paths.Value(path)
			if item == nil {
				continue
			}
			for i, pr := range item.Parameters {
				if pr == nil || pr.Ref != "" || pr.Value == nil || !pr.Value.Deprecated {
					continue
				}
				out = append(out, deprecated{"parameter", pr.Value.Name + " of " + path, specload.Pointer("paths", path, "parameters", strconv.Itoa(i)), pr.Value.Extensions, pr.Value.Description, nil, nil})
			}
		}
	}
	if c := p.Spec.Components; c != nil {
		for _, name := range sortedKeys(c.Parameters) {
			pr := c.Parameters[name]
			if pr == nil || pr.Ref != "" || pr.Value == nil || !pr.Value.Deprecated {
				continue
			}
			out = append(out, deprecated{"parameter", pr.Value.Name, specload.Pointer("components", "parameters", name), pr.Value.Extensions, pr.Value.Description, nil, nil})
		}
	}
	for _, sv := range p.Schemas() {
		if !sv.Schema.Deprecated {
			continue
		}
		kind, name := "schema", sv.Name
		if sv.Parent != nil && sv.Name != "" {
			kind = "property"
		}
		if name == "" {
			name = sv.Ptr
		}
		out = append(out, deprecated{kind, name, sv.Ptr, sv.Schema.Extensions, sv.Schema.Title + "\n" + sv.Schema.Description, sv.Schema.ExternalDocs, nil})
	}
	return out
}

// sunsetHeaders returns the Sunset (RFC 8594) and Deprecation (RFC 9745)
// headers an operation's responses document, with the date an example or
// default gives, if any.
func sunsetHeaders(o *Op) (names []string, date time.Time, dated bool) {
	if o == nil || o.Op.Responses == nil {
		return nil, time.Time{}, false
	}
	resps := o.Op.Responses.Map()
	for _, code := range sortedKeys(resps) {
		r := resps[code]
		if r == nil || r.Value == nil {
			continue
		}
		for _, hn := range sortedKeys(r.Value.Headers) {
			lower := strings.ToLower(hn)
			if lower != "sunset" && lower != "deprecation" {
				continue
			}
			if !slices.Contains(names, hn) {
				names = append(names, hn)
			}
			h := r.Value.Headers[hn]
			if lower != "sunset" || h == nil || h.Value == nil {
				continue
			}
			for _, v := range headerValues(h.Value) {
				if t, ok := parseDate(v); ok && !dated {
					date, dated = t, true
				}
			}
		}
	}
	return names, date, dated
}

func headerValues(h *openapi3.Header) []any {
	vals := []any{h.Example}
	for _, name := range sortedKeys(h.Examples) {
		if ex := h.Examples[name]; ex != nil && ex.Value != nil {
			vals = append(vals, ex.Value.Value)
		}
	}
	if h.Schema != nil && h.Schema.Value != nil {
		vals = append(vals, h.Schema.Value.Example, h.Schema.Value.Default)
	}
	return vals
}

// parseDate reads a date as specs write it: 2025-06-30, RFC 3339, or an
// HTTP-date (Sun, 30 Jun 2025 23:59:59 GMT) as the Sunset header carries.
func parseDate(v any) (time.Time, bool) {
	switch x := v.(type) {
	case time.Time:
		return x, true
	case string:
		s := strings.TrimSpace(x)
		for _, layout := range []string{time.DateOnly, time.RFC3339, time.RFC1123, time.RFC1123Z, time.RFC850, time.ANSIC} {
			if t, err := time.Parse(layout, s); err == nil {
				return t, true
			}
		}
	}
	return time.Time{}, false
}

func checkDeprecationSunset(p *Pass) {
	today := now()
	for _, d := range deprecations(p) {
		raw, hasX := d.ext["x-sunset"]
		if hasX {
			t, ok := parseDate(raw)
			switch {
			case !ok:
				p.Report(d.ptr+"/x-sunset", "x-sunset of deprecated %s %s is %v, not a date (YYYY-MM-DD)", d.kind, d.name, raw)
			case t.Before(today):
				p.ReportFinding(report.Finding{Severity: report.Error, Location: report.Location{Pointer: d.ptr + "/x-sunset"},
					Message: fmt.Sprintf("deprecated %s %s passed its sunset date %s: remove it (in a major release) or move the date", d.kind, d.name, t.Format(time.DateOnly))})
			}
			continue
		}
		if names, t, dated := sunsetHeaders(d.op); len(names) > 0 {
			if dated && t.Before(today) {
				p.ReportFinding(report.Finding{Severity: report.Error, Location: report.Location{Pointer: d.ptr},
					Message: fmt.Sprintf("deprecated %s %s passed the sunset date %s its Sunset header documents", d.kind, d.name, t.Format(time.DateOnly))})
			}
			continue
		}
		where := "x-sunset: YYYY-MM-DD"
		if d.op != nil {
			where = "a Sunset (RFC 8594) or Deprecation (RFC 9745) response header, or x-sunset: YYYY-MM-DD"
		}
		p.Report(d.ptr, "deprecated %s %s does not say when it goes: document %s", d.kind, d.name, where)
	}
}

// replacementRE finds a description that points somewhere else.
var replacementRE = regexp.MustCompile(`(?i)\b(use|using|instead|replac\w*|supersed\w*|successor|migrat\w*|moved to|in favou?r of|see)\b`)

func checkDeprecationReplacement(p *Pass) {
	for _, d := range deprecations(p) {
		if d.docs != nil && d.docs.URL != "" {
			continue
		}
		if _, ok := d.ext["x-replaced-by"]; ok {
			continue
		}
		if replacementRE.MatchString(d.desc) {
			continue
		}
		p.Report(d.ptr, "deprecated %s %s does not name its replacement: say what to use instead in its description, or link externalDocs", d.kind, d.name)
	}
}
