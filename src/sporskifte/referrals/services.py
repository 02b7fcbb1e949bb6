"""Writes for the referral programme. Each function is atomic and writes its audit row in the
same transaction; callers pass everything by keyword."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sporskifte.accounts.access import membership_of, partner_of, police_district_of
from sporskifte.audit.models import AuditEvent
from sporskifte.audit.services import audit_record
from sporskifte.core.errors import NotAllowed
from sporskifte.core.identity import normalise_phone
from sporskifte.organisations.models import Municipality, Organisation
from sporskifte.people.models import Person, PersonDetailChange
from sporskifte.people.services import person_register, person_take_details
from sporskifte.referrals.changes import note_offers, note_referral, note_referral_work
from sporskifte.referrals.locking import referral_locked
from sporskifte.referrals.models import (
    CLOSING_STEPS,
    Case,
    Change,
    Consent,
    ConsentText,
    ContactAttempt,
    CounsellingNote,
    Offence,
    Offer,
    OutcomeStep,
    Programme,
    ProsecutorConsultation,
    Referral,
    Step,
)
from sporskifte.referrals.rollup import contribution_of, rollup_change
from sporskifte.referrals.selectors import (
    consent_text_current,
    is_district_admin,
    police_status_code,
    prosecutor_agreed,
)

if TYPE_CHECKING:
    from sporskifte.accounts.models import User

CONSENT = "samtykke"  # legal basis of every disclosure in a referral programme


def _require_police(actor: User) -> int:
    district = police_district_of(actor)
    if district is None:
        raise NotAllowed
    return district


def _require_partner(actor: User, referral: Referral) -> None:
    if partner_of(actor) != referral.partner_id:
        raise NotAllowed


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
    "for_detained",
    "prosecutor_consultation",
    "offers_relatives",
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
        raise NotAllowed
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
        raise NotAllowed
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


def programme_offence_message(programme: Programme) -> str:
    """The refusal names what the programme is for, so the officer sees why ([S4]: X-Cons
    is offered to those detained for grovt narkotikabrott, not for every drug offence)."""
    return _("The programme is not for this offence. %(programme)s is for: %(offences)s.") % {
        "programme": programme.name,
        "offences": ", ".join(o.name for o in programme.offences.all()),
    }


# Cases and offers -----------------------------------------------------------------------------


@transaction.atomic
def case_create(
    *, actor: User, journal_number: str, title: str, programme: Programme, offence: Offence
) -> Case:
    district = _require_police(actor)
    if programme.police_district_id != district:
        raise NotAllowed
    if not programme.offences.filter(pk=offence.pk).exists():
        raise ValidationError({"offence": programme_offence_message(programme)})
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


MUNICIPALITY_REQUIRED = gettext_lazy(
    "The programme refers to the centre of the person's home municipality: choose it, or a yes "
    "cannot be referred anywhere."
)


def needs_municipality(programme: Programme) -> bool:
    return programme.destination == Programme.Destination.HOME_CENTRE


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
    detention_facility: str = "",
    restrictions: str = "",
) -> Offer:
    """An unsaved offer, with the coarse facts evaluation keeps after erasure."""
    if offence_date > timezone.localdate():
        raise ValidationError({"offence_date": _("The date of the offence is in the future.")})
    if needs_municipality(programme) and person.home_municipality_id is None:
        raise ValidationError({"home_municipality": MUNICIPALITY_REQUIRED})
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
        detention_facility=detention_facility.strip(),
        restrictions=restrictions.strip(),
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
    detention_facility: str = "",
    restrictions: str = "",
) -> Offer:
    """Register one person's encounter; ``person`` may be unsaved (from ``person_build``).

    Someone already registered in the district with the same identity number is that person:
    the new contact details and home municipality replace the old ones, which are kept as
    history (people.PersonDetailChange).
    """
    district = _require_police(actor)
    if programme.police_district_id != district or person.police_district_id != district:
        raise NotAllowed
    if case is not None and case.police_district_id != district:
        raise NotAllowed
    changed: list[str] = []
    if person.pk is None:
        if needs_municipality(programme) and person.home_municipality_id is None:
            raise ValidationError({"home_municipality": MUNICIPALITY_REQUIRED})
        person, changed = person_register(actor=actor, person=person)
    offer = offer_build(
        actor=actor,
        programme=programme,
        person=person,
        offence=offence,
        offence_date=offence_date,
        journal_number=journal_number,
        case=case,
        detention_facility=detention_facility,
        restrictions=restrictions,
    )
    offer.save()
    note_offers([offer], Change.Kind.CREATED)
    rollup_change(None, contribution_of(offer, None))
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        object_type=AuditEvent.ObjectType.OFFER,
        object_id=offer.pk,
        person_id=person.pk,
        purpose=AuditEvent.Purpose.OFFER_REGISTERED,
        detail={"person_details_changed": changed} if changed else None,
    )
    return offer


@transaction.atomic
def offer_correct_contact(
    *, actor: User, offer: Offer, home_municipality: Municipality | None, phone: str
) -> Offer:
    """An officer corrects the person's home municipality and phone from the offer's page.

    The person changes (one person per identity number), the earlier values are kept as history,
    and an offer not yet answered is routed by the corrected municipality when the yes comes.
    """
    district = _require_police(actor)
    offer = (
        Offer.objects.select_for_update(of=("self",))
        .select_related("person", "person__home_municipality", "programme")
        .get(pk=offer.pk)
    )
    if offer.police_district_id != district:
        raise NotAllowed
    person = offer.person
    if person is None:
        raise ValidationError(_("The person's data has been erased."))
    if needs_municipality(offer.programme) and home_municipality is None:
        raise ValidationError({"home_municipality": MUNICIPALITY_REQUIRED})
    country = home_municipality.country if home_municipality else "DK"
    if phone:
        try:
            phone = normalise_phone(phone, country)
        except ValidationError as exc:
            raise ValidationError({"phone": exc.messages}) from exc
    wanted = Person(full_name=person.full_name, email=person.email, phone=phone)
    wanted.home_municipality = home_municipality
    changes = person_take_details(
        person=person,
        new=wanted,
        source=PersonDetailChange.Source.CORRECTION,
        actor=actor,
        keep_when_empty=False,
    )
    if not changes:
        return offer
    person.save(update_fields=[c.field for c in changes])
    PersonDetailChange.objects.bulk_create(changes)
    if not Referral.objects.filter(offer=offer).exists():
        before = contribution_of(offer, None)
        offer.home_municipality = person.home_municipality
        offer.save(update_fields=["home_municipality"])
        rollup_change(before, contribution_of(offer, None))
    note_offers([offer], Change.Kind.UPDATED)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        object_type=AuditEvent.ObjectType.PERSON,
        object_id=person.pk,
        person_id=person.pk,
        purpose=AuditEvent.Purpose.CONTACT_DETAILS_CORRECTED,
        detail={"fields": [c.field for c in changes], "offer": offer.pk},
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
    offered_at: dt.datetime | None = None,
    answered_at: dt.datetime | None = None,
) -> Offer:
    """Record the person's answer; a yes with its consent record creates the referral.

    ``offered_at`` and ``answered_at`` (the encounter and the answer) may be given by a system
    that records after the fact: not in the future and not before the day of the offence. The
    referral starts at the answer, so a counsellor present at the interview can record the first
    conversation held there.
    """
    district = _require_police(actor)
    # Lock only the offer row: PostgreSQL refuses FOR UPDATE on the nullable side of the
    # outer join to person.
    offer = (
        Offer.objects.select_for_update(of=("self",))
        .select_related("person", "programme")
        .get(pk=offer.pk)
    )
    if offer.police_district_id != district:
        raise NotAllowed
    person = offer.person
    if person is None:
        raise ValidationError(_("The person's data has been erased."))
    if Referral.objects.filter(offer=offer).exists():
        raise ValidationError(_("This offer has already been accepted and referred."))
    if answer not in Offer.Answer.values or answer == Offer.Answer.NOT_ASKED:
        raise ValidationError({"answer": _("Choose the person's answer.")})
    before = contribution_of(offer, None)  # no referral yet: checked above
    now = timezone.now()
    answered_at = answered_at or now
    offered_at = offered_at or offer.offered_at or answered_at
    _check_encounter_times(offer, offered_at, answered_at)
    if prevention_conversation:
        offer.prevention_conversation = prevention_conversation
    offer.answer = answer
    # Routing and the evaluation's facts follow the person's municipality at the answer.
    offer.home_municipality_id = person.home_municipality_id
    offer.offered_at = offered_at
    offer.answered_at = answered_at
    offer.recorded_by = actor
    referral = None
    if answer == Offer.Answer.YES:
        _require_detention_ready(offer)
        referral = _accept(
            actor=actor,
            offer=offer,
            method=consent_method,
            text=consent_text,
            given_at=consent_given_at or answered_at,
        )
    offer.save()
    note_offers([offer], Change.Kind.UPDATED)
    rollup_change(before, contribution_of(offer, referral))
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


def _check_encounter_times(offer: Offer, offered_at: dt.datetime, answered_at: dt.datetime) -> None:
    errors = {}
    latest = timezone.now() + dt.timedelta(minutes=5)  # clocks of other systems drift a little
    earliest = timezone.make_aware(dt.datetime.combine(offer.offence_date, dt.time.min))
    for name, value in (("offered_at", offered_at), ("answered_at", answered_at)):
        if value > latest:
            errors[name] = _("The time cannot be in the future.")
        elif value < earliest:
            errors[name] = _("The time is before the day of the offence.")
    if not errors and answered_at < offered_at:
        errors["answered_at"] = _("The answer cannot come before the offer was made.")
    if errors:
        raise ValidationError(errors)


def _require_detention_ready(offer: Offer) -> None:
    """[S4]: a detained person's referral tells the partner where the person is held, and
    the offer is made in consultation with the prosecutor. A relative's offer needs neither."""
    if offer.relative_of_id is not None:
        return
    programme = offer.programme
    if programme.for_detained and not offer.detention_facility:
        raise ValidationError(
            {"answer": _("Record the detention facility before the referral is made.")}
        )
    if programme.prosecutor_consultation and not prosecutor_agreed(offer):
        raise ValidationError(
            {"answer": _("The prosecutor has not agreed to the offer. Record the consultation.")}
        )


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
    start = offer.answered_at or timezone.now()
    referral = Referral.objects.create(
        offer=offer,
        programme=offer.programme,
        police_district_id=offer.police_district_id,
        partner=partner,
        created_at=start,
        due_at=start + dt.timedelta(days=offer.programme.contact_deadline_days),
    )
    note_referral(referral, Change.Kind.CREATED)
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
        raise NotAllowed
    if Offer.objects.filter(pk=offer.pk, erased_at__isnull=False).exists():
        raise ValidationError(_("The person's data has been erased; nothing can be recorded."))
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
        note_referral(referral, Change.Kind.WITHDRAWN)
    note_offers([offer], Change.Kind.WITHDRAWN)
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
    """Refuse writes to a withdrawn or erased referral, read from the database under the row
    lock the caller holds (a stale object in hand must not let a write through)."""
    withdrawn_at, erased_at = Offer.objects.filter(referral=referral.pk).values_list(
        "referral__withdrawn_at", "erased_at"
    )[0]
    _refuse_closed(withdrawn_at=withdrawn_at, erased_at=erased_at)


def _refuse_closed(*, withdrawn_at: dt.datetime | None, erased_at: dt.datetime | None) -> None:
    if erased_at is not None:
        # Anything attached after erasure would be personal data kept for ever (issue 15).
        raise ValidationError(_("The person's data has been erased; nothing can be recorded."))
    if withdrawn_at is not None:
        raise ValidationError(_("Consent has been withdrawn; nothing more can be recorded."))


def _locked_open(referral: Referral) -> Referral:
    """The referral locked for a partner's record, with its programme and offer, refused as
    ``_require_open`` refuses, in one statement. The lock makes the referral's columns the
    newest (consent withdrawal locks the same row); the offer's ``erased_at`` is read in the
    same statement, and erasure only ever takes offers whose referral is closed or withdrawn,
    which the locked row shows."""
    referral = referral_locked(referral.pk)
    _refuse_closed(withdrawn_at=referral.withdrawn_at, erased_at=referral.offer.erased_at)
    return referral


@transaction.atomic
def referral_record_attempt(
    *, actor: User, referral: Referral, at: dt.datetime, method: str, reached: bool
) -> ContactAttempt:
    _require_partner(actor, referral)
    referral = _locked_open(referral)
    _check_when(at, referral)
    before = contribution_of(referral.offer, referral)
    if method not in ContactAttempt.Method.values:
        raise ValidationError({"method": _("Choose how the contact was attempted.")})
    police_saw = police_status_code(referral)
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
        rollup_change(before, contribution_of(referral.offer, referral))
    note_referral_work(referral, police_saw)
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
    referral = _locked_open(referral)
    _check_when(at, referral)
    before = contribution_of(referral.offer, referral)
    if step not in referral.programme.outcome_steps:
        raise ValidationError({"step": _("This programme does not use that step.")})
    if referral.status == Referral.Status.CLOSED:
        raise ValidationError(_("The referral is closed."))
    police_saw = police_status_code(referral)
    outcome = OutcomeStep.objects.create(referral=referral, step=step, at=at, recorded_by=actor)
    # A new record has no correction: the answer's ``corrected_by`` needs no query for it.
    OutcomeStep.correction.related.set_cached_value(outcome, None)
    fields = ["last_step", "last_step_at", "status"]
    milestone = MILESTONE.get(Step(step))
    if milestone and getattr(referral, milestone) is None:
        setattr(referral, milestone, at)
        fields.append(milestone)
    if step == Step.FIRST_CONVERSATION and referral.contact_made_at is None:
        referral.contact_made_at = at  # a conversation is contact, even if no attempt was logged
        fields.append("contact_made_at")
    referral.last_step, referral.last_step_at = step, at
    if step in CLOSING_STEPS:
        referral.status, referral.closed_at = Referral.Status.CLOSED, at
        fields.append("closed_at")
    else:
        referral.status = Referral.Status.IN_PROGRESS
    referral.save(update_fields=fields)
    note_referral_work(referral, police_saw)
    rollup_change(before, contribution_of(referral.offer, referral))
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
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
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


# Corrections of what a partner recorded --------------------------------------------------------


def _milestones_recompute(referral: Referral) -> None:
    """The referral's milestones from the records nobody corrected, as if recorded right."""
    before = contribution_of(referral.offer, referral)
    steps = list(referral.steps.filter(correction__isnull=True).order_by("at", "id"))
    reached = referral.attempts.filter(correction__isnull=True, reached=True)
    first = [s.at for s in steps if s.step == Step.FIRST_CONVERSATION]
    further = [s.at for s in steps if s.step == Step.FURTHER_SESSIONS]
    contacts = [a.at for a in reached] + first
    referral.first_conversation_at = min(first, default=None)
    referral.further_sessions_at = min(further, default=None)
    referral.contact_made_at = min(contacts, default=None)
    last = steps[-1] if steps else None
    referral.last_step = last.step if last else ""
    referral.last_step_at = last.at if last else None
    if last is not None and last.step in CLOSING_STEPS:
        referral.status, referral.closed_at = Referral.Status.CLOSED, last.at
    else:
        referral.closed_at = None
        busy = steps or referral.attempts.filter(correction__isnull=True).exists()
        referral.status = Referral.Status.IN_PROGRESS if busy else Referral.Status.NEW
    referral.save()
    rollup_change(before, contribution_of(referral.offer, referral))


def _check_correction(referral: Referral, original: Any, reason: str) -> str:
    if original.referral_id != referral.pk:
        raise NotAllowed
    if hasattr(original, "correction"):
        raise ValidationError(_("This record is already corrected; correct the correction."))
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError({"reason": _("Say why the record is corrected.")})
    return reason


@transaction.atomic
def outcome_step_correct(
    *,
    actor: User,
    referral: Referral,
    original: OutcomeStep,
    step: str,
    at: dt.datetime,
    reason: str,
) -> OutcomeStep:
    """Replace a wrongly recorded step with a correction; the original stays in the history."""
    _require_partner(actor, referral)
    referral = Referral.objects.select_for_update().select_related("programme").get(pk=referral.pk)
    _require_open(referral)
    reason = _check_correction(referral, original, reason)
    _check_when(at, referral)
    if step not in referral.programme.outcome_steps:
        raise ValidationError({"step": _("This programme does not use that step.")})
    police_saw = police_status_code(referral)
    correction = OutcomeStep.objects.create(
        referral=referral, step=step, at=at, recorded_by=actor, corrects=original, reason=reason
    )
    _milestones_recompute(referral)
    note_referral_work(referral, police_saw)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        object_type=AuditEvent.ObjectType.REFERRAL,
        object_id=referral.pk,
        person_id=referral.offer.person_id,
        purpose=AuditEvent.Purpose.OUTCOME_STEP_CORRECTED,
        legal_basis=CONSENT,
        detail={"corrects": original.pk, "was": original.step, "now": step},
    )
    return correction


@transaction.atomic
def contact_attempt_correct(
    *,
    actor: User,
    referral: Referral,
    original: ContactAttempt,
    at: dt.datetime,
    method: str,
    reached: bool,
    reason: str,
) -> ContactAttempt:
    """Replace a wrongly recorded contact attempt; the original stays in the history."""
    _require_partner(actor, referral)
    referral = Referral.objects.select_for_update().select_related("programme").get(pk=referral.pk)
    _require_open(referral)
    reason = _check_correction(referral, original, reason)
    police_saw = police_status_code(referral)
    _check_when(at, referral)
    if method not in ContactAttempt.Method.values:
        raise ValidationError({"method": _("Choose how the contact was attempted.")})
    correction = ContactAttempt.objects.create(
        referral=referral,
        at=at,
        method=method,
        reached=reached,
        recorded_by=actor,
        corrects=original,
        reason=reason,
    )
    _milestones_recompute(referral)
    note_referral_work(referral, police_saw)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        object_type=AuditEvent.ObjectType.REFERRAL,
        object_id=referral.pk,
        person_id=referral.offer.person_id,
        purpose=AuditEvent.Purpose.CONTACT_ATTEMPT_CORRECTED,
        legal_basis=CONSENT,
        detail={"corrects": original.pk},
    )
    return correction


# Detained persons and their relatives ([S4]) -----------------------------------------------


def _require_own_offer(actor: User, offer: Offer) -> None:
    if _require_police(actor) != offer.police_district_id:
        raise NotAllowed


@transaction.atomic
def offer_detention_update(
    *, actor: User, offer: Offer, detention_facility: str, restrictions: str
) -> Offer:
    """Where the detained person is held now (a move between häkten, or to a prison) and the
    restrictions in force; the partner reads them on the referral."""
    _require_own_offer(actor, offer)
    offer.detention_facility = detention_facility.strip()
    offer.restrictions = restrictions.strip()
    offer.save(update_fields=["detention_facility", "restrictions"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        object_type=AuditEvent.ObjectType.OFFER,
        object_id=offer.pk,
        person_id=offer.person_id,
        purpose=AuditEvent.Purpose.DETENTION_FACILITY_RECORDED,
    )
    return offer


@transaction.atomic
def prosecutor_consultation_record(
    *, actor: User, offer: Offer, prosecutor: str, consulted_at: dt.datetime, answer: str
) -> ProsecutorConsultation:
    _require_own_offer(actor, offer)
    errors = {}
    if not offer.programme.prosecutor_consultation:
        raise ValidationError(_("This programme does not consult the prosecutor."))
    if not prosecutor.strip():
        errors["prosecutor"] = _("Name the prosecutor.")
    if answer not in ProsecutorConsultation.Answer.values:
        errors["answer"] = _("Choose the prosecutor's answer.")
    if consulted_at > timezone.now() + dt.timedelta(minutes=5):
        errors["consulted_at"] = _("The time cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    consultation = ProsecutorConsultation.objects.create(
        offer=offer,
        prosecutor=prosecutor.strip(),
        consulted_at=consulted_at,
        answer=answer,
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        object_type=AuditEvent.ObjectType.PROSECUTOR_CONSULTATION,
        object_id=consultation.pk,
        person_id=offer.person_id,
        purpose=AuditEvent.Purpose.PROSECUTOR_CONSULTED,
        detail={"answer": answer},
    )
    return consultation


@transaction.atomic
def relative_offer_register(*, actor: User, offer: Offer, person: Person, relation: str) -> Offer:
    """An offer of support to a relative of the detained person: a person of its own, asked and
    consenting on their own, linked to the detained person's offer."""
    _require_own_offer(actor, offer)
    if not offer.programme.offers_relatives:
        raise ValidationError(_("This programme does not offer support to relatives."))
    if offer.relative_of_id is not None:
        raise ValidationError(_("Add relatives to the detained person's offer."))
    if not relation.strip():
        raise ValidationError({"relation": _("Say how the relative is related.")})
    if person.pk is None:
        person.save()
    relative = offer_build(
        actor=actor,
        programme=offer.programme,
        person=person,
        offence=offer.offence,
        offence_date=offer.offence_date,
        journal_number=offer.journal_number,
    )
    relative.relative_of = offer
    relative.relation = relation.strip()
    relative.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        object_type=AuditEvent.ObjectType.OFFER,
        object_id=relative.pk,
        person_id=person.pk,
        purpose=AuditEvent.Purpose.RELATIVE_OFFER_REGISTERED,
    )
    return relative


@transaction.atomic
def referral_follow_up_set(
    *, actor: User, referral: Referral, next_contact_on: dt.date
) -> Referral:
    """Contact that goes on through a prison term: the referral waits for its next contact in
    the inbox's follow-up tab instead of sitting in progress or overdue."""
    _require_partner(actor, referral)
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    _require_open(referral)
    if referral.status == Referral.Status.CLOSED:
        raise ValidationError(_("The referral is closed."))
    if next_contact_on < timezone.localdate():
        raise ValidationError({"next_contact_on": _("The next contact is in the past.")})
    referral.long_follow_up = True
    referral.next_contact_on = next_contact_on
    if referral.status == Referral.Status.NEW:
        referral.status = Referral.Status.IN_PROGRESS
    referral.save(update_fields=["long_follow_up", "next_contact_on", "status"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        object_type=AuditEvent.ObjectType.REFERRAL,
        object_id=referral.pk,
        person_id=referral.offer.person_id,
        purpose=AuditEvent.Purpose.LONG_FOLLOW_UP_SET,
        legal_basis=CONSENT,
        detail={"next_contact_on": next_contact_on.isoformat()},
    )
    return referral
