#!/usr/bin/env bash
# The hardening stages of `scripts/quickstart.sh test` (issue 6), after the release build and its
# tests have passed. Each stage fails the run on any report:
#   asan     build-asan (preset ci-sanitize): the whole ctest suite under ASan + UBSan + LSan
#   tsan     build-tsan (preset ci-tsan): the threaded tests (CPU thread pool, FFT threads, the
#            GUI pipeline and its long run) under ThreadSanitizer
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
  # halt_on_error plus -fno-sanitize-recover=all: the first report ends the test, which fails.
  # LeakSanitizer suppressions cover only libraries that are not ours (see lsan.supp).
  ASAN_OPTIONS="halt_on_error=1:abort_on_error=1:detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1" \
  UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1" \
  LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0" \
    ctest --test-dir build-asan --output-on-failure -j "$jobs" --timeout 900
}

# The tests with threads in them: the CPU backend's thread pool, the FFT backend's threads, the
# GUI pipeline (capture and processing threads, the mailbox, queued signals) and its long run.
tsan_targets=(blurcam_engine_tests blurcam_fft_tests blurcam_gui_tests blurcam_long_run)
tsan_tests='^(CpuBackend\.|FftBackend\.|FftPlanning\.|FftThreads\.|GuiTest\.|LongRunShort\.(cpu|fft)$)'

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
