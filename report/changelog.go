package report

import (
	"fmt"
	"strings"
)

// Changelog is what changed between two versions of an API description,
// grouped for a release note or a pull request comment. A command that has
// one (lint --base) puts it in Report.Extra under "changelog" (see
// ChangelogExtra), so the json report carries it as data and the markdown
// printer renders it.
type Changelog struct {
	// Base and Revision name the two documents compared.
	Base     string `json:"base"`
	Revision string `json:"revision"`
	// BaseVersion and RevisionVersion are their info.version.
	BaseVersion     string `json:"baseVersion"`
	RevisionVersion string `json:"revisionVersion"`
	// Bump is how the version moved: major, minor, patch, pre-release,
	// none, down or unknown.
	Bump string `json:"bump"`
	// Verdict says in a sentence whether the bump fits the changes, and
	// OK whether it does.
	Verdict string `json:"verdict"`
	OK      bool   `json:"ok"`
	// Groups are the changes by kind, in order: breaking, deprecated,
	// added, changed. Every group is present, possibly empty.
	Groups []ChangelogGroup `json:"groups"`
}

// ChangelogGroup is one section of a changelog.
type ChangelogGroup struct {
	// ID is breaking, deprecated, added or changed.
	ID      string           `json:"id"`
	Title   string           `json:"title"`
	Entries []ChangelogEntry `json:"entries"`
}

// ChangelogEntry is one change.
type ChangelogEntry struct {
	// ID is the check that found the change (oasdiff's check ID).
	ID string `json:"id"`
	// Level is the checker's level: error, warning or info.
	Level string `json:"level"`
	// Operation is "GET /pets", or empty for a change outside operations.
	Operation   string `json:"operation,omitempty"`
	OperationID string `json:"operationId,omitempty"`
	// Text says what changed; values in it are quoted with backticks.
	Text     string   `json:"text"`
	Location Location `json:"location"`
}

// ChangelogExtra is lint --base's Report.Extra: the json report carries
// the changelog under "extra.changelog" and the markdown report shows it.
type ChangelogExtra struct {
	Changelog *Changelog `json:"changelog"`
}

// changelogOf returns the changelog in r.Extra, or nil.
func changelogOf(r *Report) *Changelog {
	if x, ok := r.Extra.(*ChangelogExtra); ok {
		return x.Changelog
	}
	return nil
}

// changelogEntriesMax bounds the entries a markdown changelog lists per
// group, and changelogMaxBytes its size, so that a big release still fits a
// GitHub comment beside the findings; the json report has every entry.
const (
	changelogEntriesMax = 50
	changelogMaxBytes   = 24000
)

// writeMarkdownChangelog renders a changelog: a heading with the versions,
// the verdict, then one list per non-empty group.
func writeMarkdownChangelog(b *strings.Builder, c *Changelog) {
	limit := b.Len() + changelogMaxBytes
	fmt.Fprintf(b, "### API changes: %s → %s\n\n", mdCode(nonEmpty(c.Base, "base")), mdCode(nonEmpty(c.Revision, "revision")))
	icon := "✅"
	if !c.OK {
		icon = "❌"
	}
	versions := fmt.Sprintf("%s → %s", mdCode(nonEmpty(c.BaseVersion, "?")), mdCode(nonEmpty(c.RevisionVersion, "?")))
	fmt.Fprintf(b, "%s **Version** %s (%s): %s\n\n", icon, versions, mdText(c.Bump), mdText(c.Verdict))
	var counts []string
	for _, g := range c.Groups {
		counts = append(counts, fmt.Sprintf("%d %s", len(g.Entries), strings.ToLower(g.Title)))
	}
	if len(counts) > 0 {
		b.WriteString(mdText(strings.Join(counts, " · ")) + "\n\n")
	}
	for _, g := range c.Groups {
		if len(g.Entries) == 0 {
			continue
		}
		fmt.Fprintf(b, "#### %s (%d)\n\n", mdText(g.Title), len(g.Entries))
		for i, e := range g.Entries {
			if i == changelogEntriesMax || b.Len() > limit {
				fmt.Fprintf(b, "- _%d more, listed in the json report_\n", len(g.Entries)-i)
				break
			}
			b.WriteString("- ")
			if e.Operation != "" {
				b.WriteString("**" + mdText(e.Operation) + "**: ")
			}
			b.WriteString(mdQuoted(e.Text))
			fmt.Fprintf(b, " <sub>%s</sub>\n", mdCode(e.ID))
		}
		b.WriteString("\n")
	}
}

// mdQuoted escapes text whose backtick-quoted parts are values: they become
// code spans, the rest is escaped text.
func mdQuoted(s string) string {
	parts := strings.Split(s, "`")
	if len(parts)%2 == 0 {
		return mdText(s) // unbalanced: no code spans
	}
	var b strings.Builder
	for i, p := range parts {
		if i%2 == 1 {
			b.WriteString(mdCode(p))
		} else {
			b.WriteString(mdText(p))
		}
	}
	return b.String()
}
