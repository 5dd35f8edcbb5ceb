package breaking

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/agentready/agentready/internal/specload"
)

// The real pair: two published major versions of GitHub's description
// (npm @octokit/openapi 22.0.0 and 23.0.2, generated/api.github.com.json),
// installed by bench/lintbase.sh into the bench cache. Tests skip without
// them.

func benchCache() string {
	if c := os.Getenv("AGENTREADY_BENCH_CACHE"); c != "" {
		return c
	}
	home, _ := os.UserHomeDir()
	return filepath.Join(home, ".cache", "agentready-bench")
}

// octokitPair returns the paths of the base and revision of the real pair,
// or skips.
func octokitPair(t testing.TB) (string, string) {
	t.Helper()
	c := benchCache()
	base := filepath.Join(c, "lintbase", "octokit-22.0.0", "node_modules", "@octokit", "openapi", "generated", "api.github.com.json")
	rev := filepath.Join(c, "lintbase", "octokit-23.0.2", "node_modules", "@octokit", "openapi", "generated", "api.github.com.json")
	for _, p := range []string{base, rev} {
		if _, err := os.Stat(p); err != nil {
			t.Skipf("%s not installed (run bench/lintbase.sh)", p)
		}
	}
	return base, rev
}

func TestOctokitPair(t *testing.T) {
	basePath, revPath := octokitPair(t)
	ctx := context.Background()
	base, err := specload.Load(ctx, basePath, nil, specload.Options{})
	if err != nil {
		t.Fatal(err)
	}
	rev, err := specload.Load(ctx, revPath, nil, specload.Options{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := Compare(base, rev)
	if err != nil {
		t.Fatal(err)
	}
	if res.BaseVersion != "22.0.0" || res.SpecVersion != "23.0.2" || res.Bump != BumpMajor {
		t.Errorf("versions %s → %s, bump %s", res.BaseVersion, res.SpecVersion, res.Bump)
	}
	if n := res.Count(Breaking); n < 50 {
		t.Errorf("only %d breaking changes between two major versions of GitHub's API", n)
	}
	if v := res.Verdict(); !v.OK {
		t.Errorf("a major bump should allow breaking changes: %s", v.Message)
	}
	locs := res.Locations(base, rev)
	var removals, inSpec int
	for i, c := range res.Changes {
		l := locs[i]
		if l.Line < 1 || l.File == "" || c.Pointer == "" {
			t.Errorf("%s %s: no position (%+v)", c.ID, c.Operation(), l)
			continue
		}
		// Every change is located below its operation, not at the top of
		// the file.
		if c.Path != "" && !strings.HasPrefix(c.Pointer, "/paths/") && !strings.HasPrefix(c.Pointer, "/components/") {
			t.Errorf("%s %s: pointer %s is not under its operation", c.ID, c.Operation(), c.Pointer)
		}
		if c.Side == InBase {
			removals++
			if l.File != base.Name {
				t.Errorf("%s: a removal located in %s", c.ID, l.File)
			}
		} else {
			inSpec++
		}
	}
	if removals == 0 || inSpec == 0 {
		t.Errorf("removals %d, in spec %d: want both", removals, inSpec)
	}
	cl := res.Changelog(basePath, revPath, locs)
	total := 0
	for _, g := range cl.Groups {
		total += len(g.Entries)
	}
	if total != len(res.Changes) || !cl.OK {
		t.Errorf("changelog has %d entries for %d changes, ok %v", total, len(res.Changes), cl.OK)
	}
	t.Logf("%d changes: %d breaking, %d deprecated, %d added, %d changed; %d shown in the base",
		len(res.Changes), res.Count(Breaking), res.Count(Deprecated), res.Count(Added), res.Count(Changed), removals)
}

// BenchmarkCompareOctokit measures the comparison alone (both specs
// loaded once, outside the loop).
func BenchmarkCompareOctokit(b *testing.B) {
	basePath, revPath := octokitPair(b)
	ctx := context.Background()
	base, err := specload.Load(ctx, basePath, nil, specload.Options{})
	if err != nil {
		b.Fatal(err)
	}
	rev, err := specload.Load(ctx, revPath, nil, specload.Options{})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		res, err := Compare(base, rev)
		if err != nil {
			b.Fatal(err)
		}
		res.Locations(base, rev)
	}
}
