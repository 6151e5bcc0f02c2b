#!/usr/bin/env bash
# Runs the whole test suite on a fresh Debian 12 machine. It installs what is
# missing, builds the release and sanitizer presets and starts a private
# PostgreSQL server. Then it runs the unit tests under both builds and the
# integration tests against independent readers, and ends with one line
# "total: N passed, N failed" that sums every runner.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
logs="$here/build/test-logs"

"$here/scripts/setup.sh" || exit 1

jobs="$(nproc)"
echo "== build: release"
cmake --preset release >/dev/null && cmake --build --preset release -j "$jobs" || exit 1

echo "== build: asan (AddressSanitizer + UndefinedBehaviorSanitizer)"
cmake --preset asan >/dev/null && cmake --build --preset asan -j "$jobs" || exit 1

echo "== PostgreSQL for the source tests"
"$here/scripts/postgres.sh" start || exit 1
eval "export $("$here/scripts/postgres.sh" env)"
trap '"$here/scripts/postgres.sh" stop >/dev/null 2>&1 || true' EXIT

rm -rf "$logs" && mkdir -p "$logs"
status=0

echo "== unit tests (release)"
ctest --preset release -j "$jobs" 2>&1 | tee "$logs/unit-release.log"
((PIPESTATUS[0] == 0)) || status=1

echo "== unit tests (asan)"
ctest --preset asan -j "$jobs" 2>&1 | tee "$logs/unit-asan.log"
((PIPESTATUS[0] == 0)) || status=1

echo "== integration tests (independent readers)"
SLUICE_BIN="$here/build/release/sluice" "$here/tests/integration/run.sh" 2>&1 | tee "$logs/integration.log"
((PIPESTATUS[0] == 0)) || status=1

# Sum the counts each runner printed: ctest "N tests failed out of M",
# node --test "# pass N" / "# fail N", unittest "Ran N tests" / "failures=N",
# and plain test scripts "N passed, N failed".
passed=0
failed=0
for log in "$logs"/unit-*.log; do
  line="$(grep -E 'tests passed, [0-9]+ tests failed out of [0-9]+' "$log" | tail -n 1)"
  total="$(sed -E 's/.* out of ([0-9]+).*/\1/' <<<"$line")"
  bad="$(sed -E 's/.*, ([0-9]+) tests failed.*/\1/' <<<"$line")"
  passed=$((passed + ${total:-0} - ${bad:-0}))
  failed=$((failed + ${bad:-0}))
done
node_pass="$(grep -E '^# pass [0-9]+' "$logs/integration.log" | awk '{s += $3} END {print s + 0}')"
node_fail="$(grep -E '^# fail [0-9]+' "$logs/integration.log" | awk '{s += $3} END {print s + 0}')"
python_ran="$(grep -E '^Ran [0-9]+ tests?' "$logs/integration.log" | awk '{s += $2} END {print s + 0}')"
python_fail="$(grep -oE '(failures|errors)=[0-9]+' "$logs/integration.log" | cut -d= -f2 | awk '{s += $1} END {print s + 0}')"
script_pass="$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$logs/integration.log" | awk '{s += $1} END {print s + 0}')"
script_fail="$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$logs/integration.log" | awk '{s += $3} END {print s + 0}')"
passed=$((passed + node_pass + python_ran - python_fail + script_pass))
failed=$((failed + node_fail + python_fail + script_fail))

echo
if ((status != 0 && failed == 0)); then failed=1; fi
echo "total: $passed passed, $failed failed"
exit "$status"
