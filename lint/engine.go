package lint

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"

	"github.com/agentready/agentready/internal/specload"
	"github.com/agentready/agentready/lint/breaking"
	"github.com/agentready/agentready/report"
)

// Options configure Run.
type Options struct {
	// Rules are the rules to run; nil means the Recommended preset.
	Rules []*Rule
	// Base is the earlier version of the spec for rules that need one.
	Base *specload.Document
	// File overrides the name findings carry (the spec's Name by default).
	File string
	// Versioning is the versioning policy (the lint.versioning config).
	Versioning Versioning
	// ToolTokenBudget is the lint.tool-token-budget config.
	ToolTokenBudget int
}

// RunResult is what Run found in one spec.
type RunResult struct {
	// Findings carry positions, sorted.
	Findings []report.Finding
	// Operations is how many operations the spec has.
	Operations int
	// Base is the comparison of the spec with Options.Base, when a rule
	// needed it (nil otherwise).
	Base *breaking.Result
}

// Select returns the rules of a preset.
func Select(p Preset) []*Rule {
	var out []*Rule
	for _, r := range rules() {
		if r.Preset <= p {
			out = append(out, r)
		}
	}
	return out
}

// Run lints one loaded spec, the engine under Lint. It runs the rules concurrently, applies inline
// x-agentready-ignore entries, and gives every finding a file, line, column
// and pointer.
func Run(ctx context.Context, doc *specload.Document, opts Options) *RunResult {
	rules := opts.Rules
	if rules == nil {
		rules = Select(Recommended)
	}
	idx := newIndex(doc.Spec)
	passes := make([]*Pass, 0, len(rules))
	var base *baseDiff
	if opts.Base != nil {
		base = &baseDiff{}
	}
	for _, r := range rules {
		if r.NeedsBase && opts.Base == nil {
			continue
		}
		passes = append(passes, &Pass{Doc: doc, Spec: doc.Spec, Base: opts.Base, Rule: r, Versioning: opts.Versioning, ToolTokenBudget: opts.ToolTokenBudget, idx: idx, base: base, ctx: ctx})
	}
	// The slowest pass (spec-valid, which runs kin-openapi's validation)
	// starts first, so that it overlaps with the others.
	slices.SortStableFunc(passes, func(a, b *Pass) int {
		return boolInt(b.Rule.ID == specValidID) - boolInt(a.Rule.ID == specValidID)
	})
	work := make(chan *Pass)
	var wg sync.WaitGroup
	for range max(1, runtime.GOMAXPROCS(0)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range work {
				runPass(p)
			}
		}()
	}
	for _, p := range passes {
		if ctx.Err() != nil {
			break
		}
		work <- p
	}
	close(work)
	wg.Wait()

	var fs []report.Finding
	for _, p := range passes {
		fs = append(fs, p.findings...)
	}
	name := opts.File
	if name == "" {
		name = doc.Name
	}
	fs = dedupeCauses(fs)
	fs = applyInlineIgnores(doc, fs, slices.ContainsFunc(rules, func(r *Rule) bool { return r.ID == inlineIgnoreID }))
	locate(doc, name, fs)
	report.Sort(fs)
	res := &RunResult{Findings: fs, Operations: len(idx.ops)}
	if base != nil {
		res.Base = base.res
	}
	return res
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// runPass runs one rule; a rule that panics becomes a finding rather than
// taking the run down.
func runPass(p *Pass) {
	defer func() {
		if r := recover(); r != nil {
			stack := string(debug.Stack())
			if len(stack) > 2000 {
				stack = stack[:2000]
			}
			p.findings = append(p.findings, report.Finding{
				RuleID: p.Rule.ID, Severity: report.Error, Category: string(p.Rule.Category),
				Message: fmt.Sprintf("internal error in rule %s: %v (please report this)", p.Rule.ID, r),
				Help:    stack,
			})
		}
	}()
	p.Rule.Run(p)
}

// locate fills in file, line and column from the pointers, with one scan
// of the spec's bytes for all of them.
func locate(doc *specload.Document, name string, fs []report.Finding) {
	var ptrs []string
	for i := range fs {
		if fs[i].Location.File == "" {
			ptrs = append(ptrs, fs[i].Location.Pointer)
		}
		for _, r := range fs[i].Related {
			ptrs = append(ptrs, r.Pointer)
		}
	}
	pos := doc.Locate(ptrs)
	set := func(l *report.Location) {
		if l.File != "" {
			// A rule placed it in another document (the --base spec).
			return
		}
		p := pos[l.Pointer]
		l.File, l.Line, l.Column = name, p.Line, p.Column
		// Users see pointers into the file they wrote: for a 2.0 spec,
		// /definitions/Pet rather than /components/schemas/Pet, cut to
		// what exists there (2.0 has no flows/implicit object, say).
		if doc.IsV2() {
			l.Pointer = p.Pointer
		} else {
			l.Pointer = doc.FilePointer(l.Pointer)
		}
	}
	for i := range fs {
		set(&fs[i].Location)
		for j := range fs[i].Related {
			set(&fs[i].Related[j].Location)
		}
	}
}

// Operation-scoped config needs the operation a finding is about.
func opOf(ptr string) (path, method string) {
	segs := strings.Split(strings.TrimPrefix(ptr, "/"), "/")
	if len(segs) < 2 || segs[0] != "paths" {
		return "", ""
	}
	path = strings.ReplaceAll(strings.ReplaceAll(segs[1], "~1", "/"), "~0", "~")
	if len(segs) >= 3 && slices.Contains(methods, segs[2]) {
		method = segs[2]
	}
	return path, method
}
