"""Reads of people. Default deny: every read names the police district it is scoped to."""

from __future__ import annotations

from sporskifte.people.models import Person


def people_registered(
    *, police_district_id: int, numbers: list[tuple[str, str]]
) -> dict[tuple[str, str], Person]:
    """The district's referral-register people with these (kind, number) pairs."""
    wanted = {n for _k, n in numbers if n}
    if not wanted:
        return {}
    found = Person.objects.select_related("home_municipality").filter(
        police_district_id=police_district_id,
        register=Person.Register.REFERRALS,
        id_number__in=wanted,
    )
    return {(p.id_kind, p.id_number): p for p in found}
