#!/usr/bin/env bash
# Engine benchmark: Sluice against DuckDB on the same generated CSV input,
# exported to CSV and to NDJSON. Each tool runs BENCH_RUNS times per case,
# alternating, so both find the input in the page cache. The table shows the
# median wall time and the largest peak RSS of each tool's runs, measured by
# GNU time (`/usr/bin/time -f '%e %M'`) around each process.
#
# Both tools get the input's column types (below) rather than inferring
# them, so they parse and print the same types. DuckDB runs inside node
# through @duckdb/node-api, so its peak RSS includes the node runtime (about
# 50 MB). DuckDB uses all cores unless DUCKDB_THREADS is set.
#
# Usage: bench/engine.sh [ROWS...]          (default: 1000000 10000000)
# Environment:
#   SLUICE_BIN   binary to measure (default build/release/sluice)
#   BENCH_DIR    work directory for inputs and outputs (default /tmp/sluice-bench);
#                10M rows need about 3 GB free there
#   BENCH_RUNS   runs per tool and case (default 3)
# The markdown table goes to standard output; progress goes to standard error.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
sluice="${SLUICE_BIN:-$repo/build/release/sluice}"
work="${BENCH_DIR:-/tmp/sluice-bench}"
runs="${BENCH_RUNS:-3}"
row_counts=("$@")
((${#row_counts[@]} > 0)) || row_counts=(1000000 10000000)

# The columns that bench/gen_csv.mjs writes, for each tool.
sluice_schema='id:int64,reading:float64,amount:decimal(18,2),label:string,event_at:timestamp,active:boolean,parent_id:int64'
duckdb_columns="{'id': 'BIGINT', 'reading': 'DOUBLE', 'amount': 'DECIMAL(18,2)', 'label': 'VARCHAR', \
'event_at': 'TIMESTAMP', 'active': 'BOOLEAN', 'parent_id': 'BIGINT'}"

# shellcheck source=lib/measure.sh
source "$here/lib/measure.sh"

[[ -x "$sluice" ]] || { echo "bench: sluice binary not found at $sluice" >&2; exit 1; }
[[ -x /usr/bin/time ]] || { echo "bench: /usr/bin/time is missing; run scripts/setup.sh" >&2; exit 1; }
[[ -d "$repo/node_modules/@duckdb/node-api" ]] || { echo "bench: run npm ci (scripts/setup.sh) first" >&2; exit 1; }
mkdir -p "$work"

echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(free -g | awk '/Mem:/ {print $2}') GiB RAM"
echo "Sluice: $("$sluice" --version 2>&1 | head -1); DuckDB: $(cd "$repo" && node bench/lib/duckdb_version.mjs) via @duckdb/node-api in node $(node --version)"
echo "Command: bench/engine.sh ${row_counts[*]} (BENCH_RUNS=$runs${DUCKDB_THREADS:+, DUCKDB_THREADS=$DUCKDB_THREADS})"
echo
echo "| rows | input | output | Sluice s | DuckDB s | Sluice/DuckDB | Sluice peak RSS MB | DuckDB peak RSS MB |"
echo "|---:|---:|---|---:|---:|---:|---:|---:|"

for rows in "${row_counts[@]}"; do
  input="$work/input-$rows.csv"
  if [[ ! -s "$input" ]]; then
    echo "bench: generating $input" >&2
    node "$here/gen_csv.mjs" "$rows" "$input.tmp"
    mv "$input.tmp" "$input"
  fi
  input_mb="$(( $(stat -c %s "$input") / 1048576 ))"

  for format in csv ndjson; do
    duckdb_format="$format"
    [[ "$format" == ndjson ]] && duckdb_format=json
    sluice_out="$work/sluice-out.$format"
    duckdb_out="$work/duckdb-out.$format"
    sluice_times=() sluice_rss=() duckdb_times=() duckdb_rss=()

    for ((run = 1; run <= runs; run++)); do
      echo "bench: $rows rows to $format, run $run of $runs" >&2
      rm -f "$sluice_out" "$duckdb_out"

      read -r seconds kib < <(measure "$sluice" export --from "$input" --schema "$sluice_schema" \
        --to "$sluice_out" --quiet --progress none)
      sluice_times+=("$seconds") sluice_rss+=("$kib")

      read -r seconds kib < <(cd "$repo" && measure node bench/lib/duckdb_copy.mjs "$input" "$duckdb_out" "$duckdb_format" "$duckdb_columns")
      duckdb_times+=("$seconds") duckdb_rss+=("$kib")
    done

    check_same_line_count "$sluice_out" "$duckdb_out" "$format"
    rm -f "$sluice_out" "$duckdb_out"

    sluice_median="$(median "${sluice_times[@]}")"
    duckdb_median="$(median "${duckdb_times[@]}")"
    ratio="$(awk -v a="$sluice_median" -v b="$duckdb_median" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')"
    printf '| %s | %s MB | %s | %s | %s | %s | %s | %s |\n' \
      "$rows" "$input_mb" "$format" "$sluice_median" "$duckdb_median" "$ratio" \
      "$(max_mib "${sluice_rss[@]}")" "$(max_mib "${duckdb_rss[@]}")"
  done
done
