"""Everyday use on a phone, a tablet and a desk (issue 9's "Forms and pages" and "Phone and
tablet"): every main page of every role fits 390 and 768 px without sideways scrolling and has
no serious or critical axe-core finding; the mobile menu opens; widgets look and toggle as
their kind; irreversible actions ask first, with and without JavaScript; sections with errors
open; the language changes only when asked; error pages wear the design system.

The worlds are the apps' own test worlds (built through the services), so the pages show rows.
"""

# The apps' test worlds are imported as fixtures and then named as test arguments.
# ruff: noqa: F811

from __future__ import annotations

from urllib.parse import urlsplit

from django.urls import reverse

from sporskifte.fora.models import Meeting
from sporskifte.fora.tests.conftest import world as fora_world  # noqa: F401 (a fixture)
from sporskifte.referrals.models import Consent
from sporskifte.referrals.tests.conftest import world as referral_world  # noqa: F401 (a fixture)
from tests.browser.conftest import axe_serious, log_in, overflow

WIDTHS = (390, 768)


def _open(browser, live_server, user, width: int = 1280, **options):
    context = browser.new_context(
        base_url=live_server.url,
        locale="da-DK",
        viewport={"width": width, "height": 900},
        **options,
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    if user is not None:
        log_in(page, user)
    return page


def _check_pages(page, paths: list[str]) -> list[str]:
    """Each page at each width: what overflows sideways and what axe-core calls serious."""
    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for path in paths:
            response = page.goto(path)
            assert response is not None and response.status == 200, (path, response)
            extra = overflow(page)
            if extra > 0:
                problems.append(f"{width}px {path}: {extra}px too wide")
            problems += [f"{width}px {path}: {v}" for v in axe_serious(page)]
    return problems


def test_every_main_page_of_every_role_fits_a_phone_and_a_tablet(
    browser,
    live_server,
    page,
    personas,
    referral_world,
    fora_world,
):
    rw, fw = referral_world, fora_world
    journeys = {
        personas.officer_a: [
            reverse("referrals:overview"),
            reverse("referrals:offer_new"),
            reverse("referrals:case_list"),
            reverse("referrals:case_detail", args=[rw.case_a.pk]),
            reverse("referrals:offer_detail", args=[rw.offer_viborg.pk]),
            reverse("concerns:case_list"),
            reverse("insights:report"),
            reverse("fora:forum_list"),
            reverse("fora:forum_detail", args=[fw.ssp.pk]),
            reverse("fora:meeting_detail", args=[fw.ssp_meeting.pk]),
            reverse("fora:person_detail", args=[fw.ssp_person.pk]),
        ],
        personas.counsellor_a: [
            reverse("referrals:inbox"),
            reverse("referrals:referral_detail", args=[rw.referral_viborg.pk]),
            reverse("insights:report"),
        ],
        personas.admin_a: [
            reverse("referrals:programme_list"),
            reverse("referrals:programme_edit", args=[rw.programme_a.pk]),
            reverse("audit:search"),
            reverse("research:project_list"),
        ],
        personas.council_member: [reverse("core:home")],
        personas.researcher: [reverse("research:project_list")],
        personas.sysadmin: [reverse("accounts:user_list"), reverse("accounts:api_token_list")],
        fw.school: [reverse("core:home"), reverse("fora:person_detail", args=[fw.ssp_person.pk])],
    }
    problems = _check_pages(
        page,
        [
            reverse("accounts:login"),
            reverse("insights:public_index"),
            reverse("insights:public", args=[rw.programme_a.pk]),
        ],
    )
    for user, paths in journeys.items():
        role_page = _open(browser, live_server, user)
        problems += _check_pages(role_page, paths)
        role_page.context.close()

    assert problems == []


def test_the_menu_button_opens_the_design_systems_drawer_on_a_phone(
    browser, live_server, personas, page
):
    phone = _open(browser, live_server, personas.officer_a, width=390)

    assert not phone.locator("nav.navigation-menu").is_visible()
    phone.click("[data-menu-open]")
    drawer = phone.locator(".mobile-drawer")
    drawer.wait_for(state="visible")
    assert drawer.get_by_role("link", name="Sager").is_visible()
    assert drawer.get_by_role("button", name="Log ud").is_visible()
    # "Log ud" on one line: a button no taller than the line it sits on.
    height = phone.evaluate("document.querySelector('.mobile-drawer .button-log-out').offsetHeight")
    assert height < 50
    drawer.get_by_role("link", name="Sager").click()
    phone.wait_for_url(lambda url: urlsplit(url).path == reverse("referrals:case_list"))
    phone.context.close()


def test_checkboxes_are_drawn_and_toggle_as_checkboxes(
    browser, live_server, personas, page, referral_world
):
    log_in(page, personas.admin_a)
    page.goto(reverse("referrals:programme_edit", args=[referral_world.programme_a.pk]))

    # A multiple choice (offences) and a single checkbox ("Active"): the design system draws
    # the square from the label's ::before, which needs the input right before the label.
    for selector in ("input[name=offences]", "input[name=is_active]"):
        box = page.locator(selector).first
        assert box.get_attribute("type") == "checkbox"
        assert "form-checkbox" in box.get_attribute("class")
        label = page.locator(f"label[for={box.get_attribute('id')}]")
        radius = label.evaluate("el => getComputedStyle(el, '::before').borderRadius")
        assert radius == "4px", selector  # a radio's ::before is round (50%)
        before = box.is_checked()
        label.click()
        assert box.is_checked() is not before
    assert page.locator("input[type=radio][name=offences]").count() == 0


def test_withdrawal_asks_in_a_modal_before_anything_changes(
    page,
    personas,
    referral_world,
    login,
):
    offer = referral_world.offer_viborg
    login(page, personas.officer_a)
    page.goto(reverse("referrals:offer_detail", args=[offer.pk]))

    page.click("[data-confirm-opener]")
    modal = page.locator(".fds-modal[aria-hidden=false]")
    modal.wait_for(state="visible")
    assert Consent.objects.get(offer=offer).withdrawn_at is None
    modal.locator("button[type=submit]").click()
    page.wait_for_selector(".alert-success")

    assert Consent.objects.get(offer=offer).withdrawn_at is not None


def test_without_javascript_the_question_is_a_page(
    browser,
    live_server,
    personas,
    page,
    fora_world,
):
    plain = _open(browser, live_server, personas.officer_a, java_script_enabled=False)
    plain.goto(reverse("fora:meeting_detail", args=[fora_world.ssp_meeting.pk]))
    cancel_url = reverse("fora:meeting_cancel", args=[fora_world.ssp_meeting.pk])

    plain.click(f"form[action='{cancel_url}'] button[type=submit]")
    plain.wait_for_selector("[data-confirm-page]")
    assert Meeting.objects.get(pk=fora_world.ssp_meeting.pk).status == Meeting.Status.PLANNED
    plain.click("[data-confirm-page] button[type=submit]")
    plain.wait_for_selector(".alert-success")

    assert Meeting.objects.get(pk=fora_world.ssp_meeting.pk).status == Meeting.Status.CANCELLED
    plain.context.close()


def test_a_section_with_errors_is_open_after_the_failed_submit(page, login, fora_world):
    login(page, fora_world.school)
    page.goto(reverse("fora:person_detail", args=[fora_world.ssp_person.pk]))
    share = page.locator("details", has=page.locator("form[action$='/oplysning/']"))
    share.locator("summary").click()
    share.locator("button[type=submit]").click()  # nothing filled in

    page.wait_for_selector(".form-error-message")
    share = page.locator("details", has=page.locator("form[action$='/oplysning/']"))
    assert share.get_attribute("open") is not None
    assert share.locator(".form-error-message").first.is_visible()


def test_the_language_changes_only_when_the_button_is_pressed(page, personas, login):
    login(page, personas.officer_a)
    page.focus("#language")
    page.keyboard.press("ArrowDown")
    page.wait_for_timeout(300)  # an autosubmit would have started navigating by now
    assert page.locator("html").get_attribute("lang") == "da"

    page.select_option("#language", "en")
    page.click("form.language-switch button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"


def test_the_code_page_shows_no_menu_and_a_missing_page_wears_the_design_system(page, personas):
    response = page.goto("/findes-ikke/")
    assert response is not None and response.status == 404
    assert page.locator("[data-error-page='404'] h1").inner_text() == "Siden findes ikke"
    font = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "IBM Plex Sans" in font

    officer = personas.officer_a
    officer.set_password("korrekt-hest-batteri-42")
    officer.save(update_fields=["password"])
    page.goto(reverse("accounts:login"))
    assert page.locator("[data-public-figures-link]").is_visible()
    page.fill("input[name=username]", officer.username)
    page.fill("input[name=password]", "korrekt-hest-batteri-42")
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "kode" in url or "opsaet" in url)

    assert page.locator("nav.navigation-menu, .mobile-drawer").count() == 0
    assert page.get_by_role("button", name="Log ud").is_visible()
