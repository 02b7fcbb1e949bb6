"""Every role, object and action pair of the referral pages.

Allowed pairs answer 200 (GET) or 400 (an empty POST fails validation, so nothing changes);
every other pair answers 404, exactly like a missing object. Removing any access rule flips at
least one cell here.
"""

import pytest
from django.urls import reverse

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

# action name → (method, url name, object attribute on the world or None, who may)
ACTIONS = {
    "overview": ("get", "referrals:overview", None, POLICE_A | {"officer_b"}),
    "offer_new": ("get", "referrals:offer_new", None, POLICE_A | {"officer_b"}),
    "view_offer": ("get", "referrals:offer_detail", "offer_viborg", POLICE_A),
    "answer_offer": ("post", "referrals:offer_answer", "offer_not_asked", POLICE_A),
    "view_case": ("get", "referrals:case_detail", "case_a", POLICE_A),
    "import_case": ("post", "referrals:case_import", "case_a", POLICE_A),
    "inbox": ("get", "referrals:inbox", None, {"counsellor_a", "counsellor_b", "ngo"}),
    "view_referral": ("get", "referrals:referral_detail", "referral_viborg", {"counsellor_a"}),
    "attempt": ("post", "referrals:referral_attempt", "referral_viborg", {"counsellor_a"}),
    "step": ("post", "referrals:referral_step", "referral_viborg", {"counsellor_a"}),
    "note": ("post", "referrals:referral_note", "referral_viborg", {"counsellor_a"}),
    "view_referral_herning": (
        "get",
        "referrals:referral_detail",
        "referral_herning",
        {"counsellor_b"},
    ),
    "programmes": ("get", "referrals:programme_list", None, {"admin_a"}),
    "edit_programme": ("get", "referrals:programme_edit", "programme_a", {"admin_a"}),
    "edit_programme_b": ("get", "referrals:programme_edit", "programme_b", set()),
    "view_offer_b": ("get", "referrals:offer_detail", "offer_b", {"officer_b"}),
}


@pytest.mark.parametrize("action", sorted(ACTIONS))
@pytest.mark.parametrize("persona", PERSONAS)
def test_access_matrix(persona, action, personas, world, as_user):
    method, name, attr, allowed = ACTIONS[action]
    args = [getattr(world, attr).pk] if attr else []
    client = as_user(getattr(personas, persona))
    response = getattr(client, method)(reverse(name, args=args), {})
    if persona in allowed:
        assert response.status_code == (200 if method == "get" else 400), response.content[:500]
    else:
        assert response.status_code == 404


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(reverse("referrals:offer_detail", args=[world.offer_viborg.pk]))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_missing_and_forbidden_look_the_same(personas, world, as_user):
    client = as_user(personas.officer_b)
    forbidden = client.get(reverse("referrals:offer_detail", args=[world.offer_viborg.pk]))
    missing = client.get(reverse("referrals:offer_detail", args=[999_999]))
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.content == missing.content
