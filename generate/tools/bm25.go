package tools

// This file is self-contained (standard library only): generate/mcp copies
// it, as search.go with package main, into servers in search mode.

import (
	"sort"
	"strings"
	"unicode"
)

// SearchDoc is what a tool is found by: its name, its summary and
// description, and its parameters' names and descriptions.
type SearchDoc struct {
	Name string
	Text string
}

// SearchIndex ranks tools for a query with Okapi BM25 (k1 1.2, b 0.75) over
// the words of their names, descriptions and parameters. The tool's name
// counts three times.
type SearchIndex struct {
	names []string
	docs  []map[string]int
	lens  []int
	df    map[string]int
	avg   float64
}

// NewSearchIndex indexes docs; their order breaks ties in Search.
func NewSearchIndex(docs []SearchDoc) *SearchIndex {
	ix := &SearchIndex{df: map[string]int{}}
	total := 0
	for _, d := range docs {
		tf := map[string]int{}
		n := 0
		for _, w := range searchWords(d.Name) {
			tf[w] += 3
			n += 3
		}
		for _, w := range searchWords(d.Text) {
			tf[w]++
			n++
		}
		for w := range tf {
			ix.df[w]++
		}
		ix.names = append(ix.names, d.Name)
		ix.docs = append(ix.docs, tf)
		ix.lens = append(ix.lens, n)
		total += n
	}
	if len(docs) > 0 {
		ix.avg = float64(total) / float64(len(docs))
	}
	return ix
}

// Search returns the names of the k best tools for query, best first; tools
// sharing no word with the query are left out.
func (ix *SearchIndex) Search(query string, k int) []string {
	const k1, b = 1.2, 0.75
	n := float64(len(ix.docs))
	seen := map[string]bool{}
	var terms []string
	for _, w := range searchWords(query) {
		if !seen[w] && ix.df[w] > 0 {
			seen[w] = true
			terms = append(terms, w)
		}
	}
	type hit struct {
		i     int
		score float64
	}
	var hits []hit
	for i, tf := range ix.docs {
		s := 0.0
		for _, w := range terms {
			f := float64(tf[w])
			if f == 0 {
				continue
			}
			df := float64(ix.df[w])
			idf := logf(1 + (n-df+0.5)/(df+0.5))
			s += idf * f * (k1 + 1) / (f + k1*(1-b+b*float64(ix.lens[i])/ix.avg))
		}
		if s > 0 {
			hits = append(hits, hit{i, s})
		}
	}
	sort.SliceStable(hits, func(a, c int) bool { return hits[a].score > hits[c].score })
	if k > 0 && len(hits) > k {
		hits = hits[:k]
	}
	out := make([]string, len(hits))
	for j, h := range hits {
		out[j] = ix.names[h.i]
	}
	return out
}

// logf is the natural logarithm by series, so that this file needs no math
// import (kept small for the generated servers).
func logf(x float64) float64 {
	// ln x = 2 atanh((x-1)/(x+1)), after scaling x into [0.5, 2).
	e := 0
	for x >= 2 {
		x /= 2
		e++
	}
	for x < 0.5 {
		x *= 2
		e--
	}
	y := (x - 1) / (x + 1)
	y2, term, sum := y*y, y, 0.0
	for i := 1; i < 60; i += 2 {
		sum += term / float64(i)
		term *= y2
	}
	return 2*sum + float64(e)*0.6931471805599453
}

// searchWords splits text into lower-case words at non-letters and at
// camelCase and snake_case boundaries, drops stop words and strips a
// plural "s".
func searchWords(text string) []string {
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) == 0 {
			return
		}
		w := strings.ToLower(string(cur))
		cur = cur[:0]
		if searchStop[w] || len(w) < 2 {
			return
		}
		if len(w) > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") {
			w = strings.TrimSuffix(w, "s")
			if strings.HasSuffix(w, "ie") {
				w = strings.TrimSuffix(w, "ie") + "y"
			}
		}
		if full, ok := searchAbbrev[w]; ok {
			w = full
		}
		words = append(words, w)
	}
	rs := []rune(text)
	for i, r := range rs {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if unicode.IsUpper(r) && i > 0 && len(cur) > 0 && (unicode.IsLower(rs[i-1]) || i+1 < len(rs) && unicode.IsLower(rs[i+1]) && unicode.IsUpper(rs[i-1])) {
				flush()
			}
			cur = append(cur, r)
		default:
			flush()
		}
	}
	flush()
	return words
}

// searchAbbrev spells out the abbreviations operation names use, so that
// "repository" finds repos_list_for_org.
var searchAbbrev = map[string]string{
	"repo": "repository", "org": "organization", "config": "configuration", "auth": "authentication",
	"info": "information", "admin": "administrator", "env": "environment", "msg": "message", "db": "database",
	"app": "application", "spec": "specification", "param": "parameter", "attr": "attribute", "desc": "description",
}

var searchStop = map[string]bool{
	"a": true, "an": true, "the": true, "of": true, "for": true, "to": true, "in": true, "on": true,
	"and": true, "or": true, "by": true, "with": true, "is": true, "it": true, "this": true, "that": true,
	"be": true, "as": true, "at": true, "from": true, "are": true, "can": true, "you": true, "your": true,
}
