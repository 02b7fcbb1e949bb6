from django.core.management.base import BaseCommand

from sporskifte.saml.services import saml_messages_purge


class Command(BaseCommand):
    help = "Delete SAML messages older than 180 days (NemLog-in's retention for service providers)."

    def handle(self, *args: object, **options: object) -> None:
        deleted = saml_messages_purge()
        self.stdout.write(self.style.SUCCESS(f"{deleted} SAML messages deleted."))
