"""The smallest journey through a real browser: the design system loads, and a persona gets in
with both factors."""

from urllib.parse import urlsplit

from django.urls import reverse

DKFDS_CSS = "/static/dkfds/css/dkfds.min.css"


def test_login_page_is_styled_by_the_design_system(page, console_errors):
    statuses = {}
    page.on("response", lambda r: statuses.setdefault(urlsplit(r.url).path, r.status))

    page.goto(reverse("accounts:login"))

    assert statuses.get(DKFDS_CSS) == 200
    # The design system's own font family only applies when its stylesheet did.
    font = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "IBM Plex Sans" in font
    assert page.locator("input[name=username]").is_visible()
    assert console_errors == []  # a CSP violation or a missing asset shows up here


def test_persona_logs_in_with_password_and_code(page, personas, login, console_errors):
    officer = personas.officer_a

    login(page, officer)

    path = urlsplit(page.url).path
    assert path not in {reverse("accounts:login"), reverse("accounts:verify")}
    assert officer.get_full_name() in page.locator("header .portal-user").inner_text()
    assert console_errors == []


def test_password_alone_does_not_get_past_the_code_page(page, personas):
    officer = personas.officer_a
    officer.set_password("korrekt-hest-batteri-42")
    officer.save(update_fields=["password"])
    page.goto(reverse("accounts:login"))
    page.fill("input[name=username]", officer.username)
    page.fill("input[name=password]", "korrekt-hest-batteri-42")
    page.click("main form button[type=submit]")

    page.goto(reverse("core:home"))

    assert urlsplit(page.url).path in {reverse("accounts:verify"), reverse("accounts:setup_mfa")}
