"""The allowed state moves and the legal preconditions, as rules the services enforce.

Every move not in ``MOVES`` is refused; ``tests/test_rules.py`` walks every (state, move) pair.
The preconditions return the reasons a case may not go on, in the user's language (Danish or
Swedish on screen), so the same list explains a refusal and the case page's checklist.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from sporskifte.mediation.models import (
    ADULT_AGE,
    CLOSED_STATES,
    SE_MIN_AGE,
    MediationCase,
    Party,
    State,
)


class Move:
    SCREEN_SUITABLE = "screen_suitable"
    SCREEN_UNSUITABLE = "screen_unsuitable"
    CONTACT = "contact"
    ASK_CONSENT = "ask_consent"
    MARK_READY = "mark_ready"
    ASSIGN = "assign"
    BOOK_MEETING = "book_meeting"
    CANCEL_MEETING = "cancel_meeting"
    HOLD_MEETING = "hold_meeting"
    RECORD_AGREEMENT = "record_agreement"
    NO_AGREEMENT = "no_agreement"
    TERMS_SETTLED = "terms_settled"
    WITHDRAW = "withdraw"
    END = "end"

    ALL = (
        SCREEN_SUITABLE,
        SCREEN_UNSUITABLE,
        CONTACT,
        ASK_CONSENT,
        MARK_READY,
        ASSIGN,
        BOOK_MEETING,
        CANCEL_MEETING,
        HOLD_MEETING,
        RECORD_AGREEMENT,
        NO_AGREEMENT,
        TERMS_SETTLED,
        WITHDRAW,
        END,
    )


_OPEN_BEFORE_MEETING = (
    State.PROPOSED,
    State.SUITABLE,
    State.CONTACTING,
    State.AWAITING_CONSENT,
    State.READY,
    State.ASSIGNED,
    State.MEETING_BOOKED,
)

MOVES: dict[tuple[str, str], str] = {
    (State.PROPOSED, Move.SCREEN_SUITABLE): State.SUITABLE,
    (State.PROPOSED, Move.SCREEN_UNSUITABLE): State.UNSUITABLE,
    (State.SUITABLE, Move.CONTACT): State.CONTACTING,
    (State.CONTACTING, Move.ASK_CONSENT): State.AWAITING_CONSENT,
    (State.AWAITING_CONSENT, Move.MARK_READY): State.READY,
    (State.READY, Move.ASSIGN): State.ASSIGNED,
    (State.ASSIGNED, Move.ASSIGN): State.ASSIGNED,  # another mediator takes over
    (State.ASSIGNED, Move.BOOK_MEETING): State.MEETING_BOOKED,
    (State.MEETING_BOOKED, Move.CANCEL_MEETING): State.ASSIGNED,
    (State.MEETING_BOOKED, Move.HOLD_MEETING): State.MEETING_HELD,
    (State.MEETING_HELD, Move.RECORD_AGREEMENT): State.AGREEMENT,
    (State.MEETING_HELD, Move.NO_AGREEMENT): State.COMPLETED,
    (State.AGREEMENT, Move.TERMS_SETTLED): State.COMPLETED,
    # Either party may withdraw at any point before the end (DK § 3, stk. 3; SE 5 §: voluntary).
    **{(s, Move.WITHDRAW): State.WITHDRAWN for s in _OPEN_BEFORE_MEETING},
    (State.MEETING_HELD, Move.WITHDRAW): State.WITHDRAWN,
    # The mediator ends the mediation (DK § 3, stk. 3), once it is theirs.
    (State.ASSIGNED, Move.END): State.ENDED,
    (State.MEETING_BOOKED, Move.END): State.ENDED,
    (State.MEETING_HELD, Move.END): State.ENDED,
}


class IllegalMove(Exception):
    pass


def next_state(state: str, move: str) -> str:
    try:
        return MOVES[(state, move)]
    except KeyError:
        raise IllegalMove(state, move) from None


def refusal_for_state(state: str) -> str:
    if state == State.WITHDRAWN:
        return _("The case was withdrawn by a party. Nothing more can be done in it.")
    if state in CLOSED_STATES:
        return _("The case is closed. Nothing more can be done in it.")
    return _("This cannot be done in the case's present state (%(state)s).") % {
        "state": State(state).label
    }


# Preconditions ------------------------------------------------------------------------------


def _age(party: Party, on: dt.date) -> int | None:
    return party.age_today(on)


def needs_custody_holder(party: Party, on: dt.date | None = None) -> bool:
    """Lov om konfliktråd § 2, stk. 2: under 18 also the custody holder's consent. Sweden: the
    custody holder decides the child's personal matters (föräldrabalken 6 kap. 11 §)."""
    age = _age(party, on or timezone.localdate())
    return age is not None and age < ADULT_AGE


def missing_for_mediation(case: MediationCase) -> list[str]:
    """Why a mediator may not be assigned nor the meeting held yet; empty when it may."""
    reasons: list[str] = []
    parties = list(case.parties.all())
    offenders = [p for p in parties if p.role == Party.Role.OFFENDER]
    victims = [p for p in parties if p.role == Party.Role.VICTIM]
    if not offenders or not victims:
        reasons.append(_("The case needs at least one offender and one victim."))
    today = timezone.localdate()
    for party in parties:
        consents = [c for c in party.consents.all() if c.withdrawn_at is None]
        if not any(c.custody_holder_id is None for c in consents):
            # DK § 2, stk. 1; SE 5 §: voluntary for both.
            reasons.append(_("%(name)s has not consented.") % {"name": party.name})
        if needs_custody_holder(party, today) and not any(c.custody_holder_id for c in consents):
            reasons.append(
                _("%(name)s is under 18: a custody holder's consent is needed.")
                % {"name": party.name}
            )
    for offender in offenders:
        if offender.admitted_at is None:
            if case.country == "SE":
                # 2002:445 5 §: "gärningsmannen ha erkänt gärningen eller delaktighet i denna".
                reasons.append(
                    _("%(name)s has not admitted the offence.") % {"name": offender.name}
                )
            else:
                # Lov om konfliktråd § 2, stk. 3: "i det væsentlige har tilstået".
                reasons.append(
                    _("%(name)s has not substantially confessed.") % {"name": offender.name}
                )
        age = offender.age_at_offence
        too_young = case.country == "SE" and age is not None and age < SE_MIN_AGE
        if too_young and not case.special_reasons.strip():
            # 2002:445 5 § andra stycket.
            reasons.append(
                _("%(name)s was under 12: medling needs written synnerliga skäl.")
                % {"name": offender.name}
            )
    if case.country == "SE":
        if not case.police_report_number.strip():
            # 2002:445 5 §: the crime reported to the police.
            reasons.append(_("The police report number is missing."))
        if not case.investigation_closed and not (case.ful_name and case.ful_consulted_at):
            # 2002:445 6 §: consult the förundersökningsledare before the investigation closes.
            reasons.append(_("The förundersökningsledare has not been consulted."))
    return reasons
