"""Queue today's reminders about agreement terms falling due or past due (once per term and
kind; a second run the same day queues nothing)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from sporskifte.mediation.reminders import term_reminders_queue


class Command(BaseCommand):
    help = "E-mail mediators and coordinators about agreement terms before and after they fall due."

    def handle(self, *args: object, **options: object) -> None:
        queued = term_reminders_queue()
        self.stdout.write(
            f"{queued['before']} reminders before and {queued['after']} after the due date queued"
        )
