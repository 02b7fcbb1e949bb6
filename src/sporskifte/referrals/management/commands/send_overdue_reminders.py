from django.core.management.base import BaseCommand, CommandError, CommandParser

from sporskifte.referrals.reminders import overdue_reminders_send


class Command(BaseCommand):
    help = (
        "E-mail each partner the number of its referrals past the contact deadline, once a day; "
        "stale referrals go to the district. Exits non-zero when a partner cannot be reminded."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--base-url",
            default=None,
            help="The inbox address put in the e-mail (default: SPORSKIFTE_SITE_URL's inbox).",
        )

    def handle(self, *args: object, **options: object) -> None:
        base_url = options["base_url"]
        result = overdue_reminders_send(base_url=str(base_url) if base_url else None)
        for r in result.sent:
            self.stdout.write(f"{r.partner.name}: {r.overdue} overdue → {', '.join(r.recipients)}")
        for district, n in result.stale.items():
            self.stdout.write(f"district {district}: {n} stale referrals escalated")
        if result.unreachable:
            names = ", ".join(p.name for p in result.unreachable)
            raise CommandError(
                f"No one to remind at: {names} (the district administrators are told)"
            )
