#!/usr/bin/env bash
# Memory at scale: exports of Sluice's generator (gen:rows=N, every column
# type) sized to 1 GB and 20 GB of CSV text, to three outputs at the default
# settings:
#   Parquet (snappy), CSV compressed with zstd, and NDJSON in an encrypted
#   Sluice container (--encrypt, password from SLUICE_PASSWORD).
# Rows stream from the generator, so no input file is needed. The row count
# for a size comes from the CSV bytes per row of a 1M-row sample, measured
# first. Each export runs once under GNU time (`/usr/bin/time -f '%e %M'`).
# The table shows wall time, throughput in MB of CSV-equivalent text per
# second, peak RSS and the output size. Each output is deleted right after
# it is measured. An output over --max-file-size (20GB by default) is split
# into parts, and the table shows the parts' total size.
#
# Usage: bench/twenty_gb.sh [--output FILE] [GB...]   (default sizes: 1 20)
#   GB sizes are in 10^9 bytes of CSV text. The table replaces the generated
#   "twenty_gb" section of FILE (default bench/RESULTS.md).
# Environment:
#   SLUICE_BIN   binary to measure (default build/release/sluice)
#   BENCH_DIR    work directory (default /tmp/sluice-bench-20gb); a 20 GB run
#                needs about 1.7 times its CSV size free, for the encrypted NDJSON
#   TWENTY_GB_EXPORTS  the exports to run, in order (default "parquet zstd ndjson")
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
sluice="${SLUICE_BIN:-$repo/build/release/sluice}"
work="${BENCH_DIR:-/tmp/sluice-bench-20gb}"
output="$here/RESULTS.md"
command_line="bench/twenty_gb.sh $*"
if [[ "${1:-}" == "--output" ]]; then
  output="${2:?usage: bench/twenty_gb.sh [--output FILE] [GB...]}"
  shift 2
fi
sizes=("$@")
((${#sizes[@]} > 0)) || sizes=(1 20)
for size in "${sizes[@]}"; do
  [[ "$size" =~ ^[1-9][0-9]*$ ]] || { echo "bench: invalid size '$size'; give whole GB such as 1 20" >&2; exit 2; }
done

# shellcheck source=lib/measure.sh
source "$here/lib/measure.sh"
# shellcheck source=lib/compare.sh
source "$here/lib/compare.sh"
# shellcheck source=lib/sections.sh
source "$here/lib/sections.sh"

[[ -x "$sluice" ]] || { echo "bench: sluice binary not found at $sluice; build it or set SLUICE_BIN" >&2; exit 1; }
[[ -x /usr/bin/time ]] || { echo "bench: /usr/bin/time is missing; run scripts/setup.sh" >&2; exit 1; }
mkdir -p "$work"
export SLUICE_PASSWORD="${SLUICE_PASSWORD:-twenty-gb-benchmark}"

# The exports, in the order of TWENTY_GB_EXPORTS (default "parquet zstd
# ndjson"): a name for the table, the destination file name and the flags.
# Every other setting is Sluice's default.
export_names=() export_files=() export_flags=()
for name in ${TWENTY_GB_EXPORTS:-parquet zstd ndjson}; do
  case "$name" in
    parquet) export_names+=("Parquet (snappy)") export_files+=(out.parquet) export_flags+=("--parquet-codec snappy") ;;
    zstd) export_names+=("CSV, zstd") export_files+=(out.csv.zst) export_flags+=("") ;;
    ndjson) export_names+=("NDJSON, encrypted") export_files+=(out.ndjson) export_flags+=("--encrypt") ;;
    *) echo "bench: unknown export '$name' in TWENTY_GB_EXPORTS; use parquet, zstd or ndjson" >&2; exit 2 ;;
  esac
done

# Prints the total size in bytes of everything in a directory. The format
# is %.0f because mawk's %d stops at 2^31 - 1.
directory_bytes() {
  find "$1" -type f -printf '%s\n' | awk '{ total += $1 } END { printf "%.0f", total }'
}

sample_rows=1000000
echo "bench: measuring CSV bytes per row on $sample_rows rows" >&2
"$sluice" export --from "gen:rows=$sample_rows" --to "$work/sample.csv" --quiet --progress none
bytes_per_row="$(awk -v bytes="$(stat -c %s "$work/sample.csv")" -v rows="$sample_rows" 'BEGIN { printf "%.3f", bytes / rows }')"
rm -f "$work/sample.csv"

table="$(mktemp)"
section="$(mktemp)"
run_dir="$work/run"
trap 'rm -rf "$table" "$section" "$run_dir"' EXIT
{
  echo "| CSV size | rows | output | seconds | MB/s of CSV | peak RSS MiB | output MB |"
  echo "|---:|---:|---|---:|---:|---:|---:|"
} >"$table"
cat "$table"

started_at="$(date -u '+%Y-%m-%d %H:%M UTC')"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"

# Rewrites the results file's section after every row, so an interrupted
# 20 GB run still records the rows it finished.
write_section() {
  {
    echo "Command: \`$command_line\`, started $started_at. Load average (1, 5, 15 min) at the start: $load_before; after the last row: $(cut -d' ' -f1-3 /proc/loadavg)."
    echo
    echo "$(print_machine). Sluice: $("$sluice" --version 2>&1 | head -1) ($sluice)."
    echo
    echo "Rows come from \`gen:rows=N\`; the generator's CSV text takes $bytes_per_row bytes per row, so N = size / $bytes_per_row. One run per cell; MB = 10^6 bytes."
    echo
    cat "$table"
  } >"$section"
  replace_section "$output" twenty_gb bench/twenty_gb.sh "$section"
}

for size in "${sizes[@]}"; do
  rows="$(awk -v gb="$size" -v per_row="$bytes_per_row" 'BEGIN { printf "%.0f", gb * 1e9 / per_row }')"
  for index in "${!export_names[@]}"; do
    rm -rf "$run_dir"
    mkdir -p "$run_dir"

    # The encrypted NDJSON takes about 1.6 times the CSV text (measured on
    # 1M rows), so every run requires 1.7 times its size free.
    needed_kib="$(awk -v gb="$size" 'BEGIN { printf "%d", gb * 1e9 * 1.7 / 1024 }')"
    free_kib="$(df -Pk "$work" | awk 'NR == 2 { print $4 }')"
    if ((free_kib < needed_kib)); then
      echo "bench: $work has $((free_kib / 1048576)) GiB free, $size GB needs about $((needed_kib / 1048576)) GiB; skipping" >&2
      echo "| $size GB | $rows | ${export_names[$index]} | skipped: $((free_kib / 1048576)) GiB free | | | |" | tee -a "$table"
      write_section
      continue
    fi

    echo "bench: $size GB ($rows rows) to ${export_names[$index]}" >&2
    # shellcheck disable=SC2206  # the flags are split on purpose
    flags=(${export_flags[$index]})
    report="$(measure "$sluice" export --from "gen:rows=$rows" \
      --to "$run_dir/${export_files[$index]}" --quiet --progress none "${flags[@]}")"
    read -r seconds kib <<<"$report"
    bytes="$(directory_bytes "$run_dir")"
    rm -rf "$run_dir"

    awk -v gb="$size" -v rows="$rows" -v name="${export_names[$index]}" -v seconds="$seconds" \
      -v kib="$kib" -v bytes="$bytes" -v per_row="$bytes_per_row" 'BEGIN {
        printf "| %d GB | %.0f | %s | %.1f | %.1f | %d | %.1f |\n",
          gb, rows, name, seconds, rows * per_row / 1e6 / seconds, kib / 1024 + 0.5, bytes / 1e6
      }' | tee -a "$table"
    write_section
  done
done
echo "bench: updated $output" >&2

