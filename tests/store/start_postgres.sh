#!/usr/bin/env bash
# Start (or reuse) a throwaway PostgreSQL server on a free loopback port and print
# its URL on stdout; everything else goes to stderr. Idempotent: installs the
# postgresql package when no server binaries are found, reuses a server already
# running from the same directory, and creates the database only once.
#
#   export NEWSFACTS_TEST_PG="$(tests/store/start_postgres.sh)"
#   .venv/bin/pytest tests/store -q            # runs every store test on both backends
#   tests/store/start_postgres.sh stop         # stops the server
#
# Settings: NEWSFACTS_PG_DIR (default /tmp/newsfacts-pg), NEWSFACTS_PG_DB
# (default newsfacts_test).
set -euo pipefail

DIR="${NEWSFACTS_PG_DIR:-/tmp/newsfacts-pg}"
DB="${NEWSFACTS_PG_DB:-newsfacts_test}"
log() { echo "start_postgres: $*" >&2; }

find_bin() {
  local dir
  if command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then
    dirname "$(command -v pg_ctl)"
    return 0
  fi
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$dir/pg_ctl" ] && { echo "$dir"; return 0; }
  done
  return 1
}

BIN="$(find_bin || true)"
if [ -z "$BIN" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    log "PostgreSQL is not installed and installing it needs root"; exit 1
  fi
  log "installing postgresql"
  DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql >&2 \
    || { apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql >&2; }
  BIN="$(find_bin)"
fi

# initdb and postgres refuse to run as root: run them as the postgres user then.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

DATA="$DIR/data"
if [ "${1:-}" = "stop" ]; then
  if [ -f "$DATA/postmaster.pid" ]; then
    as_pg "$BIN/pg_ctl" -D "$DATA" stop -m fast >&2
  else
    log "no server running in $DATA"
  fi
  exit 0
fi

mkdir -p "$DIR"
[ "$(id -u)" -eq 0 ] && chown postgres: "$DIR"

if [ ! -f "$DATA/PG_VERSION" ]; then
  log "initdb in $DATA"
  # A UTF-8 ctype is what makes the Russian text-search configuration lower-case
  # Cyrillic; under the plain C locale "Шымкент" and "шымкент" would not match.
  LOCALE="$(locale -a 2>/dev/null | grep -i -m1 -E '^(c|en_us)\.utf-?8$' || true)"
  if [ -n "$LOCALE" ]; then
    as_pg "$BIN/initdb" -D "$DATA" -U postgres -A trust -E UTF8 --locale="$LOCALE" >&2
  else
    log "no UTF-8 locale found: Cyrillic full-text search will be case-sensitive"
    as_pg "$BIN/initdb" -D "$DATA" -U postgres -A trust -E UTF8 --no-locale >&2
  fi
fi

if as_pg "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1 && [ -f "$DIR/port" ]; then
  PORT="$(cat "$DIR/port")"
  log "reusing server on port $PORT"
else
  REPO="$(cd "$(dirname "$0")/../.." && pwd)"
  PY="$REPO/.venv/bin/python"
  [ -x "$PY" ] || PY="$(command -v python3)"
  PORT="$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  as_pg "$BIN/pg_ctl" -D "$DATA" -l "$DIR/server.log" -w \
    -o "-p $PORT -c listen_addresses=127.0.0.1 -k $DIR -c fsync=off" start >&2
  echo "$PORT" | as_pg tee "$DIR/port" >/dev/null
fi

PSQL_BIN="$BIN/psql"
[ -x "$PSQL_BIN" ] || PSQL_BIN="$(dirname "$(readlink -f "$BIN/pg_ctl")")/psql"
[ -x "$PSQL_BIN" ] || PSQL_BIN="$(command -v psql)"
PSQL=("$PSQL_BIN" -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtA)
if [ "$("${PSQL[@]}" -c "SELECT 1 FROM pg_database WHERE datname = '$DB'")" != "1" ]; then
  "${PSQL[@]}" -c "CREATE DATABASE \"$DB\"" >&2
fi
echo "postgresql://postgres@127.0.0.1:$PORT/$DB"
