"""Database set-up that holds for every connection, whatever the settings say, and one planner
hint for a transaction.

SQLite keeps deleted rows' bytes in free space of its pages until they are reused or the file is
vacuumed, unless ``secure_delete`` is on; upstream's default is off (Debian builds it on, other
builds do not). Erasure must not depend on how SQLite was compiled (docs/data-retention.md).
"""

from __future__ import annotations

from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.signals import connection_created


def secure_delete_on(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA secure_delete = ON")


def connect() -> None:
    connection_created.connect(secure_delete_on, dispatch_uid="sporskifte-secure-delete")


def join_in_written_order(using: str = DEFAULT_DB_ALIAS) -> None:
    """For the rest of the transaction, PostgreSQL joins a statement's tables in the order
    Django wrote them instead of weighing every order (``join_collapse_limit = 1``).

    The police overview's page joins seven tables on their keys, starting from an index scan of
    the district's newest offers: at 1,000,000 referrals the planner spent 5.0 ms choosing an
    order for a statement that runs in 0.4 ms, on every page view. In the written order it plans
    in 0.6 ms and runs as fast. Only for a statement whose written order is the good one (a list
    read from its own table's index and joined by keys); never for a search, where starting
    from the few matching rows of another table is what makes it fast. Does nothing outside a
    transaction (``SET LOCAL`` would not last) and on SQLite.
    """
    connection = connections[using]
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL join_collapse_limit = 1")
