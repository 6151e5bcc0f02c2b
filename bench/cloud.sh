#!/usr/bin/env bash
# Cloud upload benchmark: one export of generated rows to Parquet, uploaded
# to s3rver and to Azurite, each compared with the same export to a local
# file in paired A/B order (bench/lib/compare.sh), all in one run on this
# machine. Prints median wall times and peak RSS from GNU time around each
# sluice process, and checks that each uploaded object's SHA-256 equals the
# local file's.
#
# The servers are local node processes on 127.0.0.1 that write to BENCH_DIR,
# so the numbers show Sluice's upload path (buffering, hashing, signing,
# parallel parts) plus the servers' own cost, not a real network.
#
# Usage: bench/cloud.sh [ROWS]              (default 10000000)
# Environment:
#   SLUICE_BIN   binary to measure (default build/release/sluice)
#   BENCH_DIR    work directory (default /tmp/sluice-bench-cloud)
#   FORMAT       output format (default parquet)
#   BENCH_RUNS   runs per destination (default 3)
#   BENCH_RECORD file that collects the table rows as tab-separated lines
#   BENCH_QUIET_HEADER  when set, print the table rows only
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
sluice="${SLUICE_BIN:-$repo/build/release/sluice}"
work="${BENCH_DIR:-/tmp/sluice-bench-cloud}"
format="${FORMAT:-parquet}"
rows="${1:-10000000}"

# shellcheck source=lib/measure.sh
source "$here/lib/measure.sh"
# shellcheck source=lib/compare.sh
source "$here/lib/compare.sh"

rm -rf "$work"
mkdir -p "$work/s3" "$work/azurite"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}
wait_port() {
  for _ in $(seq 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.2
  done
  echo "bench: nothing listens on 127.0.0.1:$1" >&2
  exit 1
}

s3_port="$(free_port)"
node "$repo/node_modules/s3rver/bin/s3rver.js" -d "$work/s3" -a 127.0.0.1 -p "$s3_port" \
  --configure-bucket bench --silent >/dev/null 2>&1 &
pids+=($!)
azure_port="$(free_port)"
"$repo/node_modules/.bin/azurite-blob" --disableTelemetry --skipApiVersionCheck --silent \
  --blobHost 127.0.0.1 --blobPort "$azure_port" --location "$work/azurite" >/dev/null 2>&1 &
pids+=($!)
wait_port "$s3_port"
wait_port "$azure_port"

account=devstoreaccount1
key='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='
export AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER
export AZURE_STORAGE_CONNECTION_STRING="DefaultEndpointsProtocol=http;AccountName=$account;AccountKey=$key;BlobEndpoint=http://127.0.0.1:$azure_port/$account;"
(cd "$repo" && node -e "
  const { BlobServiceClient } = require('@azure/storage-blob');
  BlobServiceClient.fromConnectionString(process.env.AZURE_STORAGE_CONNECTION_STRING)
    .getContainerClient('bench').create().catch((e) => { console.error(e.message); process.exit(1); });")

source="gen:rows=$rows"
common=(--from "$source" --format "$format" --progress none -q)

local_out="$work/out.$format"
[[ -n "${BENCH_QUIET_HEADER:-}" ]] || {
  print_machine
  echo "Command: bench/cloud.sh $rows (FORMAT=$format, BENCH_RUNS=${BENCH_RUNS:-3})"
  echo
  print_comparison_header
}

# The uploads have no local output file, so their size column shows "-".
# The baseline's column shows the size of the same bytes on disk.
compare "$rows generated rows to $format, upload to s3rver (8 MiB parts, 4 in flight)" \
  "Sluice to a local file" - "$local_out" -- \
  "$sluice" export "${common[@]}" --to "s3://bench/out.$format" --s3-endpoint "http://127.0.0.1:$s3_port" -- \
  "$sluice" export "${common[@]}" --to "$local_out"
s3_sha="$(sha256sum "$work/s3/bench/out.$format._S3rver_object" | cut -d' ' -f1)"

compare "$rows generated rows to $format, upload to Azurite (8 MiB blocks, 4 in flight)" \
  "Sluice to a local file" - "$local_out" -- \
  "$sluice" export "${common[@]}" --to "azure://$account/bench/out.$format" -- \
  "$sluice" export "${common[@]}" --to "$local_out"
azure_sha="$(cd "$repo" && node -e "
  const { BlobServiceClient } = require('@azure/storage-blob');
  BlobServiceClient.fromConnectionString(process.env.AZURE_STORAGE_CONNECTION_STRING)
    .getContainerClient('bench').getBlobClient('out.$format').downloadToBuffer()
    .then((b) => console.log(require('crypto').createHash('sha256').update(b).digest('hex')));")"

local_sha="$(sha256sum "$local_out" | cut -d' ' -f1)"
for name in s3 azure; do
  sha_var="${name}_sha"
  if [[ "${!sha_var}" != "$local_sha" ]]; then
    echo "bench: the $name object differs from the local file" >&2
    exit 1
  fi
done
echo "Each uploaded object's SHA-256 equals the local file's ($(stat -c %s "$local_out") bytes)."
