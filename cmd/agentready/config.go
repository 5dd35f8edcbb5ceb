package main

import (
	"bytes"
	"encoding"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/agentready/agentready/lint"
	"github.com/agentready/agentready/report"
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
	Lint     LintConfig     `yaml:"lint"`
	Audit    AuditConfig    `yaml:"audit"`
	Generate GenerateConfig `yaml:"generate"`
}

// LintConfig is the lint: section: the fields of lint.Config with a yaml
// key (severity, ignore, extends, overrides, min-score, allow-remote-refs,
// versioning).
type LintConfig struct {
	lint.Config `yaml:",inline"`
}

// AuditConfig is the audit: section.
type AuditConfig struct {
	// Policy holds the severity: overrides and ignore: entries.
	report.Policy `yaml:",inline"`
	// Audit engineers: add your command's fields here, with yaml tags.
	// Checks and scoring: the flags of the same names win over them.
	MinScore   *float64           `yaml:"min-score"`
	Profile    string             `yaml:"profile"`
	Thresholds map[string]float64 `yaml:"thresholds"` // minimum score by category ID
	// ParityPages is --parity-pages: pages per site compared as AI agents.
	ParityPages *int `yaml:"parity-pages"`

	// Crawl settings; the flags of the same names win over them.
	MaxPages     *int     `yaml:"max-pages"`
	MaxDepth     *int     `yaml:"max-depth"`
	MaxDuration  string   `yaml:"max-duration"` // a Go duration: 90s, 5m
	Rate         *float64 `yaml:"rate"`
	Concurrency  *int     `yaml:"concurrency"`
	Scope        string   `yaml:"scope"`
	Include      []string `yaml:"include"`
	Exclude      []string `yaml:"exclude"`
	UserAgent    string   `yaml:"user-agent"`
	IgnoreRobots bool     `yaml:"ignore-robots"`
	AllowPrivate bool     `yaml:"allow-private"`
}

// GenerateConfig is the generate: section.
type GenerateConfig struct {
	// Policy holds the severity: overrides and ignore: entries.
	report.Policy `yaml:",inline"`
	// Generate engineers: add your command's fields here, with yaml tags.
	// Go is the generate go target's defaults (flags override them).
	Go GenerateGoConfig `yaml:"go"`
	// Tools and MCP are the generate tools and generate mcp defaults (flags override them).
	Tools GenerateToolsConfig `yaml:"tools"`
	MCP   GenerateMCPConfig   `yaml:"mcp"`
}

// GenerateToolsConfig is the generate.tools: section.
type GenerateToolsConfig struct {
	For      string   `yaml:"for"`
	Strict   bool     `yaml:"strict"`
	MaxTools int      `yaml:"max-tools"`
	Out      string   `yaml:"out"`
	Include  []string `yaml:"include"`
	Exclude  []string `yaml:"exclude"`
}

// GenerateMCPConfig is the generate.mcp: section.
type GenerateMCPConfig struct {
	Out       string   `yaml:"out"`
	Module    string   `yaml:"module"`
	Name      string   `yaml:"name"`
	EnvPrefix string   `yaml:"env-prefix"`
	Include   []string `yaml:"include"`
	Exclude   []string `yaml:"exclude"`
}

// GenerateGoConfig is the generate.go: section.
type GenerateGoConfig struct {
	Out     string `yaml:"out"`
	Package string `yaml:"package"`
	Module  string `yaml:"module"`
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
	data, err := readConfigFile(path)
	if err != nil {
		return nil, err
	}
	shown := displayPath(path)
	cfg, err := parseConfig(shown, data)
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
	g.cfg = &loadedConfig{Config: *cfg, Path: shown, AsWritten: asWritten}
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
	rel := func(p string) string {
		if p == "" || filepath.IsAbs(p) || strings.Contains(p, "://") {
			return p
		}
		r, err := filepath.Rel(wd, filepath.Join(dir, filepath.FromSlash(p)))
		if err != nil {
			return p
		}
		if strings.HasSuffix(p, "/") && !strings.HasSuffix(r, "/") {
			r += "/"
		}
		return filepath.ToSlash(r)
	}
	for _, igs := range [][]report.Ignore{c.Lint.Ignore, c.Audit.Ignore, c.Generate.Ignore} {
		for i := range igs {
			p := igs[i].Path
			if !strings.Contains(p, "/") || strings.HasPrefix(p, "**/") {
				continue
			}
			igs[i].Path = rel(p)
		}
	}
	c.Generate.Go.Out = rel(c.Generate.Go.Out)
	c.Generate.Tools.Out = rel(c.Generate.Tools.Out)
	c.Generate.MCP.Out = rel(c.Generate.MCP.Out)
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
	for dir := wd; ; {
		for _, name := range configNames {
			p := filepath.Join(dir, name)
			if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
				return p, nil
			}
		}
		if isRepoRoot(dir) {
			return "", nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", nil
		}
		dir = parent
	}
}

func readConfigFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("config file %s does not exist", path)
		}
		return nil, fmt.Errorf("reading config: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxConfigSize+1))
	if err != nil {
		return nil, fmt.Errorf("reading config %s: %w", path, err)
	}
	if len(data) > maxConfigSize {
		return nil, fmt.Errorf("%s: config file larger than %d bytes", path, maxConfigSize)
	}
	return data, nil
}

func isRepoRoot(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, ".git")) // a directory, or a file in a worktree
	return err == nil
}

// repoRoot returns the nearest directory from dir up that holds .git.
func repoRoot(dir string) (string, bool) {
	for {
		if isRepoRoot(dir) {
			return dir, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}

// displayPath shows path relative to the working directory when that is
// shorter, as compilers do.
func displayPath(path string) string {
	wd, err := os.Getwd()
	if err != nil {
		return path
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return path
	}
	if rel, err := filepath.Rel(wd, abs); err == nil && len(rel) < len(abs) {
		return rel
	}
	return abs
}

// parseConfig decodes a config file strictly. name is used in messages,
// which read "name:line: what is wrong"; several problems are reported
// together, one a line.
func parseConfig(name string, data []byte) (*Config, error) {
	var cfg Config
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, yamlError(name, err)
	}
	if len(doc.Content) == 0 { // empty file, or only comments
		return &cfg, nil
	}
	c := &checker{name: name, seen: map[visit]bool{}}
	c.check(doc.Content[0], reflect.TypeFor[Config](), "")
	if len(c.errs) > 0 {
		return nil, errors.New(strings.Join(c.errs, "\n"))
	}
	// The walk above found every unknown key and wrong type with its
	// position; strict decoding is the backstop and does the work.
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&cfg); err != nil && !errors.Is(err, io.EOF) {
		return nil, yamlError(name, err)
	}
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
				line := lineOf(doc.Content[0], s.key, "severity", rule)
				c.errs = append(c.errs, fmt.Sprintf("%s:%d: %s.severity.%s: unknown severity %q (want error, warning, info, hint or off)", name, line, s.key, rule, v))
			}
		}
	}
	if len(c.errs) > 0 {
		return nil, errors.New(strings.Join(c.errs, "\n"))
	}
	return &cfg, nil
}

var yamlLine = regexp.MustCompile(`^(?:yaml: )?line (\d+): `)

// yamlError rewrites yaml.v3's "yaml: line 3: ..." as "name:3: ...".
func yamlError(name string, err error) error {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		lines := make([]string, len(te.Errors))
		for i, e := range te.Errors {
			lines[i] = rewriteYAMLLine(name, e)
		}
		return errors.New(strings.Join(lines, "\n"))
	}
	return errors.New(rewriteYAMLLine(name, err.Error()))
}

func rewriteYAMLLine(name, msg string) string {
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		return name + ":" + m[1] + ": " + msg[len(m[0]):]
	}
	return name + ": " + strings.TrimPrefix(msg, "yaml: ")
}

// lineOf returns the line of the value at keys under a mapping node, or the
// line of the deepest key found.
func lineOf(n *yaml.Node, keys ...string) int {
	line := n.Line
	for _, k := range keys {
		n = resolve(n)
		if n.Kind != yaml.MappingNode {
			return line
		}
		found := false
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == k {
				line, n, found = n.Content[i+1].Line, n.Content[i+1], true
				break
			}
		}
		if !found {
			return line
		}
	}
	return line
}

func resolve(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

// checker walks a YAML node tree beside the Go type it decodes into and
// records every unknown key and every value of the wrong shape, with its
// line. yaml.v3's own strict mode stops at the first problem and names
// neither the section nor the key in a way users can act on.
type checker struct {
	name string
	errs []string
	seen map[visit]bool // alias targets already checked, so aliases cannot blow up the walk
}

type visit struct {
	n *yaml.Node
	t reflect.Type
}

const maxConfigErrors = 20

func (c *checker) errorf(n *yaml.Node, format string, args ...any) {
	if len(c.errs) == maxConfigErrors {
		c.errs = append(c.errs, c.name+": too many errors")
	}
	if len(c.errs) > maxConfigErrors {
		return
	}
	c.errs = append(c.errs, fmt.Sprintf("%s:%d: ", c.name, n.Line)+fmt.Sprintf(format, args...))
}

var (
	yamlUnmarshaler = reflect.TypeFor[yaml.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
)

func (c *checker) check(n *yaml.Node, t reflect.Type, path string) {
	if n.Kind == yaml.AliasNode {
		n = resolve(n)
		if c.seen[visit{n, t}] {
			return
		}
		c.seen[visit{n, t}] = true
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" {
		return // "lint:" with nothing after it: the zero value
	}
	pt := reflect.PointerTo(t)
	if pt.Implements(yamlUnmarshaler) || pt.Implements(textUnmarshaler) {
		c.decodeInto(n, t, path)
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			c.errorf(n, "%s: want a mapping of keys, got %s", where(path), describe(n))
			return
		}
		fields := yamlFields(t)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			ft, ok := fields[k.Value]
			if !ok {
				if path == "" {
					c.errorf(k, "unknown key %q (want one of %s)", k.Value, strings.Join(slices.Sorted(maps.Keys(fields)), ", "))
				} else {
					c.errorf(k, "unknown key %q in %s (want one of %s)", k.Value, path, strings.Join(slices.Sorted(maps.Keys(fields)), ", "))
				}
				continue
			}
			c.check(v, ft, join(path, k.Value))
		}
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			c.errorf(n, "%s: want a mapping, got %s", where(path), describe(n))
			return
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Kind != yaml.ScalarNode {
				c.errorf(k, "%s: want a plain key, got %s", where(path), describe(k))
				continue
			}
			c.check(v, t.Elem(), join(path, k.Value))
		}
	case reflect.Slice, reflect.Array:
		if n.Kind != yaml.SequenceNode {
			c.errorf(n, "%s: want a list, got %s", where(path), describe(n))
			return
		}
		for i, item := range n.Content {
			c.check(item, t.Elem(), path+"["+strconv.Itoa(i)+"]")
		}
	default:
		if n.Kind != yaml.ScalarNode {
			c.errorf(n, "%s: want %s, got %s", where(path), describeType(t), describe(n))
			return
		}
		c.decodeInto(n, t, path)
	}
}

func (c *checker) decodeInto(n *yaml.Node, t reflect.Type, path string) {
	if err := n.Decode(reflect.New(t).Interface()); err != nil {
		msg := err.Error()
		var te *yaml.TypeError
		if errors.As(err, &te) && len(te.Errors) > 0 {
			msg = yamlLine.ReplaceAllString(te.Errors[0], "")
			if n.Kind == yaml.ScalarNode {
				// Not yaml.v3's "cannot unmarshal !!str `high` into float64".
				bt := t
				for bt.Kind() == reflect.Pointer {
					bt = bt.Elem()
				}
				msg = fmt.Sprintf("want %s, got %s", describeType(bt), describe(n))
			}
		}
		c.errorf(n, "%s: %s", where(path), msg)
	}
}

func where(path string) string {
	if path == "" {
		return "config"
	}
	return path
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// yamlFields maps the YAML keys of a struct to their field types, following
// ",inline" embeddings as yaml.v3 does.
func yamlFields(t reflect.Type) map[string]reflect.Type {
	m := map[string]reflect.Type{}
	for f := range t.Fields() {
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("yaml")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if slices.Contains(strings.Split(opts, ","), "inline") {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				for k, v := range yamlFields(ft) {
					m[k] = v
				}
			}
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name) // yaml.v3's default
		}
		m[name] = f.Type
	}
	return m
}

func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!int", "!!float":
			return "the number " + n.Value
		case "!!bool":
			return "the boolean " + n.Value
		}
		return strconv.Quote(n.Value)
	}
	return "something else"
}

func describeType(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	}
	return t.String()
}
