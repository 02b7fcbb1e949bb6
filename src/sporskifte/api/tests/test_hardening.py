"""Hostile bodies get a 400, not a 500."""

import pytest
from django.urls import reverse


def _deep(levels: int) -> bytes:
    return b"[" * levels + b"]" * levels


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("police_a", reverse("v1:case-list")),
        ("police_a", reverse("v1:offer-list")),
    ],
)
def test_deeply_nested_json_on_a_write_is_a_400(api, who, url):
    response = api(who).post(url, data=_deep(100_000), content_type="application/json")

    assert response.status_code == 400
    assert "nested too deeply" in response.json()["detail"]


@pytest.mark.django_db
def test_a_journal_number_with_a_line_break_is_refused(api):
    response = api("police_a").post(
        reverse("v1:case-list"), {"journal_number": "4100-1\r\n2026", "title": ""}, format="json"
    )

    assert response.status_code == 400
    assert "journal_number" in response.json()
