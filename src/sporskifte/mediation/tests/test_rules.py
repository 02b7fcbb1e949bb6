"""The table of allowed moves, walked for every (state, move) pair, and the same table enforced
on a stored case: a refused move changes nothing."""

import pytest
from django.core.exceptions import ValidationError

from sporskifte.mediation import services
from sporskifte.mediation.models import MediationCase, State
from sporskifte.mediation.rules import IllegalMove, Move, next_state

S = State
M = Move
# Written out by hand from the acts and the issue, independently of rules.MOVES.
EXPECTED = {
    (S.PROPOSED, M.SCREEN_SUITABLE): S.SUITABLE,
    (S.PROPOSED, M.SCREEN_UNSUITABLE): S.UNSUITABLE,
    (S.SUITABLE, M.CONTACT): S.CONTACTING,
    (S.CONTACTING, M.ASK_CONSENT): S.AWAITING_CONSENT,
    (S.AWAITING_CONSENT, M.MARK_READY): S.READY,
    (S.READY, M.ASSIGN): S.ASSIGNED,
    (S.ASSIGNED, M.ASSIGN): S.ASSIGNED,
    (S.ASSIGNED, M.BOOK_MEETING): S.MEETING_BOOKED,
    (S.MEETING_BOOKED, M.CANCEL_MEETING): S.ASSIGNED,
    (S.MEETING_BOOKED, M.HOLD_MEETING): S.MEETING_HELD,
    (S.MEETING_HELD, M.RECORD_AGREEMENT): S.AGREEMENT,
    (S.MEETING_HELD, M.NO_AGREEMENT): S.COMPLETED,
    (S.AGREEMENT, M.TERMS_SETTLED): S.COMPLETED,
    (S.PROPOSED, M.WITHDRAW): S.WITHDRAWN,
    (S.SUITABLE, M.WITHDRAW): S.WITHDRAWN,
    (S.CONTACTING, M.WITHDRAW): S.WITHDRAWN,
    (S.AWAITING_CONSENT, M.WITHDRAW): S.WITHDRAWN,
    (S.READY, M.WITHDRAW): S.WITHDRAWN,
    (S.ASSIGNED, M.WITHDRAW): S.WITHDRAWN,
    (S.MEETING_BOOKED, M.WITHDRAW): S.WITHDRAWN,
    (S.MEETING_HELD, M.WITHDRAW): S.WITHDRAWN,
    (S.ASSIGNED, M.END): S.ENDED,
    (S.MEETING_BOOKED, M.END): S.ENDED,
    (S.MEETING_HELD, M.END): S.ENDED,
}
PAIRS = [(s, m) for s in State.values for m in Move.ALL]


@pytest.mark.parametrize(("state", "move"), PAIRS)
def test_every_state_and_move(state, move):
    if (state, move) in EXPECTED:
        assert next_state(state, move) == EXPECTED[(state, move)]
    else:
        with pytest.raises(IllegalMove):
            next_state(state, move)


@pytest.mark.parametrize("state", [S.UNSUITABLE, S.COMPLETED, S.WITHDRAWN, S.ENDED])
def test_nothing_leaves_a_closed_state(state):
    assert not [m for m in Move.ALL if (state, m) in EXPECTED]


def test_every_refused_move_on_a_stored_case_changes_nothing(personas, world):
    case = world.case
    for state, move in PAIRS:
        if (state, move) in EXPECTED:
            continue
        MediationCase.objects.filter(pk=case.pk).update(state=state)
        case.refresh_from_db()
        with pytest.raises(ValidationError):
            services._move(personas.mediation_coordinator, case, move)
        case.refresh_from_db()
        assert case.state == state, (state, move)
