package lint

import (
	"fmt"
	"slices"
	"strings"

	"github.com/agentready/agentready/internal/specload"
	"github.com/agentready/agentready/report"
)

// IgnoreKey is the extension that suppresses findings on an object and
// everything under it: x-agentready-ignore: {rule-id: "reason"}.
const IgnoreKey = "x-agentready-ignore"

const inlineIgnoreID = "inline-ignore"

type inlineIgnore struct {
	ptr    string // of the object holding the key, in the file's layout
	rule   string
	reason string
	keyPtr string
	used   bool
}

// applyInlineIgnores drops findings under an x-agentready-ignore entry for
// their rule (or category) and, when check is set, reports entries without
// a reason, naming no known rule, or matching nothing.
func applyInlineIgnores(doc *specload.Document, fs []report.Finding, check bool) []report.Finding {
	if !strings.Contains(string(doc.Bytes), IgnoreKey) {
		return fs
	}
	var igs []*inlineIgnore
	var problems []report.Finding
	meta := func(ptr, format string, args ...any) {
		problems = append(problems, report.Finding{RuleID: inlineIgnoreID, Severity: report.Warning, Category: string(Meta),
			Message: fmt.Sprintf(format, args...), Location: report.Location{Pointer: ptr}})
	}
	for _, m := range doc.FindKeys(IgnoreKey) {
		keyPtr := m.Pointer + "/" + IgnoreKey
		entries, ok := m.Value.(map[string]any)
		if !ok {
			meta(keyPtr, "%s must be a mapping of rule IDs to reasons", IgnoreKey)
			continue
		}
		for _, rule := range sortedKeys(entries) {
			reason, _ := entries[rule].(string)
			if strings.TrimSpace(reason) == "" {
				meta(keyPtr+"/"+specload.EscapeToken(rule), "ignore of %s has no reason: say why it does not apply", rule)
				continue
			}
			if Lookup(rule) == nil && !slices.Contains(Categories(), Category(rule)) {
				meta(keyPtr+"/"+specload.EscapeToken(rule), "ignore names %q, which is neither a rule nor a category", rule)
				continue
			}
			igs = append(igs, &inlineIgnore{ptr: m.Pointer, rule: rule, reason: reason, keyPtr: keyPtr + "/" + specload.EscapeToken(rule)})
		}
	}
	if len(igs) > 0 {
		// Match against where each finding is in the file, so that a 2.0
		// spec's ignores work on its own layout.
		ptrs := make([]string, len(fs))
		for i := range fs {
			ptrs[i] = fs[i].Location.Pointer
		}
		pos := doc.Locate(ptrs)
		out := fs[:0]
		for _, f := range fs {
			phys := pos[f.Location.Pointer].Pointer
			ignored := false
			for _, ig := range igs {
				if (ig.rule == f.RuleID || ig.rule == f.Category) && (phys == ig.ptr || strings.HasPrefix(phys, ig.ptr+"/") || ig.ptr == "") {
					ig.used = true
					ignored = true
				}
			}
			if !ignored {
				out = append(out, f)
			}
		}
		fs = out
	}
	if !check {
		return fs
	}
	for _, ig := range igs {
		if !ig.used {
			meta(ig.keyPtr, "ignore of %s matches no finding: remove it", ig.rule)
		}
	}
	if doc.V2 != nil {
		// These pointers are already in the 2.0 layout: keep Locate from
		// translating them again.
		for i := range problems {
			problems[i].Location.Pointer = "@" + problems[i].Location.Pointer
		}
	}
	return append(fs, problems...)
}
