# Helpers for the benchmark scripts; source this file from bash.

# Runs a command under GNU time and prints "SECONDS PEAK_RSS_KIB". The
# command's own output is discarded; when it fails, its standard error is
# shown and the script exits.
measure() {
  local report errors
  report="$(mktemp)"
  errors="$(mktemp)"
  if ! /usr/bin/time -f '%e %M' -o "$report" "$@" >/dev/null 2>"$errors"; then
    echo "bench: command failed: $*" >&2
    cat "$errors" >&2
    rm -f "$report" "$errors"
    exit 1
  fi
  tail -n 1 "$report"
  rm -f "$report" "$errors"
}

# Prints the median of its numeric arguments (the lower middle for an even count).
median() {
  printf '%s\n' "$@" | sort -g | awk '{ values[NR] = $1 } END { print values[int((NR + 1) / 2)] }'
}

# Prints the largest of its KiB arguments in MiB, rounded to an integer.
max_mib() {
  printf '%s\n' "$@" | sort -g | tail -n 1 | awk '{ printf "%d", $1 / 1024 + 0.5 }'
}

# Exits unless two outputs of the same format have the same number of lines.
# The generated input has no newlines inside fields, so CSV and NDJSON outputs
# of the same rows must match line for line in count.
check_same_line_count() {
  local sluice_lines duckdb_lines
  sluice_lines="$(awk 'END { print NR }' "$1")"
  duckdb_lines="$(awk 'END { print NR }' "$2")"
  if [[ "$sluice_lines" != "$duckdb_lines" ]]; then
    echo "bench: $3 outputs differ in line count: Sluice $sluice_lines, DuckDB $duckdb_lines" >&2
    exit 1
  fi
}
