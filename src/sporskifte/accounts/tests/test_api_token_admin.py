"""The system administrator's API token page: issue a token (key shown once), revoke one."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from sporskifte.accounts.models import ApiToken, Role
from sporskifte.accounts.tokens import api_token_issue
from sporskifte.audit.models import AuditEvent
from sporskifte.organisations.models import Organisation

from .test_login import login_password

LIST = reverse("accounts:api_token_list")
CENTRE_VIBORG = "rusmiddelcenter-viborg"
DISTRICT_A = "midt-vestjylland"


def org(slug: str) -> Organisation:
    return Organisation.objects.get(slug=slug)


def revoke_url(token: ApiToken) -> str:
    return reverse("accounts:api_token_revoke", args=[token.pk])


def api_status(key: str, path: str = "/api/v1/cases/") -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client.get(path).status_code


def issue(
    client,
    organisation: str = DISTRICT_A,
    role: str = "officer",
    name: str = "Journal",
    **kwargs,
):
    """By default a token for the administrator's own district, issued at once."""
    data = {"organisation": org(organisation).pk, "role": role, "name": name}
    return client.post(LIST, data, **kwargs)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["officer_a", "admin_a", "counsellor_a", "researcher"])
def test_only_the_system_administrator_sees_the_page_and_may_act(personas, as_user, persona):
    token, key = api_token_issue(
        actor=None, organisation=org(CENTRE_VIBORG), role=Role.COUNSELLOR, name="Journal"
    )
    client = as_user(getattr(personas, persona))

    assert client.get(LIST).status_code == 404
    assert issue(client, name="Other").status_code == 404
    assert client.get(revoke_url(token)).status_code == 404
    assert client.post(revoke_url(token)).status_code == 404
    assert ApiToken.objects.count() == 1
    assert api_status(key, "/api/v1/referrals/") == 200
    assert as_user(personas.sysadmin).get(LIST).status_code == 200


@pytest.mark.django_db
def test_a_password_only_session_of_the_system_administrator_is_sent_to_the_code_step(
    personas,
):
    TOTPDevice.objects.create(user=personas.sysadmin, name="phone", confirmed=True)
    client = Client()
    login_password(client, "sysadmin")

    response = issue(client)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:verify"))
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_the_nav_has_api_tokens_for_the_system_administrator_only(personas, as_user):
    audit_log = reverse("audit:search")
    assert f'href="{LIST}"' in as_user(personas.sysadmin).get(audit_log).content.decode()
    assert LIST not in as_user(personas.admin_a).get(audit_log).content.decode()


@pytest.mark.django_db
def test_issuing_creates_a_working_token_shown_once_and_audited(personas, as_user):
    admin = as_user(personas.sysadmin)

    response = issue(admin)

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    key = response.context["issued"]["key"]
    html = response.content.decode()
    assert key in html
    assert "not shown again" in html
    assert api_status(key) == 200
    token = ApiToken.objects.select_related("service_user__membership__organisation").get()
    assert token.created_by == personas.sysadmin
    assert token.service_user.membership.organisation.slug == DISTRICT_A
    assert token.service_user.membership.role == Role.OFFICER
    event = AuditEvent.objects.get(
        object_type="api_token",
        purpose=AuditEvent.Purpose.API_TOKEN_CREATED,
        detail__name="Journal",
    )
    assert event.actor == personas.sysadmin
    assert event.object_id == str(token.pk)
    assert key not in str(event.detail)


@pytest.mark.django_db
def test_the_key_is_stored_only_as_its_digest_and_shown_only_on_the_issuing_response(
    personas, as_user
):
    admin = as_user(personas.sysadmin)
    key = issue(admin).context["issued"]["key"]

    token = ApiToken.objects.select_related("service_user").get()
    assert token.digest == ApiToken.digest_of(key)
    assert key not in {token.name, token.digest, token.service_user.username}
    assert key not in admin.get(LIST).content.decode()
    assert key not in admin.get(revoke_url(token)).content.decode()


@pytest.mark.django_db
def test_a_role_that_does_not_fit_the_organisation_is_refused_and_creates_nothing(
    personas, as_user
):
    response = issue(as_user(personas.sysadmin), organisation=DISTRICT_A, role="counsellor")

    assert response.status_code == 200
    assert response.context["issued"] is None
    assert "cannot act for" in " ".join(response.context["form"].errors["role"])
    assert "cannot act for" in response.content.decode()
    assert not ApiToken.objects.exists()
    assert not AuditEvent.objects.filter(object_type="api_token").exists()


@pytest.mark.django_db
def test_the_system_administrator_role_is_not_offered(personas, as_user):
    response = issue(as_user(personas.sysadmin), organisation=DISTRICT_A, role="system_admin")

    assert "role" in response.context["form"].errors
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_a_name_already_used_by_an_active_token_is_refused(personas, as_user):
    admin = as_user(personas.sysadmin)
    issue(admin, name="Journal")

    response = issue(admin, organisation=CENTRE_VIBORG, role="counsellor", name="Journal")

    assert "already called Journal" in " ".join(response.context["form"].errors["name"])
    assert ApiToken.objects.count() == 1


@pytest.mark.django_db
def test_revoking_makes_the_key_stop_working_and_is_audited(personas, as_user):
    admin = as_user(personas.sysadmin)
    key = issue(admin).context["issued"]["key"]
    token = ApiToken.objects.get()

    assert admin.get(revoke_url(token)).status_code == 200
    response = admin.post(revoke_url(token), follow=True)

    assert response.redirect_chain[-1][0] == LIST
    assert "is revoked" in response.content.decode()
    assert api_status(key) == 401
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert response.context["tokens"] == []
    event = AuditEvent.objects.get(
        purpose=AuditEvent.Purpose.API_TOKEN_REVOKED, detail__name="Journal"
    )
    assert event.actor == personas.sysadmin
    assert event.object_id == str(token.pk)
    assert admin.post(revoke_url(token)).status_code == 404  # gone from the list


@pytest.mark.django_db
def test_a_revoked_name_can_be_used_again(personas, as_user):
    admin = as_user(personas.sysadmin)
    issue(admin)
    admin.post(revoke_url(ApiToken.objects.get()))

    assert issue(admin).context["issued"] is not None
    assert ApiToken.objects.filter(revoked_at__isnull=True).count() == 1


def _queries_for_list(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(LIST)
    assert response.status_code == 200
    return len(ctx.captured_queries), len(response.context["tokens"])


@pytest.mark.django_db
def test_the_list_costs_the_same_queries_however_many_tokens(personas, as_user):
    admin = as_user(personas.sysadmin)
    api_token_issue(actor=None, organisation=org(DISTRICT_A), role=Role.OFFICER, name="first")
    few_queries, few_rows = _queries_for_list(admin)

    for n in range(10):
        api_token_issue(
            actor=personas.sysadmin,
            organisation=org(CENTRE_VIBORG if n % 2 else DISTRICT_A),
            role=Role.COUNSELLOR if n % 2 else Role.INVESTIGATOR,
            name=f"system {n}",
        )
    many_queries, many_rows = _queries_for_list(admin)

    assert many_rows == few_rows + 10
    assert many_queries == few_queries
