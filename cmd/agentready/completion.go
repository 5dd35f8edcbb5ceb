package main

import (
	"github.com/spf13/cobra"
)

func newCompletionCmd(g *globalOpts) *cobra.Command {
	return &cobra.Command{
		Use:   "completion bash|zsh|fish|powershell",
		Short: "Print a shell completion script",
		Long: `Print a shell completion script for bash, zsh, fish or PowerShell.

  bash:        source <(agentready completion bash)
               or save it as /etc/bash_completion.d/agentready
  zsh:         agentready completion zsh > "${fpath[1]}/_agentready"
  fish:        agentready completion fish > ~/.config/fish/completions/agentready.fish
  powershell:  agentready completion powershell | Out-String | Invoke-Expression`,
		Args:                  cobra.MatchAll(cobra.ExactArgs(1), cobra.OnlyValidArgs),
		ValidArgs:             []string{"bash", "zsh", "fish", "powershell"},
		DisableFlagsInUseLine: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			root := cmd.Root()
			switch args[0] {
			case "bash":
				return root.GenBashCompletionV2(g.stdout, true)
			case "zsh":
				return root.GenZshCompletion(g.stdout)
			case "fish":
				return root.GenFishCompletion(g.stdout, true)
			default:
				return root.GenPowerShellCompletionWithDesc(g.stdout)
			}
		},
	}
}

func newEnvironmentTopic(*globalOpts) *cobra.Command {
	// A command without Run is a help topic: `agentready help environment`.
	return &cobra.Command{
		Use:   "environment",
		Short: "Environment variables that agentready reads",
		Long: `Environment variables that agentready reads:

  NO_COLOR           when set to anything but the empty string, output is never
                     coloured (https://no-color.org). --no-color does the same.
  CLICOLOR_FORCE     when set to anything but "" or "0", the text output is
                     coloured even when stdout is not a terminal (a CI log that
                     renders ANSI). NO_COLOR and --no-color win over it.
  AGENTREADY_CONFIG  the config file to use when --config is not given, instead
                     of looking for .agentready.yaml from the working directory
                     up to the repository root. --no-config ignores it.`,
	}
}
