"""Socialsøg's figures attacked by a reader who keeps every week's page or export.

The hits per week cover the last twelve weeks, so each week's page is a different view of
mostly the same weeks: a past week's count never changes, and a reader who lines the pages up
by week has each week's count and both totals. Protected one page at a time (a complement
chosen anew each week), a small week came back as this week's total minus last week's.
The notifications' lists are attacked in ``test_figure_quarters``."""

import datetime as dt

import pytest
from django.db.models import F
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from sporskifte.insights.tests.linear_attacker import Attacker
from sporskifte.screening.figures import figures_for, protected_weeks
from sporskifte.screening.models import Hit
from sporskifte.screening.tests.conftest import screened

pytestmark = pytest.mark.django_db

WINDOW = 12


def _hits_in_weeks(per_week: list[int]) -> None:
    """``per_week[k]`` hits created k weeks ago (the same weekday and hour)."""
    template = Hit.objects.get()
    now = timezone.now()
    Hit.objects.bulk_create(
        Hit(
            police_district_id=template.police_district_id,
            rule_id=template.rule_id,
            rule_version_id=template.rule_version_id,
            run_id=template.run_id,
            adult_id_number=f"A{k:02d}{i:03d}",
            child_id_number=f"C{k:02d}{i:03d}",
            child_birth_date=template.child_birth_date,
            last_incident_id=template.last_incident_id,
            last_incident_at=template.last_incident_at,
        )
        for k, n in enumerate(per_week)
        for i in range(n)
    )
    for k in range(len(per_week)):
        Hit.objects.filter(adult_id_number__startswith=f"A{k:02d}").update(
            created_at=now - dt.timedelta(days=7 * k, hours=1)
        )
    template.delete()


def _pages_over_time(looks: int) -> list[tuple[list[tuple[dt.date, object]], object]]:
    """The page this week, then each week after (no new hits: the window moves on)."""
    pages = []
    for _ in range(looks):
        f = figures_for(Hit.objects.values_list("police_district_id", flat=True).first())
        pages.append((f.weeks, f.weeks_total))
        Hit.objects.update(created_at=F("created_at") - dt.timedelta(days=7))
    return pages


def _pinned(pages) -> dict:
    a = Attacker()
    for n, (weeks, total) in enumerate(pages):
        # The same week seen on two pages is one count (past weeks do not change).
        for week, shown in weeks:
            a.see(week + dt.timedelta(days=7 * n), shown)
        a.see(("total", n), total)
        a.total(("total", n), [week + dt.timedelta(days=7 * n) for week, _shown in weeks])
    return a.pinned()


@pytest.fixture
def one_hit(personas, district_a, rule):
    screened(personas, district_a, "0101809000", ("0101159000", "0661"))


def test_a_small_week_cannot_be_had_as_this_weeks_total_minus_next_weeks(one_hit):
    # Eleven busy weeks and, twelve weeks ago, three hits: hidden, with a complement beside
    # them. A week later the three have left the window and both totals are shown.
    _hits_in_weeks([12, 14, 10, 11, 13, 6, 15, 12, 10, 11, 14, 3])
    pages = _pages_over_time(2)
    assert not _pinned(pages)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 12), min_size=WINDOW + 3, max_size=WINDOW + 3))
def test_no_week_is_pinned_by_lining_up_four_weeks_of_pages(counts):
    # The same as above without the database: four windows of twelve weeks, one week apart.
    weeks = [dt.date(2026, 1, 5) + dt.timedelta(days=7 * k) for k in range(len(counts))]
    a = Attacker()
    for start in range(len(counts) - WINDOW + 1):
        window = dict(zip(weeks[start : start + WINDOW], counts[start : start + WINDOW]))
        shown, total = protected_weeks(window)
        for week, value in shown.items():
            a.see(week, value)
        a.see(("total", start), total)
        a.total(("total", start), list(window))
    assert not a.pinned()
