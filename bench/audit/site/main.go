// Command site serves the synthetic site of the crawl benchmark on
// loopback: -pages pages of about 30 KB each, every response delayed by
// -latency, linked as a realistic site is (a home page, sections, a tree of
// articles with prev/next, related links and a shared navigation), so that
// every page is reachable from the home page.
package main

import (
	"flag"
	"fmt"
	"hash/fnv"
	"log"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"
)

func main() {
	pages := flag.Int("pages", 5000, "number of pages")
	latency := flag.Duration("latency", 20*time.Millisecond, "delay before every response")
	addr := flag.String("addr", "127.0.0.1:0", "listen address")
	flag.Parse()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	// The runner reads the URL from the first line of stdout.
	fmt.Printf("http://%s/\n", ln.Addr())
	os.Stdout.Sync()
	filler := strings.Repeat("<p>Machine-readable pages help agents and search engines understand a site. "+
		"This paragraph is filler text of a realistic size for an article body, repeated to about thirty kilobytes.</p>\n", 200)[:27000]
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(*latency)
		switch r.URL.Path {
		case "/robots.txt":
			w.Header().Set("Content-Type", "text/plain")
			fmt.Fprint(w, "User-agent: *\nAllow: /\n")
			return
		case "/":
			page(w, 0, *pages, filler)
			return
		}
		n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/p/"), ".html"))
		if err != nil || n <= 0 || n >= *pages || !strings.HasPrefix(r.URL.Path, "/p/") {
			http.NotFound(w, r)
			return
		}
		page(w, n, *pages, filler)
	})
	log.Fatal(http.Serve(ln, h))
}

func href(n int) string {
	if n == 0 {
		return "/"
	}
	return fmt.Sprintf("/p/%d.html", n)
}

// page writes page n: navigation to 10 section pages, its parent and
// children in a 10-ary tree, prev/next, and 8 related pages picked by hash.
func page(w http.ResponseWriter, n, total int, filler string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	var b strings.Builder
	fmt.Fprintf(&b, "<!doctype html><html lang=en><head><meta charset=utf-8><title>Page %d</title>"+
		"<link rel=canonical href=%q><meta name=description content=\"Synthetic page %d\"></head><body><nav>", n, href(n), n)
	for s := 1; s <= 10 && s < total; s++ {
		fmt.Fprintf(&b, "<a href=%q>Section %d</a> ", href(s), s)
	}
	b.WriteString("</nav><main><h1>Page ")
	b.WriteString(strconv.Itoa(n))
	b.WriteString("</h1>")
	links := []int{n / 10}
	for c := n*10 + 1; c <= n*10+10 && c < total; c++ {
		if c != n {
			links = append(links, c)
		}
	}
	if n > 0 {
		links = append(links, n-1)
	}
	if n+1 < total {
		links = append(links, n+1)
	}
	h := fnv.New32a()
	for i := range 8 {
		fmt.Fprintf(h, "%d/%d", n, i)
		links = append(links, int(h.Sum32()%uint32(total)))
	}
	b.WriteString("<ul>")
	for _, l := range links {
		fmt.Fprintf(&b, "<li><a href=%q>Page %d</a></li>", href(l), l)
	}
	b.WriteString("</ul><article>")
	b.WriteString(filler)
	b.WriteString("</article></main><footer><a href=\"/\">Home</a></footer></body></html>\n")
	w.Write([]byte(b.String()))
}
