package crawl

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func TestReadURLListAndShard(t *testing.T) {
	in := "# sites\nhttps://a.example/x\n\nb.example\nhttps://A.example/y#frag\nhttps://a.example/x\nhttp://c.example:80/\n"
	urls, err := ReadURLList(strings.NewReader(in), "list.txt")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(urls, " "); got != "https://a.example/x https://b.example/ https://a.example/y https://a.example/x http://c.example/" {
		t.Errorf("urls = %s", got)
	}
	ts := GroupByOrigin(urls)
	if len(ts) != 3 || len(ts[0].URLs) != 2 {
		t.Errorf("targets = %+v", ts)
	}
	if _, err := ReadURLList(strings.NewReader("https://ok.example/\nmailto:x@y\n"), "list.txt"); err == nil || !strings.HasPrefix(err.Error(), "list.txt:2:") {
		t.Errorf("err = %v", err)
	}
	// Shards partition the targets, stably.
	var many []string
	for i := range 200 {
		many = append(many, fmt.Sprintf("https://site%d.example/", i))
	}
	all := GroupByOrigin(many)
	seen := map[string]int{}
	for i := range 4 {
		part := Shard(all, i, 4)
		if len(part) < 20 {
			t.Errorf("shard %d has only %d targets", i, len(part))
		}
		for _, p := range part {
			seen[p.URLs[0]]++
		}
	}
	if len(seen) != 200 {
		t.Errorf("shards cover %d of 200 targets", len(seen))
	}
	for u, n := range seen {
		if n != 1 {
			t.Errorf("%s in %d shards", u, n)
		}
	}
	for _, bad := range []string{"4/4", "-1/2", "1", "a/b", "0/0"} {
		if _, _, err := ParseShard(bad); err == nil {
			t.Errorf("ParseShard(%q) accepted", bad)
		}
	}
	if i, n, err := ParseShard("2/8"); err != nil || i != 2 || n != 8 {
		t.Errorf("ParseShard(2/8) = %d %d %v", i, n, err)
	}
}

func TestListTargetIsExact(t *testing.T) {
	srv, log := serveSite(t, loadSite(t, "basic"))
	o := fastOptions()
	s := crawlOne(t, Target{URLs: []string{srv.URL + "/about", srv.URL + "/docs/guide.html"}}, o)
	if s.Stats.Pages != 2 || log.count("/") != 0 {
		t.Errorf("pages %d, home fetched %d times", s.Stats.Pages, log.count("/"))
	}
	if p := pageMap(s)["/about"]; p.Source != "list" || len(p.Links()) != 1 {
		t.Errorf("about = %+v", p)
	}
}

// TestListVariantsAfterFailure: a list's variants go to the first page
// that answers, not to a first page whose fetch fails.
func TestListVariantsAfterFailure(t *testing.T) {
	srv, _ := mux(t, map[string]http.HandlerFunc{
		"/fail": func(w http.ResponseWriter, r *http.Request) {
			hj, ok := w.(http.Hijacker)
			if !ok {
				t.Error("no hijacker")
				return
			}
			conn, _, _ := hj.Hijack()
			conn.Close()
		},
		"/ok": html200("ok"),
	})
	o := fastOptions()
	o.Concurrency = 1
	o.MaxRetries = -1
	o.Extras = []Extra{{Name: "md", Accept: "text/markdown"}}
	s := crawlOne(t, Target{URLs: []string{srv.URL + "/fail", srv.URL + "/ok"}}, o)
	m := pageMap(s)
	if p := m["/fail"]; p == nil || p.Error == "" {
		t.Fatalf("/fail: %+v, want a failed fetch", p)
	}
	if p := m["/ok"]; p == nil || p.Variant("md") == nil {
		t.Errorf("/ok has no variant after the first page failed: %+v", p)
	}
}
