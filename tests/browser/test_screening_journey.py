"""Socialsøg in a real browser, from incident file to the municipality's acknowledgement.

The screening officer loads a file of incident records and a household file, runs the screening,
opens the hit and drafts a notification; a second officer approves and sends it (four eyes);
child services in Holstebro (the child's municipality, not the incident's) acknowledges receipt;
a notification left unacknowledged past its 6 working days is flagged to the sender. The hit
list fits a 390 px phone, the figures of a closed quarter a phone and a tablet; under the strict
CSP nothing is refused.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from sporskifte.screening import services
from sporskifte.screening.figures import Quarter
from sporskifte.screening.models import DistrictCode, Hit, Notification
from sporskifte.testing.factories import district
from sporskifte.testing.jobs import run_queued_jobs
from tests.browser.conftest import log_in, open_menu_item, overflow

INCIDENTS = (
    "journalnummer;version;haendelseskode;gerningskode;tidspunkt;adresse;kommunekode;cpr;navn;rolle\n"
    "4100-00001-26;1;SPIRIT;;{a};Vestergade 1, Viborg;0791;0101809001;Test Voksen;suspect\n"
    "4100-00002-26;1;SPIRIT;;{b};Torvet 2, Skive;0779;0101809001;Test Voksen;suspect\n"
)
HOUSEHOLDS = (
    "barn_cpr;barn_navn;voksen_cpr;adresse;kommunekode;fra;til\n"
    "0101159002;Test Barn;0101809001;Bredgade 3, Holstebro;0661;2020-01-01;\n"
)


def _open(browser, live_server, user):
    context = browser.new_context(base_url=live_server.url, locale="da-DK")
    context.set_default_timeout(15_000)
    page = context.new_page()
    log_in(page, user)
    return page


def _rule(personas):
    a = district("midt-vestjylland")
    DistrictCode.objects.create(police_district=a, kind="incident", code="SPIRIT", label="Sprit")
    services.rule_save(
        actor=personas.admin_a,
        name="Gentagen spirituskørsel",
        incident_codes=["SPIRIT"],
        offence_codes=[],
        window_days=365,
        threshold=2,
        reason_category="substance",
        facts_template="$count hændelser:\n$incidents",
    )


def test_load_run_review_approve_send_acknowledge_and_overdue_flag(
    page, browser, live_server, personas, login, console_errors
):
    _rule(personas)
    now = timezone.localtime()
    csv = INCIDENTS.format(
        a=f"{now - dt.timedelta(days=30):%Y-%m-%dT%H:%M}",
        b=f"{now - dt.timedelta(days=2):%Y-%m-%dT%H:%M}",
    )

    # 1. The screening officer loads the incident file and the household file.
    login(page, personas.screening_a)
    open_menu_item(page, reverse("screening:hit_list"))
    page.click(f"main a[href='{reverse('screening:import')}']")
    page.select_option("select[name=kind]", "incidents")
    page.set_input_files(
        "input[name=file]", {"name": "h.csv", "mimeType": "text/csv", "buffer": csv.encode()}
    )
    page.click("main form button[type=submit]")
    # The import runs as a job; the page polls it and swaps the bar for the result.
    page.wait_for_selector("progress#import-bar")
    run_queued_jobs()
    page.wait_for_selector(".alert-success")
    page.click(f"main a[href='{reverse('screening:import')}']")
    page.select_option("select[name=kind]", "households")
    page.set_input_files(
        "input[name=file]",
        {"name": "b.csv", "mimeType": "text/csv", "buffer": HOUSEHOLDS.encode()},
    )
    page.click("main form button[type=submit]")
    page.wait_for_selector("progress#import-bar")
    run_queued_jobs()
    page.wait_for_selector(".alert-success")

    # 2. A full run finds the child; the officer opens the hit and drafts the notification.
    page.goto(reverse("screening:hit_list"))
    page.click("button[name=mode][value=full]")
    page.wait_for_selector("[data-hit]")
    page.click("[data-hit] a")
    page.click("button[name=draft]")
    page.wait_for_selector("[data-state=draft]")
    notification = Notification.objects.get()
    assert notification.municipality.name == "Holstebro"
    assert page.locator("button[name=action][value=approve]").count() == 0  # not the drafter

    # 3. A second officer approves and sends it.
    approver = _open(browser, live_server, personas.screening_approver_a)
    approver.goto(reverse("screening:notification_detail", args=[notification.pk]))
    approver.click("button[name=action][value=approve]")
    approver.wait_for_selector("[data-state=approved]")
    approver.click("button[name=action][value=send]")
    approver.wait_for_selector("[data-state=sent]")
    approver.context.close()

    # 4. Child services in Holstebro finds it in the inbox and acknowledges receipt.
    holstebro = _open(browser, live_server, personas.child_services_holstebro)
    holstebro.click(f"nav a[href='{reverse('screening:inbox')}']")
    holstebro.click(f"[data-notification='{notification.pk}'] a")
    holstebro.click("button[name=action][value=acknowledge]")
    holstebro.wait_for_selector(".alert-success")
    holstebro.context.close()
    notification.refresh_from_db()
    assert notification.acknowledged_at is not None

    # 5. A notification sent three weeks ago and never acknowledged is flagged to the sender.
    Notification.objects.filter(pk=notification.pk).update(
        acknowledged_at=None, acknowledge_due_on=timezone.localdate() - dt.timedelta(days=10)
    )
    page.goto(reverse("screening:notification_list"))
    assert page.locator(f"[data-notification='{notification.pk}'] [data-overdue]").count() == 1
    page.goto(reverse("screening:hit_list") + "?state=drafted")
    assert page.locator("[data-overdue]").count() == 1
    assert Hit.objects.get().state == Hit.State.DRAFTED

    # 6. The hit list on a phone: no sideways scrolling.
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(reverse("screening:hit_list") + "?state=drafted")
    assert overflow(page) == 0

    # 7. Sent last quarter, the notification is counted in that closed quarter's figures; the
    # page fits a phone and a tablet.
    last = Quarter.of(timezone.localdate()).previous()
    sent = timezone.make_aware(dt.datetime.combine(last.start, dt.time(12)))
    Notification.objects.filter(pk=notification.pk).update(approved_at=sent, sent_at=sent)
    for width in (390, 768):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(reverse("screening:figures"))
        assert page.locator(f"select[name=kvartal] option[value='{last.slug}']").count() == 1
        assert page.locator("h2", has_text="kvartal").count() == 1
        assert overflow(page) == 0, width
    assert console_errors == []
