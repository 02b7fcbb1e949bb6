"""Run the queued jobs in the test's own process and transaction, as a worker would run them.

The tests use the production backend (the database): a service's job is a row that commits or
rolls back with the service, and a test sees the e-mail only after it runs the queue, like a
user sees it only after a worker did. Workers themselves are tested as processes in
jobs/tests/test_worker_process.py.
"""

from __future__ import annotations

from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

TEST_WORKER = "test-worker"


def run_queued_jobs(limit: int = 100) -> list[DBTaskResult]:
    """Claim and run the ready jobs, oldest first, until none is left; returns them, finished.
    (The library's loop closes the connection between jobs, which would end the test's
    transaction, so the claim-and-run steps are called here directly.)"""
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=TEST_WORKER,
        excluded_queue_names=[],
    )
    done = []
    for _ in range(limit):
        job = DBTaskResult.objects.ready().first()
        if job is None:
            break
        job.claim(TEST_WORKER)
        worker.run_task(job)
        job.refresh_from_db()
        done.append(job)
    return done
