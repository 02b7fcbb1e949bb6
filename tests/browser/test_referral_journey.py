"""The referral issue's journey in a real browser.

An investigator uploads a case of 100 suspects; an officer records offers and consents for some;
a counsellor of municipality A sees only A's referrals and records a first conversation; the
officer sees the status the programme allows; a counsellor of municipality B sees none of A's.
"""

from __future__ import annotations

import datetime as dt
import random
from urllib.parse import urlsplit

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from sporskifte.referrals.models import Offer, Referral
from sporskifte.testing.factories import ProgrammeFactory, fictitious_cpr
from sporskifte.testing.jobs import run_queued_jobs

HEADER = "navn;id_type;id_nummer;fødselsdato;telefon;kommunekode;gerningsdato"


def _suspects_csv(n: int) -> bytes:
    rng = random.Random(100)
    today = timezone.localdate().isoformat()
    rows = [HEADER]
    for i in range(n):
        birth = dt.date(1975 + rng.randrange(30), 1 + rng.randrange(12), 1 + rng.randrange(28))
        cpr = fictitious_cpr(birth, female=bool(i % 2), rng=rng)
        # Every other buyer lives in Viborg (municipality A), the rest in Herning (B).
        municipality = "791" if i % 2 == 0 else "657"
        rows.append(f"Køber {i:03d};cpr;{cpr};;+45 2{1234000 + i};{municipality};{today}")
    return ("\n".join(rows) + "\n").encode()


def _new_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="da-DK")
    context.set_default_timeout(15_000)
    return context.new_page()


def choose(page, name: str, value: str) -> None:
    """Pick a radio button the way a user does: by its label (the design system hides the dot)."""
    control_id = page.get_attribute(f"input[name={name}][value={value}]", "id")
    page.click(f"label[for={control_id}]")


def _answer_yes(page, offer: Offer) -> None:
    page.goto(reverse("referrals:offer_detail", args=[offer.pk]))
    choose(page, "answer", "yes")
    choose(page, "prevention_conversation", "accepted")
    choose(page, "consent_method", "oral")
    page.click("form[action$='/svar/'] button[type=submit]")
    page.wait_for_selector("[data-police-status]")


def test_case_of_100_from_upload_to_first_conversation(
    page, browser, live_server, personas, login, console_errors, tmp_path
):
    programme = ProgrammeFactory(name="Skift spor")

    # 1. The investigator creates the case and uploads its 100 suspects.
    login(page, personas.investigator_a)
    page.goto(reverse("referrals:case_new"))
    page.fill("input[name=journal_number]", "4100-80000-00001-25")
    page.fill("input[name=title]", "Salgstelefon, 100 købere")
    page.select_option("select[name=programme]", str(programme.pk))
    page.select_option(
        "select[name=offence]", label="Køb eller besiddelse af euforiserende stoffer"
    )
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "/sager/" in url and not url.endswith("/ny/"))
    csv_path = tmp_path / "koebere.csv"
    csv_path.write_bytes(_suspects_csv(100))
    page.set_input_files("input[name=file]", str(csv_path))
    page.click("form[action$='/import/'] button[type=submit]")
    # A worker imports the file; the page asks until it can show the case with its suspects.
    page.wait_for_selector("[data-import-progress=queued]")
    run_queued_jobs()
    page.wait_for_selector("[data-count=total]")
    assert "100" in page.inner_text(".alert-success")
    assert page.inner_text("[data-count=total]") == "100"
    assert page.inner_text("[data-count=asked]") == "0"

    # 2. An officer records yes with consent for two buyers (one per municipality), no for one.
    officer_page = _new_page(browser, live_server)
    login(officer_page, personas.officer_a)
    viborg = Offer.objects.get(person__full_name="Køber 000")
    herning = Offer.objects.get(person__full_name="Køber 001")
    _answer_yes(officer_page, viborg)
    _answer_yes(officer_page, herning)
    declined = Offer.objects.get(person__full_name="Køber 002")
    officer_page.goto(reverse("referrals:offer_detail", args=[declined.pk]))
    choose(officer_page, "answer", "no")
    officer_page.click("form[action$='/svar/'] button[type=submit]")
    officer_page.wait_for_selector("text=Nej")
    officer_page.goto(reverse("referrals:case_detail", args=[viborg.case_id]))
    assert officer_page.inner_text("[data-count=asked]") == "3"
    assert officer_page.inner_text("[data-count=yes]") == "2"

    # 3. The counsellor of Viborg sees only Viborg's referral and records a first conversation.
    counsellor_page = _new_page(browser, live_server)
    login(counsellor_page, personas.counsellor_a)
    counsellor_page.goto(reverse("referrals:inbox") + "?vis=new")
    inbox = counsellor_page.inner_text("main")
    assert "Køber 000" in inbox and "Køber 001" not in inbox
    counsellor_page.click("text=Køber 000")
    counsellor_page.wait_for_selector("[data-contact=phone]")
    choose(counsellor_page, "step", "first_conversation")
    counsellor_page.click("form[action$='/trin/'] button[type=submit]")
    counsellor_page.wait_for_selector(".alert-success")
    assert Referral.objects.get(offer=viborg).first_conversation_at is not None

    # 4. The officer sees the status the programme's feedback level allows, nothing more.
    officer_page.goto(reverse("referrals:offer_detail", args=[viborg.pk]))
    with translation.override("da"):
        expected = gettext("Contact made")
    assert officer_page.inner_text("[data-police-status]") == expected

    # 5. The counsellor of Herning sees none of Viborg's referrals.
    other_page = _new_page(browser, live_server)
    login(other_page, personas.counsellor_b)
    for bucket in ("new", "due_soon", "overdue", "in_progress", "closed"):
        other_page.goto(reverse("referrals:inbox") + f"?vis={bucket}")
        assert "Køber 000" not in other_page.inner_text("main")
    other_page.goto(
        reverse("referrals:referral_detail", args=[Referral.objects.get(offer=viborg).pk])
    )
    assert urlsplit(other_page.url).path.endswith("/")
    assert "Køber 000" not in other_page.content()

    assert console_errors == []


def test_counsellor_pages_the_inbox_forward_and_back_without_a_page_load(
    page, personas, login, console_errors, monkeypatch
):
    from sporskifte.referrals import views
    from sporskifte.referrals.tests.conftest import accept
    from sporskifte.testing.factories import OfferFactory, PersonFactory

    monkeypatch.setattr(views.DUE_FIRST, "size", 2)  # the live server runs in this process
    programme = ProgrammeFactory(name="Skift spor")
    for i in range(5):  # due in this order: pages of 0-1, 2-3, 4
        offer = OfferFactory(programme=programme, person=PersonFactory(full_name=f"Borger {i}"))
        accept(offer, personas.officer_a)

    login(page, personas.counsellor_a)
    page.goto(reverse("referrals:inbox") + "?vis=new")
    # A page load would wipe this mark; the pager's htmx swaps keep it.
    page.evaluate("window.__sporskifteNoReload = true")

    def shown() -> list[str]:
        return [n for n in (f"Borger {i}" for i in range(5)) if n in page.inner_text("#inbox")]

    with translation.override("da"):
        next_page, previous_page = gettext("Next page"), gettext("Previous page")
    assert shown() == ["Borger 0", "Borger 1"]
    for expected, number in ((["Borger 2", "Borger 3"], 2), (["Borger 4"], 3)):
        page.click(f"#inbox >> text={next_page}")
        page.wait_for_selector(f"#inbox .pagination >> text=Side {number}")
        assert shown() == expected
        assert "efter=" in page.url and "vis=new" in page.url
    for expected, number in ((["Borger 2", "Borger 3"], 2), (["Borger 0", "Borger 1"], 1)):
        page.click(f"#inbox >> text={previous_page}")
        page.wait_for_selector(f"#inbox .pagination >> text=Side {number}")
        assert shown() == expected
    assert page.evaluate("window.__sporskifteNoReload") is True
    assert console_errors == []
