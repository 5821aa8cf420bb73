#!/usr/bin/env bash
# CPU the desktop window costs: runs blurcam under Xvfb (with openbox, at 1280x800) on the test
# pattern and on a 640x480 30 fps video made with ffmpeg, and prints CPU seconds per wall second
# of the whole process (utime + stime from /proc/PID/stat), after a warm-up. Decoding the video
# alone (ffmpeg at real time, one thread) is reported on its own row, so the window's share of
# the video case can be told apart from the decoder's.
#
#   scripts/measure-window-cpu.sh [seconds per case, default 10] [build dir, default build]
set -euo pipefail

inner() {
    # Runs inside xvfb-run: one case, prints "cpu-seconds-per-second".
    local source=$1
    openbox >/dev/null 2>&1 &
    local wm=$!
    sleep 1
    XDG_CONFIG_HOME="$work/config" "$app" --source "$source" >/dev/null 2>&1 &
    local pid=$!
    local window=""
    for _ in $(seq 50); do
        window=$(xdotool search --sync --onlyvisible --pid "$pid" --name blurcam 2>/dev/null | head -1) && [[ -n $window ]] && break
        sleep 0.2
    done
    [[ -n $window ]] && xdotool windowsize "$window" 1280 800 && xdotool windowmove "$window" 0 0
    sleep 3 # warm-up: backends probed, first frames, layout settled
    ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
    local hz; hz=$(getconf CLK_TCK)
    local t0; t0=$(ticks); local w0; w0=$(date +%s.%N)
    sleep "$seconds"
    local t1; t1=$(ticks); local w1; w1=$(date +%s.%N)
    kill "$pid"; wait "$pid" 2>/dev/null || true
    kill "$wm" 2>/dev/null || true
    awk -v t="$((t1 - t0))" -v hz="$hz" -v w0="$w0" -v w1="$w1" 'BEGIN { printf "%.3f\n", t / hz / (w1 - w0) }'
}
if [[ ${1:-} == --inner ]]; then
    # xvfb-run starts its command through sh, which drops exported bash functions: it runs this
    # script again instead.
    app=$2 work=$3 seconds=$4
    inner "$5"
    exit
fi

seconds=${1:-10}
build=${2:-build}
app="$(realpath "$build/app/gui/blurcam")"
[[ -x $app ]] || { echo "no $app: build the blurcam target first" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
clip="$work/clip-640x480.mp4"
ffmpeg -loglevel error -f lavfi -i testsrc2=size=640x480:rate=30 -t 20 -c:v libx264 -pix_fmt yuv420p "$clip"

run_case() {
    rm -rf "$work/config"
    xvfb-run -a -s '-screen 0 1280x800x24' "$(realpath "$0")" --inner "$app" "$work" "$seconds" "$1"
}

decode_only() {
    local start end
    start=$(date +%s.%N)
    /usr/bin/time -f '%U %S' -o "$work/time" ffmpeg -loglevel error -re -threads 1 -i "$clip" -t "$seconds" -f null -
    end=$(date +%s.%N)
    awk -v s="$start" -v e="$end" '{ printf "%.3f\n", ($1 + $2) / (e - s) }' "$work/time"
}

echo "| case (1280x800 window, default settings, ${seconds} s) | CPU s per wall s |"
echo "|---|---|"
echo "| test pattern | $(run_case pattern) |"
echo "| 640x480 30 fps H.264 file, decoding included | $(run_case "$clip") |"
echo "| decoding that file alone (ffmpeg -re, 1 thread) | $(decode_only) |"
