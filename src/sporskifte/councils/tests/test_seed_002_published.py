"""Seed 002 re-created: its parts and each municipality's focus areas reach the public page and
the PDF, and nothing internal or personal does."""

from __future__ import annotations

import pytest
from django.test import Client

from sporskifte.councils import plans, seed002, services
from sporskifte.councils.models import CouncilMember, FocusArea, Plan
from sporskifte.councils.pdf import plan_pdf
from sporskifte.councils.public import plan_content

# Written from the seed's text, independently of seed002.py.
SEED_LOCAL = {
    "Viborg": {"Psykisk syge", "IT-kriminalitet", "Rusmidler"},
    "Herning": {"Rusmidler", "Unge i UKN og anden foranstaltning"},
    "Silkeborg": {"Rusmidler", "Indbrud", "IT-kriminalitet", "Trafik"},
}


@pytest.fixture
def published(world, personas):
    admin = personas.admin_a
    plan = seed002.build_plan(actor=admin, kredsraad=world.kredsraad)
    FocusArea.objects.filter(plan=plan).update(internal_note="INTERN-NOTE-HEMMELIG")
    services.member_add(
        actor=admin,
        council=world.kredsraad,
        name="Naboformand Ulla Privat",
        role=CouncilMember.Role.MEMBER,
        standing=CouncilMember.Standing.COMMUNITY,
        term_start=world.meetings[0].starts_at.date(),
    )
    plans.plan_put_on_agenda(actor=admin, plan=plan, meeting=world.meetings[0])
    services.meeting_hold(actor=admin, meeting=world.meetings[0], minutes="Drøftet.")
    services.meeting_hold(actor=admin, meeting=world.meetings[1], minutes="Godkendt.")
    services.minutes_approve(actor=admin, meeting=world.meetings[0])
    plans.plan_publish(actor=admin, plan=plan)
    plan.refresh_from_db()
    return plan


def test_structure_of_seed_002(published):
    assert sorted({s.part for s in published.sections.all()}) == [1, 2]
    local = {}
    for area in published.focus_areas.filter(scope="local").prefetch_related("municipalities"):
        for m in area.municipalities.all():
            local.setdefault(m.name, set()).add(area.title)
    for name, titles in SEED_LOCAL.items():
        assert local[name] == titles
    assert len(local) == 5


def test_public_page_shows_the_plan_without_log_in(published):
    response = Client().get("/samarbejdsplan/midt-vestjylland/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kredsrådets organisering og ansvar" in html
    assert "Del 1" in html and "Del 2" in html
    for name, titles in SEED_LOCAL.items():
        assert f"{name} Kommune" in html
        for t in titles:
            assert t in html
    assert "Politidirektør Helle Kyndesen" in html
    assert "Ulla Privat" not in html
    assert "INTERN-NOTE-HEMMELIG" not in html


def test_pdf_is_laid_out_like_the_seed(published):
    rendered = plan_pdf(plan_content(published))
    assert rendered.pdf.startswith(b"%PDF")
    text = rendered.text()
    lowered = text.lower()  # headings are set in capitals, as in the seed
    assert "indholdsfortegnelse" in lowered and "del 1" in lowered and "del 2" in lowered
    assert "samarbejdsplan 2023" in lowered
    assert "Lokalrådenes organisering og ansvar" in text
    for titles in SEED_LOCAL.values():
        for t in titles:
            assert t in text
    assert "Ulla Privat" not in text and "INTERN-NOTE-HEMMELIG" not in text


def test_pdf_is_served_publicly(published):
    response = Client().get("/samarbejdsplan/midt-vestjylland/2023.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_a_draft_is_not_public(world, personas):
    seed002.build_plan(actor=personas.admin_a, kredsraad=world.kredsraad)
    assert Client().get("/samarbejdsplan/midt-vestjylland/").status_code == 404


def test_older_years_stay_published(published, personas):
    Plan.objects.filter(pk=published.pk).update(year=2022)
    newer = seed002.build_plan(actor=personas.admin_a, kredsraad=published.council)
    Plan.objects.filter(pk=newer.pk).update(state=Plan.State.PUBLISHED)
    page = Client().get("/samarbejdsplan/midt-vestjylland/").content.decode()
    assert "/samarbejdsplan/midt-vestjylland/2022/" in page
    assert Client().get("/samarbejdsplan/midt-vestjylland/2022/").status_code == 200
