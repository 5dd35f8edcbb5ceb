package lint

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/agentready/agentready/lint/breaking"
	"github.com/agentready/agentready/report"
)

func init() {
	register(
		&Rule{ID: "breaking-change", Title: "no change breaks a client written against the base version (oasdiff's checks)",
			Category: CategoryVersioning, Severity: report.Error, Preset: Minimal, Since: "0.1.0", NeedsBase: true, Run: checkBreakingChanges},
		&Rule{ID: "version-bump-required", Title: "info.version moves as the changes require: MAJOR for a breaking change, MINOR for an addition, never down",
			Category: CategoryVersioning, Severity: report.Error, Preset: Minimal, Since: "0.1.0", NeedsBase: true, Run: checkVersionBump},
		&Rule{ID: "removed-without-deprecation", Title: "an operation is removed only after it was deprecated with a sunset date that has passed",
			Category: CategoryVersioning, Severity: report.Error, Preset: Minimal, Since: "0.1.0", NeedsBase: true, Run: checkRemovedWithoutDeprecation},
	)
}

// baseDiff is the comparison of a run's spec with its base, computed once
// for all the rules that need it.
type baseDiff struct {
	once sync.Once
	res  *breaking.Result
	locs []report.Location
	err  error
}

func (p *Pass) baseDiff() (*breaking.Result, []report.Location, error) {
	d := p.base
	if d == nil {
		return nil, nil, fmt.Errorf("no base")
	}
	d.once.Do(func() {
		d.res, d.err = breaking.Compare(p.Base, p.Doc)
		if d.err == nil {
			d.locs = d.res.Locations(p.Base, p.Doc)
		}
	})
	return d.res, d.locs, d.err
}

// removalIDs are oasdiff's checks on removed operations;
// removed-without-deprecation reports them, with its own idea of a sunset.
var removalIDs = map[string]bool{
	"api-path-removed-without-deprecation": true, "api-removed-without-deprecation": true,
	"api-path-removed-before-sunset": true, "api-removed-before-sunset": true,
	"api-path-removed-with-deprecation": true, "api-removed-with-deprecation": true,
	"api-path-sunset-parse": true,
}

// changeFinding is a finding at a change: a pointer into the spec, which
// the engine locates, or a location already resolved in the base. A
// finding in the base also points at the nearest place in the spec (the
// engine resolves the pointer to its deepest existing ancestor), since code
// review tools annotate only the new file.
func changeFinding(c *breaking.Change, loc report.Location, sev report.Severity, msg string) report.Finding {
	f := report.Finding{Severity: sev, Message: msg, Help: c.Comment, Location: report.Location{Pointer: c.Pointer}}
	if c.Side == breaking.InBase {
		f.Location = loc
		f.Related = []report.RelatedLocation{{Location: report.Location{Pointer: c.Pointer}, Message: "the nearest place in the new version"}}
	}
	return f
}

func checkBreakingChanges(p *Pass) {
	res, locs, err := p.baseDiff()
	if err != nil {
		p.ReportFinding(report.Finding{Severity: report.Error, Location: report.Location{Pointer: ""}, Message: "cannot compare with the base: " + err.Error()})
		return
	}
	// A breaking change is what a major release is for: with the bump it
	// needs, it is reported as information, for the release notes.
	v := res.Verdict()
	allowed := v.OK && res.Bump != breaking.BumpUnknown
	for i := range res.Changes {
		c := &res.Changes[i]
		if !c.Breaking() || removalIDs[c.ID] {
			continue
		}
		sev := report.Error
		if c.Level == breaking.LevelWarning {
			sev = report.Warning
		}
		msg := fmt.Sprintf("%s: %s", c.ID, c.Text)
		if op := c.Operation(); op != "" {
			msg = fmt.Sprintf("%s: %s: %s", c.ID, op, c.Text)
		}
		if allowed {
			sev = report.Info
			msg += fmt.Sprintf(" (allowed: info.version %s → %s)", res.BaseVersion, res.SpecVersion)
		}
		p.ReportFinding(changeFinding(c, locs[i], sev, msg))
	}
}

func checkVersionBump(p *Pass) {
	res, _, err := p.baseDiff()
	if err != nil {
		return // breaking-change reports it
	}
	v := res.Verdict()
	if v.OK {
		return
	}
	p.ReportFinding(report.Finding{Severity: v.Severity, Location: report.Location{Pointer: "/info/version"}, Message: v.Message,
		Help: fmt.Sprintf("needs at least a %s bump of info.version from %s", strings.ToUpper(v.Need.String()), res.BaseVersion)})
}

func checkRemovedWithoutDeprecation(p *Pass) {
	res, locs, err := p.baseDiff()
	if err != nil {
		return
	}
	today := now()
	for i := range res.Changes {
		c := &res.Changes[i]
		if !removalIDs[c.ID] || c.Path == "" {
			continue
		}
		op := baseOperation(p, c.Path, c.Method)
		if op == nil {
			continue
		}
		name := c.Operation()
		if c.OperationID != "" {
			name += " (" + c.OperationID + ")"
		}
		var msg string
		switch sunset, dated := operationSunset(op); {
		case !op.Op.Deprecated:
			msg = fmt.Sprintf("%s was removed without being deprecated first: deprecate it with a sunset date, and remove it once the date has passed", name)
		case !dated:
			msg = fmt.Sprintf("%s was deprecated but removed without a sunset date: clients had no date to migrate by", name)
		case !sunset.Before(today):
			msg = fmt.Sprintf("%s was removed before its sunset date %s", name, sunset.Format(time.DateOnly))
		default:
			continue // deprecated, and its sunset has passed: removal is due
		}
		p.ReportFinding(changeFinding(c, locs[i], report.Error, msg+" ["+c.ID+"]"))
	}
}

// baseOperation finds an operation of the base spec.
func baseOperation(p *Pass, path, method string) *Op {
	if p.Base == nil || p.Base.Spec == nil || p.Base.Spec.Paths == nil {
		return nil
	}
	item := p.Base.Spec.Paths.Value(path)
	if item == nil {
		return nil
	}
	op := item.GetOperation(strings.ToUpper(method))
	if op == nil {
		return nil
	}
	return &Op{Path: path, Method: strings.ToLower(method), Item: item, Op: op}
}

// operationSunset is the sunset date of an operation: its x-sunset, or the
// date a Sunset response header's example or default gives.
func operationSunset(o *Op) (time.Time, bool) {
	if raw, ok := o.Op.Extensions["x-sunset"]; ok {
		if t, ok := parseDate(raw); ok {
			return t, true
		}
	}
	_, t, dated := sunsetHeaders(o)
	return t, dated
}
