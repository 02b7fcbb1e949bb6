"""The two reads every request makes, written once as SQL (core.joined), give what the ORM's
``select_related`` gives: every field, the related rows cached, nothing read again."""

import pytest
from django.db import models
from django_otp.plugins.otp_totp.models import TOTPDevice

from sporskifte.accounts.authentication import user_with_membership
from sporskifte.accounts.models import ApiToken, User
from sporskifte.api.authentication import token_with_service_user
from sporskifte.api.tests.conftest import issue_token
from sporskifte.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def fields(instance: models.Model | None) -> dict | None:
    if instance is None:
        return None
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def test_the_user_is_built_field_for_field_as_select_related_builds_it(
    personas, django_assert_num_queries
):
    user = personas.counsellor_a
    user.last_login = user.date_joined  # a datetime that is not null, as SQLite stores it
    user.save()
    orm = User.objects.select_related("membership__organisation").get(pk=user.pk)

    found, _ok = user_with_membership(user.pk, None)

    with django_assert_num_queries(0):
        assert fields(found) == fields(orm)
        assert fields(found.membership) == fields(orm.membership)
        assert fields(found.membership.organisation) == fields(orm.membership.organisation)
        assert found.membership.user is found
    assert found._state.adding is False and found._state.db == orm._state.db


def test_a_user_without_membership_has_none_and_a_missing_user_is_none():
    loner = UserFactory.create()

    found, _ok = user_with_membership(loner.pk, None)

    assert found.membership_or_none is None
    assert user_with_membership(loner.pk + 10_000, None) is None


def test_only_the_users_own_confirmed_device_counts(personas):
    user, other = personas.officer_a, personas.officer_b
    mine = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    unconfirmed = TOTPDevice.objects.create(user=user, name="new", confirmed=False)
    theirs = TOTPDevice.objects.create(user=other, name="app", confirmed=True)

    def ok(device):
        return user_with_membership(user.pk, (TOTPDevice, device))[1]

    assert ok(mine.pk) is True
    assert ok(unconfirmed.pk) is False
    assert ok(theirs.pk) is False
    assert ok(theirs.pk + 10_000) is False
    assert user_with_membership(user.pk, None)[1] is False


def test_the_token_is_built_with_its_service_user_as_select_related_builds_them(
    django_assert_num_queries,
):
    key = issue_token("rusmiddelcenter-viborg", "counsellor")
    digest = ApiToken.digest_of(key)
    orm = ApiToken.objects.select_related("service_user__membership__organisation").get(
        digest=digest
    )

    found = token_with_service_user(digest)

    with django_assert_num_queries(0):
        assert fields(found) == fields(orm)
        assert fields(found.service_user) == fields(orm.service_user)
        membership = found.service_user.membership
        assert fields(membership) == fields(orm.service_user.membership)
        assert fields(membership.organisation) == fields(orm.service_user.membership.organisation)
        assert found.service_user.api_token is found


def test_a_revoked_or_unknown_token_is_not_found():
    key = issue_token("rusmiddelcenter-viborg", "counsellor")
    digest = ApiToken.digest_of(key)
    ApiToken.objects.filter(digest=digest).update(revoked_at=models.functions.Now())

    assert token_with_service_user(digest) is None
    assert token_with_service_user("0" * 64) is None
