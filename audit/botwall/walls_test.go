package botwall

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"testing"
)

// wallCase is one labelled page of testdata/audit/walls.
type wallCase struct {
	File    string            `json:"file"`
	Status  int               `json:"status"`
	Headers map[string]string `json:"headers"`
	Want    string            `json:"want"` // wall, widget or none
	Vendor  string            `json:"vendor"`
	Source  string            `json:"source"`
	Licence string            `json:"licence"`
	Note    string            `json:"note"`
}

// TestWallCorpus measures the detector on real pages it was not written
// from: the labelled pages of testdata/audit/walls and, when present, the
// shared corpus of challenge pages (corpusLabels). A wall is a positive.
func TestWallCorpus(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "audit", "walls")
	raw, err := os.ReadFile(filepath.Join(dir, "labels.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cases []wallCase
	if err := json.Unmarshal(raw, &cases); err != nil {
		t.Fatal(err)
	}
	type sample struct {
		name, want, vendor string
		status             int
		h                  http.Header
		body               []byte
	}
	var samples []sample
	for _, c := range cases {
		if c.Source == "" || c.Licence == "" || (c.Want == "wall" && c.Vendor == "") {
			t.Errorf("%s: source, licence and (for a wall) vendor are required", c.File)
		}
		body, err := os.ReadFile(filepath.Join(dir, c.File))
		if err != nil {
			t.Fatal(err)
		}
		h := http.Header{}
		for k, v := range c.Headers {
			h.Set(k, v)
		}
		samples = append(samples, sample{c.File, c.Want, c.Vendor, c.Status, h, body})
	}
	if shared := sharedCorpus(); shared != "" {
		for _, c := range corpusLabels {
			body, err := os.ReadFile(filepath.Join(shared, c.file))
			if err != nil {
				t.Fatal(err)
			}
			want := map[label]string{normal: "none", widget: "widget", wall: "wall"}[c.want]
			samples = append(samples, sample{"shared/" + c.file, want, c.vendor, c.status, http.Header{}, body})
		}
	} else {
		t.Log("shared corpus absent: the labelled pages of testdata only")
	}
	var tp, fp, fn, tn int
	// own counts the pages of testdata alone (vendors the shared corpus
	// does not have).
	var own [4]int
	for i, s := range samples {
		v := Detect(s.status, s.h, s.body)
		got := "none"
		switch {
		case v.Wall:
			got = "wall"
		case v.Widget:
			got = "widget"
		}
		k := 3
		switch {
		case got == "wall" && s.want == "wall":
			tp, k = tp+1, 0
		case got == "wall":
			fp, k = fp+1, 1
		case s.want == "wall":
			fn, k = fn+1, 2
		default:
			tn++
		}
		if i < len(cases) {
			own[k]++
		}
		if got != s.want || (got != "none" && v.Vendor != s.vendor) {
			t.Logf("%s: got %s %q (kind %s, matches %v, %d words), want %s %q", s.name, got, v.Vendor, v.Kind, v.Matches, v.Words, s.want, s.vendor)
		}
	}
	precision := float64(tp) / float64(max(tp+fp, 1))
	recall := float64(tp) / float64(max(tp+fn, 1))
	t.Logf("%d pages (%d walls): precision %.2f, recall %.2f (tp %d, fp %d, fn %d, tn %d)", len(samples), tp+fn, precision, recall, tp, fp, fn, tn)
	t.Logf("testdata alone, %d pages: precision %.2f, recall %.2f", len(cases),
		float64(own[0])/float64(max(own[0]+own[1], 1)), float64(own[0])/float64(max(own[0]+own[2], 1)))
	if precision < 0.95 || recall < 0.95 {
		t.Errorf("precision %.2f, recall %.2f: want at least 0.95 each", precision, recall)
	}
}

// sharedCorpus is the shared corpus folder, or "" when it is absent.
func sharedCorpus() string {
	root := os.Getenv("AGENTREADY_SHARED")
	if root == "" {
		root, _ = filepath.Abs("../../../shared")
	}
	d := filepath.Join(root, "corpus")
	if _, err := os.Stat(filepath.Join(d, "flaresolverr")); err != nil {
		return ""
	}
	return d
}
