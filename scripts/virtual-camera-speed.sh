#!/usr/bin/env bash
# Measures the virtual camera end to end on a private PipeWire daemon: test camera -> blurcam ->
# consumer, at 640x480 and 1280x720, 30 fps. Prints what blurcam-cli reports: the latency it adds
# (from reading a frame to handing it to the consumer's buffer, measured per frame) and its CPU
# seconds per wall second. The test camera is another blurcam-cli publishing its built-in pattern
# (a PipeWire driver with a clock of its own, as a real camera is; GStreamer's pipewiresink has
# none, and PipeWire would then run it on blurcam's clock). Every process is stopped by its PID.
#
# usage: scripts/virtual-camera-speed.sh [build-dir] [frames per run, default 300]
set -euo pipefail
build=${1:-build}
frames=${2:-300}
cli=$build/app/cli/blurcam-cli
[ -x "$cli" ] || { echo "no $cli: build blurcam-cli first" >&2; exit 1; }

runtime=$(mktemp -d /tmp/blurcam-speed-XXXXXX)
pids=()
cleanup() {
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill "${pids[i]}" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -n "${dbus_pid:-}" ] && kill "$dbus_pid" 2>/dev/null || true
  rm -rf "$runtime"
}
trap cleanup EXIT
export XDG_RUNTIME_DIR=$runtime PIPEWIRE_RUNTIME_DIR=$runtime
{ read -r DBUS_SESSION_BUS_ADDRESS; read -r dbus_pid; } < <(dbus-daemon --session --fork --print-address=1 --print-pid=1)
export DBUS_SESSION_BUS_ADDRESS
pipewire >"$runtime/pipewire.log" 2>&1 & pids+=($!)
for _ in $(seq 100); do [ -S "$runtime/pipewire-0" ] && break; sleep 0.1; done
wireplumber >"$runtime/wireplumber.log" 2>&1 & pids+=($!)
for _ in $(seq 200); do pw-cli ls Metadata 2>/dev/null | grep -q 'metadata.name = "default"' && break; sleep 0.1; done

wait_node() { for _ in $(seq 200); do pw-cli ls Node 2>/dev/null | grep -q "node.name = \"$1\"" && return 0; sleep 0.1; done; return 1; }

echo "| size | frames | added latency median | p99 | blurcam CPU (s per s) | dropped |"
echo "|---|---|---|---|---|---|"
for size in 640x480 1280x720; do
  # The camera: the pattern, unblurred (K=1, stride 1), scaled to the size, at 30 fps.
  "$cli" process --input pattern --output pipewire:speed-cam --output-size "$size" --ksize 1 --stride 1 \
    >"$runtime/cam-$size.log" 2>&1 & cam=$!; pids+=($cam)
  wait_node speed-cam
  "$cli" process --input pipewire:speed-cam --output pipewire:blurcam-speed --frames "$frames" \
    >"$runtime/blurcam-$size.log" 2>&1 & blur=$!; pids+=($blur)
  wait_node blurcam-speed
  # A consumer names a format, as browsers and OBS do (pipewiresrc with ANY caps never negotiates
  # on PipeWire 0.3.65, whatever the source).
  gst-launch-1.0 pipewiresrc target-object=blurcam-speed ! video/x-raw,format=YUY2 ! fakesink >"$runtime/consumer-$size.log" 2>&1 & consumer=$!; pids+=($consumer)
  wait "$blur" || true
  kill "$consumer" "$cam" 2>/dev/null || true
  wait "$consumer" "$cam" 2>/dev/null || true
  log=$runtime/blurcam-$size.log
  median=$(sed -n 's/^latency: *median \([0-9.]*\) ms.*/\1/p' "$log")
  p99=$(sed -n 's/^latency:.*p99 \([0-9.]*\) ms.*/\1/p' "$log")
  cpu=$(sed -n 's/^cpu: *\([0-9.]*\) s per wall second.*/\1/p' "$log")
  dropped=$(sed -n 's/^sent:.*, \([0-9]*\) dropped.*/\1/p' "$log")
  echo "| $size | $frames | ${median:-?} ms | ${p99:-?} ms | ${cpu:-?} | ${dropped:-?} |"
  [ -n "${VERBOSE:-}" ] && cat "$log" "$runtime/consumer-$size.log"
done
