"""Revoke an API token by name: it stops working at the next request."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from sporskifte.accounts.models import ApiToken, User
from sporskifte.audit.models import AuditEvent
from sporskifte.audit.services import audit_record


class Command(BaseCommand):
    help = "Revoke the active API token with this name."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True)
        parser.add_argument("--by", help="Username of the person revoking it (for the audit).")

    @transaction.atomic
    def handle(self, *args: object, **options: str) -> None:
        issuer = None
        if options.get("by"):
            issuer = User.objects.filter(username=options["by"], is_active=True).first()
            if issuer is None:
                raise CommandError(f"No active user {options['by']!r}.")
        token = (
            ApiToken.objects.select_for_update()
            .select_related("service_user")
            .filter(name=options["name"], revoked_at__isnull=True)
            .first()
        )
        if token is None:
            raise CommandError(f"No active token is called {options['name']!r}.")
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        # The service user goes too, so nothing else can ever act as it.
        User.objects.filter(pk=token.service_user_id).update(is_active=False)
        audit_record(
            actor=issuer,
            action=AuditEvent.Action.CONFIGURE,
            object_type="api_token",
            object_id=token.pk,
            purpose=f"API token revoked: {token.name}",
            detail={"service_user": token.service_user.username},
        )
        self.stdout.write(f"Token {token.name!r} revoked.")
