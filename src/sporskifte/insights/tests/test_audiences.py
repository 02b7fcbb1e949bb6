"""Issue 7 §1: help does not flow back to the police through the figures. Each audience may ask
only what ``insights.audiences`` allows, on the page, in the exports and in the API alike."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from sporskifte.api.tests.conftest import client_for, issue_token
from sporskifte.insights.audiences import AUDIENCES, POLICE_MIN_BASE, exact_steps
from sporskifte.insights.suppression import WITHHELD
from sporskifte.referrals.models import Offer, Programme, Step
from sporskifte.testing.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db

REPORT = reverse("insights:report")
EXPORT = reverse("insights:export")
API = reverse("v1:insights-funnel")


@pytest.fixture
def contact_only(personas):
    """A programme that lets the police learn whether contact was made, nothing more."""
    return ProgrammeFactory(name="Kontakt", feedback_level=Programme.Feedback.CONTACT_MADE)


def _one_person_with_further_sessions(world, programme):
    case = programme.cases.create(
        police_district=programme.police_district,
        journal_number="4100-00000-00007-26",
        offence=programme.offences.first(),
    )
    offer = world.answer(world.offer(programme=programme, case=case), Offer.Answer.YES)
    world.step(offer.referral, Step.FURTHER_SESSIONS)
    return case


def _csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


@pytest.mark.parametrize("named_by", ["case", "journal_number"])
def test_police_cannot_read_one_persons_outcome_through_a_case(
    personas, world, contact_only, as_user, named_by
):
    # The issue's finding: ?programme=..&case=.. said "further_sessions: 1". The journal
    # number is the same case by another name, and gets the same answer.
    case = _one_person_with_further_sessions(world, contact_only)
    which = case.pk if named_by == "case" else case.journal_number
    api = client_for(issue_token("midt-vestjylland", "officer"))
    body = api.get(API, {"programme": contact_only.pk, named_by: which}).json()
    counts = {s["key"]: s["count"] for s in body["steps"]}
    assert counts["contact"] == 1  # within the feedback level: exact
    assert counts["first_conversation"] == WITHHELD
    assert counts["further_sessions"] == WITHHELD
    assert body["suppressed"] is True

    web = as_user(personas.officer_a)
    params = {"programme": contact_only.pk, named_by: which}
    rows = _csv_rows(web.get(EXPORT, params | {"format": "csv"}))
    further = next(r for r in rows if r and r[0] == "Further sessions accepted")
    assert further[1] == WITHHELD
    book = load_workbook(io.BytesIO(web.get(EXPORT, params | {"format": "xlsx"}).content))
    funnel = [row for row in book["Funnel"].iter_rows(values_only=True)]
    assert ("Further sessions accepted", WITHHELD, None, None, None) in funnel
    page = web.get(REPORT, params).context["report"]
    assert {r.key: r.count for r in page.steps}["further_sessions"] == WITHHELD


def test_police_see_steps_beyond_the_feedback_level_only_protected(personas, world, contact_only):
    _one_person_with_further_sessions(world, contact_only)
    api = client_for(issue_token("midt-vestjylland", "officer"))
    body = api.get(API, {"programme": contact_only.pk}).json()
    # One person contacted: under the police's minimum base, so even protected is too much.
    assert {s["key"]: s["count"] for s in body["steps"]}["further_sessions"] == WITHHELD
    world.funnel_people(
        yes=POLICE_MIN_BASE, first=POLICE_MIN_BASE, further=1, programme=contact_only
    )
    world.round_all("down")
    for params in ({"programme": contact_only.pk}, {}, {"period": "year"}):
        if params.get("period"):
            params["year"] = str(Offer.objects.first().created_at.year)
        body = api.get(API, params).json()
        counts = {s["key"]: s["count"] for s in body["steps"]}
        assert counts["further_sessions"] == "<5", params
        assert counts["first_conversation"] == 20, params  # 21, rounded down
        assert all("further" not in k for k in body["trend_series"])
    # Narrowed by sex, age band, municipality or offence: withheld, not protected.
    for params in (
        {"sex": "M"},
        {"age_band": "18-24"},
        {"offence": contact_only.offences.first().pk},
    ):
        counts = {s["key"]: s["count"] for s in api.get(API, params).json()["steps"]}
        assert counts["further_sessions"] == WITHHELD, params
        assert isinstance(counts["contact"], int), params  # within the level: exact


def test_police_see_everything_exact_where_the_programme_allows_the_outcome(personas, world):
    case = _one_person_with_further_sessions(world, world.programme)  # feedback: outcome
    api = client_for(issue_token("midt-vestjylland", "officer"))
    body = api.get(API, {"programme": world.programme.pk, "case": case.pk}).json()
    assert {s["key"]: s["count"] for s in body["steps"]}["further_sessions"] == 1
    assert body["suppressed"] is False


def test_all_programmes_together_follow_the_lowest_feedback_level(personas, contact_only):
    outcome = ProgrammeFactory(name="Udfald", feedback_level=Programme.Feedback.OUTCOME)
    assert "further_sessions" in exact_steps("police", [outcome])
    assert "further_sessions" not in exact_steps("police", [outcome, contact_only])
    assert "contact" in exact_steps("police", [outcome, contact_only])
    nothing = ProgrammeFactory(name="Intet", feedback_level=Programme.Feedback.NOTHING)
    assert "contact" not in exact_steps("police", [nothing])


def test_protected_time_to_contact_for_police_below_contact_level(personas, world):
    nothing = ProgrammeFactory(name="Intet", feedback_level=Programme.Feedback.NOTHING)
    case = _one_person_with_further_sessions(world, nothing)
    api = client_for(issue_token("midt-vestjylland", "officer"))
    body = api.get(API, {"programme": nothing.pk, "case": case.pk}).json()
    assert body["timed"] == WITHHELD
    assert body["median_days"] is None
    assert {s["key"]: s["count"] for s in body["steps"]}["contact"] == WITHHELD


@pytest.mark.parametrize("field", ["case", "journal_number", "date_from", "municipality"])
def test_council_members_are_not_offered_filters_that_narrow_to_a_person(
    field, personas, world, as_user
):
    form = as_user(personas.council_member).get(REPORT).context["form"]
    assert field not in form.fields
    assert field not in AUDIENCES["council"].filters


def test_council_and_public_cannot_ask_for_a_free_date_range(personas, world, as_user):
    api = client_for(issue_token("kommune-dk-0791", "council_member"))
    response = api.get(API, {"period": "range", "date_from": "2026-01-01", "date_to": "2026-01-02"})
    assert response.status_code == 400
    assert "period" in response.json()
    public = reverse("insights:public", args=[world.programme.pk])
    page = client_for(None).get(public, {"period": "range"})
    assert page.context["report"] is None
    assert "period" in page.context["form"].errors


def test_a_case_sent_by_a_council_member_is_ignored(personas, world, as_user):
    case = _one_person_with_further_sessions(world, world.programme)
    world.funnel_people(yes=6, first=6, further=6)
    world.round_all("down")
    report = as_user(personas.council_member).get(REPORT, {"case": case.pk}).context["report"]
    assert {r.key: r.count for r in report.steps}["further_sessions"] == 5  # all 7, rounded
