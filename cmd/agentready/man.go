package main

import (
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
)

// newManCmd writes man pages for every command. It is hidden: the release
// build runs it (scripts/gen-docs.sh) to ship agentready.1 and friends.
func newManCmd(g *globalOpts) *cobra.Command {
	return &cobra.Command{
		Use:    "man DIR",
		Short:  "Write man pages for every command into DIR",
		Hidden: true,
		Args:   cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := args[0]
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return err
			}
			root := cmd.Root()
			root.DisableAutoGenTag = true // keep the pages reproducible
			hdr := &doc.GenManHeader{Title: "AGENTREADY", Section: "1", Source: "agentready " + buildInfo().Version, Manual: "agentready manual"}
			// Reproducible pages: the date comes from SOURCE_DATE_EPOCH
			// (https://reproducible-builds.org/specs/source-date-epoch/) when set.
			if s := g.getenv("SOURCE_DATE_EPOCH"); s != "" {
				sec, err := strconv.ParseInt(s, 10, 64)
				if err != nil {
					return fmt.Errorf("SOURCE_DATE_EPOCH=%q: not a number of seconds", s)
				}
				t := time.Unix(sec, 0).UTC()
				hdr.Date = &t
			}
			if err := doc.GenManTree(root, hdr, dir); err != nil {
				return fmt.Errorf("writing man pages: %w", err)
			}
			g.logf("wrote man pages to %s", dir)
			return nil
		},
	}
}
