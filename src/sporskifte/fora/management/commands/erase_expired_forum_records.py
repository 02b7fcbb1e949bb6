from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from sporskifte.fora.models import Forum
from sporskifte.fora.retention import forum_persons_due_by_forum, forum_persons_erase_expired


class Command(BaseCommand):
    help = (
        "Delete what the cooperation fora hold about persons whose forum's retention has ended "
        "(for a nightly cron). Prints how many persons each forum erased, never a name."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Only print how many persons would be erased; change nothing.",
        )

    def handle(self, *args: object, **options: Any) -> None:
        dry_run = options["dry_run"]
        erased = forum_persons_due_by_forum() if dry_run else forum_persons_erase_expired()
        names = dict(Forum.objects.filter(pk__in=erased).values_list("pk", "name"))
        for forum_id, count in sorted(erased.items(), key=lambda item: (names[item[0]], item[0])):
            self.stdout.write(f"{names[forum_id]}: {count}")
        total = sum(erased.values())
        self.stdout.write(
            f"{total} forum persons would be erased" if dry_run else f"{total} forum persons erased"
        )
