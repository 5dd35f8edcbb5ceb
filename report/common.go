package report

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode"
)

// group is the findings of one file or URL, in report order.
type group struct {
	Target   string
	Findings []Finding
}

// groupByTarget groups findings by Location.Target, keeping the order in
// which targets first appear (Process sorts findings by target, so groups
// come out sorted). Findings without a target form a group named "".
func groupByTarget(fs []Finding) []group {
	var gs []group
	index := map[string]int{}
	for _, f := range fs {
		t := f.Location.Target()
		i, ok := index[t]
		if !ok {
			i = len(gs)
			index[t] = i
			gs = append(gs, group{Target: t})
		}
		gs[i].Findings = append(gs[i].Findings, f)
	}
	return gs
}

// counts holds the number of findings of each severity.
type counts struct {
	Error, Warning, Info, Hint int
}

func countFindings(fs []Finding) counts {
	var c counts
	for _, f := range fs {
		switch {
		case f.Severity >= Error:
			c.Error++
		case f.Severity == Warning:
			c.Warning++
		case f.Severity == Info:
			c.Info++
		default:
			c.Hint++
		}
	}
	return c
}

func (c counts) total() int { return c.Error + c.Warning + c.Info + c.Hint }

// parts returns the non-zero counts as "3 errors", "1 warning", "2 info",
// "1 hint", most severe first.
func (c counts) parts() []string {
	var ps []string
	add := func(n int, one, many string) {
		if n == 1 {
			ps = append(ps, "1 "+one)
		} else if n > 1 {
			ps = append(ps, fmt.Sprintf("%d %s", n, many))
		}
	}
	add(c.Error, "error", "errors")
	add(c.Warning, "warning", "warnings")
	add(c.Info, "info", "info")
	add(c.Hint, "hint", "hints")
	return ps
}

// targetNoun names what the groups are: files, URLs, or targets when mixed.
func targetNoun(gs []group, n int) string {
	files, urls := 0, 0
	for _, g := range gs {
		if g.Target == "" {
			continue
		}
		if g.Findings[0].Location.File != "" {
			files++
		} else {
			urls++
		}
	}
	noun := "target"
	switch {
	case urls == 0:
		noun = "file"
	case files == 0:
		noun = "URL"
	}
	if n != 1 {
		noun += "s"
	}
	return noun
}

// StatBaselineHidden is the Stat that counts the findings a baseline hid
// from the report: the summary line says so.
const StatBaselineHidden = "baseline findings hidden"

// reportSummary is the report's summary line, with the findings a baseline
// hid: "no new findings (12 hidden by the baseline)".
func reportSummary(r *Report) string {
	line := summaryLine(r.Findings)
	for _, st := range r.Stats {
		if st.Name != StatBaselineHidden || st.Value <= 0 {
			continue
		}
		if len(r.Findings) == 0 {
			return fmt.Sprintf("no new findings (%d hidden by the baseline)", st.Value)
		}
		return fmt.Sprintf("%s (and %d hidden by the baseline)", line, st.Value)
	}
	return line
}

// summaryLine is "3 errors, 2 warnings, 1 info in 2 files", or "no findings".
func summaryLine(fs []Finding) string {
	c := countFindings(fs)
	if c.total() == 0 {
		return "no findings"
	}
	gs := groupByTarget(fs)
	named := 0
	for _, g := range gs {
		if g.Target != "" {
			named++
		}
	}
	s := strings.Join(c.parts(), ", ")
	if named > 0 {
		s += fmt.Sprintf(" in %d %s", named, targetNoun(gs, named))
	}
	return s
}

// sanitize makes untrusted text safe to print on a terminal or in a log:
// control characters (ESC, CR, C1 controls, ...) and bidirectional
// overrides ("Trojan Source") are shown as Go escapes, so that a message
// from a hostile page can neither emit escape sequences nor reorder what
// the reader sees. Newlines and tabs are kept when keepNewlines is true.
func sanitize(s string, keepNewlines bool) string {
	clean := true
	for _, r := range s {
		if needsEscape(r, keepNewlines) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if !needsEscape(r, keepNewlines) {
			b.WriteRune(r)
			continue
		}
		switch {
		case r == unicode.ReplacementChar:
			b.WriteRune(r)
		case r < 0x80:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
	}
	return b.String()
}

func needsEscape(r rune, keepNewlines bool) bool {
	switch {
	case r == '\n' || r == '\t':
		return !keepNewlines
	case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
		// Bidirectional embeddings, overrides, isolates and marks.
		return true
	}
	return false
}

// relPath returns file relative to base with forward slashes, and whether
// it is relative (inside base, or relative already). Absolute paths
// outside base are returned as they are, with forward slashes.
func relPath(base, file string) (string, bool) {
	if base != "" && filepath.IsAbs(file) {
		if rel, err := filepath.Rel(base, file); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return filepath.ToSlash(rel), true
		}
		return filepath.ToSlash(file), false
	}
	if filepath.IsAbs(file) {
		return filepath.ToSlash(file), false
	}
	return strings.TrimPrefix(filepath.ToSlash(file), "./"), true
}

// paths makes file paths relative to the repository for the formats that
// need it (SARIF, annotations, PR comments, JUnit, fingerprints). A
// relative file is relative to the working directory, which may be below
// the repository root; the working directory is read once per report, not
// once per finding.
type paths struct {
	base, cwd string
}

func newPaths(base string) paths {
	p := paths{base: base}
	if base != "" {
		p.cwd, _ = os.Getwd()
	}
	return p
}

// repo returns file relative to the repository root with forward slashes,
// and whether it is inside it (see relPath).
func (p paths) repo(file string) (string, bool) {
	if p.cwd != "" && !filepath.IsAbs(file) {
		file = filepath.Join(p.cwd, file)
	}
	return relPath(p.base, file)
}

// Fingerprint returns a stable identity for a finding that does not change
// when lines move: a hash of the rule ID, the file (relative to baseDir,
// the repository root, so that it is the same on every machine) or URL,
// the JSON pointer and the message (or the finding's Key). SARIF's partialFingerprints and the
// JSON report carry it so that code scanning and baselines can track a
// finding across commits.
func Fingerprint(f Finding, baseDir string) string {
	return fingerprint(f, newPaths(baseDir))
}

func fingerprint(f Finding, pm paths) string {
	target := f.Location.URL
	if f.Location.File != "" {
		target = f.Location.File
		if !strings.Contains(target, "://") {
			// A path, relative to the repository; a spec fetched from a
			// URL is named by its URL, which the working directory
			// must not change.
			target, _ = pm.repo(f.Location.File)
		}
	}
	id := f.Message
	if f.Key != "" {
		id = f.Key
	}
	h := sha256.New()
	for _, s := range []string{f.RuleID, target, f.Location.Pointer, id} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// fingerprints returns Fingerprint for each finding, with ":N" appended to
// the Nth repeat of the same fingerprint (as GitHub's own line hashes do),
// so that identical findings at different lines stay distinct.
func fingerprints(fs []Finding, pm paths) []string {
	out := make([]string, len(fs))
	seen := map[string]int{}
	for i, f := range fs {
		fp := fingerprint(f, pm)
		seen[fp]++
		if n := seen[fp]; n > 1 {
			fp = fmt.Sprintf("%s:%d", fp, n)
		}
		out[i] = fp
	}
	return out
}

// sortedRules returns the report's rule descriptors sorted by ID (one per
// ID), followed by a bare descriptor for every rule ID that findings use
// but the report does not describe, so that every finding has a rule.
func sortedRules(r *Report) []Rule {
	known := map[string]bool{}
	var rules []Rule
	for _, rl := range r.Rules {
		// Two descriptors with one ID would make SARIF's ruleIndex and
		// JUnit's cases ambiguous; the first wins.
		if !known[rl.ID] {
			known[rl.ID] = true
			rules = append(rules, rl)
		}
	}
	sortRules(rules)
	var extra []Rule
	for _, f := range r.Findings {
		if !known[f.RuleID] {
			known[f.RuleID] = true
			extra = append(extra, Rule{ID: f.RuleID, Title: f.RuleID, Severity: f.Severity, Category: f.Category})
		}
	}
	sortRules(extra)
	return append(rules, extra...)
}

func sortRules(rs []Rule) {
	slices.SortStableFunc(rs, func(a, b Rule) int { return strings.Compare(a.ID, b.ID) })
}

// firstParagraph returns the first paragraph of a Markdown text, on one line.
func firstParagraph(md string) string {
	md = strings.TrimSpace(strings.ReplaceAll(md, "\r\n", "\n"))
	if i := strings.Index(md, "\n\n"); i >= 0 {
		md = md[:i]
	}
	return strings.Join(strings.Fields(md), " ")
}

// docURI returns a rule's help URI when it is an http or https URL, else
// "": printers turn it into links, and a javascript: or data: link must
// never reach a PR comment or a code scanning alert.
func docURI(s string) string {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return u.String()
}

// Summary returns the one-line summary the text printer ends with: "3
// errors, 2 warnings, 1 info in 2 files", or "no findings". Other printers
// (audit's html) and logs use it to say the same thing the same way.
func (r *Report) Summary() string { return reportSummary(r) }

// targetLocation is a report target as a location: a URL when it has a
// scheme, a file or folder otherwise.
func targetLocation(t string) Location {
	if strings.Contains(t, "://") {
		return Location{URL: t}
	}
	return Location{File: t}
}

// urlOrigin returns scheme://host of a URL, or "" when it has none.
func urlOrigin(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return ""
	}
	return strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Host)
}

// incompleteText is what every printer says of a run that did not finish
// (Report.Incomplete), so a partial report is never read as a clean one.
func incompleteText(r *Report) string {
	return "incomplete: " + sanitize(r.Incomplete, false) + "; this report holds only what was found before"
}
