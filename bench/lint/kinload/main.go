// Command kinload loads a spec with kin-openapi's plain
// openapi3.NewLoader().LoadFromFile and nothing else: the floor that
// bench/lint compares agentready's lint time against.
package main

import (
	"fmt"
	"os"

	"github.com/getkin/kin-openapi/openapi3"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: kinload SPEC")
		os.Exit(2)
	}
	l := openapi3.NewLoader()
	l.IsExternalRefsAllowed = true
	doc, err := l.LoadFromFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(doc.Paths.Len(), "paths")
}
