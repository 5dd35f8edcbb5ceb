package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"io"
)

// ShardInfo says which part of which list a --urls run audited. Every JSON
// line of such a run carries it (extra.shard), so that a merge of the
// lines of many processes can tell a shard that is missing or was cut
// short, a site reported twice, and shards of two different lists.
type ShardInfo struct {
	// Index and Count are I and N of --shard I/N (0 and 1 without it).
	Index int `json:"index"`
	Count int `json:"count"`
	// Input is the checksum of the --urls list as read ("sha256:HEX"):
	// the shards of one list agree on it.
	Input string `json:"input"`
	// Site is this line's position among the run's sites, from 0, and
	// Sites how many sites (lines) the run audits: a run that stopped
	// early wrote fewer.
	Site  int `json:"site"`
	Sites int `json:"sites"`
	// Total is how many sites the whole list has, every shard together:
	// a shard that is absent because it had no site is told from one that
	// never ran.
	Total int `json:"total"`
}

// inputSum hashes what is read through it: the --urls list.
type inputSum struct {
	r io.Reader
	h hash.Hash
}

func newInputSum(r io.Reader) *inputSum { return &inputSum{r: r, h: sha256.New()} }

func (s *inputSum) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	s.h.Write(p[:n])
	return n, err
}

// sum reads what the list reader left (a scanner may stop before the end)
// and returns the checksum of the whole input.
func (s *inputSum) sum() string {
	_, _ = io.Copy(io.Discard, s)
	return "sha256:" + hex.EncodeToString(s.h.Sum(nil))
}
