#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan) and runs each for a bounded time over its
# seed corpus. A crash leaves its input in build-fuzz/findings/; copy it into the corpus folder
# (tests/fuzz/corpus-*) so every later run replays it as a regression test.
#   scripts/fuzz.sh [seconds per target, default 60]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
cmake --preset fuzz -DCMAKE_CXX_COMPILER_LAUNCHER=ccache > /dev/null
cmake --build --preset fuzz -j "$(nproc)"
# Findings of an earlier run are in the corpus by now (or still need to be): start empty, so
# only this run's crashes fail it.
rm -rf build-fuzz/findings
mkdir -p build-fuzz/findings
for target in engine reader; do
  work=build-fuzz/corpus-$target
  mkdir -p "$work"
  echo "fuzzing $target for ${seconds}s"
  # The seed corpus is replayed first (regressions), then new inputs are explored in $work.
  build-fuzz/tests/fuzz/blurcam_${target}_fuzz -max_total_time="$seconds" -max_len=4096 -rss_limit_mb=4096 \
    -artifact_prefix=build-fuzz/findings/$target- -print_final_stats=1 "$work" "tests/fuzz/corpus-$target" 2>&1 |
    grep -E '^(stat::number_of_executed_units|==[0-9]+==ERROR|SUMMARY)' || true
  if ls build-fuzz/findings/$target-* > /dev/null 2>&1; then
    echo "fuzz target $target found a failing input: $(ls build-fuzz/findings/$target-*)" >&2
    exit 1
  fi
done
