"""A Swedish user's pages are Swedish and a Danish user's are Danish, over the demo data.

Each main page of the demo's Swedish accounts is fetched and its visible text scanned for words
that only Danish uses (and the Danish accounts' pages for words only Swedish uses). A label
translated once at import time, a hard-coded Danish string or a Danish list shown to a Swedish
officer (offences, municipalities) turns up here with the page it was on.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from sporskifte.accounts.models import User
from sporskifte.referrals.models import Case, Offer, Programme, Referral
from sporskifte.referrals.selectors import INBOX_BUCKETS
from sporskifte.testing.personas import verified_client

pytestmark = pytest.mark.django_db

# Words and letters that give a Danish text away to a Swedish reader, and the other way round.
# Names of people and places are Swedish in the Swedish demo, so æ/ø never belong there.
DANISH = re.compile(
    r"[æøÆØ]|\b(ikke|og|til|af|jeres|Kære|henvisning\w*|Henvisning\w*|samtykke\w*|Samtykke\w*|"
    r"Indbakke|tilbud\w*|Tilbud\w*|sigte\w*|kommune|Kommune|Gem|fødsels\w*|Søg|Nyt|"
    r"Sager|Afsluttet|Forfalden|Forfaldne|Bekymring\w*|bekymring\w*|Politi|politi)\b"
)
SWEDISH = re.compile(
    r"[äöÄÖ]|\b(och|inte|att|av|för|Spara|kommun|samtycke\w*|Samtycke\w*|hänvisning\w*|"
    r"Hänvisning\w*|Inkorg|polisen|Polisen|Sök|erbjudande\w*|Erbjudande\w*|häkte\w*)\b"
)


class _Text(HTMLParser):
    """The text a reader sees, without scripts, styles and the language switch's names."""

    SKIP = {"script", "style"}

    def __init__(self) -> None:
        super().__init__()
        self.out = StringIO()
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        for name, value in attrs:
            if name in {"title", "aria-label", "placeholder"} and value and not self.skipping:
                self.out.write(f" {value} ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.out.write(data)


def visible_text(html: str) -> str:
    # The language switch lists its languages in their own names ("Dansk"): it is skipped.
    html = re.sub(r'<form[^>]*class="language-switch".*?</form>', "", html, flags=re.S)
    parser = _Text()
    parser.feed(html)
    return re.sub(r"\s+", " ", parser.out.getvalue())


def _client(username: str, language: str | None) -> Client:
    client = verified_client(User.objects.get(username=username))
    if language:
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    return client


def _police_pages(district_slug: str) -> list[str]:
    case = Case.objects.filter(police_district__slug=district_slug).first()
    offer = Offer.objects.filter(police_district__slug=district_slug).first()
    programme = Programme.objects.filter(police_district__slug=district_slug).first()
    assert offer is not None and programme is not None
    pages = [
        reverse("core:home"),
        reverse("referrals:overview"),
        *(
            reverse("referrals:offer_detail", args=[o.pk])
            for o in Offer.objects.filter(
                police_district__slug=district_slug, relative_of__isnull=False
            )[:1]
        ),
        reverse("referrals:offer_new"),
        reverse("referrals:offer_detail", args=[offer.pk]),
        reverse("referrals:case_list"),
        reverse("referrals:case_new"),
        reverse("concerns:case_list"),
        reverse("insights:report"),
    ]
    if case is not None:
        pages.append(reverse("referrals:case_detail", args=[case.pk]))
    return pages


def _admin_pages(district_slug: str) -> list[str]:
    programme = Programme.objects.filter(police_district__slug=district_slug).first()
    assert programme is not None
    return [
        reverse("referrals:programme_list"),
        reverse("referrals:programme_new"),
        reverse("referrals:programme_edit", args=[programme.pk]),
        reverse("audit:search"),
    ]


def _partner_pages(partner_slug: str) -> list[str]:
    referral = Referral.objects.filter(partner__slug=partner_slug).first()
    assert referral is not None
    inbox = reverse("referrals:inbox")
    return [
        reverse("core:home"),
        *(f"{inbox}?vis={tab}" for tab in INBOX_BUCKETS),
        reverse("referrals:referral_detail", args=[referral.pk]),
        *(
            reverse("referrals:referral_detail", args=[r.pk])
            for r in Referral.objects.filter(partner__slug=partner_slug, long_follow_up=True)[:1]
        ),
        reverse("insights:report"),
    ]


def _offending(client: Client, pages: list[str], words: re.Pattern[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for url in pages:
        response = client.get(url, follow=True)  # a start page may redirect by role
        assert response.status_code == 200, url
        text = visible_text(response.content.decode())
        hits = sorted({m.group(0) for m in words.finditer(text)})
        if hits:
            found[url] = hits
    return found


@pytest.fixture
def demo():
    call_command("demo_data", stdout=StringIO())


def test_the_swedish_demo_accounts_see_no_danish_words(demo):
    # No Accept-Language: the organisation's country decides (a Danish browser gets the same).
    for language in (None, "da"):
        found = {
            **_offending(
                _client("polis-stockholm", language),
                _police_pages("polisregion-stockholm"),
                DANISH,
            ),
            **_offending(
                _client("kredsadmin-stockholm", language),
                _admin_pages("polisregion-stockholm"),
                DANISH,
            ),
            **_offending(_client("xcons", language), _partner_pages("x-cons-stockholm"), DANISH),
        }
        assert found == {}, (language, found)


def test_the_danish_demo_accounts_see_no_swedish_words(demo):
    found = {
        **_offending(_client("betjent", "da"), _police_pages("midt-vestjylland"), SWEDISH),
        **_offending(_client("kredsadmin", "da"), _admin_pages("midt-vestjylland"), SWEDISH),
        **_offending(
            _client("raadgiver-viborg", "da"), _partner_pages("rusmiddelcenter-viborg"), SWEDISH
        ),
    }
    assert found == {}


def test_a_swedish_user_who_chooses_english_gets_english(demo):
    client = _client("polis-stockholm", None)
    client.post(reverse("set_language"), {"language": "en"})
    response = client.get(reverse("referrals:overview"))
    assert response["Content-Language"] == "en"


def test_the_inbox_tabs_are_in_the_users_language(demo):
    from django.utils import translation

    from sporskifte.referrals.views import BUCKETS

    response = _client("xcons", None).get(reverse("referrals:inbox"))
    text = visible_text(response.content.decode())
    with translation.override("sv"):
        labels = [str(label) for label in BUCKETS.values()]
    assert all(label in text for label in labels), labels
