#!/usr/bin/env bash
# The main job: runs a real VoScript workflow on this machine, offline, on data the
# repository ships. Output goes to ./out/.
#
#   bash scripts/main-job.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mkdir -p out
vos="$root/voscript"

echo "## 1. the shipped sample catalogue, as read"
"$vos" show scripts/data/sample.vot --limit 5
echo
echo "## 2. converted to VOTable BINARY2 (the default) and to CSV"
"$vos" convert scripts/data/sample.vot out/sample.vot
"$vos" convert scripts/data/sample.vot out/sample.csv
ls -l out/sample.vot out/sample.csv
echo
echo "## 3. statistics of every column of the converted file"
"$vos" show out/sample.vot --stats
