"""Who reaches which forum page. Allowed pairs answer 200 (GET) or 400 (an empty POST fails
validation, so nothing changes); every other pair answers 404, like a missing object."""

import pytest
from django.urls import reverse
from django.utils import timezone

from sporskifte.accounts.models import Membership, Role
from sporskifte.fora import selectors
from sporskifte.fora.models import ForumMember
from sporskifte.fora.tests.conftest import SSP_PERSON
from sporskifte.testing.factories import district

USERS = [
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
    "school",
    "nurse",
]
SSP_MEMBERS = {"officer_a", "school"}

# action → (method, url name, object on the world or None, who may[, what they get])
ACTIONS = {
    "forum_new": ("get", "fora:forum_new", None, {"admin_a"}),
    "forum_edit": ("get", "fora:forum_edit", "ssp", {"admin_a"}),
    "forum_page": ("get", "fora:forum_detail", "ssp", SSP_MEMBERS | {"admin_a"}),
    "members": ("get", "fora:members", "ssp", {"admin_a", "officer_a"}),
    "person_new": ("get", "fora:person_new", "ssp", SSP_MEMBERS),
    "person_page": ("get", "fora:person_detail", "ssp_person", SSP_MEMBERS),
    "person_share": ("post", "fora:person_share", "ssp_person", SSP_MEMBERS),
    "person_export": ("get", "fora:person_export", "ssp_person", SSP_MEMBERS),
    "psp_person": ("get", "fora:person_detail", "psp_person", {"officer_a", "nurse"}),
    "escalate": ("get", "fora:person_escalate", "psp_person", {"officer_a", "nurse"}),
    "meeting_new": ("get", "fora:meeting_new", "ssp", {"officer_a"}),
    "meeting_page": ("get", "fora:meeting_detail", "ssp_meeting", SSP_MEMBERS),
    "agenda_add": ("post", "fora:agenda_add", "ssp_meeting", SSP_MEMBERS),
    # An empty form is valid here (nobody present, no minutes): the coordinator's is saved.
    "attendance": ("post", "fora:attendance", "ssp_meeting", {"officer_a"}, 302),
    "minutes": ("post", "fora:minutes", "ssp_meeting", {"officer_a"}, 302),
    "action_new": ("post", "fora:action_new", "ssp_meeting", {"officer_a"}),
    "calendar": ("get", "fora:calendar", None, {"officer_a", "admin_a", "school", "nurse"}),
    "counts": ("get", "fora:counts", None, {"council_member"}),
}


@pytest.mark.parametrize("action", sorted(ACTIONS))
@pytest.mark.parametrize("who", USERS)
def test_access_matrix(who, action, personas, world, as_user):
    method, name, attr, allowed, *ok = ACTIONS[action]
    args = [getattr(world, attr).pk] if attr else []
    client = as_user(world.users(personas)[who])
    response = getattr(client, method)(reverse(name, args=args), {})
    if who in allowed:
        expected = ok[0] if ok else (200 if method == "get" else 400)
        assert response.status_code == expected, response.content[:300]
    else:
        assert response.status_code == 404


def test_missing_and_forbidden_look_the_same(personas, world, as_user):
    client = as_user(personas.counsellor_a)
    forbidden = client.get(reverse("fora:person_detail", args=[world.ssp_person.pk]))
    missing = client.get(reverse("fora:person_detail", args=[999_999]))
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.content == missing.content


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(reverse("fora:person_detail", args=[world.ssp_person.pk]))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_administrator_sets_up_a_forum_without_seeing_its_persons(personas, world, as_user):
    response = as_user(personas.admin_a).get(reverse("fora:forum_detail", args=[world.ssp.pk]))
    assert response.status_code == 200
    assert SSP_PERSON not in response.content.decode()
    member = as_user(personas.officer_a).get(reverse("fora:forum_detail", args=[world.ssp.pk]))
    assert SSP_PERSON in member.content.decode()


def test_administrator_of_another_district_cannot_reach_the_forum(personas, world, as_user):
    other = Membership.objects.get(user=personas.officer_b)
    other.role = Role.DISTRICT_ADMIN
    other.save()
    response = as_user(personas.officer_b).get(reverse("fora:forum_detail", args=[world.ssp.pk]))
    assert response.status_code == 404


def test_investigator_planted_as_member_still_sees_nothing(personas, world, as_user):
    """Even a membership row made behind the services' back gives an investigator nothing."""
    ForumMember.objects.create(
        forum=world.ssp, user=personas.investigator_a, organisation=district("midt-vestjylland")
    )
    client = as_user(personas.investigator_a)
    assert client.get(reverse("fora:person_detail", args=[world.ssp_person.pk])).status_code == 404
    assert not selectors.forum_persons_for_user(personas.investigator_a).exists()


def test_member_who_left_loses_access_at_once(personas, world, as_user):
    ForumMember.objects.filter(forum=world.ssp, user=world.school).update(left_at=timezone.now())
    client = as_user(world.school)
    assert client.get(reverse("fora:person_detail", args=[world.ssp_person.pk])).status_code == 404


def test_member_who_moved_to_another_organisation_loses_access(personas, world, as_user):
    Membership.objects.filter(user=world.school).update(organisation=world.psychiatry)
    client = as_user(world.school)
    assert client.get(reverse("fora:person_detail", args=[world.ssp_person.pk])).status_code == 404


def test_member_of_one_forum_does_not_see_another_forums_persons(personas, world, as_user):
    client = as_user(world.nurse)  # PSP and visitation, not SSP
    assert client.get(reverse("fora:person_detail", args=[world.ssp_person.pk])).status_code == 404
    assert client.get(reverse("fora:person_detail", args=[world.psp_person.pk])).status_code == 200


def test_forum_list_shows_only_the_users_own_fora(personas, world, as_user):
    body = as_user(world.nurse).get(reverse("fora:forum_list")).content.decode()
    assert world.psp.name in body and world.visitation.name in body
    assert world.ssp.name not in body


def test_nav_entry_only_for_those_with_business_in_fora(personas, world, as_user):
    label = "Cooperation fora"
    url = reverse("fora:forum_list")
    for user, expected in [
        (world.school, True),
        (personas.admin_a, True),
        (personas.council_member, True),
        (personas.counsellor_a, False),
        (personas.investigator_a, False),
    ]:
        body = as_user(user).get(reverse("core:accessibility")).content.decode()
        assert (f'href="{url}"' in body and label in body) is expected, user


def test_inbox_entry_only_for_counsellors_of_a_partner(personas, world, as_user):
    # Municipal and psychiatry staff hold the counsellor role for their fora; referrals go only
    # to partners, so an inbox link would lead them to an empty page.
    url = reverse("referrals:inbox")
    for user, expected in [
        (personas.counsellor_a, True),
        (world.school, False),
        (world.nurse, False),
    ]:
        body = as_user(user).get(reverse("core:accessibility")).content.decode()
        assert (f'href="{url}"' in body) is expected, user
