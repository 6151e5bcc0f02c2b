#!/usr/bin/env bash
# Avro and XLSX benchmark: Sluice against avsc (Avro) and exceljs's streaming
# writer (XLSX) on the same input, 1M generated rows of 10 columns (every
# column type) as NDJSON. Each tool reads that file with its column types
# known, converts the values and writes the output format; the node peers are
# in bench/avro_xlsx_peers.mjs. Each case runs BENCH_RUNS times per tool in
# paired A/B order (bench/lib/compare.sh), and the table shows the median wall
# time, the largest peak RSS measured by GNU time (`/usr/bin/time -f '%e %M'`)
# around each process, and the output sizes.
# avsc has no built-in snappy or zstandard codec, so those rows have no peer.
#
# Usage: bench/avro_xlsx.sh [ROWS]          (default 1000000)
# Environment:
#   SLUICE_BIN   binary to measure (default build/release/sluice)
#   BENCH_DIR    work directory (default /tmp/sluice-bench); 1M rows need about 1 GB
#   BENCH_RUNS   runs per tool and case (default 3)
#   BENCH_RECORD file that collects the table rows as tab-separated lines
#   BENCH_QUIET_HEADER  when set, print the table rows only
# The markdown table goes to standard output; progress goes to standard error.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
sluice="${SLUICE_BIN:-$repo/build/release/sluice}"
work="${BENCH_DIR:-/tmp/sluice-bench}"
rows="${1:-1000000}"

schema='id:int64,flag:boolean,amount:float64,price:decimal(18,2),big:decimal(38,10),name:string,payload:binary,day:date,local_time:timestamp,instant:timestamptz'

# shellcheck source=lib/measure.sh
source "$here/lib/measure.sh"
# shellcheck source=lib/compare.sh
source "$here/lib/compare.sh"

[[ -x "$sluice" ]] || { echo "bench: sluice binary not found at $sluice; build it or set SLUICE_BIN" >&2; exit 1; }
[[ -x /usr/bin/time ]] || { echo "bench: /usr/bin/time is missing; run scripts/setup.sh" >&2; exit 1; }
[[ -d "$repo/node_modules/avsc" && -d "$repo/node_modules/exceljs" ]] || {
  echo "bench: avsc or exceljs is missing; run scripts/setup.sh (npm ci) first" >&2; exit 1; }
mkdir -p "$work"

input="$work/avro_xlsx_${rows}.ndjson"
if [[ ! -s "$input" ]]; then
  echo "bench: generating $rows rows into $input" >&2
  "$sluice" export --from "gen:rows=$rows" --to "$input" --quiet --progress none
fi

if [[ -z "${BENCH_QUIET_HEADER:-}" ]]; then
  print_machine
  echo "Sluice: $("$sluice" --version 2>&1 | head -1); avsc $(node -p "require('$repo/node_modules/avsc/package.json').version"); exceljs $(node -p "require('$repo/node_modules/exceljs/package.json').version"); node $(node --version)"
  echo "Command: bench/avro_xlsx.sh $rows (BENCH_RUNS=${BENCH_RUNS:-3}), input $(du -m "$input" | cut -f1) MB of NDJSON"
  echo
  print_comparison_header
fi

sluice_export=("$sluice" export --from "$input" --input-format ndjson --schema "$schema" --quiet --progress none)
peers=(node "$here/avro_xlsx_peers.mjs")

compare "$rows rows to Avro null" avsc "$work/sluice.avro" "$work/peer.avro" -- \
  "${sluice_export[@]}" --to "$work/sluice.avro" --avro-codec null -- \
  "${peers[@]}" avsc "$input" "$work/peer.avro" null
compare "$rows rows to Avro deflate" avsc "$work/sluice.avro" "$work/peer.avro" -- \
  "${sluice_export[@]}" --to "$work/sluice.avro" --avro-codec deflate -- \
  "${peers[@]}" avsc "$input" "$work/peer.avro" deflate
# avsc has no built-in snappy or zstandard codec, so these rows have no peer.
measure_alone "$rows rows to Avro snappy" "$work/sluice.avro" -- \
  "${sluice_export[@]}" --to "$work/sluice.avro" --avro-codec snappy
measure_alone "$rows rows to Avro zstandard" "$work/sluice.avro" -- \
  "${sluice_export[@]}" --to "$work/sluice.avro" --avro-codec zstandard
compare "$rows rows to XLSX" exceljs "$work/sluice.xlsx" "$work/peer.xlsx" -- \
  "${sluice_export[@]}" --to "$work/sluice.xlsx" --format xlsx -- \
  "${peers[@]}" exceljs "$input" "$work/peer.xlsx"
rm -f "$work/sluice.avro" "$work/peer.avro" "$work/sluice.xlsx" "$work/peer.xlsx"
