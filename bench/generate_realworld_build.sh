#!/usr/bin/env bash
# Build time and memory of the generated GitHub client (issue 7's target:
# under 60 s and 2 GiB). Generates the client with this tree's agentready,
# then builds it with a fresh GOCACHE (never `go clean -cache`): first cold,
# standard library included, then the client alone with the standard library
# cached (a one-line file changes the package so that it is recompiled).
# Prints wall, user and system time and the peak RSS of each build; compare
# CPU (user+sys) on a busy machine. Usage:
#   bench/generate_realworld_build.sh [path/to/api.github.com.json]
set -euo pipefail
cache="${AGENTREADY_BENCH_CACHE:-$HOME/.cache/agentready-bench}"
spec="${1:-$cache/specs/node_modules/@octokit/openapi/generated/api.github.com.json}"
if [ ! -f "$spec" ]; then
	echo "missing $spec: run bench/generate_realworld.sh first" >&2
	exit 2
fi
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/agentready" ./cmd/agentready
"$work/agentready" generate go "$spec" -o "$work/client" --package github --module example.com/github >/dev/null 2>"$work/generate.log"
echo "generated: $(cat "$work"/client/*.go | wc -l) lines in $(ls "$work"/client/*.go | wc -l) files"
export GOFLAGS=-mod=mod GOWORK=off GOPROXY=off GOCACHE="$work/gocache"
cd "$work/client"
/usr/bin/time -f "cold build (standard library + client): %e s wall, %U s user, %S s sys, max RSS %M KB" go build ./...
printf 'package github\n\nvar _ = %d\n' "$RANDOM" >zz_rebuild.go
/usr/bin/time -f "client alone (standard library cached): %e s wall, %U s user, %S s sys, max RSS %M KB" go build ./...
