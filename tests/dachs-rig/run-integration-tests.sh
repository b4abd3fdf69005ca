#!/bin/bash
# run-integration-tests.sh - install and start the DaCHS rig, run the NUnit
# "Integration" category against it, then stop the rig again if this script
# started it (a rig that was already up is left running).
#
#   tests/dachs-rig/run-integration-tests.sh [extra dotnet test args]
#
# Needs root (apt, PostgreSQL, DaCHS). Times on 2 cores: install 17-60 s the
# first time (5 s when installed), up 20 s cold / 5 s warm, tests about 2 min.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
PORT="${DACHS_PORT:-8080}"
was_up=0
curl -sf -o /dev/null -m 5 "http://localhost:$PORT/tap/capabilities" && was_up=1
"$HERE/install.sh" >&2
URL="$("$HERE/up.sh" | tail -1)"
export VOSCRIPT_DACHS_URL="$URL"
echo "[run-integration-tests] rig at $URL" >&2
rc=0
dotnet test "$REPO/tests/VoScript.Integration.Tests" --filter "TestCategory=Integration" "$@" || rc=$?
if [ "$was_up" = 0 ]; then "$HERE/down.sh" >&2 || true; fi
exit $rc
