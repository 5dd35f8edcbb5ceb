package robots

import (
	"fmt"
	"strings"
	"testing"
)

// BenchmarkCheck answers for one URL against a large robots.txt (200
// groups, 20 rules each, wildcards included), as the access matrix does
// for every AI crawler token.
func BenchmarkCheck(b *testing.B) {
	var sb strings.Builder
	for g := range 200 {
		fmt.Fprintf(&sb, "User-agent: Bot%d\n", g)
		for r := range 20 {
			fmt.Fprintf(&sb, "Disallow: /section%d/*/page%d$\nAllow: /section%d/public%d\n", r, g, r, g)
		}
	}
	sb.WriteString("User-agent: *\nDisallow: /private/\n")
	r := Parse([]byte(sb.String()))
	b.ReportAllocs()
	for b.Loop() {
		r.Check("Bot150", "https://example.com/section7/a/b/c/page150")
		r.Check("GPTBot", "https://example.com/private/x")
	}
}

func BenchmarkParse(b *testing.B) {
	var sb strings.Builder
	for g := range 200 {
		fmt.Fprintf(&sb, "User-agent: Bot%d\nCrawl-delay: 1\n", g)
		for r := range 20 {
			fmt.Fprintf(&sb, "Disallow: /section%d/*/page%d$\n", r, g)
		}
	}
	data := []byte(sb.String())
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		Parse(data)
	}
}
