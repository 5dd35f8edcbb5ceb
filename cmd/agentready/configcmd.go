package main

import (
	"bytes"
	"fmt"

	"github.com/spf13/cobra"
	"gopkg.in/yaml.v3"
)

func newConfigCmd(g *globalOpts) *cobra.Command {
	return &cobra.Command{
		Use:   "config",
		Short: "Check the config file and print the settings in effect",
		Long: `Find the config file (--config, $AGENTREADY_CONFIG, or .agentready.yaml from
the working directory up to the repository root), check it strictly and print
the settings in effect as YAML. An unknown key or a value of the wrong type
exits 2 with the file, line and key.

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
		Args:        cobra.NoArgs,
		Annotations: map[string]string{formatsAnnotation: "text"},
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := g.config()
			if err != nil {
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
			var b bytes.Buffer
			enc := yaml.NewEncoder(&b)
			enc.SetIndent(2)
			if err := enc.Encode(cfg.Config); err != nil {
				return err
			}
			return g.writeOutput(g.outputs[0], b.Bytes())
		},
	}
}
