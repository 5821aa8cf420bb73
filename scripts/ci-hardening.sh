#!/usr/bin/env bash
# The hardening stages of `scripts/quickstart.sh test`, after the release build and its tests
# have passed: what a plain release run cannot see (memory errors, leaks, races, hostile input). Each stage fails the run on any report:
#   asan     build-asan (preset ci-sanitize): the whole ctest suite under ASan + UBSan + LSan
#   tsan     build-tsan (preset ci-tsan): the threaded tests (CPU thread pool, FFT threads, the
#            GUI pipeline's thread hand-off, the V4L2 sink's and the recorder's threads, the
#            camera-open helpers, the CLI's stop-signal thread) under ThreadSanitizer
#   fuzz     the libFuzzer targets (preset fuzz, build-fuzz): every saved input replayed, then each
#            target from a fixed seed for a fixed number of inputs; the same verdict on every run
#            of one commit (random exploration is the by-hand script fuzz.sh, never run here)
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
  scripts/ctest-no-skips.sh --preset ci-sanitize -j "$jobs"
}

# The tests with threads in them that TSan can check: the CPU backend's thread pool, the FFT
# backend's threads and planner, the GUI pipeline's thread hand-off (mailbox, counters) driven by
# plain threads, and blurcam_thread_tests (the V4L2 sink's thread on a pipe, the recorder's thread,
# the camera-open helpers, the CLI's stop-signal thread). The Qt-driven GUI tests, Vulkan and the long run are NOT run here:
# Debian's Qt and Mesa are not TSan-instrumented, so every object handed from one thread to
# another through Qt's event queue (queued signals, invokeMethod) is reported as a race inside
# blurcam's own lambdas, and the only suppressions that silence that would also hide real races
# in blurcam code (see tests/sanitizers/tsan.supp). They run under ASan above instead.
stage_tsan() {
  cmake --preset ci-tsan -DCMAKE_CXX_COMPILER_LAUNCHER=ccache > /dev/null
  cmake --build --preset ci-tsan -j "$jobs"
  scripts/ctest-no-skips.sh --preset ci-tsan -j "$jobs"
}

# Deterministic fuzzing. libFuzzer with a fixed -seed and -runs explores the same inputs on every
# run only if what it learns from does not change between runs, so the features that do are off:
#   -use_counters=0  hit counts of edges (a few vary with timing inside the libraries); edges only
#   -use_cmp=0 -use_memmem=0  operands of comparisons, kept in tables indexed by code address,
#                    which address-space randomisation changes from run to run
#   -reload=0        re-reading the corpus directory once a second
#   -rss_limit_mb=0 -malloc_limit_mb=4096  memory judged per allocation, not by a sampling thread
#   -detect_leaks=0  libFuzzer looks for leaks when a run's allocations and frees do not match,
#                    which threads starting or finishing in the background change; the corpus
#                    replay and the asan stage still check for leaks
#   setarch -R       no address-space randomisation: some library code behaves differently at
#                    other addresses (without it about 1 run in 15 explored differently here)
# The fuzz preset leaves out of coverage the stack depth (it moves with where the stack starts),
# and code whose branches follow thread timing or buffer boundaries rather than the input
# (tests/fuzz/coverage-ignorelist.txt); the reader decodes on one thread (tests/fuzz/reader_fuzz.cpp).
# FUZZ_SEED and FUZZ_RUNS_<TARGET> change the run; each target takes about 30-60 s on 2 cores.
fuzz_seed=${FUZZ_SEED:-1}
declare -A fuzz_runs=([engine]=${FUZZ_RUNS_ENGINE:-10000} [reader]=${FUZZ_RUNS_READER:-12000})
fuzz_flags=(-use_counters=0 -use_cmp=0 -use_memmem=0 -reload=0 -rss_limit_mb=0 -malloc_limit_mb=4096)
explore_flags=(-detect_leaks=0)

# The fuzz build. The coverage ignorelist is a compiler input that neither CMake nor ccache sees
# by itself: ccache is told to hash it, and a changed list rebuilds from scratch.
build_fuzzers() {
  local list=tests/fuzz/coverage-ignorelist.txt
  if [ -f build-fuzz/CMakeCache.txt ] && [ "$list" -nt build-fuzz/CMakeCache.txt ]; then
    rm -rf build-fuzz
  fi
  cmake --preset fuzz -DCMAKE_CXX_COMPILER_LAUNCHER=ccache > /dev/null
  touch build-fuzz/CMakeCache.txt
  CCACHE_EXTRAFILES=$root/$list cmake --build --preset fuzz -j "$jobs"
}

# Runs a fuzzer command with its output in a log; on failure shows the end of the log.
run_fuzzer() {
  local log=$1
  shift
  if ! "$@" > "$log" 2>&1; then
    tail -n 80 "$log" >&2
    echo "fuzzing failed; the input is in $(dirname "$log") (log: $log)" >&2
    return 1
  fi
}

stage_fuzz() {
  build_fuzzers
  local fixed_addresses=(setarch -R)
  if ! setarch -R true 2> /dev/null; then
    # A container may forbid it (Docker's default seccomp profile does).
    echo "fuzz: cannot turn off address-space randomisation here; a run may explore differently" >&2
    fixed_addresses=()
  fi
  local out=build-fuzz/ci
  rm -rf "$out"
  for target in engine reader; do
    local binary=build-fuzz/tests/fuzz/blurcam_${target}_fuzz started=$SECONDS
    mkdir -p "$out/$target-new" "$out/$target-work"
    # The reader writes each input to a file; one fixed name keeps runs identical.
    export BLURCAM_FUZZ_WORK_DIR=$root/$out/$target-work
    # Every saved input once, whole (a -max_len would cut the long ones).
    run_fuzzer "$out/$target-replay.log" "${fixed_addresses[@]}" "$binary" "${fuzz_flags[@]}" \
      -artifact_prefix="$out/$target-replay-" tests/fuzz/corpus-$target/*
    echo "fuzz $target: replayed $(find tests/fuzz/corpus-$target -type f | wc -l) saved inputs"
    # New inputs go to $out, never into the saved corpus: only a person adds to that.
    run_fuzzer "$out/$target.log" "${fixed_addresses[@]}" "$binary" "${fuzz_flags[@]}" "${explore_flags[@]}" \
      -seed="$fuzz_seed" -runs="${fuzz_runs[$target]}" \
      -max_len=8192 -print_final_stats=1 -artifact_prefix="$out/$target-" "$out/$target-new" "tests/fuzz/corpus-$target"
    grep -E '^#[0-9]+[[:space:]]+DONE' "$out/$target.log" | sed -E "s/^/fuzz $target: /; s/ exec\/s.*//"
    echo "fuzz $target: seed $fuzz_seed, ${fuzz_runs[$target]} inputs, $((SECONDS - started)) s"
    unset BLURCAM_FUZZ_WORK_DIR
  done
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
