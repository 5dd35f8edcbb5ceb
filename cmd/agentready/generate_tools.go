package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/agentready/agentready/generate"
	"github.com/agentready/agentready/generate/ir"
	genmcp "github.com/agentready/agentready/generate/mcp"
	"github.com/agentready/agentready/generate/tools"
	"github.com/agentready/agentready/internal/specload"
	"github.com/agentready/agentready/report"
)

// specFlags are the spec-loading flags generate tools and generate mcp share.
type specFlags struct {
	include, exclude []string
	allowRemoteRefs  bool
	allowOutsideRefs bool
	noValidate       bool
	maxSize          int64
}

func (s *specFlags) register(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringArrayVar(&s.include, "include", nil, "select operations: `SEL` is tag:NAME, path:GLOB, method:GET or op:ID (repeatable; a bare /path, method or name works too)")
	f.StringArrayVar(&s.exclude, "exclude", nil, "leave out operations matching `SEL` (repeatable, same syntax as --include)")
	f.BoolVar(&s.allowRemoteRefs, "allow-remote-refs", false, "let $refs fetch http(s) URLs")
	f.BoolVar(&s.allowOutsideRefs, "allow-outside-refs", false, "let $refs read files outside the spec's directory")
	f.BoolVar(&s.noValidate, "no-validate", false, "skip the spec validation pass and its warnings")
	f.Int64Var(&s.maxSize, "max-size", specload.DefaultMaxBytes>>20, "largest spec to read, in `MiB`")
}

// parseSelection parses the --include and --exclude selectors.
func parseSelection(path string, include, exclude []string) (inc, exc []tools.Selector, err error) {
	if inc, err = parseSelectors(path, "include", include); err != nil {
		return nil, nil, err
	}
	if exc, err = parseSelectors(path, "exclude", exclude); err != nil {
		return nil, nil, err
	}
	return inc, exc, nil
}

func parseSelectors(cmdPath, flag string, raw []string) ([]tools.Selector, error) {
	var out []tools.Selector
	for _, r := range raw {
		s, err := tools.ParseSelector(r)
		if err != nil {
			return nil, usageErrorf(cmdPath, "--%s: %v", flag, err)
		}
		out = append(out, s)
	}
	return out, nil
}

// loadIR loads the spec and builds the IR, returning the spec's validation
// problems and the IR's approximations as findings.
func loadIR(ctx context.Context, g *globalOpts, s *specFlags, src string) (*specload.Document, *ir.API, []report.Finding, error) {
	g.logf("loading %s", src)
	doc, err := specload.Load(ctx, src, g.stdin, specload.Options{
		AllowRemoteRefs: s.allowRemoteRefs, AllowOutsideRefs: s.allowOutsideRefs, MaxBytes: s.maxSize << 20,
	})
	if err != nil {
		if ctx.Err() != nil {
			return nil, nil, nil, ctx.Err()
		}
		return nil, nil, nil, specError(err)
	}
	api, err := ir.Build(doc.Spec, genmcp.IROptions())
	if err != nil {
		return nil, nil, nil, err
	}
	var fs []report.Finding
	if !s.noValidate {
		for _, p := range doc.Validate(ctx) {
			fs = append(fs, report.Finding{RuleID: generate.SpecInvalid.ID, Severity: generate.SpecInvalid.Severity, Message: p.Message, Location: report.Location{File: doc.Name, Pointer: p.Pointer}})
		}
	}
	for _, w := range api.Warnings {
		fs = append(fs, report.Finding{RuleID: generate.Approximation.ID, Severity: generate.Approximation.Severity, Message: w.Message, Location: report.Location{File: doc.Name, Pointer: w.Pointer}})
	}
	return doc, api, fs, ctx.Err()
}

// locateFindings fills lines and columns from pointers.
func locateFindings(doc *specload.Document, fs []report.Finding) {
	var ptrs []string
	for _, f := range fs {
		if f.Location.Pointer != "" && f.Location.File == doc.Name {
			ptrs = append(ptrs, f.Location.Pointer)
		}
	}
	if len(ptrs) == 0 {
		return
	}
	pos := doc.Locate(ptrs)
	for i := range fs {
		if p, ok := pos[fs[i].Location.Pointer]; ok && fs[i].Location.File == doc.Name {
			fs[i].Location.Line, fs[i].Location.Column = p.Line, p.Column
		}
	}
}

type generateToolsOpts struct {
	specFlags
	target   string
	strict   bool
	maxTools int
	out      string
}

func newGenerateToolsCmd(g *globalOpts) *cobra.Command {
	o := &generateToolsOpts{}
	cmd := &cobra.Command{
		Use:   "tools [flags] SPEC --for openai|anthropic|gemini|mcp",
		Short: "Generate LLM tool definitions (OpenAI, Anthropic, Gemini, MCP)",
		Long: `Generate tool definitions for an LLM API from an OpenAPI spec: one tool per
operation, with a name valid for the target, a description cleaned of Markdown
and within the target's limit, and one input schema that merges path, query,
header and cookie parameters with the request body (integers stay integers;
formats, enums and descriptions are kept; readOnly properties are dropped).

The JSON is the value of the request's "tools" field (OpenAI Chat Completions,
Anthropic Messages, Gemini generateContent) or, for --for mcp, the result of
MCP's tools/list with titles, annotations and output schemas. It goes to
stdout, and the findings about the spec and the tools to stderr; with -o FILE
the JSON goes to FILE and the findings to stdout.

--strict writes OpenAI structured-output and Anthropic strict schemas (every
object closed; for OpenAI, optional properties become required and nullable),
and Gemini's OpenAPI-subset "parameters" instead of "parametersJsonSchema".
--max-tools N folds the largest tags into one tool each until N tools remain.`,
		Example: `  agentready generate tools openapi.yaml --for openai --strict -o tools.json
  agentready generate tools github.json --for anthropic --include tag:issues --exclude method:DELETE
  agentready generate tools github.json --for openai --max-tools 128`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runGenerateTools(cmd, g, o, args[0])
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.target, "for", "", "target: `openai`, anthropic, gemini or mcp (default from config generate.tools.for)")
	f.BoolVar(&o.strict, "strict", false, "use the target's strict mode")
	f.IntVar(&o.maxTools, "max-tools", 0, "at most `N` tools: fold the largest tags into one tool each")
	f.StringVarP(&o.out, "out", "o", "", "write the JSON to `FILE` instead of stdout")
	o.register(cmd)
	cmd.RegisterFlagCompletionFunc("for", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		var out []string
		for _, t := range tools.Targets {
			out = append(out, string(t))
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	})
	return cmd
}

func runGenerateTools(cmd *cobra.Command, g *globalOpts, o *generateToolsOpts, src string) error {
	path := cmd.CommandPath()
	cfg, err := g.config()
	if err != nil {
		return err
	}
	tc := cfg.Generate.Tools
	if o.target == "" {
		o.target = tc.For
	}
	if !cmd.Flags().Changed("strict") && tc.Strict {
		o.strict = true
	}
	if o.maxTools == 0 {
		o.maxTools = tc.MaxTools
	}
	if o.out == "" {
		o.out = tc.Out
	}
	if len(o.include) == 0 {
		o.include = tc.Include
	}
	if len(o.exclude) == 0 {
		o.exclude = tc.Exclude
	}
	if o.target == "" {
		return usageErrorf(path, "--for is required: openai, anthropic, gemini or mcp")
	}
	target, err := tools.ParseTarget(o.target)
	if err != nil {
		return usageErrorf(path, "--for: %v", err)
	}
	if o.maxTools < 0 {
		return usageErrorf(path, "--max-tools must be positive")
	}
	inc, exc, err := parseSelection(path, o.include, o.exclude)
	if err != nil {
		return err
	}
	start := time.Now()
	ctx := cmd.Context()
	doc, api, findings, err := loadIR(ctx, g, &o.specFlags, src)
	if err != nil {
		return err
	}
	set, err := tools.Build(api, tools.Options{Target: target, Strict: o.strict, Include: inc, Exclude: exc, MaxTools: o.maxTools})
	if err != nil {
		return fmt.Errorf("%s: %w", doc.Name, err)
	}
	raw, err := set.Marshal()
	if err != nil {
		return err
	}
	rg := *g
	if o.out == "" || o.out == "-" {
		if _, err := g.stdout.Write(raw); err != nil {
			return fmt.Errorf("writing tools to stdout: %w", err)
		}
		// The JSON owns stdout; the report goes to stderr.
		rg.stdout = g.stderr
	} else {
		if err := writeFileAtomic(o.out, func(w io.Writer) error { _, err := w.Write(raw); return err }); err != nil {
			return fmt.Errorf("writing %s: %w", o.out, err)
		}
		g.logf("wrote %d %s tools to %s", len(set.Tools), target, o.out)
	}
	findings = append(findings, set.Findings(doc.Name)...)
	locateFindings(doc, findings)
	strict := 0
	for _, t := range set.Tools {
		if t.Strict {
			strict++
		}
	}
	rep := &report.Report{Command: "generate tools", Targets: []string{src}, Rules: append(generate.Rules(), tools.Rules()...), Findings: findings}
	rep.Stats = append(rep.Stats,
		report.Stat{Name: "operations", Value: int64(len(api.Operations))},
		report.Stat{Name: "tools", Value: int64(len(set.Tools))},
		report.Stat{Name: "strict tools", Value: int64(strict)},
		report.Stat{Name: "bytes", Value: int64(len(raw))},
	)
	rep.Duration = time.Since(start)
	return rg.emit(rep, cfg.Generate.Policy)
}

type generateMCPOpts struct {
	specFlags
	out, module, name, envPrefix string
}

func newGenerateMCPCmd(g *globalOpts) *cobra.Command {
	o := &generateMCPOpts{}
	cmd := &cobra.Command{
		Use:   "mcp [flags] SPEC -o DIR",
		Short: "Generate a runnable MCP server (Go, official MCP SDK)",
		Long: `Generate a Go module for an MCP server that exposes an API as tools, one per
operation, built on the official MCP Go SDK and a generated typed Go client.
The server speaks stdio (default) or streamable HTTP (-http ADDR), reads the
API's base URL and credentials (API keys, HTTP basic or bearer, OAuth2 client
credentials) from environment variables, validates arguments against each
tool's input schema, and returns responses as structured content plus text;
API errors and invalid arguments come back as results with isError: true.

DIR gets go.mod, go.sum, main.go, handlers.go, tools.json, README.md and the
client package. Build it with "go build" in DIR; README.md lists the
environment variables and how to add the server to an MCP client.`,
		Example: `  agentready generate mcp petstore.yaml -o ./petstore-mcp
  agentready generate mcp github.json -o ./github-mcp --include tag:issues --env-prefix GITHUB`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runGenerateMCP(cmd, g, o, args[0])
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.out, "out", "o", "", "output `DIR` (default from config generate.mcp.out)")
	f.StringVar(&o.module, "module", "", "module `PATH` of the server (default example.com/NAME)")
	f.StringVar(&o.name, "name", "", "server `NAME` (default: the API title in kebab-case + -mcp)")
	f.StringVar(&o.envPrefix, "env-prefix", "", "`PREFIX` of the environment variables (default: the API title in upper snake case)")
	o.register(cmd)
	return cmd
}

func runGenerateMCP(cmd *cobra.Command, g *globalOpts, o *generateMCPOpts, src string) error {
	path := cmd.CommandPath()
	cfg, err := g.config()
	if err != nil {
		return err
	}
	mc := cfg.Generate.MCP
	for _, d := range []struct {
		dst *string
		def string
	}{{&o.out, mc.Out}, {&o.module, mc.Module}, {&o.name, mc.Name}, {&o.envPrefix, mc.EnvPrefix}} {
		if *d.dst == "" {
			*d.dst = d.def
		}
	}
	if len(o.include) == 0 {
		o.include = mc.Include
	}
	if len(o.exclude) == 0 {
		o.exclude = mc.Exclude
	}
	if o.out == "" {
		return usageErrorf(path, "-o DIR is required (or generate.mcp.out in the config)")
	}
	inc, exc, err := parseSelection(path, o.include, o.exclude)
	if err != nil {
		return err
	}
	start := time.Now()
	ctx := cmd.Context()
	doc, api, findings, err := loadIR(ctx, g, &o.specFlags, src)
	if err != nil {
		return err
	}
	g.logf("generating MCP server for %s (OpenAPI %s)", doc.Name, doc.Version)
	res, err := genmcp.Generate(api, genmcp.Options{Module: o.module, Name: o.name, EnvPrefix: o.envPrefix, Include: inc, Exclude: exc})
	if err != nil {
		if strings.Contains(err.Error(), "module path") || strings.Contains(err.Error(), "environment prefix") || strings.Contains(err.Error(), "server name") {
			return usageErrorf(path, "%v", err)
		}
		return fmt.Errorf("%s: %w", doc.Name, err)
	}
	if err := res.Write(o.out); err != nil {
		return fmt.Errorf("writing %s: %w", o.out, err)
	}
	g.logf("wrote %d files (%d tools) to %s", len(res.Files), len(res.Tools.Tools), o.out)
	findings = append(findings, res.Tools.Findings(doc.Name)...)
	locateFindings(doc, findings)
	rep := &report.Report{Command: "generate mcp", Targets: []string{src}, Rules: append(generate.Rules(), tools.Rules()...), Findings: findings}
	rep.Stats = append(rep.Stats,
		report.Stat{Name: "operations", Value: int64(len(api.Operations))},
		report.Stat{Name: "tools", Value: int64(len(res.Tools.Tools))},
		report.Stat{Name: "files written", Value: int64(len(res.Files))},
	)
	rep.Duration = time.Since(start)
	return g.emit(rep, cfg.Generate.Policy)
}
