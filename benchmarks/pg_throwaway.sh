#!/usr/bin/env bash
# A throwaway PostgreSQL for the benchmarks, on a loopback port in a temporary directory.
#
#   benchmarks/pg_throwaway.sh start   # prints the DATABASE_URL (database "bench"; there is
#                                      # also "bench_intake" for batch_intake.py)
#   benchmarks/pg_throwaway.sh url     # prints it again
#   benchmarks/pg_throwaway.sh stop    # stops the server and deletes its directory
#
# PG_PORT (default 55433) and PG_BIN (default: the newest /usr/lib/postgresql/*/bin) may be set.
# The port is our own, so it does not collide with the throwaway server ./dev test starts.
# As root, the server runs as the postgres user (initdb and postgres refuse to run as root).
set -euo pipefail

PORT=${PG_PORT:-55433}
PG_BIN=${PG_BIN:-$(find /usr/lib/postgresql -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -1)}
DIR=${TMPDIR:-/tmp}/sporskifte-bench-pg-$PORT
URL="postgres://bench@127.0.0.1:$PORT/bench"

as_pg() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start() {
  [[ -n "$PG_BIN" && -x "$PG_BIN/initdb" ]] || { echo "No PostgreSQL server binaries found (set PG_BIN)." >&2; exit 1; }
  if [[ -f "$DIR/data/postmaster.pid" ]]; then echo "$URL"; return; fi
  rm -rf "$DIR"
  mkdir -p "$DIR"
  chmod 755 "$DIR"
  [[ $(id -u) -ne 0 ]] || chown postgres: "$DIR"
  as_pg "$PG_BIN/initdb" -D "$DIR/data" -U bench -A trust -E UTF8 --no-locale --no-sync \
    >"$DIR/initdb.log" 2>&1 || { cat "$DIR/initdb.log" >&2; exit 1; }
  # fsync off: the data is generated again in minutes; it makes the bulk load faster. Each
  # page's COMMIT (audit rows, session) is then cheaper than on a durable server.
  # random_page_cost and jit as the README's production notes recommend for a server on SSD.
  as_pg "$PG_BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR -c fsync=off -c full_page_writes=off \
        -c shared_buffers=512MB -c max_wal_size=4GB -c maintenance_work_mem=512MB \
        -c random_page_cost=1.1 -c jit=off" \
    start >/dev/null || { cat "$DIR/server.log" >&2; exit 1; }
  as_pg "$PG_BIN/createdb" -h 127.0.0.1 -p "$PORT" -U bench bench
  as_pg "$PG_BIN/createdb" -h 127.0.0.1 -p "$PORT" -U bench bench_intake
  echo "$URL"
}

stop() {
  if [[ -f "$DIR/data/postmaster.pid" ]]; then
    as_pg "$PG_BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null
  fi
  rm -rf "$DIR"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  url) echo "$URL" ;;
  *) echo "usage: $0 start|stop|url" >&2; exit 2 ;;
esac
