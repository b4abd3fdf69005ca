#!/usr/bin/env bash
# Whole-process comparison, in one run on the same files: voscript vs STILTS vs astropy
# reading and decoding every cell of a VOTable (TABLEDATA, BINARY, BINARY2).
#
#   bash bench/compare.sh [N ...]          # default: 100000 1000000
#   RUNS=5 DATA=/var/tmp/voscript-bench bash bench/compare.sh 1000000
#   NO_ASTROPY=1 bash bench/compare.sh 1000000      # voscript and STILTS only (astropy takes ~25 s a file)
#
# Prints a Markdown table (median wall time and peak RSS of RUNS runs, and ratios)
# ready for docs/performance.md. Data are generated once by scripts/gen_votables.py.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="${DATA:-/var/tmp/voscript-bench}"
runs="${RUNS:-3}"
ns=("$@"); ((${#ns[@]})) || ns=(100000 1000000)
py=/usr/bin/python3
mkdir -p "$data"
tmp="$(mktemp)"; trap 'rm -f "$tmp"' EXIT

for n in "${ns[@]}"; do
  [[ -f "$data/cat_${n}_binary2.vot" ]] || "$py" "$root/bench/scripts/gen_votables.py" "$data" "$n" >&2
done
"$root/voscript" --version >/dev/null   # build before timing

# median "seconds rss_mb" of $runs runs of a command
measure() {
  local out=() i
  for ((i = 0; i < runs; i++)); do
    /usr/bin/time -o "$tmp" -f '%e %M' "$@" >/dev/null 2>&1
    out+=("$(tail -1 "$tmp")")
  done
  printf '%s\n' "${out[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p" | awk '{printf "%.2f %.0f\n", $1, $2/1024}'
}

echo "load average at start: $(uptime | sed 's/.*load average: //')" >&2
echo "| rows | serialization | voscript show --stats | STILTS tpipe omode=count | astropy parse+to_table | vs STILTS | vs astropy |"
echo "|---:|---|---:|---:|---:|---:|---:|"
for n in "${ns[@]}"; do
  for ser in tabledata binary binary2; do
    f="$data/cat_${n}_${ser}.vot"
    read -r vt vm < <(measure "$root/voscript" show "$f" --stats)
    read -r st sm < <(measure stilts tpipe in="$f" omode=count)
    if [[ -n "${NO_ASTROPY:-}" ]]; then at=–; am=–; ra=–
    else
      read -r at am < <(measure "$py" "$root/bench/scripts/astropy_parse.py" "$f")
      ra=$(awk -v a="$at" -v b="$vt" 'BEGIN{printf "%.1f×", a/b}')
    fi
    rs=$(awk -v a="$st" -v b="$vt" 'BEGIN{printf "%.1f×", a/b}')
    echo "| $n | $ser | ${vt} s, ${vm} MB | ${st} s, ${sm} MB | ${at} s, ${am} MB | $rs | $ra |"
  done
done
