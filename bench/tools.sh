#!/usr/bin/env bash
# Speed and fidelity of `agentready generate tools` and `generate mcp` against
# openapi-mcp-generator 4.0.1 (the open-source MCP server generator the issue
# measured), on the same specs in the same run: median wall time over RUNS
# runs, the ratio, tool counts, and how many input properties are typed
# "integer" (openapi-mcp-generator writes every integer as "number").
#
# Installs, into a cache directory (never into go.mod or package.json here):
#   specs: npm @octokit/openapi@23.0.2 @figma/rest-api-spec@0.43.0
#   peers: npm openapi-mcp-generator@4.0.1
#   prism: npm @stoplight/prism-cli@5.16.0 (for generate/mcp's end-to-end test:
#          export AGENTREADY_PRISM=$cache/prism/node_modules/.bin/prism)
#
# Usage: bench/tools.sh            (RUNS=5 by default; AGENTREADY_BENCH_CACHE
#                                   overrides ~/.cache/agentready-bench)
set -euo pipefail
cd "$(dirname "$0")/.."

cache="${AGENTREADY_BENCH_CACHE:-$HOME/.cache/agentready-bench}"
runs="${RUNS:-5}"
mkdir -p "$cache/specs" "$cache/peers-tools" "$cache/prism"
specs="$cache/specs/node_modules"
if [ ! -d "$specs/@octokit/openapi" ] || [ ! -d "$specs/@figma/rest-api-spec" ]; then
	npm install --prefix "$cache/specs" --no-audit --no-fund --silent @octokit/openapi@23.0.2 @figma/rest-api-spec@0.43.0
fi
omg="$cache/peers-tools/node_modules/.bin/openapi-mcp-generator"
[ -x "$omg" ] || npm install --prefix "$cache/peers-tools" --no-audit --no-fund --silent openapi-mcp-generator@4.0.1
[ -x "$cache/prism/node_modules/.bin/prism" ] || npm install --prefix "$cache/prism" --no-audit --no-fund --silent @stoplight/prism-cli@5.16.0

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/agentready" ./cmd/agentready
ar="$tmp/agentready"

# ms CMD...: wall milliseconds of one run, or "fail".
ms() {
	local start end
	start=$(date +%s%N)
	if "$@" >"$tmp/out.log" 2>&1; then
		end=$(date +%s%N)
		echo $(((end - start) / 1000000))
	else
		echo fail
	fi
}
median() { grep -v fail | sort -n | awk '{a[NR]=$1} END {if (NR == 0) print "fail"; else if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (a == "fail" || b == "fail" || b == 0) print "n/a"; else printf "%.2f", a / b}'; }

printf '%-9s %-34s %10s %10s %8s %8s\n' spec tool median_ms vs_omg tools integers
for entry in "petstore:testdata/generate/tools/petstore.json" \
	"figma:$specs/@figma/rest-api-spec/openapi/openapi.yaml" \
	"github:$specs/@octokit/openapi/generated/api.github.com.json"; do
	name="${entry%%:*}"
	spec="${entry#*:}"
	: >"$tmp/t" && : >"$tmp/m" && : >"$tmp/o"
	for i in $(seq "$runs"); do
		ms "$ar" generate tools "$spec" --for mcp -o "$tmp/tools.json" --no-validate >>"$tmp/t"
		ms "$ar" generate mcp "$spec" -o "$tmp/ar$i" --no-validate >>"$tmp/m"
		ms "$omg" -i "$spec" -o "$tmp/omg$i" --force >>"$tmp/o"
	done
	t=$(median <"$tmp/t")
	m=$(median <"$tmp/m")
	o=$(median <"$tmp/o")
	ours_tools=$(grep -c '^      "name": ' "$tmp/tools.json" || true)
	ours_ints=$(node -e 'const d = require(process.argv[1]); let n = 0;
		const walk = s => { if (s && typeof s === "object") { const t = s.type;
			if (t === "integer" || (Array.isArray(t) && t.includes("integer"))) n++;
			for (const k in s) walk(s[k]); } };
		d.tools.forEach(t => walk(t.inputSchema)); console.log(n)' "$tmp/tools.json")
	omg_src="$tmp/omg1/src/index.ts"
	if [ -f "$omg_src" ]; then
		omg_tools=$(grep -c '^  \["' "$omg_src" || true)
		omg_ints=$({ grep -o '"type":"integer"' "$omg_src" || true; } | wc -l)
	else
		omg_tools=n/a omg_ints=n/a
	fi
	printf '%-9s %-34s %10s %10s %8s %8s\n' "$name" "agentready generate tools --for mcp" "$t" "$(ratio "$o" "$t")x" "$ours_tools" "$ours_ints"
	printf '%-9s %-34s %10s %10s %8s %8s\n' "$name" "agentready generate mcp" "$m" "$(ratio "$o" "$m")x" "$ours_tools" "$ours_ints"
	printf '%-9s %-34s %10s %10s %8s %8s\n' "$name" "openapi-mcp-generator 4.0.1" "$o" "1.00x" "$omg_tools" "$omg_ints"
done
echo
echo "vs_omg: openapi-mcp-generator's median time divided by ours (above 1: we are faster)."
echo "integers: input-schema properties typed integer in the tool definitions."
