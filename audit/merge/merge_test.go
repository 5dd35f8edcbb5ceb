package merge

import (
	"bytes"
	"encoding/json"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/agentready/agentready/internal/golden"
	"github.com/agentready/agentready/report"
)

func fixture(names ...string) []string {
	var out []string
	for _, n := range names {
		out = append(out, filepath.Join("testdata", n))
	}
	return out
}

func mergeFiles(t *testing.T, names ...string) *report.Report {
	t.Helper()
	rep, err := Files(fixture(names...))
	if err != nil {
		t.Fatal(err)
	}
	rep.Tool = report.Tool{Name: "agentready", Version: "test"}
	return rep
}

func printed(t *testing.T, rep *report.Report, format string) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Printers().Print(&b, format, rep, report.PrintOptions{}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func ids(rep *report.Report) []string {
	var out []string
	for _, f := range rep.Findings {
		out = append(out, f.RuleID+": "+f.Message)
	}
	return out
}

// TestMergeGolden: every format of two merges, one of a whole set of
// shards and a folder's whole report, one with a shard cut short, a
// shard missing and a site twice.
func TestMergeGolden(t *testing.T) {
	cases := map[string][]string{
		"complete": {"shard-0.jsonl", "shard-1.jsonl", "shard-2.jsonl", "public.json"},
		"broken":   {"shard-0.jsonl", "shard-1-cut.jsonl", "public.json", "public.json"},
	}
	for name, files := range cases {
		rep := mergeFiles(t, files...)
		for _, format := range []string{"text", "json", "markdown", "html"} {
			golden.Check(t, name+"."+format, printed(t, rep, format))
		}
	}
}

func TestMergeComplete(t *testing.T) {
	rep := mergeFiles(t, "shard-0.jsonl", "shard-1.jsonl", "shard-2.jsonl", "public.json")
	if len(rep.Findings) != 0 {
		t.Errorf("findings: %q", ids(rep))
	}
	s := rep.Extra.(*Summary)
	if len(s.Sites) != 7 || s.Scored != 6 {
		t.Errorf("%d sites, %d scored; want 7 and 6", len(s.Sites), s.Scored)
	}
	for _, sh := range s.Shards {
		if !sh.Complete || sh.Read != 2 {
			t.Errorf("shard %+v", sh)
		}
	}
	// b's worst finding is its error, then its warnings by rule.
	for _, site := range s.Sites {
		if site.Name == "https://b.example" {
			if len(site.Worst) != 3 || site.Worst[0].RuleID != "json-ld-valid" || site.Worst[1].RuleID != "canonical" || site.Errors != 1 || site.Warnings != 2 {
				t.Errorf("b: %+v", site)
			}
		}
	}
	// llms-txt applies to 5 sites (b's is not applicable) and 3 pass.
	for _, c := range s.Checks {
		if c.ID == "llms-txt" && (c.Applicable != 5 || c.Passed != 3) {
			t.Errorf("llms-txt: %+v", c)
		}
		// robots-valid at 89.6 prints 90 and passes, as in a site's report.
		if c.ID == "robots-valid" && c.Passed != 5 {
			t.Errorf("robots-valid: %+v", c)
		}
	}
}

// A rule that fails on many pages shows once among a site's worst.
func TestMergeWorstFindingsAreOneARule(t *testing.T) {
	f := `{"ruleId":"bot-wall","severity":"error","message":"challenge on PAGE","location":{"url":"https://a.test/PAGE"}}`
	var fs []string
	for _, p := range []string{"1", "2", "3", "4"} {
		fs = append(fs, strings.ReplaceAll(f, "PAGE", p))
	}
	fs = append(fs, `{"ruleId":"llms-txt","severity":"warning","message":"no llms.txt","location":{"url":"https://a.test/llms.txt"}}`)
	line := `{"command":"audit","targets":["https://a.test"],"findings":[` + strings.Join(fs, ",") + `],"extra":{"sites":[{"origin":"https://a.test"}]}}` + "\n"
	rep, err := Read([]string{"in"}, readerList{strings.NewReader(line)}.readers())
	if err != nil {
		t.Fatal(err)
	}
	site := rep.Extra.(*Summary).Sites[0]
	if len(site.Worst) != 2 || site.Worst[0].RuleID != "bot-wall" || site.Worst[1].RuleID != "llms-txt" || site.Errors != 4 {
		t.Errorf("worst %+v, %d errors", site.Worst, site.Errors)
	}
}

func TestMergeFindsMissingCutAndDuplicate(t *testing.T) {
	rep := mergeFiles(t, "shard-0.jsonl", "shard-1-cut.jsonl", "public.json", "public.json")
	got := strings.Join(ids(rep), "\n")
	for _, want := range []string{
		"merge-shard-missing: shard 1/3 is incomplete: 1 of its 2 sites were read",
		"merge-shard-missing: shard 2/3 is missing: no line of it was read (the shards read hold 4 of the list's 6 sites)",
		"merge-duplicate-site: public is reported twice",
		"merge-truncated-line: line 2 is cut short",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("findings lack %q:\n%s", want, got)
		}
	}
	if n := rep.AtOrAbove(report.Error); n != 2 {
		t.Errorf("%d errors, want 2 (so --fail-on error exits 1)", n)
	}
}

// A short list leaves some shards empty: they write no line and are not
// missing when the shards read hold the whole list.
func TestMergeEmptyShardIsNotMissing(t *testing.T) {
	line := func(i, site, sites int, origin string) string {
		return `{"command":"audit","targets":["` + origin + `"],"findings":[],"extra":{"sites":[{"origin":"` + origin +
			`"}],"shard":{"index":` + itoa(i) + `,"count":4,"input":"sha256:1","site":` + itoa(site) + `,"sites":` + itoa(sites) + `,"total":2}}}` + "\n"
	}
	rep, err := Read([]string{"s0", "s3"}, readerList{
		strings.NewReader(line(0, 0, 1, "https://a.test")),
		strings.NewReader(line(3, 0, 1, "https://b.test")),
	}.readers())
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) != 0 {
		t.Errorf("findings: %q", ids(rep))
	}
}

func TestMergeOtherListIsAMismatch(t *testing.T) {
	rep := mergeFiles(t, "shard-0.jsonl", "other-list.jsonl")
	if got := strings.Join(ids(rep), "\n"); !strings.Contains(got, "merge-shard-mismatch: shard 0/4 of list sha256:ff00ff00ff00") {
		t.Errorf("findings:\n%s", got)
	}
}

func TestMergeBadInput(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"{\"command\":\"audit\"}\nnot json\n", "in.jsonl:2: not a JSON report"},
		{`{"command":"lint","targets":["x"]}` + "\n", `in.jsonl:1: a "lint" report; merge takes audit reports`},
		{`{"command":"audit","extra":[]}` + "\n", "in.jsonl:1: not an audit report"},
		{"{\n  \"command\": \"audit\",\n", "in.jsonl:1: not an audit report"},
		{`{"command":"audit","extra":{"shard":{"index":0,"count":2000000000,"site":0,"sites":1,"total":1}}}` + "\n", "in.jsonl:1: extra.shard is not a shard of a list: 0/2000000000"},
		{`{"command":"audit","extra":{"scorecard":{"sites":[{"origin":"x","score":1e300}]}}}` + "\n", "in.jsonl:1: extra.scorecard.sites[0]: score 1e+300 is not between 0 and 100"},
		{`{"command":"audit","extra":{"shard":{"index":3,"count":2,"site":0,"sites":1,"total":1}}}` + "\n", "in.jsonl:1: extra.shard is not a shard"},
	} {
		_, err := Read([]string{"in.jsonl"}, readerList{strings.NewReader(tc.in)}.readers())
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: err %v, want %q", tc.in, err, tc.want)
		}
	}
}

// The json output is the report schema's, with the summary under extra.
func TestMergeJSONShape(t *testing.T) {
	var doc struct {
		Command string
		Extra   Summary
	}
	if err := json.Unmarshal(printed(t, mergeFiles(t, "shard-0.jsonl"), "json"), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Command != "report merge" || len(doc.Extra.Sites) != 2 || doc.Extra.ShardCount != 3 {
		t.Errorf("%+v", doc)
	}
}

type ioReader = interface{ Read([]byte) (int, error) }

type readerList []ioReader

func (l readerList) readers() []io.Reader {
	out := make([]io.Reader, len(l))
	for i, r := range l {
		out[i] = r
	}
	return out
}

func itoa(i int) string { return strconv.Itoa(i) }
