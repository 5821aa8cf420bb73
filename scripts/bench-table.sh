#!/usr/bin/env bash
# Runs the CPU benchmark (blurcam next to OpenCV, in one run) and prints the README's table of
# ratios. Each time is the minimum over repetitions, which is what survives a busy machine best.
#   scripts/bench-table.sh [build-dir]      (default: build)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
bench="$build/tests/benchmarks/blurcam_cpu_bench"
[ -x "$bench" ] || { echo "bench-table: $bench is not built (cmake --build $build --target blurcam_cpu_bench)" >&2; exit 1; }
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores, $(date -u +%F)"
"$bench" --benchmark_min_time=0.05 --benchmark_repetitions="${REPETITIONS:-30}" --benchmark_format=csv 2>/dev/null |
  awk -F, '
    NR > 1 && $1 !~ /_(mean|median|stddev|cv)"?$/ {
      gsub(/"/, "", $1); split($1, part, "/");
      key = part[2] "x" substr(part[3], 3) " " part[4] " " part[5]; sub(/w:/, "", key);
      if (!((part[1], key) in best) || $4 < best[part[1], key]) best[part[1], key] = $4;
      keys[key] = 1
    }
    END {
      printf "| frame, kernel, threads | blurcam | vs cv::pyrDown | vs cv::resize INTER_AREA | vs cv::GaussianBlur + subsample |\n";
      printf "|---|---|---|---|---|\n";
      n = split("256x256 K:5 threads:1,1920x1080 K:5 threads:1,3840x2160 K:5 threads:1,3840x2160 K:5 threads:2,1920x1080 K:15 threads:1,1920x1080 K:31 threads:1", order, ",");
      for (i = 1; i <= n; ++i) {
        key = order[i]; if (!(key in keys)) continue;
        own = best["blurcamCpu", key];
        line = sprintf("| %s | %.1f us |", key, own / 1e3);
        split("openCvPyrDown openCvResizeArea openCvGaussianBlurThenSubsample", other, " ");
        for (j = 1; j <= 3; ++j) {
          if ((other[j], key) in best) line = line sprintf(" %.2f |", own / best[other[j], key]);
          else line = line " - |";
        }
        print line
      }
    }'
