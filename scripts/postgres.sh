#!/usr/bin/env bash
# Start a throw-away PostgreSQL server for the test suite and print its URL.
#
#   eval "$(bash scripts/postgres.sh)"     # exports MINUTES_TEST_POSTGRES_URL
#
# Idempotent: installs Debian's postgresql package only when no server binaries are present,
# creates the cluster only once (in $MINUTES_PG_DIR, default /tmp/minutes-postgres-$PORT), and
# starts it only when it is not already running. The server runs as the `postgres` user when
# this script runs as root, listens on 127.0.0.1:$MINUTES_PG_PORT (default 55432) only, and
# trusts local connections: it is for tests, never for data you care about.
# Everything but the final `export` line goes to standard error.
set -euo pipefail

PORT="${MINUTES_PG_PORT:-55432}"
DIR="${MINUTES_PG_DIR:-/tmp/minutes-postgres-$PORT}"
DB="${MINUTES_PG_DB:-minutes_test}"

log() { echo "postgres.sh: $*" >&2; }

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

if [ -z "$(pg_bin)" ] || [ ! -x "$(pg_bin)/pg_ctl" ]; then
  log "installing Debian's postgresql package"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
fi
BIN="$(pg_bin)"

if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
  as_pg() { runuser -u postgres -- "$@"; }
  OWNER=postgres
else
  as_pg() { "$@"; }
  OWNER="$(id -un)"
fi

mkdir -p "$DIR"
chown "$OWNER" "$DIR"
chmod 700 "$DIR"
DATA="$DIR/data"

if [ ! -f "$DATA/PG_VERSION" ]; then
  log "creating a cluster in $DATA"
  as_pg "$BIN/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >&2
fi

if ! as_pg "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
  log "starting the server on 127.0.0.1:$PORT"
  as_pg "$BIN/pg_ctl" -D "$DATA" -l "$DIR/server.log" -w -t 60 \
    -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off" start >&2
fi

PSQL=("$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -v ON_ERROR_STOP=1 -qtA)
if [ "$("${PSQL[@]}" -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$DB'")" != 1 ]; then
  "${PSQL[@]}" -d postgres -c "CREATE DATABASE $DB" >&2
fi

log "ready: postgresql://postgres@127.0.0.1:$PORT/$DB"
echo "export MINUTES_TEST_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1:$PORT/$DB"
