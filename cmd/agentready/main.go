// Command agentready answers "can a machine use what we publish?": it audits
// a site's machine readability, lints OpenAPI specs for agent-friendly
// semantics and generates typed clients and LLM tool definitions.
package main

import "os"

func main() { os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }
