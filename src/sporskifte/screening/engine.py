"""The screening query: set-based, so a national year is screened in seconds.

For one rule version the database does the work in three kinds of statement, whatever the
number of incidents: (1) the adults with at least ``threshold`` distinct matching incidents in
the window (GROUP BY identity number with COUNT/MAX); (2) the children who live with them
today, the newest household link per child and adult picked with a window function
(ROW_NUMBER), looked up by the adults' numbers in chunks (an index); (3) the matching incidents
of the adults who have children, to record on each hit. Python touches only the result rows
(hits, thousands), never the incidents (a million).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Max, Q, QuerySet, Window
from django.db.models.functions import RowNumber

from sporskifte.screening.models import HouseholdLink, IncidentPerson, RuleVersion

# Adults per query when fetching the matched incidents: within every database's parameter limit.
CHUNK = 2000


def years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year - years, day=28)


@dataclass(frozen=True)
class Candidate:
    adult_id_number: str
    child_id_number: str
    child_name: str
    child_birth_date: dt.date
    child_sex: str
    child_address: str
    child_municipality_id: int | None
    incident_count: int
    last_incident_id: int
    last_incident_at: dt.datetime


def matching_persons(
    version: RuleVersion, *, district_id: int, now: dt.datetime
) -> QuerySet[IncidentPerson]:
    """The persons in the district's current incidents that the rule's codes, roles and window
    match. Only the district's own incidents: a district reads what it controls."""
    codes = Q(incident_code__in=version.incident_codes or []) | Q(
        offence_code__in=version.offence_codes or []
    )
    qs = IncidentPerson.objects.filter(
        codes,
        police_district_id=district_id,
        is_current=True,
        occurred_at__gt=now - dt.timedelta(days=version.window_days),
        occurred_at__lte=now,
    )
    if version.roles:
        qs = qs.filter(role__in=version.roles)
    if version.adult_min_age:
        adult_born_by = years_before(now.date(), version.adult_min_age)
        qs = qs.filter(Q(birth_date__isnull=True) | Q(birth_date__lte=adult_born_by))
    return qs


def chunked(values: list[str]) -> list[list[str]]:
    return [values[i : i + CHUNK] for i in range(0, len(values), CHUNK)]


def _counted(persons: QuerySet[IncidentPerson], threshold: int) -> QuerySet[IncidentPerson, Any]:
    return (
        persons.values("id_number")
        .annotate(
            n=Count("incident_id", distinct=True),
            last_at=Max("occurred_at"),
            last_id=Max("incident_id"),
        )
        .filter(n__gte=threshold)
    )


def _count(persons: QuerySet[IncidentPerson], threshold: int) -> list[dict[str, Any]]:
    return list(_counted(persons, threshold))


def qualifying_adults(
    version: RuleVersion, *, district_id: int, now: dt.datetime, since_incident_id: int | None
) -> list[dict[str, Any]]:
    """Adults with at least ``threshold`` distinct matching incidents in the window (one
    GROUP BY). Incremental: only adults with a matching incident newer than the last run,
    looked up by their numbers (an index), with their whole window still counting."""
    persons = matching_persons(version, district_id=district_id, now=now)
    if since_incident_id is None:
        return _count(persons, version.threshold)
    fresh = sorted(
        set(persons.filter(incident_id__gt=since_incident_id).values_list("id_number", flat=True))
    )
    found: list[dict[str, Any]] = []
    for chunk in chunked(fresh):
        found += _count(persons.filter(id_number__in=chunk), version.threshold)
    return found


def children_of(
    adults: list[str] | QuerySet[IncidentPerson, Any], version: RuleVersion, *, today: dt.date
) -> list[tuple[Any, ...]]:
    """Children within the rule's ages living with one of ``adults`` today; of several links
    for one child and adult (a move), the newest (ROW_NUMBER over the pair). ``adults`` is a
    list of numbers (a weekly run's few) or the qualifying adults' query itself (a full run's
    thousands: one statement, the database joins them, no numbers sent back and forth)."""
    youngest_birth = years_before(today, version.child_min_age)
    oldest_birth = years_before(today, version.child_max_age + 1)
    rows: list[tuple[Any, ...]] = []
    for chunk in chunked(adults) if isinstance(adults, list) else [adults]:
        rows += (
            HouseholdLink.objects.filter(
                Q(valid_to__isnull=True) | Q(valid_to__gte=today),
                adult_id_number__in=chunk,
                valid_from__lte=today,
                child_birth_date__gt=oldest_birth,
                child_birth_date__lte=youngest_birth,
            )
            .annotate(
                newest=Window(
                    RowNumber(),
                    partition_by=[F("child_id_number"), F("adult_id_number")],
                    order_by=[F("valid_from").desc(), F("id").desc()],
                )
            )
            .filter(newest=1)
            .values_list(
                "adult_id_number",
                "child_id_number",
                "child_name",
                "child_birth_date",
                "child_sex",
                "address",
                "municipality_id",
            )
        )
    return rows


def candidates(
    version: RuleVersion, *, district_id: int, now: dt.datetime, since_incident_id: int | None
) -> tuple[list[Candidate], dict[str, list[int]]]:
    """The (adult, child) pairs the rule finds, and the matching incident ids per adult."""
    adults = {
        a["id_number"]: a
        for a in qualifying_adults(
            version, district_id=district_id, now=now, since_incident_id=since_incident_id
        )
    }
    if since_incident_id is None:
        persons = matching_persons(version, district_id=district_id, now=now)
        wanted: Any = _counted(persons, version.threshold).values("id_number")
    else:
        wanted = sorted(adults)
    found = []
    for adult, child, name, birth, sex, address, municipality in children_of(
        wanted, version, today=now.date()
    ):
        a = adults[adult]
        if child == adult:
            continue
        found.append(
            Candidate(
                adult,
                child,
                name,
                birth,
                sex,
                address,
                municipality,
                a["n"],
                a["last_id"],
                a["last_at"],
            )
        )
    incidents: dict[str, list[int]] = {}
    persons = matching_persons(version, district_id=district_id, now=now)
    for chunk in chunked(sorted({c.adult_id_number for c in found})):
        rows = persons.filter(id_number__in=chunk).values_list("id_number", "incident_id")
        for number, incident_id in rows.distinct():
            incidents.setdefault(number, []).append(incident_id)
    return found, incidents
