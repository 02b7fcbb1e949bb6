"""Which entries each role sees in the main menu (accounts.menu), in the order they stand, and
which one is marked as the page's section."""

import re

import pytest
from django.test import RequestFactory
from django.urls import resolve
from django.utils import translation

from sporskifte.accounts import menu
from sporskifte.accounts.models import Membership, Role, User
from sporskifte.core.templatetags.sporskifte import fixed_url
from sporskifte.organisations.models import Country, Organisation

POLICE = [
    "referrals:overview",
    "referrals:offer_new",
    "referrals:case_list",
    "concerns:case_list",
    "victims:information_new",
]
OUTREACH = ["outreach:visit_request_list", "outreach:school_concern_list"]
SECRETARIAT = ["outreach:warning_list", "outreach:contact_points", *OUTREACH]

EXPECTED = {
    Role.OFFICER: [*POLICE, *OUTREACH, "mediation:police_list"],
    Role.INVESTIGATOR: [*POLICE, *OUTREACH, "mediation:police_list"],
    Role.DISTRICT_ADMIN: [
        *POLICE,
        "referrals:programme_list",
        "audit:search",
        *SECRETARIAT,
        "research:project_list",
        "mediation:police_list",
        "screening:hit_list",
    ],
    Role.COUNSELLOR: [],  # a municipality's counsellor (in fora): no inbox
    Role.RESEARCHER: ["research:project_list"],
    Role.COUNCIL_MEMBER: [],
    Role.SYSTEM_ADMIN: [
        "audit:search",
        "accounts:user_list",
        "accounts:api_token_list",
        "jobs:job_list",
    ],
    Role.MEDIATION_COORDINATOR: ["mediation:queue"],
    Role.MEDIATOR: ["mediation:my_cases"],
    Role.SCREENING_OFFICER: ["screening:hit_list"],
    Role.CHILD_SERVICES: ["screening:inbox"],
    Role.PREVENTION_SECRETARIAT: SECRETARIAT,
    Role.VICTIM_ADVISER: ["victims:inbox", "victims:month", "victims:figures"],
    Role.EXIT_COORDINATOR: ["exit:case_list"],
    Role.PROSECUTOR: ["mediation:prosecutor_list"],
}


@pytest.fixture
def answers(monkeypatch):
    """The apps' questions answered by hand: by default nobody is in a forum or a council and
    nobody gets figures."""
    found = {"insights": False, "fora": False, "councils": False}
    for name in found:
        monkeypatch.setitem(menu._conditions, name, lambda user, name=name: found[name])
    return found


def entries(role, *, country=Country.DENMARK, partner=False, path="/"):
    organisation = Organisation(
        pk=1,
        name="X",
        country=country,
        kind=Organisation.Kind.NGO if partner else Organisation.Kind.MUNICIPALITY,
    )
    membership = Membership(role=role, organisation=organisation)
    user = User(username="u")
    user._sporskifte_membership = membership
    request = RequestFactory().get(path)
    request.user = user
    html = menu.menu_html(request, membership)
    return [resolve(href).view_name for href in re.findall(r'href="([^"]+)"', html)], html


@pytest.mark.parametrize("role", list(Role))
def test_each_role_sees_its_entries_in_order(role, answers):
    assert entries(role)[0] == EXPECTED[role]


def test_a_partner_centres_counsellor_sees_the_inbox(answers):
    assert entries(Role.COUNSELLOR, partner=True)[0] == ["referrals:inbox"]


def test_swedish_police_have_no_danish_victim_support_entry(answers):
    assert "victims:information_new" not in entries(Role.OFFICER, country=Country.SWEDEN)[0]


def test_the_apps_questions_add_their_entries_where_they_stand(answers):
    answers.update(insights=True, fora=True, councils=True)
    shown = entries(Role.COUNSELLOR, partner=True)[0]
    assert shown == [
        "referrals:inbox",
        "insights:report",
        "fora:forum_list",
        "councils:council_list",
    ]


def test_an_entry_whose_question_no_app_registered_is_hidden(answers, monkeypatch):
    monkeypatch.delitem(menu._conditions, "fora")
    monkeypatch.setitem(answers, "fora", True)
    assert "fora:forum_list" not in entries(Role.COUNCIL_MEMBER)[0]


def test_the_section_the_page_lies_under_is_marked_current(answers):
    cases, overview = fixed_url("referrals:case_list"), fixed_url("referrals:overview")
    assert cases.count("/") > 2  # a section below the top: its pages lie under it
    _, html = entries(Role.OFFICER, path=f"{cases}123/")
    current = re.findall(
        r'<li class="active"><a class="nav-link" href="([^"]+)" aria-current', html
    )
    assert current == [cases]
    # A top-level address is current only on itself: every page lies under "/henvisninger/".
    _, html = entries(Role.OFFICER, path=overview)
    assert html.count('aria-current="page"') == 1
    assert entries(Role.OFFICER, path=f"{overview}123/")[1].count("aria-current") == 0


def test_a_swedish_user_reads_the_menu_in_swedish(answers):
    with translation.override("sv"):
        _, html = entries(Role.OFFICER, country=Country.SWEDEN)
    assert "<span>Hänvisningar</span>" in html and "<span>Referrals</span>" not in html
