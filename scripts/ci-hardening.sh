#!/usr/bin/env bash
# The hardening stages of `scripts/quickstart.sh test`, after the release build and its tests
# have passed: what a plain release run cannot see (memory errors, leaks, races, hostile input). Each stage fails the run on any report:
#   asan     build-asan (preset ci-sanitize): the whole ctest suite under ASan + UBSan + LSan
#   tsan     build-tsan (preset ci-tsan): the threaded tests (CPU thread pool, FFT threads, the
#            GUI pipeline's thread hand-off) under ThreadSanitizer
#   fuzz     scripts/fuzz.sh, FUZZ_SECONDS (default 45) per target
#   hygiene  scripts/hygiene.sh: clang-format and clang-tidy, failing on new problems
#   all      all of the above, in that order
# Usage: scripts/ci-hardening.sh [all|asan|tsan|fuzz|hygiene]...
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
jobs=$(nproc)

# Both sanitizer stages are presets (CMakePresets.json): configure, build and test, the test
# presets carrying the sanitizer options and, for TSan, which tests it runs.
stage_asan() {
  cmake --preset ci-sanitize -DCMAKE_CXX_COMPILER_LAUNCHER=ccache > /dev/null
  cmake --build --preset ci-sanitize -j "$jobs"
  # The preset preloads build-asan/keep_libraries_loaded.so (tests/sanitizers/keep_libraries_loaded.c),
  # which keeps the Vulkan driver and layers loaded so LeakSanitizer can name their modules; its
  # suppressions (lsan.supp) cover only libraries that are not ours. halt_on_error plus
  # -fno-sanitize-recover=all: the first report ends the test, which fails.
  ctest --preset ci-sanitize -j "$jobs"
}

# The tests with threads in them that TSan can check: the CPU backend's thread pool, the FFT
# backend's threads and planner, and the GUI pipeline's thread hand-off (mailbox, counters)
# driven by plain threads. The Qt-driven GUI tests, Vulkan and the long run are NOT run here:
# Debian's Qt and Mesa are not TSan-instrumented, so every object handed from one thread to
# another through Qt's event queue (queued signals, invokeMethod) is reported as a race inside
# blurcam's own lambdas, and the only suppressions that silence that would also hide real races
# in blurcam code (see tests/sanitizers/tsan.supp). They run under ASan above instead.
stage_tsan() {
  cmake --preset ci-tsan -DCMAKE_CXX_COMPILER_LAUNCHER=ccache > /dev/null
  cmake --build --preset ci-tsan -j "$jobs"
  ctest --preset ci-tsan -j "$jobs"
}

stage_fuzz() {
  scripts/fuzz.sh "${FUZZ_SECONDS:-45}"
}

stage_hygiene() {
  scripts/hygiene.sh
}

stages=("$@")
[ ${#stages[@]} -eq 0 ] && stages=(all)
for stage in "${stages[@]}"; do
  case "$stage" in
    all) set -- asan tsan fuzz hygiene ;;
    asan | tsan | fuzz | hygiene) set -- "$stage" ;;
    *) echo "usage: scripts/ci-hardening.sh [all|asan|tsan|fuzz|hygiene]..." >&2; exit 2 ;;
  esac
  for one in "$@"; do
    started=$SECONDS
    echo "=== hardening stage: $one"
    "stage_$one"
    echo "=== hardening stage $one passed in $((SECONDS - started)) s"
  done
done
