#!/usr/bin/env bash
# Encryption benchmark.
#  1. The Sluice container's cipher path alone on one thread (AES-256-GCM in
#     64 KiB segments): encrypt and decrypt throughput in GB/s (10^9 bytes),
#     and the time of one scrypt derivation at the default cost.
#  2. An export of the benchmark CSV (bench/gen_csv.mjs, ROWS rows) to CSV
#     with and without --encrypt, median wall time of BENCH_RUNS paired runs
#     each (bench/lib/compare.sh), and the overhead ratio.
#
# Usage: bench/encryption.sh [MiB] [ROWS]   (defaults: 1024 MiB, 10000000 rows)
# Environment:
#   SLUICE_BIN   binary for part 2 (default build/release/sluice); part 2 is
#                skipped when it is missing
#   BENCH_DIR    work directory (default /tmp/sluice-bench)
#   BENCH_RUNS   runs per export case (default 3)
#   BENCH_RECORD file that collects the export row as a tab-separated line
#   BENCH_QUIET_HEADER  when set, print no table header for part 2
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
sluice="${SLUICE_BIN:-$repo/build/release/sluice}"
work="${BENCH_DIR:-/tmp/sluice-bench}"
mebibytes="${1:-1024}"
rows="${2:-10000000}"
mkdir -p "$work"

# Part 1: built here from the encryption sources alone, with -O2 like a
# Release build, so it does not depend on a configured build directory.
program="$work/encryption_throughput"
sources=(aead_cipher stream_sealer stream_opener scrypt_kdf hkdf_sha256 random_source
         sluice_container_format sluice_container_writer sluice_container_reader)
source_paths=()
for source in "${sources[@]}"; do
  source_paths+=("$repo/src/transforms/encryption/$source.cc")
done
# The container writer takes memory reservations.
source_paths+=("$repo/src/core/memory_governor.cc" "$repo/src/core/size.cc")
g++ -std=c++20 -O2 -DNDEBUG -I"$repo/include" -I"$repo/src" -o "$program" \
  "$here/encryption_throughput.cc" "${source_paths[@]}" -lcrypto
echo "## Cipher alone (one thread, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs))"
taskset -c 0 "$program" "$mebibytes"

# Part 2: whole exports, with and without --encrypt, in paired A/B order.
if [[ ! -x "$sluice" ]]; then
  echo "bench: $sluice not found; skipping the export comparison" >&2
  exit 0
fi

# shellcheck source=lib/measure.sh
source "$here/lib/measure.sh"
# shellcheck source=lib/compare.sh
source "$here/lib/compare.sh"
# shellcheck source=lib/inputs.sh
source "$here/lib/inputs.sh"

input="$(generated_csv "$rows")"
echo
echo "## Export of the $rows-row CSV to CSV, with and without --encrypt"
[[ -n "${BENCH_QUIET_HEADER:-}" ]] || print_comparison_header
export_command=("$sluice" export --from "$input" --schema "$bench_sluice_schema" --format csv
                --progress none --quiet)
compare "$rows-row CSV to CSV, --encrypt" "Sluice without --encrypt" \
  "$work/enc-sealed.csv" "$work/enc-plain.csv" -- \
  env SLUICE_PASSWORD=bench "${export_command[@]}" --to "$work/enc-sealed.csv" --encrypt -- \
  "${export_command[@]}" --to "$work/enc-plain.csv"
rm -f "$work/enc-sealed.csv" "$work/enc-plain.csv"
echo "The Sluice/baseline ratio is the encryption overhead, including one scrypt derivation."
