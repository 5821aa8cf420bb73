#!/usr/bin/env bash
# ctest with one more rule in CI: under CI=true a test that did not run (skipped, disabled, not
# run) fails the run, naming the tests. A suite skips only when this machine lacks what it needs
# (tests/test_requirements.hpp), and a CI machine is meant to lack nothing: a broken lavapipe or
# a lost package must turn the run red, not into "skipped". Outside CI ctest's verdict stands.
# Usage: scripts/ctest-no-skips.sh [ctest arguments]...   (exit status: ctest's, or 1)
set -uo pipefail

log=$(mktemp)
trap 'rm -f "$log"' EXIT
ctest "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

if [ "${CI:-}" = true ] || [ "${CI:-}" = 1 ]; then
  # ctest lists every test that did not run after this heading, one "(Skipped)", "(Disabled)" or
  # "(Not Run)" line each; the per-test lines above it say "***Skipped" or "***Not Run".
  did_not_run=$(grep -cE '\*\*\*(Skipped|Not Run)|^[[:space:]]*[0-9]+ - .* \((Skipped|Disabled|Not Run)\)$' "$log")
  if [ "$did_not_run" -gt 0 ] || grep -q 'The following tests did not run:' "$log"; then
    echo "CI=true: tests that did not run fail the run; in CI every requirement must be met:" >&2
    sed -n '/The following tests did not run:/,/^$/p' "$log" >&2
    [ "$status" -eq 0 ] && status=1
  else
    echo "CI=true: 0 tests skipped or not run"
  fi
fi
exit "$status"
