package main

import (
	"bytes"
	"fmt"
	"strconv"

	"github.com/agentready/agentready/audit/crawl"
	"github.com/spf13/cobra"
	"gopkg.in/yaml.v3"
)

func newConfigCmd(g *globalOpts) *cobra.Command {
	cmd := &cobra.Command{
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
		Args: cobra.NoArgs,
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
			shown := cfg.Config
			if cfg.Path != "" {
				shown = cfg.AsWritten // its paths as the file has them
			}
			var doc yaml.Node
			if err := doc.Encode(shown); err != nil {
				return err
			}
			fillDefaults(cmd.Root(), &doc)
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

// configSections maps the config's sections to the commands whose flags
// they set.
var configSections = map[string][]string{
	"lint":           {"lint"},
	"audit":          {"audit"},
	"generate.go":    {"generate", "go"},
	"generate.tools": {"generate", "tools"},
	"generate.mcp":   {"generate", "mcp"},
}

// presetDefault is lint's preset when neither the flag nor the config
// names one (the flag's own default is empty, meaning "the config's").
const presetDefault = "recommended"

// fillDefaults writes, in the encoded config n, the default of every
// setting the file leaves unset: the default of the command flag of the
// same name, marked with a "# default" comment. So `agentready config`
// prints the settings in effect, not nulls.
func fillDefaults(root *cobra.Command, n *yaml.Node) {
	var walk func(n *yaml.Node, section string)
	walk = func(n *yaml.Node, section string) {
		if n.Kind == yaml.DocumentNode {
			for _, c := range n.Content {
				walk(c, section)
			}
			return
		}
		if n.Kind != yaml.MappingNode {
			return
		}
		var cmd *cobra.Command
		if path, ok := configSections[section]; ok {
			if c, _, err := root.Find(path); err == nil && c != root {
				cmd = c
			}
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			key := k.Value
			if section != "" {
				key = section + "." + k.Value
			}
			if v.Kind == yaml.MappingNode {
				walk(v, key)
				continue
			}
			if cmd == nil || v.Kind != yaml.ScalarNode || !unsetScalar(v) {
				continue
			}
			def := ""
			if f := cmd.Flags().Lookup(k.Value); f != nil {
				def = f.DefValue
			}
			switch key {
			case "lint.extends":
				def = presetDefault
			case "audit.user-agent":
				def = crawl.DefaultUserAgent(buildInfo().Version)
			}
			if def == "" || def == "0" || def == "false" || def == "[]" || def == v.Value {
				continue
			}
			v.Tag, v.Value, v.Style = "", def, 0
			if _, err := strconv.ParseFloat(def, 64); err != nil {
				v.Tag = "!!str"
			}
			v.LineComment = "default"
		}
	}
	walk(n, "")
}

// unsetScalar reports whether an encoded setting is its zero value: null,
// "", 0 or false.
func unsetScalar(v *yaml.Node) bool {
	switch v.ShortTag() {
	case "!!null":
		return true
	case "!!str":
		return v.Value == ""
	case "!!int", "!!float":
		f, err := strconv.ParseFloat(v.Value, 64)
		return err == nil && f == 0
	}
	return false
}
