"""A system administrator administers their own police district, not every district and country
(issue 7 §7): users and tokens outside it look missing, and a token acting for another
organisation than their own needs a second administrator's approval."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sporskifte.accounts.models import ApiToken, ApiTokenRequest, Role
from sporskifte.accounts.selectors import organisations_administered_by
from sporskifte.accounts.tokens import api_token_request, api_token_request_approve
from sporskifte.audit.models import AuditEvent, RefusedLook
from sporskifte.organisations.models import Organisation
from sporskifte.testing.factories import district, member

from .test_api_token_admin import CENTRE_VIBORG, LIST, api_status, issue, org

USERS = reverse("accounts:user_list")
STOCKHOLM = "polisregion-stockholm"


def approve_url(token_request: ApiTokenRequest) -> str:
    return reverse("accounts:api_token_request_approve", args=[token_request.pk])


@pytest.fixture
def polis(personas):
    return member("polis_sthlm", district(STOCKHOLM), Role.OFFICER)


@pytest.fixture
def second_sysadmin(personas):
    return member("sysadmin_2", district("midt-vestjylland"), Role.SYSTEM_ADMIN)


@pytest.fixture
def stockholm_sysadmin(personas):
    return member("sysadmin_sthlm", district(STOCKHOLM), Role.SYSTEM_ADMIN)


@pytest.mark.django_db
def test_the_scope_is_the_district_its_units_municipalities_and_centres(personas):
    slugs = set(organisations_administered_by(personas.sysadmin).values_list("slug", flat=True))

    assert {"midt-vestjylland", "kommune-dk-0791", CENTRE_VIBORG} <= slugs
    assert STOCKHOLM not in slugs
    assert "sydoestjylland" not in slugs
    assert not organisations_administered_by(personas.admin_a).exists()


@pytest.mark.django_db
def test_a_system_administrator_cannot_see_or_reset_stockholm_users(personas, as_user, polis):
    admin = as_user(personas.sysadmin)

    listed = [row["user"].username for row in admin.get(USERS).context["rows"]]
    assert "polis_sthlm" not in listed
    assert "officer_a" in listed
    for name in ("accounts:user_second_factor_reset", "accounts:user_unlock"):
        assert admin.get(reverse(name, args=[polis.pk])).status_code == 404
        assert admin.post(reverse(name, args=[polis.pk])).status_code == 404
    assert not AuditEvent.objects.filter(object_id=str(polis.pk), object_type="user").exists()
    assert RefusedLook.objects.filter(actor=personas.sysadmin, object_id=str(polis.pk)).exists()


@pytest.mark.django_db
def test_a_stockholm_token_cannot_be_issued_nor_requested(personas, as_user):
    response = issue(as_user(personas.sysadmin), organisation=STOCKHOLM, role="officer")

    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    assert not ApiToken.objects.exists()
    assert not ApiTokenRequest.objects.exists()


@pytest.mark.django_db
def test_a_token_for_another_organisation_waits_for_approval(personas, as_user):
    admin = as_user(personas.sysadmin)

    response = issue(admin, organisation=CENTRE_VIBORG, role="counsellor", follow=True)

    assert "waits for another system administrator" in response.content.decode()
    assert response.context["issued"] is None
    assert not ApiToken.objects.exists()
    pending = ApiTokenRequest.objects.get()
    assert pending.is_pending and pending.requested_by == personas.sysadmin
    assert response.context["requests"] == [pending]
    event = AuditEvent.objects.get(purpose=AuditEvent.Purpose.API_TOKEN_REQUESTED)
    assert event.object_id == str(pending.pk)
    assert CENTRE_VIBORG in event.responsible.values_list("slug", flat=True)


@pytest.mark.django_db
def test_the_requester_cannot_approve_their_own_request(personas, as_user):
    admin = as_user(personas.sysadmin)
    issue(admin, organisation=CENTRE_VIBORG, role="counsellor")
    pending = ApiTokenRequest.objects.get()

    assert (
        "Another system administrator must approve"
        in admin.get(approve_url(pending)).content.decode()
    )
    response = admin.post(approve_url(pending), follow=True)

    assert "Another system administrator must approve" in response.content.decode()
    assert not ApiToken.objects.exists()
    pending.refresh_from_db()
    assert pending.is_pending
    with pytest.raises(Exception, match="Another system administrator"):
        api_token_request_approve(actor=personas.sysadmin, request=pending)


@pytest.mark.django_db
def test_a_second_administrator_approves_and_sees_the_key_once(personas, as_user, second_sysadmin):
    issue(as_user(personas.sysadmin), organisation=CENTRE_VIBORG, role="counsellor")
    pending = ApiTokenRequest.objects.get()
    approver = as_user(second_sysadmin)

    assert approver.get(approve_url(pending)).status_code == 200
    response = approver.post(approve_url(pending))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    key = response.context["issued"]["key"]
    assert key in response.content.decode()
    assert api_status(key, "/api/v1/referrals/") == 200
    token = ApiToken.objects.select_related("service_user__membership__organisation").get()
    assert token.service_user.membership.organisation.slug == CENTRE_VIBORG
    pending.refresh_from_db()
    assert (pending.approved_by, pending.token) == (second_sysadmin, token)
    event = AuditEvent.objects.get(purpose=AuditEvent.Purpose.API_TOKEN_APPROVED)
    assert event.actor == second_sysadmin
    assert event.detail["requested_by"] == "sysadmin"
    assert CENTRE_VIBORG in event.responsible.values_list("slug", flat=True)
    # Shown once: not on the list, not on a second approval.
    assert key not in approver.get(LIST).content.decode()
    assert approver.post(approve_url(pending), follow=True).context["issued"] is None
    assert ApiToken.objects.count() == 1


@pytest.mark.django_db
def test_an_administrator_outside_the_organisations_scope_cannot_see_or_approve(
    personas, as_user, stockholm_sysadmin
):
    token_request = api_token_request(
        actor=personas.sysadmin,
        organisation=org(CENTRE_VIBORG),
        role=Role.COUNSELLOR,
        name="Journal",
    )
    outsider = as_user(stockholm_sysadmin)

    assert outsider.get(LIST).context["requests"] == []
    assert outsider.post(approve_url(token_request)).status_code == 404
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_tokens_of_another_district_are_not_listed_nor_revoked(personas, as_user):
    from sporskifte.accounts.tokens import api_token_issue

    token, key = api_token_issue(
        actor=None, organisation=org(STOCKHOLM), role=Role.OFFICER, name="Stockholm"
    )
    admin = as_user(personas.sysadmin)

    assert admin.get(LIST).context["tokens"] == []
    revoke = reverse("accounts:api_token_revoke", args=[token.pk])
    assert admin.post(revoke).status_code == 404
    assert api_status(key) == 200


@pytest.mark.django_db
def test_an_own_organisation_token_is_issued_at_once(personas, as_user):
    response = issue(as_user(personas.sysadmin))

    assert response.context["issued"] is not None
    assert not ApiTokenRequest.objects.exists()
    assert (
        Organisation.objects.get(slug="midt-vestjylland")
        .memberships.filter(user__api_token__isnull=False)
        .exists()
    )


@pytest.mark.django_db
def test_failure_bursts_of_another_districts_accounts_are_not_shown(personas, as_user, polis):
    from .test_user_admin import lock_out

    for username in ("polis_sthlm", "officer_a", "no-such-user"):
        lock_out(username)

    bursts = as_user(personas.sysadmin).get(USERS).context["bursts"]

    assert sorted(b.username for b in bursts) == ["no-such-user", "officer_a"]


@pytest.mark.django_db
def test_the_service_refuses_an_approver_outside_the_organisations_scope(
    personas, stockholm_sysadmin
):
    token_request = api_token_request(
        actor=personas.sysadmin,
        organisation=org(CENTRE_VIBORG),
        role=Role.COUNSELLOR,
        name="Journal",
    )

    with pytest.raises(Exception, match="Only a system administrator of the organisation"):
        api_token_request_approve(actor=stockholm_sysadmin, request=token_request)
    assert not ApiToken.objects.exists()


def _queries_for_requests(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(LIST)
    return len(ctx.captured_queries), len(response.context["requests"])


@pytest.mark.django_db
def test_the_request_list_costs_the_same_queries_however_many(personas, as_user):
    admin = as_user(personas.sysadmin)

    def ask(n):
        api_token_request(
            actor=personas.sysadmin, organisation=org(CENTRE_VIBORG), role="counsellor", name=n
        )

    ask("first")
    few_queries, few = _queries_for_requests(admin)
    for n in range(10):
        ask(f"more {n}")
    many_queries, many = _queries_for_requests(admin)

    assert (few, many) == (1, 11)
    assert many_queries == few_queries
