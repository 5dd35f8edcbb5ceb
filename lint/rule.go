// Package lint checks an OpenAPI description for what an AI agent needs to
// choose an operation, fill its call, understand the answer, act safely
// and authenticate as a machine, as well as for the structural problems
// Spectral's spectral:oas ruleset finds.
//
// Lint is the entry point: Lint(ctx, sources, cfg) loads the specs, runs
// the rules that Config selects, applies the ignores, scores and gates,
// and returns a Result whose Report method gives the printers' report.
// Config describes every lint setting once: its tags name the config keys
// and flags the CLI derives from it.
//
//	res, err := lint.Lint(ctx, []string{"openapi.yaml"}, lint.DefaultConfig())
//	rep := res.Report()
//
// Rules are data (Rule) in one registry (Rules). The engine under Lint
// (Run) hands each rule a Pass over a loaded spec, collects findings that
// carry JSON pointers, applies inline ignores, and maps pointers to
// line:column with one scan of the spec's bytes.
package lint

import (
	"embed"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/agentready/agentready/report"
)

// Category groups rules by what they protect.
type Category string

// Categories. CategoryVersioning (named so to leave Versioning to the
// versioning policy type) is for rules that compare a spec with a base
// version of it (Rule.NeedsBase).
const (
	Structure          Category = "structure"
	Choose             Category = "choose"
	Fill               Category = "fill"
	Understand         Category = "understand"
	Safety             Category = "safety"
	Auth               Category = "auth"
	Scale              Category = "scale"
	Tools              Category = "tools"
	CategoryVersioning Category = "versioning"
	Meta               Category = "meta"
)

// Preset is a named set of rules a config can extend.
type Preset int

// Presets, from the smallest. A rule belongs to its own preset and every
// larger one: a Minimal rule is also in Recommended and All.
const (
	Minimal Preset = iota
	Recommended
	All
)

// ParsePreset parses "minimal", "recommended" or "all".
func ParsePreset(s string) (Preset, error) {
	switch strings.ToLower(s) {
	case "minimal":
		return Minimal, nil
	case "recommended", "":
		return Recommended, nil
	case "all":
		return All, nil
	}
	return Recommended, fmt.Errorf("unknown preset %q (want minimal, recommended or all)", s)
}

func (p Preset) String() string {
	return [...]string{"minimal", "recommended", "all"}[p]
}

// Rule is one check.
type Rule struct {
	// ID is kebab-case and stable forever.
	ID string
	// Title says in a line what the rule wants.
	Title string
	// Doc is the Markdown documentation, loaded from docs/<category>.md.
	Doc      string
	Category Category
	// Severity is the default severity of the rule's findings.
	Severity report.Severity
	// Preset is the smallest preset the rule belongs to.
	Preset Preset
	// Since is the release that added the rule.
	Since string
	// NeedsBase marks a rule that compares the spec with Pass.Base and is
	// skipped when there is no base.
	NeedsBase bool
	// Run checks the spec and reports through the pass. It never does I/O.
	Run func(*Pass)
}

// Descriptor is the rule as printers see it.
func (r *Rule) Descriptor() report.Rule {
	return report.Rule{ID: r.ID, Title: r.Title, Doc: r.Doc, Severity: r.Severity, Category: string(r.Category), Since: r.Since}
}

// registry is every rule, sorted by ID at init.
var registry []*Rule

func register(rs ...*Rule) { registry = append(registry, rs...) }

//go:embed docs/*.md
var docsFS embed.FS

var registryOnce sync.Once

// rules returns the registry, sorted and with docs attached: the rule files'
// init functions run after this file's, so it is done on first use.
func rules() []*Rule {
	registryOnce.Do(prepare)
	return registry
}

func prepare() {
	slices.SortFunc(registry, func(a, b *Rule) int { return strings.Compare(a.ID, b.ID) })
	docs := map[string]string{}
	entries, _ := docsFS.ReadDir("docs")
	for _, e := range entries {
		b, _ := docsFS.ReadFile("docs/" + e.Name())
		for id, doc := range splitDocs(string(b)) {
			docs[id] = doc
		}
	}
	for _, r := range registry {
		r.Doc = docs[r.ID]
	}
}

// splitDocs splits a Markdown file into sections under "## rule-id"
// headings.
func splitDocs(s string) map[string]string {
	out := map[string]string{}
	var id string
	var b strings.Builder
	flush := func() {
		if id != "" {
			out[id] = strings.TrimSpace(b.String())
		}
		b.Reset()
	}
	for line := range strings.Lines(s) {
		if h, ok := strings.CutPrefix(line, "## "); ok {
			flush()
			id = strings.TrimSpace(h)
			continue
		}
		if id != "" {
			b.WriteString(line)
		}
	}
	flush()
	return out
}

// Rules returns every rule, sorted by ID.
func Rules() []*Rule { return slices.Clone(rules()) }

// Lookup returns the rule with the given ID, or nil.
func Lookup(id string) *Rule {
	reg := rules()
	i, ok := slices.BinarySearchFunc(reg, id, func(r *Rule, id string) int { return strings.Compare(r.ID, id) })
	if !ok {
		return nil
	}
	return reg[i]
}

// Categories returns the categories in the order the score lists them.
func Categories() []Category {
	return []Category{Choose, Fill, Understand, Safety, Auth, Structure, Scale, Tools, CategoryVersioning, Meta}
}

// Explain renders a rule's documentation as Markdown for --explain.
func Explain(r *Rule) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n%s\n\n", r.ID, r.Title)
	fmt.Fprintf(&b, "- Category: %s\n- Default severity: %s\n- Preset: %s\n- Since: %s\n", r.Category, r.Severity, r.Preset, r.Since)
	if r.NeedsBase {
		b.WriteString("- Needs --base: yes\n")
	}
	b.WriteString("\n" + r.Doc + "\n")
	return b.String()
}

// RuleTable is --list-rules: one rule a line (ID, category, severity,
// preset, title), IDs aligned.
func RuleTable() string {
	var b strings.Builder
	rs := Rules()
	w := 0
	for _, r := range rs {
		w = max(w, len(r.ID))
	}
	for _, r := range rs {
		fmt.Fprintf(&b, "%-*s  %-10s  %-7s  %-11s  %s\n", w, r.ID, r.Category, r.Severity, r.Preset, r.Title)
	}
	return b.String()
}

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }
