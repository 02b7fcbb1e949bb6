"""The organisations' reference data (police districts, municipalities, units, partners, the other
authorities of the cooperation fora) loaded from the JSON files shipped with the app. Idempotent:
run it again after the files change. The offences are the referrals app's
(``referrals.reference_data``, which loads both)."""

from __future__ import annotations

import json
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

from sporskifte.organisations.models import Municipality, Organisation

HERE = Path(__file__).resolve().parent / "reference"


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def municipality_organisation_name(name: str, country: str) -> str:
    """ "Viborg Kommune"; "Nacka kommun", "Borås kommun", "Falkenbergs kommun" (Swedish takes
    the genitive s after a consonant other than s, x or z)."""
    if country == "DK":
        return f"{name} Kommune"
    genitive = "" if name[-1].lower() in "aeiouyåäösxz" else "s"
    return f"{name}{genitive} kommun"


@transaction.atomic
def organisations_reference_load() -> dict[str, int]:
    districts = _load(HERE / "police_districts.json")
    sweden = _load(HERE / "sweden.json")
    by_slug: dict[str, Organisation] = {}
    by_code: dict[tuple[str, str], Municipality] = {}
    for d in districts["police_districts"] + sweden["police_districts"]:
        org, _ = Organisation.objects.update_or_create(
            slug=d["slug"],
            defaults={
                "name": d["name"],
                "kind": Organisation.Kind.POLICE_DISTRICT,
                "country": d["country"],
            },
        )
        by_slug[org.slug] = org
        for m in d["municipalities"]:
            mun, _ = Municipality.objects.update_or_create(
                country=d["country"],
                code=m["code"],
                defaults={"name": m["name"], "police_district": org},
            )
            by_code[(d["country"], m["code"])] = mun
            Organisation.objects.update_or_create(
                slug=f"kommune-{d['country'].lower()}-{m['code']}",
                defaults={
                    "name": municipality_organisation_name(m["name"], d["country"]),
                    "kind": Organisation.Kind.MUNICIPALITY,
                    "country": d["country"],
                    "municipality": mun,
                },
            )
    for u in districts["police_units"]:
        district = by_slug[u["district"]]
        unit, _ = Organisation.objects.update_or_create(
            slug=u["slug"],
            defaults={
                "name": u["name"],
                "kind": Organisation.Kind.POLICE_UNIT,
                "country": district.country,
                "parent": district,
            },
        )
        Municipality.objects.filter(country=district.country, code__in=u["municipalities"]).update(
            patrol_centre=unit
        )
    partners = _load(HERE / "partners.json")
    for slug in partners["municipal_centres_for_districts"]:
        for mun in by_slug[slug].municipalities.all():
            Organisation.objects.update_or_create(
                slug=f"rusmiddelcenter-{slugify(mun.name)}",
                defaults={
                    "name": f"Rusmiddelcenter {mun.name}",
                    "kind": Organisation.Kind.SUBSTANCE_ABUSE_CENTRE,
                    "country": mun.country,
                    "municipality": mun,
                },
            )
    for p in partners["fixed"]:
        Organisation.objects.update_or_create(
            slug=p["slug"],
            defaults={
                "name": p["name"],
                "kind": p["kind"],
                "country": p["country"],
                "municipality": by_code[(p["country"], p["municipality"])],
            },
        )
    for a in _load(HERE / "authorities.json")["authorities"]:
        Organisation.objects.update_or_create(
            slug=a["slug"],
            defaults={"name": a["name"], "kind": a["kind"], "country": a["country"]},
        )
    return {
        "organisations": Organisation.objects.count(),
        "municipalities": Municipality.objects.count(),
    }
