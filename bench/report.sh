#!/bin/sh
# Printer benchmark (issue 2): agentready's report printers against
# Stoplight Spectral's formatters (@stoplight/spectral-formatters, the ones
# `spectral lint -f ...` uses) on the same findings: text/stylish, json,
# sarif, junit, github/github-actions, markdown.
#
#   bench/report.sh [-findings 10000] [-runs 5]
#
# The npm package is installed into ~/.cache/agentready-bench/report, never
# into the project. Prints medians and the ratio spectral/agentready (above
# 1 means agentready is faster).
set -eu
findings=10000
runs=5
while [ $# -gt 0 ]; do
	case $1 in
	-findings) findings=$2; shift 2 ;;
	-runs) runs=$2; shift 2 ;;
	*) echo "usage: bench/report.sh [-findings N] [-runs N]" >&2; exit 2 ;;
	esac
done
root=$(cd "$(dirname "$0")/.." && pwd)
cache=${AGENTREADY_BENCH_CACHE:-$HOME/.cache/agentready-bench}/report
mkdir -p "$cache"
if [ ! -d "$cache/node_modules/@stoplight/spectral-formatters" ]; then
	npm install --silent --no-audit --no-fund --prefix "$cache" @stoplight/spectral-formatters@1.6.0 >&2
fi
cd "$root"
go build -o "$cache/agentready-printers" ./bench/report/agentready
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$cache/agentready-printers" -gen "$work/input.json" -findings "$findings"
# Both sides resolve the same relative spec paths from the same directory.
cd "$work"
"$cache/agentready-printers" -in input.json -runs "$runs" >ar.txt
node "$root/bench/report/spectral.cjs" "$cache/node_modules" input.json "$runs" >sp.txt
echo "$findings findings, median of $runs runs (ms), node $(node --version), $(go version | cut -d' ' -f3)"
printf '%-9s %12s %12s %8s %12s %12s\n' format agentready spectral ratio ar-bytes sp-bytes
join ar.txt sp.txt | awk '{ printf "%-9s %12.1f %12.1f %7.2fx %12d %12d\n", $1, $2, $4, ($2 > 0 ? $4 / $2 : 0), $3, $5 }'
echo "markdown: agentready keeps a report under 60,000 bytes (a GitHub comment), Spectral does not: not the same work."
