package main

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/agentready/agentready/audit/crawl"
	"github.com/agentready/agentready/internal/options"
	"github.com/spf13/cobra"
	"gopkg.in/yaml.v3"
)

func newConfigCmd(g *globalOpts) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Check the config file and print the settings in effect",
		Long: `Find the config file (--config, $AGENTREADY_CONFIG, or .agentready.yaml from
the working directory up to the repository root), check it as the commands
do and print the settings in effect as YAML. An unknown key or a value of the
wrong type exits 2 with the file, line and key; an unknown rule or check ID
with the closest known one.

Example .agentready.yaml:

  lint:
    severity:
      operation-id-required: error   # a rule ID or a category; "off" drops it
    ignore:
      - rule: operation-description
        path: specs/legacy/**
        reason: frozen API
  audit:
    ignore:
      - path: https://example.com/old/**`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := g.config()
			if err != nil {
				return err
			}
			if err := cfg.validate(cmd); err != nil {
				return err
			}
			switch {
			case g.noConfig:
				fmt.Fprintln(g.stderr, "agentready: --no-config: using defaults")
			case cfg.Path == "":
				fmt.Fprintln(g.stderr, "agentready: no config file found: using defaults")
			default:
				fmt.Fprintf(g.stderr, "agentready: %s is valid\n", cfg.Path)
			}
			shown := cfg.Config
			if cfg.Path != "" {
				shown = cfg.AsWritten // its paths as the file has them
			}
			var doc yaml.Node
			if err := doc.Encode(shown); err != nil {
				return err
			}
			options.FillDefaults(&doc, func(section, key string) string { return configDefault(cmd.Root(), section, key) })
			var b bytes.Buffer
			enc := yaml.NewEncoder(&b)
			enc.SetIndent(2)
			if err := enc.Encode(&doc); err != nil {
				return err
			}
			return g.writeOutput(g.outputs[0], b.Bytes())
		},
	}
	g.formatFlag(cmd, "text")
	return cmd
}

// configDefault is the default of a setting: that of the command flag of
// the same name, or "" when there is none.
func configDefault(root *cobra.Command, section, key string) string {
	switch section + "." + key {
	case "lint.extends":
		return "recommended" // the flag's own default is empty, meaning "the config's"
	case "audit.user-agent":
		return crawl.DefaultUserAgent(buildInfo().Version)
	}
	// A section is named as its command is: generate.go for generate go.
	if c, _, err := root.Find(strings.Split(section, ".")); err == nil && c != root && c.Name() == section[strings.LastIndex(section, ".")+1:] {
		if f := c.Flags().Lookup(key); f != nil {
			return f.DefValue
		}
	}
	return ""
}
