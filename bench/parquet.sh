#!/usr/bin/env bash
# Parquet benchmark: Sluice against DuckDB COPY, both ways.
#   1. The generated CSV (bench/gen_csv.mjs, 7 columns) to Parquet with snappy.
#   2. The same rows as Parquet (written once by Sluice before timing) to CSV.
#   3. node_modules/vega-datasets/data/flights-3m.parquet, a file written by
#      another tool, to CSV.
# Both tools get the CSV's column types. Each case runs BENCH_RUNS times per
# tool in paired A/B order (bench/lib/compare.sh). The table shows the median
# wall time, the largest peak RSS (GNU time `%M` around each process) and the
# output sizes. DuckDB runs inside node through @duckdb/node-api, so its RSS
# includes the node runtime (about 50 MB). DuckDB uses every core unless
# DUCKDB_THREADS is set.
#
# Usage: bench/parquet.sh [ROWS]            (default 10000000)
# Environment:
#   SLUICE_BIN   binary to measure (default build/release/sluice)
#   BENCH_DIR    work directory (default /tmp/sluice-bench); 10M rows need about 3 GB
#   BENCH_RUNS   runs per tool and case (default 3)
#   BENCH_RECORD file that collects the table rows as tab-separated lines
#   BENCH_QUIET_HEADER  when set, print the table rows only
# The markdown table goes to standard output; progress goes to standard error.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
sluice="${SLUICE_BIN:-$repo/build/release/sluice}"
work="${BENCH_DIR:-/tmp/sluice-bench}"
rows="${1:-10000000}"
flights="$repo/node_modules/vega-datasets/data/flights-3m.parquet"

# shellcheck source=lib/measure.sh
source "$here/lib/measure.sh"
# shellcheck source=lib/compare.sh
source "$here/lib/compare.sh"
# shellcheck source=lib/inputs.sh
source "$here/lib/inputs.sh"

require_sluice_and_duckdb
[[ -s "$flights" ]] || { echo "bench: vega-datasets is missing; run scripts/setup.sh (npm ci) first" >&2; exit 1; }
mkdir -p "$work"

if [[ -z "${BENCH_QUIET_HEADER:-}" ]]; then
  print_machine
  echo "Sluice: $("$sluice" --version 2>&1 | head -1); DuckDB: $(node "$here/lib/duckdb_version.mjs") via @duckdb/node-api in node $(node --version)"
  echo "Command: bench/parquet.sh $rows (BENCH_RUNS=${BENCH_RUNS:-3}${DUCKDB_THREADS:+, DUCKDB_THREADS=$DUCKDB_THREADS})"
  echo
  print_comparison_header
fi

duckdb=(node "$here/lib/duckdb_copy.mjs")
input="$(generated_csv "$rows")"

compare "$rows rows CSV to Parquet (snappy)" DuckDB "$work/sluice.parquet" "$work/duckdb.parquet" -- \
  "$sluice" export --from "$input" --schema "$bench_sluice_schema" --to "$work/sluice.parquet" \
  --parquet-codec snappy --quiet --progress none -- \
  "${duckdb[@]}" "$input" "$work/duckdb.parquet" parquet "$bench_duckdb_columns"
rm -f "$work/sluice.parquet" "$work/duckdb.parquet"

parquet_input="$(sluice_copy "$input" parquet)"
compare "$rows rows Parquet to CSV" DuckDB "$work/sluice-out.csv" "$work/duckdb-out.csv" -- \
  "$sluice" export --from "$parquet_input" --to "$work/sluice-out.csv" --quiet --progress none -- \
  "${duckdb[@]}" "$parquet_input" "$work/duckdb-out.csv" csv
check_same_line_count "$work/sluice-out.csv" "$work/duckdb-out.csv" "Parquet to CSV"
rm -f "$work/sluice-out.csv" "$work/duckdb-out.csv"

compare "flights-3m.parquet to CSV" DuckDB "$work/sluice-flights.csv" "$work/duckdb-flights.csv" -- \
  "$sluice" export --from "$flights" --to "$work/sluice-flights.csv" --quiet --progress none -- \
  "${duckdb[@]}" "$flights" "$work/duckdb-flights.csv" csv
rm -f "$work/sluice-flights.csv" "$work/duckdb-flights.csv"
