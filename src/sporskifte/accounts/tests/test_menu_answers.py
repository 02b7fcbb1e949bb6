"""The menu's forum and council questions answered once a minute per user and worker, asked
anew when the membership changes (accounts.menu)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sporskifte.accounts import menu
from sporskifte.accounts.models import Membership, Role

PAGE = reverse("core:accessibility")


@pytest.fixture
def remembered(settings, monkeypatch):
    """The production setting, and a clock moved by hand."""
    settings.MENU_ANSWER_SECONDS = 60
    menu.forget_menu_answers()
    clock = [1000.0]
    monkeypatch.setattr(menu.time, "monotonic", lambda: clock[0])
    yield clock
    menu.forget_menu_answers()


def menu_queries(client):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(PAGE).status_code == 200
    return [
        q["sql"]
        for q in captured
        if '"fora_forummember"' in q["sql"] or '"councils_councilmember"' in q["sql"]
    ]


@pytest.mark.django_db
def test_the_menu_asks_about_fora_and_councils_once_a_minute(as_user, personas, remembered):
    client = as_user(personas.counsellor_a)
    assert len(menu_queries(client)) == 2
    assert menu_queries(client) == []

    remembered[0] += 61
    assert len(menu_queries(client)) == 2


@pytest.mark.django_db
def test_a_changed_role_is_asked_about_on_the_next_page(as_user, personas, remembered):
    client = as_user(personas.counsellor_a)
    menu_queries(client)

    Membership.objects.filter(user=personas.counsellor_a).update(role=Role.RESEARCHER)
    assert menu_queries(client) != []  # asked again (a researcher's fora need no query)


@pytest.mark.django_db
def test_each_user_and_question_has_its_own_answer(personas, remembered):
    asked = []

    def ask(user):
        asked.append(user.username)
        return user.username == "officer_a"

    officer, counsellor = personas.officer_a, personas.counsellor_a
    assert menu.menu_answer(officer, "fora", ask) is True
    assert menu.menu_answer(counsellor, "fora", ask) is False
    assert menu.menu_answer(officer, "councils", ask) is True
    assert menu.menu_answer(officer, "fora", ask) is True  # remembered
    assert asked == ["officer_a", "counsellor_a", "officer_a"]
