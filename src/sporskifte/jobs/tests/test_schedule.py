"""The scheduler queues each slot of each periodic job once; a running job whose worker stopped
beating goes back to the queue, and after too many lost workers it fails with its input."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from sporskifte.jobs.models import ScheduleSlot, WorkerBeat
from sporskifte.jobs.schedule import Cron
from sporskifte.jobs.services import jobs_requeue_lost, schedule_enqueue_due
from sporskifte.jobs.tasks import run_command

CPH = ZoneInfo("Europe/Copenhagen")


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=CPH)


def test_cron_fields_in_the_site_time_zone():
    nightly = Cron.parse("30 1 * * *")
    assert nightly.matches(at(2026, 11, 30, 1, 30))
    assert not nightly.matches(at(2026, 11, 30, 2, 30))
    sunday = Cron.parse("0 4 * * 0")
    assert sunday.matches(at(2026, 11, 29, 4, 0)) and not sunday.matches(at(2026, 11, 30, 4, 0))
    assert Cron.parse("*/15 8-9 * * 1-5").slots(
        at(2026, 11, 30, 7, 59), at(2026, 11, 30, 8, 31)
    ) == [
        at(2026, 11, 30, 8, 0),
        at(2026, 11, 30, 8, 15),
        at(2026, 11, 30, 8, 30),
    ]


@pytest.mark.parametrize("text", ["* * * *", "60 * * * *", "a * * * *", "*/0 * * * *"])
def test_a_bad_schedule_is_refused(text):
    with pytest.raises(ImproperlyConfigured):
        Cron.parse(text)


@pytest.mark.django_db
def test_two_ticks_on_the_same_slot_queue_the_job_once(settings):
    settings.JOBS_SCHEDULE = {"sessions": {"cron": "30 1 * * *", "command": "clearsessions"}}
    settings.JOBS_CATCH_UP_SECONDS = 3600
    now = at(2026, 11, 30, 1, 30, 20)
    assert schedule_enqueue_due(now=now) == ["sessions"]
    assert schedule_enqueue_due(now=now + dt.timedelta(seconds=30)) == []
    assert DBTaskResult.objects.get().args_kwargs["args"] == ["clearsessions"]
    assert ScheduleSlot.objects.get().slot == at(2026, 11, 30, 1, 30)
    # The next night is a new slot.
    assert schedule_enqueue_due(now=now + dt.timedelta(days=1)) == ["sessions"]


@pytest.mark.django_db
def test_a_slot_already_taken_by_another_scheduler_queues_nothing(settings):
    settings.JOBS_SCHEDULE = {"sessions": {"cron": "30 1 * * *", "command": "clearsessions"}}
    ScheduleSlot.objects.create(job="sessions", slot=at(2026, 11, 30, 1, 30), task_id="other")
    assert schedule_enqueue_due(now=at(2026, 11, 30, 1, 31)) == []
    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db
def test_a_scheduler_started_late_catches_up_within_the_window(settings):
    settings.JOBS_SCHEDULE = {"sessions": {"cron": "30 1 * * *", "command": "clearsessions"}}
    settings.JOBS_CATCH_UP_SECONDS = 6 * 3600
    assert schedule_enqueue_due(now=at(2026, 11, 30, 7, 0)) == ["sessions"]
    assert schedule_enqueue_due(now=at(2026, 12, 1, 8, 0)) == []  # 6.5 hours late: skipped


def _running(worker_ids):
    result = run_command.enqueue("clearsessions")
    DBTaskResult.objects.filter(pk=result.id).update(
        status="RUNNING", started_at=timezone.now(), worker_ids=worker_ids
    )
    return DBTaskResult.objects.get(pk=result.id)


def _beat(worker_id, seconds_ago):
    now = timezone.now()
    WorkerBeat.objects.create(
        worker_id=worker_id,
        host="h",
        pid=1,
        started_at=now,
        beat_at=now - dt.timedelta(seconds=seconds_ago),
    )


@pytest.mark.django_db
def test_the_job_of_a_worker_that_stopped_beating_is_queued_again(settings):
    settings.JOBS_WORKER_LEASE_SECONDS = 60
    _beat("gone", seconds_ago=61)
    job = _running(["gone"])
    assert jobs_requeue_lost() == [str(job.pk)]
    job.refresh_from_db()
    assert (job.status, job.args_kwargs["args"]) == ("READY", ["clearsessions"])


@pytest.mark.django_db
def test_the_job_of_a_beating_worker_is_left_running(settings):
    settings.JOBS_WORKER_LEASE_SECONDS = 60
    _beat("alive", seconds_ago=5)
    job = _running(["alive"])
    assert jobs_requeue_lost() == []
    job.refresh_from_db()
    assert job.status == "RUNNING"


@pytest.mark.django_db
def test_a_job_that_lost_too_many_workers_fails_with_its_input(settings):
    settings.JOBS_MAX_ATTEMPTS = 3
    job = _running(["w1", "w2", "w3"])
    assert jobs_requeue_lost() == []
    job.refresh_from_db()
    assert job.status == "FAILED" and job.exception_class_path == "sporskifte.jobs.WorkerLost"
    assert job.args_kwargs["args"] == ["clearsessions"]
