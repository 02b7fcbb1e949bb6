"""All reference data: the organisations' (``organisations.services``) and the offences, which
belong to the referrals app (``reference/offences.json``). Idempotent: run it again after the
files change (``manage.py load_reference_data``)."""

from __future__ import annotations

import json
from pathlib import Path

from django.db import transaction

from sporskifte.organisations.services import organisations_reference_load
from sporskifte.referrals.models import Offence

OFFENCES = Path(__file__).resolve().parent / "reference" / "offences.json"


def offences_reference_load() -> dict[str, int]:
    for o in json.loads(OFFENCES.read_text(encoding="utf-8"))["offences"]:
        Offence.objects.update_or_create(
            code=o["code"], defaults={"name": o["name"], "law": o["law"], "country": o["country"]}
        )
    return {"offences": Offence.objects.count()}


@transaction.atomic
def reference_data_load() -> dict[str, int]:
    return {**organisations_reference_load(), **offences_reference_load()}
