"""Writes of the outreach app: warnings and visit requests. Each is atomic and writes its audit
row in the same transaction; e-mails go after the commit (``notices``)."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sporskifte.audit.models import AuditEvent
from sporskifte.audit.services import audit_record
from sporskifte.organisations.models import Municipality
from sporskifte.outreach import notices, selectors
from sporskifte.outreach.models import PublicWarning, PublicWarningVersion, VisitRequest

if TYPE_CHECKING:
    from sporskifte.accounts.models import User
    from sporskifte.organisations.models import Organisation

# The police's own task (politiloven § 2: preventing crime, including by advice to the public).
LEGAL_BASIS = "politiloven § 2, nr. 1"
# An unconfirmed request is removed after this long: it never reached anyone.
CONFIRM_WITHIN = dt.timedelta(hours=48)

OT, P, A = AuditEvent.ObjectType, AuditEvent.Purpose, AuditEvent.Action

# Anything that looks like markup: a warning is plain text, shown escaped, and a tag in it is a
# mistake (or an attack) the author should see rather than have silently stripped.
_TAG = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>")
_TEXT_FIELDS = ("title", "body", "area")


def _check_plain_text(fields: dict[str, Any]) -> None:
    errors = {
        name: _("Write the warning as plain text: HTML tags such as <script> are not allowed.")
        for name in _TEXT_FIELDS
        if _TAG.search(str(fields.get(name) or ""))
    }
    if errors:
        raise ValidationError(errors)


def _check_period(starts_on: dt.date, ends_on: dt.date | None) -> None:
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": _("The warning cannot end before it starts.")})


@transaction.atomic
def warning_create(
    *,
    actor: User,
    district: Organisation,
    title: str,
    body: str,
    area: str,
    starts_on: dt.date,
    ends_on: dt.date | None,
    links: list[str],
) -> PublicWarning:
    fields = {"title": title, "body": body, "area": area}
    _check_plain_text(fields)
    _check_period(starts_on, ends_on)
    warning = PublicWarning.objects.create(
        district=district,
        created_by=actor,
        starts_on=starts_on,
        ends_on=ends_on,
        links=links,
        **fields,
    )
    audit_record(
        actor=actor,
        action=A.CREATE,
        object_type=OT.PUBLIC_WARNING,
        object_id=warning.pk,
        purpose=P.WARNING_CREATED,
        legal_basis=LEGAL_BASIS,
    )
    return warning


@transaction.atomic
def warning_change(
    *,
    actor: User,
    warning: PublicWarning,
    title: str,
    body: str,
    area: str,
    starts_on: dt.date,
    ends_on: dt.date | None,
    links: list[str],
) -> PublicWarning:
    """Change the text. A published warning keeps showing its published version until the
    change is published (``warning_publish``), which makes a new version."""
    warning = PublicWarning.objects.select_for_update().get(pk=warning.pk)
    if warning.state == PublicWarning.State.WITHDRAWN:
        raise ValidationError(_("A withdrawn warning cannot be changed; write a new one."))
    fields = {"title": title, "body": body, "area": area}
    _check_plain_text(fields)
    _check_period(starts_on, ends_on)
    for name, value in fields.items():
        setattr(warning, name, value)
    warning.starts_on, warning.ends_on, warning.links = starts_on, ends_on, links
    warning.save()
    audit_record(
        actor=actor,
        action=A.UPDATE,
        object_type=OT.PUBLIC_WARNING,
        object_id=warning.pk,
        purpose=P.WARNING_CHANGED,
        legal_basis=LEGAL_BASIS,
    )
    return warning


@transaction.atomic
def warning_publish(*, actor: User, warning: PublicWarning) -> PublicWarningVersion:
    warning = PublicWarning.objects.select_for_update().get(pk=warning.pk)
    if warning.state == PublicWarning.State.WITHDRAWN:
        raise ValidationError(_("A withdrawn warning cannot be published again; write a new one."))
    latest = warning.versions.order_by("-number").first()
    fields = ("title", "body", "area", "starts_on", "ends_on", "links")
    if latest is not None and all(getattr(latest, f) == getattr(warning, f) for f in fields):
        raise ValidationError(_("Nothing has changed since the last published version."))
    version = PublicWarningVersion.objects.create(
        warning=warning,
        number=(latest.number + 1) if latest else 1,
        published_by=actor,
        published_at=timezone.now(),
        **{f: getattr(warning, f) for f in fields},
    )
    warning.state = PublicWarning.State.PUBLISHED
    warning.save(update_fields=["state"])
    audit_record(
        actor=actor,
        action=A.UPDATE,
        object_type=OT.PUBLIC_WARNING,
        object_id=warning.pk,
        purpose=P.WARNING_PUBLISHED,
        legal_basis=LEGAL_BASIS,
        detail={"version": version.number},
    )
    return version


@transaction.atomic
def warning_withdraw(*, actor: User, warning: PublicWarning, reason: str) -> PublicWarning:
    warning = PublicWarning.objects.select_for_update().get(pk=warning.pk)
    if warning.state != PublicWarning.State.PUBLISHED:
        raise ValidationError(_("Only a published warning can be withdrawn."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the warning is withdrawn; the feed shows it.")})
    warning.state = PublicWarning.State.WITHDRAWN
    warning.withdrawn_at = timezone.now()
    warning.withdrawn_reason = reason.strip()
    warning.save(update_fields=["state", "withdrawn_at", "withdrawn_reason"])
    audit_record(
        actor=actor,
        action=A.UPDATE,
        object_type=OT.PUBLIC_WARNING,
        object_id=warning.pk,
        purpose=P.WARNING_WITHDRAWN,
        legal_basis=LEGAL_BASIS,
    )
    return warning


def _token_hash(token: str) -> str:
    return selectors.token_hash(token)


@transaction.atomic
def visit_request_submit(
    *, municipality: Municipality, confirm_url: str, **fields: Any
) -> tuple[VisitRequest, str]:
    """A request from the public form. It waits for its sender to confirm the e-mail address;
    the token is returned once (for the link) and only its hash is stored. ``confirm_url`` has a
    ``{token}`` placeholder."""
    if fields["wished_to"] < fields["wished_from"]:
        raise ValidationError({"wished_to": _("The latest date cannot be before the earliest.")})
    if fields["wished_from"] < timezone.localdate():
        raise ValidationError({"wished_from": _("The earliest date cannot be in the past.")})
    token = secrets.token_urlsafe(32)
    request = VisitRequest.objects.create(
        municipality=municipality,
        district_id=municipality.police_district_id,
        confirm_token_hash=_token_hash(token),
        submitted_at=timezone.now(),
        **fields,
    )
    email, url, lang = request.contact_email, confirm_url.format(token=token), request.language
    notices.send_confirmation_link(email=email, url=url, language=lang)
    return request, token


@transaction.atomic
def visit_request_confirm(*, token: str, unit_link: str) -> VisitRequest | None:
    """The sender followed the link. None when the link is unknown, used or too old: the page
    says so without telling which."""
    request = (
        VisitRequest.objects.select_for_update()
        .select_related("district")
        .filter(confirm_token_hash=_token_hash(token), state=VisitRequest.State.UNCONFIRMED)
        .first()
    )
    if request is None or request.submitted_at < timezone.now() - CONFIRM_WITHIN:
        return None
    request.state = VisitRequest.State.NEW
    request.confirmed_at = timezone.now()
    request.save(update_fields=["state", "confirmed_at"])
    audit_record(
        actor=None,
        action=A.CREATE,
        object_type=OT.VISIT_REQUEST,
        object_id=request.pk,
        purpose=P.VISIT_REQUEST_CONFIRMED,
        legal_basis=LEGAL_BASIS,
        responsible=[request.district_id],
    )
    unit_email = request.district.email
    if unit_email:
        notices.send_new_request_notice(email=unit_email, link=unit_link)
    return request


def _open_request(request: VisitRequest) -> VisitRequest:
    locked = VisitRequest.objects.select_for_update().get(pk=request.pk)
    if locked.state not in VisitRequest.OPEN_STATES:
        raise ValidationError(_("The request is closed; nothing more can be done with it."))
    return locked


@transaction.atomic
def visit_request_assign(*, actor: User, request: VisitRequest, officer: User) -> VisitRequest:
    request = _open_request(request)
    request.assigned_to = officer
    if request.state == VisitRequest.State.NEW:
        request.state = VisitRequest.State.ASSIGNED
    request.save(update_fields=["assigned_to", "state"])
    audit_record(
        actor=actor,
        action=A.UPDATE,
        object_type=OT.VISIT_REQUEST,
        object_id=request.pk,
        purpose=P.VISIT_REQUEST_ASSIGNED,
        legal_basis=LEGAL_BASIS,
        detail={"officer": officer.pk},
    )
    return request


@transaction.atomic
def visit_request_propose_time(
    *, actor: User, request: VisitRequest, when: dt.datetime, note: str
) -> VisitRequest:
    request = _open_request(request)
    if request.assigned_to_id is None:
        raise ValidationError(_("Assign an officer before proposing a time."))
    if when <= timezone.now():
        raise ValidationError({"when": _("The proposed time must be in the future.")})
    request.proposed_time, request.proposal_note = when, note.strip()
    request.state = VisitRequest.State.TIME_PROPOSED
    request.save(update_fields=["proposed_time", "proposal_note", "state"])
    audit_record(
        actor=actor,
        action=A.UPDATE,
        object_type=OT.VISIT_REQUEST,
        object_id=request.pk,
        purpose=P.VISIT_TIME_PROPOSED,
        legal_basis=LEGAL_BASIS,
    )
    email, note_text, lang = request.contact_email, request.proposal_note, request.language
    notices.send_time_proposal(email=email, when=when, note=note_text, language=lang)
    return request


@transaction.atomic
def visit_request_close(
    *, actor: User, request: VisitRequest, held: bool, reason: str
) -> VisitRequest:
    request = _open_request(request)
    if not held and not reason.strip():
        raise ValidationError({"reason": _("Say why the visit is declined; the sender is told.")})
    request.state = VisitRequest.State.DONE if held else VisitRequest.State.DECLINED
    request.closed_at, request.closing_reason = timezone.now(), reason.strip()
    request.save(update_fields=["state", "closed_at", "closing_reason"])
    audit_record(
        actor=actor,
        action=A.UPDATE,
        object_type=OT.VISIT_REQUEST,
        object_id=request.pk,
        purpose=P.VISIT_REQUEST_CLOSED,
        legal_basis=LEGAL_BASIS,
        detail={"held": held},
    )
    if not held:
        email, text, lang = request.contact_email, request.closing_reason, request.language
        notices.send_declined(email=email, reason=text, language=lang)
    return request
