#!/usr/bin/env bash
# `make bench` (issue 7): builds the release bootstraps exactly as the deployment does
# (scripts/build_bootstrap.sh), the C floor and the loopback servers (gcc -O2 -lcurl), then measures
# cold start, warm `$connect`, fan-out and footprint in one run and writes docs/benchmarks.md, then
# refreshes docs/capacity.md from the new figures (scripts/capacity.py).
#
#   scripts/bench.sh            full run (about 5 minutes of measuring here, plus the release builds)
#   BENCH_QUICK=1 scripts/bench.sh   short run while developing (fewer samples; the page says so)
#
# Not part of `make test`: a benchmark is never a test. Needs what `make test` sets up (.venv, libcurl-dev).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
out_dir=${BENCH_BUILD_DIR:-$root/.build-lambda/bench}
mkdir -p "$out_dir"

if [ ! -x .venv/bin/python ]; then
  echo "error: .venv is missing; run scripts/setup.sh (make setup) first" >&2
  exit 1
fi

scripts/build_bootstrap.sh DBUpdater "$out_dir/bin/DBUpdater"
scripts/build_bootstrap.sh DBStreamProcessor "$out_dir/bin/DBStreamProcessor"

echo "==> gcc -O2 bench/*.c" >&2
gcc -O2 -Wall -Wextra -o "$out_dir/loopback_api" bench/loopback_api.c
gcc -O2 -Wall -Wextra -o "$out_dir/floor_runtime" bench/floor_runtime.c -lcurl
gcc -O2 -Wall -Wextra -o "$out_dir/floor_socket" bench/floor_socket.c
gcc -O2 -Wall -Wextra -o "$out_dir/floor_fanout" bench/floor_fanout.c -lcurl

quick=()
if [ "${BENCH_QUICK:-0}" = 1 ]; then quick=(--quick); fi
.venv/bin/python bench/bench_run.py --bin "$out_dir/bin" --floor "$out_dir" --json "$out_dir/figures.json" "${quick[@]}"
# The capacity model takes its CPU costs from these figures (docs/capacity.md).
.venv/bin/python scripts/capacity.py --figures "$out_dir/figures.json"
