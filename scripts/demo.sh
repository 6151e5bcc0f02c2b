#!/usr/bin/env bash
# Builds Sluice and exports the real datasets bundled with the npm package
# vega-datasets (3 million US flights in Parquet, bird strikes, ZIP codes) to
# every output format, printing what each export wrote. Output goes to
# demo-output/.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

"$here/scripts/setup.sh"
cmake --preset release >/dev/null
# Only the command-line binary: the demo runs nothing else, and the unit
# tests and benchmarks would multiply the build time.
cmake --build --preset release -j "$(nproc)" --target sluice

sluice="$here/build/release/sluice"
data="$here/node_modules/vega-datasets/data"
out="$here/demo-output"
mkdir -p "$out"

run() {
  echo "\$ sluice export $*"
  "$sluice" export "$@"
}

echo "== 3,000,000 real US flights (Parquet) to every format"
for format in csv ndjson json parquet avro xlsx; do
  run --from "$data/flights-3m.parquet" --to "$out/flights-3m.$format"
done
run --from "$data/flights-3m.parquet" --to "$out/flights-3m.csv.zst"

echo "== 200,000 flights from one JSON array to CSV"
run --from "$data/flights-200k.json" --to "$out/flights-200k.csv"

echo "== bird strikes (column names with spaces) to a JSON array"
run --from "$data/birdstrikes.csv" --to "$out/birdstrikes.json"

echo "== zip codes (leading zeros stay text) to NDJSON"
run --from "$data/zipcodes.csv" --to "$out/zipcodes.ndjson"
"$sluice" inspect "$data/zipcodes.csv"

echo "== files written"
ls -l "$out"
