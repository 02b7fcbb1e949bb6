"""The data migration turns the free texts of existing rows into the vocabulary's keys."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("audit", "0001_initial"), ("research", "0001_initial")]
AFTER = [("audit", "0003_vocabulary_data")]


# serialized_rollback: the reference data loaded once per session is back for the next test.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_old_free_texts_map_to_the_vocabulary_and_keep_their_names_in_detail():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("audit", "AuditEvent")
    rows = {
        "same": old.objects.create(
            actor_label="a", action="view", object_type="offer", purpose="police overview"
        ),
        "case": old.objects.create(
            actor_label="a", action="view", object_type="offer", purpose="API: case 4100-1"
        ),
        "merged": old.objects.create(
            actor_label="a",
            action="erase",
            object_type="audit_event",
            purpose="Audit log retention",
        ),
        "unknown": old.objects.create(
            actor_label="a", action="view", object_type="referral", purpose="Something else"
        ),
    }

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps.get_model("audit", "AuditEvent")
    got = {k: new.objects.get(pk=v.pk) for k, v in rows.items()}

    assert got["same"].purpose == "police_overview"
    assert (got["case"].purpose, got["case"].detail) == ("api_case", {"was": "API: case 4100-1"})
    assert (got["merged"].object_type, got["merged"].purpose) == ("audit_log", "audit_retention")
    assert (got["unknown"].purpose, got["unknown"].detail["was"]) == ("other", "Something else")
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
