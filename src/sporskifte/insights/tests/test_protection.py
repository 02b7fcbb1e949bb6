"""Issue 7 §2: published small counts cannot be worked out from everything else published.

The attacker (``attacker.py``) gets every figure a protected audience can ask for (each
programme and all programmes together, each period and the whole, each sex, each age band, and
every combination, at every step of the funnel) and narrows each count by every sum and every
nesting between them until nothing moves."""

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sporskifte.insights.protection import BASE, Cell, possible_counts, protect, rounded
from sporskifte.insights.suppression import small_marker
from sporskifte.insights.tests.attacker import ALL, Record, bounds, pinned_hidden, publish
from sporskifte.referrals.models import RECORD_KEY_RANGE

KEYS = st.integers(0, RECORD_KEY_RANGE - 1)


def _hard_line(cell: Cell):
    """Each view suppressed on its own, as before issue 7: 1-4 hidden, zeros and the rest
    exact."""
    return small_marker(5) if 0 < cell.count < 5 else cell.count


def _hard_line_possible(shown) -> range:
    return range(1, 5) if isinstance(shown, str) else range(shown, shown + 1)


def _records(counts_by_value, rng, reached=0):
    """One attribute; ``counts_by_value[v]`` records with value v, random keys."""
    return [
        Record((v,), reached, rng.randrange(RECORD_KEY_RANGE))
        for v, n in enumerate(counts_by_value)
        for _ in range(n)
    ]


def test_the_issues_attack_pins_the_hidden_programme_under_the_old_suppression():
    # "yes" for all programmes 77, per programme 59, 15, 0 and "<5": 77-59-15-0 = 3.
    records = _records([59, 15, 0, 3], random.Random(0))
    pinned = pinned_hidden(records, (4,), 1, _hard_line, _hard_line_possible)
    assert ((3, 0), 3) in pinned  # the attacker has teeth


@pytest.mark.parametrize("seed", range(50))
def test_the_issues_attack_gains_nothing_now(seed):
    records = _records([59, 15, 0, 3], random.Random(seed))
    published = publish(records, (4,), 1)
    # Nobody looks like a few; three may also show as 5, which can be anything from 1 to 9.
    assert published[(2, 0)] == "<5"
    assert published[(3, 0)] in ("<5", 5)
    found = bounds(published, (4,), 1)
    assert found[(3, 0)][0] < found[(3, 0)][1]
    assert found[(2, 0)][1] > 0  # "nobody" is not certain either
    assert not pinned_hidden(records, (4,), 1)


@pytest.mark.parametrize("seed", range(50))
def test_today_minus_each_programme_today_gains_nothing(seed):
    # Programmes by (earlier, today): all programmes today minus each programme today.
    rng = random.Random(seed)
    records = [
        Record((p, day), 0, rng.randrange(RECORD_KEY_RANGE))
        for p, day, n in [(0, 0, 40), (0, 1, 9), (1, 0, 12), (1, 1, 6), (2, 0, 7), (2, 1, 2)]
        for _ in range(n)
    ]
    assert not pinned_hidden(records, (3, 2), 1)


@pytest.mark.parametrize("seed", range(50))
def test_zeros_by_sex_and_age_do_not_say_who_is_in_a_small_group(seed):
    # Three men over 40 in a programme; nobody else. Sex (F, M, U) by age band (5).
    rng = random.Random(seed)
    records = [Record((1, 4), 0, rng.randrange(RECORD_KEY_RANGE)) for _ in range(3)]
    published = publish(records, (3, 5), 1)
    assert published[(0, ALL, 0)] == "<5"
    assert published[(1, ALL, 0)] in ("<5", 5)
    found = bounds(published, (3, 5), 1)
    for cell in [(0, ALL, 0), (2, ALL, 0), (ALL, 0, 0), (ALL, 3, 0)]:
        assert found[cell][1] > 0  # someone else may be in the group
    assert not pinned_hidden(records, (3, 5), 1)


# Programmes 3, periods 2, sexes 3, age bands 2, and three funnel steps.
WORLD = (3, 2, 3, 2)
STEPS = 3


@given(
    st.lists(
        st.builds(
            Record,
            st.tuples(*(st.integers(0, n - 1) for n in WORLD)),
            st.integers(0, STEPS - 1),
            KEYS,
        ),
        max_size=45,
    )
)
@settings(max_examples=60, deadline=None)
def test_no_hidden_count_is_pinned_by_any_combination_of_views(records):
    # pinned_hidden also checks that the attacker never rules out a true count.
    assert pinned_hidden(records, WORLD, STEPS) == []


@given(st.integers(0, 200), KEYS)
def test_rounding_is_to_a_multiple_of_5_at_most_4_away_and_the_same_each_time(count, key):
    value = rounded(Cell(count, key))
    assert value % BASE == 0
    assert abs(value - count) < BASE
    assert rounded(Cell(count, key)) == value
    assert count in possible_counts(protect(Cell(count, key)))


def test_rounding_is_unbiased_over_the_cell_keys():
    keys = range(0, RECORD_KEY_RANGE, RECORD_KEY_RANGE // 1000)
    for count in range(0, 23):
        mean = sum(rounded(Cell(count, k)) for k in keys) / len(keys)
        assert abs(mean - count) < 0.01


def test_zero_and_small_counts_look_the_same():
    assert protect(Cell(0, 0)) == "<5"
    assert {protect(Cell(n, RECORD_KEY_RANGE - 1)) for n in range(5)} == {"<5"}
