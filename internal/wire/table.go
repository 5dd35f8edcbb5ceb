package wire

import (
	"fmt"
	"io"
	"text/tabwriter"
)

// WriteTable prints one row a result and then each result's first
// failures, at most max of them (all when max < 0).
func WriteTable(w io.Writer, results []*Result, max int) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "spec\toperations\trequests valid\tresponses decoded\tbuild\tcalls\t")
	var ops, req, dec int
	for _, r := range results {
		ops, req, dec = ops+r.Operations, req+r.RequestsValid, dec+r.ResponsesDecoded
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%.1fs\t%.1fs\t\n", r.Spec, r.Operations, pct(r.RequestsValid, r.Operations), pct(r.ResponsesDecoded, r.Operations), r.Build.Seconds(), r.Calls.Seconds())
	}
	if len(results) > 1 {
		fmt.Fprintf(tw, "all\t%d\t%s\t%s\t\t\t\n", ops, pct(req, ops), pct(dec, ops))
	}
	if err := tw.Flush(); err != nil {
		return err
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
