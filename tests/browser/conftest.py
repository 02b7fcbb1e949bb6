"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

``playwright install`` cannot download browsers here, so the system's /usr/bin/chromium is
launched directly; without it every test marked ``browser`` is skipped with the reason.
Live-server tests are transactional (the database is flushed after each), so fixtures that need
reference data or people must (re)create them per test, as ``personas`` does.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from sporskifte.accounts.totp import next_usable_code

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # the tests run as root in CI, where Chromium's sandbox cannot start
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PASSWORD = "korrekt-hest-batteri-42"
HERE = Path(__file__).resolve().parent
RESULTS = HERE.parent.parent / "test-results"
# Test only: injected into the page under test through Playwright (the CSP forbids it in the
# served pages, and it is never shipped).
AXE = HERE.parent.parent / "node_modules" / "axe-core" / "axe.min.js"

# Database calls from a test that also drives a page run while Playwright's event loop exists.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    skip = pytest.mark.skip(
        reason=f"browser test: {CHROMIUM} is missing (apt-get install chromium; .ci/run does it)"
    )
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.browser)
        if "browser" in item.keywords and not CHROMIUM.exists():
            item.add_marker(skip)


_FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> object:
    report = yield
    if report.when == "call":
        item.stash[_FAILED] = report.failed
    return report


@pytest.fixture(scope="session")
def browser(live_server) -> Iterator[object]:
    # Asks for the live server so that it is set up first and stopped last: Chromium keeps
    # connections open, and a request thread that outlives the server's stop closes a database
    # connection no longer shared with it (an unhandled-thread warning on SQLite).
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def console_errors() -> list[str]:
    """What went wrong in the page: script errors, CSP violations, and requests that failed
    (with their URL; the browser's own /favicon.ico probe is left out)."""
    return []


def _watch(page, errors: list[str]) -> None:
    def on_console(message) -> None:
        # Failed loads are reported below with their URL; the console line has none.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            errors.append(message.text)

    def on_response(response) -> None:
        if response.status >= 400 and urlsplit(response.url).path != "/favicon.ico":
            errors.append(f"{response.status} {response.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("response", on_response)
    page.on("requestfailed", lambda r: errors.append(f"{r.failure} {r.url}"))


@pytest.fixture
def page(transactional_db, browser, live_server, console_errors, request) -> Iterator[object]:
    context = browser.new_context(base_url=live_server.url, locale="da-DK")
    context.set_default_timeout(10_000)
    page = context.new_page()
    _watch(page, console_errors)
    findings = _axe_on_every_goto(page)
    yield page
    if not request.node.stash.get(_FAILED, False) and page.url.startswith("http"):
        # Every page a test opens, and the state it leaves the last one in, goes to axe-core.
        findings += [f"{page.url}: {v}" for v in axe_serious(page)]
        assert findings == []
    if request.node.stash.get(_FAILED, False):
        RESULTS.mkdir(exist_ok=True)
        page.screenshot(path=str(RESULTS / f"{request.node.name}.png"), full_page=True)
    context.close()


def current_code(user) -> str:
    """The code the user's app would log them in with, waiting for it if a third log-in within
    one window needs the step after next (replay protection)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    assert device is not None, f"{user} has no confirmed TOTP device"
    usable = next_usable_code(device)
    time.sleep(usable.wait_seconds)
    return usable.code


def log_in(page, user, password: str = PASSWORD) -> None:
    """Log ``user`` in through the real pages: password, then the code from their device.

    Gives the user ``password`` and a confirmed device if they have none, as an administrator
    would when creating the account.
    """
    user.set_password(password)
    user.save(update_fields=["password"])
    TOTPDevice.objects.get_or_create(user=user, confirmed=True, defaults={"name": "browser"})
    login_path, verify_path = reverse("accounts:login"), reverse("accounts:verify")
    page.goto(login_path)
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", password)
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: urlsplit(url).path == verify_path)
    page.fill("input[name=token]", current_code(user))
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: urlsplit(url).path not in {login_path, verify_path})


def axe_serious(page) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now, each with up to
    three of the elements it found."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    return page.evaluate(
        """() => axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations
            .filter(v => v.impact === "serious" || v.impact === "critical")
            .map(v => v.id + ": " + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", ")))"""
    )


def _axe_on_every_goto(page) -> list[str]:
    """Run axe-core after each ``page.goto`` of an HTML page; returns the list it fills."""
    findings: list[str] = []
    goto = page.goto

    def goto_and_check(url: str, **options: object) -> object:
        response = goto(url, **options)
        if response is not None and "text/html" in (response.headers.get("content-type") or ""):
            findings.extend(f"{url}: {v}" for v in axe_serious(page))
        return response

    page.goto = goto_and_check
    return findings


def overflow(page) -> int:
    """How many CSS pixels the page is wider than the window (0: no horizontal scroll)."""
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


@pytest.fixture
def login():
    """``login(page, user)``: both factors through the real log-in pages."""
    return log_in


def open_menu_item(page, url: str) -> None:
    """Click a main-menu item as a user does: when the menu is longer than the screen is wide,
    the design system moves the last items under its "More" button, which opens first."""
    item = page.locator(f".navigation-menu a[href='{url}']").first
    if not item.is_visible():
        page.locator(".navigation-menu .more-button").first.click()
        item = page.locator(f".navigation-menu a[href='{url}']:visible").first
    item.click()
