"""Issue 7 §4: the forum and meeting forms, saved, reopened and saved again, lose nothing."""

import pytest
from django.urls import reverse

from sporskifte.fora.models import Forum, Meeting
from sporskifte.testing.forms import save_reopen_save

pytestmark = pytest.mark.django_db


def test_forum_form_keeps_its_name_and_settings(personas, world, as_user):
    url = reverse("fora:forum_edit", args=[world.ssp.pk])
    save_reopen_save(
        as_user(personas.admin_a), url, text_fields=["name", "organisations", "retention_days"]
    )
    assert Forum.objects.get(pk=world.ssp.pk).name == world.ssp.name


def test_meeting_form_keeps_its_place_and_notice(personas, world, as_user):
    Meeting.objects.filter(pk=world.ssp_meeting.pk).update(notice="Husk dagsordenen.\nTak.")
    url = reverse("fora:meeting_edit", args=[world.ssp_meeting.pk])
    values = save_reopen_save(as_user(personas.officer_a), url, text_fields=["place"])
    meeting = Meeting.objects.get(pk=world.ssp_meeting.pk)
    assert meeting.place == world.ssp_meeting.place
    if "notice" in values:
        assert meeting.notice.splitlines() == ["Husk dagsordenen.", "Tak."]
