// This file holds the targets of a crawl: what a Target is, reading a
// --urls list, grouping it by origin, and sharding targets between
// processes.

package crawl

import (
	"bufio"
	"fmt"
	"hash/fnv"
	"io"
	"net/url"
	"strconv"
	"strings"

	"github.com/agentready/agentready/audit/urlnorm"
)

// maxListLine bounds a line of a --urls list.
const maxListLine = 64 << 10

// ReadURLList reads a list of URLs, one a line; blank lines and lines
// starting with # are skipped. A line that is not an http(s) URL is an
// error naming its line number.
func ReadURLList(r io.Reader, name string) ([]string, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 4096), maxListLine)
	var out []string
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(strings.TrimPrefix(sc.Text(), "\uFEFF"))
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if scheme, _, ok := strings.Cut(line, ":"); !strings.Contains(line, "://") && (!ok || strings.Contains(scheme, ".")) {
			line = "https://" + line // a bare host, as lists of sites often are
		}
		u, err := urlnorm.Parse(line)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %v", name, n, err)
		}
		out = append(out, u.String())
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s:%d: %v", name, n+1, err)
	}
	return out, nil
}

// GroupByOrigin turns a list of normalised URLs into one list Target per
// origin, in the order origins first appear, without duplicate URLs.
func GroupByOrigin(urls []string) []Target {
	idx := map[string]int{}
	seen := map[string]bool{}
	var out []Target
	for _, s := range urls {
		if seen[s] {
			continue
		}
		seen[s] = true
		u, err := url.Parse(s)
		if err != nil {
			continue
		}
		o := u.Scheme + "://" + u.Host
		i, ok := idx[o]
		if !ok {
			i = len(out)
			idx[o] = i
			out = append(out, Target{})
		}
		out[i].URLs = append(out[i].URLs, s)
	}
	return out
}

// ParseShard parses "I/N" (0 <= I < N).
func ParseShard(s string) (i, n int, err error) {
	a, b, ok := strings.Cut(s, "/")
	if ok {
		i, err = strconv.Atoi(strings.TrimSpace(a))
		if err == nil {
			n, err = strconv.Atoi(strings.TrimSpace(b))
		}
	}
	if !ok || err != nil || n < 1 || i < 0 || i >= n {
		return 0, 0, fmt.Errorf("shard %q: want I/N with 0 <= I < N, such as 0/4", s)
	}
	return i, n, nil
}

// Shard keeps the targets of shard i of n: those whose host hashes (FNV-1a)
// to i modulo n. Every process given the same list and its own i sees a
// disjoint part, with all the URLs of one host in the same part, so no host
// is crawled by two processes at once.
func Shard(targets []Target, i, n int) []Target {
	if n <= 1 {
		return targets
	}
	var out []Target
	for _, t := range targets {
		if ShardOf(t, n) == i {
			out = append(out, t)
		}
	}
	return out
}

// ShardOf returns the shard of a target among n.
func ShardOf(t Target, n int) int {
	s := t.URL
	if len(t.URLs) > 0 {
		s = t.URLs[0]
	}
	host := s
	if u, err := url.Parse(s); err == nil {
		host = u.Hostname()
	}
	h := fnv.New32a()
	io.WriteString(h, strings.ToLower(host))
	return int(h.Sum32() % uint32(n))
}

// Target is one thing to audit: a start URL, a local folder, or an exact
// list of URLs on one origin.
type Target struct {
	// URL is the start URL of a crawl.
	URL string `json:"url,omitempty"`
	// Folder is a local directory to crawl, served in-process at
	// http://NAME.localhost (see Site.File).
	Folder string `json:"folder,omitempty"`
	// URLs, when set, are exactly the pages to fetch (all on one origin);
	// links are recorded but not followed.
	URLs []string `json:"urls,omitempty"`
}

// String names the target as a user wrote it.
func (t Target) String() string {
	switch {
	case t.Folder != "":
		return t.Folder
	case len(t.URLs) > 0:
		return "urls"
	}
	return t.URL
}
