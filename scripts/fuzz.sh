#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan+UBSan: the Asan build, build/asan, whose libraries are
# instrumented for them; scripts/build.sh) and runs each in turn for
# SECONDS (default 60) on a copy of its seed corpus (fuzz/corpus/<target>, never written to).
#   scripts/fuzz.sh [SECONDS] [TARGET...]    targets: frame schema decode inbound api (default all)
# Prints executions, time and crashes per target; exits non-zero if any target crashed, hung,
# ran out of memory or broke an invariant. Each finding is kept in build/fuzz/crashes/<target>/
# and printed; replay one with build/asan/fuzz/fuzz_<target> <file>.
set -euo pipefail
cd "$(dirname "$0")/.."

ALL=(frame schema decode inbound api)
SECS=${1:-60}
[[ $SECS =~ ^[0-9]+$ && $SECS -gt 0 ]] || { echo "fuzz: SECONDS must be a positive whole number, not '$SECS'" >&2; exit 2; }
(($# > 0)) && shift
targets=("$@")
((${#targets[@]})) || targets=("${ALL[@]}")
for t in "${targets[@]}"; do
  [[ " ${ALL[*]} " == *" $t "* ]] || { echo "fuzz: unknown target '$t' (one of: ${ALL[*]})" >&2; exit 2; }
done

BUILD_DIR=build/asan # where the targets are built (scripts/build.sh, BUILD_TYPE=Asan)
OUT=${FUZZ_OUT:-build/fuzz} # the runs' corpora and the findings
RSS_MB=${FUZZ_RSS_MB:-2048}

# FUZZ_PREBUILT=1: the targets were built already (scripts/test.sh builds them in the background,
# where the rest of the sanitizer build goes on in the same directory: a second ninja there would
# spoil its log). Only checked here.
if [[ ${FUZZ_PREBUILT:-} == 1 ]]; then
  for t in "${targets[@]}"; do
    [[ -x $BUILD_DIR/fuzz/fuzz_$t ]] || { echo "fuzz: $BUILD_DIR/fuzz/fuzz_$t is not built" >&2; exit 1; }
  done
else
  echo "== fuzz build (clang, $BUILD_DIR)"
  build_start=$(date +%s)
  BUILD_TYPE=Asan BUILD_DIR=$BUILD_DIR scripts/build.sh --target "${targets[@]/#/fuzz_}"
  echo "fuzz: built in $(($(date +%s) - build_start)) s"
fi
# FUZZ_BUILD_ONLY=1: build the targets and stop (scripts/test.sh builds them in the background
# while the release tests run, then calls this script again, whose build finds nothing to do).
[[ ${FUZZ_BUILD_ONLY:-} == 1 ]] && exit 0

# A leak, an overflow or undefined behaviour stops the run like a crash does.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

dict_for() {
  case $1 in
  frame) echo fuzz/dict/frame.dict ;;
  api) echo fuzz/dict/api.dict ;;
  *) echo fuzz/dict/ocpp.dict ;;
  esac
}

summary=()
failed=0
for t in "${targets[@]}"; do
  run="$OUT/runs/$t"
  crashes="$OUT/crashes/$t"
  rm -rf "$run"
  mkdir -p "$run/corpus" "$crashes"
  cp fuzz/corpus/"$t"/* "$run/corpus/"
  before=$(find "$crashes" -type f | wc -l)
  touch "$run/started"
  echo "== fuzz_$t for $SECS s"
  start=$(date +%s)
  rc=0
  "$BUILD_DIR/fuzz/fuzz_$t" -max_total_time="$SECS" -rss_limit_mb="$RSS_MB" -timeout=25 -max_len=4096 \
    -dict="$(dict_for "$t")" -artifact_prefix="$crashes/" -print_final_stats=1 "$run/corpus" >"$run/fuzz.log" 2>&1 || rc=$?
  elapsed=$(($(date +%s) - start))
  execs=$(grep -Eo 'stat::number_of_executed_units: [0-9]+' "$run/fuzz.log" | awk '{print $2}' | tail -1)
  [[ -n $execs ]] || execs=$(grep -Eo '^#[0-9]+' "$run/fuzz.log" | tail -1 | tr -d '#')
  found=$(($(find "$crashes" -type f | wc -l) - before))
  ((rc != 0 && found == 0)) && found=1 # the fuzzer died without leaving an input: still a finding
  summary+=("$(printf '%-8s %12s %6s s %3s crashes' "$t" "${execs:-0}" "$elapsed" "$found")")
  if ((found > 0)); then
    failed=$((failed + 1))
    echo "fuzz_$t FAILED (exit $rc); the fuzzer's report:"
    sed -n '/==ERROR\|fuzz invariant\|runtime error\|ERROR: libFuzzer\|terminate called\|uncaught exception/,$p' "$run/fuzz.log" | head -80
    for f in $(find "$crashes" -type f -newer "$run/started" | sort); do
      echo "--- input $f ($(wc -c <"$f") bytes; replay: $BUILD_DIR/fuzz/fuzz_$t $f)"
      LC_ALL=C cat -v "$f" | head -c 2000
      echo
    done
  fi
done

echo "== fuzz summary: target, executions, time, crashes (command: scripts/fuzz.sh $SECS ${targets[*]})"
printf '%s\n' "${summary[@]}"
if ((failed)); then
  echo "fuzz: $failed of ${#targets[@]} targets found a crash (inputs in $OUT/crashes/)"
  exit 1
fi
echo "fuzz: ${#targets[@]} targets, no crash"
