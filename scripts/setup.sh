#!/usr/bin/env bash
# Installs everything Sluice needs to build, test and benchmark on Debian 12:
# Debian packages with apt, and the npm packages of the test peers from the
# committed lock file. Safe to run any number of times.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

packages=(
  build-essential cmake ninja-build ccache pkg-config git
  libsqlite3-dev sqlite3 libpq-dev postgresql
  zlib1g-dev libzstd-dev libsnappy-dev libssl-dev libcurl4-openssl-dev
  libxlsxwriter-dev libavro-dev libdeflate-dev libboost-dev
  nlohmann-json3-dev libcli11-dev libspdlog-dev libfmt-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  python3 python3-avro python3-snappy python3-zstandard python3-openpyxl python3-cryptography
  age util-linux unzip
  libreoffice-calc
  time zstd
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed"; then
    missing+=("$package")
  fi
done

if ((${#missing[@]} > 0)); then
  echo "setup: installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null
fi

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "setup: installing Node.js and npm from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q nodejs npm </dev/null
fi

# The test peers (DuckDB, real datasets) come from the committed lock file.
lock_stamp="$here/node_modules/.sluice-lock.sha256"
lock_sum="$(sha256sum "$here/package-lock.json" | cut -d' ' -f1)"
if [[ ! -f "$lock_stamp" || "$(cat "$lock_stamp")" != "$lock_sum" ]]; then
  echo "setup: installing npm packages from package-lock.json"
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error </dev/null)
  echo "$lock_sum" >"$lock_stamp"
fi
