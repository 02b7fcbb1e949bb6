"""Who may see and change worry cases: the police of the owning district, nobody else.

Allowed pairs answer 200 (GET) or 400 (an empty POST fails validation and changes nothing); every
other pair answers 404, exactly like a missing object. Each rule has a test that fails when the
rule is removed: the role rule (sysadmin sits in district A's own organisation), the district
rule (officer_b), and the rule per object type (case, conversation, letter).
"""

import pytest
from django.urls import reverse

from sporskifte.accounts.models import Role
from sporskifte.audit.models import AuditEvent
from sporskifte.concerns import selectors
from sporskifte.concerns.models import ConcernCase, Conversation, CustodyHolder, Letter
from sporskifte.testing.factories import member

PERSONAS = [
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
POLICE_A = {"officer_a", "investigator_a", "admin_a"}
POLICE = POLICE_A | {"officer_b"}

# action → (method, url name, object attribute on the world or None, who may)
ACTIONS = {
    "list": ("get", "concerns:case_list", None, POLICE),
    "case_new": ("get", "concerns:case_new", None, POLICE),
    "case": ("get", "concerns:case_detail", "case_a", POLICE_A),
    "case_b": ("get", "concerns:case_detail", "case_b", {"officer_b"}),
    "holder_new": ("post", "concerns:custody_holder_new", "case_a", POLICE_A),
    "conversation_new": ("post", "concerns:conversation_new", "case_a", POLICE_A),
    "conversation": ("get", "concerns:conversation_edit", "conversation_a", POLICE_A),
    "conversation_post": ("post", "concerns:conversation_edit", "conversation_a", POLICE_A),
    "letter_new": ("post", "concerns:letter_new", "case_a", POLICE_A),
    "letter_pdf": ("get", "concerns:letter_download", "letter_a", POLICE_A),
}


@pytest.mark.parametrize("action", sorted(ACTIONS))
@pytest.mark.parametrize("persona", PERSONAS)
def test_access_matrix(persona, action, personas, world, as_user):
    method, name, attr, allowed = ACTIONS[action]
    args = [getattr(world, attr).pk] if attr else []
    client = as_user(getattr(personas, persona))
    response = getattr(client, method)(reverse(name, args=args), {})
    if persona in allowed:
        assert response.status_code == (200 if method == "get" else 400), response.content[:300]
    else:
        assert response.status_code == 404


def test_forbidden_post_changes_nothing(personas, world, as_user):
    client = as_user(personas.officer_b)
    client.post(
        reverse("concerns:custody_holder_new", args=[world.case_a.pk]),
        {"full_name": "X", "relation": "mother"},
    )
    assert CustodyHolder.objects.filter(case=world.case_a).count() == 2


def test_officer_of_a_unit_under_the_district_sees_the_case(personas, world, as_user):
    from sporskifte.organisations.models import Organisation

    unit = Organisation.objects.filter(
        kind=Organisation.Kind.POLICE_UNIT, parent=world.case_a.police_district
    ).first()
    officer = member("unit_officer", unit, Role.OFFICER)
    response = as_user(officer).get(reverse("concerns:case_detail", args=[world.case_a.pk]))
    assert response.status_code == 200


def test_missing_and_forbidden_look_the_same(personas, world, as_user):
    client = as_user(personas.officer_b)
    for name, attr in (("case_detail", "case_a"), ("letter_download", "letter_a")):
        forbidden = client.get(reverse(f"concerns:{name}", args=[getattr(world, attr).pk]))
        missing = client.get(reverse(f"concerns:{name}", args=[999_999]))
        assert forbidden.status_code == missing.status_code == 404
        assert forbidden.content == missing.content


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(reverse("concerns:letter_download", args=[world.letter_a.pk]))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_denied_download_writes_no_export_row(personas, world, as_user):
    as_user(personas.officer_b).get(reverse("concerns:letter_download", args=[world.letter_a.pk]))
    assert not AuditEvent.objects.filter(
        action=AuditEvent.Action.EXPORT, object_type="concern_letter"
    ).exists()


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p not in POLICE_A])
def test_selectors_give_nothing_of_district_a_outside_its_police(persona, personas, world):
    user = getattr(personas, persona)
    assert world.case_a not in selectors.concern_cases_for_user(user)
    assert world.case_a not in selectors.case_list_for_user(user)
    assert not selectors.custody_holders_for_user(user).filter(case=world.case_a).exists()
    assert world.conversation_a not in selectors.conversations_for_user(user)
    assert world.letter_a.pk not in selectors.letters_for_user(user).values_list("pk", flat=True)


@pytest.mark.parametrize("persona", sorted(POLICE_A))
def test_selectors_give_district_a_police_its_own_cases_only(persona, personas, world):
    user = getattr(personas, persona)
    assert list(selectors.concern_cases_for_user(user)) == [world.case_a]
    assert list(selectors.conversations_for_user(user)) == [world.conversation_a]
    assert [x.pk for x in selectors.letters_for_user(user)] == [world.letter_a.pk]
    assert ConcernCase.objects.count() == 2 and Conversation.objects.count() == 1
    assert Letter.objects.count() == 1
