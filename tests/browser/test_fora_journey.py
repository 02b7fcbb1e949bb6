"""One SSP meeting in a real browser, from agenda to minutes and actions.

The coordinator (a prevention officer) plans the meeting, puts a theme and a person on the
agenda and ticks attendance without page loads (htmx), writes the minutes, agrees an action
with an owner organisation and a deadline, and records the meeting as held. A school leader of
the municipality, also a member, then sees the result; under the strict CSP nothing is refused.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from sporskifte.accounts.models import Role
from sporskifte.fora import services
from sporskifte.fora.frame import ForumKind, LegalBasis
from sporskifte.fora.models import Action, Meeting
from sporskifte.organisations.models import Organisation
from sporskifte.testing.factories import district, member, municipality
from tests.browser.conftest import open_menu_item

PERSON = "Bertram Forumsen"


def choose(page, name: str, value: str) -> None:
    """Tick a radio button or checkbox by its label, as a user does (the design system draws it)."""
    control_id = page.get_attribute(f"input[name={name}][value='{value}']", "id")
    page.click(f"label[for={control_id}]")


def _ssp_forum(personas):
    kommune = Organisation.objects.get(slug="kommune-dk-0791")
    school = member("school", kommune, Role.COUNSELLOR, first_name="Sanne", last_name="Skov")
    forum = services.forum_create(
        actor=personas.admin_a,
        name="SSP Viborg",
        kind=ForumKind.SSP,
        municipality=municipality("Viborg"),
        organisations=[district("midt-vestjylland"), kommune],
    )
    services.forum_member_add(
        actor=personas.admin_a, forum=forum, user=personas.officer_a, is_coordinator=True
    )
    school_member = services.forum_member_add(actor=personas.admin_a, forum=forum, user=school)
    services.forum_person_share(
        actor=school,
        forum=forum,
        full_name=PERSON,
        birth_date=dt.date(2011, 5, 4),
        legal_basis=LegalBasis.SSP,
        reason="Bekymring for kriminalitet",
        information="Set ved banegården med ældre unge",
    )
    return forum, school, school_member, kommune


def test_one_ssp_meeting_from_agenda_to_minutes_and_actions(
    page, browser, live_server, personas, login, console_errors
):
    forum, school, school_member, kommune = _ssp_forum(personas)

    # 1. The coordinator finds the forum through the menu and plans a meeting that starts now.
    login(page, personas.officer_a)
    open_menu_item(page, reverse("fora:forum_list"))
    page.click(f"text={forum.name}")
    page.click(f"a[href='{reverse('fora:meeting_new', args=[forum.pk])}']")
    start = timezone.localtime() - dt.timedelta(minutes=5)
    page.fill("input[name=starts_at]", f"{start:%Y-%m-%dT%H:%M}")
    page.fill("input[name=place]", "Viborg Rådhus, mødelokale 3")
    page.click("main form button[type=submit]")
    page.wait_for_selector("#agenda")
    meeting = Meeting.objects.get(forum=forum)
    # A page load would wipe this mark; htmx swaps keep it.
    page.evaluate("window.__sporskifteNoReload = true")

    # 2. A theme and the person go on the agenda without a page load.
    page.click("#agenda summary")
    choose(page, "kind", "theme")
    page.fill("#agenda input[name=title]", "Tryghed ved banegården")
    page.click("[data-agenda-form] button[type=submit]")
    page.wait_for_selector("[data-agenda-item=theme]")
    page.click("#agenda summary")
    choose(page, "kind", "person")
    page.select_option("#agenda select[name=person]", label=PERSON)
    page.fill("#agenda input[name=reason]", "Status efter seneste episode")
    page.click("[data-agenda-form] button[type=submit]")
    page.wait_for_selector(f"[data-agenda-item=person] >> text={PERSON}")

    # 3. Attendance is ticked: each tick is saved at once.
    officer_member = forum.members.get(user=personas.officer_a)
    choose(page, "present", str(officer_member.pk))
    page.wait_for_selector("[data-present-count] >> text=1")
    choose(page, "present", str(school_member.pk))
    page.wait_for_selector("[data-present-count] >> text=2")
    assert page.evaluate("window.__sporskifteNoReload") is True
    assert meeting.attendance.count() == 2

    # 4. An action is agreed with an owner organisation and a deadline.
    page.click("#actions summary")
    page.fill("#actions input[name=description]", "Skolen indkalder forældrene")
    page.select_option("#actions select[name=owner]", label=kommune.name)
    deadline = timezone.localdate() + dt.timedelta(days=14)
    page.fill("#actions input[name=deadline]", deadline.isoformat())
    page.select_option("#actions select[name=person]", label=PERSON)
    page.click("[data-action-form] button[type=submit]")
    page.wait_for_selector("[data-actions] >> text=Skolen indkalder forældrene")
    assert page.evaluate("window.__sporskifteNoReload") is True

    # 5. The minutes, then the meeting is recorded as held.
    page.fill("textarea[name=minutes]", "Drøftet tryghed og én personsag.")
    page.click("#minutes button[type=submit]")
    page.wait_for_selector(".alert-success")
    # Irreversible, so the design system's modal asks first.
    close_url = reverse("fora:meeting_close", args=[meeting.pk])
    page.click(f"form[action='{close_url}'] [data-confirm-opener]")
    page.click(f".fds-modal[aria-hidden=false] form[action='{close_url}'] button[type=submit]")
    page.wait_for_selector("[data-minutes]")

    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD
    assert meeting.minutes == "Drøftet tryghed og én personsag."
    assert [i.kind for i in meeting.agenda.all()] == ["theme", "person"]
    action = Action.objects.get(meeting=meeting)
    assert (action.owner, action.deadline, action.person.full_name) == (kommune, deadline, PERSON)

    # 6. The school leader sees the held meeting, its minutes and the action.
    other = browser.new_context(base_url=live_server.url, locale="da-DK").new_page()
    login(other, school)
    other.goto(reverse("fora:meeting_detail", args=[meeting.pk]))
    text = other.inner_text("main")
    assert "Drøftet tryghed og én personsag." in text and "Skolen indkalder forældrene" in text
    assert other.locator("[data-section-115-warning]").is_visible()

    assert console_errors == []
