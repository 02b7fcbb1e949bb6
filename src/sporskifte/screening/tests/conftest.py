"""Small worlds for the screening tests: a district's codes, a rule, incidents and households."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from sporskifte.organisations.models import Municipality, Organisation
from sporskifte.screening import services
from sporskifte.screening.models import (
    DistrictCode,
    HouseholdLink,
    Incident,
    IncidentPerson,
    Notification,
    ReasonCategory,
)

_journal = itertools.count(1)
TEMPLATE = "The adult was involved in $count incidents within $window_days days:\n$incidents"


def municipality(code: str) -> Municipality:
    return Municipality.objects.get(country="DK", code=code)


def incident(
    district: Organisation,
    adult: str,
    *,
    days_ago: int = 10,
    code: str = "SPIRIT",
    role: str = "suspect",
    municipality_code: str = "0791",
) -> Incident:
    at = timezone.now() - dt.timedelta(days=days_ago)
    row = Incident.objects.create(
        police_district=district,
        journal_number=f"4100-{next(_journal):05d}-25",
        incident_code=code,
        occurred_at=at,
        address="Testvej 1",
        municipality=municipality(municipality_code),
    )
    IncidentPerson.objects.create(
        incident=row,
        id_number=adult,
        role=role,
        police_district=district,
        occurred_at=at,
        incident_code=code,
    )
    return row


def household(
    district: Organisation,
    adult: str,
    child: str,
    *,
    age: int = 8,
    municipality_code: str = "0661",
    address: str = "Børnevej 2",
) -> HouseholdLink:
    today = timezone.localdate()
    return HouseholdLink.objects.create(
        police_district=district,
        adult_id_number=adult,
        child_id_number=child,
        child_name=f"Barn {child[-4:]}",
        child_birth_date=today.replace(year=today.year - age) - dt.timedelta(days=30),
        child_sex="F",
        address=address,
        municipality=municipality(municipality_code) if municipality_code else None,
        valid_from=today - dt.timedelta(days=400),
    )


@pytest.fixture
def district_a(personas):
    return Organisation.objects.get(slug="midt-vestjylland")


@pytest.fixture
def rule(personas, district_a):
    for code in ("SPIRIT", "VOLD", "HUSSPEKT"):
        DistrictCode.objects.create(
            police_district=district_a, kind="incident", code=code, label=code.title()
        )
    return services.rule_save(
        actor=personas.admin_a,
        name="Repeated drink driving",
        incident_codes=["SPIRIT"],
        offence_codes=[],
        window_days=365,
        threshold=2,
        reason_category=ReasonCategory.SUBSTANCE,
        facts_template=TEMPLATE,
    )


def screened(personas, district: Organisation, adult: str, *children: tuple[str, str]) -> None:
    """The adult in two incidents of the rule, living with ``children`` (identity number,
    municipality code), and a full run by the district's screening officer."""
    incident(district, adult, days_ago=40), incident(district, adult)
    for child, municipality_code in children:
        household(district, adult, child, municipality_code=municipality_code)
    services.screening_run(actor=personas.screening_a, district=district, mode="full")


def sent(personas, hit) -> Notification:
    """The hit drafted by one officer, approved by another and sent."""
    n = services.notification_draft(actor=personas.screening_a, hit=hit)
    services.notification_approve(actor=personas.screening_approver_a, notification=n)
    return services.notification_send(actor=personas.screening_a, notification=n)
