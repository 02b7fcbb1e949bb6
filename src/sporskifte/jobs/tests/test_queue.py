"""A job is a row written in the caller's transaction; a notice is mailed once per recipient
however often its job runs; a failed job keeps its input."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from sporskifte.jobs.models import SentNotice
from sporskifte.jobs.notices import notice_enqueue
from sporskifte.jobs.tasks import run_command, send_notice
from sporskifte.testing.jobs import run_queued_jobs

pytestmark = pytest.mark.django_db

NOTICE = {"subject": "Møde", "body": "Se dagsordenen", "recipients": ["a@x.dk", "b@x.dk"]}


def test_a_job_queued_in_a_transaction_that_rolls_back_is_gone():
    with pytest.raises(RuntimeError), transaction.atomic():
        notice_enqueue(key="k", **NOTICE)
        raise RuntimeError
    assert not DBTaskResult.objects.exists()


def test_a_job_queued_in_a_transaction_that_commits_is_there_once():
    with transaction.atomic():
        job_id = notice_enqueue(key="k", **NOTICE)
    job = DBTaskResult.objects.get()
    assert str(job.pk) == job_id and job.status == "READY"
    assert job.args_kwargs["kwargs"]["recipients"] == ["a@x.dk", "b@x.dk"]
    assert mail.outbox == []  # nothing leaves before a worker runs it


def test_nobody_to_write_to_queues_nothing():
    assert notice_enqueue(subject="s", body="b", recipients=["", ""]) is None
    assert not DBTaskResult.objects.exists()


def test_a_notice_job_run_twice_mails_each_recipient_once():
    notice_enqueue(key="meeting:1", **NOTICE)
    [job] = run_queued_jobs()
    assert job.status == "SUCCESSFUL" and job.return_value == 2
    DBTaskResult.objects.filter(pk=job.pk).update(status="READY")  # as a requeued job would be
    [again] = run_queued_jobs()
    assert again.status == "SUCCESSFUL" and again.return_value == 0
    assert sorted(m.to[0] for m in mail.outbox) == ["a@x.dk", "b@x.dk"]
    assert SentNotice.objects.filter(key="meeting:1").count() == 2


def test_a_notice_half_sent_sends_only_the_rest():
    SentNotice.objects.create(key="k", recipient="a@x.dk")
    assert send_notice.call(key="k", **NOTICE) == 1
    assert [m.to for m in mail.outbox] == [["b@x.dk"]]


def test_a_failed_notice_keeps_its_input(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    notice_enqueue(key="k", **NOTICE)
    [job] = run_queued_jobs()
    assert job.status == "FAILED" and job.exception_class_path.endswith("Error")
    assert job.args_kwargs == {"args": [], "kwargs": {"key": "k", **NOTICE}}
    assert not SentNotice.objects.exists()


def test_only_scheduled_commands_can_be_run_as_jobs():
    with pytest.raises(ValueError):
        run_command.call("flush")


# Compaction rewrites tables (VACUUM FULL), which PostgreSQL refuses inside the test's
# transaction; it is run as a job by the worker-process test and tested in core.
@pytest.mark.parametrize(
    "command",
    [
        "send_overdue_reminders",
        "erase_expired_personal_data",
        "erase_expired_concerns",
        "erase_expired_forum_records",
        "clearsessions",
        "purge_audit_log",
        "prune_job_results",
        "prune_open_deadlines",
    ],
)
def test_each_scheduled_command_runs_twice_as_a_job(command, settings):
    assert command in {j["command"] for j in settings.JOBS_SCHEDULE.values()}
    run_command.enqueue(command)
    run_command.enqueue(command)
    jobs = run_queued_jobs()
    assert [j.status for j in jobs] == ["SUCCESSFUL", "SUCCESSFUL"], jobs[0].traceback


def test_pruning_keeps_failed_jobs(settings):
    notice_enqueue(key="k", **NOTICE)
    DBTaskResult.objects.update(status="FAILED", finished_at="2000-01-01T00:00:00Z")
    call_command("prune_job_results", stdout=None)
    assert DBTaskResult.objects.filter(status="FAILED").count() == 1
