#!/bin/sh
# CLI start-up benchmark (issue 2): how long a CI step waits before any work
# starts. Runs `--version` and `--help` of agentready and of the peer CLIs
# (Stoplight Spectral and Redocly, Node) on the same machine in the same run.
#
#   bench/cli.sh [-runs 30]
#
# The peers are installed with npm into ~/.cache/agentready-bench/peers
# (shared with the lint benchmarks), never into the project. Prints the
# median wall time of each command and the ratio peer/agentready (above 1
# means agentready starts faster).
set -eu
runs=30
while [ $# -gt 0 ]; do
	case $1 in
	-runs) runs=$2; shift 2 ;;
	*) echo "usage: bench/cli.sh [-runs N]" >&2; exit 2 ;;
	esac
done
root=$(cd "$(dirname "$0")/.." && pwd)
cache=${AGENTREADY_BENCH_CACHE:-$HOME/.cache/agentready-bench}
peers=$cache/peers
mkdir -p "$peers"
if [ ! -x "$peers/node_modules/.bin/spectral" ] || [ ! -x "$peers/node_modules/.bin/redocly" ]; then
	npm install --silent --no-audit --no-fund --prefix "$peers" @stoplight/spectral-cli@6.16.3 @redocly/cli@2.77.0 >&2
fi
bin=$cache/bin
mkdir -p "$bin"
(cd "$root" && CGO_ENABLED=0 go build -trimpath -o "$bin/agentready" ./cmd/agentready)

# median_ms CMD...: runs CMD $runs times (after one warm-up) and prints the
# median wall time in milliseconds.
median_ms() {
	"$@" >/dev/null 2>&1 || true
	i=0
	while [ "$i" -lt "$runs" ]; do
		s=$(date +%s%N)
		"$@" >/dev/null 2>&1 || true
		e=$(date +%s%N)
		echo $(((e - s) / 1000))
		i=$((i + 1))
	done | sort -n | awk '{ a[NR] = $1 } END { m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "%.1f", m / 1000 }'
}

ar_v=$(median_ms "$bin/agentready" --version)
ar_h=$(median_ms "$bin/agentready" --help)
sp_v=$(median_ms "$peers/node_modules/.bin/spectral" --version)
sp_h=$(median_ms "$peers/node_modules/.bin/spectral" --help)
rd_v=$(median_ms "$peers/node_modules/.bin/redocly" --version)
rd_h=$(median_ms "$peers/node_modules/.bin/redocly" --help)

echo "median of $runs runs (ms), $(go version | cut -d' ' -f3), node $(node --version), load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo ?)"
printf '%-10s %12s %12s %8s %12s %8s\n' command agentready spectral ratio redocly ratio
for c in version help; do
	if [ "$c" = version ]; then a=$ar_v s=$sp_v r=$rd_v; else a=$ar_h s=$sp_h r=$rd_h; fi
	awk -v c="--$c" -v a="$a" -v s="$s" -v r="$r" 'BEGIN { printf "%-10s %12.1f %12.1f %7.1fx %12.1f %7.1fx\n", c, a, s, s / a, r, r / a }'
done
ls -l "$bin/agentready" | awk '{ printf "agentready binary: %.1f MB (CGO_ENABLED=0 -trimpath, not stripped)\n", $5 / 1048576 }'
