"""What every page pays before its view: the session, then the user with their membership and
second factor in one query (accounts.authentication), and nothing kept between requests, so a
change to any of them counts from the very next request (issue 8)."""

import pytest
from django.contrib.auth import HASH_SESSION_KEY
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from sporskifte.accounts.models import Membership, Role
from sporskifte.testing.factories import centre

PAGE = reverse("core:accessibility")  # no work of its own: only what every page pays
INBOX = reverse("referrals:inbox")
VERIFY = reverse("accounts:verify")


def queries_of(client, url=PAGE):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in captured]


def _sent_to_the_code_step(client) -> None:
    response = client.get(INBOX)
    assert response.status_code == 302
    assert response["Location"] == VERIFY


def _put_device_in_session(client, persistent_id: str) -> None:
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = persistent_id
    session.save()


@pytest.mark.django_db
def test_a_page_reads_session_then_user_membership_and_device_in_one_query(as_user, personas):
    client = as_user(personas.counsellor_a)
    queries_of(client)  # the first look may write "last seen" stamps; count the next

    sql = queries_of(client)

    assert "django_session" in sql[0]
    user_query = sql[1]
    assert "accounts_user" in user_query
    assert "accounts_membership" in user_query and "organisations_organisation" in user_query
    assert "otp_totp_totpdevice" in user_query  # the second factor, asked in the same statement
    rest = "\n".join(sql[2:])
    for table in ("accounts_user", "accounts_membership", "otp_totp_totpdevice"):
        assert f'"{table}"' not in rest, table


@pytest.mark.django_db
def test_a_page_without_work_of_its_own_costs_at_most_four_queries(
    as_user, personas, django_assert_max_num_queries
):
    client = as_user(personas.officer_a)
    client.get(PAGE)
    # Session, user; the menu's two questions (fora, councils).
    with django_assert_max_num_queries(4):
        assert client.get(PAGE).status_code == 200


@pytest.mark.django_db
def test_a_deactivated_user_is_logged_out_on_the_next_request(as_user, personas):
    client = as_user(personas.counsellor_a)
    assert client.get(INBOX).status_code == 200

    personas.counsellor_a.is_active = False
    personas.counsellor_a.save(update_fields=["is_active"])

    response = client.get(INBOX)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_a_revoked_membership_counts_on_the_next_request(as_user, personas):
    client = as_user(personas.counsellor_a)
    assert client.get(INBOX).status_code == 200
    assert "Inbox" in client.get(PAGE).content.decode()  # the menu entry

    Membership.objects.filter(user=personas.counsellor_a).delete()

    assert client.get(INBOX).status_code in (403, 404)
    assert "Inbox" not in client.get(PAGE).content.decode()


@pytest.mark.django_db
def test_a_changed_role_or_organisation_counts_on_the_next_request(as_user, personas):
    client = as_user(personas.counsellor_a)
    assert client.get(INBOX).status_code == 200

    Membership.objects.filter(user=personas.counsellor_a).update(role=Role.RESEARCHER)
    assert client.get(INBOX).status_code in (403, 404)

    Membership.objects.filter(user=personas.counsellor_a).update(
        role=Role.COUNSELLOR, organisation=centre("Herning")
    )
    response = client.get(INBOX)
    assert response.status_code == 200
    assert response.context["membership"].organisation == centre("Herning")


@pytest.mark.django_db
def test_a_removed_second_factor_sends_the_session_back_to_the_code_step(as_user, personas):
    client = as_user(personas.counsellor_a)
    assert client.get(INBOX).status_code == 200

    TOTPDevice.objects.filter(user=personas.counsellor_a).delete()

    _sent_to_the_code_step(client)
    assert DEVICE_ID_SESSION_KEY not in client.session  # as django-otp drops it


@pytest.mark.django_db
def test_an_unconfirmed_second_factor_does_not_verify(as_user, personas):
    client = as_user(personas.counsellor_a)
    TOTPDevice.objects.filter(user=personas.counsellor_a).update(confirmed=False)

    _sent_to_the_code_step(client)


@pytest.mark.django_db
def test_another_users_device_in_the_session_does_not_verify(as_user, personas):
    client = as_user(personas.counsellor_a)
    other = TOTPDevice.objects.create(user=personas.counsellor_b, name="b", confirmed=True)
    _put_device_in_session(client, other.persistent_id)

    _sent_to_the_code_step(client)


@pytest.mark.django_db
@pytest.mark.parametrize("persistent_id", ["nonsense", "otp_totp.totpdevice/x", "auth.user/1"])
def test_a_malformed_device_id_does_not_verify(as_user, personas, persistent_id):
    client = as_user(personas.counsellor_a)
    _put_device_in_session(client, persistent_id)

    _sent_to_the_code_step(client)


@pytest.mark.django_db
def test_a_password_changed_elsewhere_ends_the_session(as_user, personas):
    client = as_user(personas.counsellor_a)
    assert client.get(INBOX).status_code == 200

    personas.counsellor_a.set_password("another password for the test 2026")
    personas.counsellor_a.save()

    response = client.get(INBOX)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_a_session_hashed_with_an_old_secret_is_kept_and_rehashed(as_user, personas, settings):
    """SECRET_KEY_FALLBACKS: the session survives a key rotation, as Django's get_user keeps it."""
    client = as_user(personas.counsellor_a)
    old_hash = client.session[HASH_SESSION_KEY]
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a new secret key for the rotation test " + "x" * 20

    assert client.get(INBOX).status_code == 200
    assert client.session[HASH_SESSION_KEY] != old_hash


@pytest.mark.django_db
def test_a_later_page_reverses_no_address_for_the_base_template_or_menu(
    as_user, personas, monkeypatch
):
    import django.urls

    client = as_user(personas.officer_a)
    first = client.get(PAGE).content.decode()
    reversed_names = []
    real = django.urls.reverse

    def counting(viewname, *args, **kwargs):
        reversed_names.append(viewname)
        return real(viewname, *args, **kwargs)

    monkeypatch.setattr(django.urls, "reverse", counting)
    again = client.get(PAGE).content.decode()

    assert reversed_names == []
    assert again.count('href="/') == first.count('href="/') > 10  # the same links, from memory
    assert f'href="{reverse("core:privacy")}"' in again
