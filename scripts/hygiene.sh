#!/usr/bin/env bash
# Code hygiene, failing on any new problem:
#  - clang-format (.clang-format) over every tracked C++ file, except the ones listed in
#    tests/format-pending.txt (files not yet formatted; delete a line once its file is formatted);
#  - clang-tidy (.clang-tidy) over the engine and app/core sources, any warning in blurcam code
#    is an error. Uses build/compile_commands.json (the release preset exports it).
# Usage: scripts/hygiene.sh [format|tidy]...   (both when none given)
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)

check_format() {
  mapfile -t pending < <(grep -v '^\s*\(#\|$\)' tests/format-pending.txt)
  mapfile -t files < <(git ls-files '*.cpp' '*.hpp' '*.h' | grep -vxF -f <(printf '%s\n' "${pending[@]}" ""))
  echo "clang-format: checking ${#files[@]} files (${#pending[@]} listed in tests/format-pending.txt)"
  clang-format --dry-run --Werror "${files[@]}"
}

check_tidy() {
  if [ ! -f build/compile_commands.json ]; then
    cmake --preset release -DCMAKE_CXX_COMPILER_LAUNCHER=ccache > /dev/null
  fi
  # Generated sources (shaders, moc) must exist before tidy reads the translation units.
  cmake --build build -j "$jobs" --target blurcam_engine blurcam_app_core > /dev/null
  mapfile -t files < <(git ls-files 'engine/*.cpp' 'app/core/*.cpp')
  echo "clang-tidy: checking ${#files[@]} files in engine/ and app/core/"
  printf '%s\n' "${files[@]}" |
    xargs -P "$jobs" -n 1 clang-tidy -p build --quiet --warnings-as-errors='*' \
      --extra-arg=-Wno-unknown-warning-option 2>&1 | { grep -v '^[0-9]* warnings\? generated\.$' || true; }
}

checks=("$@")
[ ${#checks[@]} -eq 0 ] && checks=(format tidy)
for check in "${checks[@]}"; do
  case "$check" in
    format) check_format ;;
    tidy) check_tidy ;;
    *) echo "usage: scripts/hygiene.sh [format|tidy]..." >&2; exit 2 ;;
  esac
done
