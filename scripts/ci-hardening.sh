#!/usr/bin/env bash
# The hardening stages of `scripts/quickstart.sh test` (issue 6), after the release build and its
# tests have passed. Each stage fails the run on any report:
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
supp=$root/tests/sanitizers

stage_asan() {
  cmake --preset ci-sanitize -DCMAKE_CXX_COMPILER_LAUNCHER=ccache > /dev/null
  cmake --build build-asan -j "$jobs"
  # See tests/sanitizers/keep_libraries_loaded.c: keeps the Vulkan driver and layers loaded so
  # LeakSanitizer can name their modules (ASan must then accept a preload ahead of itself).
  cc -shared -fPIC -O2 -o build-asan/keep_libraries_loaded.so tests/sanitizers/keep_libraries_loaded.c
  # halt_on_error plus -fno-sanitize-recover=all: the first report ends the test, which fails.
  # LeakSanitizer suppressions cover only libraries that are not ours (see lsan.supp).
  LD_PRELOAD="$root/build-asan/keep_libraries_loaded.so" \
  ASAN_OPTIONS="verify_asan_link_order=0:halt_on_error=1:abort_on_error=1:detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1" \
  UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1" \
  LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0" \
    ctest --test-dir build-asan --output-on-failure -j "$jobs" --timeout 900
}

# The tests with threads in them that TSan can check: the CPU backend's thread pool, the FFT
# backend's threads and planner, and the GUI pipeline's thread hand-off (mailbox, counters, last
# record) driven by plain threads. The Qt-driven GUI tests and the long run are NOT run here:
# Debian's Qt is not TSan-instrumented, so every object handed from one thread to another through
# Qt's event queue (queued signals, invokeMethod) is reported as a race inside blurcam's own
# lambdas, and the only suppressions that silence that would also hide real races in blurcam
# code (see tests/sanitizers/tsan.supp). They run under ASan above instead.
tsan_targets=(blurcam_engine_tests blurcam_fft_tests blurcam_pipeline_mailbox_tests)
tsan_tests='^(CpuBackend\.|FftBackend\.|FftPlanning\.|FftThreads\.|PipelineMailbox\.)'

stage_tsan() {
  cmake --preset ci-tsan -DCMAKE_CXX_COMPILER_LAUNCHER=ccache > /dev/null
  cmake --build build-tsan -j "$jobs" --target "${tsan_targets[@]}"
  TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$supp/tsan.supp:print_suppressions=0" \
    ctest --test-dir build-tsan --output-on-failure -j "$jobs" --timeout 900 -R "$tsan_tests"
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
