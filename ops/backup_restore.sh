#!/usr/bin/env bash
# Back up the database and prove the backup restores: pg_dump in custom format, pg_restore into
# a fresh throwaway PostgreSQL, then the row count of every table in both, side by side.
# Exits non-zero when a count differs or a step fails.
#
#   DATABASE_URL=postgres://user@host:5432/sporskifte ops/backup_restore.sh [BACKUP_FILE]
#
# BACKUP_FILE defaults to sporskifte-<UTC time>.dump in the current folder; keep it where the
# backups are kept (off the database server). The check restores into a server started in a
# temporary folder on a free loopback port (RESTORE_PORT to choose one) and removes it after.
# Needs PostgreSQL's client and server binaries of the source's major version or newer
# (PG_BIN, default: the newest /usr/lib/postgresql/*/bin). Run it while the site is serving:
# pg_dump reads one consistent snapshot; the counts are taken after the dump, so on a busy
# site compare against a quiet moment or a standby paused for the check.
set -euo pipefail

: "${DATABASE_URL:?DATABASE_URL names the database to back up}"
PG_BIN=${PG_BIN:-$(find /usr/lib/postgresql -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -1)}
[[ -x "$PG_BIN/pg_dump" ]] || { echo "No PostgreSQL binaries (set PG_BIN)." >&2; exit 1; }
BACKUP=${1:-sporskifte-$(date -u +%Y%m%dT%H%M%SZ).dump}
PORT=${RESTORE_PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
# libpq reads postgres:// URLs itself; Django's postgres:// spelling is the same.
SOURCE=${DATABASE_URL/#postgis:/postgres:}

TMP=$(mktemp -d -t sporskifte-restore.XXXXXX)
chmod 755 "$TMP"
as_pg() { if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
  [[ -f "$TMP/data/postmaster.pid" ]] && as_pg "$PG_BIN/pg_ctl" -D "$TMP/data" -m fast -w stop >/dev/null 2>&1
  rm -rf "$TMP"
}
trap cleanup EXIT

started=$SECONDS
echo "Backing up to $BACKUP (pg_dump, custom format)"
"$PG_BIN/pg_dump" --format=custom --compress=6 --no-owner --file="$BACKUP" "$SOURCE"
echo "  $(du -h "$BACKUP" | cut -f1) in $((SECONDS - started)) s"

echo "Restoring into a fresh PostgreSQL on 127.0.0.1:$PORT"
[[ $(id -u) -ne 0 ]] || chown postgres: "$TMP"
as_pg "$PG_BIN/initdb" -D "$TMP/data" -U restore -A trust -E UTF8 --no-locale >"$TMP/initdb.log" 2>&1 \
  || { cat "$TMP/initdb.log" >&2; exit 1; }
as_pg "$PG_BIN/pg_ctl" -D "$TMP/data" -l "$TMP/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -p $PORT -k $TMP" start >/dev/null \
  || { cat "$TMP/server.log" >&2; exit 1; }
TARGET="postgres://restore@127.0.0.1:$PORT/restored"
"$PG_BIN/createdb" -h 127.0.0.1 -p "$PORT" -U restore restored
restore_started=$SECONDS
"$PG_BIN/pg_restore" --no-owner --exit-on-error --jobs=2 --dbname="$TARGET" "$BACKUP"
echo "  restored in $((SECONDS - restore_started)) s"

# Exact counts (not the planner's estimates) of every table of the public schema.
counts() {
  "$PG_BIN/psql" -X -q -A -t -F ' ' -v ON_ERROR_STOP=1 "$1" <<'SQL'
CREATE TEMP TABLE counted (name text, n bigint);
DO $$
DECLARE t text;
BEGIN
  FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename LOOP
    EXECUTE format('INSERT INTO counted SELECT %L, count(*) FROM public.%I', t, t);
  END LOOP;
END $$;
SELECT name, n FROM counted ORDER BY name;
SQL
}
counts "$SOURCE" >"$TMP/source.txt"
counts "$TARGET" >"$TMP/restored.txt"

python3 - "$TMP/source.txt" "$TMP/restored.txt" <<'PY'
import sys

def read(path):
    return dict(line.split() for line in open(path) if line.strip())

source, restored = read(sys.argv[1]), read(sys.argv[2])
names = sorted(set(source) | set(restored))
if not names:
    sys.exit("The source database has no tables: nothing was checked.")
width = max(len(n) for n in names)
print(f"{'table':<{width}}  {'source':>9}  {'restored':>9}")
bad = 0
for name in names:
    a, b = source.get(name, "-"), restored.get(name, "-")
    mark = "" if a == b else "  <-- differs"
    bad += a != b
    print(f"{name:<{width}}  {a:>9}  {b:>9}{mark}")
rows = sum(int(v) for v in source.values())
print(f"{len(names)} tables, {rows} rows in the source; "
      + ("all counts match." if not bad else f"{bad} tables differ."))
sys.exit(1 if bad else 0)
PY
echo "Backup $BACKUP restores; total $((SECONDS - started)) s"
