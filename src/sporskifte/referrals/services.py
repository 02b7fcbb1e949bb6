"""Writes for the referral programme. Each function is atomic and writes its audit row in the
same transaction; callers pass everything by keyword."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sporskifte.audit.models import AuditEvent
from sporskifte.audit.services import audit_record
from sporskifte.core.access import membership_of
from sporskifte.organisations.models import Organisation
from sporskifte.people.models import Person
from sporskifte.referrals.models import (
    CLOSING_STEPS,
    Case,
    Consent,
    ConsentText,
    ContactAttempt,
    CounsellingNote,
    Offence,
    Offer,
    OutcomeStep,
    Programme,
    Referral,
    Step,
)
from sporskifte.referrals.selectors import is_district_admin, partner_of, police_district_of

if TYPE_CHECKING:
    from sporskifte.accounts.models import User

CONSENT = "samtykke"  # legal basis of every disclosure in a referral programme


def _require_police(actor: User) -> int:
    district = police_district_of(actor)
    if district is None:
        raise PermissionDenied
    return district


def _require_partner(actor: User, referral: Referral) -> None:
    if partner_of(actor) != referral.partner_id:
        raise PermissionDenied


# Programmes -----------------------------------------------------------------------------------

PROGRAMME_FIELDS = (
    "name",
    "description",
    "destination",
    "fixed_partner",
    "feedback_level",
    "contact_deadline_days",
    "outcome_steps",
    "has_prevention_conversation",
    "retention_days",
    "is_active",
)


def _validate_programme(programme: Programme) -> None:
    if programme.destination == Programme.Destination.FIXED_PARTNER:
        if programme.fixed_partner is None or not programme.fixed_partner.is_partner:
            raise ValidationError({"fixed_partner": _("Choose the partner that receives.")})
    elif programme.fixed_partner is not None:
        raise ValidationError(
            {"fixed_partner": _("A fixed partner only applies when referrals go to one partner.")}
        )
    unknown = set(programme.outcome_steps) - set(Step.values)
    if unknown or not programme.outcome_steps:
        raise ValidationError({"outcome_steps": _("Choose at least one known outcome step.")})


@transaction.atomic
def programme_create(
    *, actor: User, consent_text: str, offences: list[Offence], **fields: Any
) -> Programme:
    district = police_district_of(actor)
    if not is_district_admin(actor) or district is None:
        raise PermissionDenied
    programme = Programme(police_district_id=district, **fields)
    _validate_programme(programme)
    programme.save()
    programme.offences.set(offences)
    ConsentText.objects.create(programme=programme, version=1, text=consent_text, created_by=actor)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CONFIGURE,
        object_type=AuditEvent.ObjectType.PROGRAMME,
        object_id=programme.pk,
        purpose=AuditEvent.Purpose.PROGRAMME_CREATED,
    )
    return programme


@transaction.atomic
def programme_update(
    *,
    actor: User,
    programme: Programme,
    consent_text: str,
    offences: list[Offence],
    **fields: Any,
) -> Programme:
    """Editing the consent text makes a new version; consents already given keep theirs."""
    if not is_district_admin(actor) or police_district_of(actor) != programme.police_district_id:
        raise PermissionDenied
    for name, value in fields.items():
        if name not in PROGRAMME_FIELDS:
            raise TypeError(name)
        setattr(programme, name, value)
    _validate_programme(programme)
    programme.save()
    programme.offences.set(offences)
    current = consent_text_current(programme)
    if current is None or current.text.strip() != consent_text.strip():
        version = (current.version if current else 0) + 1
        ConsentText.objects.create(
            programme=programme, version=version, text=consent_text, created_by=actor
        )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CONFIGURE,
        object_type=AuditEvent.ObjectType.PROGRAMME,
        object_id=programme.pk,
        purpose=AuditEvent.Purpose.PROGRAMME_CHANGED,
    )
    return programme


def consent_text_current(programme: Programme) -> ConsentText | None:
    return programme.consent_texts.order_by("-version").first()


# Cases and offers -----------------------------------------------------------------------------


@transaction.atomic
def case_create(
    *, actor: User, journal_number: str, title: str, programme: Programme, offence: Offence
) -> Case:
    district = _require_police(actor)
    if programme.police_district_id != district:
        raise PermissionDenied
    if not programme.offences.filter(pk=offence.pk).exists():
        raise ValidationError({"offence": _("The programme is not for this offence.")})
    journal_number = journal_number.strip()
    if Case.objects.filter(police_district_id=district, journal_number=journal_number).exists():
        raise ValidationError({"journal_number": _("A case with this journal number exists.")})
    case = Case.objects.create(
        police_district_id=district,
        journal_number=journal_number,
        title=title,
        programme=programme,
        offence=offence,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        object_type=AuditEvent.ObjectType.CASE,
        object_id=case.pk,
        purpose=AuditEvent.Purpose.CASE_CREATED,
    )
    return case


def _police_unit_of(actor: User) -> int | None:
    m = membership_of(actor)
    if m and m.organisation.kind == Organisation.Kind.POLICE_UNIT:
        return m.organisation_id
    return None


def offer_build(
    *,
    actor: User,
    programme: Programme,
    person: Person,
    offence: Offence,
    offence_date: dt.date,
    journal_number: str = "",
    case: Case | None = None,
) -> Offer:
    """An unsaved offer, with the coarse facts evaluation keeps after erasure."""
    if offence_date > timezone.localdate():
        raise ValidationError({"offence_date": _("The date of the offence is in the future.")})
    return Offer(
        programme=programme,
        person=person,
        case=case,
        police_district_id=programme.police_district_id,
        police_unit_id=_police_unit_of(actor),
        journal_number=journal_number or (case.journal_number if case else ""),
        offence=offence,
        offence_date=offence_date,
        recorded_by=actor,
        birth_year=person.birth_date.year if person.birth_date else None,
        sex=person.sex,
        home_municipality=person.home_municipality,
    )


@transaction.atomic
def offer_register(
    *,
    actor: User,
    programme: Programme,
    person: Person,
    offence: Offence,
    offence_date: dt.date,
    journal_number: str = "",
    case: Case | None = None,
) -> Offer:
    """Register one person's encounter; ``person`` may be unsaved (from ``person_build``)."""
    district = _require_police(actor)
    if programme.police_district_id != district or person.police_district_id != district:
        raise PermissionDenied
    if case is not None and case.police_district_id != district:
        raise PermissionDenied
    if person.pk is None:
        person.save()
    offer = offer_build(
        actor=actor,
        programme=programme,
        person=person,
        offence=offence,
        offence_date=offence_date,
        journal_number=journal_number,
        case=case,
    )
    offer.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        object_type=AuditEvent.ObjectType.OFFER,
        object_id=offer.pk,
        person_id=person.pk,
        purpose=AuditEvent.Purpose.OFFER_REGISTERED,
    )
    return offer


def referral_route(*, programme: Programme, person: Person) -> Organisation:
    """Where an accepted offer goes: the fixed partner, or the home municipality's centre."""
    if programme.destination == Programme.Destination.FIXED_PARTNER:
        assert programme.fixed_partner is not None
        return programme.fixed_partner
    centre = (
        Organisation.objects.filter(
            kind=Organisation.Kind.SUBSTANCE_ABUSE_CENTRE,
            municipality=person.home_municipality_id,
            is_active=True,
        ).first()
        if person.home_municipality_id
        else None
    )
    if centre is None:
        raise ValidationError(
            {
                "home_municipality": _(
                    "No substance-abuse centre takes referrals for the person's municipality. "
                    "Choose the home municipality, or ask the administrator to add the centre."
                )
            }
        )
    return centre


@transaction.atomic
def offer_answer(
    *,
    actor: User,
    offer: Offer,
    answer: str,
    prevention_conversation: str | None = None,
    consent_method: str | None = None,
    consent_text: ConsentText | None = None,
    consent_given_at: dt.datetime | None = None,
) -> Offer:
    """Record the person's answer; a yes with its consent record creates the referral."""
    district = _require_police(actor)
    # Lock only the offer row: PostgreSQL refuses FOR UPDATE on the nullable side of the
    # outer join to person.
    offer = (
        Offer.objects.select_for_update(of=("self",))
        .select_related("person", "programme")
        .get(pk=offer.pk)
    )
    if offer.police_district_id != district:
        raise PermissionDenied
    if offer.person_id is None:
        raise ValidationError(_("The person's data has been erased."))
    if Referral.objects.filter(offer=offer).exists():
        raise ValidationError(_("This offer has already been accepted and referred."))
    if answer not in Offer.Answer.values or answer == Offer.Answer.NOT_ASKED:
        raise ValidationError({"answer": _("Choose the person's answer.")})
    now = timezone.now()
    if prevention_conversation:
        offer.prevention_conversation = prevention_conversation
    offer.answer = answer
    offer.offered_at = offer.offered_at or now
    offer.answered_at = now
    offer.recorded_by = actor
    if answer == Offer.Answer.YES:
        _accept(
            actor=actor,
            offer=offer,
            method=consent_method,
            text=consent_text,
            given_at=consent_given_at or now,
        )
    offer.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        object_type=AuditEvent.ObjectType.OFFER,
        object_id=offer.pk,
        person_id=offer.person_id,
        purpose=AuditEvent.Purpose.ANSWER_RECORDED,
        detail={"answer": answer},
    )
    return offer


def _accept(
    *,
    actor: User,
    offer: Offer,
    method: str | None,
    text: ConsentText | None,
    given_at: dt.datetime,
) -> Referral:
    errors = {}
    if method not in Consent.Method.values:
        errors["consent_method"] = _("Record how the consent was given.")
    if text is None or text.programme_id != offer.programme_id:
        errors["consent_text"] = _("Choose the consent text the person agreed to.")
    if given_at > timezone.now() + dt.timedelta(minutes=5):
        errors["consent_given_at"] = _("The consent cannot be given in the future.")
    if errors:
        raise ValidationError(errors)
    assert offer.person is not None and text is not None and method is not None
    partner = referral_route(programme=offer.programme, person=offer.person)
    Consent.objects.create(offer=offer, text=text, method=method, given_at=given_at, taken_by=actor)
    now = timezone.now()
    referral = Referral.objects.create(
        offer=offer,
        programme=offer.programme,
        police_district_id=offer.police_district_id,
        partner=partner,
        created_at=now,
        due_at=now + dt.timedelta(days=offer.programme.contact_deadline_days),
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.DISCLOSE,
        object_type=AuditEvent.ObjectType.REFERRAL,
        object_id=referral.pk,
        person_id=offer.person_id,
        purpose=AuditEvent.Purpose.CONTACT_DETAILS_PASSED,
        legal_basis=CONSENT,
        detail={"consent_text_version": text.version, "method": method, "partner": partner.name},
        responsible=[partner, offer.police_district_id],
    )
    return referral


@transaction.atomic
def consent_withdraw(*, actor: User, offer: Offer) -> Offer:
    """Stops sharing at once: the partner loses the contact details in the same request.

    Either side may record it: the referring police district or the receiving partner.
    """
    referral = Referral.objects.select_for_update().filter(offer=offer).first()
    allowed = police_district_of(actor) == offer.police_district_id or (
        referral is not None and partner_of(actor) == referral.partner_id
    )
    if not allowed:
        raise PermissionDenied
    consent = offer.consents.filter(withdrawn_at__isnull=True).first()
    if consent is None:
        raise ValidationError(_("There is no consent in force to withdraw."))
    now = timezone.now()
    membership = membership_of(actor)
    consent.withdrawn_at = now
    consent.withdrawn_by = actor
    consent.withdrawal_via = membership.organisation if membership else None
    consent.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_via"])
    if referral is not None:
        referral.withdrawn_at = now
        referral.status = Referral.Status.WITHDRAWN
        referral.save(update_fields=["withdrawn_at", "status"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.WITHDRAW,
        object_type=AuditEvent.ObjectType.OFFER,
        object_id=offer.pk,
        person_id=offer.person_id,
        purpose=AuditEvent.Purpose.CONSENT_WITHDRAWN,
        legal_basis=CONSENT,
    )
    return offer


# Partner work ---------------------------------------------------------------------------------


def _check_when(at: dt.datetime, referral: Referral) -> None:
    if at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError({"at": _("The time cannot be in the future.")})
    if at < referral.created_at - dt.timedelta(minutes=5):
        raise ValidationError({"at": _("The time is before the referral was made.")})


def _require_open(referral: Referral) -> None:
    if referral.withdrawn_at is not None:
        raise ValidationError(_("Consent has been withdrawn; nothing more can be recorded."))


@transaction.atomic
def referral_record_attempt(
    *, actor: User, referral: Referral, at: dt.datetime, method: str, reached: bool
) -> ContactAttempt:
    _require_partner(actor, referral)
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    _require_open(referral)
    _check_when(at, referral)
    if method not in ContactAttempt.Method.values:
        raise ValidationError({"method": _("Choose how the contact was attempted.")})
    attempt = ContactAttempt.objects.create(
        referral=referral, at=at, method=method, reached=reached, recorded_by=actor
    )
    fields = []
    if reached and (referral.contact_made_at is None or at < referral.contact_made_at):
        referral.contact_made_at = at
        fields.append("contact_made_at")
    if referral.status == Referral.Status.NEW:
        referral.status = Referral.Status.IN_PROGRESS
        fields.append("status")
    if fields:
        referral.save(update_fields=fields)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        object_type=AuditEvent.ObjectType.REFERRAL,
        object_id=referral.pk,
        person_id=referral.offer.person_id,
        purpose=AuditEvent.Purpose.CONTACT_ATTEMPT_RECORDED,
        legal_basis=CONSENT,
    )
    return attempt


MILESTONE = {
    Step.FIRST_CONVERSATION: "first_conversation_at",
    Step.FURTHER_SESSIONS: "further_sessions_at",
}


@transaction.atomic
def referral_record_step(
    *, actor: User, referral: Referral, step: str, at: dt.datetime
) -> OutcomeStep:
    _require_partner(actor, referral)
    referral = Referral.objects.select_for_update().select_related("programme").get(pk=referral.pk)
    _require_open(referral)
    _check_when(at, referral)
    if step not in referral.programme.outcome_steps:
        raise ValidationError({"step": _("This programme does not use that step.")})
    if referral.status == Referral.Status.CLOSED:
        raise ValidationError(_("The referral is closed."))
    outcome = OutcomeStep.objects.create(referral=referral, step=step, at=at, recorded_by=actor)
    milestone = MILESTONE.get(Step(step))
    if milestone and getattr(referral, milestone) is None:
        setattr(referral, milestone, at)
    if step == Step.FIRST_CONVERSATION and referral.contact_made_at is None:
        referral.contact_made_at = at  # a conversation is contact, even if no attempt was logged
    referral.last_step, referral.last_step_at = step, at
    if step in CLOSING_STEPS:
        referral.status, referral.closed_at = Referral.Status.CLOSED, at
    else:
        referral.status = Referral.Status.IN_PROGRESS
    referral.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        object_type=AuditEvent.ObjectType.REFERRAL,
        object_id=referral.pk,
        person_id=referral.offer.person_id,
        purpose=AuditEvent.Purpose.OUTCOME_STEP_RECORDED,
        legal_basis=CONSENT,
        detail={"step": step},
    )
    return outcome


@transaction.atomic
def counselling_note_add(*, actor: User, referral: Referral, text: str) -> CounsellingNote:
    _require_partner(actor, referral)
    _require_open(referral)
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("The note is empty.")})
    note = CounsellingNote.objects.create(referral=referral, text=text, author=actor)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        object_type=AuditEvent.ObjectType.COUNSELLING_NOTE,
        object_id=note.pk,
        person_id=referral.offer.person_id,
        purpose=AuditEvent.Purpose.COUNSELLING_NOTE_WRITTEN,
        legal_basis=CONSENT,
    )
    return note
