#!/usr/bin/env bash
# Parquet benchmark: Sluice against DuckDB COPY on two cases.
#   1. A generated CSV (bench/gen_csv.mjs, 7 columns) to Parquet with snappy.
#   2. node_modules/vega-datasets/data/flights-3m.parquet to CSV.
# Both tools get the CSV's column types. Each case runs BENCH_RUNS times per
# tool, alternating. The table shows the median wall time, the largest peak
# RSS (GNU time `%M` around each process) and the output size. DuckDB runs
# inside node through @duckdb/node-api, so its RSS includes the node runtime
# (about 50 MB), and it uses every core unless DUCKDB_THREADS is set.
#
# Usage: bench/parquet.sh [ROWS]            (default 10000000)
# Environment:
#   SLUICE_BIN   binary to measure (default build/release/sluice)
#   BENCH_DIR    work directory (default /tmp/sluice-bench); 10M rows need about 2 GB
#   BENCH_RUNS   runs per tool and case (default 3)
# The markdown table goes to standard output; progress goes to standard error.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
sluice="${SLUICE_BIN:-$repo/build/release/sluice}"
work="${BENCH_DIR:-/tmp/sluice-bench}"
runs="${BENCH_RUNS:-3}"
rows="${1:-10000000}"
flights="$repo/node_modules/vega-datasets/data/flights-3m.parquet"

sluice_schema='id:int64,reading:float64,amount:decimal(18,2),label:string,event_at:timestamp,active:boolean,parent_id:int64'
duckdb_columns="{'id': 'BIGINT', 'reading': 'DOUBLE', 'amount': 'DECIMAL(18,2)', 'label': 'VARCHAR', \
'event_at': 'TIMESTAMP', 'active': 'BOOLEAN', 'parent_id': 'BIGINT'}"

# shellcheck source=lib/measure.sh
source "$here/lib/measure.sh"

[[ -x "$sluice" ]] || { echo "bench: sluice binary not found at $sluice" >&2; exit 1; }
[[ -x /usr/bin/time ]] || { echo "bench: /usr/bin/time is missing; run scripts/setup.sh" >&2; exit 1; }
[[ -d "$repo/node_modules/@duckdb/node-api" && -s "$flights" ]] || {
  echo "bench: @duckdb/node-api or vega-datasets is missing; run scripts/setup.sh (npm ci) first" >&2; exit 1; }
mkdir -p "$work"

input="$work/input-$rows.csv"
if [[ ! -s "$input" ]]; then
  echo "bench: generating $input" >&2
  node "$here/gen_csv.mjs" "$rows" "$input.tmp"
  mv "$input.tmp" "$input"
fi

echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(free -g | awk '/Mem:/ {print $2}') GiB RAM"
echo "Sluice: $("$sluice" --version 2>&1 | head -1); DuckDB: $(cd "$repo" && node bench/lib/duckdb_version.mjs) via @duckdb/node-api in node $(node --version)"
echo "Command: bench/parquet.sh $rows (BENCH_RUNS=$runs${DUCKDB_THREADS:+, DUCKDB_THREADS=$DUCKDB_THREADS})"
echo
echo "| case | Sluice s | DuckDB s | Sluice/DuckDB | Sluice peak RSS MB | DuckDB peak RSS MB | Sluice output MB | DuckDB output MB |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"

# run_case LABEL SLUICE_OUTPUT DUCKDB_OUTPUT -- SLUICE_ARGS... -- DUCKDB_ARGS...
run_case() {
  local label="$1" sluice_out="$2" duckdb_out="$3"
  shift 4
  local sluice_args=() duckdb_args=()
  while [[ "$1" != "--" ]]; do sluice_args+=("$1"); shift; done
  shift
  duckdb_args=("$@")
  local sluice_times=() sluice_rss=() duckdb_times=() duckdb_rss=() run result
  for ((run = 1; run <= runs; run++)); do
    echo "bench: $label run $run/$runs" >&2
    rm -f "$sluice_out" "$duckdb_out"
    read -r -a result <<<"$(measure "$sluice" "${sluice_args[@]}")"
    sluice_times+=("${result[0]}"); sluice_rss+=("${result[1]}")
    read -r -a result <<<"$(cd "$repo" && measure node bench/parquet_duckdb.mjs "${duckdb_args[@]}")"
    duckdb_times+=("${result[0]}"); duckdb_rss+=("${result[1]}")
  done
  local sluice_s duckdb_s
  sluice_s="$(median "${sluice_times[@]}")"
  duckdb_s="$(median "${duckdb_times[@]}")"
  printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$label" "$sluice_s" "$duckdb_s" \
    "$(awk -v a="$sluice_s" -v b="$duckdb_s" 'BEGIN { printf "%.2f", a / b }')" \
    "$(max_mib "${sluice_rss[@]}")" "$(max_mib "${duckdb_rss[@]}")" \
    "$(awk -v s="$(stat -c %s "$sluice_out")" 'BEGIN { printf "%.1f", s / 1048576 }')" \
    "$(awk -v s="$(stat -c %s "$duckdb_out")" 'BEGIN { printf "%.1f", s / 1048576 }')"
}

run_case "$rows-row CSV to Parquet (snappy)" "$work/sluice.parquet" "$work/duckdb.parquet" -- \
  export --from "$input" --schema "$sluice_schema" --to "$work/sluice.parquet" --parquet-codec snappy --quiet -- \
  to-parquet "$input" "$work/duckdb.parquet" "$duckdb_columns"

run_case "flights-3m.parquet to CSV" "$work/sluice-flights.csv" "$work/duckdb-flights.csv" -- \
  export --from "$flights" --to "$work/sluice-flights.csv" --quiet -- \
  to-csv "$flights" "$work/duckdb-flights.csv"
