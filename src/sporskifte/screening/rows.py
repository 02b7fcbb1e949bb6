"""Plain INSERTs and UPDATEs for the screening's bulk writes. The ORM's bulk_create builds a
model instance and prepares each value row by row, which was most of an import's and a full
run's CPU time; ``executemany`` of plain tuples does the same writes in a fraction of it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.models import Model


def insert_rows(
    model: type[Model],
    columns: Sequence[str],
    rows: Sequence[tuple[Any, ...]],
    *,
    ignore_conflicts: bool = False,
) -> None:
    """Insert ``rows`` (values in the order of ``columns``, already adapted for the database).
    ``ignore_conflicts`` skips rows a unique constraint already holds (SQLite ≥ 3.24 and
    PostgreSQL both read ``ON CONFLICT DO NOTHING``); without it, PostgreSQL takes the rows by
    COPY, and a row a constraint refuses fails the whole call (IntegrityError), as it would in
    an INSERT."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    tail = " ON CONFLICT DO NOTHING" if ignore_conflicts else ""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not ignore_conflicts:
            # COPY: PostgreSQL's per-statement work for each row of an executemany was most of
            # a weekly run's time (2,588 hits and 4,145 incident rows: 0.44 s).
            # Django's wrapper is around execute only: errors raised here become Django's too.
            copying = cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN")
            with connection.wrap_database_errors, copying as copy:
                for row in rows:
                    copy.write_row(row)
            return
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks}){tail}", rows)  # noqa: S608


def update_rows(
    model: type[Model], columns: Sequence[str], rows: Sequence[tuple[Any, ...]]
) -> None:
    """Update rows by primary key: each row is the new values of ``columns`` (already adapted)
    followed by the primary key. ``bulk_update`` builds a CASE WHEN per column and row, whose
    expressions Django resolves one by one: for a weekly run's thousands of changed hits that
    was nearly all of the run's CPU time."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    sets = ", ".join(f"{connection.ops.quote_name(c)} = %s" for c in columns)
    pk = connection.ops.quote_name(model._meta.pk.column or model._meta.pk.attname)
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET {sets} WHERE {pk} = %s", rows)  # noqa: S608
