"""Revoke an API token by name: it stops working at the next request.

The revocation and its audit row are ``sporskifte.accounts.tokens.api_token_revoke``'s.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from sporskifte.accounts.models import ApiToken, User
from sporskifte.accounts.tokens import api_token_revoke


class Command(BaseCommand):
    help = "Revoke the active API token with this name."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True)
        parser.add_argument("--by", help="Username of the person revoking it (for the audit).")

    def handle(self, *args: object, **options: str) -> None:
        issuer = None
        if options.get("by"):
            issuer = User.objects.filter(username=options["by"], is_active=True).first()
            if issuer is None:
                raise CommandError(f"No active user {options['by']!r}.")
        token = ApiToken.objects.filter(name=options["name"], revoked_at__isnull=True).first()
        if token is None:
            raise CommandError(f"No active token is called {options['name']!r}.")
        try:
            api_token_revoke(actor=issuer, token=token)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(f"Token {token.name!r} revoked.")
