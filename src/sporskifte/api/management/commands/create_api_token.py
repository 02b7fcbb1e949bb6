"""Issue a token for another system: a service user acting for one organisation in one role.

Only the SHA-256 digest is stored; the key is printed once and cannot be shown again.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from sporskifte.accounts.models import POLICE_ROLES, ApiToken, Membership, Role, User
from sporskifte.audit.models import AuditEvent
from sporskifte.audit.services import audit_record
from sporskifte.organisations.models import Organisation

# Which organisations a token's role can act for; anything else would see nothing, or (system
# administrators) should not act through a token at all.
ROLE_FITS: dict[str, Callable[[Organisation], bool]] = {
    **{role: (lambda o: o.is_police) for role in POLICE_ROLES},
    Role.COUNSELLOR: lambda o: o.is_partner,
    Role.COUNCIL_MEMBER: lambda o: o.kind == Organisation.Kind.MUNICIPALITY,
    Role.RESEARCHER: lambda o: o.kind == Organisation.Kind.RESEARCH,
}
FIT_HELP = (
    "police roles need a police organisation, counsellor a partner, council_member a "
    "municipality, researcher a research institution; system_admin has no tokens."
)


class Command(BaseCommand):
    help = "Create an API token for one organisation and role; prints the key once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", required=True, help="The organisation's slug.")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--name", required=True, help="Which system uses the token.")
        parser.add_argument("--by", help="Username of the person issuing it (for the audit).")

    def handle(self, *args: object, **options: str) -> None:
        name = options["name"].strip()
        if not name:
            raise CommandError("Give the token a name.")
        try:
            organisation = Organisation.objects.get(slug=options["organisation"], is_active=True)
        except Organisation.DoesNotExist as exc:
            raise CommandError(f"No active organisation {options['organisation']!r}.") from exc
        role = options["role"]
        fits = ROLE_FITS.get(role)
        if fits is None or not fits(organisation):
            raise CommandError(f"A {role} token cannot act for {organisation.name}: {FIT_HELP}")
        issuer = None
        if options.get("by"):
            issuer = User.objects.filter(username=options["by"], is_active=True).first()
            if issuer is None:
                raise CommandError(f"No active user {options['by']!r}.")
        if ApiToken.objects.filter(name=name, revoked_at__isnull=True).exists():
            raise CommandError(f"An active token is already called {name!r}.")
        key = self._create(organisation=organisation, role=role, name=name, issuer=issuer)
        self.stdout.write(
            f"Token {name!r} for {organisation.name} ({role}). "
            "Store the key now; it is not shown again:"
        )
        self.stdout.write(key)

    @transaction.atomic
    def _create(
        self, *, organisation: Organisation, role: str, name: str, issuer: User | None
    ) -> str:
        user = User(
            username=f"api-{organisation.slug}-{secrets.token_hex(4)}"[:150],
            first_name=name[:150],
            is_service=True,
        )
        user.set_unusable_password()
        user.save()
        Membership.objects.create(user=user, organisation=organisation, role=role, title="API")
        key = ApiToken.new_key()
        token = ApiToken.objects.create(
            name=name, service_user=user, digest=ApiToken.digest_of(key), created_by=issuer
        )
        audit_record(
            actor=issuer,
            action=AuditEvent.Action.CONFIGURE,
            object_type="api_token",
            object_id=token.pk,
            purpose=f"API token created: {name}",
            detail={"organisation": organisation.slug, "role": role, "service_user": user.username},
        )
        return key
