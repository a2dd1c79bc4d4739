#!/usr/bin/env bash
# Runs every fuzzer for SECONDS seconds, starting from its seed corpus in fuzz/corpus/.
# New inputs go to a scratch corpus in the build directory, never into the repository.
# usage: fuzz/run.sh BUILD_DIR SECONDS
set -euo pipefail
build=${1:?usage: fuzz/run.sh BUILD_DIR SECONDS}
seconds=${2:-30}
here=$(cd "$(dirname "$0")" && pwd)
for fuzzer in "$build"/fuzz/*_fuzzer; do
  name=$(basename "$fuzzer" _fuzzer)
  scratch="$build/fuzz-corpus/$name"
  mkdir -p "$scratch"
  echo "fuzz: $name for ${seconds}s"
  log="$build/fuzz-$name.log"
  if ! "$fuzzer" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -timeout=10 \
      -print_final_stats=1 "$scratch" "$here/corpus/$name" >"$log" 2>&1; then
    tail -40 "$log"
    echo "fuzz: $name FAILED (log: $log)"
    exit 1
  fi
  grep -E 'stat::number_of_executed_units' "$log" || true
done
echo "fuzz: all fuzzers ran clean"
