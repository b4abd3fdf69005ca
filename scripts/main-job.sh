#!/usr/bin/env bash
# The main job: the tutorial workflow (scripts/local/seds.vos) end to end on this machine,
# offline. Three catalogues are queried in parallel as async TAP jobs, matched into objects
# with their SEDs (out/seds.png), then spectra near the objects are found through an upload
# join on ObsCore, asked of a service set built from a table of archives (out/archives.csv),
# and downloaded into out/spectra/. A query of a column the service lacks runs with
# 'on error continue': a warning, and the run still succeeds. The TAP service is `voscript serve` of the sample field in
# scripts/data/field (the DaCHS rig's data and quirks), started here on a free port and
# stopped when the job ends. Tables are written to ./out/ (or $MAIN_JOB_OUT).
#
#   bash scripts/main-job.sh            no root, no apt: only the .NET SDK
#   bash scripts/main-job.sh --dachs    against the GAVO DaCHS rig of tests/dachs-rig instead
#                                       (installing and starting it needs root)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out="${MAIN_JOB_OUT:-$root/out}"
field="$root/scripts/data/field"

dachs=false
case "${1:-}" in
  "") ;;
  --dachs) dachs=true ;;
  -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "main-job: unknown option '$1' (use --dachs, or nothing)" >&2; exit 2 ;;
esac

echo "## building voscript (once; again only when sources change)" >&2
./voscript --version >/dev/null

if $dachs; then
  tap="http://localhost:${DACHS_PORT:-8080}/tap"
  command -v curl >/dev/null || { echo "main-job: curl is needed for --dachs (apt-get install curl)" >&2; exit 1; }
  if ! curl -sf -o /dev/null -m 5 "$tap/capabilities"; then
    if [[ $(id -u) -ne 0 ]]; then
      echo "main-job: the DaCHS rig at $tap is not running, and installing and starting it needs root: sudo bash $0 --dachs" >&2
      exit 1
    fi
    echo "## starting the DaCHS rig (GAVO DaCHS, PostgreSQL): about a minute the first time" >&2
    tests/dachs-rig/install.sh >&2
    tests/dachs-rig/up.sh >&2
  fi
else
  # voscript serve of the sample field on a free port; its first stdout line is the URL.
  state="$(mktemp -d "${TMPDIR:-/tmp}/voscript-main-job.XXXXXX")"
  mkfifo "$state/out"
  ./voscript serve \
    --table "$field/cat_a.vot=cat_a.main" \
    --table "$field/cat_b.vot=cat_b.main" \
    --table "$field/cat_c.vot=cat_c.main" \
    --obscore "$field/obscore.vot" --port 0 >"$state/out" 2>"$state/err" &
  server=$!
  stop_server() {
    kill -TERM "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
    rm -rf "$state"
  }
  trap stop_server EXIT
  trap 'exit 130' INT TERM
  exec 3<"$state/out"
  if ! IFS= read -r -t 60 first <&3 || [[ "$first" != "TAP service: "* ]]; then
    echo "main-job: voscript serve did not start:" >&2
    cat "$state/err" >&2
    exit 1
  fi
  tap="${first#TAP service: }"
  cat <&3 >"$state/log" &    # the rest of its output, so the server never blocks on a full pipe
  echo "## voscript serve of scripts/data/field: $tap" >&2
fi

mkdir -p "$out"
cd "$out"
# the script's own list of archives: the service under two spellings of its URL, and one that is not there
printf 'short_name,access_url\nfield,%s\nfield-again,HTTP://%s/\ngone,%s/no/such/tap\n' "$tap" "${tap#http://}" "${tap%/tap}" >archives.csv
echo "## voscript run scripts/local/seds.vos --param tap_url=$tap --param archives_file=archives.csv   (tables written to $out)"
"$root/voscript" run "$root/scripts/local/seds.vos" --param "tap_url=$tap" --param archives_file=archives.csv
