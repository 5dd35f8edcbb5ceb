package main

import (
	"encoding/json"
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// Set by the release build: -ldflags "-X main.version=1.2.3 -X main.commit=abc -X main.date=2026-01-02T15:04:05Z".
var (
	version = ""
	commit  = ""
	date    = ""
)

const projectURL = "https://github.com/agentready/agentready"

// versionInfo is what `agentready version --format json` prints. Its field
// names are stable.
type versionInfo struct {
	Version   string `json:"version"`
	Commit    string `json:"commit"`
	Date      string `json:"date"`
	GoVersion string `json:"goVersion"`
}

// buildInfo returns the ldflags stamps, or what the Go toolchain recorded
// when they are absent (go install ...@v1.2.3 stamps the module version;
// a build in a git checkout stamps vcs.revision and vcs.time).
func buildInfo() versionInfo {
	v := versionInfo{Version: version, Commit: commit, Date: date, GoVersion: runtime.Version()}
	if bi, ok := debug.ReadBuildInfo(); ok {
		if v.Version == "" && bi.Main.Version != "" {
			v.Version = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch {
			case s.Key == "vcs.revision" && v.Commit == "":
				v.Commit = s.Value
			case s.Key == "vcs.time" && v.Date == "":
				v.Date = s.Value
			case s.Key == "vcs.modified" && s.Value == "true" && version == "" && v.Commit != "":
				v.Commit += "-dirty"
			}
		}
	}
	if v.Version == "" {
		v.Version = "(devel)"
	}
	if v.Commit == "" {
		v.Commit = "unknown"
	}
	if v.Date == "" {
		v.Date = "unknown"
	}
	return v
}

func versionString() string {
	v := buildInfo()
	return fmt.Sprintf("%s (commit %s, built %s, %s)", v.Version, v.Commit, v.Date, v.GoVersion)
}

func newVersionCmd(g *globalOpts) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print the version, commit, build date and Go version",
		Long: `Print the version, commit, build date and Go version.

With --format json it prints {"version", "commit", "date", "goVersion"}.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			v := buildInfo()
			for _, o := range g.outputs {
				var b []byte
				switch o.Format {
				case "json":
					b, _ = json.MarshalIndent(v, "", "  ")
					b = append(b, '\n')
				default:
					b = fmt.Appendf(nil, "agentready %s\ncommit:  %s\nbuilt:   %s\ngo:      %s\n", v.Version, v.Commit, v.Date, v.GoVersion)
				}
				if err := g.writeOutput(o, b); err != nil {
					return err
				}
			}
			return nil
		},
	}
	g.formatFlag(cmd, "text", "json")
	return cmd
}
