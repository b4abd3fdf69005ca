#!/usr/bin/env bash
# Fuzzes one target for a number of seconds:  tests/fuzz/run.sh TARGET SECONDS
#   TARGET: votable | adql | xmlrpc | vos      (all: every target, SECONDS each)
# Engine: the in-process mutation fuzzer of tests/VoScript.Fuzz (the default, used by CI);
# FUZZ_ENGINE=afl uses AFL++ (afl-fuzz) on assemblies instrumented by SharpFuzz's `sharpfuzz`
# tool (dotnet tool SharpFuzz.CommandLine) when both are installed.
# Prints one line per target: "fuzz TARGET: passed (…)" or "fuzz TARGET: FAILED (…)"; exit 1 on a crash or hang.
# A crash or hang input is saved under tests/fuzz/crashes/; make it a regression test and add it to the corpus.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
target="${1:-}"; seconds="${2:-60}"
if [[ -z "$target" ]]; then echo "usage: tests/fuzz/run.sh TARGET|all SECONDS" >&2; exit 2; fi
if [[ "$target" == all ]]; then
  status=0
  for t in votable adql xmlrpc vos; do "$0" "$t" "$seconds" || status=1; done
  exit $status
fi
out="$root/.build/fuzz"
mkdir -p "$out" "$root/tests/fuzz/crashes"
if ! dotnet build "$root/tests/VoScript.Fuzz/VoScript.Fuzz.csproj" -c Release -o "$out/bin" --nologo -v q -clp:ErrorsOnly >"$out/build.log" 2>&1; then
  cat "$out/build.log" >&2; echo "fuzz $target: FAILED (build)"; exit 1
fi
work="$out/$target"; rm -rf "$work"; mkdir -p "$work"
corpus="$root/tests/fuzz/corpus/$target"
if [[ "${FUZZ_ENGINE:-mutate}" == afl ]]; then
  if ! command -v afl-fuzz >/dev/null || ! command -v sharpfuzz >/dev/null; then
    echo "fuzz $target: FAILED (FUZZ_ENGINE=afl needs afl-fuzz and sharpfuzz on PATH)"; exit 1
  fi
  for dll in VoScript.Engine.dll VoScript.Server.dll VoScript.Dsl.dll; do sharpfuzz "$out/bin/$dll" >/dev/null; done
  AFL_SKIP_BIN_CHECK=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 timeout "$((seconds + 30))" \
    afl-fuzz -V "$seconds" -t 10000 -m none -i "$corpus" -o "$work/afl" -- dotnet "$out/bin/VoScript.Fuzz.dll" "$target" --afl >"$work/afl.log" 2>&1
  rc=$?
  # afl-fuzz aborts (fork server crashed, no seed ran) with a message and no fuzzer_stats: that is a failure, not a pass
  stats="$work/afl/default/fuzzer_stats"
  execs=$(awk -F: '/^execs_done/ {gsub(/ /, "", $2); print $2}' "$stats" 2>/dev/null)
  if ((rc != 0)) || [[ -z "$execs" ]] || ((execs == 0)); then
    grep -E "PROGRAM ABORT|Fatal error|Exception" "$work/afl.log" | head -5 >&2
    echo "fuzz $target: FAILED (afl-fuzz exit code $rc, ${execs:-no} executions; see $work/afl.log)"; exit 1
  fi
  found=$(find "$work/afl" -path '*crashes/id*' -o -path '*hangs/id*' 2>/dev/null | wc -l)
  if ((found > 0)); then
    find "$work/afl" \( -path '*crashes/id*' -o -path '*hangs/id*' \) -exec cp {} "$root/tests/fuzz/crashes/" \;
    echo "fuzz $target: FAILED ($found crash or hang inputs, copied to tests/fuzz/crashes)"; exit 1
  fi
  paths=$(awk -F: '/^corpus_count/ {gsub(/ /, "", $2); print $2}' "$stats")
  echo "fuzz $target: passed (afl-fuzz, $execs executions, $paths corpus entries in $seconds s)"; exit 0
fi
# the in-process fuzzer: a stack overflow kills the process, so the last input is kept
DOTNET_gcServer=0 timeout "$((seconds + 60))" dotnet "$out/bin/VoScript.Fuzz.dll" "$target" --mutate "$seconds" "$corpus" "$work" >"$work/log" 2>&1
rc=$?
tail -n 20 "$work/log" | grep -E "^fuzz " || true
if ((rc == 0)); then
  echo "fuzz $target: passed ($(grep -o '[0-9]* inputs' "$work/log" | head -1) in $seconds s)"; exit 0
fi
if ((rc != 1 && rc != 3)) && [[ -f "$work/last-input" ]]; then
  # the process died (stack overflow, out of memory, timeout): keep what it was running
  name="crash-$target-$(sha256sum "$work/last-input" | cut -c1-16)"
  cp "$work/last-input" "$root/tests/fuzz/crashes/$name"
  echo "fuzz $target: process died with exit code $rc; input saved as tests/fuzz/crashes/$name"
else
  cp "$work"/crash-* "$work"/hang-* "$root/tests/fuzz/crashes/" 2>/dev/null
fi
tail -n 30 "$work/log" >&2
echo "fuzz $target: FAILED (see tests/fuzz/crashes)"
exit 1
