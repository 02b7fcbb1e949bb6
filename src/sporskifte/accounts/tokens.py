"""Issuing and revoking tokens for other systems; the management commands and the system
administrator's page both go through these.

On the page, a token acting for the administrator's own organisation is issued at once; one
acting for any other organisation is a request that a second system administrator, whose scope
includes that organisation, approves (``api_token_request`` / ``api_token_request_approve``).
The operator's command on the server issues directly.

A token stands for a service user acting for one organisation in one role. Only the SHA-256
digest is stored: the key is returned once, by ``api_token_issue``, and cannot be shown again.
Each write records its audit row in the same transaction.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sporskifte.accounts.models import (
    POLICE_ROLES,
    ApiToken,
    ApiTokenRequest,
    Membership,
    Role,
    User,
)
from sporskifte.accounts.selectors import organisations_administered_by
from sporskifte.audit.models import AuditEvent
from sporskifte.audit.services import audit_record
from sporskifte.organisations.models import Organisation

NAME_MAX_LENGTH = ApiToken._meta.get_field("name").max_length or 100

# Which organisations a token's role can act for; anything else would see nothing, or (system
# administrators) should not act through a token at all.
ROLE_FITS: dict[str, Callable[[Organisation], bool]] = {
    **{role: (lambda o: o.is_police) for role in POLICE_ROLES},
    Role.COUNSELLOR: lambda o: o.is_partner,
    # Screening: the district's incident systems load incident records (screening app).
    Role.SCREENING_OFFICER: lambda o: o.is_police,
    Role.COUNCIL_MEMBER: lambda o: o.kind == Organisation.Kind.MUNICIPALITY,
    Role.RESEARCHER: lambda o: o.kind == Organisation.Kind.RESEARCH,
}
FIT_HELP = gettext_lazy(
    "Police roles need a police district, counsellor a partner, council member a municipality, "
    "researcher a research institution; system administrators have no tokens."
)


def _validated_name(*, organisation: Organisation, role: str, name: str) -> str:
    name = name.strip()
    errors: dict[str, list[str]] = {}
    if not name:
        errors.setdefault("name", []).append(_("Give the token a name."))
    elif len(name) > NAME_MAX_LENGTH:
        errors.setdefault("name", []).append(
            _("The name can be at most %(limit)d characters.") % {"limit": NAME_MAX_LENGTH}
        )
    elif ApiToken.objects.filter(name=name, revoked_at__isnull=True).exists():
        errors.setdefault("name", []).append(
            _("An active token is already called %(name)s.") % {"name": name}
        )
    fits = ROLE_FITS.get(role)
    if not organisation.is_active:
        errors.setdefault("organisation", []).append(_("The organisation is not active."))
    elif fits is None or not fits(organisation):
        errors.setdefault("role", []).append(
            _("A token in this role cannot act for %(organisation)s. %(help)s")
            % {"organisation": organisation.name, "help": FIT_HELP}
        )
    if errors:
        raise ValidationError(errors)
    return name


@transaction.atomic
def api_token_issue(
    *, actor: User | None, organisation: Organisation, role: str, name: str
) -> tuple[ApiToken, str]:
    """A new token and its key. The key is not stored; whoever calls this shows it once."""
    name = _validated_name(organisation=organisation, role=role, name=name)
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
        name=name, service_user=user, digest=ApiToken.digest_of(key), created_by=actor
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CONFIGURE,
        object_type=AuditEvent.ObjectType.API_TOKEN,
        object_id=token.pk,
        purpose=AuditEvent.Purpose.API_TOKEN_CREATED,
        detail={
            "name": name,
            "organisation": organisation.slug,
            "role": role,
            "service_user": user.username,
        },
        responsible=[organisation],
    )
    return token, key


@transaction.atomic
def api_token_request(
    *, actor: User, organisation: Organisation, role: str, name: str
) -> ApiTokenRequest:
    """A pending request for a token acting for another organisation; no key exists yet."""
    name = _validated_name(organisation=organisation, role=role, name=name)
    request = ApiTokenRequest.objects.create(
        name=name, organisation=organisation, role=role, requested_by=actor
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CONFIGURE,
        object_type=AuditEvent.ObjectType.API_TOKEN_REQUEST,
        object_id=request.pk,
        purpose=AuditEvent.Purpose.API_TOKEN_REQUESTED,
        detail={"name": name, "organisation": organisation.slug, "role": role},
        responsible=[organisation],
    )
    return request


@transaction.atomic
def api_token_request_approve(*, actor: User, request: ApiTokenRequest) -> tuple[ApiToken, str]:
    """The second person's approval: the token is made now and its key returned once. The
    caller has found the request through the approver's scope; the requester never approves."""
    locked = (
        ApiTokenRequest.objects.select_for_update()
        .select_related("organisation")
        .filter(pk=request.pk, approved_at__isnull=True)
        .first()
    )
    if locked is None:
        raise ValidationError(_("The request is already approved."))
    if not organisations_administered_by(actor).filter(pk=locked.organisation_id).exists():
        raise ValidationError(_("Only a system administrator of the organisation may approve."))
    if locked.requested_by_id == actor.pk:
        raise ValidationError(_("Another system administrator must approve a token you asked for."))
    token, key = api_token_issue(
        actor=actor, organisation=locked.organisation, role=locked.role, name=locked.name
    )
    locked.approved_by, locked.approved_at, locked.token = actor, timezone.now(), token
    locked.save(update_fields=["approved_by", "approved_at", "token"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CONFIGURE,
        object_type=AuditEvent.ObjectType.API_TOKEN_REQUEST,
        object_id=locked.pk,
        purpose=AuditEvent.Purpose.API_TOKEN_APPROVED,
        detail={
            "name": locked.name,
            "organisation": locked.organisation.slug,
            "role": locked.role,
            "requested_by": locked.requested_by.username if locked.requested_by else "",
            "token": token.pk,
        },
        responsible=[locked.organisation],
    )
    request.approved_by, request.approved_at, request.token = actor, locked.approved_at, token
    return token, key


@transaction.atomic
def api_token_revoke(*, actor: User | None, token: ApiToken) -> None:
    """The token stops working at the next request; its service user is deactivated too, so
    nothing else can ever act as it."""
    locked = (
        # Locks the token row only: the membership is the nullable side of an outer join.
        ApiToken.objects.select_for_update(of=("self",))
        .select_related("service_user__membership__organisation")
        .filter(pk=token.pk, revoked_at__isnull=True)
        .first()
    )
    if locked is None:
        raise ValidationError(_("The token is already revoked."))
    locked.revoked_at = timezone.now()
    locked.save(update_fields=["revoked_at"])
    User.objects.filter(pk=locked.service_user_id).update(is_active=False)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CONFIGURE,
        object_type=AuditEvent.ObjectType.API_TOKEN,
        object_id=locked.pk,
        purpose=AuditEvent.Purpose.API_TOKEN_REVOKED,
        detail={"name": locked.name, "service_user": locked.service_user.username},
        responsible=[locked.service_user.membership.organisation],
    )
    token.revoked_at = locked.revoked_at
