#!/usr/bin/env bash
# Encryption benchmark.
#  1. The Sluice container's cipher path alone on one thread (AES-256-GCM in
#     64 KiB segments): encrypt and decrypt throughput in GB/s (10^9 bytes),
#     and the time of one scrypt derivation at the default cost.
#  2. An export of a generated CSV with and without --encrypt, median wall
#     time of BENCH_RUNS runs each, and the overhead ratio.
#
# Usage: bench/encryption.sh [MiB] [ROWS]   (defaults: 1024 MiB, 5000000 rows)
# Environment:
#   SLUICE_BIN   binary for part 2 (default build/release/sluice); part 2 is
#                skipped when it is missing
#   BENCH_DIR    work directory (default /tmp/sluice-bench)
#   BENCH_RUNS   runs per export case (default 3)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
sluice="${SLUICE_BIN:-$repo/build/release/sluice}"
work="${BENCH_DIR:-/tmp/sluice-bench}"
runs="${BENCH_RUNS:-3}"
mebibytes="${1:-1024}"
rows="${2:-5000000}"
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
g++ -std=c++20 -O2 -DNDEBUG -I"$repo/include" -I"$repo/src" -o "$program" \
  "$here/encryption_throughput.cc" "${source_paths[@]}" -lcrypto
echo "## Cipher alone (one thread, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs))"
taskset -c 0 "$program" "$mebibytes"

# Part 2: whole exports.
if [[ ! -x "$sluice" ]]; then
  echo "bench: $sluice not found; skipping the export comparison" >&2
  exit 0
fi

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

time_export() {
  local start end
  start=$(date +%s.%N)
  "$sluice" export --from "gen:rows=$rows&seed=1" --to "$work/enc-bench.csv" --format csv \
    --progress none --quiet "$@" >/dev/null
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}

plain=()
encrypted=()
for ((run = 0; run < runs; run++)); do
  plain+=("$(time_export)")
  encrypted+=("$(SLUICE_PASSWORD=bench time_export --encrypt)")
done
plain_median=$(printf '%s\n' "${plain[@]}" | median)
encrypted_median=$(printf '%s\n' "${encrypted[@]}" | median)
size=$(stat -c %s "$work/enc-bench.csv")
rm -f "$work/enc-bench.csv"

echo
echo "## Export of gen:rows=$rows to CSV ($((size / 1000000)) MB encrypted), median of $runs runs"
echo "| case | seconds |"
echo "|---|---|"
echo "| plain | $plain_median |"
echo "| --encrypt | $encrypted_median |"
echo "overhead: $(echo "scale=3; $encrypted_median / $plain_median" | bc)x (includes one scrypt derivation)"
