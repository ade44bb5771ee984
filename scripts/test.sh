#!/usr/bin/env bash
# Runs the whole test suite on a fresh Debian 12 machine: installs what is needed, builds,
# runs unit tests (GoogleTest via CTest) and integration tests (the real binary driven by
# strict-mode ocpp-rpc clients), the end-to-end tests once (tests/e2e: the web console in
# chromium), fuzzes, lints (clang-format, clang-tidy), then runs the tests
# again under AddressSanitizer + UBSan (a clang build whose libraries the fuzz targets share).
# SKIP_ASAN=1 skips the sanitizer pass (local iteration only; CI always runs it).
# Two cores: clang-tidy (CPU-bound, ~25 min of one core) runs in the background at idle priority from the
# release build on, filling the time the integration tests spend waiting on timers and sockets;
# its verdict is printed and counted at the end as before. The fuzz targets and the ASan build
# are compiled the same way, in the background at idle priority from then on (PREBUILD=0 turns
# that off), each stage waiting for its build. INTEGRATION_JOBS (default 1): how
# many integration test files run at a time. Each starts its own server on port 0 in its own
# temporary directory, so 2 is safe, but the load-sensitive tests (a full password-check queue,
# sim --rate) failed with 2 on a loaded machine, hence one at a time in CI.
set -euo pipefail
cd "$(dirname "$0")/.."
export GRIDLANE_WERROR=1

scripts/setup.sh

passed=0
failed=0
count() { # adds the pass/fail counts of one runner's log
  local p f
  p=$(grep -Eo '^# pass [0-9]+' "$1" | awk '{s+=$3} END {print s+0}')
  f=$(grep -Eo '^# fail [0-9]+' "$1" | awk '{s+=$3} END {print s+0}')
  if grep -q 'tests passed' "$1"; then
    local line total fails
    line=$(grep -E 'tests passed, [0-9]+ tests failed out of [0-9]+' "$1" | tail -1)
    total=$(sed -E 's/.*out of ([0-9]+).*/\1/' <<<"$line")
    fails=$(sed -E 's/.*passed, ([0-9]+) tests failed.*/\1/' <<<"$line")
    p=$((p + total - fails))
    f=$((f + fails))
  fi
  passed=$((passed + p))
  failed=$((failed + f))
}

build_suite() { # BUILD_TYPE
  echo "== $1 build"
  # A failed build must stop the run: never test stale binaries. (set -e does not apply
  # inside a function called from `||`, hence the explicit exit.)
  BUILD_TYPE=$1 scripts/build.sh || { echo "tests: build failed ($1)"; exit 1; }
}

# Integration test files (without .test.js) that run alone even when the others run two at a time.
SERIAL_INTEGRATION="bench sim energy_sim hardening_auth hardening_net durability transport demo"

run_suite() { # BUILD_TYPE (built by build_suite)
  local type=$1 dir="build/$(echo "$1" | tr '[:upper:]' '[:lower:]')" status=0
  echo "== $type unit tests"
  ctest --test-dir "$dir" --output-on-failure -j 2 2>&1 | tee "$dir/unit.log" || status=1
  count "$dir/unit.log"
  echo "== $type integration tests"
  # Under ASan the tests wait mostly on the sanitizer's slower server, not on the CPU they share:
  # the files run ASAN_INTEGRATION_JOBS (default 2) at a time, except the load-sensitive ones
  # (SERIAL_INTEGRATION: achieved rates, password-check queues, the simulator, kill -9 timing),
  # which run first, one at a time. The release files run INTEGRATION_JOBS (default 1) at a time.
  local jobs=${INTEGRATION_JOBS:-1} serial=() parallel=() f
  [[ $type == Asan ]] && jobs=${ASAN_INTEGRATION_JOBS:-2}
  for f in tests/integration/*.test.js; do
    f=${f#tests/integration/}
    if ((jobs > 1)) && [[ " $SERIAL_INTEGRATION " == *" ${f%.test.js} "* ]]; then serial+=("$f"); else parallel+=("$f"); fi
  done
  : >"$dir/integration.log"
  if ((${#serial[@]})); then
    (cd tests/integration && GRIDLANE_BIN="$PWD/../../$dir/gridlane" node --test \
       --test-concurrency=1 --test-reporter=tap "${serial[@]}" 2>&1) | tee -a "$dir/integration.log" || status=1
  fi
  (cd tests/integration && GRIDLANE_BIN="$PWD/../../$dir/gridlane" node --test \
     --test-concurrency="$jobs" --test-reporter=tap "${parallel[@]}" 2>&1) | tee -a "$dir/integration.log" || status=1
  count "$dir/integration.log"
  return $status
}

# ---- lint, started here: scripts/lint.sh checks the formatting of every C/C++ file and runs
# clang-tidy's bug-finding checks (.clang-tidy) over the release build's translation units (its
# compile_commands.json, written by the release build). It runs in the background at a lower
# priority while the tests, the fuzzing and the ASan build go on, and is waited for (and its
# findings printed) before the closing lines. SKIP_LINT=1 skips it locally only; CI always lints.
lint_pid=""
stop_lint() { [[ -n $lint_pid ]] && kill -- -"$lint_pid" 2>/dev/null; return 0; }
trap stop_lint EXIT

status=0
build_suite Release
if [[ ${SKIP_LINT:-} == 1 && ${CI:-} != true ]]; then
  echo "== lint SKIPPED (SKIP_LINT=1)"
else
  echo "== lint (clang-format, clang-tidy) started in the background; its log follows the ASan tests"
  # Its own process group (setsid), so that a run that stops early stops it too (stop_lint).
  # SCHED_IDLE (chrt, util-linux) and nice 19: it gets only the CPU nothing else wants, so the
  # tests' timers, the fuzzers and the ASan build go first.
  setsid chrt --idle 0 nice -n 19 scripts/lint.sh >build/lint.log 2>&1 &
  lint_pid=$!
fi
# ---- the sanitizer build, started here too (clang, build/asan): the fuzz targets first, then the
# rest of the ASan build (the same libraries) are compiled in the background at idle priority, like the lint, while the release
# tests (which mostly wait on timers and sockets) and the end-to-end tests run; each stage below
# waits for its build. A background build that failed is run again in the foreground by its
# stage, where its errors are printed and stop the run as before.
prebuild_pid=""
if [[ ${PREBUILD:-1} == 1 ]]; then
  prebuild() {
    if [[ ${SKIP_FUZZ:-} != 1 || ${CI:-} == true ]]; then
      FUZZ_BUILD_ONLY=1 scripts/fuzz.sh >build/fuzz-prebuild.log 2>&1 && touch build/fuzz-prebuild.ok
    fi
    touch build/fuzz-prebuild.done # the fuzz stage may start
    if [[ ${SKIP_ASAN:-} != 1 ]]; then BUILD_TYPE=Asan scripts/build.sh >build/asan-prebuild.log 2>&1 || true; fi
  }
  rm -f build/fuzz-prebuild.done build/fuzz-prebuild.ok
  setsid chrt --idle 0 nice -n 19 bash -c "$(declare -f prebuild); prebuild" &
  prebuild_pid=$!
fi
stop_prebuild() { [[ -n $prebuild_pid ]] && kill -- -"$prebuild_pid" 2>/dev/null; return 0; }
trap 'stop_lint; stop_prebuild' EXIT
# The background builds at a normal priority from now on (nothing else runs in the foreground);
# what they start later inherits it.
promote_prebuild() {
  [[ -n $prebuild_pid ]] || return 0
  for p in $(pgrep -g "$prebuild_pid" || true); do
    chrt --other -p 0 "$p" && renice -n 0 -p "$p"
  done >/dev/null 2>&1 || true
}
# Waits for the background builds.
wait_prebuild() {
  [[ -n $prebuild_pid ]] || return 0
  promote_prebuild
  wait "$prebuild_pid" || true
  prebuild_pid=""
}

run_suite Release || status=1
release_passed=$passed release_failed=$failed

# ---- end-to-end: the console and the driver portal in Debian's chromium (tests/e2e, node
# --test, TAP), once, against the release binary and web/dist (built by setup.sh); not under
# ASan. Counted on their own line and in the closing one.
e2e_passed=0 e2e_failed=0
if [[ -f tests/e2e/package.json ]]; then
  echo "== end-to-end tests (release, chromium)"
  (cd tests/e2e && GRIDLANE_BIN="$PWD/../../build/release/gridlane" node --test --test-concurrency=1 \
     --test-reporter=tap 2>&1) | tee build/release/e2e.log || status=1
  before_passed=$passed before_failed=$failed
  count build/release/e2e.log
  e2e_passed=$((passed - before_passed)) e2e_failed=$((failed - before_failed))
  passed=$before_passed failed=$before_failed
  echo "e2e: $((e2e_passed + e2e_failed)) tests, $e2e_passed passed, $e2e_failed failed"
fi
# ---- end of end-to-end ----

# ---- fuzzing: each libFuzzer target for FUZZ_SECONDS (default 20) after the release suite ----
# scripts/fuzz.sh builds the targets in the clang ASan build (build/asan) and fails on any crash,
# hang, leak or broken invariant, printing the input (kept in build/fuzz/crashes/). The targets are counted
# on their own line (they run once, under clang's ASan+UBSan, not once per build like the tests
# counted below), and a finding fails the run. SKIP_FUZZ=1 skips it locally only; CI always fuzzes.
fuzz_ok=0 fuzz_bad=0
if [[ ${SKIP_FUZZ:-} == 1 && ${CI:-} != true ]]; then
  echo "== fuzzing SKIPPED (SKIP_FUZZ=1)"
else
  echo "== fuzzing (${FUZZ_SECONDS:-20} s per target)"
  mkdir -p build
  # The fuzz targets were built in the background; the ASan build that follows them there
  # goes on, with the core the fuzzer leaves.
  # Nothing runs in the foreground while it waits: the background build gets a normal priority
  # (at idle priority it would share the CPU with the lint).
  promote_prebuild
  while [[ -n $prebuild_pid && ! -f build/fuzz-prebuild.done ]] && kill -0 "$prebuild_pid" 2>/dev/null; do sleep 2; done
  fuzz_rc=0
  # Built in the background: only run them (the ASan build goes on in that directory, and a second
  # ninja there would spoil its log). Not built: the background build is waited for, then
  # fuzz.sh builds them in the foreground, printing the errors.
  if [[ -f build/fuzz-prebuild.ok ]]; then
    FUZZ_PREBUILT=1 scripts/fuzz.sh "${FUZZ_SECONDS:-20}" 2>&1 | tee build/fuzz.log || fuzz_rc=1
  else
    wait_prebuild
    scripts/fuzz.sh "${FUZZ_SECONDS:-20}" 2>&1 | tee build/fuzz.log || fuzz_rc=1
  fi
  fuzz_ok=$(grep -Ec '^[a-z]+ +[0-9]+ +[0-9]+ s +0 crashes$' build/fuzz.log || true)
  fuzz_bad=$(grep -Ec '^[a-z]+ +[0-9]+ +[0-9]+ s +[1-9][0-9]* crashes$' build/fuzz.log || true)
  if ((fuzz_rc)); then
    status=1
    ((fuzz_bad)) || fuzz_bad=1 # the fuzz build failed: no target ran
  fi
  echo "fuzz: $((fuzz_ok + fuzz_bad)) targets, $fuzz_ok ran ${FUZZ_SECONDS:-20} s without a crash, $fuzz_bad found one"
fi
# ---- end of fuzzing ----
if [[ ${SKIP_ASAN:-} != 1 ]]; then
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  wait_prebuild
  build_suite Asan
  run_suite Asan || status=1
fi
lint_ok=0 lint_bad=0
if [[ -n $lint_pid ]]; then
  # Nothing else of the run is left: what remains of the lint gets a normal priority (on a
  # machine shared with other work, idle priority could leave it waiting for a long time).
  for p in $(pgrep -g "$lint_pid" || true); do
    chrt --other -p 0 "$p" && renice -n 0 -p "$p"
  done >/dev/null 2>&1 || true
  lint_rc=0
  wait "$lint_pid" || lint_rc=$?
  lint_pid=""
  echo "== lint (clang-format, clang-tidy)"
  cat build/lint.log
  ((lint_rc == 0)) || status=1
  lint_ok=$(grep -Ec '^lint: (format: [0-9]+ files formatted|clang-tidy: [0-9]+ units clean)' build/lint.log || true)
  lint_bad=$((2 - lint_ok))
  echo "lint: 2 checks, $lint_ok passed, $lint_bad failed"
fi
# ---- end of lint ----
# The same tests run once per build: say how many distinct tests there are and what each run
# gave; the closing line (read by CI) sums the runs and says so on the line before it.
distinct=$((release_passed + release_failed))
if [[ ${SKIP_ASAN:-} != 1 ]]; then
  echo "tests: $distinct tests, each run in release and under ASan+UBSan"
  echo "tests:   release: $release_passed passed, $release_failed failed"
  echo "tests:   ASan+UBSan: $((passed - release_passed)) passed, $((failed - release_failed)) failed"
  echo "tests: runs in both builds together (each test counted once per build), the e2e tests, the fuzz targets and the lint checks:"
else
  echo "tests: $distinct tests, run in release only (SKIP_ASAN=1), the e2e tests, the fuzz targets and the lint checks:"
fi
# The fuzzing and lint verdicts again, with lint's findings, next to the closing line: a run's
# log is often read from its end only.
[[ -f build/fuzz.log && ${SKIP_FUZZ:-} != 1 ]] && echo "fuzz: $((fuzz_ok + fuzz_bad)) targets, $fuzz_bad found a crash"
if [[ -f build/lint.log && ${SKIP_LINT:-} != 1 ]]; then
  grep -E '^lint: ' build/lint.log | grep -vE '^lint: (format: [0-9]+ files formatted|clang-tidy: [0-9]+ units clean)' | head -20 || true
  echo "lint: 2 checks, $lint_ok passed, $lint_bad failed"
fi
[[ -f tests/e2e/package.json ]] && echo "e2e: $((e2e_passed + e2e_failed)) tests (release only), $e2e_failed failed"
# The failed tests by name, next to the closing line too: a failure is then known from the run's
# last lines alone (ctest lists them after "The following tests FAILED:", node's TAP says "not ok").
logs=(build/release/unit.log build/release/integration.log build/release/e2e.log)
[[ ${SKIP_ASAN:-} != 1 ]] && logs+=(build/asan/unit.log build/asan/integration.log)
for log in "${logs[@]}"; do
  [[ -f $log ]] || continue
  sed -n '/The following tests FAILED:/,$p' "$log" | grep -E '^[[:space:]]+[0-9]+ - ' |
    sed -E "s|^[[:space:]]+[0-9]+ - |failed: $log: |" || true
  grep -E '^[[:space:]]*not ok [0-9]+ - ' "$log" | sed -E "s|^[[:space:]]*not ok [0-9]+ - |failed: $log: |" || true
done | head -40 || true # more than 40: the rest are in the logs named
echo "tests: $((passed + e2e_passed + fuzz_ok + lint_ok)) passed, $((failed + e2e_failed + fuzz_bad + lint_bad)) failed"
exit $status
