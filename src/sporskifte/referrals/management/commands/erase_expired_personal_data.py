from django.core.management.base import BaseCommand

from sporskifte.referrals.import_jobs import suspect_imports_forget
from sporskifte.referrals.retention import personal_data_erase_expired


class Command(BaseCommand):
    help = "Delete personal data whose programme's retention has ended (for a nightly cron)."

    def handle(self, *args: object, **options: object) -> None:
        count = personal_data_erase_expired()
        self.stdout.write(f"{count} offers erased")
        forgotten = suspect_imports_forget()
        self.stdout.write(f"{forgotten} uploaded suspect lists deleted")
