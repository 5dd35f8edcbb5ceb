#!/usr/bin/env bash
# bench/lintbase.sh: compare two published major versions of GitHub's API
# description (npm @octokit/openapi 22.0.0 and 23.0.2,
# generated/api.github.com.json, about 12-13 MB each) with
# `agentready lint --base` and with oasdiff's own CLI (`oasdiff breaking` and
# `oasdiff changelog`, v1.37.0, the version agentready embeds) in one run;
# print median wall time, median peak RSS, ratios, and how many changes
# each found.
#
# Specs are installed with npm, oasdiff with `go install`, into a cache
# outside the repo ($AGENTREADY_BENCH_CACHE, default ~/.cache/agentready-bench),
# never into go.mod. The same cache makes lint/breaking's TestOctokitPair run.
# Needs go, npm and GNU time (/usr/bin/time).
#
#   bench/lintbase.sh            # 3 runs of each
#   RUNS=5 bench/lintbase.sh
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cache=${AGENTREADY_BENCH_CACHE:-$HOME/.cache/agentready-bench}
runs=${RUNS:-3}
old=22.0.0 new=23.0.2
out=$cache/out/lintbase
mkdir -p "$cache/bin" "$out"

if [ ! -x /usr/bin/time ]; then
	echo "bench/lintbase.sh: needs GNU time at /usr/bin/time (apt-get install time)" >&2
	exit 2
fi
spec() { echo "$cache/lintbase/octokit-$1/node_modules/@octokit/openapi/generated/api.github.com.json"; }
for v in $old $new; do
	if [ ! -f "$(spec $v)" ]; then
		echo "installing @octokit/openapi@$v into $cache/lintbase/octokit-$v" >&2
		mkdir -p "$cache/lintbase/octokit-$v"
		npm install --prefix "$cache/lintbase/octokit-$v" --no-audit --no-fund --silent "@octokit/openapi@$v" >&2
	fi
done
base=$(spec $old) rev=$(spec $new)

echo "building agentready; installing oasdiff v1.37.0" >&2
(cd "$repo" && go build -o "$cache/bin/agentready" ./cmd/agentready)
[ -x "$cache/bin/oasdiff" ] || GOBIN="$cache/bin" go install github.com/oasdiff/oasdiff@v1.37.0

# cmd TOOL: the command line; results go to files under $out.
cmd() {
	case $1 in
	lint) echo "$cache/bin/agentready lint --no-config --fail-on none -q -f json=$out/lint.json $rev" ;;
	lint-base) echo "$cache/bin/agentready lint --no-config --fail-on none -q -f json=$out/lint-base.json -f markdown=$out/lint-base.md --base $base $rev" ;;
	oasdiff-breaking) echo "$cache/bin/oasdiff breaking -f json $base $rev" ;;
	oasdiff-changelog) echo "$cache/bin/oasdiff changelog -f json $base $rev" ;;
	esac
}
tools=(lint lint-base oasdiff-breaking oasdiff-changelog)

median() { sort -g | awk '{a[NR]=$1} END {if (NR==0) print "NA"; else if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

declare -A wall rss cpu status
for t in "${tools[@]}"; do
	ws=() ms=() cs=()
	for ((i = 1; i <= runs; i++)); do
		set +e
		# oasdiff writes its JSON to stdout; agentready to the files -f names.
		/usr/bin/time -f "%e %M %U %S" -o "$out/time" $(cmd "$t") >"$out/$t.stdout" 2>"$out/$t.err"
		rc=$?
		set -e
		if [ $rc -ge 2 ]; then
			status[$t]="failed (exit $rc)"
			echo "$t: exit $rc: $(tail -c 300 "$out/$t.err")" >&2
			break
		fi
		read -r w m u k < <(tail -n1 "$out/time")
		ws+=("$w") ms+=("$m") cs+=("$(awk -v u="$u" -v k="$k" 'BEGIN { print u + k }')")
	done
	if [ ${#ws[@]} -gt 0 ]; then
		wall[$t]=$(printf '%s\n' "${ws[@]}" | median)
		rss[$t]=$(printf '%s\n' "${ms[@]}" | median)
		cpu[$t]=$(printf '%s\n' "${cs[@]}" | median)
	fi
done

echo
echo "GitHub's spec, @octokit/openapi $old -> $new; median of $runs runs; ratios = tool / agentready lint --base (wall, CPU)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores (wall time inflates on a busy machine; CPU time less)"
printf '%-19s %10s %10s %10s %8s %8s %s\n' tool "wall (s)" "CPU (s)" "RSS (MiB)" "wall x" "CPU x" note
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b == 0) print "-"; else printf "%.2fx", a / b }'; }
for t in "${tools[@]}"; do
	w=${wall[$t]:-} m=${rss[$t]:-} c=${cpu[$t]:-}
	mib=$( [ -n "$m" ] && awk -v k="$m" 'BEGIN { printf "%.0f", k / 1024 }' || echo "-")
	printf '%-19s %10s %10s %10s %8s %8s %s\n' "$t" "${w:--}" "${c:--}" "$mib" "$(ratio "$w" "${wall[lint-base]:-}")" "$(ratio "$c" "${cpu[lint-base]:-}")" "${status[$t]:-}"
done
echo "(lint-base = lint + loading the base + the oasdiff comparison + the changelog; lint alone for reference)"

echo
node -e '
	const fs = require("fs"), [dir] = process.argv.slice(1);
	const a = JSON.parse(fs.readFileSync(dir + "/lint-base.json", "utf8"));
	const cl = a.extra.changelog, by = {};
	for (const g of cl.groups) by[g.id] = g.entries.length;
	const base = a.findings.filter(f => f.category === "versioning");
	const noPos = base.filter(f => !(f.location.line > 0)).length;
	const count = id => base.filter(f => f.ruleId === id).length;
	console.log(`agentready: ${cl.baseVersion} -> ${cl.revisionVersion} (${cl.bump}): ${cl.verdict}`);
	console.log(`  changelog: ${by.breaking} breaking, ${by.deprecated} deprecated, ${by.added} added, ${by.changed} changed`);
	console.log(`  findings: breaking-change ${count("breaking-change")}, removed-without-deprecation ${count("removed-without-deprecation")}, version-bump-required ${count("version-bump-required")}; ${noPos} of ${base.length} versioning findings without a line`);
	const ob = JSON.parse(fs.readFileSync(dir + "/oasdiff-breaking.stdout", "utf8"));
	const oc = JSON.parse(fs.readFileSync(dir + "/oasdiff-changelog.stdout", "utf8"));
	const skip = new Set(["api-version-not-bumped", "api-version-decreased", "api-major-version-not-bumped"]);
	const n = xs => xs.filter(c => !skip.has(c.id)).length;
	console.log(`oasdiff: breaking ${n(ob)} changes (ERR+WARN), changelog ${n(oc)} (INFO and up)`);
	console.log(`agentready changelog entries: ${by.breaking + by.deprecated + by.added + by.changed} (includes endpoint-removed-after-sunset, which oasdiff does not list)`);
' "$out"
