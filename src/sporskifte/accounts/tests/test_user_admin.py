"""The system administrator's user page: reset a lost second factor, lift a lock-out."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from sporskifte.accounts.models import Role
from sporskifte.accounts.services import user_second_factor_reset
from sporskifte.audit.models import AuditEvent
from sporskifte.testing.factories import district, member

from .conftest import PASSWORD
from .test_login import SETUP, login_password

LIST = reverse("accounts:user_list")


def reset_url(user):
    return reverse("accounts:user_second_factor_reset", args=[user.pk])


def unlock_url(user):
    return reverse("accounts:user_unlock", args=[user.pk])


def lock_out(username):
    client = Client()
    for _ in range(3):
        login_password(client, username, "forkert-kodeord-123")


def usernames_listed(response):
    return [row["user"].username for row in response.context["rows"]]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["officer_a", "admin_a", "counsellor_a", "researcher"])
def test_only_the_system_administrator_sees_the_page_and_may_act(
    personas, as_user, device, persona
):
    client = as_user(getattr(personas, persona))
    lock_out("officer_a")

    assert client.get(LIST).status_code == 404
    assert client.get(reset_url(personas.officer_a)).status_code == 404
    assert client.post(reset_url(personas.officer_a)).status_code == 404
    assert client.post(unlock_url(personas.officer_a)).status_code == 404
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    assert AccessAttempt.objects.filter(username="officer_a").exists()
    assert as_user(personas.sysadmin).get(LIST).status_code == 200


@pytest.mark.django_db
def test_a_password_only_session_of_the_system_administrator_is_sent_to_the_code_step(
    personas,
):
    TOTPDevice.objects.create(user=personas.sysadmin, name="phone", confirmed=True)
    client = Client()
    login_password(client, "sysadmin")

    response = client.get(LIST)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:verify"))
    assert client.post(reset_url(personas.officer_a)).status_code == 302
    assert not AuditEvent.objects.filter(purpose=AuditEvent.Purpose.SECOND_FACTOR_RESET).exists()


@pytest.mark.django_db
def test_the_page_lists_users_with_organisation_role_second_factor_and_lock_out(
    personas, as_user, device
):
    lock_out("officer_a")

    response = as_user(personas.sysadmin).get(LIST, HTTP_ACCEPT_LANGUAGE="da")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Brugere" in html  # Danish by default
    rows = {row["user"].username: row for row in response.context["rows"]}
    assert rows["officer_a"]["locked"] is True
    assert rows["officer_a"]["user"].has_second_factor is True
    assert rows["investigator_a"]["locked"] is False
    assert rows["investigator_a"]["user"].has_second_factor is False
    assert "Midt- og Vestjyllands Politi" in html
    assert reverse("accounts:user_unlock", args=[personas.officer_a.pk]) in html
    assert reverse("accounts:user_unlock", args=[personas.investigator_a.pk]) not in html


@pytest.mark.django_db
def test_fewer_failures_than_the_limit_do_not_show_as_locked_out(personas, as_user):
    client = Client()
    for _ in range(2):
        login_password(client, "officer_a", "forkert-kodeord-123")

    response = as_user(personas.sysadmin).get(LIST, {"q": "officer_a"})

    assert [row["locked"] for row in response.context["rows"]] == [False]


@pytest.mark.django_db
def test_the_nav_has_users_for_the_system_administrator_only(personas, as_user):
    audit_log = reverse("audit:search")  # a page both may see
    assert f'href="{LIST}"' in as_user(personas.sysadmin).get(audit_log).content.decode()
    assert LIST not in as_user(personas.admin_a).get(audit_log).content.decode()


@pytest.mark.django_db
def test_reset_deletes_the_devices_ends_the_sessions_and_is_audited(personas, as_user, device):
    officer = personas.officer_a
    TOTPDevice.objects.create(user=officer, name="half set up", confirmed=False)
    officer_client = as_user(officer)
    other_client = as_user(personas.investigator_a)
    admin = as_user(personas.sysadmin)

    assert admin.get(reset_url(officer)).status_code == 200
    response = admin.post(reset_url(officer), follow=True)

    assert response.redirect_chain[-1][0] == LIST
    assert "is reset" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=officer).exists()
    assert SESSION_KEY not in officer_client.session
    assert officer_client.get(reverse("core:home")).status_code == 302
    assert SESSION_KEY in other_client.session  # only the officer's sessions end
    assert SESSION_KEY in admin.session
    event = AuditEvent.objects.get(purpose=AuditEvent.Purpose.SECOND_FACTOR_RESET)
    assert event.action == AuditEvent.Action.CONFIGURE
    assert event.object_type == "user"
    assert event.object_id == str(officer.pk)
    assert event.actor == personas.sysadmin
    assert event.detail["devices_removed"] == 3  # the fixture's, the test client's, the pending
    assert event.detail["sessions_ended"] == 1


@pytest.mark.django_db
def test_after_a_reset_the_next_log_in_asks_to_set_up_a_new_code(personas, as_user, device):
    as_user(personas.sysadmin).post(reset_url(personas.officer_a))

    response = login_password(Client(), "officer_a", PASSWORD)

    assert response.status_code == 302
    assert response["Location"].startswith(SETUP)


@pytest.mark.django_db
def test_the_reset_and_its_audit_row_are_one_transaction(personas, device, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("audit down")

    monkeypatch.setattr("sporskifte.accounts.services.audit_record", broken)

    with pytest.raises(RuntimeError):
        user_second_factor_reset(actor=personas.sysadmin, user=personas.officer_a)

    assert TOTPDevice.objects.filter(pk=device.pk).exists()


@pytest.mark.django_db
def test_the_system_administrator_cannot_reset_their_own_second_factor(personas, as_user):
    admin = as_user(personas.sysadmin)

    page = admin.get(reset_url(personas.sysadmin))
    response = admin.post(reset_url(personas.sysadmin), follow=True)

    assert "ask another system administrator" in page.content.decode()
    assert "<form" not in page.content.decode().split("<main", 1)[1]
    assert "cannot reset your own second factor" in response.content.decode()
    assert TOTPDevice.objects.filter(user=personas.sysadmin).exists()
    assert SESSION_KEY in admin.session
    assert not AuditEvent.objects.filter(purpose=AuditEvent.Purpose.SECOND_FACTOR_RESET).exists()


@pytest.mark.django_db
def test_another_system_administrator_can_reset_one(personas, as_user):
    second = member("sysadmin_2", district("midt-vestjylland"), Role.SYSTEM_ADMIN)
    as_user(second)

    as_user(personas.sysadmin).post(reset_url(second))

    assert not TOTPDevice.objects.filter(user=second).exists()


@pytest.mark.django_db
def test_unlock_lifts_the_axes_lock_out_and_is_audited(personas, as_user, device):
    lock_out("officer_a")
    assert login_password(Client(), "officer_a", PASSWORD).status_code == 429
    admin = as_user(personas.sysadmin)

    assert admin.get(unlock_url(personas.officer_a)).status_code == 200
    response = admin.post(unlock_url(personas.officer_a), follow=True)

    assert "is unlocked" in response.content.decode()
    assert not AccessAttempt.objects.filter(username="officer_a").exists()
    assert login_password(Client(), "officer_a", PASSWORD).status_code == 302
    event = AuditEvent.objects.get(purpose=AuditEvent.Purpose.UNLOCKED)
    assert event.actor == personas.sysadmin
    assert event.object_id == str(personas.officer_a.pk)


@pytest.mark.django_db
def test_search_filters_by_user_name_name_and_organisation(personas, as_user):
    member(
        "anna_k",
        district("midt-vestjylland"),
        Role.OFFICER,
        first_name="Anna",
        last_name="Kirkegaard",
    )
    admin = as_user(personas.sysadmin)

    # officer_b serves Sydøstjyllands Politi, outside this administrator's district.
    assert usernames_listed(admin.get(LIST, {"q": "officer_"})) == ["officer_a"]
    assert usernames_listed(admin.get(LIST, {"q": "anna kirke"})) == ["anna_k"]
    by_org = usernames_listed(admin.get(LIST, {"q": "Herning"}))
    assert by_org == ["counsellor_b"]
    empty = admin.get(LIST, {"q": "ingen-hedder-sådan"})
    assert usernames_listed(empty) == []
    assert "No users match the search." in empty.content.decode()


@pytest.mark.django_db
def test_service_users_are_not_listed_nor_acted_on(personas, as_user, service_user):
    admin = as_user(personas.sysadmin)

    assert "svc_kommune" not in usernames_listed(admin.get(LIST))
    assert admin.post(unlock_url(service_user)).status_code == 404
    assert admin.post(reset_url(service_user)).status_code == 404


def _queries_for_list(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(LIST)
    assert response.status_code == 200
    return len(ctx.captured_queries), len(response.context["rows"])


@pytest.mark.django_db
def test_the_list_costs_the_same_queries_however_many_users(personas, as_user):
    admin = as_user(personas.sysadmin)
    lock_out("officer_a")
    few_queries, few_rows = _queries_for_list(admin)

    org = district("midt-vestjylland")
    for n in range(15):
        user = member(f"extra_{n}", org, Role.OFFICER)
        TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
        AccessAttempt.objects.create(
            username=user.username, failures_since_start=3, get_data="", post_data=""
        )
    many_queries, many_rows = _queries_for_list(admin)

    assert many_rows == few_rows + 15
    assert many_queries == few_queries


@pytest.mark.django_db
def test_at_most_fifty_rows_with_a_note_when_there_are_more(personas, as_user):
    for n in range(50):
        member(f"extra_{n}", district("midt-vestjylland"), Role.OFFICER)
    response = as_user(personas.sysadmin).get(LIST)

    assert len(response.context["rows"]) == 50
    assert response.context["more"] is True
    assert "Only the first 50 users are shown" in response.content.decode()


@pytest.mark.django_db
def test_sessions_of_other_users_survive_a_reset(personas, as_user, device):
    as_user(personas.investigator_a)
    before = Session.objects.count()

    as_user(personas.sysadmin).post(reset_url(personas.officer_a))

    # the admin's own session was added; nobody else's was removed
    assert Session.objects.count() == before + 1
