#!/usr/bin/env bash
# For a person whose machine can load v4l2loopback (CI and the build machines cannot: no kernel
# modules there). Loads a loopback device if there is none, streams blurcam's test pattern into
# it, reads it back the way a browser would (a V4L2 capture) and checks the format and the frame
# count. Every process it starts is stopped by its PID.
#
# usage: scripts/virtual-camera-check.sh [build-dir] [/dev/videoN, default /dev/video10]
set -euo pipefail
build=${1:-build}
device=${2:-/dev/video10}
cli=$build/app/cli/blurcam-cli
frames=60
[ -x "$cli" ] || { echo "no $cli: build blurcam-cli first" >&2; exit 1; }
command -v ffmpeg >/dev/null || { echo "needs ffmpeg (sudo apt install ffmpeg)" >&2; exit 1; }

if [ ! -e "$device" ]; then
  number=${device#/dev/video}
  echo "Loading v4l2loopback as $device (sudo)..."
  sudo modprobe v4l2loopback "video_nr=$number" card_label=blurcam exclusive_caps=1
  for _ in $(seq 50); do [ -e "$device" ] && break; sleep 0.1; done
fi

work=$(mktemp -d)
"$cli" process --input pattern --output "v4l2:$device" >"$work/blurcam.log" 2>&1 &
blurcam=$!
cleanup() { kill -INT "$blurcam" 2>/dev/null || true; wait "$blurcam" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
sleep 2 # the producer must set the format before a consumer opens the device (exclusive_caps=1)
if ! kill -0 "$blurcam" 2>/dev/null; then
  echo "FAIL: blurcam-cli stopped:"; cat "$work/blurcam.log"; exit 1
fi

# Read back as a capture device: what Chrome, Firefox, Zoom and Teams do.
ffmpeg -hide_banner -loglevel info -f v4l2 -i "$device" -frames:v "$frames" -f rawvideo -y "$work/out.yuv" \
  2>"$work/ffmpeg.log" || { echo "FAIL: ffmpeg could not read $device:"; tail -5 "$work/ffmpeg.log"; exit 1; }
stream=$(grep -m1 "Stream #0" "$work/ffmpeg.log" || true)
bytes=$(stat -c %s "$work/out.yuv")
expected=$((frames * 640 * 480 * 2))
echo "ffmpeg saw: $stream"
status=0
echo "$stream" | grep -q "yuyv422" || { echo "FAIL: not YUYV"; status=1; }
echo "$stream" | grep -q "640x480" || { echo "FAIL: not 640x480 (the pattern's own size)"; status=1; }
[ "$bytes" -eq "$expected" ] || { echo "FAIL: $bytes bytes read, expected $expected ($frames frames)"; status=1; }
[ $status -eq 0 ] && echo "PASS: $frames YUYV 640x480 frames read back from $device"
exit $status
