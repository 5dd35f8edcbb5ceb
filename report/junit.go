package report

import (
	"cmp"
	"encoding/xml"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"
)

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Time     string       `xml:"time,attr,omitempty"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	File      string        `xml:"file,attr,omitempty"`
	Line      int           `xml:"line,attr,omitempty"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	Error     *junitFailure `xml:"error,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// junitSuiteKey identifies a suite: a file or URL, or a category for
// findings that have no location.
type junitSuiteKey struct {
	name     string
	file     string // the file, when the suite is one
	category bool
}

// printJUnit writes JUnit XML for CI dashboards:
//
//   - one <testsuite> per report target (a spec file, a site, a folder),
//     holding the findings inside it: in the file, on the site's origin,
//     under the folder; one per other file or origin a finding points at;
//     and one per category, named "category: NAME", for findings that have
//     no location. An audit of 500 pages is one suite of one case per
//     check, not 500 suites;
//   - in each suite one <testcase> per rule (for a category suite, per rule
//     of that category), named by the rule ID;
//   - a case fails when the rule reported a finding at warning or above
//     there: one <failure> whose message is the first such finding's and
//     whose text lists every finding with its location; info and hint
//     findings do not fail a case and are listed in its <system-out>.
func printJUnit(w io.Writer, r *Report, o PrintOptions) error {
	rules := sortedRules(r)
	pm := newPaths(o.BaseDir)
	byKey := map[junitSuiteKey][]Finding{}
	var targets []junitSuiteKey
	for _, t := range r.Targets {
		k := junitSuiteKey{name: t}
		if l := targetLocation(t); l.File != "" {
			k.name, _ = pm.repo(l.File)
			k.file = k.name
		}
		if _, ok := byKey[k]; !ok {
			byKey[k] = nil
			targets = append(targets, k)
		}
	}
	for _, f := range r.Findings {
		k := junitSuiteOf(f, targets, pm)
		byKey[k] = append(byKey[k], f)
	}
	keys := make([]junitSuiteKey, 0, len(byKey))
	for k := range byKey {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b junitSuiteKey) int {
		if a.category != b.category {
			if a.category {
				return 1
			}
			return -1
		}
		return cmp.Compare(a.name, b.name)
	})

	doc := junitSuites{Name: strings.TrimSpace(nonEmpty(r.Tool.Name, "agentready") + " " + r.Command)}
	if r.Duration > 0 {
		doc.Time = fmt.Sprintf("%.3f", r.Duration.Seconds())
	}
	for _, k := range keys {
		suite := junitSuite{Name: k.name}
		for _, rl := range rules {
			if k.category && nonEmpty(rl.Category, "general") != strings.TrimPrefix(k.name, "category: ") {
				continue
			}
			suite.Cases = append(suite.Cases, junitCaseOf(rl.ID, k, byKey[k], pm))
		}
		for _, c := range suite.Cases {
			suite.Tests++
			if c.Failure != nil {
				suite.Failures++
			}
		}
		doc.Tests += suite.Tests
		doc.Failures += suite.Failures
		doc.Suites = append(doc.Suites, suite)
	}
	if r.Incomplete != "" {
		// A run that did not finish is an errored case of its own, so a
		// dashboard shows a red run rather than a green partial one.
		msg := incompleteText(r)
		doc.Suites = append(doc.Suites, junitSuite{Name: "run", Tests: 1, Errors: 1, Cases: []junitCase{{
			Name: "complete", Classname: doc.Name, Error: &junitFailure{Message: msg, Type: "incomplete", Text: msg},
		}}})
		doc.Tests++
		doc.Errors++
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// junitSuiteOf returns the suite of a finding: the report target that
// holds its location (the same file, a file under a target folder, a URL
// on a target's origin), else its own file, else its URL's origin, else
// its category.
func junitSuiteOf(f Finding, targets []junitSuiteKey, pm paths) junitSuiteKey {
	l := f.Location
	switch {
	case l.File != "":
		rel, _ := pm.repo(l.File)
		for _, t := range targets {
			if t.file != "" && (rel == t.file || t.file == "." || strings.HasPrefix(rel, strings.TrimSuffix(t.file, "/")+"/")) {
				return t
			}
		}
		return junitSuiteKey{name: rel, file: rel}
	case l.URL != "":
		o := urlOrigin(l.URL)
		if o == "" {
			return junitSuiteKey{name: l.URL}
		}
		// The target the URL is under (of two sections of one site, the
		// longer), else one on its origin.
		best, found := junitSuiteKey{}, false
		for _, t := range targets {
			if t.file == "" && strings.HasPrefix(l.URL, t.name) && (!found || len(t.name) > len(best.name)) {
				best, found = t, true
			}
		}
		if found {
			return best
		}
		for _, t := range targets {
			if t.file == "" && urlOrigin(t.name) == o {
				return t
			}
		}
		// A site that moved (http to https, example.com to www.) is still
		// the target's.
		for _, t := range targets {
			if t.file == "" && sameSite(t.name, l.URL) {
				return t
			}
		}
		return junitSuiteKey{name: o}
	}
	return junitSuiteKey{name: "category: " + nonEmpty(f.Category, "general"), category: true}
}

func junitCaseOf(rule string, k junitSuiteKey, fs []Finding, pm paths) junitCase {
	c := junitCase{Name: rule, Classname: k.name, File: k.file}
	var failing []Finding
	var out strings.Builder
	for _, f := range fs {
		if f.RuleID != rule {
			continue
		}
		if f.Severity >= Warning {
			failing = append(failing, f)
		} else {
			out.WriteString(junitLine(f, k, pm))
		}
	}
	c.SystemOut = out.String()
	if len(failing) == 0 {
		return c
	}
	worst := failing[0].Severity
	var text strings.Builder
	for _, f := range failing {
		worst = max(worst, f.Severity)
		text.WriteString(junitLine(f, k, pm))
	}
	msg := failing[0].Message
	if n := len(failing) - 1; n > 0 {
		msg += fmt.Sprintf(" (and %d more)", n)
	}
	// The case points at its first failure: in a folder's suite, its file.
	if first := failing[0].Location; first.File != "" {
		c.File, _ = pm.repo(first.File)
	}
	c.Line = failing[0].Location.Line
	c.Failure = &junitFailure{Message: sanitize(msg, false), Type: clampSeverity(worst).String(), Text: text.String()}
	return c
}

// junitLine is one finding in a failure's text or a case's system-out:
// "line:col severity: message (pointer)", led by the finding's file or URL
// when the suite holds more than that one ("docs/a.html: ...",
// "https://example.com/docs 3:1 ...").
func junitLine(f Finding, k junitSuiteKey, pm paths) string {
	var b strings.Builder
	where := f.Location.URL
	if f.Location.File != "" {
		where, _ = pm.repo(f.Location.File)
	}
	if where != "" && where != k.name {
		b.WriteString(sanitize(where, false))
		if f.Location.Line > 0 {
			b.WriteString(":" + textPosition(f.Location) + " ")
		} else {
			b.WriteString(": ")
		}
	} else if f.Location.Line > 0 {
		b.WriteString(textPosition(f.Location) + " ")
	}
	b.WriteString(clampSeverity(f.Severity).String() + ": " + sanitize(f.Message, false))
	if f.Location.Pointer != "" {
		b.WriteString(" (" + sanitize(f.Location.Pointer, false) + ")")
	}
	if f.Help != "" {
		b.WriteString("\n  help: " + sanitize(f.Help, false))
	}
	b.WriteString("\n")
	return b.String()
}

// sameSite reports whether two URLs name one host, whatever their scheme,
// with or without a leading "www.", on the same port unless it is the
// scheme's default (http to https keeps the site; :8081 and :9999 do not).
func sameSite(a, b string) bool {
	host := func(raw string) string {
		u, err := url.Parse(raw)
		if err != nil {
			return ""
		}
		h := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
		if p := u.Port(); p != "" && !(p == "80" && u.Scheme == "http" || p == "443" && u.Scheme == "https") {
			h += ":" + p
		}
		return h
	}
	ha := host(a)
	return ha != "" && ha == host(b)
}
