// Package merge merges audit reports into one report of many sites: the
// JSON lines of --urls runs (each line one site, each naming its shard)
// and whole -f json reports. The merged report has a row per site
// (score, grade, category scores, the worst findings), the distribution of
// the scores and each check's pass rate across the sites, and says what
// is wrong with the set: a shard missing or cut short, a site reported
// twice, shards of different lists.
package merge

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"net/url"
	"os"
	"slices"
	"strings"

	"github.com/agentready/agentready/audit"
	"github.com/agentready/agentready/report"
)

// The rules of the findings a merge reports about its inputs.
var (
	ShardMissing = report.Rule{ID: "merge-shard-missing", Title: "every shard of the list is merged", Severity: report.Error, Category: "merge",
		Doc: "A shard of the list has no line in the files merged, or fewer lines than it has sites: its run did not start, failed or was stopped. Run that shard again (`--shard I/N` with the same list) and merge its file with the others."}
	ShardMismatch = report.Rule{ID: "merge-shard-mismatch", Title: "the shards merged are of one list", Severity: report.Error, Category: "merge",
		Doc: "The lines merged name different lists (the checksums of their --urls files differ) or different shard counts: they are not the parts of one audit."}
	DuplicateSite = report.Rule{ID: "merge-duplicate-site", Title: "each site is merged once", Severity: report.Warning, Category: "merge",
		Doc: "A site appears in more than one line or report. The last one read is kept (files are read in the order given, so a re-run named last wins)."}
	TruncatedLine = report.Rule{ID: "merge-truncated-line", Title: "no line is cut short", Severity: report.Warning, Category: "merge",
		Doc: "The last line of a file has no newline and is not whole JSON: the run was stopped while writing it. The site is counted as missing from its shard."}
)

// Rules are the descriptors of every finding a merge reports.
func Rules() []report.Rule {
	return []report.Rule{DuplicateSite, ShardMismatch, ShardMissing, TruncatedLine}
}

// WorstFindings is how many findings a site's row shows.
const WorstFindings = 3

// maxShards bounds N of the shards a merge takes, which it lists.
const maxShards = 1 << 20

// maxLine bounds one JSON line (one site's report with its site model).
const maxLine = 256 << 20

// Summary is a merged report's Report.Extra: what the json printer
// encodes under "extra" and the markdown and html printers show.
type Summary struct {
	Inputs []Input `json:"inputs"`
	// Shards is the shards of the list the lines came from; empty when
	// no input was a --urls run.
	Shards []Shard `json:"shards,omitempty"`
	// ShardCount is N of the shards, ListSites the sites of the whole
	// list, ListInput its checksum.
	ShardCount int    `json:"shardCount,omitempty"`
	ListSites  int    `json:"listSites,omitempty"`
	ListInput  string `json:"listInput,omitempty"`
	// Sites has a row per site, sorted by name.
	Sites []Site `json:"sites"`
	// Scored counts the sites with a score; Scores is their distribution.
	Scored int          `json:"scored"`
	Scores Distribution `json:"scores"`
	// Categories are the mean category scores over the sites that have
	// the category.
	Categories []Category `json:"categories"`
	// Checks are each check's pass rate, the lowest first.
	Checks []CheckRate `json:"checks"`
}

// Input is one file merged.
type Input struct {
	File string `json:"file"`
	// Kind is "lines" (a --urls run's JSON lines) or "report" (a whole
	// -f json report).
	Kind  string `json:"kind"`
	Sites int    `json:"sites"`
}

// Shard is what the merge read of one shard.
type Shard struct {
	Index int `json:"index"`
	// Sites is how many sites the shard has (0 when no line of it was
	// read); Read how many distinct ones were read.
	Sites    int      `json:"sites"`
	Read     int      `json:"read"`
	Files    []string `json:"files,omitempty"`
	Complete bool     `json:"complete"`
}

// Site is one site's row.
type Site struct {
	Name string `json:"name"`
	// Score is nil for a site that was not scored (unreachable, not
	// crawled, --no-checks).
	Score      *float64               `json:"score"`
	Grade      string                 `json:"grade,omitempty"`
	Capped     string                 `json:"capped,omitempty"`
	Categories []report.CategoryScore `json:"categories,omitempty"`
	Errors     int                    `json:"errors"`
	Warnings   int                    `json:"warnings"`
	// Worst are its most severe findings, one a rule, at most
	// WorstFindings.
	Worst []report.Finding `json:"worst,omitempty"`
	// From is where it was read: FILE:LINE.
	From string `json:"from"`

	// applicable and passed are bitsets over the merger's checks: a
	// merge of a million sites keeps 16 bytes a site for them.
	applicable, passed bitset
}

type bitset []uint64

func (b *bitset) set(i int) {
	for len(*b) <= i/64 {
		*b = append(*b, 0)
	}
	(*b)[i/64] |= 1 << (i % 64)
}

func (b bitset) has(i int) bool { return i/64 < len(b) && b[i/64]&(1<<(i%64)) != 0 }

// Distribution is how the scores spread.
type Distribution struct {
	Mean   float64 `json:"mean"`
	Median float64 `json:"median"`
	Min    float64 `json:"min"`
	Max    float64 `json:"max"`
	// Buckets counts the scores in [0,10), [10,20), ... [90,100].
	Buckets [10]int `json:"buckets"`
	// Grades counts the sites of each grade, A to F.
	Grades []GradeCount `json:"grades"`
}

// GradeCount is how many sites have a grade.
type GradeCount struct {
	Grade string `json:"grade"`
	Sites int    `json:"sites"`
}

// Category is a category's mean score across the sites.
type Category struct {
	ID    string  `json:"id"`
	Title string  `json:"title"`
	Mean  float64 `json:"mean"`
	Sites int     `json:"sites"`
}

// CheckRate is how many sites pass a check.
type CheckRate struct {
	ID       string `json:"id"`
	Category string `json:"category"`
	// Applicable counts the sites the check applied to, Passed those
	// that passed it (scored at least 90, as reports print it).
	Applicable int     `json:"applicable"`
	Passed     int     `json:"passed"`
	Rate       float64 `json:"rate"`
}

// Files reads and merges the files, in order. A file that cannot be read,
// or holds something other than audit reports, is an error naming the
// file and line; what is wrong with the set of inputs (a missing shard, a
// duplicate) is findings of the merged report.
func Files(files []string) (*report.Report, error) {
	m := newMerger()
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		err = m.read(f, name)
		f.Close()
		if err != nil {
			return nil, err
		}
	}
	return m.report(files), nil
}

// Read merges inputs that are already open, each named as a file is.
func Read(names []string, rs []io.Reader) (*report.Report, error) {
	m := newMerger()
	for i, r := range rs {
		if err := m.read(r, names[i]); err != nil {
			return nil, err
		}
	}
	return m.report(names), nil
}

// in is what the merge reads of a report: the json printer's fields it
// needs (the site model in extra.sites is skipped but for its origins).
type in struct {
	Command  string           `json:"command"`
	Targets  []string         `json:"targets"`
	Findings []report.Finding `json:"findings"`
	Extra    struct {
		Scorecard *struct {
			Sites []inSite `json:"sites"`
		} `json:"scorecard"`
		Sites []struct {
			Origin string `json:"origin"`
			Folder string `json:"folder"`
		} `json:"sites"`
		Shard *audit.ShardInfo `json:"shard"`
	} `json:"extra"`
}

type inSite struct {
	Origin     string                 `json:"origin"`
	Folder     string                 `json:"folder"`
	Score      float64                `json:"score"`
	Grade      string                 `json:"grade"`
	Capped     string                 `json:"capped"`
	Categories []report.CategoryScore `json:"categories"`
	Checks     []struct {
		ID       string   `json:"id"`
		Category string   `json:"category"`
		Score    *float64 `json:"score"`
	} `json:"checks"`
}

// valid refuses scores outside 0-100: the printers draw them as bars.
func (s *inSite) valid() error {
	bad := func(v float64) bool { return !(v >= 0 && v <= 100) }
	if bad(s.Score) {
		return fmt.Errorf("score %v is not between 0 and 100", s.Score)
	}
	for _, c := range s.Categories {
		if bad(c.Score) {
			return fmt.Errorf("category %s: score %v is not between 0 and 100", c.ID, c.Score)
		}
	}
	for _, c := range s.Checks {
		if c.Score != nil && bad(*c.Score) {
			return fmt.Errorf("check %s: score %v is not between 0 and 100", c.ID, *c.Score)
		}
	}
	return nil
}

func (s *inSite) name() string { return cmp.Or(s.Folder, s.Origin) }

type shardState struct {
	sites int
	seen  map[int]bool
	files []string
}

type merger struct {
	sites    map[string]*Site
	inputs   []Input
	findings []report.Finding
	shards   map[int]*shardState
	count    int
	total    int
	input    string
	inputAt  string // where the list's checksum and count were first read
	titles   map[string]string
	// checks are the check IDs seen, in the order first seen, and their
	// categories; checkIndex finds one.
	checks     []CheckRate
	checkIndex map[string]int
	// strs interns the strings every site repeats (category IDs and titles).
	strs map[string]string
}

func (m *merger) intern(s string) string {
	if v, ok := m.strs[s]; ok {
		return v
	}
	m.strs[s] = s
	return s
}

func newMerger() *merger {
	return &merger{sites: map[string]*Site{}, shards: map[int]*shardState{}, titles: map[string]string{},
		checkIndex: map[string]int{}, strs: map[string]string{}}
}

// read reads one file: JSON lines (each line a whole report), or one
// report spread over many lines.
func (m *merger) read(r io.Reader, name string) error {
	br := bufio.NewReaderSize(r, 64<<10)
	input := Input{File: name, Kind: "lines"}
	defer func() { m.inputs = append(m.inputs, input) }()
	for n := 1; ; n++ {
		line, err := readLine(br)
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("%s:%d: %w", name, n, err)
		}
		last := errors.Is(err, io.EOF)
		trimmed := bytes.TrimSpace(line)
		if len(trimmed) == 0 {
			if last {
				return nil
			}
			continue
		}
		if !json.Valid(trimmed) {
			if n == 1 && trimmed[0] == '{' {
				// Not a line of its own: a whole report, pretty-printed.
				rest, rerr := io.ReadAll(io.LimitReader(br, maxLine))
				if rerr != nil {
					return fmt.Errorf("%s: %w", name, rerr)
				}
				input.Kind = "report"
				doc := append(line, rest...)
				k, err := m.addDoc(doc, name, 1)
				input.Sites = k
				return err
			}
			if last && !bytes.HasSuffix(line, []byte("\n")) {
				m.findings = append(m.findings, report.Finding{RuleID: TruncatedLine.ID, Severity: TruncatedLine.Severity,
					Message:  fmt.Sprintf("line %d is cut short (%d bytes, no newline): the run was stopped while writing it", n, len(line)),
					Location: report.Location{File: name, Line: n}})
				return nil
			}
			return fmt.Errorf("%s:%d: not a JSON report: %v", name, n, jsonError(trimmed))
		}
		k, err := m.addDoc(trimmed, name, n)
		if err != nil {
			return err
		}
		input.Sites += k
		if last {
			return nil
		}
	}
}

// readLine reads a line of at most maxLine bytes, with its newline.
func readLine(br *bufio.Reader) ([]byte, error) {
	var out []byte
	for {
		chunk, err := br.ReadSlice('\n')
		out = append(out, chunk...)
		if len(out) > maxLine {
			return nil, fmt.Errorf("line longer than %d MiB", maxLine>>20)
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		return out, err
	}
}

func jsonError(b []byte) error {
	var v any
	err := json.Unmarshal(b, &v)
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("%v (at byte %d)", se, se.Offset)
	}
	return err
}

// addDoc adds the sites of one report read at name:line; it returns how
// many.
func (m *merger) addDoc(b []byte, name string, line int) (int, error) {
	var doc in
	if err := json.Unmarshal(b, &doc); err != nil {
		return 0, fmt.Errorf("%s:%d: not an audit report: %v", name, line, err)
	}
	if doc.Command != "audit" {
		return 0, fmt.Errorf("%s:%d: a %q report; merge takes audit reports (-f json)", name, line, cmp.Or(doc.Command, "unnamed"))
	}
	at := fmt.Sprintf("%s:%d", name, line)
	if sh := doc.Extra.Shard; sh != nil {
		if sh.Count < 1 || sh.Count > maxShards || sh.Index < 0 || sh.Index >= sh.Count ||
			sh.Site < 0 || sh.Site >= sh.Sites || sh.Sites > sh.Total {
			return 0, fmt.Errorf("%s: extra.shard is not a shard of a list: %d/%d, site %d of %d, %d in the list", at, sh.Index, sh.Count, sh.Site, sh.Sites, sh.Total)
		}
		m.addShard(sh, name, at)
	}
	// The sites of the report: its scorecard's, and those crawled but
	// not scored (unreachable, --no-checks), named by origin.
	var sites []*Site
	scored := map[string]bool{}
	if sc := doc.Extra.Scorecard; sc != nil {
		for i := range sc.Sites {
			s := &sc.Sites[i]
			if err := s.valid(); err != nil {
				return 0, fmt.Errorf("%s: extra.scorecard.sites[%d]: %v", at, i, err)
			}
			score := s.Score
			site := &Site{Name: s.name(), Score: &score, Grade: s.Grade, Capped: s.Capped, Categories: s.Categories, From: at}
			for _, c := range s.Checks {
				i, ok := m.checkIndex[c.ID]
				if !ok {
					i = len(m.checks)
					m.checkIndex[c.ID] = i
					m.checks = append(m.checks, CheckRate{ID: c.ID, Category: c.Category})
				}
				if c.Score != nil {
					site.applicable.set(i)
					if math.Round(*c.Score) >= 90 {
						site.passed.set(i)
					}
				}
			}
			for i, c := range s.Categories {
				s.Categories[i].ID, s.Categories[i].Title = m.intern(c.ID), m.intern(c.Title)
				m.titles[c.ID] = c.Title
			}
			sites = append(sites, site)
			scored[s.Origin] = true
		}
	}
	for _, s := range doc.Extra.Sites {
		if !scored[s.Origin] {
			sites = append(sites, &Site{Name: cmp.Or(s.Folder, s.Origin), From: at})
		}
	}
	if len(sites) == 0 && len(doc.Targets) == 1 {
		sites = append(sites, &Site{Name: doc.Targets[0], From: at})
	}
	attribute(sites, doc.Findings)
	for _, s := range sites {
		if prev, dup := m.sites[s.Name]; dup {
			m.findings = append(m.findings, report.Finding{RuleID: DuplicateSite.ID, Severity: DuplicateSite.Severity,
				Message:  fmt.Sprintf("%s is reported twice: at %s and at %s (the later is kept)", s.Name, prev.From, at),
				Location: report.Location{File: name, Line: line}})
		}
		m.sites[s.Name] = s
	}
	return len(sites), nil
}

func (m *merger) addShard(sh *audit.ShardInfo, name, at string) {
	if m.input == "" {
		m.input, m.count, m.total, m.inputAt = sh.Input, sh.Count, sh.Total, at
	} else if sh.Input != m.input || sh.Count != m.count {
		m.findings = append(m.findings, report.Finding{RuleID: ShardMismatch.ID, Severity: ShardMismatch.Severity,
			Message: fmt.Sprintf("shard %d/%d of list %s, but %s is of shard count %d and list %s",
				sh.Index, sh.Count, short(sh.Input), m.inputAt, m.count, short(m.input)),
			Location: report.Location{File: name, Line: lineOf(at)}})
		return
	}
	st := m.shards[sh.Index]
	if st == nil {
		st = &shardState{seen: map[int]bool{}}
		m.shards[sh.Index] = st
	}
	st.sites = max(st.sites, sh.Sites)
	st.seen[sh.Site] = true
	if !slices.Contains(st.files, name) {
		st.files = append(st.files, name)
	}
}

func short(sum string) string {
	if len(sum) > len("sha256:")+12 {
		return sum[:len("sha256:")+12]
	}
	return sum
}

func lineOf(at string) int {
	var n int
	if i := strings.LastIndexByte(at, ':'); i >= 0 {
		fmt.Sscan(at[i+1:], &n)
	}
	return n
}

// attribute gives each site its finding counts and worst findings: a
// report of one site has them all; in a report of many, a finding is the
// site's whose origin (or folder) its location names.
func attribute(sites []*Site, fs []report.Finding) {
	if len(sites) == 0 {
		return
	}
	byName := map[string]*Site{}
	for _, s := range sites {
		byName[s.Name] = s
	}
	for _, f := range fs {
		s := sites[0]
		if len(sites) > 1 {
			s = byName[owner(f.Location)]
			if s == nil {
				continue
			}
		}
		switch f.Severity {
		case report.Error:
			s.Errors++
		case report.Warning:
			s.Warnings++
		}
		s.Worst = append(s.Worst, f)
	}
	for _, s := range sites {
		slices.SortStableFunc(s.Worst, func(a, b report.Finding) int {
			return cmp.Or(cmp.Compare(b.Severity, a.Severity), cmp.Compare(a.RuleID, b.RuleID), cmp.Compare(a.Message, b.Message))
		})
		// One finding a rule: a check that fails on every page would
		// fill the row with one problem.
		var worst []report.Finding
		seen := map[string]bool{}
		for _, f := range s.Worst {
			if len(worst) < WorstFindings && !seen[f.RuleID] {
				seen[f.RuleID] = true
				f.Related, f.Fix = nil, nil
				worst = append(worst, f)
			}
		}
		s.Worst = worst
	}
}

// owner names the site of a location: the origin of its URL, or the
// first element of its file (a folder target's).
func owner(l report.Location) string {
	if u, err := url.Parse(l.URL); err == nil && u.Host != "" {
		return u.Scheme + "://" + u.Host
	}
	if l.File != "" {
		dir, _, _ := strings.Cut(l.File, "/")
		return dir
	}
	return ""
}

func (m *merger) report(files []string) *report.Report {
	sum := &Summary{Inputs: m.inputs, ShardCount: m.count, ListSites: m.total, ListInput: m.input}
	m.shardFindings(sum)
	for _, name := range slices.Sorted(maps.Keys(m.sites)) {
		sum.Sites = append(sum.Sites, *m.sites[name])
	}
	sum.stats(m.titles, m.checks)
	slices.SortStableFunc(m.findings, func(a, b report.Finding) int {
		return cmp.Or(cmp.Compare(b.Severity, a.Severity), cmp.Compare(a.RuleID, b.RuleID),
			cmp.Compare(a.Location.File, b.Location.File), cmp.Compare(a.Location.Line, b.Location.Line), cmp.Compare(a.Message, b.Message))
	})
	rep := &report.Report{
		Command:  "report merge",
		Targets:  files,
		Rules:    Rules(),
		Findings: m.findings,
		Stats: []report.Stat{{Name: "files", Value: int64(len(files))}, {Name: "sites", Value: int64(len(sum.Sites))},
			{Name: "scored", Value: int64(sum.Scored)}},
		Extra: sum,
	}
	if rep.Findings == nil {
		rep.Findings = []report.Finding{}
	}
	if sum.Scored > 0 {
		rep.Scores = &report.Scores{Overall: sum.Scores.Mean}
		for _, c := range sum.Categories {
			rep.Scores.Categories = append(rep.Scores.Categories, report.CategoryScore{ID: c.ID, Title: c.Title, Score: c.Mean})
		}
	}
	return rep
}

// shardFindings lists the shards read and reports those missing or cut
// short. A shard with no line is missing only when the shards read do not
// already hold the whole list (a short list leaves some shards empty).
func (m *merger) shardFindings(sum *Summary) {
	if m.count == 0 {
		return
	}
	read := 0
	for _, st := range m.shards {
		read += st.sites
	}
	for i := range m.count {
		st := m.shards[i]
		if st == nil {
			sum.Shards = append(sum.Shards, Shard{Index: i, Complete: read >= m.total})
			if read < m.total {
				m.findings = append(m.findings, report.Finding{RuleID: ShardMissing.ID, Severity: ShardMissing.Severity,
					Message: fmt.Sprintf("shard %d/%d is missing: no line of it was read (the shards read hold %d of the list's %d sites)", i, m.count, read, m.total),
					Help:    fmt.Sprintf("run agentready audit --urls LIST --shard %d/%d -f json=FILE again and merge FILE too", i, m.count)})
			}
			continue
		}
		sh := Shard{Index: i, Sites: st.sites, Read: len(st.seen), Files: st.files, Complete: len(st.seen) >= st.sites}
		sum.Shards = append(sum.Shards, sh)
		if !sh.Complete {
			m.findings = append(m.findings, report.Finding{RuleID: ShardMissing.ID, Severity: ShardMissing.Severity,
				Message:  fmt.Sprintf("shard %d/%d is incomplete: %d of its %d sites were read (its run stopped early)", i, m.count, sh.Read, sh.Sites),
				Help:     fmt.Sprintf("run agentready audit --urls LIST --shard %d/%d -f json=FILE again and merge FILE instead", i, m.count),
				Location: report.Location{File: st.files[0]}})
		}
	}
}

// stats computes the distributions over the sites.
func (s *Summary) stats(titles map[string]string, checkList []CheckRate) {
	var scores []float64
	grades := map[string]int{}
	type acc struct {
		sum float64
		n   int
	}
	cats := map[string]*acc{}
	checks := slices.Clone(checkList)
	for _, site := range s.Sites {
		if site.Score == nil {
			continue
		}
		scores = append(scores, *site.Score)
		grades[site.Grade]++
		s.Scores.Buckets[min(int(*site.Score/10), 9)]++
		for _, c := range site.Categories {
			a := cats[c.ID]
			if a == nil {
				a = &acc{}
				cats[c.ID] = a
			}
			a.sum += c.Score
			a.n++
		}
		for c := range checks {
			if site.applicable.has(c) {
				checks[c].Applicable++
				if site.passed.has(c) {
					checks[c].Passed++
				}
			}
		}
	}
	s.Scored = len(scores)
	if len(scores) > 0 {
		slices.Sort(scores)
		total := 0.0
		for _, v := range scores {
			total += v
		}
		s.Scores.Mean = total / float64(len(scores))
		s.Scores.Min, s.Scores.Max = scores[0], scores[len(scores)-1]
		if n := len(scores); n%2 == 1 {
			s.Scores.Median = scores[n/2]
		} else {
			s.Scores.Median = (scores[n/2-1] + scores[n/2]) / 2
		}
	}
	for _, g := range []string{"A", "B", "C", "D", "F"} {
		s.Scores.Grades = append(s.Scores.Grades, GradeCount{Grade: g, Sites: grades[g]})
	}
	for _, id := range slices.Sorted(maps.Keys(cats)) {
		a := cats[id]
		s.Categories = append(s.Categories, Category{ID: id, Title: cmp.Or(titles[id], id), Mean: a.sum / float64(a.n), Sites: a.n})
	}
	for _, r := range checks {
		if r.Applicable > 0 {
			r.Rate = float64(r.Passed) / float64(r.Applicable)
		}
		s.Checks = append(s.Checks, r)
	}
	slices.SortFunc(s.Checks, func(a, b CheckRate) int {
		// Checks no site had apply last.
		return cmp.Or(cmp.Compare(min(b.Applicable, 1), min(a.Applicable, 1)), cmp.Compare(a.Rate, b.Rate), cmp.Compare(a.ID, b.ID))
	})
	if s.Sites == nil {
		s.Sites = []Site{}
	}
}
