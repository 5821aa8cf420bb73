#!/usr/bin/env bash
# Long run, since a webcam app runs for hours and its memory must stay flat: FRAMES (default
# 100,000) frames of the test pattern through the desktop app's capture/processing Pipeline,
# headless, for each backend; fails when resident memory grows
# more than MAX_GROWTH percent (default 5) between 20% and 100% of a run. The pipeline captures at
# most 120 frames/s, so 100,000 frames take about 14-16 minutes per backend.
#   scripts/long-run.sh [backend...]      default: cpu vulkan fft
# A backend that cannot start on this machine is reported and skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
frames=${FRAMES:-100000}
growth=${MAX_GROWTH:-5}
backends=("$@")
[ ${#backends[@]} -eq 0 ] && backends=(cpu vulkan fft)

cmake --preset release -DCMAKE_CXX_COMPILER_LAUNCHER=ccache > /dev/null
cmake --build build -j "$(nproc)" --target blurcam_long_run

failed=0
for backend in "${backends[@]}"; do
  echo "=== $backend: $frames frames"
  status=0
  QT_QPA_PLATFORM=offscreen build/tests/blurcam_long_run --backend "$backend" --frames "$frames" \
    --max-growth "$growth" || status=$?
  case $status in
    0) ;;
    77) echo "=== $backend skipped: it cannot start on this machine" ;;
    *) echo "=== $backend FAILED (exit $status)"; failed=1 ;;
  esac
done
exit $failed
