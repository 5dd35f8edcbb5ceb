package main

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/agentready/agentready/audit"
	"github.com/agentready/agentready/generate"
	"github.com/agentready/agentready/internal/options"
	"github.com/agentready/agentready/lint"
	"github.com/agentready/agentready/report"
	"github.com/spf13/cobra"
	"gopkg.in/yaml.v3"
)

// configNames are the file names looked for, in order, in each directory
// from the working directory up to the repository root.
var configNames = []string{".agentready.yaml", ".agentready.yml"}

// maxConfigSize bounds the config file: it is read whole.
const maxConfigSize = 1 << 20

// Config is .agentready.yaml: one file for every command, one section each.
// Decoding is strict: an unknown key or a value of the wrong type is an
// error naming the file, the line and the key.
type Config struct {
	Lint     lint.Config     `yaml:"lint"`
	Audit    audit.Config    `yaml:"audit"`
	Generate generate.Config `yaml:"generate"`
}

// loadedConfig is the config a run uses and where it came from.
type loadedConfig struct {
	Config
	// Path is the file it was read from, as shown to the user; empty when
	// there is none (no file found, or --no-config).
	Path string
	// AsWritten is the file's config with its paths as written (relative
	// to its directory); Config has them relative to the working
	// directory (see rebase). `agentready config` prints this one.
	AsWritten Config
	// root is the file's YAML, which says which keys it sets (nil when
	// there is no file, or it is empty).
	root *yaml.Node
}

// merge fills the settings of cfg (bound to the command's flags by
// options.Bind) that the config file's section sets and the command line
// does not, from file (the section as decoded).
func (c *loadedConfig) merge(cmd *cobra.Command, cfg, file any, section ...string) {
	options.Merge(cmd.Flags(), cfg, file, func(key string) bool {
		return options.Has(c.root, append(section, key)...)
	})
}

// validate checks the file's sections as the commands check them
// (lint.Config.Validate, audit.Config.Validate, generate.Config.Validate),
// over the defaults a command starts from, so that `agentready config`
// calls valid only a file every command runs with.
func (c *loadedConfig) validate(cmd *cobra.Command) error {
	lo, ao := lint.DefaultConfig(), audit.DefaultConfig()
	c.merge(cmd, &lo, &c.Lint, "lint")
	c.merge(cmd, &ao, &c.Audit, "audit")
	if err := errors.Join(lo.Validate(), ao.Validate(), c.Generate.Validate()); err != nil {
		return fmt.Errorf("%s: %w", c.Path, err)
	}
	return nil
}

// config returns the run's config, loading it on first use: --config FILE,
// else $AGENTREADY_CONFIG, else .agentready.yaml (or .yml) found by walking up
// from the working directory to the repository root (the directory holding
// .git). --no-config skips all of them. A file named by --config or
// AGENTREADY_CONFIG must exist. Commands call it in their RunE, so a broken
// config does not stop `agentready version`.
func (g *globalOpts) config() (*loadedConfig, error) {
	if g.cfg != nil {
		return g.cfg, nil
	}
	if g.noConfig {
		g.cfg = &loadedConfig{}
		return g.cfg, nil
	}
	path, err := g.findConfig()
	if err != nil {
		return nil, err
	}
	if path == "" {
		g.logf("no config file found")
		g.cfg = &loadedConfig{}
		return g.cfg, nil
	}
	data, err := options.ReadFile(path, maxConfigSize)
	if err != nil {
		return nil, err
	}
	shown := options.DisplayPath(path)
	cfg, root, err := decodeConfig(shown, data)
	if err != nil {
		return nil, err
	}
	g.logf("config: %s", shown)
	asWritten := *cfg
	if again, err := parseConfig(shown, data); err == nil {
		asWritten = *again // rebase below rewrites cfg's ignore slices in place
	}
	if abs, err := filepath.Abs(path); err == nil {
		if wd, err := os.Getwd(); err == nil {
			cfg.rebase(filepath.Dir(abs), wd)
		}
	}
	g.cfg = &loadedConfig{Config: *cfg, Path: shown, AsWritten: asWritten, root: root}
	return g.cfg, nil
}

// rebase makes the config's relative paths, written relative to the
// config file's directory (dir), relative to the working directory (wd),
// which is how file names reach the commands: ignore paths with a slash
// (a pattern without one matches base names anywhere, and one starting
// with "**/" matches at any depth) and the generate targets' out
// directories. Run from specs/, "specs/legacy/**" becomes "legacy/**".
func (c *Config) rebase(dir, wd string) {
	if dir == wd {
		return
	}
	rel := options.Rebaser(dir, wd)
	for _, igs := range [][]report.Ignore{c.Lint.Ignore, c.Audit.Ignore, c.Generate.Ignore} {
		for i := range igs {
			p := igs[i].Path
			if !strings.Contains(p, "/") || strings.HasPrefix(p, "**/") {
				continue
			}
			igs[i].Path = rel(p)
		}
	}
	options.RebasePaths(c, rel)
}

func (g *globalOpts) findConfig() (string, error) {
	if g.configPath != "" {
		return g.configPath, nil
	}
	if p := g.getenv("AGENTREADY_CONFIG"); p != "" {
		return p, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("finding the config file: %w", err)
	}
	return options.FindUp(wd, configNames...), nil
}

// parseConfig decodes a config file strictly (options.DecodeYAML). name is
// used in messages, which read "name:line: what is wrong"; several
// problems are reported together, one a line.
func parseConfig(name string, data []byte) (*Config, error) {
	cfg, _, err := decodeConfig(name, data)
	return cfg, err
}

// decodeConfig is parseConfig that also returns the file's root node,
// which says which keys the file sets.
func decodeConfig(name string, data []byte) (*Config, *yaml.Node, error) {
	var cfg Config
	root, err := options.DecodeYAML(name, data, &cfg)
	if err != nil || root == nil {
		return &cfg, nil, err
	}
	var errs []string
	for _, s := range []struct {
		key string
		p   report.Policy
	}{{"lint", cfg.Lint.Policy}, {"audit", cfg.Audit.Policy}, {"generate", cfg.Generate.Policy}} {
		for _, rule := range slices.Sorted(maps.Keys(s.p.Severity)) {
			v := s.p.Severity[rule]
			if v == report.Off {
				continue
			}
			if _, err := report.ParseSeverity(v); err != nil {
				line := options.LineOf(root, s.key, "severity", rule)
				errs = append(errs, fmt.Sprintf("%s:%d: %s.severity.%s: unknown severity %q (want error, warning, info, hint or off)", name, line, s.key, rule, v))
			}
		}
	}
	if len(errs) > 0 {
		return nil, nil, errors.New(strings.Join(errs, "\n"))
	}
	return &cfg, root, nil
}
