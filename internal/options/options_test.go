package options

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"
	"gopkg.in/yaml.v3"

	_ "github.com/agentready/agentready/internal/golden" // defines -update, which go test ./... -update hands every package
)

type Inner struct {
	Rate float64 `yaml:"rate" flag:"rate" help:"requests per second"`
}

type testConfig struct {
	Inner    `yaml:",inline"`
	MaxPages int           `yaml:"max-pages" flag:"max-pages" help:"fetch at most N pages" arg:"N"`
	Scope    string        `yaml:"scope" flag:"scope" short:"s" help:"which links to follow"`
	Include  []string      `yaml:"include" flag:"include" help:"follow only URLs matching this regexp" arg:"regexp"`
	Timeout  time.Duration `yaml:"timeout" flag:"timeout" help:"give up after this duration" arg:"duration"`
	MinScore *float64      `yaml:"min-score" flag:"min-score" help:"exit 1 below N" arg:"N"`
	Quiet    bool          `flag:"quiet" help:"say less"`
	Profile  string        `yaml:"profile"` // config only
	Internal func()        `yaml:"-"`       // neither
}

func defaults() testConfig {
	return testConfig{Inner: Inner{Rate: 2}, MaxPages: 100, Scope: "host", Timeout: 30 * time.Second}
}

func TestBindHelpAndDefaults(t *testing.T) {
	cfg := defaults()
	fs := pflag.NewFlagSet("t", pflag.ContinueOnError)
	Bind(fs, &cfg)
	if fs.Lookup("profile") != nil {
		t.Error("a config-only field got a flag")
	}
	usage := fs.FlagUsages()
	for _, want := range []string{
		"--max-pages N ", "fetch at most N pages (default 100)",
		"-s, --scope string", `(default "host")`,
		"--include regexp", "--timeout duration", "(default 30s)",
		"--min-score N", "--rate float", "(default 2)", "--quiet ",
	} {
		if !strings.Contains(usage, want) {
			t.Errorf("usage lacks %q:\n%s", want, usage)
		}
	}
	for _, zero := range []string{"(default 0s)", "(default 0)", "(default false)", `(default "")`, "below N (default"} {
		cfg := testConfig{}
		fs := pflag.NewFlagSet("t", pflag.ContinueOnError)
		Bind(fs, &cfg)
		if u := fs.FlagUsages(); strings.Contains(u, zero) {
			t.Errorf("a zero value shows %s:\n%s", zero, u)
		}
	}
}

func TestBindParse(t *testing.T) {
	cfg := defaults()
	cfg.Include = []string{"default"}
	fs := pflag.NewFlagSet("t", pflag.ContinueOnError)
	Bind(fs, &cfg)
	err := fs.Parse([]string{"--max-pages", "7", "-s", "domain", "--include", "a", "--include", "b", "--timeout", "1m", "--min-score", "70.5", "--quiet", "--rate=0.5"})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.MaxPages != 7 || cfg.Scope != "domain" || strings.Join(cfg.Include, ",") != "a,b" || cfg.Timeout != time.Minute ||
		cfg.MinScore == nil || *cfg.MinScore != 70.5 || !cfg.Quiet || cfg.Rate != 0.5 {
		t.Errorf("parsed %+v", cfg)
	}
	err = fs.Parse([]string{"--max-pages", "many"})
	if err == nil || !strings.Contains(err.Error(), `invalid argument "many" for "--max-pages" flag`) {
		t.Errorf("err = %v", err)
	}
}

// TestMerge: the command line wins over the file, the file over the
// defaults, and a key the file does not set keeps the default even when
// its zero value differs.
func TestMerge(t *testing.T) {
	cfg := defaults()
	fs := pflag.NewFlagSet("t", pflag.ContinueOnError)
	Bind(fs, &cfg)
	if err := fs.Parse([]string{"--scope", "prefix"}); err != nil {
		t.Fatal(err)
	}
	var file testConfig
	root, err := DecodeYAML("c.yaml", []byte("max-pages: 0\nscope: domain\nprofile: docs\nrate: 9\n"), &file)
	if err != nil {
		t.Fatal(err)
	}
	Merge(fs, &cfg, &file, func(k string) bool { return Has(root, k) })
	if cfg.MaxPages != 0 || cfg.Scope != "prefix" || cfg.Profile != "docs" || cfg.Rate != 9 || cfg.Timeout != 30*time.Second {
		t.Errorf("merged %+v", cfg)
	}
}

func TestDecodeYAMLErrors(t *testing.T) {
	var c testConfig
	_, err := DecodeYAML("c.yaml", []byte("max-pages: lots\nnope: 1\ntimeout: soon\ninclude: x\n"), &c)
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{
		`c.yaml:1: max-pages: want an integer, got "lots"`,
		`c.yaml:2: unknown key "nope"`,
		`c.yaml:3: timeout: want a duration (90s, 5m), got "soon"`,
		`c.yaml:4: include: want a list, got "x"`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}

func TestInvalid(t *testing.T) {
	err := Invalidf("--scope: %q is not host", "x")
	var inv *Invalid
	if !errors.As(err, &inv) || err.Error() != `--scope: "x" is not host` {
		t.Errorf("%v", err)
	}
}

func TestFillDefaults(t *testing.T) {
	var n yaml.Node
	if err := n.Encode(map[string]any{"audit": map[string]any{"max-pages": 0, "scope": "", "rate": 5, "profile": nil}}); err != nil {
		t.Fatal(err)
	}
	FillDefaults(&n, func(section, key string) string {
		return map[string]string{"audit.max-pages": "100", "audit.scope": "host", "audit.rate": "2"}[section+"."+key]
	})
	b, err := yaml.Marshal(&n)
	if err != nil {
		t.Fatal(err)
	}
	want := "audit:\n    max-pages: 100 # default\n    profile: null\n    rate: 5\n    scope: host # default\n"
	if string(b) != want {
		t.Errorf("got\n%s\nwant\n%s", b, want)
	}
}

func TestRebasePaths(t *testing.T) {
	type target struct {
		Out  string `yaml:"out" path:""`
		Name string `yaml:"name"`
	}
	var c struct {
		Go    target
		Tools target
	}
	c.Go, c.Tools = target{Out: "client", Name: "x"}, target{Out: "tools.json"}
	RebasePaths(&c, func(p string) string { return "specs/" + p })
	if c.Go.Out != "specs/client" || c.Tools.Out != "specs/tools.json" || c.Go.Name != "x" {
		t.Errorf("%+v", c)
	}
}
