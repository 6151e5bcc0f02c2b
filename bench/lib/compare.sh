# Paired comparisons for the benchmark scripts; source this file from bash
# after lib/measure.sh.
#
# Every script prints the same markdown table, one row per comparison:
#   comparison | baseline | Sluice s | baseline s | Sluice/baseline |
#   Sluice peak RSS MiB | baseline peak RSS MiB | Sluice out MB | baseline out MB
# The baseline is a peer tool (DuckDB, avsc, exceljs) or another Sluice run
# (a plain export against an encrypted one, a local file against an upload).
# When BENCH_RECORD names a file, each row is also appended to it as one
# tab-separated line with the same nine fields, so bench/run_all.sh can
# collect the rows of every script into one table.

# Prints the table's header.
print_comparison_header() {
  echo "| comparison | baseline | Sluice s | baseline s | Sluice/baseline | Sluice peak RSS MiB | baseline peak RSS MiB | Sluice out MB | baseline out MB |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---:|"
}

# Prints a file's size in MB (10^6 bytes) with one decimal, or "-" when
# there is no such file.
size_mb() {
  if [[ -f "$1" ]]; then
    awk -v bytes="$(stat -c %s "$1")" 'BEGIN { printf "%.1f", bytes / 1e6 }'
  else
    echo "-"
  fi
}

# Prints one comparison row and appends it to BENCH_RECORD when that is set.
# Arguments: the nine fields of the table, in order.
emit_comparison_row() {
  local row="|" field
  for field in "$@"; do row+=" $field |"; done
  echo "$row"
  if [[ -n "${BENCH_RECORD:-}" ]]; then
    (IFS=$'\t'; echo "$*") >>"$BENCH_RECORD"
  fi
}

# measure_into TIMES_ARRAY RSS_ARRAY COMMAND...
# Appends the command's wall time and peak RSS to the two named arrays. The
# assignment from the command substitution keeps measure's failure status,
# so `set -e` stops the script when the command fails.
measure_into() {
  local -n times_into="$1" rss_into="$2"
  shift 2
  local report
  report="$(measure "$@")"
  times_into+=("${report% *}")
  rss_into+=("${report#* }")
}

# compare LABEL BASELINE_NAME SLUICE_OUT BASELINE_OUT -- SLUICE_COMMAND... -- BASELINE_COMMAND...
#
# Runs both commands BENCH_RUNS times (default 3) in paired A/B order: odd
# runs start with Sluice and even runs with the baseline, so neither side
# always finds a warmer page cache or a quieter machine. Each run deletes
# both outputs first; the outputs of the last run are left in place for the
# caller to check and delete. Prints the row with the median wall times, the
# largest peak RSS of each side and the output sizes ("-" for an output path
# of "-", such as an upload whose size the caller reports elsewhere).
compare() {
  local label="$1" baseline="$2" sluice_out="$3" baseline_out="$4"
  shift 5
  local sluice_command=() baseline_command=()
  while [[ "$1" != "--" ]]; do sluice_command+=("$1"); shift; done
  shift
  baseline_command=("$@")

  local runs="${BENCH_RUNS:-3}" run
  local sluice_times=() sluice_rss=() baseline_times=() baseline_rss=()
  for ((run = 1; run <= runs; run++)); do
    echo "bench: $label, run $run of $runs" >&2
    rm -f "$sluice_out" "$baseline_out"
    if ((run % 2 == 1)); then
      measure_into sluice_times sluice_rss "${sluice_command[@]}"
      measure_into baseline_times baseline_rss "${baseline_command[@]}"
    else
      measure_into baseline_times baseline_rss "${baseline_command[@]}"
      measure_into sluice_times sluice_rss "${sluice_command[@]}"
    fi
  done

  local sluice_s baseline_s ratio
  sluice_s="$(median "${sluice_times[@]}")"
  baseline_s="$(median "${baseline_times[@]}")"
  ratio="$(awk -v a="$sluice_s" -v b="$baseline_s" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')"
  emit_comparison_row "$label" "$baseline" "$sluice_s" "$baseline_s" "$ratio" \
    "$(max_mib "${sluice_rss[@]}")" "$(max_mib "${baseline_rss[@]}")" \
    "$(size_mb "$sluice_out")" "$(size_mb "$baseline_out")"
}

# Prints the machine and toolchain lines that head every table.
print_machine() {
  local cpu memory kernel debian
  cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
  memory="$(awk '/MemTotal/ { printf "%.1f", $2 / 1048576 }' /proc/meminfo)"
  kernel="$(uname -r)"
  debian="$(cat /etc/debian_version 2>/dev/null || echo unknown)"
  echo "Machine: $cpu, $(nproc) cores, $memory GiB RAM, Linux $kernel, Debian $debian"
}

# measure_alone LABEL SLUICE_OUT -- SLUICE_COMMAND...
# Runs a Sluice command that has no baseline BENCH_RUNS times and prints its
# row with "none" as the baseline. The output of the last run is left in
# place.
measure_alone() {
  local label="$1" sluice_out="$2"
  shift 3
  local runs="${BENCH_RUNS:-3}" run sluice_times=() sluice_rss=()
  for ((run = 1; run <= runs; run++)); do
    echo "bench: $label, run $run of $runs" >&2
    rm -f "$sluice_out"
    measure_into sluice_times sluice_rss "$@"
  done
  emit_comparison_row "$label" none "$(median "${sluice_times[@]}")" - - \
    "$(max_mib "${sluice_rss[@]}")" - "$(size_mb "$sluice_out")" -
}
