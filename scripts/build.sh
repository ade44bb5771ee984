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
# release build compiles them, and clang-tidy reads them from there). It is built with clang and
# GRIDLANE_FUZZ=ON, so that the same objects serve the libFuzzer targets (scripts/fuzz.sh builds
# them here): one sanitizer build instead of two. GCC's -Werror gate is the release build; clang's
# own extra warnings are shown here but do not stop it.
# Arguments are passed to `cmake --build` (e.g. --target fuzz_frame).
EXTRA=()
if [[ $BUILD_TYPE == Asan ]]; then
  CLANG=${ASAN_CXX:-$(command -v clang++-14 || command -v clang++ || true)}
  [[ -n $CLANG ]] || { echo "build: clang++ not found (scripts/setup.sh installs clang-14)" >&2; exit 2; }
  # A build directory configured with another compiler is configured afresh.
  if [[ -f $BUILD_DIR/CMakeCache.txt ]] && ! grep -q "^CMAKE_CXX_COMPILER:[A-Z]*=$CLANG\$" "$BUILD_DIR/CMakeCache.txt"; then
    rm -rf "$BUILD_DIR"
  fi
  EXTRA=(-DGRIDLANE_BENCH=OFF -DGRIDLANE_FUZZ=ON -DCMAKE_CXX_COMPILER="$CLANG")
  WERROR=OFF
fi
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE="$BUILD_TYPE" -DGRIDLANE_WERROR=$WERROR \
  "${EXTRA[@]+"${EXTRA[@]}"}" >/dev/null
cmake --build "$BUILD_DIR" -j "$JOBS" "$@"
