"""The system administrator sees queued, running and failed jobs and runs a failed one again;
nobody else sees the page; the page never shows a job's input."""

import pytest
from django.core import mail
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from sporskifte.audit.models import AuditEvent
from sporskifte.jobs.notices import notice_enqueue
from sporskifte.jobs.tasks import run_command
from sporskifte.testing.jobs import run_queued_jobs

pytestmark = pytest.mark.django_db

SECRET_BODY = "Dagsorden med 3 sager"


def _jobs():
    failed = notice_enqueue(subject="s", body=SECRET_BODY, recipients=["a@x.dk"], key="k")
    DBTaskResult.objects.filter(pk=failed).update(
        status="FAILED", exception_class_path="smtplib.SMTPServerDisconnected", worker_ids=["w1"]
    )
    running = run_command.enqueue("clearsessions")
    DBTaskResult.objects.filter(pk=running.id).update(status="RUNNING", worker_ids=["host-42"])
    run_command.enqueue("purge_audit_log")
    return failed


def test_the_system_administrator_sees_queued_running_and_failed_jobs(
    personas, as_user, django_assert_max_num_queries
):
    _jobs()
    client = as_user(personas.sysadmin)
    client.get(reverse("jobs:job_list"))  # warm the session and the menu's lookups
    with django_assert_max_num_queries(14):
        page = client.get(reverse("jobs:job_list"))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Failed (1)" in text and "Running (1)" in text and "Queued (1)" in text
    assert "E-mail to 1 recipient" in text and "smtplib.SMTPServerDisconnected" in text
    assert "Scheduled job: clearsessions" in text and "host-42" in text
    assert "Scheduled job: purge_audit_log" in text
    assert SECRET_BODY not in text and "a@x.dk" not in text


@pytest.mark.parametrize("persona", ["admin_a", "counsellor_a", "officer_a"])
def test_nobody_else_sees_the_jobs(persona, personas, as_user):
    failed = _jobs()
    client = as_user(getattr(personas, persona))
    assert client.get(reverse("jobs:job_list")).status_code == 404
    assert client.post(reverse("jobs:job_retry", args=[failed])).status_code == 404
    assert DBTaskResult.objects.get(pk=failed).status == "FAILED"


def test_the_page_speaks_danish_and_swedish(personas, as_user):
    _jobs()
    client = as_user(personas.sysadmin)
    da = client.get(reverse("jobs:job_list"), HTTP_ACCEPT_LANGUAGE="da").content.decode()
    assert "Baggrundsjob" in da and "Fejlet (1)" in da
    sv = client.get(reverse("jobs:job_list"), HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert "Bakgrundsjobb" in sv


def test_a_failed_job_is_run_again_with_its_input_and_the_retry_is_audited(personas, as_user):
    failed = _jobs()
    client = as_user(personas.sysadmin)
    url = reverse("jobs:job_retry", args=[failed])
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    job = DBTaskResult.objects.get(pk=failed)
    assert job.status == "READY" and job.args_kwargs["kwargs"]["body"] == SECRET_BODY
    event = AuditEvent.objects.get(purpose=AuditEvent.Purpose.BACKGROUND_JOB_RETRIED)
    assert event.object_id == str(job.pk) and event.actor_id == personas.sysadmin.pk
    assert event.detail["error"] == "smtplib.SMTPServerDisconnected"
    run_queued_jobs()
    assert [m.body for m in mail.outbox if m.to == ["a@x.dk"]] == [SECRET_BODY]


def test_only_a_failed_job_can_be_run_again(personas, as_user):
    _jobs()
    running = DBTaskResult.objects.get(status="RUNNING")
    client = as_user(personas.sysadmin)
    assert client.post(reverse("jobs:job_retry", args=[running.pk])).status_code == 404
    assert not AuditEvent.objects.filter(purpose=AuditEvent.Purpose.BACKGROUND_JOB_RETRIED)
