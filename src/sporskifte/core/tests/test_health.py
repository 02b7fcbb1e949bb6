"""The load balancer's probes: /healthz says the process answers, /readyz that this server can
serve (database, migrations, queue lag). Both cheap, neither touches a session or the audit."""

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from sporskifte.audit.models import AuditEvent
from sporskifte.core import health

SRC = Path(__file__).resolve().parents[3]


@pytest.fixture(autouse=True)
def _migrations_read_again():
    health._migrated = False
    yield
    health._migrated = False


def test_healthz_answers_without_the_database(client):
    # No django_db mark: any query (a session, a user, an audit row) would fail the test.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"
    assert not response.cookies


@pytest.mark.django_db
def test_readyz_is_ready_when_database_and_migrations_are(client):
    response = client.get("/readyz")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == {"ok": True}
    assert body["checks"]["migrations"] == {"ok": True}
    assert not response.cookies
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_readyz_refuses_while_a_migration_is_unapplied(client):
    latest = MigrationRecorder.Migration.objects.filter(app="audit").order_by("-name").first()
    latest.delete()  # as on a server started before ``migrate`` reached this migration
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["checks"]["migrations"] == {"ok": False, "unapplied": 1}


@pytest.mark.django_db
def test_readyz_reads_the_migration_plan_only_until_it_is_empty(client, django_assert_num_queries):
    client.get("/readyz")
    queue = 1 if apps.is_installed("django_tasks_db") else 0
    with django_assert_num_queries(1 + queue):  # SELECT 1 (and the queue's age)
        assert client.get("/readyz").status_code == 200


@pytest.mark.django_db
def test_probes_pass_the_host_check_and_the_https_redirect(client, settings):
    # The balancer probes the backend by address over plain HTTP.
    settings.ALLOWED_HOSTS = ["sporskifte.example"]
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz", HTTP_HOST="10.0.0.7:8000").status_code == 200
    assert client.get("/readyz", HTTP_HOST="10.0.0.7:8000").status_code == 200
    assert client.get("/", HTTP_HOST="10.0.0.7:8000").status_code == 400  # everything else


@pytest.mark.django_db
def test_a_post_to_a_probe_is_not_answered_as_one(client):
    assert client.post("/readyz").status_code == 404


@pytest.mark.django_db
def test_readyz_refuses_when_the_queue_lags(client, settings):
    if not apps.is_installed("django_tasks_db"):
        pytest.skip("the database task queue is not installed")
    from django_tasks_db.models import DBTaskResult, get_date_max

    settings.READY_QUEUE_LAG_SECONDS = 60
    task = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="sporskifte.example.task",
        backend_name="default",
        queue_name="default",
        run_after=get_date_max(),
        exception_class_path="",
        traceback="",
    )
    assert client.get("/readyz").status_code == 200
    DBTaskResult.objects.filter(pk=task.pk).update(
        enqueued_at=timezone.now() - dt.timedelta(minutes=5)
    )
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["queue"]["ok"] is False
    assert response.json()["checks"]["queue"]["lag_seconds"] >= 300


def test_readyz_refuses_when_the_database_does_not_answer():
    # A fresh process whose database is a closed port: a real refused connection.
    code = (
        "import django, json; django.setup(); from sporskifte.core.health import readiness; "
        "print(json.dumps(readiness()))"
    )
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(
        PYTHONPATH=str(SRC),
        DJANGO_SETTINGS_MODULE="sporskifte.settings",
        DATABASE_URL="postgres://nobody@127.0.0.1:1/nothing",
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    ready, checks = json.loads(result.stdout)
    assert ready is False
    assert checks == {"database": {"ok": False, "error": "OperationalError"}}
