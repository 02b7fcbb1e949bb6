from io import StringIO

import pytest
from django.core.management import call_command

from sporskifte.accounts.models import Role
from sporskifte.concerns.models import ConcernCase, Conversation, Letter
from sporskifte.testing.factories import member
from sporskifte.testing.personas import ensure_reference_data

pytestmark = pytest.mark.django_db


def test_without_the_demo_officer_nothing_is_created_and_a_hint_is_printed():
    out = StringIO()
    call_command("demo_concerns", stdout=out)
    assert "demo_data" in out.getvalue()
    assert not ConcernCase.objects.exists()


def test_demo_creates_cases_with_conversations_and_a_letter_once():
    from sporskifte.organisations.models import Organisation

    ensure_reference_data()
    officer = member(
        "betjent", Organisation.objects.get(slug="midt-vestjylland-forebyggelse"), Role.OFFICER
    )
    call_command("demo_concerns", stdout=StringIO())
    cases = ConcernCase.objects.filter(created_by=officer)
    assert cases.count() == 3
    assert all(c.person.is_test_data for c in cases)
    assert {c.police_district.slug for c in cases} == {"midt-vestjylland"}
    assert Conversation.objects.filter(case__in=cases).count() == 3
    letter = Letter.objects.get(case__in=cases)
    assert bytes(letter.pdf).startswith(b"%PDF-")
    out = StringIO()
    call_command("demo_concerns", stdout=out)
    assert "already" in out.getvalue()
    assert ConcernCase.objects.count() == 3
