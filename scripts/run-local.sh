#!/bin/bash
# Runs the local tutorial (scripts/local/seds.vos) end to end on this machine,
# without internet: starts the DaCHS rig of tests/dachs-rig if it is not
# answering, then runs the script and writes its tables to OUTDIR.
#
#   scripts/run-local.sh [OUTDIR]        (default: ./voscript-out; starting the rig needs root)
#
# Environment: DACHS_PORT (8080), VOSCRIPT_RIG_DIR (where the rig is copied so
# that the DaCHS user can read it; default /var/tmp/voscript-dachs-rig).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$PWD/voscript-out}"
port="${DACHS_PORT:-8080}"
tap="http://localhost:$port/tap"

if ! curl -sf -o /dev/null "$tap/capabilities"; then
  if [ "$(id -u)" != 0 ]; then
    echo "The DaCHS rig is not running at $tap and starting it needs root: sudo $0 $*" >&2
    exit 2
  fi
  rig="${VOSCRIPT_RIG_DIR:-/var/tmp/voscript-dachs-rig}"
  echo "Starting the DaCHS rig from $rig …" >&2
  mkdir -p "$rig"
  cp -r "$repo/tests/dachs-rig/." "$rig/"
  chmod -R o+rX "$rig"
  d="$rig"; while [ "$d" != / ]; do chmod o+x "$d" 2>/dev/null || true; d="$(dirname "$d")"; done
  "$rig/install.sh" >&2
  "$rig/up.sh" >&2
fi

dotnet build "$repo/dsl/VoScript.Cli" -c Release -v quiet -nologo >&2
mkdir -p "$out"
cd "$out"
sed "s#http://localhost:8080/tap#$tap#g" "$repo/scripts/local/seds.vos" > seds.vos
exec dotnet "$repo/dsl/VoScript.Cli/bin/Release/net10.0/voscript.dll" run seds.vos
