package main

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/agentready/agentready/generate"
	"github.com/agentready/agentready/generate/golang"
	"github.com/agentready/agentready/internal/specload"
	"github.com/agentready/agentready/report"
	"github.com/spf13/cobra"
)

// generateCommands are the targets of agentready generate, in help order.
// Engineers adding a target (tools, mcp): write its constructor and add one
// line here.
var generateCommands = []func(g *globalOpts) *cobra.Command{
	newGenerateGoCmd,
	newGenerateToolsCmd, newGenerateMCPCmd,
}

func newGenerateCmd(g *globalOpts) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "generate TARGET [flags] SPEC",
		Short: "Generate typed clients and LLM tool definitions from an OpenAPI spec",
		Long: `Generate code from an OpenAPI 2.0, 3.0 or 3.1 spec (JSON or YAML). SPEC is a
file, - for standard input, or an http(s) URL. The spec is loaded leniently:
its validation problems are reported as warnings and never stop generation.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return usageErrorf(cmd.CommandPath(), "generate needs a target: %s", strings.Join(targetNames(cmd), ", "))
		},
	}
	for _, newCmd := range generateCommands {
		cmd.AddCommand(newCmd(g))
	}
	g.printsReports(cmd, report.Standard())
	return cmd
}

func targetNames(cmd *cobra.Command) []string {
	var out []string
	for _, c := range cmd.Commands() {
		out = append(out, c.Name())
	}
	return out
}

type generateGoOpts struct {
	out              string
	pkg              string
	module           string
	allowRemoteRefs  bool
	allowOutsideRefs bool
	noValidate       bool
	maxSize          int64
}

func newGenerateGoCmd(g *globalOpts) *cobra.Command {
	o := &generateGoOpts{}
	cmd := &cobra.Command{
		Use:   "go [flags] SPEC -o DIR",
		Short: "Generate a typed Go client (standard library only)",
		Long: `Generate a typed Go client for an API: models, a Client with one method per
operation, typed responses and errors (*APIError), pagination iterators, and
an agent runtime that retries with backoff, honours Retry-After and RateLimit
headers, sets idempotency keys, and authenticates with API keys, HTTP basic or
bearer, or OAuth2 client credentials. The code needs only the standard
library, is gofmt'd and identical from run to run.

Writes client.go, models.go and operations.go (large APIs continue in
models2.go, operations2.go, ...) and go.mod with --module into DIR. Warnings about the spec go to stdout as a report (-f to choose formats).`,
		Example: `  agentready generate go openapi.yaml -o ./petstore --package petstore
  agentready generate go https://example.com/openapi.json -o ./client --module example.com/client`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runGenerateGo(cmd, g, o, args[0])
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.out, "out", "o", "", "output `DIR` (default from config generate.go.out)")
	f.StringVar(&o.pkg, "package", "", "Go package `NAME` (default from config, else the base name of DIR)")
	f.StringVar(&o.module, "module", "", "also write a go.mod declaring module `PATH`")
	f.BoolVar(&o.allowRemoteRefs, "allow-remote-refs", false, "let $refs fetch http(s) URLs")
	f.BoolVar(&o.allowOutsideRefs, "allow-outside-refs", false, "let $refs read files outside the spec's directory")
	f.BoolVar(&o.noValidate, "no-validate", false, "skip the spec validation pass and its warnings")
	f.Int64Var(&o.maxSize, "max-size", specload.DefaultMaxBytes>>20, "largest spec to read, in `MiB`")
	return cmd
}

func runGenerateGo(cmd *cobra.Command, g *globalOpts, o *generateGoOpts, src string) error {
	path := cmd.CommandPath()
	cfg, err := g.config()
	if err != nil {
		return err
	}
	gc := cfg.Generate.Go
	if o.out == "" {
		o.out = gc.Out
	}
	if o.pkg == "" {
		o.pkg = gc.Package
	}
	if o.module == "" {
		o.module = gc.Module
	}
	if o.out == "" {
		return usageErrorf(path, "-o DIR is required (or generate.go.out in the config)")
	}
	if o.pkg == "" {
		o.pkg = packageFromDir(o.out)
	}
	ctx := cmd.Context()
	start := time.Now()
	g.logf("loading %s", src)
	doc, err := specload.Load(ctx, src, g.stdin, specload.Options{
		AllowRemoteRefs:  o.allowRemoteRefs,
		AllowOutsideRefs: o.allowOutsideRefs,
		MaxBytes:         o.maxSize << 20,
	})
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return specError(err)
	}
	g.logf("generating Go client for %s (OpenAPI %s)", doc.Name, doc.Version)
	res, err := generate.Go(ctx, doc, generate.GoOptions{
		Options:        golang.Options{Package: o.pkg, Module: o.module},
		SkipValidation: o.noValidate,
	})
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		var fe *golang.FormatError
		if errors.As(err, &fe) {
			dump := filepath.Join(o.out, fe.File+".dump")
			if werr := generate.WriteFiles(o.out, []golang.File{{Name: fe.File + ".dump", Content: fe.Source}}); werr == nil {
				return fmt.Errorf("%w (unformatted source in %s; please report this bug)", err, dump)
			}
		}
		if strings.Contains(err.Error(), "package name") {
			return usageErrorf(path, "--package: %v", err)
		}
		return err
	}
	if err := generate.WriteFiles(o.out, res.Files); err != nil {
		return fmt.Errorf("writing %s: %w", o.out, err)
	}
	var names []string
	for _, f := range res.Files {
		names = append(names, f.Name)
	}
	g.logf("wrote %s to %s", strings.Join(names, ", "), o.out)
	rep := &report.Report{Command: "generate go", Targets: []string{src}, Rules: generate.Rules(), Findings: res.Findings}
	rep.Stats = append(rep.Stats,
		report.Stat{Name: "operations", Value: int64(len(res.API.Operations))},
		report.Stat{Name: "types", Value: int64(len(res.API.Types))},
		report.Stat{Name: "files written", Value: int64(len(res.Files))},
	)
	rep.Duration = time.Since(start)
	return g.emit(rep, cfg.Generate.Policy)
}

// packageFromDir derives a package name from the output directory's base
// name: lower-case letters and digits, not starting with a digit.
func packageFromDir(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		abs = dir
	}
	var b strings.Builder
	for _, r := range strings.ToLower(filepath.Base(abs)) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9' && b.Len() > 0) {
			b.WriteRune(r)
		}
	}
	name := b.String()
	switch name {
	case "", "break", "case", "chan", "const", "continue", "default", "defer", "else", "fallthrough", "for",
		"func", "go", "goto", "if", "import", "interface", "map", "package", "range", "return", "select",
		"struct", "switch", "type", "var", "main":
		return "client"
	}
	return name
}
