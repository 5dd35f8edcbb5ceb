package mcp

import (
	"fmt"
	"strings"
)

// CheckOptions reports the first of opts' Module, EnvPrefix and Name that
// Generate would refuse, without a spec (an empty one is derived from the
// spec's title and not checked): `agentready config` checks the
// generate.mcp: section with it.
func CheckOptions(opts Options) error {
	if opts.Module != "" {
		if err := checkModule(opts.Module); err != nil {
			return err
		}
	}
	if opts.EnvPrefix != "" && !validEnv(opts.EnvPrefix) {
		return fmt.Errorf("environment prefix %q: use letters, digits and underscores, starting with a letter", opts.EnvPrefix)
	}
	if strings.ContainsAny(opts.Name, " \t\r\n\"'`/\\") {
		return fmt.Errorf("server name %q: no spaces, quotes or slashes", opts.Name)
	}
	return nil
}
