"""Fetch the metadata of identity providers configured by URL and store it, so a log-in never
waits for another server. Run nightly: NemLog-in rolls its certificates through its metadata."""

from django.core.management.base import BaseCommand

from sporskifte.saml.services import identity_provider_metadata_refresh


class Command(BaseCommand):
    help = "Fetch and store the metadata of identity providers that have a metadata URL."

    def handle(self, *args: object, **options: object) -> None:
        for name, outcome in identity_provider_metadata_refresh():
            self.stdout.write(f"{name}: {outcome}")
