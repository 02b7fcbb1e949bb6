"""One loop that queues the periodic jobs (``settings.JOBS_SCHEDULE``) and returns the jobs of
lost workers to the queue. Start one beside the workers; a second one started by mistake (or on
a second server for availability) queues nothing twice: see ``schedule_enqueue_due``."""

from __future__ import annotations

import logging
import signal
import threading
from argparse import ArgumentParser
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections
from django.utils.dateparse import parse_datetime

from sporskifte.jobs.schedule import Cron
from sporskifte.jobs.services import jobs_requeue_lost, schedule_enqueue_due

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Queue the periodic jobs when they are due and requeue jobs of lost workers."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--interval", type=float, default=30.0, help="seconds between ticks")
        parser.add_argument("--once", action="store_true", help="one tick, then exit")
        parser.add_argument(
            "--now", default=None, help="ISO time to tick at (with --once; for tests and drills)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        for job in settings.JOBS_SCHEDULE.values():
            Cron.parse(job["cron"])  # a typo in the schedule stops the start, not the night
        now = parse_datetime(options["now"]) if options["now"] else None
        if options["once"]:
            self.tick(now)
            return
        stop = threading.Event()

        def shutdown(signum: int, frame: FrameType | None) -> None:
            stop.set()

        signal.signal(signal.SIGINT, shutdown)
        signal.signal(signal.SIGTERM, shutdown)
        self.stdout.write(f"Scheduler started: {', '.join(settings.JOBS_SCHEDULE)}")
        while not stop.is_set():
            try:
                self.tick(None)
            except DatabaseError:
                logger.exception("scheduler tick failed; trying again")
            finally:
                close_old_connections()
            stop.wait(options["interval"])

    def tick(self, now: Any) -> None:
        for name in schedule_enqueue_due(now=now):
            self.stdout.write(f"queued {name}")
        for job_id in jobs_requeue_lost(now=now):
            self.stdout.write(f"requeued {job_id} (worker lost)")
