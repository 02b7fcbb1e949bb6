"""With a replica configured, the figures page reads from it, and from the primary again right
after the user's own write (sporskifte.core.replica). The replica here is a copy of the test
database with one programme renamed, so the page shows which database it read."""

import pytest
from django.db import connection
from django.urls import reverse

from sporskifte.testing.replica import replica_database

REPORT = reverse("insights:report")


@pytest.mark.django_db
def test_the_figures_page_reads_the_replica_until_the_user_writes(
    personas, world, as_user, tmp_path
):
    if connection.vendor != "sqlite":
        pytest.skip("the copy is made with SQLite's dump")
    client = as_user(personas.officer_a)
    programme = world.programme
    with replica_database(tmp_path) as replica:
        connection.ensure_connection()
        # The dump, through the test's own connection, holds what the test wrote so far.
        # Tables come in name order, before the ones they point at: keys are checked after.
        replica.connection.execute("PRAGMA foreign_keys = OFF")
        replica.connection.executescript("\n".join(connection.connection.iterdump()))
        replica.connection.execute("PRAGMA foreign_keys = ON")
        with replica.cursor() as cursor:
            cursor.execute(
                "UPDATE referrals_programme SET name = %s WHERE id = %s",
                ["Renamed on the replica", programme.pk],
            )

        page = client.get(REPORT).content.decode()
        assert "Renamed on the replica" in page

        client.post(reverse("set_language"), {"language": "en"})  # a write by this browser
        page = client.get(REPORT).content.decode()
        assert "Renamed on the replica" not in page
        assert programme.name in page
