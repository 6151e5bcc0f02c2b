#!/usr/bin/env bash
# Engine benchmark: Sluice against DuckDB on the text formats, both ways.
#   Write: the generated CSV (bench/gen_csv.mjs) to CSV, NDJSON and JSON.
#   Read:  the same rows as NDJSON and as a JSON array, each to CSV.
# The read inputs are written once by Sluice from the CSV before timing, so
# both tools read the same bytes. Each case runs BENCH_RUNS times per tool in
# paired A/B order (bench/lib/compare.sh). The table shows median wall times
# and output sizes, and the largest peak RSS that GNU time
# (`/usr/bin/time -f '%e %M'`) measured around each process.
#
# Both tools get the column types (below) rather than inferring them, so
# they parse and print the same types. DuckDB runs inside node through
# @duckdb/node-api, so its peak RSS includes the node runtime (about 50 MB).
# DuckDB uses all cores unless DUCKDB_THREADS is set.
#
# Usage: bench/engine.sh [ROWS...]          (default: 1000000 10000000)
# Environment:
#   SLUICE_BIN   binary to measure (default build/release/sluice)
#   BENCH_DIR    work directory for inputs and outputs (default /tmp/sluice-bench);
#                10M rows need about 7 GB free there
#   BENCH_RUNS   runs per tool and case (default 3)
#   BENCH_RECORD file that collects the table rows as tab-separated lines
#   BENCH_QUIET_HEADER  when set, print the table rows only
# The markdown table goes to standard output; progress goes to standard error.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
sluice="${SLUICE_BIN:-$repo/build/release/sluice}"
work="${BENCH_DIR:-/tmp/sluice-bench}"
row_counts=("$@")
((${#row_counts[@]} > 0)) || row_counts=(1000000 10000000)

# shellcheck source=lib/measure.sh
source "$here/lib/measure.sh"
# shellcheck source=lib/compare.sh
source "$here/lib/compare.sh"
# shellcheck source=lib/inputs.sh
source "$here/lib/inputs.sh"

require_sluice_and_duckdb
mkdir -p "$work"

if [[ -z "${BENCH_QUIET_HEADER:-}" ]]; then
  print_machine
  echo "Sluice: $("$sluice" --version 2>&1 | head -1); DuckDB: $(node "$here/lib/duckdb_version.mjs") via @duckdb/node-api in node $(node --version)"
  echo "Command: bench/engine.sh ${row_counts[*]} (BENCH_RUNS=${BENCH_RUNS:-3}${DUCKDB_THREADS:+, DUCKDB_THREADS=$DUCKDB_THREADS})"
  echo
  print_comparison_header
fi

duckdb=(node "$here/lib/duckdb_copy.mjs")
declare -A format_names=([csv]=CSV [ndjson]=NDJSON [json]=JSON)

for rows in "${row_counts[@]}"; do
  input="$(generated_csv "$rows")"

  # Write direction: CSV to each text format.
  for format in csv ndjson json; do
    sluice_out="$work/sluice-out.$format"
    duckdb_out="$work/duckdb-out.$format"
    compare "$rows rows CSV to ${format_names[$format]}" DuckDB "$sluice_out" "$duckdb_out" -- \
      "$sluice" export --from "$input" --schema "$bench_sluice_schema" --to "$sluice_out" \
      --quiet --progress none -- \
      "${duckdb[@]}" "$input" "$duckdb_out" "$format" "$bench_duckdb_columns"
    # JSON arrays differ in layout between the tools, so only the
    # line-per-row formats are checked.
    [[ "$format" == json ]] || check_same_line_count "$sluice_out" "$duckdb_out" "$format"
    rm -f "$sluice_out" "$duckdb_out"
  done

  # Read direction: each JSON form of the same rows to CSV.
  for format in ndjson json; do
    source_file="$(sluice_copy "$input" "$format")"
    sluice_out="$work/sluice-out.csv"
    duckdb_out="$work/duckdb-out.csv"
    compare "$rows rows ${format_names[$format]} to CSV" DuckDB "$sluice_out" "$duckdb_out" -- \
      "$sluice" export --from "$source_file" --schema "$bench_sluice_schema" --to "$sluice_out" \
      --quiet --progress none -- \
      "${duckdb[@]}" "$source_file" "$duckdb_out" csv "$bench_duckdb_columns"
    check_same_line_count "$sluice_out" "$duckdb_out" "$format to CSV"
    rm -f "$sluice_out" "$duckdb_out"
  done
done
