"""Every role against every object of the outreach, victim-support and exit apps.

Allowed pairs answer 200; every other pair answers 404, exactly like a missing object. Removing
any access rule (a selector's scope, a view's role check) flips at least one cell.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from sporskifte.accounts.models import Role
from sporskifte.exit import services as exit_services
from sporskifte.exit.models import ExitCoordinator, ExitUnit
from sporskifte.organisations.models import Organisation
from sporskifte.outreach import schools
from sporskifte.outreach import services as outreach_services
from sporskifte.people.models import Person
from sporskifte.people.services import person_build
from sporskifte.testing.factories import district, fictitious_cpr, member, municipality
from sporskifte.victims import services as victim_services

pytestmark = pytest.mark.django_db

BASE = [
    "officer_a",
    "investigator_a",
    "admin_a",
    "officer_b",
    "counsellor_a",
    "counsellor_b",
    "ngo",
    "researcher",
    "council_member",
    "sysadmin",
]
EXTRA = ["unit_a", "unit_b", "adviser_a", "adviser_b", "exit_a", "exit_prison_a", "exit_b"]


@pytest.fixture
def world(personas):
    a, b = district("midt-vestjylland"), district("sydoestjylland")
    users = dict(personas.all())
    users["unit_a"] = member("unit_a", a, Role.PREVENTION_SECRETARIAT)
    users["unit_b"] = member("unit_b", b, Role.PREVENTION_SECRETARIAT)
    for name, dist in (("adviser_a", a), ("adviser_b", b)):
        unit = Organisation.objects.create(
            name=name, slug=name, kind=Organisation.Kind.VICTIM_SUPPORT, country="DK", parent=dist
        )
        users[name] = member(name, unit, Role.VICTIM_ADVISER)
    unit_a = ExitUnit.objects.create(district=a, name="Exit A")
    unit_b = ExitUnit.objects.create(district=b, name="Exit B")
    users["exit_a"] = member(
        "exit_a", Organisation.objects.get(slug="kommune-dk-0791"), Role.EXIT_COORDINATOR
    )
    users["exit_prison_a"] = member(
        "exit_prison_a", Organisation.objects.get(slug="kriminalforsorgen"), Role.EXIT_COORDINATOR
    )
    users["exit_b"] = member("exit_b", b, Role.EXIT_COORDINATOR)
    for name, unit in (("exit_a", unit_a), ("exit_prison_a", unit_a), ("exit_b", unit_b)):
        ExitCoordinator.objects.create(unit=unit, user=users[name])

    today = timezone.localdate()
    warning = outreach_services.warning_create(
        actor=users["unit_a"],
        district=a,
        title="T",
        body="B",
        area="",
        starts_on=today,
        ends_on=None,
        links=[],
    )
    visit, token = outreach_services.visit_request_submit(
        municipality=municipality("Viborg"),
        confirm_url="https://x/{token}",
        topic="traffic",
        requester_kind="school",
        organisation_name="Skole",
        place="Vej 1",
        wished_from=today + dt.timedelta(days=5),
        wished_to=today + dt.timedelta(days=9),
        message="",
        contact_name="K",
        contact_email="k@example.dk",
        contact_phone="",
        language="da",
    )
    outreach_services.visit_request_confirm(token=token, unit_link="https://x/")
    outreach_services.visit_request_assign(
        actor=users["unit_a"], request=visit, officer=users["officer_a"]
    )
    point = schools.contact_point_create(
        actor=users["unit_a"],
        municipality=municipality("Viborg"),
        school="S",
        contact_name="C",
        contact_email="c@skole.dk",
        police_contact=users["investigator_a"],
    )
    from sporskifte.outreach.models import SchoolLink
    from sporskifte.outreach.selectors import token_hash

    SchoolLink.objects.create(
        contact_point=point, token_hash=token_hash("t"), created_at=timezone.now()
    )
    concern, _ = schools.school_concern_report(
        token="t", place="P", observed="O", description="D", unit_link="x"
    )
    info = victim_services.victim_information_record(
        actor=users["officer_a"], category="violence", consented=True, name="V", phone="+4520304050"
    )
    person = person_build(
        police_district_id=a.pk,
        full_name="E",
        id_kind=Person.IdKind.CPR,
        id_number=fictitious_cpr(dt.date(1990, 1, 1), female=False),
    )
    case = exit_services.exit_case_open(
        actor=users["exit_a"],
        unit=unit_a,
        person=person,
        referred_by="police",
        in_custody=False,
        release_date=None,
    )
    objects = {
        "warning": warning.pk,
        "visit": visit.pk,
        "concern": concern.pk,
        "referral": info.referral.pk,
        "case": case.pk,
    }
    return users, objects


UNIT_A = {"unit_a", "admin_a"}
POLICE = {"officer_a", "investigator_a", "admin_a", "officer_b"}
EXIT_A = {"exit_a", "exit_prison_a"}
# name → (url name, object key or None, who may)
CELLS = {
    "warning_list": ("outreach:warning_list", None, UNIT_A | {"unit_b"}),
    "warning_detail": ("outreach:warning_detail", "warning", UNIT_A),
    "visit_list": ("outreach:visit_request_list", None, POLICE | {"unit_a", "unit_b"}),
    "concern_list": ("outreach:school_concern_list", None, POLICE | {"unit_a", "unit_b"}),
    "visit_detail": ("outreach:visit_request_detail", "visit", UNIT_A | {"officer_a"}),
    "contact_points": ("outreach:contact_points", None, UNIT_A | {"unit_b"}),
    "concern_detail": ("outreach:school_concern_detail", "concern", UNIT_A | {"investigator_a"}),
    "victim_new": (
        "victims:information_new",
        None,
        {"officer_a", "investigator_a", "admin_a", "officer_b"},
    ),
    "victim_inbox": ("victims:inbox", None, {"adviser_a", "adviser_b"}),
    "victim_referral": ("victims:referral_detail", "referral", {"adviser_a"}),
    "victim_figures": (
        "victims:figures",
        None,
        {"officer_a", "investigator_a", "admin_a", "officer_b", "adviser_a", "adviser_b"},
    ),
    "exit_list": ("exit:case_list", None, EXIT_A | {"exit_b"}),
    "exit_case": ("exit:case_detail", "case", EXIT_A),
    "exit_address": ("exit:address", "case", EXIT_A),
}


@pytest.mark.parametrize("cell", list(CELLS))
@pytest.mark.parametrize("who", BASE + EXTRA)
def test_matrix(world, as_user, cell, who):
    users, objects = world
    url_name, key, allowed = CELLS[cell]
    url = reverse(url_name, args=[objects[key]] if key else [])
    status = as_user(users[who]).get(url).status_code
    assert status == (200 if who in allowed else 404), (cell, who, status)


@pytest.mark.parametrize("who", BASE + EXTRA)
def test_the_visit_list_shows_a_request_only_to_the_unit_and_the_assigned_officer(
    world, as_user, who
):
    users, _objects = world
    response = as_user(users[who]).get(reverse("outreach:visit_request_list"))
    shown = response.status_code == 200 and b"data-visit=" in response.content
    assert shown == (who in UNIT_A | {"officer_a"})
