"""The OpenAPI document: served without a token, accurate, and every response conforms to it
(schemathesis against the app through WSGI, with real tokens of a police district and a
partner, and real data for the ids in the paths)."""

from __future__ import annotations

import io
import json

import pytest
import schemathesis
import yaml
from django.core import signals
from django.core.cache import cache
from django.core.management import call_command
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, Phase, settings
from rest_framework.throttling import UserRateThrottle
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from sporskifte.testing.factories import CaseFactory, OfferFactory

SCHEMA_URL = "/api/v1/schema/"
OPERATIONS = {
    ("get", "/api/v1/referrals/"),
    ("get", "/api/v1/referrals/changes/"),
    ("get", "/api/v1/referrals/{id}/"),
    ("get", "/api/v1/referrals/{id}/contact-attempts/"),
    ("post", "/api/v1/referrals/{id}/contact-attempts/"),
    ("post", "/api/v1/referrals/{id}/contact-attempts/{attempt_id}/correct/"),
    ("get", "/api/v1/referrals/{id}/steps/"),
    ("post", "/api/v1/referrals/{id}/steps/"),
    ("post", "/api/v1/referrals/{id}/steps/{step_id}/correct/"),
    ("post", "/api/v1/referrals/{id}/withdraw-consent/"),
    ("get", "/api/v1/cases/"),
    ("post", "/api/v1/cases/"),
    ("get", "/api/v1/cases/{id}/"),
    ("get", "/api/v1/offers/"),
    ("get", "/api/v1/offers/changes/"),
    ("post", "/api/v1/offers/"),
    ("get", "/api/v1/offers/{id}/"),
    ("post", "/api/v1/offers/{id}/answer/"),
    ("post", "/api/v1/offers/{id}/withdraw-consent/"),
    ("get", "/api/v1/programmes/"),
}


def test_schema_is_served_as_json_and_yaml_without_a_token(client, db):
    as_json = client.get(SCHEMA_URL, {"format": "json"})
    as_yaml = client.get(SCHEMA_URL, HTTP_AUTHORIZATION="Bearer spk_not-a-token")

    assert as_json.status_code == 200 and as_yaml.status_code == 200
    doc = json.loads(as_json.content)
    assert yaml.safe_load(as_yaml.content)["paths"].keys() == doc["paths"].keys()
    operations = {(m, p) for p, item in doc["paths"].items() for m in item}
    assert operations >= OPERATIONS
    assert doc["components"]["securitySchemes"]["OrganisationToken"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "spk_…",
        "description": doc["components"]["securitySchemes"]["OrganisationToken"]["description"],
    }
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            assert operation["security"] == [{"OrganisationToken": []}], (method, path)
            assert {"401", "429"} <= operation["responses"].keys(), (method, path)
            if "{id}" in path:
                assert "404" in operation["responses"], (method, path)
            if "requestBody" in operation:
                assert "400" in operation["responses"], (method, path)


def test_schema_generation_has_no_warnings():
    call_command(
        "spectacular",
        "--validate",
        "--fail-on-warn",
        "--api-version",
        "v1",
        stdout=io.StringIO(),
    )


# Schemathesis ---------------------------------------------------------------------------------

# Not negative_data_rejection: DRF coerces scalars on input as documented (a title of 0 is
# "0", "false" is false), which that check reports; invalid values still get their 400.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def _load_schema():
    from sporskifte.wsgi import application

    # Schema generation reads no data, so the document can be loaded while collecting.
    loaded = schemathesis.openapi.from_wsgi(f"{SCHEMA_URL}?format=json", application)
    loaded.config.generation.update(with_security_parameters=False)
    return loaded


schema = _load_schema()


@pytest.fixture
def connection_kept_open():
    """Schemathesis calls the WSGI application itself, whose request signals close the database
    connection; inside the test's transaction that throws away the test's data (on PostgreSQL;
    SQLite's in-memory database survives). Django's own test client disconnects them likewise."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def real_ids(personas, programme, make_referrals, monkeypatch) -> dict[str, list[int]]:
    # The run sends far more requests a minute than a real client may; 429 is documented,
    # but a run that only saw 429s would test nothing.
    cache.clear()
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "1000000/minute"})
    referrals = make_referrals(3)
    case = CaseFactory(programme=programme)
    offers = [r.offer for r in referrals] + OfferFactory.create_batch(
        2, programme=programme, case=case
    )
    return {
        "referrals": [r.pk for r in referrals],
        "offers": [o.pk for o in offers],
        "cases": [case.pk],
        "programmes": [programme.pk],
    }


def _steer(case, real: dict[str, list[int]]) -> None:
    """Two in three generated cases are steered onto real objects (path id, programme, case)
    and, for the partner's records, a time that can be right, so the success responses are
    checked too; the rest stay as generated (mostly unknown ids: the 404 path)."""
    generated = case.path_parameters.get("id") if case.path_parameters else None
    ids = real.get(case.path.split("/")[3])  # /api/v1/<resource>/{id}/...
    if ids and isinstance(generated, int) and not isinstance(generated, bool) and generated % 3:
        case.path_parameters["id"] = ids[generated % len(ids)]
    body = case.body if isinstance(case.body, dict) else {}
    for field, kind in (("programme", "programmes"), ("case", "cases")):
        value = body.get(field)
        if isinstance(value, int) and not isinstance(value, bool) and value % 3:
            body[field] = real[kind][value % len(real[kind])]
    if isinstance(body.get("at"), str) and len(body["at"]) % 3:
        body["at"] = timezone.now().isoformat()


# No shrinking: schemathesis already reports each failure with a curl line to reproduce it, and
# shrinking every failing operation through the whole application took CI over an hour once.
@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
def test_every_response_conforms_to_the_schema(case, tokens, real_ids, connection_kept_open):
    _steer(case, real_ids)
    for who in ("police_a", "viborg"):
        response = case.call(headers={"Authorization": f"Bearer {tokens[who]}"})
        case.validate_response(response, checks=CHECKS)
