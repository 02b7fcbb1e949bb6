"""Queue today's reminders about notifications past their receipt deadline (one e-mail per
sending district and day; a second run the same day queues nothing)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from sporskifte.screening.reminders import overdue_reminders_queue


class Command(BaseCommand):
    help = "E-mail each sending district how many notifications are past the receipt deadline."

    def handle(self, *args: object, **options: object) -> None:
        queued = overdue_reminders_queue()
        for district_id, count in queued.items():
            self.stdout.write(f"district {district_id}: {count} overdue")
        self.stdout.write(f"{len(queued)} reminders queued")
