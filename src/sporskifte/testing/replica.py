"""A second database under the alias ``replica`` for the router's tests: an SQLite file of the
test's own, so a row found there can only have been read from it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import override_settings

from sporskifte.core.replica import REPLICA


@contextmanager
def replica_database(folder: Path) -> Iterator[BaseDatabaseWrapper]:
    configured = connections.configure_settings(
        {
            DEFAULT_DB_ALIAS: dict(connections.settings[DEFAULT_DB_ALIAS]),
            REPLICA: {"ENGINE": "django.db.backends.sqlite3", "NAME": str(folder / "replica.db")},
        }
    )
    connections.settings[REPLICA] = configured[REPLICA]
    # Opened here: a test case refuses to open an alias it was not told of, and this one did
    # not exist when the test case began.
    connections[REPLICA].connect()
    try:
        with override_settings(DATABASE_ROUTERS=["sporskifte.core.replica.ReplicaRouter"]):
            yield connections[REPLICA]
    finally:
        connections[REPLICA].close()
        del connections[REPLICA]
        del connections.settings[REPLICA]
