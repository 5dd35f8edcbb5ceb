package breaking

import (
	"archive/tar"
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/agentready/agentready/internal/golden" // defines -update, which go test ./... -update hands every package
	"github.com/agentready/agentready/internal/specload"
)

func TestParseVersion(t *testing.T) {
	for _, tc := range []struct {
		in   string
		ok   bool
		want Version
	}{
		{"1.2.3", true, Version{1, 2, 3, ""}},
		{"v1.2.3", true, Version{1, 2, 3, ""}},
		{"2.0.0-rc.1+build.7", true, Version{2, 0, 0, "rc.1"}},
		{"0.0.0", true, Version{}},
		{"1.2", false, Version{}},
		{"01.2.3", false, Version{}},
		{"1.2.3-", false, Version{}},
		{"2024-06-01", false, Version{}},
		{"", false, Version{}},
		{"99999999999999999999.0.0", false, Version{}},
	} {
		got, ok := ParseVersion(tc.in)
		if ok != tc.ok || got != tc.want {
			t.Errorf("ParseVersion(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
	if IsSemver("v1.0.0") || !IsSemver("1.0.0") {
		t.Error("IsSemver: a leading v is not semver")
	}
}

func TestVersionBump(t *testing.T) {
	for _, tc := range []struct {
		from, to string
		want     Bump
	}{
		{"1.0.0", "2.0.0", BumpMajor},
		{"1.0.0", "1.1.0", BumpMinor},
		{"1.0.0", "1.0.1", BumpPatch},
		{"1.0.0", "1.0.0", BumpNone},
		{"1.2.0", "1.1.9", BumpDown},
		{"2.0.0", "2.0.0-rc.1", BumpDown},
		{"2.0.0-rc.1", "2.0.0-rc.2", BumpPre},
		{"2.0.0-rc.2", "2.0.0-rc.10", BumpPre},
		{"2.0.0-rc.10", "2.0.0-rc.2", BumpDown},
		{"2.0.0-alpha", "2.0.0-alpha.1", BumpPre},
		{"1.9.0", "2.0.0-rc.1", BumpMajor},
		{"0.3.0", "0.4.0", BumpMajor}, // below 1.0.0 the minor is the major
		{"0.3.0", "0.3.1", BumpMinor},
		{"0.9.0", "1.0.0", BumpMajor},
		{"v1.0.0", "1.1.0", BumpMinor},
		{"2024-06-01", "2024-09-30", BumpMajor},
		{"2024-06-01", "2024-06-01", BumpNone},
		{"2024-06-01", "2023-01-01", BumpDown},
		{"1.0", "1.1", BumpUnknown},
		{"1.0.0", "latest", BumpUnknown},
	} {
		if got := VersionBump(tc.from, tc.to); got != tc.want {
			t.Errorf("VersionBump(%q, %q) = %s, want %s", tc.from, tc.to, got, tc.want)
		}
	}
}

func TestVerdict(t *testing.T) {
	ch := func(g Group) Change {
		c := Change{ID: "x", Group: g, Level: LevelInfo}
		if g == Breaking {
			c.Level = LevelError
		}
		return c
	}
	for _, tc := range []struct {
		from, to string
		changes  []Change
		ok       bool
		msg      string
	}{
		{"1.0.0", "1.1.0", []Change{ch(Breaking)}, false, "1 breaking change without a MAJOR version bump: 1.0.0 → 1.1.0 is a minor bump"},
		{"1.0.0", "1.0.0", []Change{ch(Breaking), ch(Breaking)}, false, "2 breaking changes without a MAJOR version bump: 1.0.0 → 1.0.0 is unchanged"},
		{"1.0.0", "2.0.0", []Change{ch(Breaking), ch(Added)}, true, "1 breaking change and 1 addition, and 1.0.0 → 2.0.0 is a major bump"},
		{"1.0.0", "1.0.1", []Change{ch(Added)}, false, "1 addition without at least a MINOR version bump: 1.0.0 → 1.0.1 is a patch bump"},
		{"1.0.0", "1.1.0", []Change{ch(Added), ch(Changed)}, true, "1 addition, and 1.0.0 → 1.1.0 is a minor bump"},
		{"1.0.0", "1.0.1", []Change{ch(Changed), ch(Deprecated)}, true, "no breaking change and nothing added"},
		{"1.1.0", "1.0.0", nil, false, "info.version went down from 1.1.0 to 1.0.0"},
		{"2.0.0-rc.1", "2.0.0-rc.2", []Change{ch(Breaking)}, true, "within pre-releases"},
		{"one", "two", []Change{ch(Breaking)}, false, "not a semantic or date version"},
		{"one", "two", nil, true, "no breaking change"},
	} {
		r := &Result{BaseVersion: tc.from, SpecVersion: tc.to, Bump: VersionBump(tc.from, tc.to), Changes: tc.changes}
		v := r.Verdict()
		if v.OK != tc.ok || !strings.Contains(v.Message, tc.msg) {
			t.Errorf("%s → %s with %d changes: got %v %q, want %v %q", tc.from, tc.to, len(tc.changes), v.OK, v.Message, tc.ok, tc.msg)
		}
	}
}

func loadBytes(t testing.TB, name, src string) *specload.Document {
	t.Helper()
	d, err := specload.LoadBytes(context.Background(), name, []byte(src), "", specload.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestCompareOtherMajor(t *testing.T) {
	v2 := loadBytes(t, "old.yaml", "swagger: '2.0'\ninfo: {title: t, version: 1.0.0}\npaths: {}\n")
	v3 := loadBytes(t, "new.yaml", "openapi: 3.0.3\ninfo: {title: t, version: 2.0.0}\npaths: {}\n")
	_, err := Compare(v2, v3)
	if err == nil || !strings.Contains(err.Error(), "old.yaml is OpenAPI 2.0 but new.yaml is OpenAPI 3.0.3") {
		t.Errorf("got %v", err)
	}
	// 3.0 against 3.1 is the same major version.
	v31 := loadBytes(t, "new.yaml", "openapi: 3.1.0\ninfo: {title: t, version: 2.0.0}\npaths: {}\n")
	if _, err := Compare(v3, v31); err != nil {
		t.Errorf("3.0 → 3.1: %v", err)
	}
}

func TestGroups(t *testing.T) {
	for id, want := range map[string]Group{
		"endpoint-added": Added, "new-optional-request-parameter": Added, "response-property-became-nullable": Changed,
		"api-deprecated": Deprecated, "request-parameter-sunset-changed": Deprecated, "endpoint-reactivated": Changed,
	} {
		c := Change{ID: id, Level: LevelInfo}
		if got := groupOf(&c); got != want {
			t.Errorf("%s: %s, want %s", id, got, want)
		}
	}
	c := Change{ID: "endpoint-added", Level: LevelWarning}
	if groupOf(&c) != Breaking {
		t.Error("a breaking change is breaking whatever its ID")
	}
}

func TestHasFileRef(t *testing.T) {
	for src, want := range map[string]bool{
		`$ref: '#/components/schemas/Pet'`: false,
		`"$ref": "#/definitions/Pet"`:      false,
		`$ref: ./schemas.yaml#/Pet`:        true,
		`"$ref":"other.json"`:              true,
		`no refs`:                          false,
		`$ref`:                             false,
		`{"$ref" : "https://x/y.json#/a"}`: true,
	} {
		if got := hasFileRef([]byte(src)); got != want {
			t.Errorf("hasFileRef(%q) = %v", src, got)
		}
	}
}

func TestUntarRefusesEscapes(t *testing.T) {
	for _, name := range []string{"../evil.yaml", "/etc/evil.yaml", "a/../../evil.yaml"} {
		var buf bytes.Buffer
		tw := tar.NewWriter(&buf)
		tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: 1, Typeflag: tar.TypeReg})
		tw.Write([]byte("x"))
		tw.Close()
		if err := untar(&buf, t.TempDir(), 1<<20); err == nil || !strings.Contains(err.Error(), "unsafe path") {
			t.Errorf("%s: got %v", name, err)
		}
	}
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	tw.WriteHeader(&tar.Header{Name: "big.yaml", Mode: 0o644, Size: 10, Typeflag: tar.TypeReg})
	tw.Write(make([]byte, 10))
	tw.Close()
	if err := untar(&buf, t.TempDir(), 5); err == nil {
		t.Error("a file over the limit was extracted")
	}
}

func TestLimitedBuffer(t *testing.T) {
	b := limitedBuffer{max: 4}
	b.Write([]byte("abc"))
	b.Write([]byte("def"))
	if !b.over || b.String() != "abcd" {
		t.Errorf("got %q over=%v", b.String(), b.over)
	}
}

const petsV1 = `openapi: 3.0.3
info: {title: t, version: 1.0.0}
paths:
  /pets:
    get:
      responses:
        "200": {description: ok}
`

func TestLoadBaseURL(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/openapi.yaml" {
			http.NotFound(w, r)
			return
		}
		w.Write([]byte(petsV1))
	}))
	defer srv.Close()
	ctx := context.Background()
	d, err := LoadBase(ctx, srv.URL+"/openapi.yaml", specload.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if d.Spec.Info.Version != "1.0.0" || d.Name != srv.URL+"/openapi.yaml" {
		t.Errorf("got %s %s", d.Name, d.Spec.Info.Version)
	}
	if _, err := LoadBase(ctx, srv.URL+"/missing.yaml", specload.Options{}); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("404: got %v", err)
	}
}

func TestLoadBaseFileWithColon(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "v1:openapi.yaml")
	if err := os.WriteFile(path, []byte(petsV1), 0o644); err != nil {
		t.Fatal(err)
	}
	d, err := LoadBase(context.Background(), path, specload.Options{})
	if err != nil || d.Spec.Info.Version != "1.0.0" {
		t.Errorf("an existing file named with a colon is a file: %v", err)
	}
	for _, bad := range []string{"", "-", "nocolon.yaml", ":x.yaml", "HEAD:"} {
		if _, err := LoadBase(context.Background(), bad, specload.Options{}); err == nil {
			t.Errorf("LoadBase(%q) succeeded", bad)
		}
	}
}
