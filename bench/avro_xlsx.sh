#!/usr/bin/env bash
# Avro and XLSX benchmark: Sluice against avsc (Avro) and exceljs's streaming
# writer (XLSX) on the same input, 1M generated rows of 10 columns (every
# column type) as NDJSON. Each tool reads that file with its column types
# known, converts the values and writes the output format; the node peers are
# in bench/avro_xlsx_peers.mjs. Each case runs BENCH_RUNS times per tool,
# alternating, and the table shows the median wall time and the largest peak
# RSS measured by GNU time (`/usr/bin/time -f '%e %M'`) around each process.
# avsc has no built-in snappy or zstandard codec, so those rows have no peer.
#
# Usage: bench/avro_xlsx.sh [ROWS]          (default 1000000)
# Environment:
#   SLUICE_BIN   binary to measure (default build/release/sluice)
#   BENCH_DIR    work directory (default /tmp/sluice-bench); 1M rows need about 1 GB
#   BENCH_RUNS   runs per tool and case (default 3)
# The markdown table goes to standard output; progress goes to standard error.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
sluice="${SLUICE_BIN:-$repo/build/release/sluice}"
work="${BENCH_DIR:-/tmp/sluice-bench}"
runs="${BENCH_RUNS:-3}"
rows="${1:-1000000}"

schema='id:int64,flag:boolean,amount:float64,price:decimal(18,2),big:decimal(38,10),name:string,payload:binary,day:date,local_time:timestamp,instant:timestamptz'

# shellcheck source=lib/measure.sh
source "$here/lib/measure.sh"

[[ -x "$sluice" ]] || { echo "bench: sluice binary not found at $sluice" >&2; exit 1; }
[[ -x /usr/bin/time ]] || { echo "bench: /usr/bin/time is missing; run scripts/setup.sh" >&2; exit 1; }
[[ -d "$repo/node_modules/avsc" && -d "$repo/node_modules/exceljs" ]] || {
  echo "bench: avsc or exceljs is missing; run scripts/setup.sh (npm ci) first" >&2; exit 1; }
mkdir -p "$work"

input="$work/avro_xlsx_${rows}.ndjson"
if [[ ! -s "$input" ]]; then
  echo "bench: generating $rows rows into $input" >&2
  "$sluice" export --from "gen:rows=$rows" --to "$input" --quiet
fi

echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(free -g | awk '/Mem:/ {print $2}') GiB RAM"
echo "Sluice: $("$sluice" --version 2>&1 | head -1); avsc $(node -p "require('$repo/node_modules/avsc/package.json').version"); exceljs $(node -p "require('$repo/node_modules/exceljs/package.json').version"); node $(node --version)"
echo "Command: bench/avro_xlsx.sh $rows (BENCH_RUNS=$runs), input $(du -m "$input" | cut -f1) MB of NDJSON"
echo
echo "| output | Sluice s | peer | peer s | peer/Sluice | Sluice peak RSS MB | peer peak RSS MB | Sluice MB | peer MB |"
echo "|---|---:|---|---:|---:|---:|---:|---:|---:|"

# run_case LABEL EXTENSION PEER(avsc|exceljs|-) PEER_ARG SLUICE_FLAGS...
run_case() {
  local label="$1" extension="$2" peer="$3" peer_arg="$4"
  shift 4
  local sluice_out="$work/sluice.$extension" peer_out="$work/peer.$extension"
  local sluice_times=() sluice_rss=() peer_times=() peer_rss=() run result
  for ((run = 1; run <= runs; run++)); do
    echo "bench: $label run $run/$runs" >&2
    rm -f "$sluice_out" "$peer_out"
    read -r -a result <<<"$(measure "$sluice" export --from "$input" --input-format ndjson --schema "$schema" \
      --to "$sluice_out" --quiet "$@")"
    sluice_times+=("${result[0]}")
    sluice_rss+=("${result[1]}")
    if [[ "$peer" != "-" ]]; then
      read -r -a result <<<"$(measure node "$here/avro_xlsx_peers.mjs" "$peer" "$input" "$peer_out" $peer_arg)"
      peer_times+=("${result[0]}")
      peer_rss+=("${result[1]}")
    fi
  done

  local sluice_s peer_s ratio peer_mb peer_size
  sluice_s="$(median "${sluice_times[@]}")"
  if [[ "$peer" == "-" ]]; then
    peer_s="-"; ratio="-"; peer_mb="-"; peer_size="-"
  else
    peer_s="$(median "${peer_times[@]}")"
    ratio="$(awk -v p="$peer_s" -v s="$sluice_s" 'BEGIN { printf "%.1fx", p / s }')"
    peer_mb="$(max_mib "${peer_rss[@]}")"
    peer_size="$(du -m "$peer_out" | cut -f1)"
  fi
  echo "| $label | $sluice_s | ${peer/-/none} | $peer_s | $ratio | $(max_mib "${sluice_rss[@]}") | $peer_mb | $(du -m "$sluice_out" | cut -f1) | $peer_size |"
}

run_case "Avro null" avro avsc null --avro-codec null
run_case "Avro deflate" avro avsc deflate --avro-codec deflate
run_case "Avro snappy" avro - "" --avro-codec snappy
run_case "Avro zstandard" avro - "" --avro-codec zstandard
run_case "XLSX" xlsx exceljs "" --format xlsx
