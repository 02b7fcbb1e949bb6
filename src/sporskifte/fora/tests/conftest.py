"""A small world for the fora tests, built through the services.

District A (Midt- og Vestjylland) has Viborg's SSP group (officer_a coordinates; a school leader
of Viborg Kommune is a member), Viborg's PSP group (officer_a coordinates; a psychiatry nurse is
a member) and the district's visitation group (admin_a coordinates). Each group has one person.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from sporskifte.accounts.models import Role, User
from sporskifte.fora import meetings, services
from sporskifte.fora.frame import ForumKind, LegalBasis, PspSign
from sporskifte.fora.models import Forum, ForumPerson, Meeting
from sporskifte.organisations.models import Organisation
from sporskifte.testing.factories import district, member, municipality

SSP_PERSON = "Bertram Forumsen"
PSP_PERSON = "Karla Psykiatrisen"
SSP_SECRET = "Set ved banegården med ældre unge tre aftener i træk"
PSP_SECRET = "Udeblevet fra ambulant behandling i to måneder"


@dataclass
class World:
    ssp: Forum
    psp: Forum
    visitation: Forum
    school: User  # Viborg Kommune, member of SSP
    nurse: User  # psychiatry, member of PSP and the visitation group
    psychiatry: Organisation
    kommune: Organisation
    ssp_person: ForumPerson
    psp_person: ForumPerson
    ssp_meeting: Meeting

    def users(self, personas) -> dict[str, User]:
        return {**personas.all(), "school": self.school, "nurse": self.nurse}


def tomorrow_at(hour: int = 9) -> dt.datetime:
    day = timezone.localtime() + dt.timedelta(days=1)
    return day.replace(hour=hour, minute=0, second=0, microsecond=0)


@pytest.fixture
def world(personas) -> World:
    a = district("midt-vestjylland")
    kommune = Organisation.objects.get(slug="kommune-dk-0791")
    psychiatry = Organisation.objects.create(
        name="Psykiatrien i Region Midtjylland",
        slug="psykiatri-midt",
        kind=Organisation.Kind.PSYCHIATRY,
        country="DK",
    )
    school = member("school", kommune, Role.COUNSELLOR, first_name="Sanne", last_name="Skov")
    nurse = member("nurse", psychiatry, Role.COUNSELLOR, first_name="Niels", last_name="Nørby")
    admin, officer = personas.admin_a, personas.officer_a
    viborg = municipality("Viborg")

    def forum(name, kind, mun, orgs, members):
        f = services.forum_create(
            actor=admin, name=name, kind=kind, municipality=mun, organisations=orgs
        )
        for user, coordinator in members:
            services.forum_member_add(actor=admin, forum=f, user=user, is_coordinator=coordinator)
        return f

    ssp = forum(
        "SSP Viborg", ForumKind.SSP, viborg, [a, kommune], [(officer, True), (school, False)]
    )
    psp = forum(
        "PSP Viborg",
        ForumKind.PSP,
        viborg,
        [a, kommune, psychiatry],
        [(officer, True), (nurse, False)],
    )
    visitation = forum(
        "Visitationsgruppen",
        ForumKind.PSP_VISITATION,
        None,
        [a, kommune, psychiatry],
        [(admin, True), (nurse, False)],
    )
    ssp_person = services.forum_person_share(
        actor=school,
        forum=ssp,
        full_name=SSP_PERSON,
        birth_date=dt.date(2011, 5, 4),
        legal_basis=LegalBasis.SSP,
        reason="Bekymring for kriminalitet",
        information=SSP_SECRET,
    )
    psp_person = services.forum_person_share(
        actor=nurse,
        forum=psp,
        full_name=PSP_PERSON,
        birth_date=dt.date(1980, 2, 1),
        legal_basis=LegalBasis.PSP,
        reason="Falder mellem flere stole",
        information=PSP_SECRET,
        details={"psp_signs": [PspSign.ADMISSIONS, PspSign.HOUSING]},
    )
    ssp_meeting = meetings.meeting_plan(
        actor=officer, forum=ssp, starts_at=tomorrow_at(), place="Viborg Rådhus"
    )
    return World(
        ssp=ssp,
        psp=psp,
        visitation=visitation,
        school=school,
        nurse=nurse,
        psychiatry=psychiatry,
        kommune=kommune,
        ssp_person=ssp_person,
        psp_person=psp_person,
        ssp_meeting=ssp_meeting,
    )
