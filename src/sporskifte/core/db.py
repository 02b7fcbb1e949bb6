"""Database connection set-up that holds for every connection, whatever the settings say.

SQLite keeps deleted rows' bytes in free space of its pages until they are reused or the file is
vacuumed, unless ``secure_delete`` is on; upstream's default is off (Debian builds it on, other
builds do not). Erasure must not depend on how SQLite was compiled (docs/data-retention.md).
"""

from __future__ import annotations

from typing import Any

from django.db.backends.signals import connection_created


def secure_delete_on(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA secure_delete = ON")


def connect() -> None:
    connection_created.connect(secure_delete_on, dispatch_uid="sporskifte-secure-delete")
