"""Demo data for the SAML log-in: Herning Kommune logs in through the local demo IdP, with one
account an administrator made (bound at its first log-in, no password, no TOTP)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from sporskifte.accounts.models import Membership, Role, User
from sporskifte.organisations.models import IdentityProvider, Organisation
from sporskifte.saml import demo


class Command(BaseCommand):
    help = "Connect Herning Kommune to the demo identity provider (demo only; idempotent)."

    @transaction.atomic
    def handle(self, *args: object, **options: object) -> None:
        demo.refuse_in_production()
        idp = demo.demo_idp()
        provider, _ = IdentityProvider.objects.update_or_create(
            entity_id=idp.entity_id,
            defaults={"name": demo.PROVIDER_NAME, "metadata_xml": idp.metadata()},
        )
        organisation = Organisation.objects.get(slug=demo.ORGANISATION_SLUG)
        organisation.identity_provider = provider
        organisation.cvr = demo.CVR
        organisation.save(update_fields=["identity_provider", "cvr"])
        for person in demo.PEOPLE:
            first, _, last = person.name.partition(" ")
            user, created = User.objects.get_or_create(
                username=person.username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": person.email,
                    "is_demo": True,
                },
            )
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
                Membership.objects.create(
                    user=user, organisation=organisation, role=Role.COUNCIL_MEMBER
                )
        self.stdout.write(f"{organisation.name} logs in through {idp.base_url}")
