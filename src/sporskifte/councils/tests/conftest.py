"""A small world for the councils tests, built through the services: district A's kredsråd with
a mayor (a user) seated, Viborg's lokalråd with the council-member persona (Viborg Kommune)
seated as chair and a community member, and a planned year of kredsråd meetings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from sporskifte.accounts.models import Role, User
from sporskifte.councils import services
from sporskifte.councils.models import Council, CouncilMeeting, CouncilMember
from sporskifte.organisations.models import Organisation
from sporskifte.testing.factories import district, member, municipality


@dataclass
class World:
    kredsraad: Council
    viborg: Council
    mayor: User  # Herning's mayor, seated in the kredsråd only
    meetings: list[CouncilMeeting]


def at(year: int, month: int, day: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, 10, 0))


@pytest.fixture
def world(personas) -> World:
    admin = personas.admin_a
    a = district("midt-vestjylland")
    kredsraad = services.council_create(actor=admin, kind=Council.Kind.KREDSRAAD, name="Kredsrådet")
    viborg = services.council_create(
        actor=admin,
        kind=Council.Kind.LOKALRAAD,
        name="Lokalrådet i Viborg",
        municipality=municipality("Viborg"),
    )
    herning_org = Organisation.objects.get(slug="kommune-dk-0657")
    mayor = member("mayor_herning", herning_org, Role.COUNCIL_MEMBER)
    start = dt.date(2020, 1, 1)
    services.member_add(
        actor=admin,
        council=kredsraad,
        name="Borgmester",
        role=CouncilMember.Role.MEMBER,
        standing=CouncilMember.Standing.PUBLIC_OFFICIAL,
        term_start=start,
        user=mayor,
        organisation=herning_org,
    )
    services.member_add(
        actor=admin,
        council=kredsraad,
        name="Politidirektør Helle Kyndesen",
        role=CouncilMember.Role.CHAIR,
        standing=CouncilMember.Standing.PUBLIC_OFFICIAL,
        term_start=start,
        organisation=a,
    )
    services.member_add(
        actor=admin,
        council=viborg,
        name="Kommunaldirektør",
        role=CouncilMember.Role.CHAIR,
        standing=CouncilMember.Standing.PUBLIC_OFFICIAL,
        term_start=start,
        user=personas.council_member,
        organisation=personas.council_member.membership.organisation,
    )
    services.member_add(
        actor=admin,
        council=viborg,
        name="Grundejerformand Jens Borger",
        role=CouncilMember.Role.MEMBER,
        standing=CouncilMember.Standing.COMMUNITY,
        term_start=start,
    )
    meetings = services.meetings_plan(
        actor=admin,
        council=kredsraad,
        starts=[at(2023, 1, 10), at(2023, 4, 10), at(2023, 9, 10), at(2023, 12, 10)],
        place="Politigården, Holstebro",
    )
    return World(kredsraad, viborg, mayor, meetings)
