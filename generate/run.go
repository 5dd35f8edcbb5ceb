package generate

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/agentready/agentready/generate/golang"
	"github.com/agentready/agentready/generate/ir"
	genmcp "github.com/agentready/agentready/generate/mcp"
	"github.com/agentready/agentready/generate/tools"
	"github.com/agentready/agentready/generate/typescript"
	"github.com/agentready/agentready/internal/options"
	"github.com/agentready/agentready/internal/specload"
	"github.com/agentready/agentready/report"
)

// Config is the generate: section of the config file: the severity
// overrides and ignores of every target's report, and each target's
// settings.
type Config struct {
	report.Policy `yaml:",inline"`
	Go            GoConfig        `yaml:"go"`
	Tools         ToolsConfig     `yaml:"tools"`
	MCP           MCPConfig       `yaml:"mcp"`
	WellKnown     WellKnownConfig `yaml:"well-known"`
	TypeScript    TSConfig        `yaml:"typescript"`
}

// ValidatePolicy checks the generate: section's severities and ignores:
// the rule IDs (Rules) and category ("generate") they name, and the
// severities.
func ValidatePolicy(p report.Policy) error {
	ids := []string{"generate"}
	for _, r := range Rules() {
		ids = append(ids, r.ID)
	}
	return p.ValidateIDs("generate", "rule", ids)
}

// Validate reports the first setting of the generate: section the
// targets would refuse: the policy's rule IDs and severities, the tools
// target and cap, and the tools' and MCP's operation selectors. Settings a
// flag may still give (the out directories, --for) are not required.
func (c Config) Validate() error {
	if err := ValidatePolicy(c.Policy); err != nil {
		return err
	}
	if c.Tools.For != "" {
		if _, err := tools.ParseTarget(c.Tools.For); err != nil {
			return fmt.Errorf("generate.tools.for: %v", err)
		}
	}
	for _, m := range []struct{ section, mode string }{{"generate.tools", c.Tools.ToolMode}, {"generate.mcp", c.MCP.ToolMode}, {"generate.well-known", c.WellKnown.ToolMode}} {
		if _, err := tools.ParseMode(m.mode); err != nil {
			return fmt.Errorf("%s.tool-mode: %v", m.section, err)
		}
	}
	if c.Tools.MaxTools < 0 {
		return fmt.Errorf("generate.tools.max-tools must be positive")
	}
	for _, s := range []struct {
		section string
		sel     Selection
	}{{"generate.tools", c.Tools.Selection}, {"generate.mcp", c.MCP.Selection}, {"generate.well-known", c.WellKnown.Selection}} {
		if _, _, err := s.sel.parse(); err != nil {
			return fmt.Errorf("%s: %v", s.section, err)
		}
	}
	// The Go package and module and the MCP server's names, which the
	// generators refuse after the spec is read, checked as they do.
	if err := golang.CheckOptions(golang.Options{Package: c.Go.Package, Module: c.Go.Module}); err != nil {
		return fmt.Errorf("generate.go: %w", err)
	}
	if err := genmcp.CheckOptions(genmcp.Options{Module: c.MCP.Module, Name: c.MCP.Name, EnvPrefix: c.MCP.EnvPrefix}); err != nil {
		return fmt.Errorf("generate.mcp: %w", err)
	}
	return nil
}

// SpecConfig are the spec-loading settings every target shares (flags
// only: they are about one run, not about a project).
type SpecConfig struct {
	AllowRemoteRefs  bool  `yaml:"-" flag:"allow-remote-refs" help:"let $refs fetch http(s) URLs"`
	AllowOutsideRefs bool  `yaml:"-" flag:"allow-outside-refs" help:"let $refs read files outside the spec's directory"`
	NoValidate       bool  `yaml:"-" flag:"no-validate" help:"skip the spec validation pass and its warnings"`
	MaxSize          int64 `yaml:"-" flag:"max-size" arg:"MiB" help:"largest spec to read, in MiB"`
	// Policy is the generate: section's severity overrides and ignore
	// entries, applied to the report.
	Policy report.Policy `yaml:"-"`
	// Stdin is what the spec "-" reads.
	Stdin io.Reader `yaml:"-"`
	// Logf, when set, is told what the run does (-v).
	Logf func(format string, args ...any) `yaml:"-"`
}

// DefaultSpecConfig returns the defaults of SpecConfig.
func DefaultSpecConfig() SpecConfig { return SpecConfig{MaxSize: specload.DefaultMaxBytes >> 20} }

func (c *SpecConfig) logf(format string, args ...any) {
	if c.Logf != nil {
		c.Logf(format, args...)
	}
}

// processed applies the policy to rep (report.Process, once per report).
func (c *SpecConfig) processed(rep *report.Report, start time.Time) (*report.Report, error) {
	rep.Duration = time.Since(start)
	if err := report.Process(rep, c.Policy); err != nil {
		return nil, err
	}
	return rep, nil
}

// load reads the spec at src.
func (c *SpecConfig) load(ctx context.Context, src string) (*specload.Document, error) {
	if err := ValidatePolicy(c.Policy); err != nil {
		return nil, err
	}
	c.logf("loading %s", src)
	doc, err := specload.Load(ctx, src, c.Stdin, specload.Options{
		AllowRemoteRefs: c.AllowRemoteRefs, AllowOutsideRefs: c.AllowOutsideRefs, MaxBytes: c.MaxSize << 20,
	})
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		var pe *specload.ParseError
		if errors.As(err, &pe) {
			return nil, pe
		}
		return nil, err
	}
	return doc, nil
}

// GoConfig is `generate go`: the generate.go: section of the config and
// the command's flags.
type GoConfig struct {
	Out        string `yaml:"out" flag:"out" short:"o" arg:"DIR" path:"" help:"output DIR (default from config generate.go.out)"`
	Package    string `yaml:"package" flag:"package" arg:"NAME" help:"Go package NAME (default from config, else the base name of DIR)"`
	Module     string `yaml:"module" flag:"module" arg:"PATH" help:"also write a go.mod declaring module PATH"`
	SpecConfig `yaml:",inline"`
}

// RunGo generates a Go client for the spec at src into cfg.Out and
// returns the report of the spec's problems.
func RunGo(ctx context.Context, src string, cfg GoConfig) (*report.Report, error) {
	if cfg.Out == "" {
		return nil, options.Invalidf("-o DIR is required (or generate.go.out in the config)")
	}
	if cfg.Package == "" {
		cfg.Package = packageFromDir(cfg.Out)
	}
	start := time.Now()
	doc, err := cfg.load(ctx, src)
	if err != nil {
		return nil, err
	}
	cfg.logf("generating Go client for %s (OpenAPI %s)", doc.Name, doc.Version)
	res, err := Go(ctx, doc, GoOptions{Options: golang.Options{Package: cfg.Package, Module: cfg.Module}, SkipValidation: cfg.NoValidate})
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		var fe *golang.FormatError
		if errors.As(err, &fe) {
			dump := filepath.Join(cfg.Out, fe.File+".dump")
			if werr := WriteFiles(cfg.Out, []golang.File{{Name: fe.File + ".dump", Content: fe.Source}}); werr == nil {
				return nil, fmt.Errorf("%w (unformatted source in %s; please report this bug)", err, dump)
			}
		}
		if strings.Contains(err.Error(), "package name") {
			return nil, options.Invalidf("--package: %v", err)
		}
		return nil, err
	}
	if err := WriteFiles(cfg.Out, res.Files); err != nil {
		return nil, fmt.Errorf("writing %s: %w", cfg.Out, err)
	}
	var names []string
	for _, f := range res.Files {
		names = append(names, f.Name)
	}
	cfg.logf("wrote %s to %s", strings.Join(names, ", "), cfg.Out)
	rep := &report.Report{Command: "generate go", Targets: []string{src}, Rules: Rules(), Findings: res.Findings}
	rep.Stats = append(rep.Stats,
		report.Stat{Name: "operations", Value: int64(len(res.API.Operations))},
		report.Stat{Name: "types", Value: int64(len(res.API.Types))},
		report.Stat{Name: "files written", Value: int64(len(res.Files))},
	)
	return cfg.processed(rep, start)
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

// Selection is the operations a tools or MCP run covers.
type Selection struct {
	Include []string `yaml:"include" flag:"include" arg:"SEL" help:"select operations: SEL is tag:NAME, path:GLOB, method:GET or op:ID (repeatable; a bare /path, method or name works too)"`
	Exclude []string `yaml:"exclude" flag:"exclude" arg:"SEL" help:"leave out operations matching SEL (repeatable, same syntax as --include)"`
}

func (s Selection) parse() (inc, exc []tools.Selector, err error) {
	for _, p := range []struct {
		flag string
		raw  []string
		out  *[]tools.Selector
	}{{"include", s.Include, &inc}, {"exclude", s.Exclude, &exc}} {
		for _, r := range p.raw {
			sel, err := tools.ParseSelector(r)
			if err != nil {
				return nil, nil, options.Invalidf("--%s: %v", p.flag, err)
			}
			*p.out = append(*p.out, sel)
		}
	}
	return inc, exc, nil
}

// loadIR loads the spec and builds the IR, returning the spec's validation
// problems and the IR's approximations as findings.
func (c *SpecConfig) loadIR(ctx context.Context, src string) (*specload.Document, *ir.API, []report.Finding, error) {
	doc, err := c.load(ctx, src)
	if err != nil {
		return nil, nil, nil, err
	}
	api, err := ir.Build(doc.Spec, genmcp.IROptions())
	if err != nil {
		return nil, nil, nil, err
	}
	var fs []report.Finding
	if !c.NoValidate {
		for _, p := range doc.Validate(ctx) {
			fs = append(fs, report.Finding{RuleID: SpecInvalid.ID, Severity: SpecInvalid.Severity, Message: p.Message, Location: report.Location{File: doc.Name, Pointer: p.Pointer}})
		}
	}
	for _, w := range api.Warnings {
		fs = append(fs, report.Finding{RuleID: Approximation.ID, Severity: Approximation.Severity, Message: w.Message, Location: report.Location{File: doc.Name, Pointer: w.Pointer}})
	}
	return doc, api, fs, ctx.Err()
}

// loadSelected parses the selection (a bad selector is refused before the
// spec is read), then loads the spec and builds the IR (loadIR).
func (c *SpecConfig) loadSelected(ctx context.Context, src string, sel Selection) (doc *specload.Document, api *ir.API, fs []report.Finding, inc, exc []tools.Selector, err error) {
	if inc, exc, err = sel.parse(); err != nil {
		return nil, nil, nil, nil, nil, err
	}
	doc, api, fs, err = c.loadIR(ctx, src)
	return doc, api, fs, inc, exc, err
}

// locateIn fills the lines and columns of the findings located in doc.
func locateIn(doc *specload.Document, fs []report.Finding) {
	var in []report.Finding
	var at []int
	for i, f := range fs {
		if f.Location.Pointer != "" && f.Location.File == doc.Name {
			in, at = append(in, f), append(at, i)
		}
	}
	locate(doc, in)
	for j, i := range at {
		fs[i] = in[j]
	}
}

// ToolsConfig is `generate tools`: the generate.tools: section of the
// config and the command's flags.
type ToolsConfig struct {
	For        string `yaml:"for" flag:"for" arg:"openai" help:"target: openai, anthropic, gemini or mcp (default from config generate.tools.for)"`
	Strict     bool   `yaml:"strict" flag:"strict" help:"use the target's strict mode"`
	MaxTools   int    `yaml:"max-tools" flag:"max-tools" arg:"N" help:"at most N tools: fold the largest tags into one tool each"`
	ToolMode   string `yaml:"tool-mode" flag:"tool-mode" arg:"MODE" help:"all (one tool per operation, the default) or tags (one tool per tag, operation enum); search needs a server (generate mcp)"`
	Out        string `yaml:"out" flag:"out" short:"o" arg:"FILE" path:"" help:"write the JSON to FILE instead of stdout"`
	Selection  `yaml:",inline"`
	SpecConfig `yaml:",inline"`
}

// ToolsResult is a `generate tools` run: the tool definitions as JSON and
// the report of the spec's and the tools' problems.
type ToolsResult struct {
	JSON   []byte
	Tools  int
	Target tools.Target
	Report *report.Report
}

// RunTools builds the tool definitions of the spec at src.
func RunTools(ctx context.Context, src string, cfg ToolsConfig) (*ToolsResult, error) {
	if cfg.For == "" {
		return nil, options.Invalidf("--for is required: openai, anthropic, gemini or mcp")
	}
	target, err := tools.ParseTarget(cfg.For)
	if err != nil {
		return nil, options.Invalidf("--for: %v", err)
	}
	if cfg.MaxTools < 0 {
		return nil, options.Invalidf("--max-tools must be positive")
	}
	mode, err := tools.ParseMode(cfg.ToolMode)
	if err != nil {
		return nil, options.Invalidf("--tool-mode: %v", err)
	}
	if mode == tools.ModeSearch {
		return nil, options.Invalidf("--tool-mode search needs a server to run the search: use agentready generate mcp --tool-mode search")
	}
	start := time.Now()
	doc, api, findings, inc, exc, err := cfg.loadSelected(ctx, src, cfg.Selection)
	if err != nil {
		return nil, err
	}
	set, err := tools.Build(api, tools.Options{Target: target, Strict: cfg.Strict, Include: inc, Exclude: exc, MaxTools: cfg.MaxTools, Mode: mode})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", doc.Name, err)
	}
	raw, err := set.Marshal()
	if err != nil {
		return nil, err
	}
	findings = append(findings, set.Findings(doc.Name)...)
	locateIn(doc, findings)
	strict := 0
	for _, t := range set.Tools {
		if t.Strict {
			strict++
		}
	}
	rep := &report.Report{Command: "generate tools", Targets: []string{src}, Rules: append(Rules(), tools.Rules()...), Findings: findings}
	rep.Stats = append(rep.Stats,
		report.Stat{Name: "operations", Value: int64(len(api.Operations))},
		report.Stat{Name: "tools", Value: int64(len(set.Tools))},
		report.Stat{Name: "strict tools", Value: int64(strict)},
		report.Stat{Name: "bytes", Value: int64(len(raw))},
	)
	if rep, err = cfg.processed(rep, start); err != nil {
		return nil, err
	}
	return &ToolsResult{JSON: raw, Tools: len(set.Tools), Target: target, Report: rep}, nil
}

// MCPConfig is `generate mcp`: the generate.mcp: section of the config
// and the command's flags.
type MCPConfig struct {
	Out        string `yaml:"out" flag:"out" short:"o" arg:"DIR" path:"" help:"output DIR (default from config generate.mcp.out)"`
	Module     string `yaml:"module" flag:"module" arg:"PATH" help:"module PATH of the server (default example.com/NAME)"`
	Name       string `yaml:"name" flag:"name" arg:"NAME" help:"server NAME (default: the API title in kebab-case + -mcp)"`
	EnvPrefix  string `yaml:"env-prefix" flag:"env-prefix" arg:"PREFIX" help:"PREFIX of the environment variables (default: the API title in upper snake case)"`
	ToolMode   string `yaml:"tool-mode" flag:"tool-mode" arg:"MODE" help:"all (one tool per operation), search (search_tools + call_tool) or tags (one tool per tag); default all up to 128 operations, else search"`
	Selection  `yaml:",inline"`
	SpecConfig `yaml:",inline"`
}

// RunMCP generates an MCP server for the spec at src into cfg.Out.
func RunMCP(ctx context.Context, src string, cfg MCPConfig) (*report.Report, error) {
	if cfg.Out == "" {
		return nil, options.Invalidf("-o DIR is required (or generate.mcp.out in the config)")
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
	cfg.logf("generating MCP server for %s (OpenAPI %s)", doc.Name, doc.Version)
	res, err := genmcp.Generate(api, genmcp.Options{Module: cfg.Module, Name: cfg.Name, EnvPrefix: cfg.EnvPrefix, Include: inc, Exclude: exc, Mode: mode})
	if err != nil {
		if strings.Contains(err.Error(), "module path") || strings.Contains(err.Error(), "environment prefix") || strings.Contains(err.Error(), "server name") {
			return nil, options.Invalidf("%v", err)
		}
		return nil, fmt.Errorf("%s: %w", doc.Name, err)
	}
	if err := res.Write(cfg.Out); err != nil {
		return nil, fmt.Errorf("writing %s: %w", cfg.Out, err)
	}
	cfg.logf("wrote %d files (%d operations, %d tools listed in %s mode) to %s", len(res.Files), len(res.Tools.Tools), len(res.Listed.Tools), res.Mode, cfg.Out)
	findings = append(findings, res.Tools.Findings(doc.Name)...)
	locateIn(doc, findings)
	rep := &report.Report{Command: "generate mcp", Targets: []string{src}, Rules: append(Rules(), tools.Rules()...), Findings: findings}
	rep.Stats = append(rep.Stats,
		report.Stat{Name: "operations", Value: int64(len(api.Operations))},
		report.Stat{Name: "tools", Value: int64(len(res.Tools.Tools))},
		report.Stat{Name: "files written", Value: int64(len(res.Files))},
	)
	return cfg.processed(rep, start)
}

// TSConfig is `generate typescript`: the generate.typescript: section of
// the config and the command's flags.
type TSConfig struct {
	Out        string `yaml:"out" flag:"out" short:"o" arg:"DIR" path:"" help:"output DIR (default from config generate.typescript.out)"`
	Name       string `yaml:"name" flag:"name" arg:"NAME" help:"npm package NAME (default: the base name of DIR)"`
	SpecConfig `yaml:",inline"`
}

// RunTypeScript generates a TypeScript client for the spec at src into
// cfg.Out and returns the report of the spec's problems.
func RunTypeScript(ctx context.Context, src string, cfg TSConfig) (*report.Report, error) {
	if cfg.Out == "" {
		return nil, options.Invalidf("-o DIR is required (or generate.typescript.out in the config)")
	}
	if cfg.Name == "" {
		cfg.Name = packageFromDir(cfg.Out)
	}
	start := time.Now()
	doc, err := cfg.load(ctx, src)
	if err != nil {
		return nil, err
	}
	cfg.logf("generating TypeScript client for %s (OpenAPI %s)", doc.Name, doc.Version)
	api, err := ir.Build(doc.Spec, typescript.IROptions())
	if err != nil {
		return nil, err
	}
	files, err := typescript.Generate(api, typescript.Options{Name: cfg.Name})
	if err != nil {
		return nil, err
	}
	// WriteFiles writes one directory: the package's top level, then src/.
	byDir := map[string][]golang.File{}
	for _, f := range files {
		dir, base := filepath.Split(filepath.FromSlash(f.Name))
		byDir[dir] = append(byDir[dir], golang.File{Name: base, Content: f.Content})
	}
	for _, dir := range []string{"", "src" + string(filepath.Separator)} {
		if err := WriteFiles(filepath.Join(cfg.Out, dir), byDir[dir]); err != nil {
			return nil, fmt.Errorf("writing %s: %w", cfg.Out, err)
		}
	}
	var findings []report.Finding
	if !cfg.NoValidate {
		for _, p := range doc.Validate(ctx) {
			findings = append(findings, report.Finding{RuleID: SpecInvalid.ID, Severity: SpecInvalid.Severity, Message: p.Message, Location: report.Location{File: doc.Name, Pointer: p.Pointer}})
		}
	}
	for _, w := range api.Warnings {
		findings = append(findings, report.Finding{RuleID: Approximation.ID, Severity: Approximation.Severity, Message: w.Message, Location: report.Location{File: doc.Name, Pointer: w.Pointer}})
	}
	locateIn(doc, findings)
	rep := &report.Report{Command: "generate typescript", Targets: []string{src}, Rules: Rules(), Findings: findings}
	rep.Stats = append(rep.Stats,
		report.Stat{Name: "operations", Value: int64(len(api.Operations))},
		report.Stat{Name: "types", Value: int64(len(api.Types))},
		report.Stat{Name: "files written", Value: int64(len(files))},
	)
	return cfg.processed(rep, start)
}
