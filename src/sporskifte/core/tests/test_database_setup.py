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


def _join_collapse_limit() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW join_collapse_limit")
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_joining_in_written_order_lasts_for_the_transaction_only():
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL planner setting")
    from django.db import transaction

    from sporskifte.core.db import join_in_written_order

    before = _join_collapse_limit()
    join_in_written_order()  # outside a transaction: nothing
    assert _join_collapse_limit() == before
    with transaction.atomic():
        join_in_written_order()
        assert _join_collapse_limit() == "1"
    assert _join_collapse_limit() == before != "1"


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "hinted"), [("", True), ("?q=Hansen", False)])
def test_the_police_overview_is_planned_in_written_order_unless_searching(
    personas, as_user, query, hinted
):
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL planner setting")
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    client = as_user(personas.officer_a)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("referrals:overview") + query).status_code == 200
    assert any("join_collapse_limit" in q["sql"] for q in captured) is hinted
