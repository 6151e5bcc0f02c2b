#!/usr/bin/env bash
# Builds Sluice and exports the real datasets bundled with the npm package
# vega-datasets, printing what each export wrote. Output goes to demo-output/.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

"$here/scripts/setup.sh"
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)"

sluice="$here/build/release/sluice"
data="$here/node_modules/vega-datasets/data"
out="$here/demo-output"
mkdir -p "$out"

run() {
  echo "\$ sluice export $*"
  "$sluice" export "$@"
}

echo "== 200,000 real US flights (one JSON array) to CSV, NDJSON and zstd-compressed CSV"
run --from "$data/flights-200k.json" --to "$out/flights-200k.csv"
run --from "$data/flights-200k.json" --to "$out/flights-200k.ndjson"
run --from "$data/flights-200k.json" --to "$out/flights-200k.csv.zst"

echo "== bird strikes (column names with spaces) to a JSON array"
run --from "$data/birdstrikes.csv" --to "$out/birdstrikes.json"

echo "== zip codes (leading zeros stay text) to NDJSON"
run --from "$data/zipcodes.csv" --to "$out/zipcodes.ndjson"
"$sluice" inspect "$data/zipcodes.csv"

echo "== files written"
ls -l "$out"
