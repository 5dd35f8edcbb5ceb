package breaking

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/agentready/agentready/internal/specload"
)

// FuzzVersionBump: any two version strings get a bump without panicking,
// and the bump is consistent with the order of the versions.
func FuzzVersionBump(f *testing.F) {
	for _, s := range [][2]string{{"1.0.0", "2.0.0"}, {"2.0.0-rc.1", "2.0.0-rc.2"}, {"v0.1.0", "0.1.1"}, {"2024-06-01", "2024-06-01.preview"}, {"1.0.0-0.3.7", "1.0.0-x.7.z.92"}, {"", "x"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, from, to string) {
		b := VersionBump(from, to)
		a, ok1 := ParseVersion(from)
		c, ok2 := ParseVersion(to)
		if ok1 && ok2 && !IsDateVersion(from) {
			if (a.Compare(c) > 0) != (b == BumpDown) {
				t.Errorf("VersionBump(%q, %q) = %s but Compare = %d", from, to, b, a.Compare(c))
			}
			if a.Compare(c) != -c.Compare(a) {
				t.Errorf("Compare is not antisymmetric for %q, %q", from, to)
			}
		}
	})
}

// FuzzCompare: two documents that load are compared without a panic, and
// every change gets a pointer.
func FuzzCompare(f *testing.F) {
	dirs, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "lint", "versioning", "pair-*"))
	for _, d := range dirs {
		b, err1 := os.ReadFile(filepath.Join(d, "base.yaml"))
		s, err2 := os.ReadFile(filepath.Join(d, "spec.yaml"))
		if err1 == nil && err2 == nil {
			f.Add(b, s)
		}
	}
	f.Add([]byte(petsV1), []byte("openapi: 3.0.3\ninfo: {title: t, version: 0.1.0}\npaths: {/pets: {}}\nwebhooks: {}\n"))
	f.Fuzz(func(t *testing.T, base, spec []byte) {
		ctx := context.Background()
		opts := specload.Options{MaxBytes: 1 << 20}
		b, err := specload.LoadBytes(ctx, "base.yaml", base, "", opts)
		if err != nil {
			return
		}
		s, err := specload.LoadBytes(ctx, "spec.yaml", spec, "", opts)
		if err != nil {
			return
		}
		res, err := Compare(b, s)
		if err != nil {
			return
		}
		locs := res.Locations(b, s)
		for i, c := range res.Changes {
			if c.Path != "" && c.Pointer == "" {
				t.Errorf("%s %s: no pointer", c.ID, c.Operation())
			}
			if locs[i].Line < 1 {
				t.Errorf("%s: no line", c.ID)
			}
		}
		res.Verdict()
		res.Changelog("base.yaml", "spec.yaml", locs)
	})
}
