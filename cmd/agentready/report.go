package main

import (
	"github.com/agentready/agentready/audit/merge"
	"github.com/spf13/cobra"
)

func newReportCmd(g *globalOpts) *cobra.Command {
	cmd := &cobra.Command{Use: "report", Short: "Work with the reports other runs wrote"}
	mergeCmd := &cobra.Command{
		Use:   "merge [flags] FILE...",
		Short: "Merge the json reports of many audits (the shards of a --urls run) into one",
		Long: `Merge audit reports (the JSON lines of --urls runs and whole -f json reports)
into one: a row per site, the distribution of scores and each check's pass
rate. A shard missing or cut short is an error, a site read twice a warning.`,
		Example: "  agentready report merge shard-*.jsonl -f html=index.html -f json=all.json -f markdown",
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			rep, err := merge.Files(args)
			if err != nil {
				return err
			}
			return g.emit(rep)
		},
	}
	g.printsReports(mergeCmd, merge.Printers())
	cmd.AddCommand(mergeCmd)
	return cmd
}
