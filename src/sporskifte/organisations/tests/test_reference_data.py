"""The reference data the app is loaded with: Denmark's 12 police districts with all 98
municipalities and their official codes, Stockholm's police region, the seeds' units and
partners, and the other authorities that sit in the cooperation fora."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from sporskifte.organisations.models import Municipality, Organisation
from sporskifte.organisations.services import reference_data_load

pytestmark = pytest.mark.django_db


def test_denmark_has_12_police_districts_covering_its_98_municipalities_once():
    districts = Organisation.objects.filter(kind=Organisation.Kind.POLICE_DISTRICT, country="DK")
    municipalities = Municipality.objects.filter(country="DK")

    assert districts.count() == 12
    assert municipalities.count() == 98
    assert all(m.police_district.country == "DK" for m in municipalities.select_related())
    # Three digits written with four, unique (the constraint holds it; the data must fit it).
    codes = list(municipalities.values_list("code", flat=True))
    assert all(re.fullmatch(r"0[0-9]{3}", c) for c in codes) and len(set(codes)) == 98


@pytest.mark.parametrize(
    ("code", "name", "district"),
    [
        ("0101", "København", "koebenhavn"),
        ("0791", "Viborg", "midt-vestjylland"),
        ("0615", "Horsens", "sydoestjylland"),
        ("0151", "Ballerup", "koebenhavns-vestegn"),
        ("0400", "Bornholm", "bornholm"),
    ],
)
def test_official_codes_name_the_right_municipality_and_district(code, name, district):
    m = Municipality.objects.select_related("police_district").get(country="DK", code=code)
    assert m.name == name and m.police_district.slug == district


def test_every_municipality_is_an_organisation_of_its_own():
    assert Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY).count() == (
        Municipality.objects.count()
    )


def test_sydoestjylland_has_three_patrol_centres_sharing_its_municipalities():
    district = Organisation.objects.get(slug="sydoestjylland")
    centres = Organisation.objects.filter(slug__startswith="sydoestjylland-pc-")

    assert centres.count() == 3
    covered = Counter(
        district.municipalities.exclude(patrol_centre=None).values_list("patrol_centre", flat=True)
    )
    assert set(covered) == set(centres.values_list("pk", flat=True))
    assert sum(covered.values()) == district.municipalities.count()


def test_stockholm_police_region_and_its_municipalities():
    region = Organisation.objects.get(slug="polisregion-stockholm")
    assert region.country == "SE" and region.municipalities.filter(code="0180").exists()


def test_each_municipality_of_the_demo_districts_has_a_substance_abuse_centre():
    for slug in ("midt-vestjylland", "sydoestjylland", "koebenhavns-vestegn"):
        for m in Municipality.objects.filter(police_district__slug=slug):
            assert Organisation.objects.filter(
                kind=Organisation.Kind.SUBSTANCE_ABUSE_CENTRE, municipality=m
            ).exists(), m.name


def test_the_seeds_fixed_partners_are_partners():
    for slug in ("brydehuset", "x-cons-stockholm"):
        assert Organisation.objects.get(slug=slug).is_partner


@pytest.mark.parametrize(
    ("kind", "country", "count"),
    [
        (Organisation.Kind.PSYCHIATRY, "DK", 5),  # one per region, in PSP
        (Organisation.Kind.PRISON_PROBATION, "DK", 1),  # Kriminalforsorgen, in KSP
        (Organisation.Kind.STATE_AUTHORITY, "DK", 1),  # Skattestyrelsen, in banderåd
        (Organisation.Kind.PRISON_PROBATION, "SE", 1),  # Kriminalvården
    ],
)
def test_the_other_authorities_of_the_fora_are_there(kind, country, count):
    assert Organisation.objects.filter(kind=kind, country=country).count() == count


def test_loading_again_changes_nothing():
    before = sorted(Organisation.objects.values_list("slug", "name", "kind", "country"))
    municipalities = sorted(Municipality.objects.values_list("code", "name", "police_district"))

    reference_data_load()

    assert sorted(Organisation.objects.values_list("slug", "name", "kind", "country")) == before
    assert (
        sorted(Municipality.objects.values_list("code", "name", "police_district"))
        == municipalities
    )
