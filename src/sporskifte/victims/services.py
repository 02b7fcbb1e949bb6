"""Writes of victim support: atomic, each with its audit row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sporskifte.accounts.access import police_district_of
from sporskifte.audit.models import AuditEvent
from sporskifte.audit.services import audit_record
from sporskifte.organisations.models import Organisation
from sporskifte.victims.models import Information, MonthlyCount, VictimReferral

if TYPE_CHECKING:
    from sporskifte.accounts.models import User

# Passing contact details on rests on the victim's consent (GDPR art. 6(1)(a)); telling victims
# about victim support is the police's duty at the report (bekendtgørelse nr. 1108 af 21.
# september 2007 om politiets vejledning af forurettede, § 1, stk. 1, nr. 4).
CONSENT_BASIS = "samtykke"
INFORMATION_BASIS = "bek. 1108/2007 § 1, stk. 1, nr. 4"
CONSENT_VERSION = "2026-1"
CONSENT_TEXT = (
    "Jeg giver politiet lov til at sende mit navn, mine kontaktoplysninger, mit sprog og "
    "forbrydelsens kategori til Offerrådgivningen, så en rådgiver kan kontakte mig. Politiets "
    "beskrivelse af sagen sendes ikke. Jeg kan trække samtykket tilbage når som helst."
)

OT, P, A = AuditEvent.ObjectType, AuditEvent.Purpose, AuditEvent.Action


def unit_of_district(district_id: int) -> Organisation | None:
    return Organisation.objects.filter(
        kind=Organisation.Kind.VICTIM_SUPPORT, parent_id=district_id, is_active=True
    ).first()


@transaction.atomic
def victim_information_record(
    *,
    actor: User,
    category: str,
    consented: bool,
    name: str = "",
    phone: str = "",
    email: str = "",
    language: str = "da",
    preferred_contact: str = VictimReferral.Contact.PHONE,
) -> Information:
    district = police_district_of(actor)
    # Offerrådgivningen (and the consent text read to the victim) is Danish.
    if (
        district is not None
        and Organisation.objects.filter(pk=district, country="DK").exists() is False
    ):
        district = None
    if district is None:
        raise ValidationError(
            _("Only the police record that a victim was told about victim support.")
        )
    contact = [v for v in (name, phone, email) if v.strip()]
    if not consented and contact:
        raise ValidationError(
            _(
                "Without the victim's consent nothing about them may be passed on: remove the "
                "contact details or record the consent."
            )
        )
    unit = None
    if consented:
        unit = unit_of_district(district)
        if unit is None:
            raise ValidationError(
                _(
                    "Your district has no victim-support unit in Sporskifte. Give the victim the "
                    "victim line's number, 116 006."
                )
            )
        errors = {}
        if not name.strip():
            errors["name"] = _("Write the victim's name, so the adviser knows whom they call.")
        wanted = {"phone": phone, "sms": phone, "email": email}[preferred_contact]
        if not wanted.strip():
            field = "email" if preferred_contact == VictimReferral.Contact.EMAIL else "phone"
            errors[field] = _("Write the contact the victim prefers.")
        if errors:
            raise ValidationError(errors)
    info = Information.objects.create(
        district_id=district,
        category=category,
        informed_on=timezone.localdate(),
        consented=consented,
        recorded_by=actor,
    )
    if unit is not None:
        referral = VictimReferral.objects.create(
            information=info,
            unit=unit,
            name=name.strip(),
            phone=phone.strip(),
            email=email.strip(),
            language=language,
            preferred_contact=preferred_contact,
            consent_version=CONSENT_VERSION,
            consent_text=CONSENT_TEXT,
            referred_at=timezone.now(),
        )
        audit_record(
            actor=actor,
            action=A.DISCLOSE,
            object_type=OT.VICTIM_REFERRAL,
            object_id=referral.pk,
            purpose=P.VICTIM_REFERRED,
            legal_basis=CONSENT_BASIS,
            responsible=[unit],
        )
    else:
        audit_record(
            actor=actor,
            action=A.CREATE,
            object_type=OT.VICTIM_INFORMATION,
            object_id=info.pk,
            purpose=P.VICTIM_INFORMED,
            legal_basis=INFORMATION_BASIS,
        )
    return info


_MOVES = {
    VictimReferral.State.NEW: {
        VictimReferral.State.CONTACTED,
        VictimReferral.State.DECLINED,
        VictimReferral.State.UNREACHABLE,
    },
    VictimReferral.State.UNREACHABLE: {
        VictimReferral.State.CONTACTED,
        VictimReferral.State.DECLINED,
        VictimReferral.State.CLOSED,
    },
    VictimReferral.State.CONTACTED: {VictimReferral.State.CLOSED},
    VictimReferral.State.DECLINED: {VictimReferral.State.CLOSED},
    VictimReferral.State.CLOSED: set(),
}


def allowed_moves(referral: VictimReferral) -> set[str]:
    return set(_MOVES[VictimReferral.State(referral.state)])


@transaction.atomic
def victim_referral_move(*, actor: User, referral: VictimReferral, to: str) -> VictimReferral:
    referral = VictimReferral.objects.select_for_update().get(pk=referral.pk)
    if to not in _MOVES[VictimReferral.State(referral.state)]:
        raise ValidationError(
            _("The referral cannot go from “%(from)s” to that.")
            % {"from": referral.get_state_display()}
        )
    now = timezone.now()
    referral.state = to
    if to == VictimReferral.State.CONTACTED:
        referral.contacted_at = now
    if to in (VictimReferral.State.CLOSED, VictimReferral.State.DECLINED):
        referral.closed_at = referral.closed_at or now
    referral.save(update_fields=["state", "contacted_at", "closed_at"])
    audit_record(
        actor=actor,
        action=A.UPDATE,
        object_type=OT.VICTIM_REFERRAL,
        object_id=referral.pk,
        purpose=P.VICTIM_REFERRAL_UPDATED,
        legal_basis=CONSENT_BASIS,
        detail={"state": to},
    )
    return referral


@transaction.atomic
def monthly_counts_save(
    *, actor: User, unit: Organisation, month: dt.date, counts: Mapping[tuple[str, str], int]
) -> int:
    """The unit's counts for a month, by crime category and channel. A second save of the same
    month replaces its counts (a correction), and says so in the audit trail."""
    if month.day != 1:
        raise ValidationError({"month": _("Give the month as its first day.")})
    if month > timezone.localdate():
        raise ValidationError({"month": _("The month has not begun yet.")})
    if any(n < 0 for n in counts.values()):
        raise ValidationError(_("A count cannot be negative."))
    existed = MonthlyCount.objects.filter(unit=unit, month=month).exists()
    MonthlyCount.objects.filter(unit=unit, month=month).delete()
    MonthlyCount.objects.bulk_create(
        MonthlyCount(
            unit=unit, month=month, category=c, channel=ch, conversations=n, entered_by=actor
        )
        for (c, ch), n in counts.items()
        if n
    )
    audit_record(
        actor=actor,
        action=A.UPDATE if existed else A.CREATE,
        object_type=OT.VICTIM_MONTHLY_COUNT,
        object_id=f"{unit.pk}:{month:%Y-%m}",
        purpose=P.VICTIM_COUNTS_ENTERED,
        detail={"corrected": existed},
    )
    return sum(counts.values())
