#!/usr/bin/env bash
# Whole-process comparison of friends-of-friends clustering, in one run on the same files:
# VoScript (bench/VoScript.ClusterBench: read FITS, repairs, cluster, full result table)
# vs astropy+scipy (scripts/xmatch_astropy.py: search_around_sky + connected_components)
# vs STILTS (tmatch1 matcher=sky action=identify).
#
#   bash bench/cluster-compare.sh [N ...]          # default: 100000 1000000
#   RUNS=5 DATA=/var/tmp/voscript-bench ANGLE=1.5 bash bench/cluster-compare.sh 1000000
#
# Prints a Markdown table (median wall time and peak RSS of RUNS runs, group counts, ratios)
# ready for docs/performance.md. Data are generated once by scripts/gen_xmatch.py.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="${DATA:-/var/tmp/voscript-bench}"
runs="${RUNS:-5}"
angle="${ANGLE:-1.5}"
ns=("$@"); ((${#ns[@]})) || ns=(100000 1000000)
py=/usr/bin/python3
mkdir -p "$data"

for n in "${ns[@]}"; do
  [[ -f "$data/xm_${n}_concat.fits" ]] || "$py" "$root/bench/scripts/gen_xmatch.py" "$data" "$n" >&2
done
dotnet build -c Release "$root/bench/VoScript.ClusterBench" -v q -nologo >&2
vos="$root/bench/VoScript.ClusterBench/bin/Release/net10.0/VoScript.ClusterBench"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT

# median "seconds rss_mb" of $runs runs of a command
measure() {
  local out=() i
  for ((i = 0; i < runs; i++)); do
    /usr/bin/time -f '%e %M' -o "$tmp/time" "$@" >/dev/null 2>&1
    out+=("$(tail -1 "$tmp/time")")
  done
  printf '%s\n' "${out[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p" | awk '{printf "%.2f %.0f\n", $1, $2/1024}'
}

echo "| rows | VoScript | astropy + scipy | STILTS tmatch1 | groups (VoScript / astropy / STILTS) | vs astropy | vs STILTS |"
echo "|---:|---:|---:|---:|---|---:|---:|"
for n in "${ns[@]}"; do
  f="$data/xm_${n}_concat.fits"
  gv=$("$vos" "$f" "$angle" | sed -n 's/^GROUPS=//p')
  ga=$("$py" "$root/bench/scripts/xmatch_astropy.py" "$f" "$angle" | sed -n 's/^GROUPS=//p')
  stilts tmatch1 in="$f" matcher=sky values='ra dec' params="$angle" action=identify out="$tmp/ident.fits" >/dev/null 2>&1
  # STILTS leaves GroupID null for rows in no group: groups = those rows + distinct GroupIDs
  gs=$("$py" -c "import sys, numpy as np; from astropy.table import Table
g = Table.read(sys.argv[1])['GroupID']; m = np.ma.getmaskarray(g)
print(int(m.sum()) + len(np.unique(np.asarray(g)[~m])))" "$tmp/ident.fits")
  read -r vt vm < <(measure "$vos" "$f" "$angle")
  read -r at am < <(measure "$py" "$root/bench/scripts/xmatch_astropy.py" "$f" "$angle")
  read -r st sm < <(measure stilts tmatch1 in="$f" matcher=sky values='ra dec' params="$angle" action=identify out="$tmp/ident.fits")
  ra=$(awk -v a="$at" -v b="$vt" 'BEGIN{printf "%.1f×", a/b}')
  rs=$(awk -v a="$st" -v b="$vt" 'BEGIN{printf "%.1f×", a/b}')
  echo "| $n | ${vt} s, ${vm} MB | ${at} s, ${am} MB | ${st} s, ${sm} MB | $gv / $ga / $gs | $ra | $rs |"
done
