"""Connection and logging set-up that every process gets (issue 15)."""

import logging

import pytest
from django.db import connection

from sporskifte.core.db import secure_delete_on


@pytest.mark.django_db
def test_every_sqlite_connection_overwrites_deleted_content():
    if connection.vendor != "sqlite":
        pytest.skip("secure_delete is SQLite's")
    connection.ensure_connection()
    # As an upstream SQLite build starts (its default is off; Debian's is on).
    connection.connection.execute("PRAGMA secure_delete = OFF")
    secure_delete_on(sender=None, connection=connection)
    assert connection.connection.execute("PRAGMA secure_delete").fetchone()[0] == 1


def test_the_set_up_runs_on_every_new_connection():
    from django.db.backends.signals import connection_created

    keys = [receiver[0][0] for receiver in connection_created.receivers]
    assert "sporskifte-secure-delete" in keys


def test_the_letter_renderers_font_subsetting_is_not_logged_at_info():
    for name in ("fontTools", "fontTools.subset", "weasyprint"):
        assert not logging.getLogger(name).isEnabledFor(logging.INFO), name
