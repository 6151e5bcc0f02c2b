#!/usr/bin/env bash
# Runs a private PostgreSQL cluster for the tests: 127.0.0.1 only, port
# SLUICE_PG_PORT (default 55432), data under SLUICE_PG_DIR (default
# /tmp/sluice-pg), trust authentication, and a database named sluice_test.
#
#   scripts/postgres.sh start   initialise on first use, then start (no-op when running)
#   scripts/postgres.sh stop    stop the server (no-op when stopped)
#   scripts/postgres.sh env     print SLUICE_TEST_POSTGRES_URL=... for eval or export
#
# As root, the server runs as the postgres user, which must own the directory.
set -euo pipefail

port="${SLUICE_PG_PORT:-55432}"
state_dir="${SLUICE_PG_DIR:-/tmp/sluice-pg}"
data_dir="$state_dir/data"
log_file="$state_dir/server.log"
database="sluice_test"
url="postgresql://postgres@127.0.0.1:$port/$database"

bin_dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
if [[ -z "$bin_dir" || ! -x "$bin_dir/pg_ctl" ]]; then
  echo "postgres.sh: no PostgreSQL server under /usr/lib/postgresql; run scripts/setup.sh" >&2
  exit 1
fi

# Runs a command as the postgres user when this script runs as root,
# because the server refuses to run as root.
as_owner() {
  if [[ "$(id -u)" == 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

is_running() {
  [[ -f "$data_dir/PG_VERSION" ]] && as_owner "$bin_dir/pg_ctl" -D "$data_dir" status >/dev/null 2>&1
}

initialise() {
  mkdir -p "$state_dir"
  if [[ "$(id -u)" == 0 ]]; then chown postgres:postgres "$state_dir"; fi
  chmod 700 "$state_dir"
  as_owner "$bin_dir/initdb" -D "$data_dir" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
}

start() {
  if is_running; then return 0; fi
  if [[ ! -f "$data_dir/PG_VERSION" ]]; then initialise; fi
  # The socket directory is the state directory, so no system path is needed.
  as_owner "$bin_dir/pg_ctl" -D "$data_dir" -l "$log_file" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $state_dir -c fsync=off" start >/dev/null
  if ! as_owner "$bin_dir/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname = '$database'" | grep -q 1; then
    as_owner "$bin_dir/createdb" -h 127.0.0.1 -p "$port" -U postgres "$database"
  fi
}

stop() {
  if is_running; then as_owner "$bin_dir/pg_ctl" -D "$data_dir" -m fast -w stop >/dev/null; fi
}

case "${1:-}" in
  start) start; echo "postgres.sh: running at $url" >&2 ;;
  stop) stop ;;
  env) echo "SLUICE_TEST_POSTGRES_URL=$url" ;;
  *) echo "usage: scripts/postgres.sh start|stop|env" >&2; exit 2 ;;
esac
