"""A year of a kredsråd in a real browser: the secretariat plans the year's meetings (and sees
the warning while there are too few), drafts the plan with a focus area and an indicator, puts
it on the agenda, records two meetings and approves the first one's minutes at the second, which
makes the plan discussed; publishes it; the public page shows it without log-in; entering the
first quarter's missing status turns the red flag green. Then the same pages on a 390 px phone.
"""

from __future__ import annotations

from django.urls import reverse

from sporskifte.councils import services
from sporskifte.councils.models import Council, CouncilMeeting, IndicatorStatus, Plan
from sporskifte.testing.factories import municipality
from tests.browser.conftest import open_menu_item


def choose(page, name: str, value: str) -> None:
    control_id = page.get_attribute(f"input[name='{name}'][value='{value}']", "id")
    page.click(f"label[for='{control_id}']")


def submit(page, field: str) -> None:
    page.click(f"main form:has([name='{field}']) button[type=submit]")
    page.wait_for_load_state()


def test_plan_a_year_draft_publish_and_a_red_flag(
    page, browser, live_server, personas, login, console_errors
):
    secretariat = personas.secretariat_a
    kredsraad = services.council_create(
        actor=secretariat, kind=Council.Kind.KREDSRAAD, name="Kredsrådet i Midt- og Vestjylland"
    )
    services.member_add(
        actor=secretariat, council=kredsraad, name="Politidirektør Hanne Kjær", role="chair",
        standing="public_official", term_start="2020-01-01",
    )  # fmt: skip

    # 1. Through the menu to the kredsråd; three meetings are one too few.
    login(page, secretariat)
    open_menu_item(page, reverse("councils:council_list"))
    page.click(f"text={kredsraad.name}")
    page.fill(
        "textarea[name='meetings-dates']", "2023-01-10 10:00\n2023-04-11 10:00\n2023-09-12 10:00"
    )
    page.fill("input[name='meetings-place']", "Politigården, Holstebro")
    submit(page, "meetings-dates")
    assert page.locator("[data-testid=meeting-warning]").is_visible()
    page.fill("textarea[name='meetings-dates']", "2023-12-12 10:00")
    page.fill("input[name='meetings-place']", "Politigården, Holstebro")
    submit(page, "meetings-dates")
    assert page.locator("[data-testid=meeting-warning]").count() == 0
    assert CouncilMeeting.objects.filter(council=kredsraad).count() == 4

    # 2. The draft: one focus area for Viborg with one indicator.
    page.fill("input[name='plan-year']", "2023")
    page.fill("input[name='plan-title']", "Samarbejdsplan 2023")
    submit(page, "plan-title")
    plan = Plan.objects.get(council=kredsraad)
    page.select_option("select[name='area-scope']", "local")
    page.fill("input[name='area-title']", "IT-kriminalitet")
    page.select_option("select[name='area-owner']", label="Viborg Kommune")
    choose(page, "area-municipalities", str(municipality("Viborg").pk))
    submit(page, "area-title")
    page.click("details summary")
    page.fill("input[name='indicator-definition']", "Anmeldelser om IT-kriminalitet")
    page.fill("input[name='indicator-source']", "Politiets anmeldelsestal")
    page.fill("input[name='indicator-baseline']", "100")
    page.fill("input[name='indicator-target']", "90")
    page.select_option("select[name='indicator-direction']", "down")
    submit(page, "indicator-definition")
    assert "Anmeldelser om IT-kriminalitet" in page.inner_text("main")

    # 3. Publishing before the kredsråd has discussed it is refused.
    page.click("form:has(input[value=publish]) button")
    page.wait_for_load_state()
    assert page.locator(".alert-error").is_visible()
    plan.refresh_from_db()
    assert plan.state == Plan.State.DRAFT

    # 4. On the first meeting's agenda; both meetings held; minutes approved at the second.
    first, second = CouncilMeeting.objects.filter(council=kredsraad).order_by("starts_at")[:2]
    page.select_option("select[name=meeting]", str(first.pk))
    page.click("form:has(input[value=agenda]) button")
    page.wait_for_load_state()
    for meeting, minutes in ((first, "Planen drøftet."), (second, "Referat godkendt.")):
        page.goto(reverse("councils:meeting_detail", args=[meeting.pk]))
        page.fill("textarea[name='minutes-minutes']", minutes)
        submit(page, "minutes-minutes")
    page.click("form:has(input[value=approve]) button")
    page.wait_for_load_state()
    page.goto(reverse("councils:plan_detail", args=[plan.pk]))
    page.click("form:has(input[value=publish]) button")
    page.wait_for_load_state()
    plan.refresh_from_db()
    assert plan.state == Plan.State.PUBLISHED

    # 5. The public page, without log-in.
    public = browser.new_context(base_url=live_server.url, locale="da-DK").new_page()
    public.goto(reverse("councils_public:plan", args=["midt-vestjylland"]))
    text = public.inner_text("main")
    assert "IT-kriminalitet" in text and "Politidirektør Hanne Kjær" in text

    # 6. The first quarter has no status: red; entering it turns it green.
    page.goto(reverse("councils:plan_status", args=[plan.pk]) + "?q=1")
    assert page.get_attribute("[data-testid=flag]", "class").endswith("status-red")
    page.fill("[data-status-form] input[name=value]", "85")
    choose(page, "rag", "green")
    page.click("[data-status-form] button[type=submit]")
    page.wait_for_load_state()
    assert page.get_attribute("[data-testid=flag]", "class").endswith("status-green")
    assert IndicatorStatus.objects.get().value == 85

    # 7. A 390 px phone sees the menu button and no horizontal scroll on these pages.
    phone = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}
    ).new_page()
    login(phone, secretariat)
    for url in (
        reverse("councils:council_detail", args=[kredsraad.pk]),
        reverse("councils:plan_detail", args=[plan.pk]),
        reverse("councils:plan_status", args=[plan.pk]),
        reverse("councils_public:plan", args=["midt-vestjylland"]),
    ):
        phone.goto(url)
        assert phone.locator("[data-menu-open]").is_visible() or "samarbejdsplan" in url
        assert (
            phone.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            == 0
        ), url
    assert console_errors == []
