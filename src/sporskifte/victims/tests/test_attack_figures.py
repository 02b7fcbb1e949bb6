"""The victim figures attacked by the police, who know whom they informed and may look at the
figures page as often as they like: help must not flow back (DOMAIN.md §3.3), so no look may
tell them whether a victim they informed was contacted."""

import pytest
from django.urls import reverse
from django.utils import timezone

from sporskifte.insights.suppression import WITHHELD
from sporskifte.victims import selectors, services

pytestmark = pytest.mark.django_db


def _refer(actor, category="violence"):
    return services.victim_information_record(
        actor=actor, category=category, consented=True, name="Karen Offer", phone="+4520304050"
    )


def _tables(page: bytes) -> list[str]:
    """The figures tables of a page (the rest carries a fresh nonce and token each time)."""
    html = page.decode()
    return [part.split("</table>")[0] for part in html.split("<table")[1:]]


def _police_view(personas) -> dict:
    district = personas.officer_a.membership.organisation.pk
    return dict(selectors.district_figures(district, timezone.localdate().year, for_police=True))


def test_police_cannot_tell_whether_the_one_victim_they_informed_was_contacted(
    personas, adviser_a, as_user
):
    info = _refer(personas.officer_a, category="fraud")
    page = reverse("victims:figures")
    before = _police_view(personas), _tables(as_user(personas.officer_a).get(page).content)
    services.victim_referral_move(actor=adviser_a, referral=info.referral, to="contacted")
    after = _police_view(personas), _tables(as_user(personas.officer_a).get(page).content)
    # Before: contacted 0, then "<5": the one fraud victim had been contacted.
    assert before[1] and after == before


def test_police_cannot_tell_that_the_last_victim_not_yet_contacted_was_contacted(
    personas, adviser_a
):
    infos = [_refer(personas.officer_a) for _ in range(6)]
    for info in infos[:5]:
        services.victim_referral_move(actor=adviser_a, referral=info.referral, to="contacted")
    before = _police_view(personas)  # six consented, five contacted: the last one is hidden
    services.victim_referral_move(actor=adviser_a, referral=infos[5].referral, to="contacted")
    # Before: 6, 6, 6: all contacted, so the one the officer just informed was too.
    assert _police_view(personas) == before


def test_police_see_contacted_only_beside_two_groups_of_at_least_five(personas, adviser_a):
    infos = [_refer(personas.officer_a) for _ in range(20)]
    for info in infos[:10]:
        services.victim_referral_move(actor=adviser_a, referral=info.referral, to="contacted")
    assert _police_view(personas)["Violence"] == {
        "informed": 20,
        "consented": 20,
        "contacted": 10,
    }
    for info in infos[10:16]:
        services.victim_referral_move(actor=adviser_a, referral=info.referral, to="contacted")
    assert _police_view(personas)["Violence"]["contacted"] == WITHHELD  # four not yet


def test_the_unit_sees_its_own_contacts_exact_on_its_page(personas, adviser_a, as_user):
    info = _refer(personas.officer_a, category="fraud")
    services.victim_referral_move(actor=adviser_a, referral=info.referral, to="contacted")
    page = as_user(adviser_a).get(reverse("victims:figures")).content.decode()
    officer_page = as_user(personas.officer_a).get(reverse("victims:figures")).content.decode()
    assert "&lt;5" in page and page.count("&lt;5") > officer_page.count("&lt;5")
