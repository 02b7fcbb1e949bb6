"""Police systems propose through the API; bad input answers 400 and creates nothing."""

import pytest
from django.urls import reverse

from sporskifte.api.tests.conftest import client_for, issue_token
from sporskifte.audit.models import AuditEvent
from sporskifte.mediation.models import MediationCase

URL = "/api/v1/mediation/proposals/"
BODY = {
    "journal_number": "4100-12345-00077-26",
    "offence_code": "STRL288",
    "offence_date": "2026-04-01",
    "summary": "Røveri af mobiltelefon.",
    "municipality_code": "791",
    "parties": [
        {"role": "offender", "full_name": "Frank Testsen", "birth_date": "2009-05-05"},
        {"role": "victim", "organisation_name": "Kiosken på Torvet"},
    ],
}


@pytest.fixture
def police_key(personas):
    return issue_token("midt-vestjylland", "officer")


def test_a_police_system_proposes_a_case(police_key):
    response = client_for(police_key).post(URL, BODY)
    assert response.status_code == 201, response.json()
    case = MediationCase.objects.get(pk=response.json()["id"])
    assert (case.source, case.category, case.area.name) == ("police", "robbery", "Viborg")
    assert case.parties.count() == 2
    assert AuditEvent.objects.filter(
        purpose="api_mediation_proposal", object_id=str(case.pk)
    ).exists()


def test_an_unknown_offence_code_is_a_clear_400_and_changes_nothing(police_key):
    response = client_for(police_key).post(URL, {**BODY, "offence_code": "NOPE-1"})
    assert response.status_code == 400
    assert response.json() == {"offence_code": ["Unknown offence code: NOPE-1."]}
    assert MediationCase.objects.count() == 0


def test_a_bad_identity_number_names_the_party_and_changes_nothing(police_key):
    body = {**BODY, "parties": [{"role": "offender", "full_name": "X", "id_number": "999999-9999"}]}
    response = client_for(police_key).post(URL, body)
    assert response.status_code == 400
    assert "id_number" in response.json()["parties"]["1"]
    assert MediationCase.objects.count() == 0


def test_a_partner_token_cannot_propose(personas):
    key = issue_token("rusmiddelcenter-viborg", "counsellor")
    assert client_for(key).post(URL, BODY).status_code == 404
    assert MediationCase.objects.count() == 0


def test_the_operation_is_in_the_openapi_schema(client):
    schema = client.get(reverse("v1:schema"), HTTP_ACCEPT="application/json").content.decode()
    assert "/api/v1/mediation/proposals/" in schema
    assert "Propose a case for konfliktr" in schema
