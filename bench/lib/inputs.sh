# Benchmark inputs shared by the scripts; source this file from bash after
# setting `here` (bench/), `repo`, `sluice` (the binary) and `work` (the
# work directory).

# The columns that bench/gen_csv.mjs writes, for each tool.
# shellcheck disable=SC2034  # used by the scripts that source this file
bench_sluice_schema='id:int64,reading:float64,amount:decimal(18,2),label:string,event_at:timestamp,active:boolean,parent_id:int64'
# shellcheck disable=SC2034
bench_duckdb_columns="{'id': 'BIGINT', 'reading': 'DOUBLE', 'amount': 'DECIMAL(18,2)', 'label': 'VARCHAR', \
'event_at': 'TIMESTAMP', 'active': 'BOOLEAN', 'parent_id': 'BIGINT'}"

# Exits unless the Sluice binary, GNU time and DuckDB's node package exist.
require_sluice_and_duckdb() {
  [[ -x "$sluice" ]] || { echo "bench: sluice binary not found at $sluice; build it or set SLUICE_BIN" >&2; exit 1; }
  [[ -x /usr/bin/time ]] || { echo "bench: /usr/bin/time is missing; run scripts/setup.sh" >&2; exit 1; }
  [[ -d "$repo/node_modules/@duckdb/node-api" ]] || { echo "bench: @duckdb/node-api is missing; run scripts/setup.sh (npm ci) first" >&2; exit 1; }
}

# generated_csv ROWS
# Prints the path of the benchmark CSV with ROWS rows, writing it first
# when it does not exist yet. The same row count always gives the same bytes.
generated_csv() {
  local path="$work/input-$1.csv"
  if [[ ! -s "$path" ]]; then
    echo "bench: generating $path" >&2
    node "$here/gen_csv.mjs" "$1" "$path.tmp"
    mv "$path.tmp" "$path"
  fi
  echo "$path"
}

# sluice_copy INPUT.csv FORMAT
# Prints the path of INPUT's rows converted by Sluice to FORMAT (ndjson,
# json or parquet), writing it first when it does not exist yet. The read
# benchmarks use these files so both tools read the same bytes.
sluice_copy() {
  local path="${1%.csv}.$2"
  if [[ ! -s "$path" ]]; then
    echo "bench: writing $path" >&2
    "$sluice" export --from "$1" --schema "$bench_sluice_schema" --to "$path.tmp" --format "$2" \
      --quiet --progress none
    mv "$path.tmp" "$path"
  fi
  echo "$path"
}
