#!/usr/bin/env bash
# Fails when any tracked C++ file differs from what clang-format (.clang-format) writes.
# usage: scripts/check_format.sh [SOURCE_DIR]
set -euo pipefail
cd "${1:-$(dirname "$0")/..}"
bad=0
while IFS= read -r f; do
  if ! clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then
    echo "not clang-formatted: $f"
    bad=$((bad + 1))
  fi
done < <(git ls-files '*.cc' '*.h')
echo "clang-format: $bad files to reformat"
[ "$bad" -eq 0 ]
