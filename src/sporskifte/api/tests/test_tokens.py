"""Tokens: made and revoked by the management commands; only a valid token gets in."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.core.management import CommandError, call_command

from sporskifte.accounts.models import ApiToken, Role
from sporskifte.audit.models import AuditEvent

from .conftest import CENTRE_VIBORG, DISTRICT_A, client_for, issue_token


def test_create_api_token_makes_service_user_membership_and_digest_only(personas):
    key = issue_token(DISTRICT_A, "investigator", name="Politiets sagssystem")

    token = ApiToken.objects.select_related("service_user__membership__organisation").get()
    user = token.service_user
    assert key.startswith("spk_")
    assert token.digest == hashlib.sha256(key.encode()).hexdigest()
    assert key not in {token.name, token.digest, user.username, user.password}
    assert user.is_service and not user.has_usable_password()
    assert user.membership.organisation.slug == DISTRICT_A
    assert user.membership.role == Role.INVESTIGATOR
    event = AuditEvent.objects.get(object_type="api_token", object_id=str(token.pk))
    assert event.action == AuditEvent.Action.CONFIGURE
    assert event.detail["organisation"] == DISTRICT_A


def test_create_api_token_prints_the_key_once(personas):
    out = io.StringIO()
    call_command(
        "create_api_token",
        organisation=CENTRE_VIBORG,
        role="counsellor",
        name="Journal",
        stdout=out,
    )
    key = out.getvalue().strip().splitlines()[-1]
    assert out.getvalue().count(key) == 1
    assert client_for(key).get("/api/v1/referrals/").status_code == 200


@pytest.mark.parametrize(
    ("organisation", "role"),
    [
        (CENTRE_VIBORG, "officer"),  # police role at a partner
        (DISTRICT_A, "counsellor"),  # partner role at the police
        ("kommune-dk-0791", "counsellor"),  # a municipality is not a partner
        (DISTRICT_A, "system_admin"),  # administrators do not act through tokens
        ("no-such-organisation", "officer"),
    ],
)
def test_create_api_token_refuses_a_role_the_organisation_cannot_have(personas, organisation, role):
    with pytest.raises(CommandError):
        issue_token(organisation, role)
    assert not ApiToken.objects.exists()


def test_council_member_token_acts_for_a_municipality(personas):
    issue_token("kommune-dk-0791", "council_member", name="Byrådets tal")
    membership = ApiToken.objects.get().service_user.membership
    assert (membership.organisation.slug, membership.role) == ("kommune-dk-0791", "council_member")


def test_create_api_token_refuses_a_name_in_use(personas):
    issue_token(DISTRICT_A, "officer", name="Same")
    with pytest.raises(CommandError):
        issue_token(CENTRE_VIBORG, "counsellor", name="Same")
    assert ApiToken.objects.count() == 1


def test_revoked_token_is_refused_and_revocation_audited(personas):
    key = issue_token(CENTRE_VIBORG, "counsellor", name="Journal")
    assert client_for(key).get("/api/v1/referrals/").status_code == 200

    call_command("revoke_api_token", name="Journal", stdout=io.StringIO())

    assert client_for(key).get("/api/v1/referrals/").status_code == 401
    token = ApiToken.objects.select_related("service_user").get()
    assert token.revoked_at is not None and not token.service_user.is_active
    revoked = AuditEvent.objects.get(purpose=AuditEvent.Purpose.API_TOKEN_REVOKED)
    assert revoked.detail["name"] == "Journal"


def test_revoke_unknown_token_fails(personas):
    with pytest.raises(CommandError):
        call_command("revoke_api_token", name="Nothing", stdout=io.StringIO())


@pytest.mark.parametrize("header", [None, "Bearer spk_wrong", "Bearer", "Bearer a b", "Token x"])
def test_missing_or_invalid_token_gets_401(tokens, header):
    client = client_for(None)
    if header:
        client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get("/api/v1/referrals/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"


def test_logged_in_web_session_does_not_open_the_api(personas, as_user):
    response = as_user(personas.counsellor_a).get("/api/v1/referrals/")
    assert response.status_code == 401


def test_token_records_last_use(tokens):
    client_for(tokens["viborg"]).get("/api/v1/referrals/")
    token = ApiToken.objects.get(name=f"{CENTRE_VIBORG}-counsellor")
    assert token.last_used_at is not None


def test_token_last_use_is_written_at_most_once_a_minute(tokens):
    import datetime as dt

    from django.utils import timezone

    viborg = client_for(tokens["viborg"])
    token = ApiToken.objects.get(name=f"{CENTRE_VIBORG}-counsellor")
    viborg.get("/api/v1/referrals/")
    first = ApiToken.objects.get(pk=token.pk).last_used_at

    viborg.get("/api/v1/referrals/")
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first

    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - dt.timedelta(minutes=1))
    viborg.get("/api/v1/referrals/")
    assert ApiToken.objects.get(pk=token.pk).last_used_at > first - dt.timedelta(seconds=1)
    assert ApiToken.objects.get(pk=token.pk).last_used_at <= timezone.now()


def test_unknown_api_urls_answer_in_json(api):
    police = api("police_a")
    for url in ("/api/v1/nothing/", "/api/v1/offers/abc/", "/api/v2/offers/1/"):
        response = police.get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"] == "application/json"
    assert client_for(None).get("/api/v1/nothing/").status_code == 401


@pytest.fixture
def limit(monkeypatch):
    """``limit(n)``: n calls a minute, at a fixed moment 45 s into a minute."""
    from rest_framework.throttling import UserRateThrottle

    from sporskifte.api.throttling import TokenRateThrottle

    monkeypatch.setattr(TokenRateThrottle, "timer", lambda self: 1_800_000_045.0)

    def set_limit(n: int) -> None:
        monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": f"{n}/minute"})

    return set_limit


def test_too_many_requests_get_429_with_retry_after(api, limit):
    limit(2)
    viborg = api("viborg")
    statuses = [viborg.get("/api/v1/referrals/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    response = viborg.get("/api/v1/referrals/")
    assert response["Retry-After"] == "15"  # until the next minute begins
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


def test_each_token_has_its_own_limit(api, limit):
    limit(1)
    assert api("viborg").get("/api/v1/referrals/").status_code == 200
    assert api("viborg").get("/api/v1/referrals/").status_code == 429
    assert api("herning").get("/api/v1/referrals/").status_code == 200


def test_the_limit_starts_again_in_the_next_window(api, limit, monkeypatch):
    from sporskifte.api.models import ThrottleCount
    from sporskifte.api.throttling import TokenRateThrottle

    limit(1)
    viborg = api("viborg")
    assert viborg.get("/api/v1/referrals/").status_code == 200
    assert viborg.get("/api/v1/referrals/").status_code == 429

    monkeypatch.setattr(TokenRateThrottle, "timer", lambda self: 1_800_000_060.0)
    assert viborg.get("/api/v1/referrals/").status_code == 200
    # The earlier window's row is gone: one row per token, not one per minute for ever.
    assert list(ThrottleCount.objects.values_list("window_start", "hits")) == [(1_800_000_060, 1)]


def test_a_call_counts_its_limit_in_one_statement(api, limit):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    limit(100)
    viborg = api("viborg")
    viborg.get("/api/v1/referrals/")
    with CaptureQueriesContext(connection) as captured:
        assert viborg.get("/api/v1/referrals/").status_code == 200
    throttle = [q["sql"] for q in captured if "throttle" in q["sql"] or "cache" in q["sql"]]
    assert len(throttle) == 1, throttle
    assert "ON CONFLICT" in throttle[0]


# serialized_rollback: the flush after a transactional test would otherwise make the content
# types anew (other ids) and drop the reference data the later transactional tests restore.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_limit_holds_across_workers_on_other_connections(limit):
    """Another gunicorn worker (or host) counts on its own database connection: what it counted
    uses up the limit here."""
    from django.db import connections

    from sporskifte.api.throttling import count_hit
    from sporskifte.testing.personas import make_personas

    make_personas()
    limit(3)
    viborg = client_for(issue_token(CENTRE_VIBORG, "counsellor"))
    user_id = ApiToken.objects.get(name=f"{CENTRE_VIBORG}-counsellor").service_user_id
    key, window_start = f"throttle_user_{user_id}", 1_800_000_000
    other = connections.create_connection("default")  # a worker's own connection
    try:
        assert viborg.get("/api/v1/referrals/").status_code == 200
        assert count_hit(key, window_start, other) == 2  # it sees this process's call
        assert count_hit(key, window_start, other) == 3
        assert viborg.get("/api/v1/referrals/").status_code == 429
    finally:
        other.close()


def test_token_service_user_and_membership_are_read_in_one_query(api):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    viborg = api("viborg")
    viborg.get("/api/v1/referrals/")
    with CaptureQueriesContext(connection) as captured:
        assert viborg.get("/api/v1/referrals/").status_code == 200
    reads = [q["sql"] for q in captured if '"accounts_membership"' in q["sql"]]
    assert len(reads) == 1, reads
    assert '"accounts_apitoken"' in reads[0] and '"accounts_user"' in reads[0]


def test_a_token_whose_membership_is_gone_sees_nothing_on_the_next_call(api, make_referrals):
    from sporskifte.accounts.models import Membership

    make_referrals(2)
    viborg = api("viborg")
    assert len(viborg.get("/api/v1/referrals/").json()["results"]) == 2
    token = ApiToken.objects.get(name=f"{CENTRE_VIBORG}-counsellor")
    Membership.objects.filter(user_id=token.service_user_id).delete()

    response = viborg.get("/api/v1/referrals/")
    assert response.status_code in (403, 404) or response.json()["results"] == []
