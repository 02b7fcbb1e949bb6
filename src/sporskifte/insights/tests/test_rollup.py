"""The figures read from the rollup equal the figures counted from the raw rows.

Random offers, answers, contact attempts and steps go through the real services at random
moments (the clock is moved for each), then random filters are asked of both ways: the rollup
(``funnel``, ``trend``) and the raw rows (``funnel_raw``, ``trend_raw``: the oracle).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import re
from contextlib import contextmanager
from unittest import mock

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sporskifte.insights.report import build_report
from sporskifte.insights.rollup import LocalYear, not_yet_due, not_yet_due_raw
from sporskifte.insights.selectors import (
    AGE_BANDS,
    KEY,
    Filters,
    Period,
    funnel,
    funnel_raw,
    insight_scope,
    public_scope,
    trend,
    trend_raw,
    whole_days,
)
from sporskifte.referrals import services
from sporskifte.referrals.models import (
    Consent,
    ContactAttempt,
    FunnelRollup,
    Offer,
    OpenDeadline,
    Referral,
    Step,
)
from sporskifte.referrals.retention import personal_data_erase_expired
from sporskifte.referrals.rollup import KEYS, MONTH_TREND, rollup_rebuild
from sporskifte.referrals.selectors import consent_text_current
from sporskifte.testing.factories import (
    OfferFactory,
    PersonFactory,
    ProgrammeFactory,
    centre,
    municipality,
)

pytestmark = pytest.mark.django_db
HOMES = ("Viborg", "Herning")


@contextmanager
def clock(at: dt.datetime):
    with mock.patch("django.utils.timezone.now", return_value=at):
        yield


plans = st.fixed_dictionaries(
    {
        # Often within the last days: referrals still before their contact deadline count
        # apart ("not yet due"), and their cell keys with them.
        "days_ago": st.one_of(
            st.integers(min_value=0, max_value=3), st.integers(min_value=0, max_value=800)
        ),
        "minute": st.integers(min_value=0, max_value=24 * 60 - 1),
        "home": st.sampled_from(HOMES),
        "sex": st.sampled_from(["F", "M"]),
        "age": st.integers(min_value=15, max_value=60),
        "second_programme": st.booleans(),
        "answer": st.sampled_from([None, "yes", "yes", "no", "thinking"]),
        "prevention": st.sampled_from([None, "accepted", "declined"]),
        "contact_hours": st.one_of(st.none(), st.integers(min_value=0, max_value=400)),
        "first": st.booleans(),
        "further": st.booleans(),
        "close": st.booleans(),
    }
)


# The offers table named as a source of rows (a column of it, "referrals_offer".x, is not).
RAW_OFFERS = re.compile(r'FROM "referrals_offer"(?!\.)')


def play(personas, programmes, plan) -> None:
    """One person's path through the services, each step at its own moment."""
    now = timezone.now()
    # At least the half hour to the answer before now: a referral is never made in the future.
    at = now - dt.timedelta(days=plan["days_ago"], minutes=plan["minute"] + 31)
    programme = programmes[plan["second_programme"]]
    home = municipality(plan["home"])
    person = PersonFactory.build(
        police_district=programme.police_district,
        home_municipality=home,
        sex=plan["sex"],
        birth_date=dt.date(timezone.localtime(at).year - plan["age"], 6, 1),
    )
    with clock(at):
        offer = services.offer_register(
            actor=personas.officer_a,
            programme=programme,
            person=person,
            offence=programme.offences.first(),
            offence_date=timezone.localtime(at).date(),
        )
    if plan["answer"] is None:
        return
    at += dt.timedelta(minutes=30)
    with clock(at):
        services.offer_answer(
            actor=personas.officer_a,
            offer=offer,
            answer=plan["answer"],
            prevention_conversation=plan["prevention"],
            consent_method=Consent.Method.ORAL,
            consent_text=consent_text_current(programme),
        )
    if plan["answer"] != "yes":
        return
    referral = Referral.objects.get(offer=offer)
    counsellor = {"Viborg": personas.counsellor_a, "Herning": personas.counsellor_b}[plan["home"]]
    moments = []
    if plan["contact_hours"] is not None:
        moments.append(("attempt", at + dt.timedelta(hours=plan["contact_hours"])))
    if plan["first"]:
        moments.append((Step.FIRST_CONVERSATION, at + dt.timedelta(hours=50)))
    if plan["further"]:
        moments.append((Step.FURTHER_SESSIONS, at + dt.timedelta(hours=60)))
    if plan["close"]:
        moments.append((Step.CLOSED, at + dt.timedelta(hours=70)))
    for what, when in sorted(moments, key=lambda m: m[1]):
        when = min(when, now)
        with clock(when):
            if what == "attempt":
                services.referral_record_attempt(
                    actor=counsellor,
                    referral=referral,
                    at=when,
                    method=ContactAttempt.Method.PHONE,
                    reached=True,
                )
            else:
                services.referral_record_step(
                    actor=counsellor, referral=referral, step=what, at=when
                )


def periods(today: dt.date) -> st.SearchStrategy[Period]:
    years = st.integers(min_value=today.year - 3, max_value=today.year)
    dates = st.dates(min_value=today - dt.timedelta(days=900), max_value=today)

    def year(y: int) -> Period:
        return Period.between(dt.date(y, 1, 1), dt.date(y + 1, 1, 1), "year")

    def quarter(y: int, q: int) -> Period:
        after = dt.date(y + 1, 1, 1) if q == 4 else dt.date(y, 3 * q + 1, 1)
        return Period.between(dt.date(y, 3 * q - 2, 1), after, "quarter")

    def month(y: int, m: int) -> Period:
        after = dt.date(y + 1, 1, 1) if m == 12 else dt.date(y, m + 1, 1)
        return Period.between(dt.date(y, m, 1), after, "month")

    def between(a: dt.date, b: dt.date) -> Period:
        first, last = sorted((a, b))
        return Period.between(first, last + dt.timedelta(days=1), "range")

    return st.one_of(
        st.just(Period()),
        st.builds(year, years),
        st.builds(quarter, years, st.integers(1, 4)),
        st.builds(month, years, st.integers(1, 12)),
        st.builds(between, dates, dates),
    )


def filters_strategy(today: dt.date) -> st.SearchStrategy[Filters]:
    def maybe(values):
        return st.one_of(st.none(), st.sampled_from(values))

    return st.builds(
        lambda period, home, sex, band, partner, district: Filters(
            period=period,
            municipality=municipality(home).pk if home else None,
            sex=sex or "",
            age_band=band or "",
            partner=centre(partner).pk if partner else None,
            police_district=district,
        ),
        periods(today),
        maybe(HOMES),
        maybe(["F", "M"]),
        maybe(list(AGE_BANDS)),
        maybe(HOMES),
        st.none(),
    )


def comparable(f) -> dict:
    ttc = f.time_to_contact
    return {
        "counts": f.counts,
        "prevention": f.prevention,
        "timed": ttc.timed,
        "median": whole_days(ttc.median),
        "p90": whole_days(ttc.p90),
        "due": ttc.due,
        "within": ttc.within,
        "first_month": f.first_seen and timezone.localtime(f.first_seen).date().replace(day=1),
    }


def assert_same(ids: list[int], filters: Filters, prevention: list[int]) -> None:
    now = timezone.now()
    fast = funnel(ids, filters, prevention_ids=prevention, now=now)
    raw = funnel_raw(ids, filters, prevention_ids=prevention, now=now)
    if filters.period.start is not None:  # only an open period reads its first month
        fast = dataclasses.replace(fast, first_seen=None)
        raw = dataclasses.replace(raw, first_seen=None)
    assert comparable(fast) == comparable(raw), filters
    # The referrals before their deadline, from their own rows and from the raw rows.
    assert not_yet_due(ids, filters, now, keys=True) == not_yet_due_raw(
        ids, filters, now, keys=True
    ), filters
    # Protected figures: every count's record-key sum (its cell key) is the raw rows' too.
    keyed = funnel(ids, filters, prevention_ids=prevention, now=now, keys=True)
    raw_keyed = funnel_raw(ids, filters, prevention_ids=prevention, now=now, keys=True)
    assert keyed.keys == raw_keyed.keys, filters
    assert comparable(keyed) == comparable(fast), filters
    assert trend(ids, filters, keys=True) == trend_raw(ids, filters), filters
    # The raw trend also carries the offers' key sums (for protected figures); the counts agree.
    counts = {
        m: {k: v for k, v in row.items() if not k.startswith(KEY)}
        for m, row in trend_raw(ids, filters).items()
    }
    assert trend(ids, filters) == counts, filters


@pytest.fixture
def programmes(personas):
    return [
        ProgrammeFactory(name="Skift spor", has_prevention_conversation=False),
        ProgrammeFactory(name="Lommevending", contact_deadline_days=3),
    ]


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(people=st.lists(plans, min_size=1, max_size=8), data=st.data())
def test_figures_from_the_rollup_equal_the_counts_from_the_raw_rows(
    personas, programmes, people, data
):
    for plan in people:
        play(personas, programmes, plan)
    ids = [p.pk for p in programmes]
    prevention = [p.pk for p in programmes if p.has_prevention_conversation]
    today = timezone.localdate()
    for filters in data.draw(st.lists(filters_strategy(today), min_size=1, max_size=5)):
        assert_same(ids, filters, prevention)
        assert_same(ids[:1], filters, [])


def _rows() -> list[tuple]:
    """The rollup's rows without their ids, leaving out rows whose counts went back to 0."""
    return sorted(
        row[1:]
        for row in FunnelRollup.objects.exclude(
            offered=0,
            yes=0,
            referred=0,
            contact=0,
            first_conversation=0,
            further_sessions=0,
            prevention_accepted=0,
            timed=0,
            within=0,
        ).values_list()
    )


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(people=st.lists(plans, min_size=1, max_size=8))
def test_the_rollup_kept_by_the_services_is_the_one_rebuilt_from_the_raw_rows(
    personas, programmes, people
):
    for plan in people:
        play(personas, programmes, plan)
    kept = _rows()
    now = timezone.now()
    kept_open = _open_rows(now)
    with clock(now):
        call_command("rebuild_funnel_rollup", stdout=mock.Mock())
    assert _rows() == kept
    assert _open_rows(now) == kept_open


def _open_rows(now: dt.datetime) -> list[tuple]:
    return sorted(OpenDeadline.objects.filter(due_at__gte=now).values_list())


PLAN = {
    "days_ago": 0, "minute": 0, "home": "Viborg", "sex": "F", "age": 30,
    "second_programme": True, "answer": "yes", "prevention": None,
    "contact_hours": None, "first": False, "further": False, "close": False,
}  # fmt: skip


def test_a_referral_keeps_its_open_deadline_row_until_its_deadline_passes(personas, programmes):
    play(personas, programmes, PLAN)  # Lommevending: three days to the first contact
    referral = Referral.objects.select_related("offer").get()
    row = OpenDeadline.objects.get(referral_id=referral.pk)
    assert (row.due_at, row.record_key, row.partner) == (
        referral.due_at,
        referral.offer.record_key,
        referral.partner_id,
    )
    assert (row.contacted, row.first_conversation, row.age_band, row.sex) == (
        False, False, "30-39", "F",
    )  # fmt: skip
    services.referral_record_attempt(
        actor=personas.counsellor_a,
        referral=referral,
        at=timezone.now(),
        method=ContactAttempt.Method.PHONE,
        reached=True,
    )
    row.refresh_from_db()
    assert row.contacted
    after = referral.due_at + dt.timedelta(minutes=1)
    with clock(after):
        services.referral_record_step(
            actor=personas.counsellor_a, referral=referral, step=Step.FIRST_CONVERSATION, at=after
        )
    assert not OpenDeadline.objects.exists()


def test_the_night_prunes_the_rows_past_their_deadline_and_keeps_the_open_ones(
    personas, programmes
):
    play(personas, programmes, PLAN)
    play(personas, programmes, PLAN | {"days_ago": 5})  # its deadline passed two days ago
    assert OpenDeadline.objects.count() == 2
    ids = [p.pk for p in programmes]
    before = not_yet_due(ids, Filters(), timezone.now())
    assert before["referred"] == 1
    call_command("prune_open_deadlines", stdout=mock.Mock())
    assert OpenDeadline.objects.count() == 1
    assert not_yet_due(ids, Filters(), timezone.now()) == before


def test_erasure_leaves_the_rollup_counts_intact(personas, programmes):
    plan = {
        "days_ago": 400, "minute": 0, "home": "Viborg", "sex": "F", "age": 30,
        "second_programme": True, "answer": "yes", "prevention": "accepted",
        "contact_hours": 20, "first": True, "further": False, "close": True,
    }  # fmt: skip
    for days_ago in (400, 410, 420):
        play(personas, programmes, plan | {"days_ago": days_ago})
    play(personas, programmes, plan | {"answer": "no"})
    before = funnel([programmes[1].pk], Filters())
    erased = personal_data_erase_expired(now=timezone.now() + dt.timedelta(days=3 * 365))
    assert erased == 4
    assert not Offer.objects.filter(person__isnull=False).exists()
    assert funnel([programmes[1].pk], Filters()) == before
    assert before.counts["first_conversation"] == 3


def test_a_case_is_counted_from_its_raw_rows(personas, world):
    case = services.case_create(
        actor=personas.officer_a,
        journal_number="4100-80000-00077-25",
        title="",
        programme=world.programme,
        offence=world.programme.offences.first(),
    )
    world.answer(world.offer(case=case), Offer.Answer.YES)
    world.offer()
    FunnelRollup.objects.all().delete()  # the case does not need the rollup
    assert funnel([world.programme.pk], Filters(case=case.pk)).counts["yes"] == 1
    rollup_rebuild()
    assert funnel([world.programme.pk], Filters()).counts["offered"] == 2


def _scopes(personas, programmes):
    """Every audience that gets protected figures: the public (one programme), a council
    member (their municipality's residents) and the police beyond their feedback level."""
    return [
        (public_scope(programmes[0]), programmes[:1]),
        (public_scope(programmes[1]), programmes[1:]),
        (insight_scope(personas.council_member), programmes),
        (insight_scope(personas.officer_a), programmes),
    ]


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(people=st.lists(plans, min_size=1, max_size=8), data=st.data())
def test_protected_reports_from_the_rollup_equal_those_from_the_raw_rows(
    personas, programmes, people, data
):
    """The whole report of each protected audience, rounding included, is the same whether its
    counts and cell keys come from the rollup or from the raw rows."""
    for plan in people:
        play(personas, programmes, plan)
    today = timezone.localdate()
    # The police get protected figures beyond the feedback level only from 20 people at the
    # last exact step: a few random people would show them withheld figures, never rounded.
    with mock.patch("sporskifte.insights.report.POLICE_MIN_BASE", 0):
        for filters in data.draw(st.lists(filters_strategy(today), min_size=1, max_size=4)):
            for scope, shown in _scopes(personas, programmes):
                assert scope is not None
                with CaptureQueriesContext(connection) as fast_queries:
                    fast = build_report(scope, shown, filters)
                # A query *on* the offers table, not PostgreSQL's EXTRACT(YEAR FROM
                # "referrals_offer"."created_at") in the age band of the referrals' "due" count.
                assert not any(RAW_OFFERS.search(q["sql"]) for q in fast_queries), (
                    "protected figures were read from the raw offers"
                )
                with mock.patch("sporskifte.insights.selectors.from_rollup", return_value=False):
                    raw = build_report(scope, shown, filters)
                assert fast == raw, (scope.kind, filters)
                assert fast.suppressed


def test_rows_counted_before_the_key_sums_were_kept_are_read_from_the_raw_rows(
    personas, programmes
):
    """A rollup made before migration 0013 has no key sums (NULL): protected figures fall back
    to the raw rows until ``rebuild_funnel_rollup`` runs, never round by a missing key."""
    plan = {
        "days_ago": 40, "minute": 0, "home": "Viborg", "sex": "F", "age": 30,
        "second_programme": False, "answer": "yes", "prevention": None,
        "contact_hours": 20, "first": True, "further": False, "close": False,
    }  # fmt: skip
    for days_ago in (40, 41, 42, 43, 44, 45, 46):
        play(personas, programmes, plan | {"days_ago": days_ago})
    scope = public_scope(programmes[0])
    expected = build_report(scope, programmes[:1], Filters())
    FunnelRollup.objects.update(**dict.fromkeys(KEYS, None))
    assert build_report(scope, programmes[:1], Filters()) == expected
    call_command("rebuild_funnel_rollup", stdout=mock.Mock())
    assert not FunnelRollup.objects.filter(key_offered__isnull=True).exists()
    assert build_report(scope, programmes[:1], Filters()) == expected


@pytest.mark.parametrize("zone", ["Europe/Copenhagen", "Europe/Stockholm", "America/New_York"])
def test_the_offers_local_year_is_the_year_the_rollup_counts_it_in(personas, zone):
    """The age filter asks the database for an offer's local year (``LocalYear``: on SQLite
    the stored UTC text moved by the New Year offset); the rollup takes ``localtime().year`` in
    Python. They must agree on either side of New Year and in summer time."""
    utc = dt.UTC
    moments = [
        dt.datetime(2025, 12, 31, 22, 59, 59, 999999, tzinfo=utc),
        dt.datetime(2025, 12, 31, 23, 0, tzinfo=utc),
        dt.datetime(2026, 1, 1, 4, 59, tzinfo=utc),
        dt.datetime(2026, 1, 1, 5, 0, tzinfo=utc),
        dt.datetime(2026, 6, 30, 22, 30, tzinfo=utc),
    ]
    offers = OfferFactory.create_batch(len(moments))
    for offer, moment in zip(offers, moments, strict=True):
        Offer.objects.filter(pk=offer.pk).update(created_at=moment)
    with timezone.override(zone):
        years = dict(
            Offer.objects.filter(pk__in=[o.pk for o in offers])
            .annotate(year=LocalYear("created_at"))
            .values_list("pk", "year")
        )
        expected = {o.pk: timezone.localtime(m).year for o, m in zip(offers, moments, strict=True)}
    assert years == expected
    assert len(set(expected.values())) == 2  # the moments do straddle New Year in each zone


def _migration(name: str):
    return importlib.import_module(f"sporskifte.referrals.migrations.{name}")


@settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(people=st.lists(plans, min_size=1, max_size=6))
def test_the_migrations_fill_the_trend_months_and_open_deadlines_as_the_services_keep_them(
    personas, programmes, people
):
    for plan in people:
        play(personas, programmes, plan)
    kept, now = _rows(), timezone.now()
    kept_open = _open_rows(now)
    FunnelRollup.objects.filter(level=MONTH_TREND).delete()
    OpenDeadline.objects.all().delete()
    editor = mock.Mock(connection=connection)
    _migration("0020_funnel_rollup_trend_months").fill(django_apps, editor)
    with clock(now):
        _migration("0019_open_deadlines_fill").fill(django_apps, editor)
    assert _rows() == kept
    assert _open_rows(now) == kept_open
