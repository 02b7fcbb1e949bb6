"""The menu's "Figures and impact" entry asks ``insight_audience``, which builds no queryset;
it must answer exactly as the figures page's ``insight_scope`` does, for every persona."""

import dataclasses

import pytest
from django.urls import reverse

from sporskifte.insights.selectors import insight_audience, insight_scope

pytestmark = pytest.mark.django_db


def test_the_menus_audience_is_the_figures_pages_scope_for_every_persona(personas):
    kinds = set()
    for field in dataclasses.fields(personas):
        user = getattr(personas, field.name)
        scope = insight_scope(user)
        assert insight_audience(user) == (scope.kind if scope else None), field.name
        kinds.add(insight_audience(user))
    assert {"police", "partner", "council", None} <= kinds  # every branch was asked


def test_the_menu_shows_figures_to_whom_the_page_answers(personas, as_user):
    page, figures = reverse("core:accessibility"), reverse("insights:report")
    for user in (personas.officer_a, personas.counsellor_a, personas.researcher):
        menu = as_user(user).get(page).content.decode()
        answered = as_user(user).get(figures).status_code == 200
        assert (f'href="{figures}"' in menu) is answered, user
