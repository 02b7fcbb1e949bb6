"""Protected figures as the public and council members get them, through the real report."""

import datetime as dt

import pytest
from django.db.models import Sum
from django.utils import timezone, translation

from sporskifte.insights.protection import Cell, protect
from sporskifte.insights.report import build_report
from sporskifte.insights.selectors import Filters, Period, public_scope
from sporskifte.insights.suppression import is_hidden
from sporskifte.referrals.models import Offer

pytestmark = pytest.mark.django_db


def _public(world, filters=None):
    with translation.override("en"):
        return build_report(public_scope(world.programme), [world.programme], filters or Filters())


def _counts(report):
    return {r.key: r.count for r in report.steps}


def _expected(offers):
    """What protection must show for these offers: their count and key sum."""
    return protect(Cell(offers.count(), offers.aggregate(s=Sum("record_key"))["s"] or 0))


def test_each_protected_step_is_its_cell_rounded_by_its_own_key(personas, world):
    world.funnel_people(yes=13, first=8, further=2, no=6)
    counts = _counts(_public(world))
    offers = Offer.objects.filter(programme=world.programme)
    yes = offers.filter(answer=Offer.Answer.YES)
    assert counts["offered"] == _expected(offers)
    assert counts["yes"] == _expected(yes)
    assert counts["first_conversation"] == _expected(
        yes.filter(referral__first_conversation_at__isnull=False)
    )
    assert all(c == "<5" or c % 5 == 0 for c in counts.values())


def test_zero_is_shown_like_a_small_count(personas, world):
    world.funnel_people(yes=6, first=3, further=0, no=4)
    world.round_all("down")
    counts = _counts(_public(world))
    assert counts["further_sessions"] == "<5"  # nobody
    assert counts["first_conversation"] == "<5"  # three
    assert counts["offered"] == 10


def test_rounding_goes_both_ways(personas, world):
    world.funnel_people(yes=7, first=0, further=0, no=1)
    world.round_all("up")
    assert _counts(_public(world))["offered"] == 10
    assert _counts(_public(world))["further_sessions"] == "<5"  # 0 has nothing to round
    world.round_all("down")
    assert _counts(_public(world))["offered"] == 5


def test_the_same_offers_get_the_same_figure_however_they_are_asked_for(personas, world):
    world.funnel_people(yes=9, first=4, further=1, no=2)
    today = timezone.localdate()
    year = Period.between(dt.date(today.year, 1, 1), dt.date(today.year + 1, 1, 1), "year")
    month = today.replace(day=1)
    after = (month + dt.timedelta(days=32)).replace(day=1)
    views = [
        _public(world),
        _public(world, Filters(period=year)),
        _public(world, Filters(period=Period.between(month, after, "month"))),
    ]
    assert len({tuple(_counts(v).items()) for v in views}) == 1
    assert views[0].trend[-1].values["offered"] == _counts(views[0])["offered"]


def test_public_report_of_a_small_programme_says_fewer_than_5(personas, world):
    world.funnel_people(yes=3, first=1, further=0, no=4)
    world.round_all("down")
    report = _public(world)
    assert _counts(report)["yes"] == "<5"
    assert all(r.rate_start is None for r in report.steps if is_hidden(r.count))
    assert "Fewer than 5 have said yes to be contacted." in report.sentences
    assert report.median_days is None  # fewer than 5 contact times


def test_a_rate_never_passes_100_percent(personas, world):
    world.funnel_people(yes=6, first=6, further=6, no=0)
    world.round_all("up")  # offered 6 → 10, yes 6 → 10 ...
    for row in _public(world).steps:
        assert row.rate_previous is None or row.rate_previous <= 100


def test_prevention_sentence_in_published_figures(personas, world):
    for i in range(25):
        world.answer(
            world.offer(),
            Offer.Answer.YES if i < 6 else Offer.Answer.NO,
            Offer.Prevention.ACCEPTED if i < 20 else Offer.Prevention.DECLINED,
        )
    world.round_all("down")
    report = _public(world)
    assert (
        "4 out of 5 have agreed to a conversation with the police's prevention staff; "
        "1 out of 5 have said yes to be contacted by a counsellor." in report.sentences
    )
    assert report.trend[-1].month == timezone.localdate().replace(day=1)
