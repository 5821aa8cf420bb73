#!/usr/bin/env bash
# Explores by hand: builds the libFuzzer targets (clang, ASan + UBSan) and runs each for a while
# with a random seed, starting from its corpus. CI does not run this: it replays the corpus and
# runs a fixed seed for a fixed number of inputs (scripts/ci-hardening.sh fuzz), so its verdict
# never depends on luck. What this finds goes into tests/fuzz/corpus-*, and CI replays it from then on.
#   scripts/fuzz.sh [seconds per target, default 300] [engine] [reader]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-300}
[ $# -gt 0 ] && shift
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(engine reader)
# The coverage ignorelist is a compiler input CMake and ccache do not see by themselves (see
# scripts/ci-hardening.sh): ccache hashes it, and a changed list rebuilds from scratch.
list=tests/fuzz/coverage-ignorelist.txt
if [ -f build-fuzz/CMakeCache.txt ] && [ "$list" -nt build-fuzz/CMakeCache.txt ]; then
  rm -rf build-fuzz
fi
cmake --preset fuzz -DCMAKE_CXX_COMPILER_LAUNCHER=ccache > /dev/null
touch build-fuzz/CMakeCache.txt
CCACHE_EXTRAFILES=$PWD/$list cmake --build --preset fuzz -j "$(nproc)"
# Findings of an earlier run are in the corpus by now (or still need to be): start empty, so
# only this run's crashes are reported.
rm -rf build-fuzz/findings
mkdir -p build-fuzz/findings
found=0
for target in "${targets[@]}"; do
  work=build-fuzz/corpus-$target # new inputs that reach new code collect here, run after run
  mkdir -p "$work"
  echo "fuzzing $target for ${seconds}s (random seed; libFuzzer prints it as 'Seed:')"
  # The saved corpus is read first, then new inputs are explored and written to $work.
  build-fuzz/tests/fuzz/blurcam_${target}_fuzz -max_total_time="$seconds" -max_len=8192 -rss_limit_mb=4096 \
    -artifact_prefix="build-fuzz/findings/$target-" -print_final_stats=1 "$work" "tests/fuzz/corpus-$target" 2>&1 |
    grep -E '^(INFO: Seed|stat::number_of_executed_units|stat::new_units_added|==[0-9]+==ERROR|SUMMARY)' || true
  if ls "build-fuzz/findings/$target-"* > /dev/null 2>&1; then
    found=1
  fi
done
cat <<EOF_HELP

To keep what this run found (CI then replays it):
  - a crash in build-fuzz/findings/: reproduce it with
      build-fuzz/tests/fuzz/blurcam_TARGET_fuzz build-fuzz/findings/FILE
    fix the cause, then copy the file to tests/fuzz/corpus-TARGET/ under a name that says what
    it is, and add a test that shows the fix;
  - inputs that reached new code (build-fuzz/corpus-TARGET/): add only those that widen the saved
    corpus with
      build-fuzz/tests/fuzz/blurcam_TARGET_fuzz -merge=1 tests/fuzz/corpus-TARGET build-fuzz/corpus-TARGET
EOF_HELP
if [ "$found" -ne 0 ]; then
  echo "failing inputs: $(ls build-fuzz/findings/)" >&2
  exit 1
fi
