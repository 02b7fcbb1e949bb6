from django.core.management.base import BaseCommand

from sporskifte.referrals.reminders import overdue_reminders_send


class Command(BaseCommand):
    help = "E-mail each partner the number of its referrals past the contact deadline (for cron)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument(
            "--base-url",
            default="http://127.0.0.1:8000/henvisninger/indbakke/?vis=overdue",
            help="The inbox address put in the e-mail.",
        )

    def handle(self, *args: object, **options: object) -> None:
        reminders = overdue_reminders_send(base_url=str(options["base_url"]))
        for r in reminders:
            who = ", ".join(r.recipients) or "no address"
            self.stdout.write(f"{r.partner.name}: {r.overdue} overdue → {who}")
