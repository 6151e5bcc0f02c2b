#!/usr/bin/env bash
# Cloud upload benchmark: one export of generated rows to Parquet, written
# to a local file, uploaded to s3rver and uploaded to Azurite, all in one
# run on this machine. Prints wall time, throughput (output MB/s, 10^6
# bytes) and peak RSS from GNU time around each sluice process, and checks
# that each uploaded object's SHA-256 equals the local file's.
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
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
sluice="${SLUICE_BIN:-$repo/build/release/sluice}"
work="${BENCH_DIR:-/tmp/sluice-bench-cloud}"
format="${FORMAT:-parquet}"
rows="${1:-10000000}"

# shellcheck source=lib/measure.sh
source "$here/lib/measure.sh"

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

echo "bench: local file" >&2
read -r local_seconds local_kib < <(measure "$sluice" export "${common[@]}" --to "$work/out.$format")
local_bytes="$(stat -c %s "$work/out.$format")"
local_sha="$(sha256sum "$work/out.$format" | cut -d' ' -f1)"

echo "bench: s3rver" >&2
read -r s3_seconds s3_kib < <(measure "$sluice" export "${common[@]}" --to "s3://bench/out.$format" \
  --s3-endpoint "http://127.0.0.1:$s3_port")
s3_sha="$(sha256sum "$work/s3/bench/out.$format._S3rver_object" | cut -d' ' -f1)"

echo "bench: Azurite" >&2
read -r azure_seconds azure_kib < <(measure "$sluice" export "${common[@]}" --to "azure://$account/bench/out.$format")
azure_sha="$(cd "$repo" && node -e "
  const { BlobServiceClient } = require('@azure/storage-blob');
  BlobServiceClient.fromConnectionString(process.env.AZURE_STORAGE_CONNECTION_STRING)
    .getContainerClient('bench').getBlobClient('out.$format').downloadToBuffer()
    .then((b) => console.log(require('crypto').createHash('sha256').update(b).digest('hex')));")"

for name in s3 azure; do
  sha_var="${name}_sha"
  if [[ "${!sha_var}" != "$local_sha" ]]; then
    echo "bench: the $name object differs from the local file" >&2
    exit 1
  fi
done

row() {
  awk -v name="$1" -v seconds="$2" -v kib="$3" -v bytes="$local_bytes" \
    'BEGIN { printf "| %s | %.2f | %.1f | %d |\n", name, seconds, bytes / seconds / 1e6, kib / 1024 + 0.5 }'
}
echo "$rows generated rows to $format, $local_bytes bytes; objects identical to the local file (SHA-256)"
echo
echo "| destination | seconds | MB/s | peak RSS MiB |"
echo "|---|---|---|---|"
row "local file" "$local_seconds" "$local_kib"
row "s3rver (8 MiB parts, 4 in flight)" "$s3_seconds" "$s3_kib"
row "Azurite (8 MiB blocks, 4 in flight)" "$azure_seconds" "$azure_kib"
