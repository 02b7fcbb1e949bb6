"""Bad input to the API is answered in the caller's language, Django REST framework's own
messages included (its catalogues lack some in Danish and Swedish; see api/drf_messages.py)."""

from __future__ import annotations

import gettext
from pathlib import Path

import pytest
import rest_framework
from django.conf import settings
from django.utils import translation

from sporskifte.api.drf_messages import MESSAGES

DRF_SOURCE = Path(rest_framework.__file__).parent


def test_each_listed_message_is_still_written_so_by_the_framework():
    source = "".join(p.read_text() for p in DRF_SOURCE.glob("*.py"))
    for message in MESSAGES:
        assert f"_({message!r})" in source, message


@pytest.mark.parametrize("language", ["da", "sv"])
def test_each_listed_message_has_a_translation(language):
    catalogue = gettext.translation(
        "django", localedir=settings.LOCALE_PATHS[0], languages=[language]
    )
    for message in MESSAGES:
        assert catalogue.gettext(message) != message, (language, message)


def test_invalid_boolean_is_refused_in_danish(api, make_referrals):
    referral = make_referrals(1)[0]
    with translation.override("da"):
        response = api("viborg").post(
            f"/api/v1/referrals/{referral.pk}/contact-attempts/",
            {"at": referral.created_at.isoformat(), "method": "phone", "reached": "måske"},
            format="json",
            HTTP_ACCEPT_LANGUAGE="da",
        )
    assert response.status_code == 400
    assert response.json()["reached"] == ["Skal være en gyldig boolsk værdi (true eller false)."]
