"""API test helpers: real tokens made by the management command, and referrals made through
the same services the web pages use."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from sporskifte.referrals import services
from sporskifte.referrals.models import Offer, Referral
from sporskifte.testing.factories import OfferFactory, ProgrammeFactory, municipality

CENTRE_VIBORG = "rusmiddelcenter-viborg"
CENTRE_HERNING = "rusmiddelcenter-herning"
DISTRICT_A = "midt-vestjylland"
DISTRICT_B = "sydoestjylland"


def issue_token(organisation: str, role: str, name: str | None = None) -> str:
    out = io.StringIO()
    name = name or f"{organisation}-{role}"
    call_command("create_api_token", organisation=organisation, role=role, name=name, stdout=out)
    return out.getvalue().strip().splitlines()[-1]


def client_for(key: str | None) -> APIClient:
    client = APIClient()
    client.default_format = "json"  # the API parses JSON only
    # The tests read English; without a language the API answers in the token's country's.
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    if key:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def stop_api_clocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """A token's bookkeeping costs a statement more when a minute turns: the throttle's new
    window forgets the old one, "last used" is written again. Tests that compare the queries of
    two calls stop both clocks, or a call that happens to cross a minute counts one more."""
    from sporskifte.api import authentication
    from sporskifte.api.throttling import TokenRateThrottle

    monkeypatch.setattr(TokenRateThrottle, "timer", lambda self: 1_800_000_000.0)
    monkeypatch.setattr(authentication, "LAST_USED_PRECISION", dt.timedelta(days=1))


@pytest.fixture
def tokens(personas):
    """One real key per kind of system."""
    return {
        "police_a": issue_token(DISTRICT_A, "officer"),
        "police_b": issue_token(DISTRICT_B, "officer"),
        "viborg": issue_token(CENTRE_VIBORG, "counsellor"),
        "herning": issue_token(CENTRE_HERNING, "counsellor"),
    }


@pytest.fixture
def api(tokens):
    """``api("viborg")`` is a client authenticated with that organisation's token."""
    return lambda who: client_for(tokens[who])


@pytest.fixture
def programme(personas):
    return ProgrammeFactory()


def refer(officer, offer: Offer) -> Referral:
    """Accept an offer as the web page does: answer yes with the consent record."""
    services.offer_answer(
        actor=officer,
        offer=offer,
        answer=Offer.Answer.YES,
        consent_method="oral",
        consent_text=offer.programme.consent_texts.get(version=1),
    )
    return Referral.objects.get(offer=offer)


@pytest.fixture
def make_referrals(personas, programme):
    """``make_referrals(n, "Viborg")``: n accepted offers of people living there."""

    def make(n: int, home: str = "Viborg") -> list[Referral]:
        offers = OfferFactory.create_batch(
            n, programme=programme, person__home_municipality=municipality(home)
        )
        return [refer(personas.officer_a, offer) for offer in offers]

    return make
