#!/bin/sh
# --render benchmark (issue 24): the same 100-page folder site audited
# without and with --render, interleaved, printing each run's wall time
# and the peak memory of the whole process tree (agentready plus every
# Chromium process; bench/render/peak samples /proc every 50 ms): the sum
# of RSS (shared pages counted once per process) and of PSS (shared pages
# split, what the tree costs the machine).
#
#   bench/render.sh [-pages 100] [-runs 3] [FLAGS for both runs...]
#
# Half the pages are React-style shells (an empty #root filled by a shared
# script after a JSON call), half server-rendered with a form and JSON-LD.
# The site is generated into a temporary folder; the binary is built into
# ~/.cache/agentready-bench/render.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cache=${AGENTREADY_BENCH_CACHE:-$HOME/.cache/agentready-bench}/render
pages=100 runs=3
while [ $# -gt 0 ]; do
	case $1 in
	-pages) pages=$2; shift 2 ;;
	-runs) runs=$2; shift 2 ;;
	*) break ;;
	esac
done
mkdir -p "$cache"
(cd "$root" && go build -o "$cache/agentready" ./cmd/agentready && go build -o "$cache/peak" ./bench/render/peak)
site=$(mktemp -d)/site
trap 'rm -rf "$(dirname "$site")"' EXIT
mkdir -p "$site/data"
cat >"$site/app.js" <<'JS'
fetch('/data/' + (document.body.dataset.page || 'index') + '.json').then(r => r.json()).then(d => {
  document.getElementById('root').innerHTML = '<main><h1>' + d.title + '</h1><p>' + d.text + '</p>' + d.links + '</main>';
});
JS
i=0
while [ $i -lt "$pages" ]; do
	next=$(( (i + 1) % pages )); prev=$(( (i + pages - 1) % pages ))
	links="<a href=\"/p$next.html\">Next</a> <a href=\"/p$prev.html\">Previous</a> <a href=\"/p$(( (i * 7 + 3) % pages )).html\">See also</a>"
	text="Page $i of the benchmark site. Every cup is thrown by hand on the wheel in our studio by the sea, glazed in small batches and fired twice, so that no two cups are quite alike."
	if [ $((i % 2)) -eq 0 ]; then
		printf '<!doctype html><html lang="en"><head><title>Page %d</title><meta name="description" content="Page %d"></head><body data-page="p%d"><div id="root"></div><nav>%s</nav><script src="/app.js"></script></body></html>\n' "$i" "$i" "$i" "$links" >"$site/p$i.html"
		printf '{"title": "Page %d", "text": "%s", "links": ""}\n' "$i" "$text" >"$site/data/p$i.json"
	else
		printf '<!doctype html><html lang="en"><head><title>Page %d</title><meta name="description" content="Page %d"><script type="application/ld+json">{"@context":"https://schema.org","@type":"Article","headline":"Page %d"}</script></head><body><main><h1>Page %d</h1><p>%s</p><form action="/s"><label>Search <input name="q"></label><button>Go</button></form>%s</main></body></html>\n' "$i" "$i" "$i" "$i" "$text" "$links" >"$site/p$i.html"
	fi
	i=$((i + 1))
done
cp "$site/p0.html" "$site/index.html"

echo "site: $pages pages in $site"
echo "run  mode    seconds rss-MiB pss-MiB (peaks, whole process tree)"
r=1
while [ $r -le "$runs" ]; do
	echo "$r    plain   $("$cache/peak" "$cache/agentready" audit "$site" --max-pages "$pages" --fail-on none "$@")"
	echo "$r    render  $("$cache/peak" "$cache/agentready" audit "$site" --max-pages "$pages" --render --render-pages "$pages" --fail-on none "$@")"
	r=$((r + 1))
done
