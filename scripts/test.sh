#!/usr/bin/env bash
# Runs the whole test suite on a fresh Debian 12 machine: installs what is
# missing, builds the release and sanitizer presets, starts a private
# PostgreSQL server, then runs the unit tests under both builds and the
# integration tests against independent readers.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

"$here/scripts/setup.sh"

jobs="$(nproc)"
echo "== build: release"
cmake --preset release >/dev/null
cmake --build --preset release -j "$jobs"

echo "== build: asan (AddressSanitizer + UndefinedBehaviorSanitizer)"
cmake --preset asan >/dev/null
cmake --build --preset asan -j "$jobs"

echo "== PostgreSQL for the source tests"
"$here/scripts/postgres.sh" start
eval "export $("$here/scripts/postgres.sh" env)"
trap '"$here/scripts/postgres.sh" stop >/dev/null 2>&1 || true' EXIT

echo "== unit tests (release)"
ctest --preset release -j "$jobs"

echo "== unit tests (asan)"
ctest --preset asan -j "$jobs"

echo "== integration tests (independent readers)"
SLUICE_BIN="$here/build/release/sluice" "$here/tests/integration/run.sh"
