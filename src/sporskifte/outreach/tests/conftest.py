import datetime as dt

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import timezone

from sporskifte.accounts.models import Role
from sporskifte.outreach import services
from sporskifte.testing.factories import district, member, municipality
from sporskifte.testing.jobs import run_queued_jobs


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def unit_a(personas):
    return member("unit_a", district("midt-vestjylland"), Role.PREVENTION_SECRETARIAT)


@pytest.fixture
def unit_b(personas):
    return member("unit_b", district("sydoestjylland"), Role.PREVENTION_SECRETARIAT)


def visit_fields(**overrides):
    today = timezone.localdate()
    fields = {
        "topic": "traffic",
        "requester_kind": "school",
        "organisation_name": "Hald Ege Skole",
        "place": "Skolevej 1",
        "wished_from": today + dt.timedelta(days=10),
        "wished_to": today + dt.timedelta(days=30),
        "message": "Forældremøde om knallertkørsel",
        "contact_name": "Inge Skov",
        "contact_email": "inge@example.dk",
        "contact_phone": "",
        "language": "da",
    }
    return fields | overrides


@pytest.fixture
def confirmed_request(personas):
    """A request from Viborg (district A), confirmed by its sender."""
    request, token = services.visit_request_submit(
        municipality=municipality("Viborg"), confirm_url="https://x/{token}", **visit_fields()
    )
    services.visit_request_confirm(token=token, unit_link="https://x/")
    request.refresh_from_db()
    return request


def sent() -> list:
    """The e-mails sent so far, after the queued ones have run (as a worker would run them)."""
    run_queued_jobs()
    return mail.outbox
