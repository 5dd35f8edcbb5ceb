package generate

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	genmcp "github.com/agentready/agentready/generate/mcp"
	"github.com/agentready/agentready/generate/tools"
	"github.com/agentready/agentready/generate/wellknown"
	"github.com/agentready/agentready/internal/options"
	"github.com/agentready/agentready/report"
)

// WellKnownConfig is `generate well-known`: the generate.well-known:
// section of the config and the command's flags.
type WellKnownConfig struct {
	Out        string `yaml:"out" flag:"out" short:"o" arg:"DIR" path:"" help:"site root DIR to write the documents into (default from config generate.well-known.out)"`
	MCPURL     string `yaml:"mcp-url" flag:"mcp-url" arg:"URL" help:"the MCP server's streamable HTTP endpoint (https://api.example.com/mcp)"`
	SpecURL    string `yaml:"spec-url" flag:"spec-url" arg:"URL" help:"where the OpenAPI description is published (listed in the AI Catalog and llms.txt)"`
	Name       string `yaml:"name" flag:"name" arg:"NAME" help:"server NAME, as for generate mcp (default: the API title in kebab-case + -mcp)"`
	ToolMode   string `yaml:"tool-mode" flag:"tool-mode" arg:"MODE" help:"the server's tool mode, as for generate mcp (the card lists what tools/list shows)"`
	OAuth      bool   `yaml:"oauth" flag:"oauth" help:"the endpoint requires a bearer token (the server runs with its OAuth variables set)"`
	Selection  `yaml:",inline"`
	SpecConfig `yaml:",inline"`
}

// RunWellKnown writes the server card, the AI Catalog and the llms.txt
// section of the MCP server generate mcp makes for the spec at src into
// the site root cfg.Out (an llms.txt there gets the section added).
func RunWellKnown(ctx context.Context, src string, cfg WellKnownConfig) (*report.Report, error) {
	if cfg.Out == "" {
		return nil, options.Invalidf("-o DIR is required (or generate.well-known.out in the config)")
	}
	if cfg.MCPURL == "" {
		return nil, options.Invalidf("--mcp-url is required: the server's streamable HTTP endpoint")
	}
	mode, err := tools.ParseMode(cfg.ToolMode)
	if err != nil {
		return nil, options.Invalidf("--tool-mode: %v", err)
	}
	start := time.Now()
	doc, api, findings, inc, exc, err := cfg.loadSelected(ctx, src, cfg.Selection)
	if err != nil {
		return nil, err
	}
	name := cfg.Name
	if name == "" {
		name = genmcp.DefaultName(api)
	}
	l, err := genmcp.List(api, genmcp.Options{Include: inc, Exclude: exc, Mode: mode})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", doc.Name, err)
	}
	old, err := os.ReadFile(filepath.Join(cfg.Out, "llms.txt"))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	files, err := wellknown.Generate(api, wellknown.Options{MCPURL: cfg.MCPURL, SpecURL: cfg.SpecURL, Name: name, Listed: l.Listed, AuthRequired: cfg.OAuth, LLMS: old})
	if err != nil {
		return nil, options.Invalidf("%v", err)
	}
	var names []string
	for _, f := range files {
		p := filepath.Join(cfg.Out, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(p, f.Content, 0o644); err != nil {
			return nil, err
		}
		names = append(names, f.Name)
	}
	cfg.logf("wrote %s to %s", strings.Join(names, ", "), cfg.Out)
	locateIn(doc, findings)
	rep := &report.Report{Command: "generate well-known", Targets: []string{src}, Rules: Rules(), Findings: findings}
	rep.Stats = append(rep.Stats,
		report.Stat{Name: "operations", Value: int64(len(l.Tools.Tools))},
		report.Stat{Name: "tools listed", Value: int64(len(l.Listed.Tools))},
		report.Stat{Name: "files written", Value: int64(len(files))},
	)
	return cfg.processed(rep, start)
}
