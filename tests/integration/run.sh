#!/usr/bin/env bash
# Runs the integration suite: every tests/integration/*.test.mjs with
# `node --test`, then every tests/integration/*_test.py with /usr/bin/python3.
#
# SLUICE_BIN selects the binary (default build/release/sluice).
# SLUICE_TEST_POSTGRES_URL, when set, enables the PostgreSQL source tests.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
export SLUICE_BIN="${SLUICE_BIN:-$repo/build/release/sluice}"

if [[ ! -x "$SLUICE_BIN" ]]; then
  echo "integration: sluice binary not found at $SLUICE_BIN; build it or set SLUICE_BIN" >&2
  exit 1
fi
if [[ ! -d "$repo/node_modules/@duckdb/node-api" ]]; then
  echo "integration: node_modules is missing; run scripts/setup.sh (npm ci) first" >&2
  exit 1
fi

status=0

shopt -s nullglob
node_tests=("$here"/*.test.mjs)
python_tests=("$here"/*_test.py)

if ((${#node_tests[@]} > 0)); then
  (cd "$repo" && node --test "${node_tests[@]}") || status=1
fi

if ((${#python_tests[@]} > 0)); then
  # Each script runs its own tests: with unittest.main() ("Ran N tests") or
  # a small runner that ends with "N passed, N failed".
  for script in "${python_tests[@]}"; do
    echo "integration: running $script"
    (cd "$repo" && /usr/bin/python3 "$script" 2>&1) || status=1
  done
fi

exit "$status"
