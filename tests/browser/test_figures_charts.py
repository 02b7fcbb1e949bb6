"""The figures charts as a phone and a desktop draw them: every piece of chart text at least
12 px and inside its drawing (issue 9: 6-7 px at 390 px, the last month label cut off)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from sporskifte.insights.tests.conftest import World
from sporskifte.referrals.models import Offer
from sporskifte.referrals.rollup import rollup_rebuild
from sporskifte.testing.factories import ProgrammeFactory

# For each visible chart text: its rendered font size (the CSS size times the drawing's scale)
# and whether its box lies inside the drawing's box.
MEASURE = """() => [...document.querySelectorAll('svg.chart')]
  .filter(svg => svg.getBoundingClientRect().width > 0)
  .flatMap(svg => {
    const box = svg.getBoundingClientRect();
    return [...svg.querySelectorAll('text')].map(t => {
      const r = t.getBoundingClientRect();
      return {
        text: t.textContent.trim(),
        px: parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a,
        inside: r.left >= box.left - 0.5 && r.right <= box.right + 0.5,
      };
    });
  })"""


@pytest.mark.parametrize("width", [390, 1280])
def test_chart_text_is_at_least_12_px_and_not_clipped(page, personas, login, width):
    world = World(personas, ProgrammeFactory(name="Skift spor"))
    world.funnel_people(yes=6, first=4, further=2, no=3)
    first = Offer.objects.order_by("pk").first()
    assert first is not None
    # Thirteen months of offers, so the month axis is full and ends at this month.
    Offer.objects.filter(pk=first.pk).update(created_at=first.created_at - dt.timedelta(days=390))
    rollup_rebuild()
    page.set_viewport_size({"width": width, "height": 900})
    login(page, personas.officer_a)
    page.goto(reverse("insights:report"))

    texts = page.evaluate(MEASURE)

    assert len(texts) > 10
    small = [(t["text"], round(t["px"], 1)) for t in texts if t["px"] < 11.95]
    assert small == []
    assert [t["text"] for t in texts if not t["inside"]] == []
    months = [t["text"] for t in texts if t["text"][-2:].isdigit() and " " in t["text"]]
    assert months and months == [m.lower() for m in months]  # "maj 26"


@pytest.mark.parametrize("width", [390, 1280])
def test_an_officer_finds_a_cases_figures_by_typing_its_journal_number(
    page, personas, login, width
):
    """The folded filters hold a text box for the journal number (a district has thousands of
    cases); a number outside the officer's programmes is refused in Danish. On a phone the
    open filters and the error fit the screen."""
    from sporskifte.testing.factories import CaseFactory
    from tests.browser.conftest import overflow

    world = World(personas, ProgrammeFactory(name="Skift spor"))
    case = CaseFactory(programme=world.programme, journal_number="4100-55555-00001-26")
    world.answer(world.offer(case=case), Offer.Answer.YES)
    world.funnel_people(yes=6, first=0, further=0, no=3)
    page.set_viewport_size({"width": width, "height": 900})
    login(page, personas.officer_a)
    page.goto(reverse("insights:report"))

    page.click("[data-more-filters] summary")
    page.fill("input[name=journal_number]", "4100-55555-00001-26")
    page.click("form.insights-filters button[type=submit]")
    offered = page.locator("#funnel-table tr[data-step=offered] td").first
    assert offered.inner_text() == "1"  # the case's one offer, not all ten

    page.fill("input[name=journal_number]", "4100-00000-00000-00")
    page.click("form.insights-filters button[type=submit]")
    summary = page.locator("[data-error-summary]").inner_text()
    assert "Der er ingen sag med dette journalnummer" in summary
    assert overflow(page) == 0
    if width == 390:
        assert page.locator("[data-menu-open]").is_visible()


def test_a_swedish_officer_asks_for_a_case_by_its_diarienummer_in_swedish(page, personas, login):
    from sporskifte.accounts.models import Role
    from sporskifte.testing.factories import district, member
    from tests.browser.conftest import overflow

    ProgrammeFactory(name="X-Cons", police_district=district("polisregion-stockholm"))
    officer = member("polis", district("polisregion-stockholm-narkotikarotel"), Role.OFFICER)
    page.set_viewport_size({"width": 390, "height": 900})
    login(page, officer)
    page.goto(reverse("insights:report"))

    assert page.get_attribute("html", "lang") == "sv"
    page.click("[data-more-filters] summary")
    assert (
        page.locator("label[for=id_journal_number]")
        .inner_text()
        .startswith("Ärende (diarienummer)")
    )
    page.fill("input[name=journal_number]", "5000-K999999-26")
    page.click("form.insights-filters button[type=submit]")
    summary = page.locator("[data-error-summary]").inner_text()
    assert "Det finns inget ärende med detta diarienummer" in summary
    assert overflow(page) == 0
