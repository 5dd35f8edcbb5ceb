package golang

import (
	"fmt"
	"go/token"
	"strings"
)

// CheckOptions reports the first of opts' Package and Module that Generate
// would refuse, without a spec: `agentready config` checks the
// generate.go: section with it.
func CheckOptions(opts Options) error {
	if pkg := opts.Package; pkg != "" && (!token.IsIdentifier(pkg) || token.IsKeyword(pkg) || pkg == "_") {
		return fmt.Errorf("package name %q is not a Go identifier", pkg)
	}
	if strings.ContainsAny(opts.Module, " \t\r\n\"`") || strings.ContainsAny(opts.GoVersion, " \t\r\n\"`") {
		return fmt.Errorf("module path %q or go version %q contains spaces or quotes", opts.Module, opts.GoVersion)
	}
	return nil
}
