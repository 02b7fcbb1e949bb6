import datetime as dt

import pytest
from django.utils import timezone, translation

from sporskifte.insights.report import _publish, build_report
from sporskifte.insights.selectors import STEPS, Filters, Funnel, TimeToContact, public_scope
from sporskifte.insights.suppression import WITHHELD, is_hidden
from sporskifte.referrals.models import Offer

pytestmark = pytest.mark.django_db


def _funnel(counts, prevention=None):
    return Funnel(
        counts=dict(zip(STEPS, counts, strict=True)),
        steps=STEPS,
        prevention=prevention,
        time_to_contact=TimeToContact(0, None, None, 0, 0),
        first_seen=None,
    )


def test_monthly_offers_and_the_funnel_hide_the_total_together():
    # Months 1 + 5: the months' total must go, so the funnel's "offered" must go too.
    months = {dt.date(2025, 1, 1): 1, dt.date(2025, 2, 1): 5}
    shown, by_month = _publish(list(STEPS), _funnel([6, 6, 6, 6, 6, 6]), months)
    assert by_month[dt.date(2025, 1, 1)] == "<5"
    assert shown["offered"] == WITHHELD


def test_a_shown_total_never_lets_a_hidden_month_be_worked_out():
    months = {dt.date(2025, 1, 1): 3, dt.date(2025, 2, 1): 20, dt.date(2025, 3, 1): 9}
    shown, by_month = _publish(list(STEPS), _funnel([32, 20, 20, 15, 10, 5]), months)
    hidden = [m for m, v in by_month.items() if is_hidden(v)]
    assert len(hidden) >= 2 or is_hidden(shown["offered"])


def test_prevention_branch_is_suppressed_with_the_funnel():
    shown, _ = _publish(list(STEPS), _funnel([40, 20, 20, 15, 10, 5], prevention=(40, 38)), {})
    # 40 offered, 38 accepted: "2 did not" would follow, so the accepted count is withheld.
    assert shown["prevention_accepted"] == WITHHELD


def test_public_report_of_a_small_programme_says_fewer_than_5(personas, world):
    world.funnel_people(yes=3, first=1, further=0, no=4)
    with translation.override("en"):
        report = build_report(public_scope(world.programme), [world.programme], Filters())
    counts = {r.key: r.count for r in report.steps}
    assert counts["yes"] == "<5"
    assert counts["offered"] == 7
    assert all(r.rate_start is None for r in report.steps if is_hidden(r.count))
    assert "Fewer than 5 have said yes to be contacted." in report.sentences
    assert report.median_days is None  # fewer than 5 contact times
    assert [row.values for row in report.trend][-1] == {"offered": 7}


def test_public_report_never_shows_a_rate_that_reveals_a_hidden_count(personas, world):
    world.funnel_people(yes=30, first=28, further=0, no=0)
    report = build_report(public_scope(world.programme), [world.programme], Filters())
    for row in report.steps:
        if is_hidden(row.count):
            assert row.rate_previous is None and row.rate_start is None


def _answers(world, n, yes, accepted):
    for i in range(n):
        world.answer(
            world.offer(),
            Offer.Answer.YES if i < yes else Offer.Answer.NO,
            Offer.Prevention.ACCEPTED if i < accepted else Offer.Prevention.DECLINED,
        )


def test_prevention_sentence_in_published_figures(personas, world):
    _answers(world, 25, yes=6, accepted=20)
    with translation.override("en"):
        report = build_report(public_scope(world.programme), [world.programme], Filters())
    assert (
        "4 out of 5 have agreed to a conversation with the police's prevention staff; "
        "1 out of 4 have said yes to be contacted by a counsellor." in report.sentences
    )
    assert report.trend[-1].month == timezone.localdate().replace(day=1)


def test_prevention_clause_is_left_out_when_it_would_reveal_a_small_group(personas, world):
    _answers(world, 20, yes=5, accepted=16)  # 4 declined: a group under 5
    with translation.override("en"):
        report = build_report(public_scope(world.programme), [world.programme], Filters())
    assert {r.key: r.count for r in report.prevention}["prevention_accepted"] == WITHHELD
    assert not any("prevention staff" in s for s in report.sentences)
    assert "1 out of 4 have said yes to be contacted by a counsellor." in report.sentences
