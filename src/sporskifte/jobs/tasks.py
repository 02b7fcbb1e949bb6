"""The tasks every app may queue. They take plain data (strings, numbers, lists), never model
instances: a job's arguments are stored as JSON and must still make sense when it runs, or is
retried days later.

An app queues its e-mail with ``notices.notice_enqueue`` inside its own transaction; periodic
jobs are management commands run by ``run_command`` (the schedule is ``settings.JOBS_SCHEDULE``).
"""

from __future__ import annotations

import io

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.management import call_command
from django_tasks import task

from sporskifte.jobs.models import SentNotice

# Notices go before the nightly batch work, so a reminder is not stuck behind a compaction.
NOTICE_PRIORITY = 10


@task(priority=NOTICE_PRIORITY)
def send_notice(*, key: str, subject: str, body: str, recipients: list[str]) -> int:
    """Send one e-mail per recipient, each at most once per ``key``.

    The marker is written after the mail server took the message: a worker lost between the two
    sends that one message again (at least once), never drops it. Nothing here holds a database
    transaction open while the mail server answers."""
    done = set(
        SentNotice.objects.filter(key=key, recipient__in=recipients).values_list(
            "recipient", flat=True
        )
    )
    sent = 0
    with get_connection() as connection:
        for recipient in recipients:
            if recipient in done:
                continue
            EmailMessage(
                subject, body, settings.DEFAULT_FROM_EMAIL, [recipient], connection=connection
            ).send()
            SentNotice.objects.get_or_create(key=key, recipient=recipient)
            done.add(recipient)
            sent += 1
    return sent


# The output kept with the job for the system administrator; a command's report is short.
OUTPUT_LIMIT = 4000


@task()
def run_command(name: str) -> str:
    """A periodic job: one of the management commands named in the schedule. The commands are
    idempotent by themselves (an erasure run twice erases nothing more the second time, the
    reminders keep a row per organisation and day), so a retried or re-queued run is harmless."""
    allowed = {job["command"] for job in settings.JOBS_SCHEDULE.values()}
    if name not in allowed:
        raise ValueError(f"{name!r} is not a scheduled command")
    out = io.StringIO()
    call_command(name, stdout=out, stderr=out)
    return out.getvalue()[-OUTPUT_LIMIT:]
