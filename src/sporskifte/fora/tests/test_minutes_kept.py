"""Issue 7 §4: saved minutes come back in the box, a second save keeps them, and two
coordinators saving the same minutes cannot overwrite each other silently."""

import html
import re

import pytest
from django.urls import reverse

from sporskifte.fora import meetings
from sporskifte.fora.models import Meeting
from sporskifte.fora.tests.conftest import SSP_PERSON

pytestmark = pytest.mark.django_db


def _form_values(page: str) -> dict[str, str]:
    """The minutes form's fields as the browser would send them back."""
    form = page[page.index(">", page.index('id="minutes"')) :]
    form = form[: form.index("</form>")]
    areas = re.findall(r'<textarea name="([^"]+)"[^>]*>\n?(.*?)</textarea>', form, re.S)
    values = {name: html.unescape(text) for name, text in areas}
    for tag in re.findall(r"<input [^>]*>", form):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name:
            values[name.group(1)] = html.unescape(value.group(1)) if value else ""
    return values


def _item(world, personas):
    return meetings.agenda_item_add(
        actor=personas.officer_a, meeting=world.ssp_meeting, kind="theme", title="Skolestart"
    )


def test_saved_minutes_come_back_and_a_second_save_keeps_them(personas, world, as_user):
    item = _item(world, personas)
    client = as_user(personas.officer_a)
    url = reverse("fora:meeting_detail", args=[world.ssp_meeting.pk])
    save = reverse("fora:minutes", args=[world.ssp_meeting.pk])
    first = _form_values(client.get(url).content.decode())
    first.update({"minutes": "Godt fremmøde.", f"notes_{item.pk}": ""})
    assert client.post(save, first).status_code == 302

    reopened = _form_values(client.get(url).content.decode())
    assert reopened["minutes"] == "Godt fremmøde."
    reopened[f"notes_{item.pk}"] = "Ny note under punktet"
    assert client.post(save, reopened).status_code == 302

    meeting = Meeting.objects.get(pk=world.ssp_meeting.pk)
    item.refresh_from_db()
    assert meeting.minutes == "Godt fremmøde." and item.notes == "Ny note under punktet"


def test_two_coordinators_saving_the_same_minutes_do_not_overwrite_each_other(
    personas, world, as_user
):
    _item(world, personas)
    url = reverse("fora:meeting_detail", args=[world.ssp_meeting.pk])
    save = reverse("fora:minutes", args=[world.ssp_meeting.pk])
    one = as_user(personas.officer_a)
    mine = _form_values(one.get(url).content.decode())
    theirs = dict(mine)
    theirs["minutes"] = "Skrevet af den anden koordinator"
    assert one.post(save, theirs).status_code == 302  # saved first, from another tab

    mine["minutes"] = "Min version"
    answer = one.post(save, mine)
    assert answer.status_code == 400
    text = answer.content.decode()
    assert "Someone else saved this text after you opened it" in text
    assert "Min version" in text  # what I wrote is not lost either
    assert Meeting.objects.get(pk=world.ssp_meeting.pk).minutes == (
        "Skrevet af den anden koordinator"
    )
    # Saving again after reading the message is a knowing choice, and goes through.
    again = _form_values(text)
    assert one.post(save, again).status_code == 302
    assert Meeting.objects.get(pk=world.ssp_meeting.pk).minutes == "Min version"


def test_coordinator_is_warned_when_general_minutes_name_a_person_on_the_agenda(
    personas, world, as_user
):
    meetings.agenda_item_add(
        actor=personas.officer_a,
        meeting=world.ssp_meeting,
        kind="person",
        person=world.ssp_person,
        reason="Bekymring",
    )
    client = as_user(personas.officer_a)
    url = reverse("fora:meeting_detail", args=[world.ssp_meeting.pk])
    save = reverse("fora:minutes", args=[world.ssp_meeting.pk])
    first_name = SSP_PERSON.split()[0]
    for text, warned in (
        (f"{first_name} var med i mødet", True),
        ("Født 4.5.2011, bekymring drøftet", True),  # the person's birth date
        ("Drøftet generelt, intet om nogen", False),
    ):
        values = _form_values(client.get(url).content.decode())
        values["minutes"] = text
        page = client.post(save, values, follow=True).content.decode()
        assert ("who is on the agenda" in page) is warned, text


def test_an_item_put_on_the_agenda_after_the_page_opened_does_not_refuse_the_save(
    personas, world, as_user
):
    # The meeting page adds agenda items without a page load: the form it holds must still save.
    client = as_user(personas.officer_a)
    url = reverse("fora:meeting_detail", args=[world.ssp_meeting.pk])
    opened = _form_values(client.get(url).content.decode())
    _item(world, personas)
    opened["minutes"] = "Drøftet tryghed."
    assert (
        client.post(reverse("fora:minutes", args=[world.ssp_meeting.pk]), opened).status_code == 302
    )
    assert Meeting.objects.get(pk=world.ssp_meeting.pk).minutes == "Drøftet tryghed."
