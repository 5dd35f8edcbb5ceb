package report

import (
	"encoding/json"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
)

func TestParseSeverity(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Severity
		ok   bool
	}{
		{"error", Error, true}, {"ERROR", Error, true}, {"Warning", Warning, true},
		{"info", Info, true}, {"hint", Hint, true},
		{"", Hint, false}, {"warn", Hint, false}, {"off", Hint, false}, {" error", Hint, false},
	} {
		got, err := ParseSeverity(tc.in)
		if (err == nil) != tc.ok || (tc.ok && got != tc.want) {
			t.Errorf("ParseSeverity(%q) = %v, %v; want %v, ok %v", tc.in, got, err, tc.want, tc.ok)
		}
	}
	if !(Hint < Info && Info < Warning && Warning < Error) {
		t.Error("severities are not ordered hint < info < warning < error")
	}
	for s := Hint; s <= Error; s++ {
		b, _ := s.MarshalText()
		var back Severity
		if err := back.UnmarshalText(b); err != nil || back != s {
			t.Errorf("%v round-trips to %v, %v", s, back, err)
		}
	}
	if got := Severity(7).String(); got != "severity(7)" {
		t.Errorf("Severity(7).String() = %q", got)
	}
	var s Severity
	if err := json.Unmarshal([]byte(`"fatal"`), &s); err == nil {
		t.Error("unmarshalling \"fatal\": no error")
	}
}

func ids(fs []Finding) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.RuleID + "@" + f.Location.String() + "=" + f.Severity.String()
	}
	return out
}

func TestProcessOverrides(t *testing.T) {
	r := lintFixture()
	err := Process(r, Policy{Severity: map[string]string{
		"semantics":           "info",    // category
		"description-present": "error",   // rule beats its category
		"version-in-path":     "off",     // dropped
		"enum-described":      "WARNING", // case-insensitive
	}})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Severity{}
	for _, f := range r.Findings {
		got[f.RuleID] = f.Severity
	}
	want := map[string]Severity{"operation-id-required": Info, "description-present": Error, "enum-described": Warning}
	for id, s := range want {
		if got[id] != s {
			t.Errorf("%s: severity %v, want %v", id, got[id], s)
		}
	}
	if _, ok := got["version-in-path"]; ok {
		t.Error("version-in-path is off but still reported")
	}
	if len(r.Findings) != 5 {
		t.Errorf("%d findings, want 5", len(r.Findings))
	}
	// The descriptors carry the effective severity for printers.
	if rl := r.Rule("operation-id-required"); rl.Severity != Info {
		t.Errorf("rule descriptor severity %v, want info", rl.Severity)
	}
	if rl := r.Rule("description-present"); rl.Severity != Error {
		t.Errorf("rule descriptor severity %v, want error", rl.Severity)
	}
}

func TestProcessFillsCategory(t *testing.T) {
	r := &Report{
		Rules:    []Rule{{ID: "a", Category: "cat"}},
		Findings: []Finding{{RuleID: "a", Severity: Error}},
	}
	if err := Process(r, Policy{Severity: map[string]string{"cat": "hint"}}); err != nil {
		t.Fatal(err)
	}
	if f := r.Findings[0]; f.Category != "cat" || f.Severity != Hint {
		t.Errorf("finding %+v: want category cat from the rule, severity hint from the category override", f)
	}
}

func TestProcessBadPolicy(t *testing.T) {
	for _, v := range []string{"fatal", "", "Off "} {
		err := Process(lintFixture(), Policy{Severity: map[string]string{"operation-id-required": v}})
		if err == nil || !strings.Contains(err.Error(), "operation-id-required") {
			t.Errorf("override %q: error %v, want one naming the rule", v, err)
		}
	}
}

func TestProcessIgnores(t *testing.T) {
	for _, tc := range []struct {
		name   string
		ignore Ignore
		gone   int // findings dropped from the lint fixture's 6
	}{
		{"rule", Ignore{Rule: "operation-id-required"}, 2},
		{"category", Ignore{Rule: "semantics"}, 5},
		{"path exact", Ignore{Path: "/repo/api/admin.yaml"}, 1},
		{"path glob", Ignore{Path: "/repo/api/*.yaml"}, 6},
		{"path base name", Ignore{Path: "admin.*"}, 1},
		{"path tree", Ignore{Path: "/repo/api/**"}, 6},
		{"path no match", Ignore{Path: "/repo/other/**"}, 0},
		{"pointer subtree", Ignore{Pointer: "/paths/~1pets"}, 2},
		{"pointer with slash", Ignore{Pointer: "/paths/~1pets/"}, 2},
		{"pointer is a prefix only on segments", Ignore{Pointer: "/paths/~1pe"}, 0},
		{"rule and path", Ignore{Rule: "description-present", Path: "**/admin.yaml"}, 1},
		{"double star inside", Ignore{Path: "/repo/**/openapi.yaml"}, 5},
		{"double star no match", Ignore{Path: "/repo/**/x/openapi.yaml"}, 0},
		{"rule and path tree", Ignore{Rule: "description-present", Path: "/repo/api/**"}, 2},
		{"rule and pointer", Ignore{Rule: "operation-id-required", Pointer: "/paths/~1pets/get"}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := lintFixture()
			if err := Process(r, Policy{Ignore: []Ignore{tc.ignore}}); err != nil {
				t.Fatal(err)
			}
			if got := 6 - len(r.Findings); got != tc.gone {
				t.Errorf("ignored %d findings, want %d; left %v", got, tc.gone, ids(r.Findings))
			}
		})
	}
}

// TestProcessUnused pins that ProcessUnused names the ignore entries that
// match nothing, every one of them (an entry that matches a finding some
// earlier entry matched too is used), and processes as Process does.
func TestProcessUnused(t *testing.T) {
	igs := []Ignore{
		{Rule: "operation-id-required"},
		{Path: "/repo/other/**"},
		{Rule: "operation-id-required", Pointer: "/paths/~1pets/get"},
		{Pointer: "/paths/~1pe"},
		{Rule: "semantics"},
	}
	r := lintFixture()
	unused, err := ProcessUnused(r, Policy{Ignore: igs})
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{1, 3}; !slices.Equal(unused, want) {
		t.Errorf("unused = %v, want %v", unused, want)
	}
	want := lintFixture()
	if err := Process(want, Policy{Ignore: igs}); err != nil {
		t.Fatal(err)
	}
	if !slices.EqualFunc(r.Findings, want.Findings, func(a, b Finding) bool { return Compare(a, b) == 0 }) {
		t.Errorf("ProcessUnused left %v, Process %v", ids(r.Findings), ids(want.Findings))
	}
	if _, err := ProcessUnused(lintFixture(), Policy{Severity: map[string]string{"x": "loud"}}); err == nil {
		t.Error("a bad policy is not an error")
	}
}

func TestProcessIgnoresURLs(t *testing.T) {
	r := auditFixture()
	if err := Process(r, Policy{Ignore: []Ignore{{Path: "https://example.com/docs"}}}); err != nil {
		t.Fatal(err)
	}
	for _, f := range r.Findings {
		if f.Location.URL == "https://example.com/docs" {
			t.Errorf("finding on an ignored URL: %+v", f)
		}
	}
	if len(r.Findings) != 3 {
		t.Errorf("%d findings left, want 3", len(r.Findings))
	}
}

func TestProcessDedupe(t *testing.T) {
	f := Finding{RuleID: "a", Severity: Warning, Message: "m", Location: Location{File: "x", Line: 1}}
	g := f
	g.Location.Line = 2
	h := f
	h.Message = "other"
	r := &Report{Findings: []Finding{f, g, f, h, f}}
	if err := Process(r, Policy{}); err != nil {
		t.Fatal(err)
	}
	if len(r.Findings) != 3 {
		t.Errorf("after dedupe: %v, want 3 findings", ids(r.Findings))
	}
}

func TestProcessSortIsDeterministic(t *testing.T) {
	want := lintFixture()
	want.Findings = append(want.Findings, auditFixture().Findings...)
	if err := Process(want, Policy{}); err != nil {
		t.Fatal(err)
	}
	wantIDs := ids(want.Findings)
	// The order: by target, line, column, pointer, most severe first.
	if !slices.IsSortedFunc(want.Findings, Compare) {
		t.Fatalf("not sorted: %v", wantIDs)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 50 {
		r := lintFixture()
		r.Findings = append(r.Findings, auditFixture().Findings...)
		rng.Shuffle(len(r.Findings), func(i, j int) { r.Findings[i], r.Findings[j] = r.Findings[j], r.Findings[i] })
		rng.Shuffle(len(r.Rules), func(i, j int) { r.Rules[i], r.Rules[j] = r.Rules[j], r.Rules[i] })
		if err := Process(r, Policy{}); err != nil {
			t.Fatal(err)
		}
		if got := ids(r.Findings); !slices.Equal(got, wantIDs) {
			t.Fatalf("order depends on input order:\n got %v\nwant %v", got, wantIDs)
		}
		if !slices.IsSortedFunc(r.Rules, func(a, b Rule) int { return strings.Compare(a.ID, b.ID) }) {
			t.Fatal("rules not sorted by ID")
		}
	}
	// Most severe first at the same place.
	r := &Report{Findings: []Finding{
		{RuleID: "b", Severity: Info, Location: Location{File: "f", Line: 1}},
		{RuleID: "a", Severity: Error, Location: Location{File: "f", Line: 1}},
		{RuleID: "c", Severity: Error, Location: Location{File: "f", Line: 1}},
	}}
	Sort(r.Findings)
	if got := ids(r.Findings); got[0] != "a@f:1=error" || got[1] != "c@f:1=error" || got[2] != "b@f:1=info" {
		t.Errorf("same place: %v", got)
	}
}

func TestReportCounts(t *testing.T) {
	r := lintFixture()
	c := r.Count()
	if c[Error] != 2 || c[Warning] != 2 || c[Info] != 1 || c[Hint] != 1 {
		t.Errorf("Count = %v", c)
	}
	if r.AtOrAbove(Warning) != 4 || r.AtOrAbove(Error) != 2 || r.AtOrAbove(Hint) != 6 {
		t.Errorf("AtOrAbove: warning %d, error %d, hint %d", r.AtOrAbove(Warning), r.AtOrAbove(Error), r.AtOrAbove(Hint))
	}
	if got := r.Summary(); got != "2 errors, 2 warnings, 1 info, 1 hint in 2 files" {
		t.Errorf("summary %q", got)
	}
}

func TestSummary(t *testing.T) {
	for _, tc := range []struct {
		fs   []Finding
		want string
	}{
		{nil, "no findings"},
		{[]Finding{{Severity: Error, Location: Location{File: "a"}}}, "1 error in 1 file"},
		{[]Finding{{Severity: Info, Location: Location{URL: "u"}}, {Severity: Info, Location: Location{URL: "v"}}}, "2 info in 2 URLs"},
		{[]Finding{{Severity: Hint, Location: Location{URL: "u"}}, {Severity: Hint, Location: Location{File: "f"}}}, "2 hints in 2 targets"},
		{[]Finding{{Severity: Warning}}, "1 warning"},
	} {
		r := &Report{Findings: tc.fs}
		if got := r.Summary(); got != tc.want {
			t.Errorf("Summary() = %q, want %q", got, tc.want)
		}
	}
}

func TestLocationString(t *testing.T) {
	for _, tc := range []struct {
		l    Location
		want string
	}{
		{Location{File: "a.yaml", Line: 3, Column: 4}, "a.yaml:3:4"},
		{Location{File: "a.yaml", Line: 3}, "a.yaml:3"},
		{Location{File: "a.yaml", Pointer: "/info"}, "a.yaml#/info"},
		{Location{URL: "https://x.test/"}, "https://x.test/"},
		{Location{}, ""},
	} {
		if got := tc.l.String(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.l, got, tc.want)
		}
	}
}

// FuzzMatchPath checks that ignore globs never panic on any pattern or
// name (config files and crawled URLs are untrusted), and that a pattern
// always matches the name it equals.
func FuzzMatchPath(f *testing.F) {
	for _, s := range [][2]string{
		{"api/*.yaml", "api/openapi.yaml"}, {"**", "x"}, {"a/**", "a/b/c"}, {"[", "["}, {"\\", "a"},
		{"[]a]", "]"}, {"*.yaml", "deep/dir/x.yaml"}, {"https://x.test/*", "https://x.test/a"}, {"./a", "a"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, pattern, name string) {
		matchPath(pattern, name)
		if name != "" && !strings.ContainsAny(name, `*?[\`) && !matchPath(name, name) {
			t.Errorf("pattern %q does not match itself", name)
		}
	})
}

func TestFingerprint(t *testing.T) {
	f := Finding{RuleID: "r", Message: "m", Location: Location{File: "/home/ci/repo/api/x.yaml", Pointer: "/a", Line: 3}}
	g := f
	g.Location.File = "/Users/me/src/repo/api/x.yaml"
	g.Location.Line = 90
	if Fingerprint(f, "/home/ci/repo") != Fingerprint(g, "/Users/me/src/repo") {
		t.Error("the fingerprint depends on the checkout's location or the line")
	}
	for _, change := range []func(*Finding){
		func(h *Finding) { h.RuleID = "s" },
		func(h *Finding) { h.Message = "n" },
		func(h *Finding) { h.Location.Pointer = "/b" },
		func(h *Finding) { h.Location.File = "/home/ci/repo/api/y.yaml" },
	} {
		h := f
		change(&h)
		if Fingerprint(h, "/home/ci/repo") == Fingerprint(f, "/home/ci/repo") {
			t.Errorf("fingerprint unchanged by a change to %+v", h)
		}
	}
	// A Key stands for a message that carries measurements.
	k1, k2 := f, f
	k1.Key, k1.Message = "fetched", "200 text/html in 19ms"
	k2.Key, k2.Message = "fetched", "200 text/html in 23ms"
	if Fingerprint(k1, "/home/ci/repo") != Fingerprint(k2, "/home/ci/repo") {
		t.Error("two findings with one Key differ in fingerprint")
	}
	if k2.Key = "other"; Fingerprint(k1, "/home/ci/repo") == Fingerprint(k2, "/home/ci/repo") {
		t.Error("the fingerprint ignores the Key")
	}
	// A spec fetched from a URL is named by it: the working directory (and
	// the repository under it) does not change its fingerprint.
	u := Finding{RuleID: "r", Message: "m", Location: Location{File: "http://127.0.0.1:8080/petstore.yaml", Pointer: "/a"}}
	wd, _ := os.Getwd()
	if a, b := fingerprint(u, paths{base: "/", cwd: wd}), fingerprint(u, paths{base: "/", cwd: "/tmp"}); a != b {
		t.Errorf("a URL's fingerprint depends on the working directory: %s, %s", a, b)
	}
	// A URL is the identity as it stands, its port too, loopback or not: a
	// folder audit's URLs are on a stable origin (http://NAME.localhost),
	// and two servers on two loopback ports are two sites.
	for _, tc := range []struct {
		a, b string
		same bool
	}{
		{"http://public.localhost/missing.html", "http://public.localhost/missing.html", true},
		{"http://127.0.0.1:41234/missing.html", "http://127.0.0.1:39001/missing.html", false},
		{"http://localhost:3000/x", "http://localhost:8080/x", false},
		{"http://127.0.0.1:41234/a", "http://127.0.0.1:41234/b", false},
		{"https://example.com:8443/x", "https://example.com:9443/x", false},
	} {
		fa := Finding{RuleID: "r", Message: "m", Location: Location{URL: tc.a}}
		fb := Finding{RuleID: "r", Message: "m", Location: Location{URL: tc.b}}
		if same := Fingerprint(fa, "") == Fingerprint(fb, ""); same != tc.same {
			t.Errorf("%s and %s: same fingerprint %v, want %v", tc.a, tc.b, same, tc.same)
		}
	}
	fps := fingerprints([]Finding{f, g, f}, newPaths("/home/ci/repo"))
	if fps[0] == fps[2] || !strings.HasSuffix(fps[2], ":2") {
		t.Errorf("repeats are not numbered: %v", fps)
	}
}

// TestSummaryBaselineHidden: the summary says how many findings a baseline
// hid, so a score under "no findings" does not read as a contradiction.
func TestSummaryBaselineHidden(t *testing.T) {
	hidden := []Stat{{Name: StatBaselineHidden, Value: 38}}
	for _, tc := range []struct {
		r    *Report
		want string
	}{
		{&Report{Stats: hidden}, "no new findings (38 hidden by the baseline)"},
		{&Report{Stats: hidden, Findings: []Finding{{RuleID: "r", Severity: Warning, Location: Location{File: "a.yaml"}}}}, "1 warning in 1 file (and 38 hidden by the baseline)"},
		{&Report{}, "no findings"},
	} {
		if got := tc.r.Summary(); got != tc.want {
			t.Errorf("Summary() = %q, want %q", got, tc.want)
		}
	}
	var b strings.Builder
	if err := Print(&b, "markdown", &Report{Command: "lint", Stats: hidden}, PrintOptions{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "No new findings \\(38 hidden by the baseline\\).") {
		t.Errorf("markdown summary:\n%s", b.String())
	}
}

func TestSortedRules(t *testing.T) {
	r := &Report{
		Rules:    []Rule{{ID: "b", Title: "first b"}, {ID: "a"}, {ID: "b", Title: "second b"}},
		Findings: []Finding{{RuleID: "z", Severity: Warning}, {RuleID: "c"}, {RuleID: "a"}, {RuleID: "z"}},
	}
	var got []string
	for _, rl := range sortedRules(r) {
		got = append(got, rl.ID+":"+rl.Title)
	}
	want := []string{"a:", "b:first b", "c:c", "z:z"}
	if !slices.Equal(got, want) {
		t.Errorf("sortedRules = %v, want %v", got, want)
	}
}
