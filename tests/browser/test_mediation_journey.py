"""A konfliktråd in a real browser: a police officer proposes a case from a police case (on a
390 px phone), the coordinator screens it, records both parties' consent and the confession and
assigns the suggested mediator, the mediator books and holds the meeting and records the
agreement and a private note, and the police officer then sees the outcome, never the note."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from sporskifte.mediation.models import ConsentText, MediationCase, MediatorProfile, State
from sporskifte.organisations.models import Municipality
from sporskifte.referrals.models import Offence
from sporskifte.testing.factories import district, member
from sporskifte.testing.personas import mediation_service
from tests.browser.conftest import overflow

JOURNAL = "4100-55555-00001-26"


def choose(page, name: str, value: str) -> None:
    control_id = page.get_attribute(f"input[name='{name}'][value='{value}']", "id")
    page.click(f"label[for={control_id}]")


def act(page, action: str) -> None:
    """Open a step's form on the case page (a details element)."""
    page.click(f"details[data-action={action}] summary")


def submit(page, action: str) -> None:
    with page.expect_navigation():
        page.click(f"[data-action={action}] button[type=submit]")


def test_proposal_to_agreement_for_police_coordinator_and_mediator(
    page, browser, live_server, personas, login, console_errors
):
    a = district("midt-vestjylland")
    Offence.objects.get_or_create(
        code="STRL244", defaults={"country": "DK", "name": "Vold", "law": "Straffeloven § 244"}
    )
    ConsentText.objects.create(district=a, version=1, text="Jeg vil gerne deltage.")
    mediator = member(
        "maegler_b", mediation_service(a), "mediator", first_name="Mads", last_name="Mægler"
    )
    MediatorProfile.objects.create(user=mediator).areas.add(Municipality.objects.get(name="Viborg"))

    # 1. The police officer proposes from a police case, on a phone.
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, personas.officer_a)
    page.goto(reverse("mediation:proposal_new"))
    assert overflow(page) == 0
    page.fill("input[name=journal_number]", JOURNAL)
    page.select_option("select[name=offence]", label="Vold")
    page.fill(
        "input[name=offence_date]", (timezone.localdate() - dt.timedelta(days=20)).isoformat()
    )
    page.select_option("select[name=area]", label="Viborg")
    page.fill("textarea[name=summary]", "Slag efter fodboldkamp.")
    page.fill("input[name=offender_name]", "Anders Testsen")
    page.fill("input[name=offender_birth_date]", "1990-04-01")
    page.fill("input[name=victim_name]", "Bente Prøvesen")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".alert-success")
    case = MediationCase.objects.get(journal_number=JOURNAL)
    assert case.state == State.PROPOSED

    # 2. The coordinator finds it in the queue and takes it to a mediator.
    coordinator = browser.new_context(base_url=live_server.url, locale="da-DK").new_page()
    login(coordinator, personas.mediation_coordinator)
    coordinator.goto(reverse("mediation:queue"))
    coordinator.click(
        f"[data-bucket=new] a[href='{reverse('mediation:case_detail', args=[case.pk])}']"
    )
    act(coordinator, "screen")
    choose(coordinator, "screen-suitable", "yes")
    submit(coordinator, "screen")
    submit(coordinator, "contact")
    submit(coordinator, "ask_consent")
    for party in case.parties.all():
        act(coordinator, "consent")
        coordinator.select_option("select[name=consent-party]", value=str(party.pk))
        coordinator.select_option("select[name=consent-method]", value="signed")
        submit(coordinator, "consent")
    # Without the confession the case cannot go on; the reason is shown, nothing changes.
    submit(coordinator, "mark_ready")
    assert "har ikke i det væsentlige tilstået" in coordinator.inner_text("[data-error-summary]")
    act(coordinator, "confession")
    coordinator.select_option(
        "select[name=confession-party]", value=str(case.parties.get(role="offender").pk)
    )
    submit(coordinator, "confession")
    submit(coordinator, "mark_ready")
    assert coordinator.locator("[data-suggested]").is_visible()
    act(coordinator, "assign")
    coordinator.select_option("select[name=assign-mediator]", value=str(mediator.pk))
    submit(coordinator, "assign")
    case.refresh_from_db()
    assert (case.state, case.mediator) == (State.ASSIGNED, mediator)

    # 3. The mediator books and holds the meeting, records the agreement and a note.
    m = browser.new_context(base_url=live_server.url, locale="da-DK").new_page()
    login(m, mediator)
    m.goto(reverse("mediation:my_cases"))
    m.click(f"a[href='{reverse('mediation:case_detail', args=[case.pk])}']")
    act(m, "meeting")
    m.select_option("select[name=meeting-kind]", value="mediation")
    m.fill("input[name=meeting-place]", "Viborg Bibliotek, lokale 2")
    m.fill(
        "input[name=meeting-starts_at]",
        f"{timezone.localtime() - dt.timedelta(hours=1):%Y-%m-%dT%H:%M}",
    )
    submit(m, "meeting")
    act(m, "hold")
    for party in case.parties.all():
        choose(m, "hold-attendees", str(party.pk))
    submit(m, "hold")
    act(m, "agreement")
    m.fill("textarea[name=agreement-text]", "Anders undskylder og betaler 500 kr.")
    m.select_option("select[name=agreement-term0_kind]", value="payment")
    m.fill("input[name=agreement-term0_description]", "Briller")
    m.fill("input[name=agreement-term0_amount]", "500")
    m.fill(
        "input[name=agreement-term0_due_on]",
        (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
    )
    submit(m, "agreement")
    assert not m.locator("[data-error-summary]").count(), m.inner_text("[data-error-summary]")
    act(m, "note")
    m.fill("textarea[name=note-text]", "Parterne var rolige. FORTROLIGT.")
    submit(m, "note")
    assert "FORTROLIGT" in m.inner_text("[data-notes]")
    case.refresh_from_db()
    assert case.state == State.AGREEMENT

    # 4. The police officer sees the outcome, not the note nor the agreement's text.
    page.goto(reverse("mediation:police_detail", args=[case.pk]))
    text = page.inner_text("main")
    assert "Indgået, punkter løber" in text
    assert "FORTROLIGT" not in text and "Anders undskylder" not in text
    assert overflow(page) == 0
    coordinator.goto(reverse("mediation:case_detail", args=[case.pk]))
    assert "FORTROLIGT" not in coordinator.inner_text("main")
    assert console_errors == []
