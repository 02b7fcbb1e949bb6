"""Reads of the queue. The page is for system administrators only: the queue is shared by the
whole installation, so the page shows what kind of job it is and how it went, never its
arguments (an e-mail's text and addresses stay in the row, for the retry, and nowhere else)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Min, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks_db.models import DBTaskResult

from sporskifte.accounts.models import User
from sporskifte.accounts.selectors import may_manage_users

LIST_LIMIT = 100
STATUSES = ("FAILED", "RUNNING", "READY")


def jobs_for_admin(user: User) -> QuerySet[DBTaskResult]:
    """Queued, running and failed jobs (finished ones are pruned nightly); none for anyone but
    a system administrator."""
    if not may_manage_users(user):
        return DBTaskResult.objects.none()
    return DBTaskResult.objects.filter(status__in=STATUSES).defer("return_value", "traceback")


def job_failed_for_admin(user: User) -> QuerySet[DBTaskResult]:
    return jobs_for_admin(user).filter(status="FAILED")


@dataclass
class JobRow:
    job: DBTaskResult
    what: str
    attempts: int
    worker: str


def job_describe(job: DBTaskResult) -> str:
    """What the job does, in words, from its task and the harmless part of its arguments."""
    kwargs = job.args_kwargs.get("kwargs", {})
    args = job.args_kwargs.get("args", [])
    if job.task_path.endswith(".send_notice"):
        n = len(kwargs.get("recipients", []))
        return ngettext("E-mail to %(n)d recipient", "E-mail to %(n)d recipients", n) % {"n": n}
    if job.task_path.endswith(".run_command") and args:
        return _("Scheduled job: %(command)s") % {"command": args[0]}
    return job.task_path.rsplit(".", 1)[-1]


def jobs_by_status(user: User) -> dict[str, list[JobRow]]:
    """Up to LIST_LIMIT jobs per status, oldest first: one query per status."""
    out: dict[str, list[JobRow]] = {}
    for status in STATUSES:
        jobs = jobs_for_admin(user).filter(status=status).order_by("enqueued_at")[:LIST_LIMIT]
        out[status] = [
            JobRow(
                job=j,
                what=job_describe(j),
                attempts=len(j.worker_ids),
                worker=j.worker_ids[-1] if j.worker_ids else "",
            )
            for j in jobs
        ]
    return out


def oldest_queued_age(*, now: dt.datetime | None = None) -> dt.timedelta:
    """How long the oldest job that could run now has waited: the queue's lag (zero when the
    queue is empty). One indexed query, for a readiness check or a monitoring probe."""
    now = now or timezone.now()
    oldest = DBTaskResult.objects.ready().aggregate(oldest=Min("enqueued_at"))["oldest"]
    return max(now - oldest, dt.timedelta(0)) if oldest else dt.timedelta(0)
