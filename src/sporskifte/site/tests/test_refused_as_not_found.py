"""A refusal anywhere (a service's NotAllowed, any PermissionDenied) is answered in one place,
the root URLconf's handler403, as the same 404 page as something missing. Views no longer
catch it themselves: fora's test_agenda_item_is_removed_by_who_added_it_or_a_coordinator shows
it for a real page."""

import pytest


@pytest.fixture
def refusing(settings):
    settings.ROOT_URLCONF = "sporskifte.site.tests.refusing_urls"


@pytest.mark.parametrize("kind", ["service", "plain"])
def test_a_refusal_is_answered_like_a_missing_page(refusing, client, kind):
    refused = client.get(f"/test-refuses/{kind}/")
    missing = client.get("/test-refuses/nothing-here/")

    assert refused.status_code == missing.status_code == 404
    assert "Page not found" in refused.content.decode()
    assert refused.content == missing.content
