package audit

import (
	"encoding/json"
	"fmt"
	"math"
	"os"

	"github.com/agentready/agentready/audit/checks"
	"github.com/agentready/agentready/report"
)

// baseline is an earlier audit's json report, as --baseline reads it.
type baseline struct {
	file   string
	scores *report.Scores
	card   checks.Scorecard
}

func readBaseline(file string) (*baseline, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("--baseline: %w", err)
	}
	if err := report.CheckBaseline(file, b, "audit"); err != nil {
		return nil, err
	}
	var old struct {
		Scores *report.Scores `json:"scores"`
		Extra  struct {
			Scorecard checks.Scorecard `json:"scorecard"`
		} `json:"extra"`
	}
	if err := json.Unmarshal(b, &old); err != nil {
		return nil, fmt.Errorf("--baseline %s: not an agentready audit json report: %v", file, err)
	}
	if old.Scores == nil {
		return nil, fmt.Errorf("--baseline %s: the report has no scores", file)
	}
	return &baseline{file: file, scores: old.Scores, card: old.Extra.Scorecard}, nil
}

// compare returns what fails against the baseline: a lower overall score,
// and each check that passed there and fails now on the same site. Sites
// pair by name (a folder by its folder, else the origin), which is the
// same from run to run.
func (b *baseline) compare(scores *report.Scores, card *checks.Scorecard) []string {
	var fails []string
	// Scores compare as printed (report.ShownScore): a baseline written
	// before scores were rounded in json still compares whole numbers.
	if was, now := report.ShownScore(b.scores.Overall), report.ShownScore(scores.Overall); now < was {
		fails = append(fails, fmt.Sprintf("audit score dropped from %g to %g (baseline %s)", was, now, b.file))
	}
	if card == nil {
		return fails
	}
	for _, prev := range b.card.Sites {
		for _, ns := range card.Sites {
			if ns.Name() != prev.Name() {
				continue
			}
			for _, oc := range prev.Checks {
				for _, nc := range ns.Checks {
					if nc.ID == oc.ID && oc.Passed() && nc.Score != nil && !nc.Passed() {
						fails = append(fails, fmt.Sprintf("check %s now fails on %s (%.0f, was %.0f)", nc.ID, ns.Name(), math.Round(*nc.Score), math.Round(*oc.Score)))
					}
				}
			}
		}
	}
	return fails
}
