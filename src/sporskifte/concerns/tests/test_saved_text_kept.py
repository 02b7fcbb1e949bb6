"""Issue 7 §4: the worry conversation form, saved, reopened and saved again, loses nothing."""

import pytest
from django.urls import reverse

from sporskifte.concerns.models import Conversation
from sporskifte.testing.forms import save_reopen_save

pytestmark = pytest.mark.django_db


def test_conversation_form_keeps_its_texts(personas, world, as_user):
    conv = world.conversation_a
    before = {f.name: getattr(conv, f.name) for f in Conversation._meta.concrete_fields}
    url = reverse("concerns:conversation_edit", args=[conv.pk])
    save_reopen_save(as_user(personas.officer_a), url, text_fields=["place"])
    conv.refresh_from_db()
    for name, value in before.items():
        if isinstance(value, str):
            assert getattr(conv, name).splitlines() == value.splitlines(), name
