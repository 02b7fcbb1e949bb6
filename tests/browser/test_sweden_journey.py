"""The Swedish side and X-Cons (seeds/004) in a real browser, and the officer's search and
late suspect on the Danish side.

A Swedish officer whose browser asks for Danish gets Swedish pages, registers an offer to a
person detained for grovt narkotikabrott (personnummer preselected, Swedish offences and
kommuner only, the häkte), cannot record a yes before the prosecutor has agreed, records the
consultation and the yes, and offers support to a relative. X-Cons reads the häkte, records a
visit and puts the referral on long follow-up.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from django.urls import reverse
from django.utils import timezone

from sporskifte.accounts.models import Role
from sporskifte.referrals.models import ContactAttempt, Offence, Offer, Programme, Referral
from sporskifte.testing.factories import (
    CaseFactory,
    ProgrammeFactory,
    district,
    member,
    municipality,
)


def _new_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="da-DK")
    context.set_default_timeout(15_000)
    return context.new_page()


def choose(page, name: str, value: str) -> None:
    control_id = page.get_attribute(f"input[name={name}][value='{value}']", "id")
    page.click(f"label[for={control_id}]")


def _xcons_programme() -> Programme:
    programme = ProgrammeFactory(
        name="X-Cons: stöd vid häktning",
        police_district=district("polisregion-stockholm"),
        destination=Programme.Destination.FIXED_PARTNER,
        fixed_partner=district("x-cons-stockholm"),
        has_prevention_conversation=False,
        for_detained=True,
        prosecutor_consultation=True,
        offers_relatives=True,
        consent="Jag samtycker till att polisen lämnar mina kontaktuppgifter till X-Cons.",
    )
    programme.offences.set(Offence.objects.filter(code="NSL-GROVT"))
    return programme


def test_x_cons_from_the_detained_persons_offer_to_long_follow_up(
    page, browser, live_server, personas, login, console_errors
):
    programme = _xcons_programme()
    officer = member("polis", district("polisregion-stockholm-narkotikarotel"), Role.OFFICER)

    # 1. The officer's browser asks for Danish; the page is Swedish, for Sweden.
    login(page, officer)
    page.goto(reverse("referrals:offer_new"))
    assert page.get_attribute("html", "lang") == "sv"
    assert page.is_checked("input[name=id_kind][value=personnummer]")
    offences = page.locator("select[name=offence] option").all_inner_texts()
    assert "Grovt narkotikabrott" in offences and not any("stoffer" in o for o in offences)
    kommuner = page.locator("select[name=home_municipality] option").all_inner_texts()
    assert "Stockholm" in kommuner and "Viborg" not in kommuner

    page.select_option("select[name=programme]", str(programme.pk))
    page.fill("input[name=journal_number]", "5000-K100001-26")
    page.select_option("select[name=offence]", label="Grovt narkotikabrott")
    page.fill("input[name=offence_date]", (timezone.localdate() - dt.timedelta(days=2)).isoformat())
    page.fill("input[name=full_name]", "Johan Ek")
    choose(page, "id_kind", "none")
    page.select_option("select[name=home_municipality]", label="Stockholm")
    page.fill("input[name=detention_facility]", "Häktet Kronoberg")
    page.fill("textarea[name=restrictions]", "Besök efter åklagarens medgivande.")
    page.click("main form button[type=submit]")
    page.wait_for_selector("[data-detention]")
    offer = Offer.objects.get(person__full_name="Johan Ek")

    # 2. No yes before the prosecutor has agreed; then the consultation and the yes.
    choose(page, "answer", "yes")
    choose(page, "consent_method", "oral")
    page.click("form[action$='/svar/'] button[type=submit]")
    page.wait_for_selector("[data-error-summary]")
    assert "åklagaren" in page.inner_text("[data-error-summary]").lower()
    assert not Referral.objects.filter(offer=offer).exists()
    page.fill("input[name=prosecutor]", "Kammaråklagare Lisa Holm")
    choose(page, "answer", "agreed")
    page.click("form[action$='/anklager/'] button[type=submit]")
    page.wait_for_selector("[data-consultations] >> text=Lisa Holm")
    choose(page, "answer", "yes")
    choose(page, "consent_method", "oral")
    page.click("form[action$='/svar/'] button[type=submit]")
    page.wait_for_selector("[data-police-status]")
    referral = Referral.objects.get(offer=offer)

    # 3. Support to a relative: an offer of her own, answered on its own page.
    page.click("[data-relatives] ~ details summary")
    page.fill("form[action$='/paaroerende/'] input[name=relation]", "mamma")
    page.fill("form[action$='/paaroerende/'] input[name=full_name]", "Karin Ek")
    choose(page, "id_kind", "none")
    page.click("form[action$='/paaroerende/'] button[type=submit]")
    page.wait_for_selector("[data-relative-of]")
    relative = Offer.objects.get(relative_of=offer)
    assert urlsplit(page.url).path == reverse("referrals:offer_detail", args=[relative.pk])

    # 4. X-Cons reads the häkte, records a visit and puts the referral on long follow-up.
    xcons = _new_page(browser, live_server)
    login(xcons, personas.ngo)
    xcons.goto(reverse("referrals:referral_detail", args=[referral.pk]))
    assert xcons.get_attribute("html", "lang") == "sv"
    assert "Häktet Kronoberg" in xcons.inner_text("[data-detention]")
    choose(xcons, "method", "visit")
    choose(xcons, "reached", "1")
    xcons.click("form[action$='/kontaktforsoeg/'] button[type=submit]")
    xcons.wait_for_selector(".alert-success")
    next_contact = (timezone.localdate() + dt.timedelta(days=60)).isoformat()
    xcons.click("text=Långsiktig uppföljning under fängelsetiden")
    xcons.fill("input[name=next_contact_on]", next_contact)
    xcons.click("form[action$='/opfoelgning/'] button[type=submit]")
    xcons.wait_for_selector("[data-follow-up]")
    xcons.goto(reverse("referrals:inbox") + "?vis=follow_up")
    assert "Johan Ek" in xcons.inner_text("main")
    referral.refresh_from_db()
    assert referral.long_follow_up and referral.next_contact_on.isoformat() == next_contact
    assert referral.attempts.get().method == ContactAttempt.Method.VISIT

    # The one error is the refused yes (400, the form shown again with its message).
    refused = reverse("referrals:offer_answer", args=[offer.pk])
    assert [e.split("/", 3)[-1] for e in console_errors] == [refused.lstrip("/")]


def test_officer_searches_by_name_and_adds_a_late_suspect(page, personas, login, console_errors):
    programme = ProgrammeFactory(name="Skift spor")
    case = CaseFactory(programme=programme)
    login(page, personas.officer_a)

    # A late suspect, one at a time, on the case page.
    page.goto(reverse("referrals:case_detail", args=[case.pk]))
    page.click("[data-add-suspect] summary")
    form = "form[action$='/sigtet/']"
    page.fill(f"{form} input[name=full_name]", "Sen Mistænkt Holm")
    choose(page, "id_kind", "none")
    page.fill(f"{form} input[name=offence_date]", timezone.localdate().isoformat())
    page.select_option(f"{form} select[name=home_municipality]", label="Viborg")
    page.click(f"{form} button[type=submit]")
    page.wait_for_url(lambda url: "/tilbud/" in url)
    assert Offer.objects.get(person__full_name="Sen Mistænkt Holm").case == case

    # The template to fill in for the batch intake downloads from the case page.
    page.goto(reverse("referrals:case_detail", args=[case.pk]))
    page.click("text=Upload")  # opens the upload section whatever its state
    with page.expect_download() as download:
        page.click("[data-import-template]")
    assert download.value.suggested_filename == "suspects.csv"

    # The overview finds the person by name, words in any order.
    page.goto(reverse("referrals:overview"))
    page.fill("input[name=q]", "holm mistænkt")
    page.click("form[role=search] button[type=submit]")
    page.wait_for_selector("text=Sen Mistænkt Holm")
    assert municipality("Viborg")  # reference data present in this transactional test
    assert console_errors == []
