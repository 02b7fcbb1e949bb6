from typing import Any

from django.core.management.base import BaseCommand

from sporskifte.outreach.retention import (
    school_concerns_erase_expired,
    visit_requests_erase_expired,
)


class Command(BaseCommand):
    help = "Delete unconfirmed visit requests and erase the contact details of old closed ones."

    def handle(self, *args: Any, **options: Any) -> None:
        deleted, erased = visit_requests_erase_expired()
        reports = school_concerns_erase_expired()
        self.stdout.write(
            f"{deleted} unconfirmed deleted, {erased} closed erased, {reports} school reports gone"
        )
