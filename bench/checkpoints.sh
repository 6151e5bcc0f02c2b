#!/usr/bin/env bash
# Cost of checkpoints: exports of the benchmark CSV (bench/gen_csv.mjs, ROWS
# rows) with the default --checkpoint-interval (32MB of input) against the
# same exports with checkpoints off (--checkpoint-interval 0), in paired
# runs (bench/lib/compare.sh). Each checkpoint ends the compression frame,
# fsyncs the partial file and writes one job-store row; the ratio shows what
# that costs. Cases: CSV with zstd, and Parquet (a checkpoint there waits
# for the row group to end).
#
# Usage: bench/checkpoints.sh [ROWS]   (default 10000000)
# Environment: SLUICE_BIN (default build/release/sluice), BENCH_DIR (default
# /tmp/sluice-bench), BENCH_RUNS (default 3), BENCH_RECORD, BENCH_QUIET_HEADER
# as in bench/encryption.sh.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
sluice="${SLUICE_BIN:-$repo/build/release/sluice}"
work="${BENCH_DIR:-/tmp/sluice-bench}"
rows="${1:-10000000}"
mkdir -p "$work"
[[ -x "$sluice" ]] || { echo "bench: sluice binary not found at $sluice; build it or set SLUICE_BIN" >&2; exit 1; }

# shellcheck source=lib/measure.sh
source "$here/lib/measure.sh"
# shellcheck source=lib/compare.sh
source "$here/lib/compare.sh"
# shellcheck source=lib/inputs.sh
source "$here/lib/inputs.sh"

input="$(generated_csv "$rows")"
# A job store of its own, removed at the end, keeps these runs out of the
# default store.
export SLUICE_STATE_DIR="$work/checkpoint-state"
rm -rf "$SLUICE_STATE_DIR"
[[ -n "${BENCH_QUIET_HEADER:-}" ]] || print_comparison_header
for target in "out.csv.zst csv" "out.parquet parquet"; do
  read -r name format <<<"$target"
  command=("$sluice" export --from "$input" --schema "$bench_sluice_schema" --format "$format"
           --progress none --quiet)
  compare "$rows-row CSV to $name, checkpoints every 32MB" "Sluice without checkpoints" \
    "$work/checkpointed-$name" "$work/unchecked-$name" -- \
    "${command[@]}" --to "$work/checkpointed-$name" -- \
    "${command[@]}" --to "$work/unchecked-$name" --checkpoint-interval 0
  rm -f "$work/checkpointed-$name" "$work/unchecked-$name"
done
rm -rf "$SLUICE_STATE_DIR"
echo "The Sluice/baseline ratio is the cost of taking checkpoints."
