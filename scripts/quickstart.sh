#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to a running blurcam, or to a full test run:
#   scripts/quickstart.sh run [blurcam options]   install what is missing, build, start the app
#   scripts/quickstart.sh test                    install what is missing, build, run every test,
#                                                 then the hardening stages (scripts/ci-hardening.sh)
# Packages come from Debian only; nothing is downloaded at build time.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-run}
[ $# -gt 0 ] && shift

packages=(
  build-essential cmake pkg-config ccache
  libopencv-dev libavformat-dev libavcodec-dev libswscale-dev qt6-base-dev qt6-qpa-plugins libfftw3-dev
  libvulkan-dev glslang-tools mesa-vulkan-drivers vulkan-validationlayers
  libgtest-dev libgmock-dev libbenchmark-dev
  xvfb xauth
  # The virtual camera: libpipewire to publish the node; the daemons, WirePlumber, a session bus
  # and GStreamer's PipeWire elements to read PipeWire cameras and to test end to end.
  libpipewire-0.3-dev pipewire pipewire-bin wireplumber dbus-daemon
  gstreamer1.0-pipewire gstreamer1.0-tools gstreamer1.0-plugins-base
)
# The test run also fuzzes (libFuzzer needs clang and its runtime), checks format and tidy, and
# makes real-world video files with FFmpeg's own tools (ffmpeg, ffprobe) to read them back.
[ "$mode" = test ] && packages+=(clang clang-format clang-tidy libclang-rt-14-dev ffmpeg)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}\n' "$package" 2>/dev/null | grep -q '^install ok installed$' || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing missing Debian packages: ${missing[*]}"
  sudo=()
  [ "$(id -u)" -ne 0 ] && sudo=(sudo)
  "${sudo[@]}" apt-get update
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
fi

jobs=$(nproc)
cmake --preset release -DCMAKE_CXX_COMPILER_LAUNCHER=ccache
cmake --build --preset release -j "$jobs"

case "$mode" in
  run)
    if [ -x build/app/gui/blurcam ]; then
      exec build/app/gui/blurcam "$@"
    fi
    # Built without the GUI: show the engine working on the moving test pattern instead.
    mkdir -p build/quickstart-frames
    exec build/app/cli/blurcam-cli process --input pattern --output build/quickstart-frames/ --frames 10 "$@"
    ;;
  test)
    # Under CI=true a skipped test fails the run (scripts/ctest-no-skips.sh).
    scripts/ctest-no-skips.sh --preset release -j "$jobs"
    scripts/ci-hardening.sh all
    ;;
  *)
    echo "usage: scripts/quickstart.sh run|test" >&2
    exit 2
    ;;
esac
