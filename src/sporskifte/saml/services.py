"""Writes of the SAML log-in: the message log, binding an account at its first log-in,
accepting and refusing a log-in, and the 180-day retention of the messages.

The account is never created here: an administrator creates it (organisation, role), and the
first log-in binds it to the identity provider's persistent NameID, found by the e-mail address
or user name the administrator gave it. From then on only the NameID finds it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import requests
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from sporskifte.accounts.models import Membership, User
from sporskifte.audit.models import AuditEvent
from sporskifte.audit.services import audit_record
from sporskifte.audit.vocabulary import ObjectType, Purpose
from sporskifte.organisations.models import IdentityProvider
from sporskifte.saml import oiosaml
from sporskifte.saml.metadata import MetadataRefused, metadata_check
from sporskifte.saml.models import SamlDevice, SamlMessage
from sporskifte.saml.refusals import Reason, SamlRefused


@dataclass(frozen=True)
class Assertion:
    """What the ACS takes from a response whose signature, audience and times pysaml2 checked."""

    issuer: str
    name_id: str
    assertion_id: str
    in_response_to: str
    attributes: dict[str, list[str]]

    def first(self, name: str) -> str:
        values = self.attributes.get(name) or [""]
        return str(values[0]).strip()


def saml_message_record(
    *,
    kind: str,
    outcome: str,
    raw: str,
    idp_entity_id: str = "",
    message_id: str = "",
    in_response_to: str = "",
    reason: str = "",
    assertion_id: str | None = None,
    user: User | None = None,
) -> SamlMessage:
    return SamlMessage.objects.create(
        kind=kind,
        outcome=outcome,
        raw=raw,
        idp_entity_id=idp_entity_id[:500],
        message_id=message_id[:200],
        in_response_to=in_response_to[:200],
        reason=reason,
        assertion_id=assertion_id,
        user=user,
    )


def was_answered(in_response_to: str) -> bool:
    """Whether a response to this request was accepted before (a replay, not a stray)."""
    return (
        bool(in_response_to)
        and SamlMessage.objects.filter(
            kind=SamlMessage.Kind.RESPONSE,
            outcome=SamlMessage.Outcome.ACCEPTED,
            in_response_to=in_response_to,
        ).exists()
    )


@transaction.atomic
def saml_login_refuse(
    *,
    reason: Reason,
    raw: str,
    idp_entity_id: str = "",
    in_response_to: str = "",
    user: User | None = None,
    detail: dict[str, object] | None = None,
) -> SamlMessage:
    message = saml_message_record(
        kind=SamlMessage.Kind.RESPONSE,
        outcome=SamlMessage.Outcome.REFUSED,
        raw=raw,
        idp_entity_id=idp_entity_id,
        in_response_to=in_response_to,
        reason=reason.value,
        user=user,
    )
    audit_record(
        actor=user,
        action=AuditEvent.Action.LOGIN,
        object_type=ObjectType.SAML_MESSAGE,
        object_id=message.pk,
        purpose=Purpose.SAML_LOGIN_REFUSED,
        detail={"reason": reason.value, "idp": idp_entity_id, **(detail or {})},
    )
    return message


def _membership_for(assertion: Assertion, idp: IdentityProvider) -> Membership:
    memberships = Membership.objects.select_related("user", "organisation").filter(
        organisation__identity_provider=idp, user__is_active=True
    )
    bound = list(memberships.filter(saml_name_id=assertion.name_id)[:2])
    if len(bound) == 1:
        return bound[0]
    email = assertion.first(oiosaml.EMAIL)
    persistent = assertion.first(oiosaml.PERSISTENT_ID) or assertion.name_id
    handles = Q(user__username__iexact=persistent)
    if email:
        handles |= Q(user__email__iexact=email) | Q(user__username__iexact=email)
    candidates = list(bound or memberships.filter(saml_name_id__isnull=True).filter(handles)[:5])
    if len(candidates) > 1:
        # The same e-mail at two organisations behind one identity provider: the CVR decides.
        cvr = assertion.first(oiosaml.CVR)
        candidates = [m for m in candidates if m.organisation.cvr == cvr]
    if len(candidates) != 1:
        raise SamlRefused(Reason.UNKNOWN_PERSON, candidates=len(candidates))
    return candidates[0]


def _bind(membership: Membership, assertion: Assertion) -> None:
    membership.saml_name_id = assertion.name_id
    membership.saml_bound_at = timezone.now()
    membership.save(update_fields=["saml_name_id", "saml_bound_at"])
    user = membership.user
    # Someone who logs in through an identity provider never has a password here.
    user.set_unusable_password()
    name = assertion.first(oiosaml.FULL_NAME)
    if name and not user.get_full_name():
        user.first_name, _space, user.last_name = name.rpartition(" ")
        user.first_name = user.first_name or user.last_name
    user.save(update_fields=["password", "first_name", "last_name"])
    audit_record(
        actor=user,
        action=AuditEvent.Action.CONFIGURE,
        object_type=ObjectType.USER,
        object_id=user.pk,
        purpose=Purpose.SAML_ACCOUNT_BOUND,
        detail={"idp": assertion.issuer},
    )


@transaction.atomic
def saml_login_accept(*, assertion: Assertion, raw: str) -> tuple[User, SamlDevice]:
    """The account the assertion logs in, bound now if this is its first log-in, and the
    device that marks the session as past the second factor. Raises SamlRefused."""
    idp = IdentityProvider.objects.filter(entity_id=assertion.issuer).first()
    if idp is None:
        raise SamlRefused(Reason.UNKNOWN_IDP)
    level = assertion.first(oiosaml.LOA)
    if not oiosaml.level_suffices(level):
        raise SamlRefused(Reason.LOW_ASSURANCE, level=level)
    membership = _membership_for(assertion, idp)
    user = membership.user
    cvr = assertion.first(oiosaml.CVR)
    if membership.organisation.cvr and cvr != membership.organisation.cvr:
        raise SamlRefused(Reason.WRONG_CVR, cvr=cvr, user_id=user.pk)
    if membership.saml_name_id is None:
        _bind(membership, assertion)
    try:
        with transaction.atomic():
            message = saml_message_record(
                kind=SamlMessage.Kind.RESPONSE,
                outcome=SamlMessage.Outcome.ACCEPTED,
                raw=raw,
                idp_entity_id=assertion.issuer,
                in_response_to=assertion.in_response_to,
                assertion_id=assertion.assertion_id or None,
                user=user,
            )
    except IntegrityError:
        raise SamlRefused(Reason.REPLAYED, assertion_id=assertion.assertion_id) from None
    device, _created = SamlDevice.objects.get_or_create(
        user=user, defaults={"name": "Identity provider", "confirmed": True}
    )
    audit_record(
        actor=user,
        action=AuditEvent.Action.LOGIN,
        object_type=ObjectType.USER,
        object_id=user.pk,
        purpose=Purpose.LOGIN_IDENTITY_PROVIDER,
        detail={"idp": assertion.issuer, "level": level, "message": message.pk},
    )
    return user, device


@transaction.atomic
def saml_logout_record(*, user: User, raw: str, kind: str, idp_entity_id: str = "") -> None:
    saml_message_record(
        kind=kind, outcome=SamlMessage.Outcome.SENT, raw=raw, idp_entity_id=idp_entity_id, user=user
    )
    audit_record(
        actor=user,
        action=AuditEvent.Action.LOGIN,
        object_type=ObjectType.USER,
        object_id=user.pk,
        purpose=Purpose.SAML_LOGOUT,
    )


METADATA_TIMEOUT_SECONDS = 20


def identity_provider_metadata_refresh() -> list[tuple[str, str]]:
    """Fetch each metadata URL; store the XML only if pysaml2 reads it as an entity with the
    provider's entity ID, signed by the provider's certificate when it has one (a wrong, broken
    or unsigned document keeps the one stored before)."""
    outcomes = []
    for provider in IdentityProvider.objects.exclude(metadata_url=""):
        try:
            response = requests.get(provider.metadata_url, timeout=METADATA_TIMEOUT_SECONDS)
            response.raise_for_status()
            metadata_check(
                response.text,
                entity_id=provider.entity_id,
                signing_certificate=provider.metadata_signing_certificate,
            )
        except (requests.RequestException, MetadataRefused) as exc:
            outcomes.append((provider.name, f"kept the stored metadata ({exc})"))
            continue
        provider.metadata_xml = response.text
        provider.metadata_fetched_at = timezone.now()
        provider.save(update_fields=["metadata_xml", "metadata_fetched_at"])
        outcomes.append((provider.name, "stored"))
    return outcomes


@transaction.atomic
def saml_message_log_viewed(*, actor: User, count: int) -> None:
    audit_record(
        actor=actor,
        action=AuditEvent.Action.VIEW,
        object_type=ObjectType.SAML_MESSAGE,
        purpose=Purpose.SAML_MESSAGE_LOG,
        detail={"shown": count},
    )


@transaction.atomic
def saml_messages_purge(*, now: dt.datetime | None = None) -> int:
    """Delete messages older than NemLog-in's 180 days; returns how many went."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.SAML_MESSAGE_RETENTION_DAYS)
    deleted, _by_model = SamlMessage.objects.filter(created_at__lt=cutoff).delete()
    audit_record(
        actor=None,
        action=AuditEvent.Action.ERASE,
        object_type=ObjectType.SAML_MESSAGE,
        purpose=Purpose.SAML_RETENTION,
        detail={"deleted": deleted, "before": cutoff.isoformat()},
    )
    return deleted
