"""The councils' fed indicators attacked by a council member, who also reads the referral
figures for the same municipality and quarter (the council audience may filter by both; those
counts are rounded with cell keys, ``insights.protection``).

The uptake indicator was a rate of the exact counts. Seven yeses of twelve offers are 58.3 %;
the council's figures page shows 12 as 10 or 15 and 7 as 5 or 10, and among the counts those
allow only 7 of 12 gives 58.3 %: the exact counts are back, and with them, by subtraction from
the rounded cells by sex or age band, counts the rounding was there to hide."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from sporskifte.councils import status
from sporskifte.councils.figures import uptake_of
from sporskifte.councils.models import IndicatorStatus
from sporskifte.councils.tests.test_status import _offers, plan  # noqa: F401 (a fixture)
from sporskifte.insights import rollup
from sporskifte.insights.protection import Cell, possible_counts, protect, rounded
from sporskifte.insights.selectors import Filters, Period
from sporskifte.referrals.models import RECORD_KEY_RANGE, Programme

KEYS = st.integers(0, RECORD_KEY_RANGE - 1)


def _exact_rate_candidates(shown_offered, shown_yes, rate: Decimal) -> set[tuple[int, int]]:
    """What the council member can tell from the page's rounded counts and an exact rate."""
    return {
        (o, y)
        for o in possible_counts(shown_offered)
        for y in possible_counts(shown_yes)
        if o > 0 and y <= o and (Decimal(100) * y / o).quantize(Decimal("0.1")) == rate
    }


@settings(max_examples=500, deadline=None)
@given(st.integers(0, 60), st.integers(0, 60), KEYS, KEYS)
def test_council_uptake_tells_nothing_the_rounded_counts_do_not(offered, yes, k_off, k_yes):
    yes = min(yes, offered)
    counts = {"offered": offered, "yes": yes, "key_offered": k_off, "key_yes": k_yes}
    # Any world the council's figures page shows the same way gets the same indicator: the
    # world whose exact counts are the rounded ones (a key sum of 0 never rounds).
    seen_the_same = {
        "offered": rounded(Cell(offered, k_off)),
        "yes": rounded(Cell(yes, k_yes)),
        "key_offered": 0,
        "key_yes": 0,
    }
    assert uptake_of(counts) == uptake_of(seen_the_same)


def test_council_uptake_rate_does_not_give_back_the_exact_count_behind_a_rounded_figure(
    plan,  # noqa: F811
):
    _offers(7, 5, timezone.make_aware(dt.datetime(2023, 2, 1, 12)))
    status.fed_statuses_update(plan, 1, dt.date(2023, 4, 1))
    viborg = IndicatorStatus.objects.get(
        indicator__feed="referral_uptake", quarter=1, municipality__name="Viborg"
    )
    programmes = list(
        Programme.objects.filter(police_district_id=plan.council.police_district_id).values_list(
            "pk", flat=True
        )
    )
    period = Period.between(dt.date(2023, 1, 1), dt.date(2023, 4, 1), "quarter")
    counts, _ = rollup.totals(
        programmes, Filters(period=period, municipality=viborg.municipality_id), []
    )
    assert (counts["offered"], counts["yes"]) == (12, 7)
    page_offered = protect(Cell(counts["offered"], counts["key_offered"]))
    page_yes = protect(Cell(counts["yes"], counts["key_yes"]))
    assert viborg.value is not None
    # Read as an exact rate, the indicator leaves more than one count behind each rounded one
    # (before: only (12, 7)).
    candidates = _exact_rate_candidates(page_offered, page_yes, viborg.value)
    assert len(candidates) != 1
    assert viborg.value == (Decimal(100) * page_yes / page_offered).quantize(Decimal("0.1"))
