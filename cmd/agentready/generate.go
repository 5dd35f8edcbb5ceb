package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/agentready/agentready/generate"
	"github.com/agentready/agentready/generate/tools"
	"github.com/agentready/agentready/internal/options"
	"github.com/agentready/agentready/report"
	"github.com/spf13/cobra"
)

// generateCommands are the targets of agentready generate, in help order.
// Engineers adding a target: write its constructor and add one line here.
var generateCommands = []func(g *globalOpts) *cobra.Command{
	newGenerateGoCmd,
	newGenerateToolsCmd, newGenerateMCPCmd, newGenerateWellKnownCmd, newGenerateTSCmd,
}

func newGenerateWellKnownCmd(g *globalOpts) *cobra.Command {
	cfg := &generate.WellKnownConfig{}
	return generateCmd(g, &cobra.Command{
		Use:   "well-known [flags] SPEC --mcp-url URL -o DIR",
		Short: "Write the discovery documents of the MCP server (server card, AI Catalog, llms.txt)",
		Long: `Write into the site root DIR the MCP server card (SEP-2127) of the server generate mcp
makes for SPEC, an AI Catalog listing it and an llms.txt section; agentready audit checks them.`,
		Example: `  agentready generate well-known petstore.yaml --mcp-url https://api.example.com/mcp -o ./public`,
	}, cfg, &cfg.SpecConfig, func(c *Config) any { return &c.Generate.WellKnown }, emitting(g, cfg, generate.RunWellKnown))
}

func newGenerateTSCmd(g *globalOpts) *cobra.Command {
	cfg := &generate.TSConfig{}
	return generateCmd(g, &cobra.Command{Use: "typescript [flags] SPEC -o DIR", Short: "Generate a typed TypeScript client (ESM, no dependencies)",
		Long: "Generate a typed TypeScript client with the agent runtime of the Go client: src/*.ts, package.json,\ntsconfig.json and README.md into DIR. Warnings about the spec go to stdout as a report."},
		cfg, &cfg.SpecConfig, func(c *Config) any { return &c.Generate.TypeScript }, emitting(g, cfg, generate.RunTypeScript))
}

func newGenerateCmd(g *globalOpts) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "generate TARGET [flags] SPEC",
		Short: "Generate typed clients and LLM tool definitions from an OpenAPI spec",
		Long: `Generate code from an OpenAPI 2.0, 3.0, 3.1 or 3.2 spec (JSON or YAML). SPEC is
a file, - for standard input, or an http(s) URL. The spec is loaded leniently:
its validation problems are reported as warnings and never stop generation.
A 3.2 stream (itemSchema) is read raw, as text or bytes; its item type is
generated for decoding each item.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var names []string
			for _, c := range cmd.Commands() {
				names = append(names, c.Name())
			}
			return usageErrorf(cmd.CommandPath(), "generate needs a target: %s", strings.Join(names, ", "))
		},
	}
	for _, newCmd := range generateCommands {
		cmd.AddCommand(newCmd(g))
	}
	g.printsReports(cmd, report.Standard())
	return cmd
}

// generateCmd is a generate target's command: cfg (a *Config of package
// generate) is bound to its flags and merged with the config's section;
// run does the work with it.
func generateCmd(g *globalOpts, c *cobra.Command, cfg any, spec *generate.SpecConfig, section func(*Config) any, run func(cmd *cobra.Command, src string) error) *cobra.Command {
	c.Args = cobra.ExactArgs(1)
	*spec = generate.DefaultSpecConfig()
	options.Bind(c.Flags(), cfg)
	c.RunE = func(cmd *cobra.Command, args []string) error {
		lc, err := g.config()
		if err != nil {
			return err
		}
		lc.merge(cmd, cfg, section(&lc.Config), "generate", cmd.Name())
		spec.Stdin, spec.Logf, spec.Policy = g.stdin, g.logf, lc.Generate.Policy
		return run(cmd, args[0])
	}
	return c
}

// emitting is the run of a target whose result is its report.
func emitting[T any](g *globalOpts, cfg *T, run func(context.Context, string, T) (*report.Report, error)) func(*cobra.Command, string) error {
	return func(cmd *cobra.Command, src string) error {
		rep, err := run(cmd.Context(), src, *cfg)
		if err != nil {
			return err
		}
		return g.emit(rep)
	}
}

func newGenerateGoCmd(g *globalOpts) *cobra.Command {
	cfg := &generate.GoConfig{}
	return generateCmd(g, &cobra.Command{
		Use:   "go [flags] SPEC -o DIR",
		Short: "Generate a typed Go client (standard library only)",
		Long: `Generate a typed Go client for an API: models, a Client with one method per
operation, typed responses and errors (*APIError), pagination iterators, and
an agent runtime that retries with backoff, honours Retry-After and RateLimit
headers, sets idempotency keys, and authenticates with API keys, HTTP basic or
bearer, or OAuth2 client credentials. The code needs only the standard
library, is gofmt'd and identical from run to run.

Writes client.go, signing.go (WithAgentSigner signs requests as Web Bot
Auth does), models.go and operations.go (large APIs continue in
models2.go, operations2.go, ...) and go.mod with --module into DIR. Warnings about the spec go to stdout as a report (-f to choose formats).`,
		Example: `  agentready generate go openapi.yaml -o ./petstore --package petstore
  agentready generate go https://example.com/openapi.json -o ./client --module example.com/client`,
	}, cfg, &cfg.SpecConfig, func(c *Config) any { return &c.Generate.Go }, emitting(g, cfg, generate.RunGo))
}

func newGenerateToolsCmd(g *globalOpts) *cobra.Command {
	cfg := &generate.ToolsConfig{}
	cmd := generateCmd(g, &cobra.Command{
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
	}, cfg, &cfg.SpecConfig, func(c *Config) any { return &c.Generate.Tools }, func(cmd *cobra.Command, src string) error {
		res, err := generate.RunTools(cmd.Context(), src, *cfg)
		if err != nil {
			return err
		}
		rg := *g
		if cfg.Out == "" || cfg.Out == "-" {
			if _, err := g.stdout.Write(res.JSON); err != nil {
				return fmt.Errorf("writing tools to stdout: %w", err)
			}
			rg.stdout = g.stderr // the JSON owns stdout; the report goes to stderr
		} else {
			if err := report.WriteFile(cfg.Out, func(w io.Writer) error { _, err := w.Write(res.JSON); return err }); err != nil {
				return fmt.Errorf("writing %s: %w", cfg.Out, err)
			}
			g.logf("wrote %d %s tools to %s", res.Tools, res.Target, cfg.Out)
		}
		return rg.emit(res.Report)
	})
	var targets []string
	for _, t := range tools.Targets {
		targets = append(targets, string(t))
	}
	_ = cmd.RegisterFlagCompletionFunc("for", cobra.FixedCompletions(targets, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

func newGenerateMCPCmd(g *globalOpts) *cobra.Command {
	cfg := &generate.MCPConfig{}
	return generateCmd(g, &cobra.Command{
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
	}, cfg, &cfg.SpecConfig, func(c *Config) any { return &c.Generate.MCP }, emitting(g, cfg, generate.RunMCP))
}
