"""Issue 7 §2, research extracts: coarse by default, finer detail only with a reason, and the
approving district warned of finer detail and of people shared with earlier projects."""

import datetime as dt
import random
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from sporskifte.referrals.models import RECORD_KEY_RANGE, Offer
from sporskifte.research import catalogue
from sporskifte.research.selectors import extract_offers
from sporskifte.research.tests.conftest import make_project
from sporskifte.testing.factories import municipality

pytestmark = pytest.mark.django_db


def test_finer_detail_needs_a_reason(world):
    with pytest.raises(ValidationError) as exc:
        make_project(world, fields=["programme", "birth_year"], coarsening="month", reason="")
    assert "finer_detail_reason" in exc.value.message_dict
    with pytest.raises(ValidationError):
        make_project(world, fields=["programme"], coarsening="day", reason=" ")
    project = make_project(world, fields=catalogue.DEFAULT_FIELDS, coarsening="month", reason="")
    assert project.is_approved


def test_a_new_project_is_coarse_unless_asked(world, as_user):
    form = as_user(world.personas.admin_a).get(reverse("research:project_new")).context["form"]
    assert form.initial["date_coarsening"] == "month"
    assert "birth_year" not in form.initial["approved_fields"]
    assert "age_band" in form.initial["approved_fields"]


def test_the_approving_administrator_is_warned_of_finer_detail_and_shared_people(world, as_user):
    make_project(world, title="Første projekt", fields=catalogue.DEFAULT_FIELDS, coarsening="month")
    second = make_project(world, title="Andet projekt", approve=False)
    Offer.objects.update(record_key=RECORD_KEY_RANGE - 1)  # round the shared count down
    shared = Offer.objects.filter(person__isnull=False).values("person").distinct().count()
    page = as_user(world.personas.admin_a).get(reverse("research:project_detail", args=[second.pk]))
    html = page.content.decode()
    assert "Before you approve" in html
    assert "Birth year" in html and "dates by day" in html
    assert "Tiden til første kontakt måles i dage." in html
    assert [(o.project.title, o.people) for o in page.context["overlaps"]] == [
        ("Første projekt", shared - shared % 5 or "<5")
    ]
    researcher = as_user(world.personas.researcher)
    seen = researcher.get(reverse("research:project_detail", args=[second.pk]))
    assert seen.status_code == 200 and "Before you approve" not in seen.content.decode()


def _population(world, n, rng):
    """``n`` offers of a young population over the project period, as police register them."""
    today = timezone.localdate()
    homes = [municipality("Viborg"), municipality("Skive")]
    offers = []
    for _ in range(n):
        at = timezone.make_aware(
            dt.datetime.combine(today - dt.timedelta(days=rng.randrange(50)), dt.time(12))
        )
        answer = rng.choice([Offer.Answer.YES, Offer.Answer.NO, Offer.Answer.NO])
        offers.append(
            Offer(
                programme=world.programme,
                police_district=world.programme.police_district,
                offence=world.programme.offences.first(),
                offence_date=(at - dt.timedelta(days=rng.randrange(5))).date(),
                answer=answer,
                offered_at=at,
                answered_at=at + dt.timedelta(hours=rng.randrange(1, 30)),
                birth_year=today.year - rng.randrange(15, 25),
                sex=rng.choice("FM"),
                home_municipality=rng.choice(homes),
            )
        )
    Offer.objects.bulk_create(offers)


def _unique_matches(first, second) -> int:
    """Rows of the first extract whose values (all but the pseudonym) match exactly one row of
    the second: the rows a reader with both can link one to one."""

    def rows(project):
        columns = catalogue.ordered(project.approved_fields)
        level = project.date_coarsening
        return [tuple(c.compute(row, level) for c in columns) for row in extract_offers(project)]

    theirs = Counter(rows(second))
    return sum(1 for row in rows(first) if theirs[row] == 1)


@pytest.fixture
def fixed_today(monkeypatch):
    """The seeded population spans the 50 days before today. How many calendar months that
    touches, and how thin the first and the last are, decides how many rows stay unique at month
    level: on 1 December, a December of one day made 18 rows unique instead of 14 and
    failed the test. Every ``timezone.now()`` reads this moment instead (set before ``world``)."""
    moment = dt.datetime(2026, 11, 20, 11, 0, tzinfo=dt.UTC)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    return moment


def test_two_default_extracts_of_the_same_people_can_hardly_be_matched_row_by_row(
    fixed_today, world
):
    # Seeded and dated: 310 of 312 rows link one to one at day and birth year, 14 at month and
    # age band.
    _population(world, 300, random.Random(7))
    a, b = (
        make_project(world, title=t, fields=catalogue.DEFAULT_FIELDS, coarsening="month")
        for t in ("A", "B")
    )
    total = extract_offers(a).count()
    fine_a, fine_b = (make_project(world, title=t) for t in ("C", "D"))  # day, birth year
    fine = _unique_matches(fine_a, fine_b)
    coarse = _unique_matches(a, b)
    assert fine > 0.8 * total  # the issue: 546 of 582
    assert coarse < 0.05 * total
