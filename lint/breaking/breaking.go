// Package breaking compares two versions of an OpenAPI description with
// oasdiff's checker (github.com/oasdiff/oasdiff, used as a library) and
// says what an agent integration written against the earlier one would
// see: the breaking changes, each with a JSON pointer into the document it
// can be shown in (the new spec, or the base for a removal); how
// info.version moved; and a changelog grouped into breaking, deprecated,
// added and changed.
//
// It never prints and never exits; LoadBase is the only function that does
// I/O (reading a file, a URL or a git revision).
package breaking

import (
	"fmt"
	"slices"
	"strings"

	"github.com/agentready/agentready/internal/specload"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/oasdiff/oasdiff/checker"
	"github.com/oasdiff/oasdiff/diff"
	"github.com/oasdiff/oasdiff/load"
)

// Side says which document a change's pointer is in.
type Side int

// Sides.
const (
	InSpec Side = iota // the new version (SPEC)
	InBase             // the earlier version (BASE): removals
)

func (s Side) String() string {
	if s == InBase {
		return "base"
	}
	return "spec"
}

// Group is a changelog section.
type Group string

// Groups, in the order a changelog lists them.
const (
	Breaking   Group = "breaking"
	Deprecated Group = "deprecated"
	Added      Group = "added"
	Changed    Group = "changed"
)

// Groups returns the groups in changelog order.
func Groups() []Group { return []Group{Breaking, Deprecated, Added, Changed} }

// Level is oasdiff's level of a change.
type Level string

// Levels, as oasdiff names them (ERR, WARN, INFO).
const (
	LevelError   Level = "error"
	LevelWarning Level = "warning"
	LevelInfo    Level = "info"
)

// Change is one change oasdiff found between BASE and SPEC.
type Change struct {
	// ID is oasdiff's check ID ("request-parameter-removed").
	ID string `json:"id"`
	// Level is oasdiff's level; error and warning are breaking.
	Level Level  `json:"level"`
	Group Group  `json:"group"`
	Text  string `json:"text"`
	// Comment is oasdiff's explanation of why the change matters, if any.
	Comment string `json:"comment,omitempty"`
	// Method and Path name the operation ("GET", "/pets"); empty for a
	// change to components or the document.
	Method      string `json:"method,omitempty"`
	Path        string `json:"path,omitempty"`
	OperationID string `json:"operationId,omitempty"`
	// Side and Pointer say where the change is: a JSON pointer into the
	// OpenAPI 3 model of SPEC, or of BASE for what SPEC no longer has.
	Side    Side   `json:"-"`
	Pointer string `json:"pointer"`
}

// Breaking reports whether oasdiff rates the change as breaking.
func (c *Change) Breaking() bool { return c.Level == LevelError || c.Level == LevelWarning }

// Operation names the change's operation: "GET /pets", or "".
func (c *Change) Operation() string {
	if c.Path == "" {
		return ""
	}
	return strings.TrimSpace(c.Method + " " + c.Path)
}

// Result is the comparison of BASE with SPEC.
type Result struct {
	// BaseVersion and SpecVersion are info.version of each.
	BaseVersion string
	SpecVersion string
	// Bump is how info.version moved.
	Bump Bump
	// Changes are every change at oasdiff's INFO level or above, sorted:
	// breaking first, then by path, method and ID.
	Changes []Change
}

// Count returns how many changes are in group g.
func (r *Result) Count(g Group) int {
	n := 0
	for i := range r.Changes {
		if r.Changes[i].Group == g {
			n++
		}
	}
	return n
}

// versionPolicyIDs are oasdiff's own version-bump checks; Verdict replaces
// them (it also asks for a minor bump when something was added).
var versionPolicyIDs = []string{"api-version-not-bumped", "api-version-decreased", "api-major-version-not-bumped"}

// Compare computes the changes from base to spec. Both must be loaded
// (their $refs resolved) and written in the same OpenAPI major version.
// Neither document is modified.
func Compare(base, spec *specload.Document) (res *Result, err error) {
	if base == nil || spec == nil || base.Spec == nil || spec.Spec == nil {
		return nil, fmt.Errorf("compare: a document is missing")
	}
	if err := Comparable(base, spec); err != nil {
		return nil, err
	}
	defer func() {
		// oasdiff walks arbitrary user documents; a bug there must not take
		// the run down.
		if r := recover(); r != nil {
			res, err = nil, fmt.Errorf("comparing %s with %s: oasdiff failed: %v", base.Name, spec.Name, r)
		}
	}()
	s1 := &load.SpecInfo{Spec: base.Spec, Url: base.Name, Version: base.Spec.OpenAPI}
	s2 := &load.SpecInfo{Spec: spec.Spec, Url: spec.Name, Version: spec.Spec.OpenAPI}
	d, sources, err := diff.GetWithOperationsSourcesMap(diff.NewConfig(), s1, s2)
	if err != nil {
		return nil, fmt.Errorf("comparing %s with %s: %v", base.Name, spec.Name, err)
	}
	changes := checker.CheckBackwardCompatibilityUntilLevel(checker.NewConfig(checker.GetAllChecks()), d, sources, checker.INFO)
	res = &Result{}
	if base.Spec.Info != nil {
		res.BaseVersion = base.Spec.Info.Version
	}
	if spec.Spec.Info != nil {
		res.SpecVersion = spec.Spec.Info.Version
	}
	res.Bump = VersionBump(res.BaseVersion, res.SpecVersion)
	loc := checker.NewDefaultLocalizer()
	m := &mapper{base: base, spec: spec}
	for _, c := range changes {
		if slices.Contains(versionPolicyIDs, c.GetId()) {
			continue
		}
		ch := Change{
			ID:      c.GetId(),
			Level:   levelOf(c.GetLevel()),
			Text:    c.GetUncolorizedText(loc),
			Comment: strings.TrimSpace(c.GetComment(loc)),
			Method:  c.GetOperation(),
			Path:    c.GetPath(),
		}
		ch.OperationID = c.GetOperationId()
		ch.Group = groupOf(&ch)
		ch.Side, ch.Pointer = m.locate(c)
		res.Changes = append(res.Changes, ch)
	}
	res.Changes = append(res.Changes, removedAfterSunset(base, spec, res.Changes)...)
	slices.SortStableFunc(res.Changes, func(a, b Change) int {
		if c := boolRank(b.Breaking()) - boolRank(a.Breaking()); c != 0 {
			return c
		}
		for _, c := range []int{strings.Compare(a.Path, b.Path), strings.Compare(a.Method, b.Method), strings.Compare(a.ID, b.ID), strings.Compare(a.Text, b.Text)} {
			if c != 0 {
				return c
			}
		}
		return 0
	})
	return res, nil
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}

func levelOf(l checker.Level) Level {
	switch {
	case l >= checker.ERR:
		return LevelError
	case l >= checker.WARN:
		return LevelWarning
	}
	return LevelInfo
}

// groupOf files a change under a changelog section by oasdiff's check ID:
// a breaking change is breaking whatever it is; then deprecations and
// sunsets, additions, and the rest.
func groupOf(c *Change) Group {
	id := c.ID
	switch {
	case c.Breaking():
		return Breaking
	case strings.Contains(id, "deprecated") || strings.Contains(id, "sunset"):
		return Deprecated
	case strings.HasPrefix(id, "new-") || strings.Contains(id, "-added") || strings.HasSuffix(id, "added"):
		return Added
	}
	return Changed
}

// IsRemoval reports whether the check ID is about something SPEC no longer
// has, which is shown in BASE.
func IsRemoval(id string) bool {
	return strings.Contains(id, "removed") || strings.Contains(id, "deleted")
}

// Comparable reports why base and spec cannot be compared: one is written
// in OpenAPI 2.0 and the other in 3.x, whose layouts differ.
func Comparable(base, spec *specload.Document) error {
	if base.IsV2() != spec.IsV2() {
		return fmt.Errorf("%s is OpenAPI %s but %s is OpenAPI %s: compare two versions written in the same major version of OpenAPI",
			base.Name, base.Version, spec.Name, spec.Version)
	}
	return nil
}

// RemovedAfterSunsetID names a removal oasdiff does not report because it
// is due: the operation was deprecated and its x-sunset date has passed.
// The changelog still lists it.
const RemovedAfterSunsetID = "endpoint-removed-after-sunset"

func removedAfterSunset(base, spec *specload.Document, changes []Change) []Change {
	if base.Spec.Paths == nil {
		return nil
	}
	reported := map[string]bool{}
	for _, c := range changes {
		if IsRemoval(c.ID) {
			reported[c.Method+" "+c.Path] = true
		}
	}
	var out []Change
	for path, item := range base.Spec.Paths.Map() {
		if item == nil {
			continue
		}
		var now *openapi3.PathItem
		if spec.Spec.Paths != nil {
			now = spec.Spec.Paths.Value(path)
		}
		for method, op := range item.Operations() {
			if (now != nil && now.GetOperation(method) != nil) || reported[method+" "+path] || op == nil {
				continue
			}
			text := "endpoint removed after its sunset date"
			if sunset, ok := op.Extensions["x-sunset"]; ok {
				text = fmt.Sprintf("endpoint removed after its sunset date `%v`", sunset)
			}
			out = append(out, Change{ID: RemovedAfterSunsetID, Level: LevelInfo, Group: Changed, Text: text,
				Method: method, Path: path, OperationID: op.OperationID,
				Side: InBase, Pointer: specload.Pointer("paths", path, strings.ToLower(method))})
		}
	}
	return out
}
