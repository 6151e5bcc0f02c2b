#!/usr/bin/env bash
# Runs every benchmark comparison in one run and writes one table. It runs
# these scripts, each of which also works alone:
#   bench/engine.sh       CSV to CSV, NDJSON and JSON, and NDJSON and JSON to CSV, against DuckDB
#   bench/parquet.sh      CSV to Parquet, Parquet to CSV and flights-3m.parquet to CSV, against DuckDB
#   bench/avro_xlsx.sh    Avro against avsc and XLSX against exceljs
#   bench/encryption.sh   the cipher alone, and an export with and without --encrypt
#   bench/cloud.sh        uploads to s3rver and Azurite against a local file
#   bench/checkpoints.sh  exports with and without checkpoints
# Every comparison runs in paired A/B order, --runs times per side
# (bench/lib/compare.sh). The table goes to standard output and replaces the
# generated "run_all" section of the results file (default bench/RESULTS.md).
# Text outside that section is kept. Progress goes to standard error.
#
# Usage: bench/run_all.sh [--rows N] [--runs N] [--only NAMES] [--output FILE]
#   --rows N       rows per comparison (default: 10000000, and 1000000 for
#                  Avro and XLSX as in bench/avro_xlsx.sh); use a smaller N,
#                  such as 100000, for a quick check
#   --runs N       runs per side of each comparison (default 3)
#   --only NAMES   comma-separated subset of engine,parquet,avro_xlsx,encryption,cloud,checkpoints
#   --output FILE  results file to update (default bench/RESULTS.md)
# Environment: SLUICE_BIN (default build/release/sluice), BENCH_DIR (default
# /tmp/sluice-bench; 10M rows need about 9 GB free there), DUCKDB_THREADS.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
rows=""
runs=3
only="engine,parquet,avro_xlsx,encryption,cloud,checkpoints"
output="$here/RESULTS.md"
command_line="bench/run_all.sh $*"

usage() {
  echo "usage: bench/run_all.sh [--rows N] [--runs N] [--only NAMES] [--output FILE]" >&2
  exit 2
}
while (($# > 0)); do
  case "$1" in
    --rows) [[ "${2:-}" =~ ^[1-9][0-9]*$ ]] || usage; rows="$2"; shift 2 ;;
    --runs) [[ "${2:-}" =~ ^[1-9][0-9]*$ ]] || usage; runs="$2"; shift 2 ;;
    --only) [[ -n "${2:-}" ]] || usage; only="$2"; shift 2 ;;
    --output) [[ -n "${2:-}" ]] || usage; output="$2"; shift 2 ;;
    *) usage ;;
  esac
done
for name in ${only//,/ }; do
  [[ "$name" =~ ^(engine|parquet|avro_xlsx|encryption|cloud|checkpoints)$ ]] || {
    echo "bench: unknown benchmark '$name' in --only; use engine, parquet, avro_xlsx, encryption, cloud or checkpoints" >&2
    exit 2
  }
done
selected() { [[ ",$only," == *",$1,"* ]]; }

# shellcheck source=lib/measure.sh
source "$here/lib/measure.sh"
# shellcheck source=lib/compare.sh
source "$here/lib/compare.sh"
# shellcheck source=lib/sections.sh
source "$here/lib/sections.sh"

work="${BENCH_DIR:-/tmp/sluice-bench}"
sluice="${SLUICE_BIN:-$repo/build/release/sluice}"
[[ -x "$sluice" ]] || { echo "bench: sluice binary not found at $sluice; build it or set SLUICE_BIN" >&2; exit 1; }
mkdir -p "$work"

record="$(mktemp)"
cipher="$(mktemp)"
section="$(mktemp)"
trap 'rm -f "$record" "$cipher" "$section"' EXIT
export SLUICE_BIN="$sluice" BENCH_DIR="$work" BENCH_RUNS="$runs" BENCH_RECORD="$record" BENCH_QUIET_HEADER=1

started_at="$(date -u '+%Y-%m-%d %H:%M UTC')"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
started_seconds="$SECONDS"

# Each script prints its rows as it goes; they are collected from
# BENCH_RECORD, so their standard output is dropped here.
if selected engine; then
  "$here/engine.sh" "${rows:-10000000}" >/dev/null
fi
if selected parquet; then
  "$here/parquet.sh" "${rows:-10000000}" >/dev/null
fi
if selected avro_xlsx; then
  "$here/avro_xlsx.sh" "${rows:-1000000}" >/dev/null
fi
if selected encryption; then
  "$here/encryption.sh" 1024 "${rows:-10000000}" | grep -E '^(encrypt|decrypt|scrypt)' >"$cipher"
fi
if selected cloud; then
  BENCH_DIR="$work/cloud" "$here/cloud.sh" "${rows:-10000000}" >/dev/null
  rm -rf "$work/cloud"
fi
if selected checkpoints; then
  "$here/checkpoints.sh" "${rows:-10000000}" >/dev/null
fi

elapsed_seconds="$((SECONDS - started_seconds))"
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

{
  echo "Command: \`$command_line\` (BENCH_RUNS=$runs${DUCKDB_THREADS:+, DUCKDB_THREADS=$DUCKDB_THREADS}), started $started_at, took $elapsed_seconds s."
  echo
  echo "$(print_machine). Load average (1, 5, 15 min) $load_before at the start and $load_after at the end."
  echo
  echo "Sluice: $("$sluice" --version 2>&1 | head -1) ($sluice). Node $(node --version)."
  if selected engine || selected parquet; then
    echo "DuckDB $(node "$here/lib/duckdb_version.mjs") through @duckdb/node-api."
  fi
  echo
  print_comparison_header
  while IFS=$'\t' read -r -a fields; do
    row="|"
    for field in "${fields[@]}"; do row+=" $field |"; done
    echo "$row"
  done <"$record"
  if [[ -s "$cipher" ]]; then
    echo
    echo "The cipher alone (bench/encryption_throughput.cc, one thread, 1024 MiB, GB = 10^9 bytes):"
    echo
    sed 's/^/- /' "$cipher"
  fi
  echo
  echo "Times are medians of wall time per process; Sluice/baseline below 1 means Sluice is faster."
  echo "Peak RSS is GNU time's maximum resident set size, the largest of each side's runs."
  echo "DuckDB, avsc and exceljs run inside node, so their RSS includes the node runtime (about 50 MB)."
  echo "DuckDB uses every core unless DUCKDB_THREADS is set."
  echo "Output sizes are in MB (10^6 bytes); \"-\" marks an upload, whose bytes equal the local file's."
} >"$section"

cat "$section"
replace_section "$output" run_all bench/run_all.sh "$section"
echo "bench: updated $output" >&2
