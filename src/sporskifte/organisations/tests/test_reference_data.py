"""The reference data the app is loaded with: Denmark's 12 police districts with all 98
municipalities and their official codes, Sweden's 7 police regions with all 290 kommuner, the
seeds' units and partners, and the other authorities that sit in the cooperation fora."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from sporskifte.organisations.models import Municipality, Organisation
from sporskifte.referrals.reference_data import reference_data_load

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
    assert region.municipalities.count() == 27  # Stockholms län (26) and Gotland


def test_sweden_has_7_police_regions_covering_its_290_kommuner_once():
    regions = Organisation.objects.filter(kind=Organisation.Kind.POLICE_DISTRICT, country="SE")
    kommuner = Municipality.objects.filter(country="SE")

    assert regions.count() == 7
    assert kommuner.count() == 290
    codes = list(kommuner.values_list("code", flat=True))
    # SCB's kommunkod: four digits, the first two the län (01-25, no 02, 11, 15 or 16 today).
    assert all(re.fullmatch(r"(0[1-9]|1[0-4]|1[7-9]|2[0-5])[0-9]{2}", c) for c in codes)
    assert len(set(codes)) == 290
    assert {c[:2] for c in codes} == {
        "01", "03", "04", "05", "06", "07", "08", "09", "10", "12", "13", "14",
        "17", "18", "19", "20", "21", "22", "23", "24", "25",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("code", "name", "region"),
    [
        ("0180", "Stockholm", "polisregion-stockholm"),
        ("0980", "Gotland", "polisregion-stockholm"),
        ("1480", "Göteborg", "polisregion-vast"),
        ("1280", "Malmö", "polisregion-syd"),
        ("0380", "Uppsala", "polisregion-mitt"),
        ("0580", "Linköping", "polisregion-ost"),
        ("1880", "Örebro", "polisregion-bergslagen"),
        ("2584", "Kiruna", "polisregion-nord"),
        ("2023", "Malung-Sälen", "polisregion-bergslagen"),
    ],
)
def test_kommunkoder_name_the_right_kommun_and_police_region(code, name, region):
    m = Municipality.objects.select_related("police_district").get(country="SE", code=code)
    assert m.name == name and m.police_district.slug == region


@pytest.mark.parametrize(
    ("code", "organisation"),
    [("0182", "Nacka kommun"), ("1490", "Borås kommun"), ("1382", "Falkenbergs kommun")],
)
def test_a_kommun_is_named_as_swedes_write_it(code, organisation):
    assert Organisation.objects.get(slug=f"kommune-se-{code}").name == organisation


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
