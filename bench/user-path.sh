#!/usr/bin/env bash
# The user's path, whole process, in one run on the same data: `voscript run` of a script that
# loads a table, clusters it (friends-of-friends) and saves the result (and one that loads two
# catalogues, pair-matches them with `match … best` and saves the pairs, against astropy's
# match_coordinates_sky both ways and STILTS tmatch2 find=best, checking the pairs equal STILTS's), against astropy + scipy
# (scripts/user_path_astropy.py: Table.read, search_around_sky, connected_components, write)
# and STILTS (tmatch1 matcher=sky action=identify, writing the identified table).
#
#   bash bench/user-path.sh [N ...]                  # default: 1000000
#   RUNS=3 DATA=/var/tmp/voscript-bench ANGLE=1.5 bash bench/user-path.sh 100000 1000000
#   OTHERS_VOT=1 bash bench/user-path.sh             # astropy and STILTS also on the VOTable copy
#
# The cluster path: everyone reads and writes the FITS copy (astropy's and STILTS's fastest format); a
# second row has VoScript on the VOTable copy (BINARY2) against the others on FITS, and with OTHERS_VOT=1
# a third has everyone on VOTable. Prints a Markdown table: median wall
# seconds (and the CPU seconds, user + system, of that run: on a loaded machine the steadier figure)
# and peak RSS of RUNS runs, the group counts (all must agree), and the ratios. VoScript runs as ./voscript
# runs it (the native build when there is one); the rows "JIT build" run the same with VOSCRIPT_NATIVE=0.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="${DATA:-/var/tmp/voscript-bench}"
runs="${RUNS:-3}"
angle="${ANGLE:-1.5}"
ns=("$@"); ((${#ns[@]})) || ns=(1000000)
py=/usr/bin/python3
mkdir -p "$data"
command -v stilts >/dev/null || { echo "user-path.sh: STILTS (stilts) is needed" >&2; exit 1; }

for n in "${ns[@]}"; do
  [[ -f "$data/xm_${n}_concat.vot" && -f "$data/xm_${n}_concat.fits" ]] \
    || "$py" "$root/bench/scripts/gen_xmatch.py" "$data" "$n" >&2
done
"$root/voscript" --version >/dev/null   # builds the CLI when needed, outside the timing
vos="$root/voscript"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT

# median "seconds rss_mb cpu_seconds" of $runs runs of a command (by wall time); fails when the command fails
measure() {
  local out=() i
  for ((i = 0; i < runs; i++)); do
    if ! /usr/bin/time -f '%e %M %U %S' -o "$tmp/time" "$@" >"$tmp/out" 2>&1; then
      echo "user-path.sh: failed: $*" >&2; cat "$tmp/out" >&2; exit 1
    fi
    out+=("$(tail -1 "$tmp/time")")
  done
  printf '%s\n' "${out[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p" | awk '{printf "%.2f %.0f %.2f\n", $1, $2/1024, $3 + $4}'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.1f×", a/b}'; }

# groups in a voscript result: group ids are 1..groups, so the largest one
vos_groups() { "$vos" show "$1" --stats | awk '$1 == "group_id" {print $6}'; }
# groups in an astropy or STILTS result
other_groups() {
  "$py" -c "import sys, numpy as np; from astropy.table import Table
t = Table.read(sys.argv[1]); c = 'GroupID' if 'GroupID' in t.colnames else 'group_id'
g = t[c]; m = np.ma.getmaskarray(g)
print(int(m.sum()) + len(np.unique(np.asarray(g)[~m])))" "$1"
}

load_start="$(uptime | sed 's/.*load average: //')"
echo "load average at start: $load_start; $(nproc) cores; RUNS=$runs" >&2
echo "| rows | path | VoScript | astropy + scipy | STILTS | groups (VoScript / astropy / STILTS) | vs astropy | vs STILTS |"
echo "|---:|---|---:|---:|---:|---|---:|---:|"
for n in "${ns[@]}"; do
  vot="$data/xm_${n}_concat.vot" fits="$data/xm_${n}_concat.fits"

  # -- load → cluster → save: VoScript on the FITS copy (the files astropy and STILTS read) and on the VOTable copy
  declare -A vt vm vc vg at am ac ga st sm sc gs
  for fmt in fits vot; do
    cat >"$tmp/cluster.vos" <<VOS
load "$data/xm_${n}_concat.$fmt" as cat
cluster cat within $angle arcsec as groups
save groups to "$tmp/vos_groups.$fmt"
VOS
    read -r "vt[$fmt]" "vm[$fmt]" "vc[$fmt]" < <(measure "$vos" run "$tmp/cluster.vos")
    vg[$fmt]=$(vos_groups "$tmp/vos_groups.$fmt")
    # the same with the JIT build (what runs without the native build, or for scripts with csharp blocks)
    [[ $fmt == fits ]] && read -r jt jm jc < <(measure env VOSCRIPT_NATIVE=0 "$vos" run "$tmp/cluster.vos")
  done
  for fmt in fits ${OTHERS_VOT:+vot}; do
    in="$data/xm_${n}_concat.$fmt"
    if [[ $fmt == fits ]]; then sfmt=fits; else sfmt=votable-binary2-inline; fi
    read -r "at[$fmt]" "am[$fmt]" "ac[$fmt]" < <(measure "$py" "$root/bench/scripts/user_path_astropy.py" "$in" "$tmp/py_groups.$fmt" "$angle")
    ga[$fmt]=$(other_groups "$tmp/py_groups.$fmt")
    read -r "st[$fmt]" "sm[$fmt]" "sc[$fmt]" < <(measure stilts tmatch1 in="$in" matcher=sky values='ra dec' params="$angle" \
      action=identify out="$tmp/st_groups.$fmt" ofmt="$sfmt")
    gs[$fmt]=$(other_groups "$tmp/st_groups.$fmt")
  done
  # rows: everyone on FITS; VoScript on VOTable against the others on FITS; with OTHERS_VOT=1 everyone on VOTable
  for row in "fits fits all: fits" "vot fits VoScript: vot, others: fits" ${OTHERS_VOT:+"vot vot all: vot"}; do
    read -r v o label <<<"$row"
    echo "| $n | load→cluster→save ($label) | ${vt[$v]} s (CPU ${vc[$v]} s), ${vm[$v]} MB | ${at[$o]} s (CPU ${ac[$o]} s), ${am[$o]} MB | ${st[$o]} s (CPU ${sc[$o]} s), ${sm[$o]} MB | ${vg[$v]} / ${ga[$o]} / ${gs[$o]} | $(ratio "${at[$o]}" "${vt[$v]}") (CPU $(ratio "${ac[$o]}" "${vc[$v]}")) | $(ratio "${st[$o]}" "${vt[$v]}") (CPU $(ratio "${sc[$o]}" "${vc[$v]}")) |"
  done
  echo "| $n | load→cluster→save (all: fits), JIT build | ${jt} s (CPU ${jc} s), ${jm} MB | ${at[fits]} s | ${st[fits]} s | | $(ratio "${at[fits]}" "$jt") (CPU $(ratio "${ac[fits]}" "$jc")) | $(ratio "${st[fits]}" "$jt") (CPU $(ratio "${sc[fits]}" "$jc")) |"
  unset vt vm vc vg at am ac ga st sm sc gs

  # -- load → match → save (cat1 with cat2), everyone on the same FITS files; VoScript's pairs must be STILTS's
  cat >"$tmp/match.vos" <<VOS
load "$data/xm_${n}_cat1.fits" as a
load "$data/xm_${n}_cat2.fits" as b
match a, b within $angle arcsec as pairs
save pairs to "$tmp/vos_pairs.fits"
VOS
  read -r mvt mvm mvc < <(measure "$vos" run "$tmp/match.vos")
  read -r mjt mjm mjc < <(measure env VOSCRIPT_NATIVE=0 "$vos" run "$tmp/match.vos")
  read -r mat mam mac < <(measure "$py" "$root/bench/scripts/match_astropy.py" "$data/xm_${n}_cat1.fits" \
    "$data/xm_${n}_cat2.fits" "$tmp/py_pairs.fits" "$angle")
  pa=$("$py" "$root/bench/scripts/match_astropy.py" "$data/xm_${n}_cat1.fits" "$data/xm_${n}_cat2.fits" \
    "$tmp/py_pairs.fits" "$angle" | sed -n 's/^PAIRS=//p')
  read -r mst msm msc < <(measure stilts tmatch2 in1="$data/xm_${n}_cat1.fits" in2="$data/xm_${n}_cat2.fits" \
    matcher=sky values1='ra dec' values2='ra dec' params="$angle" find=best out="$tmp/st_pairs.fits")
  # pairs as (id of cat1, id of cat2): VoScript names clashing columns a_id/b_id, STILTS id_1/id_2
  read -r pv ps same < <("$py" -c "import sys; from astropy.table import Table
v = Table.read(sys.argv[1]); s = Table.read(sys.argv[2])
pv = set(zip(v['a_id'].tolist(), v['b_id'].tolist())); ps = set(zip(s['id_1'].tolist(), s['id_2'].tolist()))
print(len(v), len(s), 'identical' if pv == ps and len(v) == len(pv) else f'DIFFER({len(pv ^ ps)})')" "$tmp/vos_pairs.fits" "$tmp/st_pairs.fits")
  echo "| $n | load→match→save, cat1 × cat2 (all: fits) | ${mvt} s (CPU ${mvc} s), ${mvm} MB | ${mat} s (CPU ${mac} s), ${mam} MB | ${mst} s (CPU ${msc} s), ${msm} MB | pairs $pv / $pa / $ps ($same to STILTS) | $(ratio "$mat" "$mvt") (CPU $(ratio "$mac" "$mvc")) | $(ratio "$mst" "$mvt") (CPU $(ratio "$msc" "$mvc")) |"
  echo "| $n | load→match→save (all: fits), JIT build | ${mjt} s (CPU ${mjc} s), ${mjm} MB | ${mat} s | ${mst} s | | $(ratio "$mat" "$mjt") (CPU $(ratio "$mac" "$mjc")) | $(ratio "$mst" "$mjt") (CPU $(ratio "$msc" "$mjc")) |"
done
echo "load average at end: $(uptime | sed 's/.*load average: //')" >&2
