"""Pages: the manager's forms change things through the services, refusals show as errors and
change nothing, lists read in a fixed number of queries, and the chair finds the year-end form."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from sporskifte.councils import plans, seed002, status
from sporskifte.councils.models import CouncilMember, FocusArea, IndicatorStatus, Plan
from sporskifte.testing.jobs import run_queued_jobs


def test_adding_a_member_with_a_term_ending_before_it_starts_shows_the_refusal(
    world, personas, as_user
):
    before = CouncilMember.objects.count()
    response = as_user(personas.secretariat_a).post(
        f"/raad/{world.viborg.pk}/",
        {
            "member-name": "Ny", "member-role": "member", "member-standing": "community",
            "member-term_start": "2024-01-01", "member-term_end": "2023-01-01",
        },
    )  # fmt: skip
    assert response.status_code == 200
    assert "A term cannot end before it starts." in response.content.decode()
    assert CouncilMember.objects.count() == before


def test_the_chair_finds_the_year_end_form_and_gives_input(world, personas, as_user):
    draft = plans.plan_create(actor=personas.admin_a, council=world.kredsraad, year=2024, title="P")
    client = as_user(personas.council_member)
    assert f"/raad/plan/{draft.pk}/input/" in client.get("/raad/").content.decode()
    response = client.post(f"/raad/plan/{draft.pk}/input/", {"text": "Mere om PSP i Viborg"})
    assert response.status_code == 302
    assert draft.year_end_inputs.get().council == world.viborg
    assert as_user(world.mayor).get(f"/raad/plan/{draft.pk}/input/").status_code == 404


@pytest.fixture
def plan(world, personas):
    plan = seed002.build_plan(actor=personas.admin_a, kredsraad=world.kredsraad)
    Plan.objects.filter(pk=plan.pk).update(state=Plan.State.PUBLISHED)
    plan.refresh_from_db()
    return plan


def test_public_page_reads_in_a_fixed_number_of_queries(plan, django_assert_max_num_queries):
    # 21 focus areas, 6 sections, 2 members: the count does not grow with them.
    with django_assert_max_num_queries(14):
        assert Client().get("/samarbejdsplan/midt-vestjylland/").status_code == 200


def test_status_flags_read_in_four_queries(plan, django_assert_num_queries):
    with django_assert_num_queries(4):  # focus areas, municipalities, indicators, statuses
        found = status.flags(plan, 1, dt.date(2023, 4, 1))
    assert len(found) == plan.focus_areas.count()


def test_councils_status_writes_fed_statuses_and_reminds(plan, django_capture_on_commit_callbacks):
    area = FocusArea.objects.get(plan=plan, title="Indbrud")
    area.owner.email = "silkeborg@example.invalid"
    area.owner.save()
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("councils_status", "--remind", "--year", "2023", stdout=out)
    assert "44 statuses written" in out.getvalue()  # 11 municipalities x 4 quarters, withheld
    assert IndicatorStatus.objects.filter(indicator__feed="referral_uptake").count() == 44
    assert "silkeborg@example.invalid" in {a for m in outbox() for a in m.to}


def test_yearly_report_web_and_pdf(plan, personas, as_user):
    client = as_user(personas.secretariat_a)
    page = client.get(f"/raad/plan/{plan.pk}/aarsrapport/").content.decode()
    assert "Indbrud" in page and "Antal anmeldelser: indbrud" in page
    pdf = client.get(f"/raad/plan/{plan.pk}/aarsrapport.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def outbox() -> list:
    """The e-mails sent once the queued jobs have run, as a worker would run them."""
    from django.core import mail

    run_queued_jobs()
    return mail.outbox
