#!/usr/bin/env bash
# serve-compare.sh - `voscript serve` against DaCHS (the test rig's PostgreSQL + q3c/pgSphere),
# the same ADQL over HTTP to both, in one run.
#
#   bash bench/serve-compare.sh --setup    # once: generate the 1e6-row catalogue and import
#                                          # it into the rig's DaCHS (schema bench1e6)
#   bash bench/serve-compare.sh            # measure; prints Markdown for docs/performance.md
#
# Env: DATA (/var/tmp/voscript-bench; the files go to $DATA/bench1e6), RUNS (10 timed runs per
# query, after 1 discarded warm-up run), DACHS_PORT (8080), DACHS_RIG_STATE (/var/tmp/dachs-rig),
# FORMAT (RESPONSEFORMAT, default BINARY2 VOTable), SERVE_TABLE (bench1e6.main),
# STARTS (3 start+load measurements of serve), VOSCRIPT_CLI (the voscript executable to
# measure; default: the repository's Release build, made by ./voscript).
#
# Queries (a) cone: all 13 columns of the rows within 0.5 deg of (150, 2), ~9,900 rows;
# (b) upload join: 1,000 uploaded positions (catalogue rows moved by < 1 arcsec) against the
# catalogue, CONTAINS(POINT, CIRCLE(p.ra, p.dec, 2 arcsec)); (a'), (b') the same as COUNT(*)
# (no rows to write); (c) a trivial one-row query (the cost of a request). DaCHS answers each
# on two copies of the table: bench1e6.main (q3c index) and bench1e6.main_pgs (pgSphere
# index). Every server's
# result is checked (QUERY_STATUS OK, no overflow) and its rows compared with the others' and
# with the brute-force counts of the generator; the script fails if any differ.
#
# The DaCHS resource descriptor bench/dachs/bench1e6/q.rd is copied to
# $DACHS_RIG_STATE/etc/bench1e6/ (DaCHS accepts RDs below its configDir as well as below
# inputsDir; the rig's inputsDir is whichever checkout last ran up.sh, its configDir is fixed)
# and imported by absolute path with tests/dachs-rig/dachs.sh, so the rig's own inputs, tables
# and registry records stay as they are.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="${DATA:-/var/tmp/voscript-bench}/bench1e6"
rig="$root/tests/dachs-rig"
rig_state="${DACHS_RIG_STATE:-/var/tmp/dachs-rig}"
rd_dir="$rig_state/etc/bench1e6"
dachs_tap="http://localhost:${DACHS_PORT:-8080}/tap"
runs="${RUNS:-10}"
starts="${STARTS:-3}"
fmt="${FORMAT:-application/x-votable+xml;serialization=BINARY2}"
serve_table="${SERVE_TABLE:-bench1e6.main}"
py=/usr/bin/python3
n_rows=1000000
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY
export no_proxy=localhost,127.0.0.1 NO_PROXY=localhost,127.0.0.1

log() { echo "[serve-compare $(date +%H:%M:%S)] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# tap_count URL TABLE -> number of rows (empty on failure)
tap_count() {
  curl -s -m 120 "$1/sync" -d REQUEST=doQuery -d LANG=ADQL -d RESPONSEFORMAT=csv \
       --data-urlencode "QUERY=SELECT COUNT(*) AS n FROM $2" 2>/dev/null | sed -n 2p | tr -d '\r'
}

setup() {
  command -v dachs >/dev/null || die "DaCHS is not installed: run tests/dachs-rig/install.sh"
  if [[ ! -f "$data/manifest.txt" ]]; then
    log "generating $data (about 3 minutes)"
    "$py" "$root/bench/scripts/gen_serve_bench.py" "$data" "$n_rows" >&2
  fi
  curl -sf -o /dev/null -m 5 "$dachs_tap/capabilities" || { log "starting the DaCHS rig"; "$rig/up.sh" >/dev/null; }
  mkdir -p "$rd_dir"
  cp "$root/bench/dachs/bench1e6/q.rd" "$rd_dir/q.rd"
  ln -sfn "$data/main.csv" "$rd_dir/main.csv"
  chmod -R a+rX "$rd_dir"
  local stamp="$rd_dir/import.stamp" want
  want="$(cat "$rd_dir/q.rd" "$data/manifest.txt" | md5sum | cut -d' ' -f1)"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" \
        && "$(tap_count "$dachs_tap" bench1e6.main)" == "$n_rows" \
        && "$(tap_count "$dachs_tap" bench1e6.main_pgs)" == "$n_rows" ]]; then
    log "bench1e6 already imported into DaCHS"
    return
  fi
  log "dachs imp $rd_dir/q.rd (two tables of $n_rows rows with q3c and pgSphere indexes; several minutes)"
  local t0=$SECONDS
  "$rig/dachs.sh" imp "$rd_dir/q.rd" > "$rd_dir/imp.log" 2>&1 || { tail -20 "$rd_dir/imp.log" >&2; die "import failed"; }
  echo "$((SECONDS - t0))" > "$rd_dir/imp.seconds"
  log "imported in $((SECONDS - t0)) s; ANALYZE"
  su postgres -c "psql -d gavo -qc 'ANALYZE bench1e6.main; ANALYZE bench1e6.main_pgs;'" >&2
  for t in bench1e6.main bench1e6.main_pgs; do
    [[ "$(tap_count "$dachs_tap" "$t")" == "$n_rows" ]] || die "DaCHS does not answer $n_rows rows for $t"
  done
  echo "$want" > "$stamp"
  log "DaCHS serves bench1e6.main (q3c) and bench1e6.main_pgs (pgSphere) at $dachs_tap"
}

# ---------------------------------------------------------------- measuring
tmp=""
serve_pid=""
cleanup() {
  if [[ -n "$serve_pid" ]]; then kill -TERM "$serve_pid" 2>/dev/null || true; wait "$serve_pid" 2>/dev/null || true; fi
  [[ -n "$tmp" ]] && rm -rf "$tmp"
}

# start_serve: starts `voscript serve` on the catalogue; sets serve_pid, serve_url, and
# line_s / ready_s: seconds from the exec to the first stdout line and to the first query
# that counts all rows of the table
start_serve() {
  local t0 i
  # a fresh file: the child truncates it only after the fork, so a reused one could still
  # hold the previous server's URL when it is first read
  rm -f "$tmp/serve.out" "$tmp/serve.err"
  t0=$(date +%s.%N)
  "$cli" serve "$data/main.vot" --schema bench1e6 --port 0 > "$tmp/serve.out" 2> "$tmp/serve.err" &
  serve_pid=$!
  serve_url=""
  for ((i = 0; i < 6000; i++)); do
    serve_url="$(sed -n 's/^TAP service: \(http[^ ]*\)$/\1/p' "$tmp/serve.out" 2>/dev/null | head -1)"
    [[ -n "$serve_url" ]] && break
    kill -0 "$serve_pid" 2>/dev/null || { cat "$tmp/serve.out" "$tmp/serve.err" >&2; die "voscript serve exited"; }
    sleep 0.01
  done
  [[ -n "$serve_url" ]] || die "voscript serve printed no 'TAP service: URL' line within 60 s"
  line_s=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.2f", b-a}')
  for ((i = 0; i < 1200; i++)); do
    [[ "$(tap_count "$serve_url" "$serve_table")" == "$n_rows" ]] && break
    kill -0 "$serve_pid" 2>/dev/null || { cat "$tmp/serve.err" >&2; die "voscript serve exited"; }
    sleep 0.05
  done
  if [[ "$(tap_count "$serve_url" "$serve_table")" != "$n_rows" ]]; then
    curl -s -m 60 "$serve_url/sync" -d REQUEST=doQuery -d LANG=ADQL -d RESPONSEFORMAT=csv \
      --data-urlencode "QUERY=SELECT COUNT(*) AS n FROM $serve_table" | head -c 600 >&2 || true
    cat "$tmp/serve.out" "$tmp/serve.err" >&2
    die "voscript serve does not answer COUNT(*) = $n_rows for $serve_table at $serve_url"
  fi
  ready_s=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.2f", b-a}')
}
stop_serve() {
  kill -TERM "$serve_pid" 2>/dev/null || true
  wait "$serve_pid" 2>/dev/null || true
  serve_pid=""
}

# request KIND TAG OUT -> prints curl's total time in seconds (request sent to last byte)
request() {
  local kind="$1" tag="$2" out="$3" url="${urls[$2]}"
  if [[ "$kind" != join* ]]; then
    curl -sf -o "$out" -w '%{time_total}\n' -d REQUEST=doQuery -d LANG=ADQL -d MAXREC=1000000 \
      --data-urlencode "RESPONSEFORMAT@$tmp/fmt" --data-urlencode "QUERY@$tmp/${kind}_$tag.adql" "$url/sync"
  else
    curl -sf -o "$out" -w '%{time_total}\n' -F REQUEST=doQuery -F LANG=ADQL -F MAXREC=1000000 \
      -F "RESPONSEFORMAT=<$tmp/fmt" -F "QUERY=<$tmp/${kind}_$tag.adql" \
      -F "UPLOAD=pos,param:upl" -F "upl=@$data/upload.vot" "$url/sync"
  fi
}

# stats FILE -> "median min max" of the numbers in FILE (seconds), as milliseconds
stats() {
  sort -g "$1" | awk '{v[NR]=$1} END{m=(NR%2)?v[(NR+1)/2]:(v[NR/2]+v[NR/2+1])/2;
    printf "%.0f %.0f %.0f\n", m*1000, v[1]*1000, v[NR]*1000}'
}

run() {
  [[ -f "$data/manifest.txt" ]] || die "no $data/manifest.txt: run $0 --setup first"
  local t
  for t in bench1e6.main bench1e6.main_pgs; do
    [[ "$(tap_count "$dachs_tap" "$t")" == "$n_rows" ]] \
      || die "DaCHS at $dachs_tap does not serve $t with $n_rows rows: run $0 --setup"
  done
  local cone_ra cone_dec cone_r cone_expect join_expect
  read -r cone_ra cone_dec cone_r cone_expect < <(awk '$1=="cone"{print $2, $3, $4, $5}' "$data/manifest.txt")
  join_expect=$(awk '$1=="join" && $2==2.0 {print $3}' "$data/manifest.txt")
  tmp="$(mktemp -d)"
  trap cleanup EXIT
  printf '%s' "$fmt" > "$tmp/fmt"

  if [[ -n "${VOSCRIPT_CLI:-}" ]]; then cli="$VOSCRIPT_CLI"; else
    "$root/voscript" --version >/dev/null   # builds the CLI (Release) when needed
    cli="$root/.build/cli/voscript"
  fi
  [[ -x "$cli" ]] || die "no $cli after building"

  local load_start load_end
  load_start="$(uptime | sed 's/.*load average: //')"
  log "load average at start: $load_start"

  # -- serve start + load, STARTS times
  local i lines=() readies=()
  for ((i = 0; i < starts; i++)); do
    start_serve
    log "serve start $((i + 1)): first line after $line_s s, $n_rows rows answered after $ready_s s"
    lines+=("$line_s"); readies+=("$ready_s")
    ((i == starts - 1)) || stop_serve
  done
  printf '%s\n' "${readies[@]}" > "$tmp/ready"; printf '%s\n' "${lines[@]}" > "$tmp/line"

  # -- the servers and their queries (identical but for the table name)
  declare -gA urls=([serve]="$serve_url" [dachs_q3c]="$dachs_tap" [dachs_pgs]="$dachs_tap")
  declare -A tables=([serve]="$serve_table" [dachs_q3c]=bench1e6.main [dachs_pgs]=bench1e6.main_pgs)
  local tags=(serve dachs_q3c dachs_pgs) tag kind kinds=(cone join cone_n join_n one)
  local cone_where join_on
  cone_where="WHERE 1=CONTAINS(POINT('ICRS', ra, dec), CIRCLE('ICRS', $cone_ra, $cone_dec, $cone_r))"
  join_on="ON 1=CONTAINS(POINT('ICRS', t.ra, t.dec), CIRCLE('ICRS', p.ra, p.dec, 2.0/3600.0))"
  for tag in "${tags[@]}"; do
    t="${tables[$tag]}"
    echo -n "SELECT id, ra, dec, mag_U, mag_B, mag_V, mag_R, mag_I, mag_J, mag_H, mag_K, mag_err, name FROM $t $cone_where" > "$tmp/cone_$tag.adql"
    echo -n "SELECT p.pos_id, t.id, t.ra, t.dec, t.mag_V FROM TAP_UPLOAD.pos AS p JOIN $t AS t $join_on" > "$tmp/join_$tag.adql"
    # the same selections counted in the database only: separates query from serialization
    echo -n "SELECT COUNT(*) AS n FROM $t $cone_where" > "$tmp/cone_n_$tag.adql"
    echo -n "SELECT COUNT(*) AS n FROM TAP_UPLOAD.pos AS p JOIN $t AS t $join_on" > "$tmp/join_n_$tag.adql"
    # a trivial query: the cost of a request itself (HTTP, ADQL, a one-row VOTable)
    echo -n "SELECT COUNT(*) AS n FROM $t WHERE id = 1000000000" > "$tmp/one_$tag.adql"
  done

  # -- correctness: every server's rows equal, and equal to the generator's brute force
  declare -A rows=()
  local r fail=0
  for kind in "${kinds[@]}"; do
    local ref="" keys=id expect=$cone_expect
    [[ $kind == join ]] && { keys=pos_id,id; expect=$join_expect; }
    [[ $kind == cone_n ]] && keys==n
    [[ $kind == join_n ]] && { keys==n; expect=$join_expect; }
    [[ $kind == one ]] && { keys==n; expect=1; }
    for tag in "${tags[@]}"; do
      request "$kind" "$tag" "$tmp/res_${kind}_$tag.vot" >/dev/null \
        || die "$kind on $tag: HTTP request failed"
      r="$("$py" "$root/bench/scripts/tap_result_rows.py" "$tmp/res_${kind}_$tag.vot" "$keys")" \
        || die "$kind on $tag: bad result"
      log "$kind $tag: rows, digest, serialization: $r"
      rows[$kind,$tag]="${r%% *}"
      [[ -z "$ref" ]] && ref="${r% *}"
      if [[ "${r% *}" != "$ref" ]]; then log "MISMATCH: $kind on $tag differs from ${tags[0]}"; fail=1; fi
      if [[ "${r%% *}" != "$expect" ]]; then log "MISMATCH: $kind on $tag: ${r%% *} rows, brute force says $expect"; fail=1; fi
    done
  done
  ((fail == 0)) || die "the servers' results differ (see above)"

  # -- timing: RUNS rounds, the servers interleaved in each round, after 1 discarded round
  for kind in "${kinds[@]}"; do
    for ((i = 0; i <= runs; i++)); do
      for tag in "${tags[@]}"; do
        t="$(request "$kind" "$tag" /dev/null)" || die "$kind on $tag failed in round $i"
        ((i == 0)) || echo "$t" >> "$tmp/t_${kind}_$tag"
      done
    done
    log "$kind: $runs timed rounds done"
  done
  local rss
  rss=$(awk '/VmHWM/{printf "%.0f", $2/1024}' "/proc/$serve_pid/status")
  load_end="$(uptime | sed 's/.*load average: //')"
  log "load average at end: $load_end"
  stop_serve

  # -- report
  local v
  v="$(dpkg-query -W -f '${Version}' gavodachs2-server 2>/dev/null || echo '?')"
  echo "Machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GB", $2/1048576}' /proc/meminfo); load average (1, 5, 15 min) at start $load_start, at end $load_end."
  echo "Versions: voscript $("$cli" --version 2>/dev/null | head -1), .NET $(dotnet --version 2>/dev/null), DaCHS $v, PostgreSQL $(dpkg-query -W -f '${Version}' postgresql-15 2>/dev/null), q3c $(dpkg-query -W -f '${Version}' postgresql-15-q3c 2>/dev/null), pgSphere $(dpkg-query -W -f '${Version}' postgresql-15-pgsphere 2>/dev/null)."
  echo "RESPONSEFORMAT=$fmt, MAXREC=1000000, $runs timed requests per query and server (curl time_total, first round discarded, servers interleaved)."
  echo
  echo "| query | server | rows | median | min–max | serve faster by |"
  echo "|---|---|---:|---:|---:|---:|"
  declare -A label=([serve]="voscript serve" [dachs_q3c]="DaCHS, q3c index" [dachs_pgs]="DaCHS, pgSphere index")
  declare -A qlabel=([cone]="(a) cone 0.5°" [join]="(b) upload join 1,000 × 2″"
    [cone_n]="(a′) COUNT(*) of (a)" [join_n]="(b′) COUNT(*) of (b)" [one]="(c) COUNT(*) WHERE id = …, 1 row")
  local med mn mx smed
  for kind in "${kinds[@]}"; do
    read -r smed mn mx < <(stats "$tmp/t_${kind}_serve")
    for tag in "${tags[@]}"; do
      read -r med mn mx < <(stats "$tmp/t_${kind}_$tag")
      local ratio="—"
      [[ $tag == serve ]] || ratio="$(awk -v a="$med" -v b="$smed" 'BEGIN{printf "%.1f×", a/b}')"
      echo "| ${qlabel[$kind]} | ${label[$tag]} | ${rows[$kind,$tag]} | $med ms | $mn–$mx ms | $ratio |"
    done
  done
  echo
  read -r med mn mx < <(stats "$tmp/ready")
  local lmed
  read -r lmed _ _ < <(stats "$tmp/line")
  echo "voscript serve start + load of main.vot ($n_rows rows, BINARY2, $(du -m "$data/main.vot" | cut -f1) MB) until COUNT(*) answers: median $((med)) ms (min–max $mn–$mx ms, $starts starts; first stdout line after $lmed ms); peak RSS after the queries $rss MB."
  [[ -f "$rd_dir/imp.seconds" ]] && echo "DaCHS import (dachs imp of the CSV into both tables, with indexes): $(cat "$rd_dir/imp.seconds") s, once, at setup."
  return 0
}

if [[ "${1:-}" == "--setup" ]]; then setup; exit 0; fi
[[ $# -eq 0 ]] || { sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 2; }
run
