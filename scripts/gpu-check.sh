#!/usr/bin/env bash
# The GPU check in one go: configure and build (Release), run the engine tests (Vulkan among the
# backends of the conformance suite, validation layer on), benchmark the Vulkan backend at
# 256x256, 1920x1080 and 3840x2160, and print the device.
# Run it on any machine with a GPU and paste what it prints into the README.
#
#   scripts/gpu-check.sh [build-dir]        (default: build-gpu in the repository)
#
# Environment:
#   BLURCAM_SKIP_BUILD=1      use an existing build in build-dir as it is
#   BLURCAM_VULKAN_DEVICE     device index or name substring (default: the best device)
#   BLURCAM_BENCH_FRAMES      timed frames per size (default 100; lavapipe is slow, try 10)
#   JOBS                      parallel build jobs (default: number of cores)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$root/build-gpu}"
frames="${BLURCAM_BENCH_FRAMES:-100}"
jobs="${JOBS:-$(nproc)}"
sizes=(256x256 1920x1080 3840x2160)

section() { printf '\n=== %s ===\n' "$*"; }

if [[ "${BLURCAM_SKIP_BUILD:-0}" != 1 ]]; then
  section "configure and build (Release) in $build"
  launcher=()
  if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DBLURCAM_WITH_VULKAN=ON -DBLURCAM_BUILD_TESTS=ON -DBLURCAM_BUILD_GUI=OFF \
    "${launcher[@]}"
  cmake --build "$build" -j "$jobs"
fi

bench="$build/tests/benchmarks/blurcam_vulkan_bench"
[[ -x "$bench" ]] || { echo "gpu-check: $bench was not built (is BLURCAM_WITH_VULKAN on?)" >&2; exit 1; }

section "Vulkan devices"
# NVIDIA's container runtime puts the driver's ICD here without registering it with the loader.
# Use it only when the loader finds no hardware device by itself (lavapipe alone does not count).
nvidiaIcd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
if ! "$bench" --list | grep -q -E '\((discrete|integrated|virtual)\)' && [[ -f "$nvidiaIcd" ]]; then
  echo "no hardware device through the default ICDs; using $nvidiaIcd"
  export VK_DRIVER_FILES="$nvidiaIcd" VK_ICD_FILENAMES="$nvidiaIcd"
fi
if ! "$bench" --list | grep -q -E '\((discrete|integrated|virtual)\)'; then
  # Say why: the loader's own account of each driver it tried.
  VK_LOADER_DEBUG=error,driver "$bench" --list 2>&1 | tail -n 20 || true
  echo "gpu-check: no hardware Vulkan device. NVIDIA's ICD (libGLX_nvidia.so.0) also needs libglvnd0" \
       "(libGLdispatch.so.0) and libvulkan1: apt-get install libvulkan1 libglvnd0. Going on with what there is." >&2
fi
"$bench" --list || { echo "gpu-check: no Vulkan device at all" >&2; exit 1; }

section "engine tests, Vulkan among the backends (validation layer on)"
ctest --test-dir "$build" -L "engine|vulkan" --output-on-failure -j "$jobs"

section "benchmark: K=5 sigma=1 stride=2 clamp, $frames frames per size"
cli="$(find "$build" -name blurcam-cli -type f -perm -u+x 2>/dev/null | head -n 1 || true)"
if [[ -n "$cli" ]]; then
  for size in "${sizes[@]}"; do
    echo "--- blurcam-cli bench --backend vulkan --size $size --frames $frames"
    "$cli" bench --backend vulkan --size "$size" --frames "$frames"
  done
fi
echo "--- blurcam_vulkan_bench --frames $frames ${sizes[*]}"
"$bench" --frames "$frames" "${sizes[@]}"

section "done"
"$bench" --list | sed -n 's/^\* [0-9]* /device: /p'
