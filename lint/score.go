package lint

import (
	"math"

	"github.com/agentready/agentready/report"
)

// categoryWeights are how much each category counts in the overall score.
// Scale has no weight: provider tool caps are information, not a defect.
var categoryWeights = map[Category]float64{
	Choose:     25,
	Fill:       25,
	Understand: 20,
	Safety:     10,
	Auth:       10,
	Structure:  10,
}

var categoryTitles = map[Category]string{
	Choose:     "Choose the operation",
	Fill:       "Fill the call",
	Understand: "Understand the answer",
	Safety:     "Act safely",
	Auth:       "Authenticate as a machine",
	Structure:  "Valid and well-formed",
}

// severityWeights are the penalty of one finding.
var severityWeights = map[report.Severity]float64{
	report.Error:   4,
	report.Warning: 2,
	report.Info:    0.5,
	report.Hint:    0,
}

// Score computes the agent-readiness score of a spec from its findings
// (after severity overrides and ignores):
//
//	penalty(c) = Σ severityWeight(f) over findings f in category c
//	density(c) = penalty(c) / max(10, operations)
//	score(c)   = 100 × exp(−density(c) / 2)
//	overall    = Σ weight(c) × score(c) / Σ weight(c)
//
// so one warning per operation in a category gives it 37, one info per
// operation 78, and a spec twice as large with twice the findings scores
// the same. Specs under ten operations count as ten, so that a few
// document-level findings (no contact, no servers) do not sink a small one.
func Score(fs []report.Finding, operations int) *report.Scores {
	pen := map[Category]float64{}
	for _, f := range fs {
		pen[Category(f.Category)] += severityWeights[f.Severity]
	}
	n := math.Max(10, float64(operations))
	s := &report.Scores{}
	var total, weights float64
	for _, c := range Categories() {
		w, ok := categoryWeights[c]
		if !ok {
			continue
		}
		sc := 100 * math.Exp(-pen[c]/n/2)
		sc = math.Round(sc*10) / 10
		s.Categories = append(s.Categories, report.CategoryScore{ID: string(c), Title: categoryTitles[c], Score: sc, Weight: w})
		total += w * sc
		weights += w
	}
	s.Overall = math.Round(total/weights*10) / 10
	return s
}
