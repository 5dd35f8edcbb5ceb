#!/bin/sh
# Crawl benchmark (issue 5): agentready's crawler against colly v2 on the
# same synthetic loopback site, same concurrency, no rate limit.
#
#   bench/audit.sh [-pages 5000] [-runs 3] [-concurrency 16] [-latency 20ms]
#
# A third program fetches the same pages with net/http alone (no parsing, no
# discovery): the ceiling the machine and the site server allow.
#
# Binaries are built into ~/.cache/agentready-bench/audit; colly lives in its
# own module (bench/audit/colly), never in agentready's go.mod.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cache=${AGENTREADY_BENCH_CACHE:-$HOME/.cache/agentready-bench}/audit
mkdir -p "$cache"
cd "$root"
go build -o "$cache/site" ./bench/audit/site
go build -o "$cache/agentready" ./bench/audit/agentready
go build -tags checks -o "$cache/agentready-checks" ./bench/audit/agentready
go build -o "$cache/run" ./bench/audit/run
go build -o "$cache/raw" ./bench/audit/raw
(cd bench/audit/colly && go build -o "$cache/colly" .)
exec "$cache/run" -site "$cache/site" -agentready "$cache/agentready" -agentready-checks "$cache/agentready-checks" -colly "$cache/colly" -raw "$cache/raw" "$@"
