"""School contact points: the writes. A school contact asks for a one-time link by e-mail,
reports what was seen near the school, and gets a receipt page; the local police's prevention
unit handles the report within a deadline counted in Danish working days."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import TYPE_CHECKING

import holidays
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sporskifte.audit.models import AuditEvent
from sporskifte.audit.services import audit_record
from sporskifte.outreach import notices, selectors
from sporskifte.outreach.models import SchoolConcern, SchoolContactPoint, SchoolLink
from sporskifte.outreach.services import LEGAL_BASIS

if TYPE_CHECKING:
    from sporskifte.accounts.models import User
    from sporskifte.organisations.models import Municipality

LINK_VALID = dt.timedelta(hours=24)
# Three working days: drug sales near a school are not an emergency (that is 112/114), but a
# school that hears nothing for a week stops reporting.
RESPOND_WITHIN_WORKING_DAYS = 3

OT, P, A = AuditEvent.ObjectType, AuditEvent.Purpose, AuditEvent.Action


def working_days_after(start: dt.date, days: int) -> dt.date:
    """The date ``days`` Danish working days after ``start`` (weekends and public holidays, from
    the maintained ``holidays`` package, do not count)."""
    danish = holidays.country_holidays("DK", years=range(start.year, start.year + 2))
    day = start
    while days:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in danish:
            days -= 1
    return day


def _hash(token: str) -> str:
    return selectors.token_hash(token)


@transaction.atomic
def contact_point_create(
    *,
    actor: User,
    municipality: Municipality,
    school: str,
    contact_name: str,
    contact_email: str,
    police_contact: User,
) -> SchoolContactPoint:
    email = contact_email.strip().lower()
    if SchoolContactPoint.objects.filter(contact_email=email, is_active=True).exists():
        raise ValidationError(
            {"contact_email": _("This e-mail address is already the contact of another school.")}
        )
    point = SchoolContactPoint.objects.create(
        district_id=municipality.police_district_id,
        municipality=municipality,
        school=school,
        contact_name=contact_name,
        contact_email=email,
        police_contact=police_contact,
    )
    audit_record(
        actor=actor,
        action=A.CREATE,
        object_type=OT.SCHOOL_CONTACT_POINT,
        object_id=point.pk,
        purpose=P.SCHOOL_CONTACT_POINT_CREATED,
        legal_basis=LEGAL_BASIS,
    )
    return point


@transaction.atomic
def school_link_send(*, email: str, report_url: str, language: str) -> None:
    """E-mail a one-time link when the address is an active school contact; otherwise do
    nothing. The caller says the same either way, so the form tells nobody who is a contact.
    ``report_url`` has a ``{token}`` placeholder."""
    point = SchoolContactPoint.objects.filter(
        contact_email=email.strip().lower(), is_active=True
    ).first()
    if point is None:
        return
    token = secrets.token_urlsafe(32)
    SchoolLink.objects.create(
        contact_point=point, token_hash=_hash(token), created_at=timezone.now()
    )
    url = report_url.format(token=token)
    address = point.contact_email
    notices.send_school_link(email=address, url=url, language=language)


@transaction.atomic
def school_concern_report(
    *, token: str, place: str, observed: str, description: str, unit_link: str
) -> tuple[SchoolConcern, str]:
    """The report, made with a one-time link (used up here). Returns the concern and the token
    of its receipt page."""
    valid = selectors.school_link_valid(token)
    link = SchoolLink.objects.select_for_update().get(pk=valid.pk) if valid else None
    if link is None or link.used_at is not None:
        raise ValidationError(_("The link has been used already or is more than a day old."))
    link.used_at = timezone.now()
    link.save(update_fields=["used_at"])
    receipt = secrets.token_urlsafe(32)
    now = timezone.now()
    concern = SchoolConcern.objects.create(
        contact_point=link.contact_point,
        place=place,
        observed=observed,
        description=description,
        received_at=now,
        respond_by=working_days_after(timezone.localdate(now), RESPOND_WITHIN_WORKING_DAYS),
        receipt_token_hash=_hash(receipt),
    )
    audit_record(
        actor=None,
        action=A.CREATE,
        object_type=OT.SCHOOL_CONCERN,
        object_id=concern.pk,
        purpose=P.SCHOOL_CONCERN_REPORTED,
        legal_basis=LEGAL_BASIS,
        responsible=[link.contact_point.district_id],
    )
    police = link.contact_point.police_contact.email
    if police:
        notices.send_school_concern_notice(email=police, link=unit_link)
    return concern, receipt


@transaction.atomic
def school_concern_handle(*, actor: User, concern: SchoolConcern, note: str) -> SchoolConcern:
    concern = SchoolConcern.objects.select_for_update().get(pk=concern.pk)
    if concern.handled_at is not None:
        raise ValidationError(_("The report has been handled already."))
    concern.handled_at, concern.handled_by, concern.police_note = (
        timezone.now(),
        actor,
        note.strip(),
    )
    concern.save(update_fields=["handled_at", "handled_by", "police_note"])
    audit_record(
        actor=actor,
        action=A.UPDATE,
        object_type=OT.SCHOOL_CONCERN,
        object_id=concern.pk,
        purpose=P.SCHOOL_CONCERN_HANDLED,
        legal_basis=LEGAL_BASIS,
    )
    return concern
