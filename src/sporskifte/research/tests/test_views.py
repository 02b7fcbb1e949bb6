import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from sporskifte.research.models import ResearchProject
from sporskifte.research.tests.conftest import make_project

pytestmark = pytest.mark.django_db


def _form_data(world, **overrides):
    today = timezone.localdate()
    data = {
        "title": "Køberne og rusmiddelrådgivningen",
        "purpose": "Effektmåling sammen med Center for Rusmiddelforskning.",
        "programmes": [world.programme.pk],
        "period_from": (today - dt.timedelta(days=30)).isoformat(),
        "period_to": today.isoformat(),
        "approved_fields": ["programme", "birth_year", "referred_date"],
        "date_coarsening": "quarter",
        "finer_detail_reason": "Alderen skal kunne beregnes præcist.",
        "researchers": [world.personas.researcher.pk],
        "starts_on": today.isoformat(),
        "ends_on": (today + dt.timedelta(days=30)).isoformat(),
    }
    data.update(overrides)
    return data


def test_admin_creates_and_approves_a_project_through_the_pages(world, as_user):
    client = as_user(world.personas.admin_a)
    form_page = client.get(reverse("research:project_new"))
    assert form_page.status_code == 200
    assert 'value="days_to_first_contact"' in form_page.content.decode()
    response = client.post(reverse("research:project_new"), _form_data(world))
    project = ResearchProject.objects.get()
    assert response.status_code == 302
    assert project.approved_fields == ["programme", "birth_year", "referred_date"]
    assert project.police_district_id == world.programme.police_district_id
    assert not project.is_approved
    client.post(reverse("research:project_approve", args=[project.pk]))
    project.refresh_from_db()
    assert project.approved_by == world.personas.admin_a and project.is_approved


def test_form_rejects_other_districts_programme_and_reversed_period(world, as_user):
    client = as_user(world.personas.admin_a)
    today = timezone.localdate()
    response = client.post(
        reverse("research:project_new"),
        _form_data(
            world,
            programmes=[world.programme_b.pk],
            period_from=today.isoformat(),
            period_to=(today - dt.timedelta(days=5)).isoformat(),
        ),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "programmes" in form.errors
    assert not ResearchProject.objects.exists()
    response = client.post(
        reverse("research:project_new"),
        _form_data(
            world,
            period_from=today.isoformat(),
            period_to=(today - dt.timedelta(days=5)).isoformat(),
        ),
    )
    assert "period_to" in response.context["form"].errors
    assert not ResearchProject.objects.exists()


def test_editing_shows_the_saved_fields_and_withdraws_approval(world, as_user):
    project = make_project(world, fields=["sex", "answer"])
    client = as_user(world.personas.admin_a)
    page = client.get(reverse("research:project_edit", args=[project.pk])).content.decode()
    assert re.search(r'<input[^>]*value="sex"[^>]*checked', page)
    assert not re.search(r'<input[^>]*value="offence"[^>]*checked', page)
    # A date input only shows an ISO date, whatever the language.
    assert f'name="ends_on" value="{project.ends_on.isoformat()}"' in page
    client.post(
        reverse("research:project_edit", args=[project.pk]),
        _form_data(world, title="Nyt navn"),
    )
    project.refresh_from_db()
    assert project.title == "Nyt navn" and not project.is_approved


def test_researcher_page_offers_downloads_and_dictionary(world, as_user):
    project = make_project(world)
    client = as_user(world.personas.researcher)
    page = client.get(reverse("research:project_detail", args=[project.pk])).content.decode()
    assert reverse("research:extract_csv", args=[project.pk]) in page
    assert reverse("research:extract_xlsx", args=[project.pk]) in page
    assert reverse("research:project_approve", args=[project.pk]) not in page
    dictionary = client.get(reverse("research:dictionary", args=[project.pk])).content.decode()
    assert "HMAC-SHA256" in dictionary
    assert "days_to_first_contact" in dictionary


@pytest.mark.parametrize("persona", ["researcher", "admin_a"])
def test_navigation_links_to_research_projects(world, as_user, persona):
    client = as_user(getattr(world.personas, persona))
    page = client.get(reverse("research:project_list")).content.decode()
    assert f'href="{reverse("research:project_list")}"' in page


def test_officer_has_no_research_link(world, as_user):
    page = as_user(world.personas.officer_a).get(reverse("referrals:overview")).content.decode()
    assert reverse("research:project_list") not in page
