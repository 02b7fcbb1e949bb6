"""``db_worker`` with a heartbeat, so a job whose worker dies can be found and run again.

django-tasks-db marks a job "running" when a worker claims it and nothing more: a worker killed
outright leaves it so for ever (django-tasks-db issue 5). This worker writes its ``WorkerBeat``
row at start and then every ``JOBS_WORKER_BEAT_SECONDS`` from a thread of its own, also while
a job runs; the scheduler returns the jobs of workers that stopped beating to the queue
(``jobs.services.jobs_requeue_lost``). Every other option is ``db_worker``'s.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands import db_worker

from sporskifte.jobs.models import WorkerBeat

logger = logging.getLogger(__name__)


def beat(worker_id: str, started_at: Any) -> None:
    WorkerBeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "host": socket.gethostname()[:255],
            "pid": os.getpid(),
            "started_at": started_at,
            "beat_at": timezone.now(),
        },
    )


def _beat_forever(worker_id: str, started_at: Any, stop: threading.Event) -> None:
    while not stop.wait(settings.JOBS_WORKER_BEAT_SECONDS):
        try:
            beat(worker_id, started_at)
        except DatabaseError:
            # SQLite busy with the job's own write, or the database restarting: the next beat
            # tries again, and only a lease's worth of missed beats returns the job.
            logger.warning("worker %s could not record its beat", worker_id, exc_info=True)
        finally:
            close_old_connections()
    connection.close()


class Worker(db_worker.Worker):
    def run(self) -> None:
        started_at = timezone.now()
        beat(self.worker_id, started_at)
        stop = threading.Event()
        threading.Thread(
            target=_beat_forever, args=(self.worker_id, started_at, stop), daemon=True
        ).start()
        try:
            super().run()
        finally:
            stop.set()


class Command(db_worker.Command):
    help = "Run a background worker (db_worker with a heartbeat)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(worker_id=None)

    def handle(self, *args: Any, **options: Any) -> None:
        self.configure_logging(options["verbosity"])
        reload = options["reload"] and not options["batch"]
        queue_names = options["queue_name"].split(",")
        excluded = options["exclude_queues"].split(",") if options["exclude_queues"] else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = Worker(
            queue_names=queue_names,
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            # Readable on the jobs page: which host and process ran a job.
            worker_id=options["worker_id"]
            or f"{socket.gethostname()[:40]}-{os.getpid()}-{get_random_string(6)}",
            excluded_queue_names=excluded,
        )
        if not reload:
            worker.configure_signals()
            worker.run()
            return
        if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
            worker.configure_signals()  # only in the child the reloader runs
        run_with_reloader(worker.run)
