#!/usr/bin/env bash
# Static checks: (a) every tracked C/C++ file is formatted as .clang-format says (checked, never
# rewritten: fix with `clang-format -i FILE`), (b) clang-tidy with the curated bug-finding checks
# of .clang-tidy over Gridlane's own translation units (not the generated ones under build/),
# read from the release build's compile_commands.json (scripts/build.sh makes it). Fails on
# any unformatted file and on any clang-tidy warning; prints the files and warnings.
# usage: scripts/lint.sh [format|tidy]   (both when not given)
# JOBS (default 2) clang-tidy processes run at once; BUILD_DIR (default build/release).
# clang-tidy reads the shipped code's units (src/, apps/); LINT_TESTS=1 adds the tests', the
# benchmarks' and the fuzz targets' (a third more CPU, which CI's two cores cannot spare: that
# code is compiled with -Werror by GCC, compiled by clang too, and run under ASan+UBSan).
# LINT_ANALYZER=1 adds the Clang static analyzer's core, C++, dead-code, unix and security
# checkers (minutes more; see .clang-tidy for why CI leaves it out).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build/release}
JOBS=${JOBS:-2}
CLANG_FORMAT=${CLANG_FORMAT:-clang-format}
CLANG_TIDY=${CLANG_TIDY:-clang-tidy-14}
what=${1:-all}
status=0

if [[ $what == all || $what == format ]]; then
  mapfile -t files < <(git ls-files -- '*.cpp' '*.hpp' '*.h' '*.cc' '*.c')
  bad=()
  for f in "${files[@]}"; do
    "$CLANG_FORMAT" --dry-run --Werror "$f" >/dev/null 2>&1 || bad+=("$f")
  done
  if ((${#bad[@]})); then
    printf 'lint: not formatted: %s\n' "${bad[@]}"
    echo "lint: format: ${#bad[@]} of ${#files[@]} files not formatted (clang-format -i FILE)"
    status=1
  else
    echo "lint: format: ${#files[@]} files formatted"
  fi
fi

if [[ $what == all || $what == tidy ]]; then
  db=$BUILD_DIR/compile_commands.json
  [[ -f $db ]] || { echo "lint: $db missing: build first (scripts/build.sh)"; exit 1; }
  # The project's own translation units: everything in the database that is not under build/.
  mapfile -t units < <(python3 - "$db" "$PWD" "${LINT_TESTS:-0}" <<'PY'
import json, os, sys
root = os.path.realpath(sys.argv[2])
tests = sys.argv[3] == "1"
seen = set()
for entry in json.load(open(sys.argv[1])):
    path = os.path.realpath(os.path.join(entry["directory"], entry["file"]))
    rel = os.path.relpath(path, root)
    if rel.startswith("..") or rel.startswith("build" + os.sep) or rel in seen:
        continue
    if not tests and rel.split(os.sep)[0] not in ("src", "apps"):
        continue
    seen.add(rel)
    print(rel)
PY
  )
  extra=""
  if [[ ${LINT_ANALYZER:-} == 1 ]]; then
    extra="clang-analyzer-core.*,clang-analyzer-cplusplus.*,clang-analyzer-deadcode.*,clang-analyzer-unix.*"
    extra+=",clang-analyzer-security.*"
  fi
  scope="src, apps; tests, benchmarks and fuzz targets with LINT_TESTS=1"
  [[ ${LINT_TESTS:-0} == 1 ]] && scope="src, apps, tests, benchmarks, fuzz targets"
  logs=$BUILD_DIR/clang-tidy
  rm -rf "$logs" && mkdir -p "$logs"
  started=$SECONDS
  # One log per unit; a unit whose clang-tidy fails (a compile error) counts as a warning too.
  # Headers: the tree's own, not the generated ones under build/ (an absolute pattern: a relative
  # one would match build/release/src/ too).
  printf '%s\n' "${units[@]}" | xargs -P "$JOBS" -I{} bash -c \
    '"$0" -p "$1" --quiet --header-filter="^$PWD/(src|apps|tests|bench|fuzz)/" ${4:+--checks="$4"} "$3" \
       >"$2/$(tr / _ <<<"$3").log" 2>&1 || echo "$3: clang-tidy failed" >>"$2/$(tr / _ <<<"$3").log"' \
    "$CLANG_TIDY" "$BUILD_DIR" "$logs" {} "$extra"
  took=$((SECONDS - started))
  cat "$logs"/*.log >"$BUILD_DIR/clang-tidy.log"
  # A header's warning is reported once per unit including it: list each warning once. The
  # static analyzer also reports a warning located in Boost or the standard library when its
  # path passes through our code; those are the analyzer not modelling coroutines (Asio's
  # awaitable frames), not ours: they are listed apart and not counted.
  mapfile -t all < <(grep -E '(warning|error): .*\[[a-z0-9.,-]+\]$|clang-tidy failed$' "$BUILD_DIR/clang-tidy.log" |
    sed "s#^$PWD/##" | sort -u)
  warnings=() outside=()
  for w in "${all[@]+"${all[@]}"}"; do
    if [[ $w == /* || $w == build/* ]]; then outside+=("$w"); else warnings+=("$w"); fi
  done
  if ((${#outside[@]})); then printf 'lint: (outside the tree, not counted) %s\n' "${outside[@]}"; fi
  if ((${#warnings[@]})); then
    printf 'lint: %s\n' "${warnings[@]}"
    echo "lint: clang-tidy: ${#warnings[@]} warnings in ${#units[@]} units ($scope), ${took} s (notes: $BUILD_DIR/clang-tidy.log)"
    status=1
  else
    echo "lint: clang-tidy: ${#units[@]} units clean, ${took} s ($scope)"
  fi
fi
exit $status
