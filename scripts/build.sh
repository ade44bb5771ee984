#!/usr/bin/env bash
# Configures and builds Gridlane. BUILD_TYPE (Release|Debug|Asan) and BUILD_DIR may be set.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_TYPE=${BUILD_TYPE:-Release}
BUILD_DIR=${BUILD_DIR:-build/$(echo "$BUILD_TYPE" | tr '[:upper:]' '[:lower:]')}
JOBS=${JOBS:-2}
WERROR=OFF
[[ ${CI:-} == true || ${GRIDLANE_WERROR:-} == 1 ]] && WERROR=ON
# The ASan build exists to run the tests under the sanitizers: it leaves out the benchmarks (the
# release build compiles them, and clang-tidy reads them from there).
EXTRA=()
[[ $BUILD_TYPE == Asan ]] && EXTRA=(-DGRIDLANE_BENCH=OFF)
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE="$BUILD_TYPE" -DGRIDLANE_WERROR=$WERROR \
  "${EXTRA[@]+"${EXTRA[@]}"}" >/dev/null
cmake --build "$BUILD_DIR" -j "$JOBS"
