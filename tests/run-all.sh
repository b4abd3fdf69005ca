#!/usr/bin/env bash
# Sets up what the tests need and runs them all: unit tests, then integration tests
# against real servers (GAVO DaCHS, SAMP hubs) that this script installs and starts.
# Safe to run twice. Ends with the line "tests: N passed, N failed, N skipped".
#
#   bash tests/run-all.sh            # everything
#   bash tests/run-all.sh --unit     # unit and conformance tests only (no servers)
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
unit_only=false
[[ "${1:-}" == "--unit" ]] && unit_only=true
results="$root/.build/test-results"
rm -rf "$results"; mkdir -p "$results"
log() { printf '\n== %s ==\n' "$*"; }

# --- 1. packages the tests use as reference tools (astropy, STILTS, …) ---------
apt_install() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  ((${#missing[@]} == 0)) && return 0
  log "apt-get install ${missing[*]}"
  local sudo=""; [[ $(id -u) -ne 0 ]] && sudo="sudo"
  for i in 1 2 3 4 5 6; do
    $sudo apt-get update -qq && $sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" && return 0
    echo "apt busy or failing; retry $i in 10 s" >&2; sleep 10
  done
  return 1
}
apt_install curl python3-astropy python3-pyvo python3-scipy python3-numpy stilts tmux || echo "warning: some reference tools could not be installed; their tests will be skipped" >&2
# the linker of voscript's native build (NativeAOT); NativeBuildTests fail in CI without it
apt_install clang || echo "warning: clang could not be installed; ./voscript builds only its JIT build" >&2

# --- 2. build once -------------------------------------------------------------
log "build"
if ! dotnet build VoScript.sln -c Debug --nologo -v q -clp:ErrorsOnly; then
  echo "tests: 0 passed, 1 failed"
  exit 1
fi
./voscript --version >/dev/null || { echo "tests: 0 passed, 1 failed"; exit 1; }

run_tests() { # name, project, filter
  log "$1"
  dotnet test "$2" --no-build --nologo --filter "$3" \
    --logger "trx;LogFileName=$1.trx" --results-directory "$results" -- NUnit.DefaultTimeout=600000
}

status=0
fuzz_passed=0; fuzz_failed=0
run_tests unit-engine tests/VoScript.Engine.Tests "TestCategory!=Integration" || status=1
run_tests unit-dsl tests/VoScript.Dsl.Tests "TestCategory!=Integration" || status=1
run_tests unit-cli tests/VoScript.Cli.Tests "TestCategory!=Integration" || status=1
run_tests unit-server tests/VoScript.Server.Tests "TestCategory!=Integration" || status=1
run_tests unit-hosting tests/VoScript.Hosting.Tests "TestCategory!=Integration" || status=1
run_tests unit-architecture tests/VoScript.Architecture.Tests "TestCategory!=Integration" || status=1

# --- 3. integration tests against real servers ---------------------------------
if ! $unit_only; then
  # SAMP peers (JSAMP hub, astropy hub and receiver, TOPCAT under Xvfb): the tests
  # start and stop them themselves; here they are only installed.
  if [[ -x tests/samp-rig/install-deps.sh ]]; then
    log "SAMP peers: install"
    tests/samp-rig/install-deps.sh || echo "error: SAMP peers could not be installed; their tests will fail" >&2
  fi
  # GAVO DaCHS with PostgreSQL: installed, started here, stopped at the end if we started it.
  dachs_started=false
  if [[ -x tests/dachs-rig/up.sh ]]; then
    log "DaCHS rig: install and start"
    port="${DACHS_PORT:-8080}"
    curl -sf -o /dev/null -m 5 "http://localhost:$port/tap/capabilities" || dachs_started=true
    if tests/dachs-rig/install.sh && url="$(tests/dachs-rig/up.sh | tail -1)"; then
      export VOSCRIPT_DACHS_URL="$url"
      echo "DaCHS TAP service at $url"
    else
      echo "error: the DaCHS rig did not start; its tests will fail" >&2
    fi
  fi
  run_tests integration tests/VoScript.Integration.Tests "TestCategory=Integration" || status=1
  run_tests integration-cli tests/VoScript.Cli.Tests "TestCategory=Integration" || status=1
  # packs the NuGet packages, builds scripts/embedding from them and runs it (scripts/embedding/run.sh)
  run_tests integration-hosting tests/VoScript.Hosting.Tests "TestCategory=Integration" || status=1
  if $dachs_started; then tests/dachs-rig/down.sh >/dev/null 2>&1 || true; fi
  # fuzzing: each target for FUZZ_SECONDS (default 60); each counts as one test (tests/fuzz/README.md)
  log "fuzz"
  for t in votable adql xmlrpc vos; do
    if FUZZ_SEED="${FUZZ_SEED:-1}" tests/fuzz/run.sh "$t" "${FUZZ_SECONDS:-60}"; then fuzz_passed=$((fuzz_passed + 1)); else fuzz_failed=$((fuzz_failed + 1)); status=1; fi
  done
fi

# --- 4. one closing line --------------------------------------------------------
passed=$fuzz_passed; failed=$fuzz_failed; skipped=0
for trx in "$results"/*.trx; do
  [[ -f "$trx" ]] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  get() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  t=$(get total); p=$(get passed); f=$(get failed); e=$(get error); to=$(get timeout); ab=$(get aborted)
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0} + ${e:-0} + ${to:-0} + ${ab:-0}))
  skipped=$((skipped + ${t:-0} - ${p:-0} - ${f:-0} - ${e:-0} - ${to:-0} - ${ab:-0}))
done
((failed > 0)) && status=1
echo
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit $status
