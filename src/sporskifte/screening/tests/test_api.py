import pytest

from sporskifte.api.tests.conftest import client_for, issue_token
from sporskifte.screening.models import Incident

pytestmark = pytest.mark.django_db
URL = "/api/v1/screening/incidents/"


def incident(n, municipality="0791"):
    return {
        "journal_number": f"4100-{n}-26",
        "incident_code": "SPIRIT",
        "occurred_at": "2026-11-01T22:00:00+01:00",
        "municipality_code": municipality,
        "persons": [{"id_number": "0101809001", "role": "suspect"}],
    }


@pytest.fixture
def screening_api(personas):
    return client_for(issue_token("midt-vestjylland", "screening_officer"))


def test_a_batch_is_loaded_once_and_a_retry_writes_nothing(screening_api):
    body = {"incidents": [incident(1), incident(2)]}
    first = screening_api.post(URL, body)
    again = screening_api.post(URL, body)
    assert (first.status_code, first.json()) == (201, {"created": 2, "skipped": 0})
    assert again.json() == {"created": 0, "skipped": 2}
    assert Incident.objects.count() == 2


def test_a_bad_municipality_code_names_the_index_and_imports_nothing(screening_api):
    response = screening_api.post(URL, {"incidents": [incident(1), incident(2, "9999")]})
    assert response.status_code == 400
    assert response.json()["incidents"] == [
        {"index": 1, "field": "municipality_code", "message": "Unknown municipality code."}
    ]
    assert Incident.objects.count() == 0


def test_an_ordinary_police_token_is_answered_404(personas):
    client = client_for(issue_token("midt-vestjylland", "officer"))
    assert client.post(URL, {"incidents": [incident(1)]}).status_code == 404


def test_the_endpoint_is_in_the_openapi_document(personas):
    schema = client_for(None).get("/api/v1/schema/?format=json").json()
    assert "/api/v1/screening/incidents/" in schema["paths"]
