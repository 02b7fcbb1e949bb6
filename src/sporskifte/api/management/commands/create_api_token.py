"""Issue a token for another system: a service user acting for one organisation in one role.

Only the SHA-256 digest is stored; the key is printed once and cannot be shown again. The rules
and the audit row are ``sporskifte.accounts.tokens.api_token_issue``'s.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from sporskifte.accounts.models import Role, User
from sporskifte.accounts.tokens import api_token_issue
from sporskifte.organisations.models import Organisation


class Command(BaseCommand):
    help = "Create an API token for one organisation and role; prints the key once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", required=True, help="The organisation's slug.")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--name", required=True, help="Which system uses the token.")
        parser.add_argument("--by", help="Username of the person issuing it (for the audit).")

    def handle(self, *args: object, **options: str) -> None:
        try:
            organisation = Organisation.objects.get(slug=options["organisation"], is_active=True)
        except Organisation.DoesNotExist as exc:
            raise CommandError(f"No active organisation {options['organisation']!r}.") from exc
        issuer = None
        if options.get("by"):
            issuer = User.objects.filter(username=options["by"], is_active=True).first()
            if issuer is None:
                raise CommandError(f"No active user {options['by']!r}.")
        try:
            token, key = api_token_issue(
                actor=issuer, organisation=organisation, role=options["role"], name=options["name"]
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            f"Token {token.name!r} for {organisation.name} ({options['role']}). "
            "Store the key now; it is not shown again:"
        )
        self.stdout.write(key)
