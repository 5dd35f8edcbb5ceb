package checks

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
)

// CheckInfo is one check of the registry as --list-checks prints it.
type CheckInfo struct {
	ID       string   `json:"id"`
	Title    string   `json:"title"`
	Category Category `json:"category"`
	Weight   float64  `json:"weight"`
	Severity string   `json:"severity"`
	Since    string   `json:"since"`
	// OptIn is the profile that must be asked for, when any.
	OptIn Profile `json:"optIn,omitempty"`
	// Render is true for the checks that run only with --render.
	Render      bool         `json:"render,omitempty"`
	HostOnly    bool         `json:"hostOnly,omitempty"`
	Equivalents []Equivalent `json:"equivalents"`
	Doc         string       `json:"helpUri"`
}

// Registry describes every scored check, in report order, the checks of
// --render included (marked Render).
func Registry() []CheckInfo {
	out := make([]CheckInfo, 0, len(registry)+len(renderRegistry))
	for _, c := range sortChecks(slices.Concat(registry, renderRegistry)) {
		eq := c.Equivalents
		if eq == nil {
			eq = []Equivalent{}
		}
		out = append(out, CheckInfo{ID: c.ID, Title: c.Title, Category: c.Category, Weight: c.Weight, Severity: c.Severity.String(),
			Since: c.Since, OptIn: c.OptIn, Render: slices.Contains(renderRegistry, c), HostOnly: c.HostOnly, Equivalents: eq, Doc: c.HelpURI()})
	}
	return out
}

// ListChecks writes the registry (--list-checks) as "text" (a table) or
// "json" (an array of CheckInfo).
func ListChecks(w io.Writer, format string) error {
	switch format {
	case "json":
		b, err := json.MarshalIndent(Registry(), "", "  ")
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(w, "%s\n", b)
		return err
	case "text", "":
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "CHECK\tCATEGORY\tWEIGHT\tSEVERITY\tEQUIVALENTS")
		for _, c := range Registry() {
			var eq []string
			for _, e := range c.Equivalents {
				eq = append(eq, e.Tool+": "+e.ID)
			}
			id := c.ID
			if c.OptIn != "" {
				id += " (--profile " + string(c.OptIn) + ")"
			}
			if c.Render {
				id += " (--render)"
			}
			fmt.Fprintf(tw, "%s\t%s\t%g\t%s\t%s\n", id, c.Category, c.Weight, c.Severity, orDash(strings.Join(eq, "; ")))
		}
		return tw.Flush()
	}
	return fmt.Errorf("--list-checks: %q is not text or json", format)
}
