"""Writes for konfliktråd / medling. Each checks who acts (the district's coordinator, the case's
mediator, the police proposing), refuses moves the table in ``rules.py`` does not allow and
preconditions the acts set, writes its audit row in the same transaction and keeps the case's
name-free figures row in step."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from sporskifte.accounts.access import membership_of, police_district_of
from sporskifte.accounts.models import Membership, Role
from sporskifte.audit.models import AuditEvent
from sporskifte.audit.services import audit_record
from sporskifte.mediation import notices
from sporskifte.mediation.letters import MediationLetter, letter_html
from sporskifte.mediation.models import (
    CLOSED_STATES,
    MAX_RETENTION_DAYS,
    MIN_RETENTION_DAYS,
    Agreement,
    CaseFigures,
    Consent,
    ConsentText,
    CustodyHolder,
    DeclaredRelation,
    EndReason,
    Letter,
    MediationCase,
    MediatorNote,
    MediatorProfile,
    Meeting,
    OffenceCategory,
    Party,
    PreMeeting,
    SatisfactionAnswer,
    SatisfactionLink,
    Settings,
    Source,
    State,
    Supporter,
    Term,
)
from sporskifte.mediation.roles import coordinator_district_of, mediator_district_of
from sporskifte.mediation.rules import (
    IllegalMove,
    Move,
    missing_for_mediation,
    needs_custody_holder,
    next_state,
    refusal_for_state,
)
from sporskifte.people.models import Person

if TYPE_CHECKING:
    from sporskifte.accounts.models import User
    from sporskifte.organisations.models import Municipality, Organisation
    from sporskifte.referrals.models import Offence

OBJ = AuditEvent.ObjectType
PURPOSE = AuditEvent.Purpose
SATISFACTION_LINK_DAYS = 30

# Offence code → category for the figures (DOMAIN §6: violence, robbery, burglary and neighbour
# disputes are the largest groups). A neighbour dispute is marked on the proposal itself.
CATEGORY_OF_CODE = {
    "STRL244": OffenceCategory.VIOLENCE,
    "BRB-3-5": OffenceCategory.VIOLENCE,
    "STRL288": OffenceCategory.ROBBERY,
    "BRB-8-5": OffenceCategory.ROBBERY,
    "STRL276": OffenceCategory.BURGLARY,
    "BRB-8-1": OffenceCategory.BURGLARY,
    "STRL291": OffenceCategory.VANDALISM,
    "BRB-12-1": OffenceCategory.VANDALISM,
    "STRL266": OffenceCategory.THREATS,
    "BRB-4-5": OffenceCategory.THREATS,
}


def legal_basis(case: MediationCase) -> str:
    return "medlingslagen" if case.country == "SE" else "konfliktrådsloven"


# Who acts ------------------------------------------------------------------------------------


def is_coordinator(actor: User, case: MediationCase) -> bool:
    return coordinator_district_of(actor) == case.district_id


def is_case_mediator(actor: User, case: MediationCase) -> bool:
    return mediator_district_of(actor) == case.district_id and case.mediator_id == actor.pk


def _require(
    actor: User, case: MediationCase, *, coordinator: bool = True, mediator: bool = True
) -> None:
    if coordinator and is_coordinator(actor, case):
        return
    if mediator and is_case_mediator(actor, case):
        return
    raise PermissionDenied


def _audit(
    actor: User | None,
    action: str,
    object_type: str,
    obj: Any,
    case: MediationCase,
    purpose: str,
    person_id: int | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    audit_record(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=obj.pk,
        person_id=person_id,
        purpose=purpose,
        legal_basis=legal_basis(case),
        detail=detail,
    )


def _audit_parties(actor: User, case: MediationCase, purpose: str, obj: Any = None) -> None:
    """One row per person in the case: each party's log shows the change."""
    obj = obj or case
    people: list[int | None] = [p.person_id for p in case.parties.all() if p.person_id] or [None]
    for person_id in people:
        _audit(actor, AuditEvent.Action.UPDATE, OBJ.MEDIATION_CASE, obj, case, purpose, person_id)


# Moves and figures ---------------------------------------------------------------------------


def age_band(age: int | None) -> str:
    if age is None:
        return ""
    for upper, label in ((12, "0-11"), (15, "12-14"), (18, "15-17"), (25, "18-24")):
        if age < upper:
            return label
    return "25+"


def figures_refresh(case: MediationCase) -> None:
    """Rewrite the case's name-free figures row from the case as it now stands."""
    parties = list(case.parties.select_related("person").prefetch_related("consents"))
    ages = [p.age_at_offence for p in parties if p.role == Party.Role.OFFENDER]
    known = [a for a in ages if a is not None]
    meeting = case.meetings.filter(status=Meeting.Status.HELD).order_by("starts_at").first()
    agreement = Agreement.objects.filter(case=case).first()
    kept = None
    if agreement is not None:
        statuses = set(agreement.terms.values_list("status", flat=True))
        if statuses and Term.Status.OPEN not in statuses:
            kept = statuses == {Term.Status.KEPT}
    both = bool(parties) and all(
        any(c.withdrawn_at is None and c.custody_holder_id is None for c in p.consents.all())
        for p in parties
    )
    if case.state == State.WITHDRAWN:
        # A withdrawal screens nothing: a case withdrawn before screening stays unscreened.
        suitable = CaseFigures.objects.filter(case=case).values_list("suitable", flat=True).first()
    else:
        suitable = None if case.state == State.PROPOSED else case.state != State.UNSUITABLE
    CaseFigures.objects.update_or_create(
        case=case,
        defaults={
            "district_id": case.district_id,
            "year": timezone.localtime(case.proposed_at).year,
            "source": case.source,
            "category": case.category,
            "age_band": age_band(min(known)) if known else "",
            "suitable": suitable,
            "both_consented": both,
            "meeting_held": meeting is not None,
            "agreement_made": agreement is not None,
            "agreement_kept": kept,
            "days_to_meeting": (
                max(0, (meeting.starts_at.date() - case.proposed_at.date()).days)
                if meeting
                else None
            ),
            "end_reason": case.end_reason,
        },
    )


def _move(actor: User, case: MediationCase, move: str) -> None:
    try:
        new = next_state(case.state, move)
    except IllegalMove:
        raise ValidationError(refusal_for_state(case.state)) from None
    old = case.state
    case.state = new
    case.state_changed_at = timezone.now()
    if new in CLOSED_STATES:
        case.closed_at = case.state_changed_at
    case.save()
    _audit(
        actor,
        AuditEvent.Action.UPDATE,
        OBJ.MEDIATION_CASE,
        case,
        case,
        PURPOSE.MEDIATION_STATE_CHANGED,
        detail={"from": old, "to": new, "move": move},
    )
    figures_refresh(case)


def _require_conditions(case: MediationCase) -> None:
    reasons = missing_for_mediation(case)
    if reasons:
        raise ValidationError(reasons)


# Proposals -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartyInput:
    role: str
    person: Person | None = None  # unsaved, from people.services.person_build
    organisation_name: str = ""


def _proposer_source(
    actor: User, district: Organisation, source: str
) -> tuple[str, Organisation | None]:
    membership = membership_of(actor)
    if membership is None:
        raise PermissionDenied
    org = membership.organisation
    if police_district_of(actor) is not None:
        if police_district_of(actor) != district.pk:
            raise PermissionDenied
        return Source.POLICE, org
    if coordinator_district_of(actor) == district.pk:
        return source, org
    if membership.role in (Role.MEDIATOR,) or actor.is_service:
        raise PermissionDenied
    if source == Source.POLICE:
        raise ValidationError({"source": _("Only the police propose as the police.")})
    return source, org


@transaction.atomic
def proposal_create(
    *,
    actor: User,
    district: Organisation,
    offence: Offence,
    offence_date: dt.date,
    journal_number: str = "",
    summary: str = "",
    source: str = Source.OTHER,
    area: Municipality | None = None,
    neighbour_dispute: bool = False,
    proposer_name: str = "",
    parties: Sequence[PartyInput] = (),
    purpose: str = PURPOSE.MEDIATION_PROPOSED,
) -> MediationCase:
    """A proposal from the police (from a case or their system through the API) or from
    another organisation (the form)."""
    source, org = _proposer_source(actor, district, source)
    errors: dict[str, str] = {}
    if source not in Source.values:
        errors["source"] = _("Choose who proposes the case.")
    if offence.country != district.country:
        errors["offence"] = _("Choose an offence of the district's country.")
    if offence_date > timezone.localdate():
        errors["offence_date"] = _("The date of the offence is in the future.")
    if source == Source.POLICE and not journal_number.strip():
        errors["journal_number"] = _("The police give the journal number of the case.")
    if area is not None and area.police_district_id != district.pk:
        errors["area"] = _("Choose a municipality of the district.")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    case = MediationCase.objects.create(
        district=district,
        country=district.country,
        area=area,
        journal_number=journal_number.strip(),
        offence=offence,
        offence_date=offence_date,
        summary=summary.strip(),
        source=source,
        proposed_by=actor,
        proposer_organisation=org,
        proposer_name=(proposer_name or actor.get_full_name() or actor.username)[:200],
        state_changed_at=now,
        category=(
            OffenceCategory.NEIGHBOUR
            if neighbour_dispute
            else CATEGORY_OF_CODE.get(offence.code, OffenceCategory.OTHER)
        ),
    )
    _audit(actor, AuditEvent.Action.CREATE, OBJ.MEDIATION_CASE, case, case, purpose)
    for p in parties:
        _party_create(actor, case, p)
    figures_refresh(case)
    return case


def _party_create(actor: User, case: MediationCase, data: PartyInput) -> Party:
    if data.role not in Party.Role.values:
        raise ValidationError({"role": _("Choose offender or victim.")})
    name = " ".join(data.organisation_name.split())
    if (data.person is None) == (not name):
        raise ValidationError(
            {"full_name": _("Give either a person or an organisation (a shop, a school).")}
        )
    person = data.person
    if person is not None:
        if person.pk is not None or person.police_district_id != case.district_id:
            raise PermissionDenied
        if person.birth_date and person.birth_date > case.offence_date:
            raise ValidationError({"birth_date": _("The person was born after the offence.")})
        person.register = Person.Register.MEDIATION  # never matched with other registers
        person.save()
    party = Party.objects.create(case=case, role=data.role, person=person, organisation_name=name)
    _audit(
        actor,
        AuditEvent.Action.CREATE,
        OBJ.MEDIATION_PARTY,
        party,
        case,
        PURPOSE.MEDIATION_PARTY_ADDED,
        person_id=party.person_id,
    )
    return party


@transaction.atomic
def party_add(*, actor: User, case: MediationCase, data: PartyInput) -> Party:
    _require(actor, case, mediator=False)
    if case.is_closed:
        raise ValidationError(refusal_for_state(case.state))
    party = _party_create(actor, case, data)
    figures_refresh(case)
    return party


@transaction.atomic
def custody_holder_add(
    *, actor: User, party: Party, full_name: str, phone: str = ""
) -> CustodyHolder:
    case = party.case
    _require(actor, case)
    full_name = " ".join(full_name.split())
    if not full_name:
        raise ValidationError({"full_name": _("The name is required.")})
    if not needs_custody_holder(party):
        raise ValidationError(
            {
                "full_name": _("%(name)s is 18 or over and decides alone: no custody holder.")
                % {"name": party.name}
            }
        )
    holder = CustodyHolder.objects.create(party=party, full_name=full_name, phone=phone.strip())
    _audit(
        actor,
        AuditEvent.Action.CREATE,
        OBJ.MEDIATION_PARTY,
        party,
        case,
        PURPOSE.MEDIATION_PARTY_ADDED,
        party.person_id,
    )
    return holder


@transaction.atomic
def supporter_add(*, actor: User, party: Party, full_name: str) -> Supporter:
    """Lov om konfliktråd § 1, 2. pkt.: the mediator may let others take part. By name only."""
    case = party.case
    _require(actor, case)
    full_name = " ".join(full_name.split())
    if not full_name:
        raise ValidationError({"full_name": _("The name is required.")})
    supporter = Supporter.objects.create(party=party, full_name=full_name)
    _audit(
        actor,
        AuditEvent.Action.CREATE,
        OBJ.MEDIATION_PARTY,
        party,
        case,
        PURPOSE.MEDIATION_PARTY_ADDED,
        party.person_id,
    )
    return supporter


# Screening and contact -----------------------------------------------------------------------


@transaction.atomic
def case_screen(*, actor: User, case: MediationCase, suitable: bool, note: str = "") -> None:
    _require(actor, case, mediator=False)
    if not suitable and not note.strip():
        raise ValidationError({"note": _("Give the reason the case is unsuitable.")})
    case.screening_note = note.strip()
    _move(actor, case, Move.SCREEN_SUITABLE if suitable else Move.SCREEN_UNSUITABLE)


@transaction.atomic
def case_contact(*, actor: User, case: MediationCase) -> None:
    _require(actor, case, mediator=False)
    Party.objects.filter(case=case, contacted_at__isnull=True).update(contacted_at=timezone.now())
    _move(actor, case, Move.CONTACT)


@transaction.atomic
def case_ask_consent(*, actor: User, case: MediationCase) -> None:
    _require(actor, case, mediator=False)
    _move(actor, case, Move.ASK_CONSENT)


@transaction.atomic
def case_mark_ready(*, actor: User, case: MediationCase) -> None:
    _require(actor, case, mediator=False)
    if case.state == State.AWAITING_CONSENT:
        _require_conditions(case)
    _move(actor, case, Move.MARK_READY)


# Consent, confession and the Swedish conditions ---------------------------------------------


def consent_text_current(district_id: int) -> ConsentText | None:
    return ConsentText.objects.filter(district_id=district_id).order_by("-version").first()


@transaction.atomic
def consent_text_publish(*, actor: User, district_id: int, text: str) -> ConsentText:
    """A new version; consents already given keep pointing to the version they were given
    under (``Consent.text``), which is never changed."""
    if coordinator_district_of(actor) != district_id:
        raise PermissionDenied
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write the consent text.")})
    # The row lock makes two coordinators publishing at once get versions n+1 and n+2.
    current = (
        ConsentText.objects.select_for_update()
        .filter(district_id=district_id)
        .order_by("-version")
        .first()
    )
    if current is not None and current.text == text:
        raise ValidationError({"text": _("The text is the same as the current version.")})
    version = ConsentText.objects.create(
        district_id=district_id,
        version=(current.version + 1) if current else 1,
        text=text,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CONFIGURE,
        object_type=OBJ.MEDIATION_CONSENT_TEXT,
        object_id=version.pk,
        purpose=PURPOSE.MEDIATION_CONSENT_TEXT_PUBLISHED,
        detail={"version": version.version},
    )
    return version


def district_settings(district_id: int) -> Settings:
    """The district's settings as they stand (defaults until the coordinator changes one)."""
    return Settings.objects.filter(district_id=district_id).first() or Settings(
        district_id=district_id
    )


@transaction.atomic
def retention_set(*, actor: User, district_id: int, retention_days: int) -> Settings:
    """How long the district keeps a closed case before it is erased (``retention.py``)."""
    if coordinator_district_of(actor) != district_id:
        raise PermissionDenied
    if not MIN_RETENTION_DAYS <= retention_days <= MAX_RETENTION_DAYS:
        raise ValidationError(
            {
                "retention_days": _("Choose between %(low)d and %(high)d days (one to five years).")
                % {"low": MIN_RETENTION_DAYS, "high": MAX_RETENTION_DAYS}
            }
        )
    current = district_settings(district_id)
    old = current.retention_days
    settings_row, _created = Settings.objects.update_or_create(
        district_id=district_id, defaults={"retention_days": retention_days}
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CONFIGURE,
        object_type=OBJ.MEDIATION_SETTINGS,
        object_id=settings_row.pk,
        purpose=PURPOSE.MEDIATION_RETENTION_CHANGED,
        detail={"from": old, "to": retention_days},
    )
    return settings_row


@transaction.atomic
def consent_record(
    *,
    actor: User,
    party: Party,
    method: str,
    given_at: dt.datetime | None = None,
    custody_holder: CustodyHolder | None = None,
) -> Consent:
    case = party.case
    _require(actor, case)
    if case.is_closed:
        raise ValidationError(refusal_for_state(case.state))
    given_at = given_at or timezone.now()
    if method not in Consent.Method.values:
        raise ValidationError({"method": _("Choose how the consent was given.")})
    if given_at > timezone.now():
        raise ValidationError({"given_at": _("The consent cannot be given in the future.")})
    if custody_holder is not None:
        if custody_holder.party_id != party.pk:
            raise ValidationError({"custody_holder": _("Choose a custody holder of this party.")})
        if not needs_custody_holder(party, timezone.localdate(given_at)):
            # § 2, stk. 2 covers children and young people under 18 only: an adult consents alone.
            raise ValidationError(
                {
                    "custody_holder": _(
                        "%(name)s is 18 or over: a custody holder's consent is not recorded."
                    )
                    % {"name": party.name}
                }
            )
    text = consent_text_current(case.district_id)
    if text is None:
        raise ValidationError(
            _("The district has no consent text yet. The coordinator writes it first.")
        )
    consent = Consent.objects.create(
        party=party,
        custody_holder=custody_holder,
        text=text,
        method=method,
        given_at=given_at,
        taken_by=actor,
    )
    _audit(
        actor,
        AuditEvent.Action.CREATE,
        OBJ.MEDIATION_CONSENT,
        consent,
        case,
        PURPOSE.MEDIATION_CONSENT_RECORDED,
        party.person_id,
    )
    figures_refresh(case)
    return consent


@transaction.atomic
def confession_record(*, actor: User, party: Party) -> None:
    """DK § 2, stk. 3 (substantially confessed); SE 5 § (admitted the act or taking part)."""
    case = party.case
    _require(actor, case)
    if party.role != Party.Role.OFFENDER:
        raise ValidationError(_("Only an offender confesses."))
    party.admitted_at = timezone.now()
    party.admitted_recorded_by = actor
    party.save(update_fields=["admitted_at", "admitted_recorded_by"])
    _audit(
        actor,
        AuditEvent.Action.UPDATE,
        OBJ.MEDIATION_PARTY,
        party,
        case,
        PURPOSE.MEDIATION_CONFESSION_RECORDED,
        party.person_id,
    )


@transaction.atomic
def swedish_conditions_record(
    *,
    actor: User,
    case: MediationCase,
    police_report_number: str = "",
    investigation_closed: bool = False,
    ful_name: str = "",
    ful_consulted_at: dt.datetime | None = None,
    ful_answer: str = "",
    special_reasons: str = "",
) -> None:
    _require(actor, case)
    if case.country != "SE":
        raise ValidationError(_("These conditions belong to Swedish medling."))
    if ful_name.strip() and ful_consulted_at is None:
        raise ValidationError(
            {"ful_consulted_at": _("Give when the förundersökningsledare was consulted.")}
        )
    if ful_consulted_at and ful_consulted_at > timezone.now():
        raise ValidationError({"ful_consulted_at": _("The consultation cannot be in the future.")})
    case.police_report_number = police_report_number.strip()
    case.investigation_closed = investigation_closed
    case.ful_name = ful_name.strip()
    case.ful_consulted_at = ful_consulted_at
    case.ful_answer = ful_answer.strip()
    case.special_reasons = special_reasons.strip()
    case.save()
    _audit(
        actor,
        AuditEvent.Action.UPDATE,
        OBJ.MEDIATION_CASE,
        case,
        case,
        PURPOSE.MEDIATION_CONDITIONS_RECORDED,
    )


# Mediators -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MediatorChoice:
    user: User
    open_cases: int
    in_area: bool
    refusal: str  # empty when the mediator may take the case
    suggested: bool = False


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def mediator_refusal(
    profile: MediatorProfile, case: MediationCase, relations: list[DeclaredRelation]
) -> str:
    parties = list(case.parties.all())
    names = {_norm(p.name) for p in parties}
    numbers = {p.person.id_number for p in parties if p.person is not None and p.person.id_number}
    for r in relations:
        if _norm(r.full_name) in names or (r.id_number and r.id_number in numbers):
            return _("Has a declared relation to a party.")
    employer = _norm(profile.employer)
    if employer and any(
        _norm(p.organisation_name) == employer for p in parties if p.organisation_name
    ):
        return _("Works for a party's organisation.")
    return ""


def mediator_choices(case: MediationCase) -> list[MediatorChoice]:
    """The district's mediators with their open cases; the one with the fewest open cases in the
    case's area, among those who may take it, is suggested. Three queries whatever the number."""
    from django.db.models import Count, Q

    memberships = Membership.objects.filter(
        role=Role.MEDIATOR, organisation__parent_id=case.district_id, user__is_active=True
    )
    profiles = (
        MediatorProfile.objects.filter(user__in=memberships.values("user"))
        .select_related("user")
        .prefetch_related("areas", "relations")
    )
    counts = dict(
        MediationCase.objects.filter(mediator__in=memberships.values("user"))
        .exclude(state__in=CLOSED_STATES)
        .values_list("mediator")
        .annotate(n=Count("pk", filter=~Q(state__in=CLOSED_STATES)))
    )
    rows = []
    for profile in profiles:
        in_area = case.area_id is not None and any(
            a.pk == case.area_id for a in profile.areas.all()
        )
        rows.append(
            MediatorChoice(
                user=profile.user,
                open_cases=counts.get(profile.user_id, 0),
                in_area=in_area,
                refusal=mediator_refusal(profile, case, list(profile.relations.all())),
            )
        )
    eligible = [r for r in rows if not r.refusal]
    best = min(eligible, key=lambda r: (not r.in_area, r.open_cases, r.user.pk), default=None)
    rows = [MediatorChoice(**{**vars(r), "suggested": r is best}) for r in rows]
    return sorted(
        rows, key=lambda r: (not r.suggested, bool(r.refusal), r.open_cases, r.user.username)
    )


@transaction.atomic
def mediator_assign(*, actor: User, case: MediationCase, mediator: User) -> None:
    _require(actor, case, mediator=False)
    if case.state not in (State.READY, State.ASSIGNED):
        raise ValidationError(refusal_for_state(case.state))
    _require_conditions(case)
    choice = next((c for c in mediator_choices(case) if c.user.pk == mediator.pk), None)
    if choice is None:
        raise ValidationError({"mediator": _("Choose one of the district's mediators.")})
    if choice.refusal:
        raise ValidationError({"mediator": choice.refusal})
    case.mediator = mediator
    _move(actor, case, Move.ASSIGN)
    _audit(
        actor,
        AuditEvent.Action.UPDATE,
        OBJ.MEDIATION_CASE,
        case,
        case,
        PURPOSE.MEDIATOR_ASSIGNED,
        detail={"mediator": mediator.pk},
    )


# Meetings ------------------------------------------------------------------------------------


@transaction.atomic
def pre_meeting_record(*, actor: User, party: Party, held_on: dt.date) -> PreMeeting:
    """2002:445: separate pre-meetings with each party come first (practice in both countries)."""
    case = party.case
    _require(actor, case)
    if case.is_closed:
        raise ValidationError(refusal_for_state(case.state))
    if held_on > timezone.localdate():
        raise ValidationError(
            {"held_on": _("A pre-meeting that took place cannot be in the future.")}
        )
    pre = PreMeeting.objects.create(case=case, party=party, held_on=held_on)
    _audit(
        actor,
        AuditEvent.Action.CREATE,
        OBJ.MEDIATION_MEETING,
        pre,
        case,
        PURPOSE.MEDIATION_PRE_MEETING,
        party.person_id,
    )
    return pre


@transaction.atomic
def meeting_book(
    *, actor: User, case: MediationCase, kind: str, place: str, starts_at: dt.datetime
) -> Meeting:
    _require(actor, case)
    if case.state != State.ASSIGNED:
        raise ValidationError(refusal_for_state(case.state))
    errors = {}
    if kind not in Meeting.Kind.values:
        errors["kind"] = _("Choose the kind of meeting.")
    if not place.strip():
        errors["place"] = _("Give the neutral place of the meeting.")
    if errors:
        raise ValidationError(errors)
    meeting = Meeting.objects.create(case=case, kind=kind, place=place.strip(), starts_at=starts_at)
    _move(actor, case, Move.BOOK_MEETING)
    _audit(
        actor,
        AuditEvent.Action.CREATE,
        OBJ.MEDIATION_MEETING,
        meeting,
        case,
        PURPOSE.MEDIATION_MEETING_BOOKED,
    )
    return meeting


@transaction.atomic
def meeting_cancel(*, actor: User, meeting: Meeting) -> None:
    case = meeting.case
    _require(actor, case)
    if meeting.status != Meeting.Status.BOOKED:
        raise ValidationError(_("Only a booked meeting can be cancelled."))
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CANCELLED)
    _move(actor, case, Move.CANCEL_MEETING)
    _audit(
        actor,
        AuditEvent.Action.UPDATE,
        OBJ.MEDIATION_MEETING,
        meeting,
        case,
        PURPOSE.MEDIATION_MEETING_CANCELLED,
    )


@transaction.atomic
def meeting_hold(
    *, actor: User, meeting: Meeting, attendees: Sequence[Party], others_present: str = ""
) -> None:
    case = meeting.case
    _require(actor, case)
    if meeting.status != Meeting.Status.BOOKED or case.state != State.MEETING_BOOKED:
        raise ValidationError(refusal_for_state(case.state))
    if meeting.starts_at > timezone.now():
        raise ValidationError({"attendees": _("The meeting has not taken place yet.")})
    if not attendees or any(p.case_id != case.pk for p in attendees):
        raise ValidationError({"attendees": _("Choose the parties of this case who attended.")})
    _require_conditions(case)  # consent may have been withdrawn since the assignment
    meeting.status = Meeting.Status.HELD
    meeting.others_present = others_present.strip()
    meeting.save()
    meeting.attendees.set(attendees)
    _move(actor, case, Move.HOLD_MEETING)
    _audit(
        actor,
        AuditEvent.Action.UPDATE,
        OBJ.MEDIATION_MEETING,
        meeting,
        case,
        PURPOSE.MEDIATION_MEETING_HELD,
    )


# Outcome -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TermInput:
    kind: str
    description: str
    due_on: dt.date
    amount: Decimal | None = None


@transaction.atomic
def agreement_record(
    *, actor: User, case: MediationCase, text: str, terms: Sequence[TermInput]
) -> Agreement:
    _require(actor, case)
    if case.state != State.MEETING_HELD:
        raise ValidationError(refusal_for_state(case.state))
    held = case.meetings.filter(status=Meeting.Status.HELD).order_by("-starts_at").first()
    assert held is not None
    meeting_day = timezone.localdate(held.starts_at)
    errors: dict[str, list[str]] = {}
    if not text.strip():
        errors.setdefault("text", []).append(_("Write what the parties agreed."))
    if not terms:
        errors.setdefault("terms", []).append(_("An agreement has at least one term."))
    for t in terms:
        if t.kind not in Term.Kind.values:
            errors.setdefault("terms", []).append(_("Choose the kind of each term."))
        if t.due_on < meeting_day:
            errors.setdefault("terms", []).append(
                _("A term cannot fall due before the meeting (%(day)s).")
                % {"day": meeting_day.isoformat()}
            )
        if t.kind == Term.Kind.PAYMENT and (t.amount is None or t.amount <= 0):
            errors.setdefault("terms", []).append(_("A payment needs an amount above zero."))
        if not t.description.strip():
            errors.setdefault("terms", []).append(_("Describe each term."))
    if errors:
        raise ValidationError(errors)
    agreement = Agreement.objects.create(case=case, text=text.strip(), made_on=meeting_day)
    Term.objects.bulk_create(
        Term(
            agreement=agreement,
            kind=t.kind,
            description=t.description.strip(),
            due_on=t.due_on,
            amount=t.amount,
        )
        for t in terms
    )
    _move(actor, case, Move.RECORD_AGREEMENT)
    _audit(
        actor,
        AuditEvent.Action.CREATE,
        OBJ.MEDIATION_AGREEMENT,
        agreement,
        case,
        PURPOSE.MEDIATION_AGREEMENT_RECORDED,
    )
    return agreement


@transaction.atomic
def no_agreement_record(*, actor: User, case: MediationCase) -> None:
    _require(actor, case)
    _move(actor, case, Move.NO_AGREEMENT)


@transaction.atomic
def term_mark(*, actor: User, term: Term, kept: bool) -> None:
    case = term.agreement.case
    _require(actor, case)
    if case.state != State.AGREEMENT:
        raise ValidationError(refusal_for_state(case.state))
    term.status = Term.Status.KEPT if kept else Term.Status.NOT_KEPT
    term.marked_at = timezone.now()
    term.save(update_fields=["status", "marked_at"])
    _audit(
        actor,
        AuditEvent.Action.UPDATE,
        OBJ.MEDIATION_AGREEMENT,
        term.agreement,
        case,
        PURPOSE.MEDIATION_TERM_MARKED,
        detail={"term": term.pk, "kept": kept},
    )
    if not term.agreement.terms.filter(status=Term.Status.OPEN).exists():
        _move(actor, case, Move.TERMS_SETTLED)
    else:
        figures_refresh(case)


@transaction.atomic
def file_yes_record(*, actor: User, party: Party) -> None:
    """The party's yes to the agreement going into the police case file ([S2] §6.6)."""
    case = party.case
    _require(actor, case)
    party.file_yes_at = timezone.now()
    party.save(update_fields=["file_yes_at"])
    _audit(
        actor,
        AuditEvent.Action.UPDATE,
        OBJ.MEDIATION_PARTY,
        party,
        case,
        PURPOSE.MEDIATION_FILE_YES,
        party.person_id,
    )


def both_said_yes_to_file(case: MediationCase) -> bool:
    parties = list(case.parties.all())
    return bool(parties) and all(p.file_yes_at is not None for p in parties)


# Withdrawal and ending -----------------------------------------------------------------------


@transaction.atomic
def case_withdraw(*, actor: User, party: Party, note: str = "") -> None:
    """A party withdraws consent (DK § 3, stk. 3; SE: voluntary throughout): the case ends, a
    booked meeting is cancelled, the mediator and coordinator are told after the commit."""
    case = party.case
    _require(actor, case)
    now = timezone.now()
    party.withdrew_at = now
    party.save(update_fields=["withdrew_at"])
    Consent.objects.filter(party=party, withdrawn_at__isnull=True).update(withdrawn_at=now)
    for meeting in case.meetings.filter(status=Meeting.Status.BOOKED):
        meeting.status = Meeting.Status.CANCELLED
        meeting.save(update_fields=["status"])
        _audit(
            actor,
            AuditEvent.Action.UPDATE,
            OBJ.MEDIATION_MEETING,
            meeting,
            case,
            PURPOSE.MEDIATION_MEETING_CANCELLED,
        )
    case.end_reason = (
        EndReason.OFFENDER_WITHDREW
        if party.role == Party.Role.OFFENDER
        else EndReason.VICTIM_WITHDREW
    )
    case.end_note = note.strip()
    _move(actor, case, Move.WITHDRAW)
    _audit(
        actor,
        AuditEvent.Action.UPDATE,
        OBJ.MEDIATION_PARTY,
        party,
        case,
        PURPOSE.MEDIATION_WITHDRAWN,
        party.person_id,
    )
    notices.withdrawal_notice(case.pk)


@transaction.atomic
def case_end(*, actor: User, case: MediationCase, note: str) -> None:
    """The mediator ends the mediation (DK § 3, stk. 3) with a reason."""
    _require(actor, case, coordinator=False)
    if not note.strip():
        raise ValidationError({"note": _("Give the reason the mediation ends.")})
    case.end_reason = EndReason.MEDIATOR_ENDED
    case.end_note = note.strip()
    _move(actor, case, Move.END)
    _audit(actor, AuditEvent.Action.UPDATE, OBJ.MEDIATION_CASE, case, case, PURPOSE.MEDIATION_ENDED)


# Notes ---------------------------------------------------------------------------------------


@transaction.atomic
def note_write(*, actor: User, case: MediationCase, text: str) -> MediatorNote:
    """§ 5: the mediator's notes are theirs alone; not even the coordinator writes or reads them."""
    _require(actor, case, coordinator=False)
    if not text.strip():
        raise ValidationError({"text": _("Write the note.")})
    note = MediatorNote.objects.create(case=case, author=actor, text=text.strip())
    _audit(
        actor,
        AuditEvent.Action.CREATE,
        OBJ.MEDIATION_NOTE,
        note,
        case,
        PURPOSE.MEDIATION_NOTE_WRITTEN,
    )
    return note


# Satisfaction --------------------------------------------------------------------------------

QUESTIONS = ("got_what_wanted", "fair", "successful", "good_service")


def _answers_create(
    case: MediationCase, channel: str, answers: dict[str, bool]
) -> SatisfactionAnswer:
    if set(answers) != set(QUESTIONS) or not all(isinstance(v, bool) for v in answers.values()):
        raise ValidationError(_("Answer all four questions."))
    return SatisfactionAnswer.objects.create(
        district_id=case.district_id,
        # The year the answer is given: a year's figures are shown once it is over, and then
        # no later answer changes them (mediation.figures).
        year=timezone.localdate().year,
        category=case.category,
        channel=channel,
        **answers,
    )


def _require_meeting_held(case: MediationCase) -> None:
    if not case.meetings.filter(status=Meeting.Status.HELD).exists():
        raise ValidationError(_("The parties answer after the meeting."))


@transaction.atomic
def satisfaction_paper(*, actor: User, case: MediationCase, answers: dict[str, bool]) -> None:
    """A paper form entered by the mediator. Not audited per answer: nothing names a person."""
    _require(actor, case, coordinator=False)
    _require_meeting_held(case)
    _answers_create(case, SatisfactionAnswer.Channel.PAPER, answers)


@transaction.atomic
def satisfaction_link_create(*, actor: User, case: MediationCase) -> str:
    """A one-time link; the token is shown once and only its digest kept."""
    _require(actor, case, coordinator=False)
    _require_meeting_held(case)
    token = secrets.token_urlsafe(24)
    SatisfactionLink.objects.create(
        case=case,
        digest=SatisfactionLink.digest_of(token),
        expires_at=timezone.now() + dt.timedelta(days=SATISFACTION_LINK_DAYS),
    )
    return token


def satisfaction_link_valid(token: str) -> SatisfactionLink | None:
    return (
        SatisfactionLink.objects.select_related("case")
        .filter(digest=SatisfactionLink.digest_of(token), used=False, expires_at__gt=timezone.now())
        .first()
    )


@transaction.atomic
def satisfaction_by_link(*, token: str, answers: dict[str, bool]) -> None:
    link = satisfaction_link_valid(token)
    if link is None:
        raise ValidationError(_("The link has been used or has expired."))
    # Mark the link used in the same statement that checks it: two submits cannot both count.
    if not SatisfactionLink.objects.filter(pk=link.pk, used=False).update(used=True):
        raise ValidationError(_("The link has been used or has expired."))
    _answers_create(link.case, SatisfactionAnswer.Channel.LINK, answers)


# Letters --------------------------------------------------------------------------------------


def _letter_content(actor: User, party: Party, kind: str) -> MediationLetter:
    case = party.case
    meeting = case.meetings.exclude(status=Meeting.Status.CANCELLED).order_by("-starts_at").first()
    agreement = Agreement.objects.filter(case=case).first()
    if kind == Letter.Kind.INVITATION and meeting is None:
        raise ValidationError({"kind": _("Book the meeting before inviting to it.")})
    if kind == Letter.Kind.CONFIRMATION and agreement is None:
        raise ValidationError({"kind": _("There is no agreement to confirm.")})
    if kind not in Letter.Kind.values:
        raise ValidationError({"kind": _("Choose the letter.")})
    language = "sv" if case.country == "SE" else "da"
    with override(language):
        terms = (
            [(str(Term.Kind(t.kind).label), t.description, t.due_on) for t in agreement.terms.all()]
            if agreement
            else []
        )
    return MediationLetter(
        kind=kind,
        country=case.country,
        recipient=party.name,
        reference=case.reference,
        district_name=case.district.name,
        offence_date=case.offence_date,
        date=timezone.localdate(),
        sender_name=actor.get_full_name() or actor.username,
        meeting_place=meeting.place if meeting else "",
        meeting_at=timezone.localtime(meeting.starts_at) if meeting else None,
        agreement_text=agreement.text if agreement else "",
        terms=terms,
    )


def letter_generate(*, actor: User, party: Party, kind: str) -> Letter:
    """Render the PDF (outside the transaction: the layout takes a while) and store it."""
    case = party.case
    _require(actor, case)
    from sporskifte.concerns.pdf import render_html  # WeasyPrint loads only when needed

    content = _letter_content(actor, party, kind)
    pdf = render_html(letter_html(content)).pdf
    return _letter_store(actor=actor, party=party, kind=kind, pdf=pdf, language=content.country)


@transaction.atomic
def _letter_store(*, actor: User, party: Party, kind: str, pdf: bytes, language: str) -> Letter:
    case = party.case
    letter = Letter.objects.create(
        case=case,
        party=party,
        kind=kind,
        language="sv" if language == "SE" else "da",
        pdf=pdf,
        pdf_size=len(pdf),
        pdf_sha256=hashlib.sha256(pdf).hexdigest(),
        created_by=actor,
    )
    _audit(
        actor,
        AuditEvent.Action.CREATE,
        OBJ.MEDIATION_LETTER,
        letter,
        case,
        PURPOSE.MEDIATION_LETTER_GENERATED,
        party.person_id,
    )
    return letter


@transaction.atomic
def letter_download(*, actor: User, letter: Letter) -> bytes:
    case = letter.case
    _require(actor, case)
    _audit(
        actor,
        AuditEvent.Action.EXPORT,
        OBJ.MEDIATION_LETTER,
        letter,
        case,
        PURPOSE.MEDIATION_LETTER_DOWNLOADED,
        letter.party.person_id,
    )
    return bytes(letter.pdf)
