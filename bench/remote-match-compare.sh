#!/usr/bin/env bash
# remote-match-compare.sh - the remote match (`match T with SERVICE table …`, issue #20) against
# STILTS tapskymatch and against downloading the table and matching locally, in one run.
#
#   bash bench/remote-match-compare.sh           # prints Markdown for docs/performance.md
#
# Remote: the 1e6-row catalogue of bench/scripts/gen_serve_bench.py (13 columns, positions in a
# 5 deg cap) served by `voscript serve`. Local: 1e5 positions (bench/scripts/gen_remote_match.py:
# 90% catalogue rows moved by < 1 arcsec, 10% anywhere in the cap). Match: 1 arcsec, best for T
# (tapskymatch find=best), the remote columns id and mag_V. Methods, each a whole process:
#   voscript, parallel 1, 2, 4     voscript run: load T, match T with s table … block B parallel P, save
#   tapskymatch                    stilts tapskymatch … find=best blocksize=B tapcols=id,mag_V
#   download + local match         voscript run: query all 13 columns of the 1e6 rows, match locally, save
# Bytes: every method runs with its own `voscript serve` in a network namespace of its own
# (`unshare -n`, needs root), so the loopback counters of /proc/net/dev count its traffic only
# (both directions, TCP/IP headers included); serve's own start is not timed.
# Every method's pairs are compared with those of the download + local match; the script fails if
# any differ.
#
# Env: DATA (/var/tmp/voscript-bench), RUNS (3 timed runs per method, median), BLOCK (5000, the
# default of both tools), VOSCRIPT_CLI (default: the repository's Release build, made by ./voscript).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="${DATA:-/var/tmp/voscript-bench}"
runs="${RUNS:-3}"
block="${BLOCK:-5000}"
py=/usr/bin/python3
big="$data/bench1e6/main.vot"
local_t="$data/remote-match/local_1e5.vot"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
log() { echo "[remote-match $(date +%H:%M:%S)] $*" >&2; }

[[ $(id -u) == 0 ]] || { log "needs root (unshare -n for per-method byte counts)"; exit 1; }
[[ -f "$big" ]] || { log "generating $big (about 3 minutes)"; "$py" "$root/bench/scripts/gen_serve_bench.py" "$data/bench1e6" 1000000 >&2; }
[[ -f "$local_t" ]] || "$py" "$root/bench/scripts/gen_remote_match.py" "$big" "$local_t" 100000 >&2
if [[ -z "${VOSCRIPT_CLI:-}" ]]; then
  "$root/voscript" --version >/dev/null
  VOSCRIPT_CLI="$(ls -d "$root"/dsl/VoScript.Cli/bin/Release/net10.0/*/publish/voscript 2>/dev/null | head -1)"
  [[ -x "$VOSCRIPT_CLI" ]] || VOSCRIPT_CLI="$root/voscript"
fi
vos="$VOSCRIPT_CLI"

# one measurement: in a fresh network namespace, start serve, run the method, print "seconds bytes"
measure_once() {
  local method="$1" out="$2"
  unshare -n bash -s "$vos" "$big" "$local_t" "$method" "$out" "$block" "$work" <<'INNER'
set -euo pipefail
vos="$1"; big="$2"; local_t="$3"; method="$4"; out="$5"; block="$6"; work="$7"
ip link set lo up
"$vos" serve --port 18190 --table "$big=bench1e6.main" > "$work/serve.log" 2>&1 &
serve=$!
for _ in $(seq 1 600); do grep -q "press Ctrl-C" "$work/serve.log" 2>/dev/null && break; sleep 0.2; done
url=http://127.0.0.1:18190/tap
bytes() { awk '$1 == "lo:" { print $2 }' /proc/net/dev; }
b0=$(bytes)
t0=$(date +%s.%N)
case "$method" in
  voscript-p*)
    p="${method#voscript-p}"
    printf 'service s = tap "%s"\nload "%s" as t\nmatch t with s table "bench1e6.main" columns id, mag_V within 1 arcsec block %s parallel %s as m\nsave m to "%s"\n' \
      "$url" "$local_t" "$block" "$p" "$out" > "$work/remote.vos"
    "$vos" run "$work/remote.vos" > "$work/run.log" 2>&1 ;;
  tapskymatch)
    stilts tapskymatch in="$local_t" inlon=ra inlat=dec tapurl="$url" taptable=bench1e6.main taplon=ra taplat=dec \
      tapcols=id,mag_V sr=0.000277777777777778 find=best blocksize="$block" out="$out" > "$work/run.log" 2>&1 ;;
  download)
    printf 'service s = tap "%s"\nload "%s" as t\nquery s as big maxrec 2000000 { SELECT * FROM bench1e6.main }\nmatch t, big within 1 arcsec best for t as m\nsave m to "%s"\n' \
      "$url" "$local_t" "$out" > "$work/download.vos"
    "$vos" run "$work/download.vos" > "$work/run.log" 2>&1 ;;
esac
t1=$(date +%s.%N)
b1=$(bytes)
kill "$serve"; wait "$serve" 2>/dev/null || true
grep -qi "truncated" "$work/run.log" && { echo "truncated results: $(grep -i truncated "$work/run.log" | head -3)" >&2; exit 1; }
echo "$(echo "$t1 - $t0" | bc) $((b1 - b0))"
INNER
}

median() { sort -n | sed -n "$(( (runs + 1) / 2 ))p"; }

echo "| method | block | wall time (median of $runs) | min–max | bytes on loopback | pairs |"
echo "|---|---:|---:|---:|---:|---:|"
for method in download voscript-p1 voscript-p2 voscript-p4 tapskymatch; do
  log "$method"
  times=(); bytes=0
  for ((i = 0; i < runs; i++)); do
    read -r t b < <(measure_once "$method" "$work/$method.vot") || { log "$method failed"; cat "$work/run.log" >&2; exit 1; }
    times+=("$t"); bytes=$b
  done
  pairs=$("$py" "$root/bench/scripts/gen_remote_match.py" --compare "$work/download.vot" "$work/$method.vot")
  med=$(printf '%s\n' "${times[@]}" | median)
  lo=$(printf '%s\n' "${times[@]}" | sort -n | head -1); hi=$(printf '%s\n' "${times[@]}" | sort -n | tail -1)
  case "$method" in download) label="download + local match";; tapskymatch) label="STILTS tapskymatch (sync)";; *) label="voscript, parallel ${method#voscript-p}";; esac
  [[ $method == download ]] && b="—" || b=$block
  printf '| %s | %s | %.1f s | %.1f–%.1f s | %s MB | %s |\n' "$label" "$b" "$med" "$lo" "$hi" "$(echo "scale=1; $bytes / 1000000" | bc)" "$pairs"
done
