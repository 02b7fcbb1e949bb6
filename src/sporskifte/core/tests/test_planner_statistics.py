"""SQLite's planner statistics are measured by a scheduled job; PostgreSQL is left alone."""

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

pytestmark = pytest.mark.django_db


def test_the_statistics_job_is_scheduled():
    commands = {job["command"] for job in settings.JOBS_SCHEDULE.values()}
    assert "refresh_planner_statistics" in commands


def test_sqlite_gets_statistics_for_its_tables():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only: PostgreSQL's autovacuum measures its tables itself")
    from sporskifte.testing.factories import ProgrammeFactory

    ProgrammeFactory.create_batch(3)  # ANALYZE records nothing for an empty table
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS sqlite_stat1")  # as a database never measured
    call_command("refresh_planner_statistics", stdout=StringIO())
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'referrals_programme'")
        assert cursor.fetchone()[0] > 0


def test_postgresql_is_left_to_autovacuum():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    out = StringIO()
    call_command("refresh_planner_statistics", stdout=out)
    assert "nothing done" in out.getvalue()
