"""The demo councils load, twice without change, with a published 2023 plan and a red flag."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from sporskifte.accounts.models import User
from sporskifte.councils import status
from sporskifte.councils.models import Council, IndicatorStatus, Plan


@pytest.mark.django_db
def test_demo_councils_load_once():
    call_command("demo_councils", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("demo_councils", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Council.objects.filter(kind="kredsraad").count() == 1
    assert Council.objects.filter(kind="lokalraad").count() == 11
    plan = Plan.objects.get(year=2023, state=Plan.State.PUBLISHED)
    assert Plan.objects.filter(year=2024, state=Plan.State.DRAFT).exists()
    assert IndicatorStatus.objects.filter(quarter=4).exists()
    red = [f for f in status.flags(plan, 4, dt.date(2024, 1, 2)) if f.missing]
    assert [f.focus_area.title for f in red] == ["IT-kriminalitet"]
    names = set(User.objects.values_list("username", flat=True))
    assert names >= {"demo-sekretariat", "demo-kredsraad", "demo-lokalraad"}
