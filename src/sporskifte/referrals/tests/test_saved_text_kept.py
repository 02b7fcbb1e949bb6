"""Issue 7 §4: the programme form, saved, reopened and saved again, loses nothing."""

import pytest
from django.urls import reverse

from sporskifte.referrals.models import Programme
from sporskifte.testing.factories import ProgrammeFactory
from sporskifte.testing.forms import save_reopen_save

pytestmark = pytest.mark.django_db


def test_programme_form_keeps_its_description_and_consent_text(personas, as_user):
    programme = ProgrammeFactory(description="Tilbud til unge købere.\nAnden linje.")
    url = reverse("referrals:programme_edit", args=[programme.pk])
    save_reopen_save(
        as_user(personas.admin_a), url, text_fields=["name", "description", "consent_text"]
    )
    programme = Programme.objects.get(pk=programme.pk)
    assert programme.description.splitlines() == ["Tilbud til unge købere.", "Anden linje."]
    assert programme.consent_texts.count() == 1  # unchanged text makes no new version
