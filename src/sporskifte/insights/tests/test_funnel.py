import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from sporskifte.insights.forms import FilterForm
from sporskifte.insights.report import build_report, out_of, percent
from sporskifte.insights.selectors import (
    Filters,
    Period,
    funnel,
    funnel_raw,
    insight_scope,
    nearest_rank,
    trend,
)
from sporskifte.referrals.models import Offer, Referral, Step
from sporskifte.referrals.rollup import rollup_rebuild

pytestmark = pytest.mark.django_db


def _report(user, programmes, **filters):
    scope = insight_scope(user)
    return build_report(scope, programmes, Filters(**filters))


def test_seeds_002_sentence_comes_out_of_data_entered_through_the_services(personas, world):
    world.funnel_people(yes=119, first=80, further=38, no=21)
    with translation.override("en"):
        report = _report(personas.officer_a, [world.programme])
    # The base is stated ("Of these"), "so far" because no deadline has passed yet.
    assert (
        "119 have said yes to be contacted. Of these, 67 % have so far had a conversation with "
        "a counsellor and 32 % have said yes to more than the first conversation. None of them "
        "has reached the partner's contact deadline yet." in report.sentences
    )
    # The table shows the sentence's base too.
    assert {r.key: r.rate_base for r in report.steps}["first_conversation"] == 67
    assert {r.key: r.rate_base for r in report.steps}["further_sessions"] == 32
    counts = {r.key: r.count for r in report.steps}
    assert counts == {
        "offered": 140,
        "yes": 119,
        "referred": 119,
        "contact": 80,
        "first_conversation": 80,
        "further_sessions": 38,
    }


def test_seeds_000_sentence_out_of_a_case_of_100_buyers(personas, world):
    case = world.programme.cases.create(
        police_district=world.programme.police_district,
        journal_number="4100-00000-00100-25",
        offence=world.programme.offences.first(),
    )
    for i in range(100):
        offer = world.offer(case=case)
        prevention = Offer.Prevention.ACCEPTED if i < 80 else Offer.Prevention.DECLINED
        world.answer(offer, Offer.Answer.YES if i % 4 == 0 else Offer.Answer.NO, prevention)
    world.funnel_people(yes=3, first=0, further=0)  # outside the case: filtered away
    with translation.override("en"):
        report = _report(personas.officer_a, [world.programme], case=case.pk)
    assert (
        "4 out of 5 have agreed to a conversation with the police's prevention staff; "
        "1 out of 4 have said yes to be contacted by a counsellor." in report.sentences
    )
    assert f"100 persons were offered help ({report.period_label})." in report.sentences


def test_a_further_session_without_a_logged_first_conversation_counts_as_both(personas, world):
    (referral,) = world.funnel_people(yes=1, first=0, further=0)
    world.step(referral, Step.FURTHER_SESSIONS)
    data = funnel([world.programme.pk], Filters())
    assert data.counts["first_conversation"] == 1
    assert data.counts["contact"] == 1


def test_steps_never_grow(personas, world):
    world.funnel_people(yes=6, first=4, further=2, no=3)
    counts = list(funnel([world.programme.pk], Filters()).counts.values())
    assert counts == sorted(counts, reverse=True)


def test_period_counts_offers_by_registration_date(personas, world):
    old, _new = world.funnel_people(yes=2, first=0, further=0)
    last_year = timezone.localdate().year - 1
    Offer.objects.filter(pk=old.offer_id).update(
        created_at=timezone.make_aware(dt.datetime(last_year, 6, 1, 12))
    )
    rollup_rebuild()  # the date was changed around the services
    form = FilterForm(
        {"period": "year", "year": str(last_year)},
        scope=insight_scope(personas.officer_a),
        programmes=[world.programme],
    )
    assert form.is_valid(), form.errors
    assert funnel([world.programme.pk], form.filters()).counts["offered"] == 1
    q2 = FilterForm(
        {"period": "quarter", "year": str(last_year), "quarter": "2"},
        scope=insight_scope(personas.officer_a),
        programmes=[world.programme],
    )
    assert q2.is_valid()
    assert funnel([world.programme.pk], q2.filters()).counts["offered"] == 1
    q3 = Period.between(dt.date(last_year, 7, 1), dt.date(last_year, 10, 1), "quarter")
    assert funnel([world.programme.pk], Filters(period=q3)).counts["offered"] == 0


def test_filters_on_municipality_sex_and_age(personas, world):
    world.offer(home="Herning", sex="F", birth_date=dt.date(timezone.localdate().year - 20, 1, 1))
    world.offer(home="Viborg", sex="M", birth_date=dt.date(timezone.localdate().year - 35, 1, 1))
    ids = [world.programme.pk]
    herning = world.offer(
        home="Herning", sex="M", birth_date=dt.date(timezone.localdate().year - 50, 1, 1)
    ).home_municipality_id
    assert funnel(ids, Filters(municipality=herning)).counts["offered"] == 2
    assert funnel(ids, Filters(sex="F", municipality=herning)).counts["offered"] == 1
    assert funnel(ids, Filters(age_band="18-24")).counts["offered"] == 1
    assert funnel(ids, Filters(age_band="30-39")).counts["offered"] == 1


def test_range_form_rejects_an_end_before_the_start(personas, world):
    form = FilterForm(
        {"period": "range", "date_from": "2025-05-01", "date_to": "2025-04-01"},
        scope=insight_scope(personas.officer_a),
        programmes=[world.programme],
    )
    assert not form.is_valid()
    assert "date_to" in form.errors


def test_time_to_contact_median_and_90th_percentile_in_whole_days_by_nearest_rank(personas, world):
    referrals = world.funnel_people(yes=10, first=0, further=0)
    now = timezone.now()
    for hours, referral in zip(range(1, 11), referrals, strict=True):
        created = now - dt.timedelta(days=30)
        Referral.objects.filter(pk=referral.pk).update(
            created_at=created, due_at=created + dt.timedelta(hours=5)
        )
        referral.refresh_from_db()
        world.contact(referral, at=created + dt.timedelta(hours=hours * 12))
    ttc = funnel([world.programme.pk], Filters()).time_to_contact
    assert ttc.timed == 10
    # The 5th of 10 is 60 hours, the 9th 108: rounded up, "reached within 3 (5) days".
    assert ttc.median == dt.timedelta(days=3)
    assert ttc.p90 == dt.timedelta(days=5)
    assert (ttc.within, ttc.due) == (0, 10)


def test_share_within_deadline_leaves_out_referrals_not_yet_due(personas, world):
    a, _b, _c = world.funnel_people(yes=3, first=0, further=0)
    world.contact(a)  # in time; b and c are not due yet
    ttc = funnel([world.programme.pk], Filters()).time_to_contact
    assert (ttc.within, ttc.due) == (1, 1)


def test_nearest_rank():
    assert [nearest_rank(0.5, n) for n in (1, 2, 3, 4, 5)] == [0, 0, 1, 1, 2]
    assert nearest_rank(0.9, 10) == 8


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [(80, 119, 67), (38, 119, 32), (1, 2, 50), (1, 8, 13), (5, 1000, 1), (0, 5, 0), (3, 0, None)],
)
def test_one_rounding_halves_up(part, whole, expected):
    assert percent(part, whole) == expected


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [
        (80, 100, "4 out of 5"),
        (25, 100, "1 out of 4"),
        (67, 100, "2 out of 3"),
        (50, 100, "1 out of 2"),
        (10, 100, "fewer than 1 out of 5"),
        (90, 100, "more than 4 out of 5"),
        (0, 100, "none"),
        (7, 7, "all"),
        (1, 0, None),
    ],
)
def test_out_of_is_the_nearest_simple_fraction(part, whole, expected):
    with translation.override("en"):
        assert out_of(part, whole) == expected


def test_empty_programme_gives_no_crash_and_says_so(personas, world):
    with translation.override("en"):
        report = _report(personas.officer_a, [world.programme])
    assert [r.count for r in report.steps] == [0] * 6
    assert all(r.rate_previous is None for r in report.steps)
    assert "No one has said yes to be contacted yet." in report.sentences


def test_trend_counts_by_month(personas, world):
    world.funnel_people(yes=3, first=2, further=0, no=1)
    report = _report(personas.officer_a, [world.programme])
    this_month = timezone.localdate().replace(day=1)
    assert report.trend[-1].month == this_month
    assert report.trend[-1].values == {"offered": 4, "yes": 3, "first_conversation": 2}


def test_query_count_does_not_grow_with_the_data(personas, world):
    def queries():
        with CaptureQueriesContext(connection) as ctx:
            _report(personas.officer_a, [world.programme])
        return len(ctx)

    world.funnel_people(yes=6, first=3, further=1, no=4)  # 10 offers
    few = queries()
    world.funnel_people(yes=60, first=30, further=10, no=30)  # 100 offers
    assert queries() == few


def test_trend_puts_offers_in_the_danish_month(personas, world):
    a, b, c = world.funnel_people(yes=3, first=0, further=0)
    utc = dt.UTC
    at = {
        a: dt.datetime(2025, 3, 31, 22, 30, tzinfo=utc),  # 1 April 00:30 summer time
        b: dt.datetime(2025, 1, 31, 23, 30, tzinfo=utc),  # 1 February 00:30 winter time
        c: dt.datetime(2025, 1, 31, 22, 30, tzinfo=utc),  # 31 January 23:30
    }
    for referral, when in at.items():
        Offer.objects.filter(pk=referral.offer_id).update(created_at=when)
    rollup_rebuild()  # the dates were changed around the services
    months = trend([world.programme.pk], Filters())
    assert {m: v["offered"] for m, v in months.items()} == {
        dt.date(2025, 1, 1): 1,
        dt.date(2025, 2, 1): 1,
        dt.date(2025, 4, 1): 1,
    }


def test_one_contact_time_is_both_the_median_and_the_90th_percentile(personas, world):
    (referral,) = world.funnel_people(yes=1, first=0, further=0)
    world.contact(referral)
    ttc = funnel_raw([world.programme.pk], Filters()).time_to_contact
    assert ttc.median is not None and ttc.median == ttc.p90


def test_so_far_figures_count_only_referrals_past_their_deadline(personas, world):
    referrals = world.funnel_people(yes=4, first=1, further=0)
    past = timezone.now() - dt.timedelta(days=1)
    # Two referrals reached their deadline: one had a conversation, one did not.
    Referral.objects.filter(pk__in=[referrals[0].pk, referrals[1].pk]).update(due_at=past)
    rollup_rebuild()  # the deadlines were moved around the services
    with translation.override("en"):
        report = _report(personas.officer_a, [world.programme])
    uptake = next(s for s in report.sentences if s.startswith("4 have said yes"))
    assert "Of these, 25 % have so far had a conversation with a counsellor and 0 %" in uptake
    assert uptake.endswith(
        "Of the 2 whose contact deadline has passed, 50 % have had a conversation."
    )


def test_prevention_conversation_comes_first_with_a_plain_label(personas, world):
    offer = world.offer()
    world.answer(offer, Offer.Answer.NO, Offer.Prevention.ACCEPTED)
    with translation.override("en"):
        report = _report(personas.officer_a, [world.programme])
    assert report.sentences[1].startswith("All have agreed to a conversation with the police")
    assert report.sentences[2] == "No one has said yes to be contacted yet."
    assert [r.label for r in report.prevention] == [
        "Met by the police in a programme with prevention talks",
        "Said yes to a talk with police prevention staff",
    ]
