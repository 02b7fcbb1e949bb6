"""Queue an e-mail in the caller's transaction.

The job row is written by the same database connection, so it commits with the change it
belongs to and disappears with it on a rollback: no mail for a change that never happened, and
none lost when the process dies after the commit. Call it inside the service's
``@transaction.atomic`` (not through ``transaction.on_commit``: that runs after the commit, in a
transaction of its own, and a crash between the two would lose the mail).
"""

from __future__ import annotations

import uuid

from sporskifte.jobs.tasks import send_notice


def notice_enqueue(
    *, subject: str, body: str, recipients: list[str], key: str | None = None
) -> str | None:
    """Queue ``subject``/``body`` to each address in ``recipients``; returns the job's id, or
    None when there is nobody to write to. ``key`` names the notice for the once-only marker
    (e.g. ``"reminder:overdue:42:2026-11-30"``); without one, every call is a new notice."""
    recipients = sorted({r for r in recipients if r})
    if not recipients:
        return None
    result = send_notice.enqueue(
        key=key or f"notice:{uuid.uuid4()}", subject=subject, body=body, recipients=recipients
    )
    return str(result.id)
