package breaking

import (
	"fmt"

	"github.com/agentready/agentready/internal/specload"
	"github.com/agentready/agentready/report"
)

// Verdict is whether info.version moved as far as the changes require:
// a breaking change needs a MAJOR bump, an addition at least a MINOR one,
// and a version never goes down.
type Verdict struct {
	OK bool
	// Severity is Error for a missing major bump or a version that went
	// down, Warning for a missing minor bump or a version that cannot be
	// judged.
	Severity report.Severity
	// Need is the smallest bump the changes require.
	Need    Bump
	Message string
}

// Verdict judges the version bump against the changes.
func (r *Result) Verdict() Verdict {
	breaking, added := r.Count(Breaking), r.Count(Added)
	need := BumpNone
	switch {
	case breaking > 0:
		need = BumpMajor
	case added > 0:
		need = BumpMinor
	}
	from, to := r.BaseVersion, r.SpecVersion
	v := Verdict{OK: true, Need: need}
	switch {
	case r.Bump == BumpDown:
		v.OK, v.Severity = false, report.Error
		v.Message = fmt.Sprintf("info.version went down from %s to %s", from, to)
	case need == BumpNone:
		v.Message = fmt.Sprintf("no breaking change and nothing added; %s → %s is fine", from, to)
	case r.Bump == BumpUnknown:
		v.OK, v.Severity = false, report.Warning
		v.Message = fmt.Sprintf("%s, but %s → %s is not a semantic or date version, so the bump cannot be judged", changeCount(breaking, added), from, to)
	case r.Bump == BumpPre && isPre(to):
		v.Message = fmt.Sprintf("%s within pre-releases (%s → %s), which promise no compatibility", changeCount(breaking, added), from, to)
	case r.Bump >= need:
		v.Message = fmt.Sprintf("%s, and %s → %s is a %s bump", changeCount(breaking, added), from, to, r.Bump)
	case need == BumpMajor:
		v.OK, v.Severity = false, report.Error
		v.Message = fmt.Sprintf("%s without a MAJOR version bump: %s → %s is %s", changeCount(breaking, 0), from, to, bumpPhrase(r.Bump))
	default:
		v.OK, v.Severity = false, report.Warning
		v.Message = fmt.Sprintf("%s without at least a MINOR version bump: %s → %s is %s", changeCount(0, added), from, to, bumpPhrase(r.Bump))
	}
	return v
}

func isPre(s string) bool {
	v, ok := ParseVersion(s)
	return ok && v.Pre != ""
}

func bumpPhrase(b Bump) string {
	if b == BumpNone {
		return "unchanged"
	}
	return "a " + b.String() + " bump"
}

func changeCount(breaking, added int) string {
	plural := func(n int, one, many string) string {
		if n == 1 {
			return fmt.Sprintf("1 %s", one)
		}
		return fmt.Sprintf("%d %s", n, many)
	}
	switch {
	case breaking > 0 && added > 0:
		return plural(breaking, "breaking change", "breaking changes") + " and " + plural(added, "addition", "additions")
	case breaking > 0:
		return plural(breaking, "breaking change", "breaking changes")
	}
	return plural(added, "addition", "additions")
}

// Locations maps every change's pointer to a file, line and column: in
// spec, or in base for a change shown there. It scans each document once.
func (r *Result) Locations(base, spec *specload.Document) []report.Location {
	var ptrs [2][]string
	for _, c := range r.Changes {
		ptrs[c.Side] = append(ptrs[c.Side], c.Pointer)
	}
	docs := [2]*specload.Document{spec, base}
	var pos [2]map[string]specload.Position
	for side, d := range docs {
		if len(ptrs[side]) > 0 && d != nil {
			pos[side] = d.Locate(ptrs[side])
		}
	}
	out := make([]report.Location, len(r.Changes))
	for i, c := range r.Changes {
		d := docs[c.Side]
		if d == nil {
			continue
		}
		p := pos[c.Side][c.Pointer]
		ptr := c.Pointer
		if d.IsV2() && p.Pointer != "" {
			// The pointer as the 2.0 file has it (/definitions/Pet).
			ptr = p.Pointer
		}
		out[i] = report.Location{File: d.Name, Line: p.Line, Column: p.Column, Pointer: ptr}
	}
	return out
}

// Changelog groups the changes for a release note. locs are the changes'
// locations (Locations), in the same order.
func (r *Result) Changelog(base, spec string, locs []report.Location) *report.Changelog {
	v := r.Verdict()
	cl := &report.Changelog{
		Base: base, Revision: spec,
		BaseVersion: r.BaseVersion, RevisionVersion: r.SpecVersion,
		Bump: r.Bump.String(), Verdict: v.Message, OK: v.OK,
	}
	titles := map[Group]string{Breaking: "Breaking", Deprecated: "Deprecated", Added: "Added", Changed: "Changed"}
	for _, g := range Groups() {
		grp := report.ChangelogGroup{ID: string(g), Title: titles[g], Entries: []report.ChangelogEntry{}}
		for i, c := range r.Changes {
			if c.Group != g {
				continue
			}
			e := report.ChangelogEntry{ID: c.ID, Level: string(c.Level), Operation: c.Operation(), OperationID: c.OperationID, Text: c.Text}
			if i < len(locs) {
				e.Location = locs[i]
			}
			grp.Entries = append(grp.Entries, e)
		}
		cl.Groups = append(cl.Groups, grp)
	}
	return cl
}
