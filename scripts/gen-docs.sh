#!/usr/bin/env bash
# Generates what a release ships beside the binary: shell completions in
# completions/ and man pages in manpages/. goreleaser runs it as a `before`
# hook; run it from the repository root.
set -euo pipefail
cd "$(dirname "$0")/.."

rm -rf completions manpages
mkdir -p completions manpages
bin="$(mktemp -d)/agentready"
trap 'rm -rf "$(dirname "$bin")"' EXIT
go build -trimpath -o "$bin" ./cmd/agentready

"$bin" completion bash >completions/agentready.bash
"$bin" completion zsh >completions/_agentready
"$bin" completion fish >completions/agentready.fish
"$bin" completion powershell >completions/agentready.ps1
"$bin" man manpages
gzip -9n manpages/*.1
ls completions manpages
