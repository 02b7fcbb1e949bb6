"""The exit unit's figures attacked as a reader combining both tables on the page.

The list of cases by state has a total; the list of broken-off cases by reason has a total too,
and that total is the state list's "broken off" cell. A reader who sees the number in one table
and a dash in the other has it in both."""

from hypothesis import given, settings
from hypothesis import strategies as st

from sporskifte.exit.figures import protected_counts, unit_figures
from sporskifte.exit.models import ExitCase
from sporskifte.insights.suppression import is_hidden
from sporskifte.insights.tests.linear_attacker import Attacker

STATES = tuple(ExitCase.State.values)
REASONS = tuple(ExitCase.EndReason.values)


def _attack(by_state: dict[str, int], broken: dict[str, int]) -> dict:
    states, states_total, reasons, end_total = protected_counts(by_state, broken)
    a = Attacker()
    for s in STATES:
        a.see(("state", s), states[s])
    a.see("all", states_total)
    a.total("all", [("state", s) for s in STATES])
    for r in REASONS:
        a.see(("reason", r), reasons[r])
    # The reasons' total is the "broken off" cell: one unknown seen twice.
    a.see(("state", ExitCase.State.BROKEN_OFF), end_total)
    a.total(("state", ExitCase.State.BROKEN_OFF), [("reason", r) for r in REASONS])
    return a.pinned()


def test_a_hidden_state_cannot_be_worked_out_through_the_reasons_total():
    # Visitation 3 is hidden; the smallest count ≥ 5 beside it, broken off (6), is withheld as
    # its complement. The reasons' table showed its total, 6, so 3 came back as
    # total - admitted - active - completed - 6 before the tables were protected together.
    by_state = {"visitation": 3, "admitted": 20, "rejected": 0, "active": 30, "completed": 10}
    by_state["broken_off"] = 6
    broken = {"withdrew": 6}
    assert not _attack(by_state, broken)
    states, _total, _reasons, _end_total = protected_counts(by_state, broken)
    assert is_hidden(states["visitation"])


@settings(max_examples=300, deadline=None)
@given(
    st.fixed_dictionaries({s: st.integers(0, 25) for s in STATES}),
    st.lists(st.integers(0, 12), min_size=len(REASONS), max_size=len(REASONS)),
)
def test_no_hidden_exit_count_is_pinned_by_combining_the_two_tables(by_state, reason_counts):
    broken = dict(zip(REASONS, reason_counts, strict=True))
    by_state = {**by_state, "broken_off": sum(reason_counts)}
    assert not _attack(by_state, broken)


def test_the_page_shows_the_tables_protected_together(exit_world):
    # The page's figures come from protected_counts (an empty unit: nothing hidden, all zero).
    f = unit_figures(exit_world.unit)
    assert f.states_total == 0 and f.end_total == 0
