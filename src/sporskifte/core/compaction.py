"""The follow-up that makes erasure physical: rewrite the tables erasure deletes from, so the
deleted rows' bytes leave the database files (docs/data-retention.md, "Physical erasure").

PostgreSQL: a DELETE only marks a row version dead, and a plain VACUUM makes its space reusable
without overwriting it, so erased names stay readable in table, TOAST and index files until the
space happens to be reused. ``VACUUM FULL`` writes each table and its indexes into new files and
unlinks the old ones. It holds an exclusive lock on one table at a time while it copies it, so it
runs at night after the erasure jobs (measured in benchmarks/erasure_compaction.py). pg_repack
would avoid the lock but is an extension to install and trust; CLUSTER takes the same lock and
also sorts. The write-ahead log keeps the old pages until its segments are removed (see the docs).

SQLite: ``secure_delete`` (core/db.py) zeroes deleted content in the pages, but the WAL file still
holds earlier page images until a checkpoint copies them back; a TRUNCATE checkpoint empties it.
"""

from __future__ import annotations

from django.apps import apps
from django.db import connection

# The apps whose tables the erasure jobs delete from or overwrite.
ERASED_APPS = ("people", "referrals", "concerns", "fora")


def erased_tables() -> list[str]:
    tables: set[str] = set()
    for label in ERASED_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if not model._meta.proxy and model._meta.managed:
                tables.add(model._meta.db_table)
    return sorted(tables)


def erased_data_compact(*, tables: list[str] | None = None) -> list[str]:
    """Rewrite ``tables`` (default: every table of ``ERASED_APPS``); returns what was done."""
    done = []
    if connection.vendor == "postgresql":
        names = tables if tables is not None else erased_tables()
        # VACUUM cannot run inside a transaction block; Django runs each statement in autocommit.
        with connection.cursor() as cursor:
            for table in names:
                cursor.execute(f"VACUUM (FULL, ANALYZE) {connection.ops.quote_name(table)}")
                done.append(f"VACUUM FULL {table}")
    elif connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        done.append("wal_checkpoint(TRUNCATE)")
    return done
