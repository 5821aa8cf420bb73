#!/usr/bin/env bash
# Mutation check (issue 26): applies each patch in tests/mutants/ in turn to a scratch worktree of
# HEAD, rebuilds only the test programs that patch names (ccache makes the rest free), runs the
# ctest regex it names, and prints one line per mutant (killed, by which test, or survived) and
# the score. By hand, not in CI: a full run takes tens of minutes on two cores.
#
# Each patch starts with a header that git apply skips:
#   # <what the bug is>
#   # origin: <where it came from>
#   # target: <build target> [<build target> ...]
#   # tests: <ctest -R regex>
# A mutant is killed when a test fails (or the tests crash or time out). A patch that no longer
# applies, or no longer builds, is reported as such: fix the patch, it counts as not killed.
#
# Usage: scripts/mutation-check.sh [--tests-from REV] [--only GLOB] [--keep]
#   --tests-from REV  use tests/ as it is at REV (the score before tests added since REV; REV
#                     must be a commit whose tests build against HEAD, e.g. git merge-base main HEAD)
#   --only GLOB       only the patches whose file name matches GLOB (e.g. '*kernel*')
#   --keep            keep the scratch worktree and its build (build-mutants/) for the next run
# Environment: BLURCAM_MUTANT_DIR (default <repo>/build-mutants), JOBS (default 2).
set -euo pipefail

root=$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)
scratch=${BLURCAM_MUTANT_DIR:-$root/build-mutants}
jobs=${JOBS:-2}
testsFrom=""
only="*"
keep=0
while [[ $# -gt 0 ]]; do
    case $1 in
    --tests-from) testsFrom=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 0 ;;
    *) echo "mutation-check: unknown option $1" >&2; exit 2 ;;
    esac
done

tree=$scratch/tree
build=$tree/build
log=$scratch/logs
mkdir -p "$scratch" "$log"
if [[ -d $tree ]]; then
    git -C "$tree" checkout -q --detach "$(git -C "$root" rev-parse HEAD)"
    git -C "$tree" reset -q --hard
else
    git -C "$root" worktree add -q --detach "$tree" HEAD
fi
cleanup() {
    if [[ $keep == 0 ]]; then
        git -C "$root" worktree remove --force "$tree" 2>/dev/null || true
    fi
}
trap cleanup EXIT

patches=()
for patch in "$root"/tests/mutants/$only.patch; do
    [[ -f $patch ]] && patches+=("$patch")
done
if [[ ${#patches[@]} == 0 ]]; then
    echo "mutation-check: no patch in tests/mutants matches $only" >&2
    exit 2
fi
if [[ -n $testsFrom ]]; then
    # The tests as they were at REV: files added since stay on disk but no CMake file names them.
    git -C "$tree" checkout -q "$testsFrom" -- tests
fi

header() { sed -n "s/^# $2: //p" "$1" | head -n 1; }

targets=()
for patch in "${patches[@]}"; do
    read -ra named <<<"$(header "$patch" target)"
    targets+=("${named[@]}")
done
mapfile -t targets < <(printf '%s\n' "${targets[@]}" | sort -u)

export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$(dirname "$root")}
echo "mutation-check: building ${targets[*]} in $tree" >&2
cmake --preset release -S "$tree" -B "$build" -DCMAKE_CXX_COMPILER_LAUNCHER=ccache >"$log/configure.log" 2>&1
cmake --build "$build" -j"$jobs" --target "${targets[@]}" >"$log/build-clean.log" 2>&1 || {
    echo "mutation-check: the unmutated tree does not build (see $log/build-clean.log)" >&2
    exit 1
}

# Runs the regex; prints the first failing test's name, or nothing when all passed.
firstFailure() {
    local regex=$1 out=$2
    if ctest --test-dir "$build" -R "$regex" -j"$jobs" --timeout 600 --stop-on-failure >"$out" 2>&1; then
        return 0
    fi
    local failed
    failed=$(sed -n '/The following tests FAILED/,$p' "$out" | grep -m1 -oE '[0-9]+ - [^ ]+' | sed 's/^[0-9]* - //')
    echo "${failed:-the test run (see $out)}"
}

printf '%-4s %-42s %-9s %s\n' "#" "mutant" "result" "killed by" | tee "$log/table.txt"
killed=0
total=0
for patch in "${patches[@]}"; do
    name=$(basename "$patch" .patch)
    total=$((total + 1))
    read -ra named <<<"$(header "$patch" target)"
    regex=$(header "$patch" tests)
    result=survived
    by=""
    if ! git -C "$tree" apply "$patch" 2>"$log/$name.apply.log"; then
        result=stale
        by="the patch no longer applies"
    elif ! cmake --build "$build" -j"$jobs" --target "${named[@]}" >"$log/$name.build.log" 2>&1; then
        result=broken
        by="the mutant does not build (see $log/$name.build.log)"
    else
        by=$(firstFailure "$regex" "$log/$name.test.log")
        if [[ -n $by ]]; then
            result=killed
            killed=$((killed + 1))
        fi
    fi
    git -C "$tree" apply -R "$patch" 2>/dev/null || true
    printf '%-4s %-42s %-9s %s\n' "${name%%-*}" "${name#*-}" "$result" "$by" | tee -a "$log/table.txt"
done
# Leave the build as the unmutated tree, so a --keep'd run starts clean.
cmake --build "$build" -j"$jobs" --target "${targets[@]}" >"$log/build-restore.log" 2>&1 || true
echo "score: $killed of $total killed${testsFrom:+ (tests from $testsFrom)}" | tee -a "$log/table.txt"
[[ $killed == "$total" ]]
