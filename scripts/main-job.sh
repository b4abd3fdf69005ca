#!/usr/bin/env bash
# The main job: the tutorial workflow (scripts/local/seds.vos) end to end on this
# machine, offline. Three catalogues are queried in parallel as async TAP jobs, then
# spectra near the sources are found through an upload join on ObsCore. The services
# are the repository's own GAVO DaCHS rig (tests/dachs-rig), which this script installs
# (apt) and starts when it is not already answering. Tables are written to ./out/.
#
#   bash scripts/main-job.sh            (installing and starting the rig needs root)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
tap="http://localhost:${DACHS_PORT:-8080}/tap"

command -v curl >/dev/null || { echo "main-job: curl is needed (apt-get install curl)" >&2; exit 1; }
if ! curl -sf -o /dev/null -m 5 "$tap/capabilities"; then
  if [[ $(id -u) -ne 0 ]]; then
    echo "main-job: the local TAP service at $tap is not running, and installing and starting it needs root: sudo bash $0" >&2
    exit 1
  fi
  echo "## starting the local TAP service (GAVO DaCHS, PostgreSQL): about a minute the first time" >&2
  tests/dachs-rig/install.sh >&2
  tests/dachs-rig/up.sh >&2
fi

./voscript --version >/dev/null   # builds once
mkdir -p out
cd out
echo "## voscript run scripts/local/seds.vos   (tables written to out/)"
../voscript run ../scripts/local/seds.vos
