"""Writes on the queue: the scheduler's tick, returning jobs of lost workers, a retry."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks_db.models import DBTaskResult

from sporskifte.accounts.models import User
from sporskifte.accounts.selectors import may_manage_users
from sporskifte.audit.models import AuditEvent
from sporskifte.audit.services import audit_record
from sporskifte.jobs.models import ScheduleSlot, WorkerBeat
from sporskifte.jobs.schedule import Cron
from sporskifte.jobs.tasks import run_command

logger = logging.getLogger(__name__)

READY, RUNNING, FAILED = "READY", "RUNNING", "FAILED"
LOST_WORKER = "sporskifte.jobs.WorkerLost"


def schedule_enqueue_due(*, now: dt.datetime | None = None) -> list[str]:
    """Queue every scheduled job whose slot fell in the catch-up window and is not queued yet.

    The slot row and the job are written in one transaction, and the slot is unique per job:
    a second scheduler on the same slot fails on the constraint and its job rolls back with it.
    The window lets a scheduler restarted after a short stop still run the night's jobs."""
    now = now or timezone.now()
    since = now - dt.timedelta(seconds=settings.JOBS_CATCH_UP_SECONDS)
    queued = []
    for name, job in settings.JOBS_SCHEDULE.items():
        for slot in Cron.parse(job["cron"]).slots(since, now):
            if ScheduleSlot.objects.filter(job=name, slot=slot).exists():
                continue
            try:
                with transaction.atomic():
                    result = run_command.enqueue(job["command"])
                    ScheduleSlot.objects.create(job=name, slot=slot, task_id=str(result.id))
            except IntegrityError:
                continue  # another scheduler queued this slot first
            queued.append(name)
    return queued


def jobs_requeue_lost(*, now: dt.datetime | None = None) -> list[str]:
    """Put running jobs whose worker stopped beating back in the queue.

    A worker killed outright (SIGKILL, the machine lost) leaves its job "running" in
    django-tasks-db for ever. After ``JOBS_WORKER_LEASE_SECONDS`` without a beat the job is run
    again by another worker: the tasks are idempotent, so a job that was half done is finished,
    and one that was done is not done twice. A job that has lost ``JOBS_MAX_ATTEMPTS`` workers
    (it may be what kills them) fails instead, with its arguments kept for a retry."""
    now = now or timezone.now()
    alive = set(
        WorkerBeat.objects.filter(
            beat_at__gte=now - dt.timedelta(seconds=settings.JOBS_WORKER_LEASE_SECONDS)
        ).values_list("worker_id", flat=True)
    )
    requeued = []
    for job in DBTaskResult.objects.running().only("id", "worker_ids"):
        if job.worker_ids and job.worker_ids[-1] in alive:
            continue
        running = DBTaskResult.objects.filter(pk=job.pk, status=RUNNING)
        if len(job.worker_ids) >= settings.JOBS_MAX_ATTEMPTS:
            running.update(
                status=FAILED,
                finished_at=now,
                exception_class_path=LOST_WORKER,
                traceback=f"The worker running this job stopped {len(job.worker_ids)} times.",
            )
            logger.error("job %s failed: lost %d workers", job.pk, len(job.worker_ids))
        elif running.update(status=READY, started_at=None):
            logger.warning("job %s back in the queue: worker %s gone", job.pk, job.worker_ids)
            requeued.append(str(job.pk))
    WorkerBeat.objects.filter(beat_at__lt=now - dt.timedelta(days=1)).delete()
    return requeued


@transaction.atomic
def job_retry(*, actor: User, job: DBTaskResult) -> DBTaskResult:
    """Run a failed job again with the arguments it was queued with (kept on the row). The
    attempt's error is kept in the audit row; the job's own error fields start empty again."""
    if not may_manage_users(actor):
        raise PermissionDenied
    updated = DBTaskResult.objects.filter(pk=job.pk, status=FAILED).update(
        status=READY, started_at=None, finished_at=None, exception_class_path="", traceback=""
    )
    if not updated:
        raise ValidationError(_("Only a failed job can be run again."))
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        object_type=AuditEvent.ObjectType.BACKGROUND_JOB,
        object_id=job.pk,
        purpose=AuditEvent.Purpose.BACKGROUND_JOB_RETRIED,
        detail={"task": job.task_path, "error": job.exception_class_path},
    )
    job.refresh_from_db()
    return job
