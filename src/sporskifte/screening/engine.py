"""The screening query: set-based, so a national year is screened in seconds.

For one rule version the database does the work in one statement, whatever the number of
incidents: a common table expression ``adults`` (the adults with at least ``threshold``
distinct matching incidents in the window; GROUP BY identity number with COUNT/MAX, and the
incident ids themselves aggregated into one text), joined to the household links of children
living with them today, the newest link per child and adult picked with a window function
(ROW_NUMBER) in a second expression ``ranked``. The GROUP BY runs once and its counts and ids
travel with the pairs, the plan a hand-written query with a derived table gets (Django's ORM
has no derived tables; django-cte gives it WITH). The matched incidents recorded on each hit
come with the pairs: an earlier second statement sent the adults' numbers back as parameters
in chunks and cost as much Python time as the whole search.
A weekly run searches only the adults with a new matching incident, in chunks of their
numbers (an index). Python touches only the result rows (hits, thousands), never the incidents
(a million).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

from django.db.models import Aggregate, CharField, Count, F, Max, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django_cte import CTE, with_cte

from sporskifte.screening.models import HouseholdLink, IncidentPerson, RuleVersion

# Adults per query when fetching the matched incidents: within every database's parameter limit.
CHUNK = 2000


def years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year - years, day=28)


class Candidate(NamedTuple):
    """One (adult, child) pair a rule found. A tuple made from the result row (``_make``), not a
    frozen dataclass whose ``__init__`` sets each field through ``object.__setattr__``: a full
    run makes tens of thousands."""

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


class IncidentIds(Aggregate):
    """The distinct incident ids of a group as one text, ``"12,40,97"``: SQLite's
    GROUP_CONCAT, PostgreSQL's STRING_AGG (neither has the other's name; both take DISTINCT)."""

    function = "GROUP_CONCAT"
    allow_distinct = True
    output_field = CharField()

    def __init__(self, expression: str) -> None:
        super().__init__(expression, distinct=True)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            function="STRING_AGG",
            template="%(function)s(%(distinct)s(%(expressions)s)::text, ',')",
            **extra,
        )


def chunked(values: list[str]) -> list[list[str]]:
    return [values[i : i + CHUNK] for i in range(0, len(values), CHUNK)]


def _counted(persons: QuerySet[IncidentPerson], threshold: int) -> QuerySet[IncidentPerson, Any]:
    return (
        persons.values("id_number")
        .annotate(
            n=Count("incident_id", distinct=True),
            last_at=Max("occurred_at"),
            last_id=Max("incident_id"),
            ids=IncidentIds("incident_id"),
        )
        .filter(n__gte=threshold)
    )


PAIR_COLUMNS = (
    "adult_id_number",
    "child_id_number",
    "child_name",
    "child_birth_date",
    "child_sex",
    "address",
    "municipality_id",
    "n",
    "last_id",
    "last_at",
)


def pairs(
    persons: QuerySet[IncidentPerson], version: RuleVersion, *, today: dt.date
) -> list[tuple[Any, ...]]:
    """One statement: the adults among ``persons`` who reach the threshold, each with every
    child within the rule's ages living with them today (of several links for one child and
    adult, a move, the newest), and the adult's count, newest incident id and time, and last
    the adult's matching incident ids as text."""
    youngest_birth = years_before(today, version.child_min_age)
    oldest_birth = years_before(today, version.child_max_age + 1)
    adults = CTE(_counted(persons, version.threshold), name="adults")
    links = HouseholdLink.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=today),
        valid_from__lte=today,
        child_birth_date__gt=oldest_birth,
        child_birth_date__lte=youngest_birth,
    )
    # The newest link is picked in a second expression rather than by filtering on the window
    # in the same query: Django would wrap that query in a subquery and django-cte would write
    # the WITH twice, once inside it.
    ranked = CTE(
        adults.join(links, adult_id_number=adults.col.id_number)
        .annotate(
            n=adults.col.n,
            last_id=adults.col.last_id,
            last_at=adults.col.last_at,
            ids=adults.col.ids,
            newest=Window(
                RowNumber(),
                partition_by=[F("child_id_number"), F("adult_id_number")],
                order_by=[F("valid_from").desc(), F("id").desc()],
            ),
        )
        .values(*PAIR_COLUMNS, "ids", "newest"),
        name="ranked",
    )
    return list(
        with_cte(adults, ranked, select=ranked.queryset())
        .filter(newest=1)
        .values_list(*PAIR_COLUMNS, "ids")
    )


def candidates(
    version: RuleVersion, *, district_id: int, now: dt.datetime, since_incident_id: int | None
) -> tuple[list[Candidate], dict[str, list[int]]]:
    """The (adult, child) pairs the rule finds, and the matching incident ids per adult.
    Incremental (``since_incident_id``): only adults with a matching incident newer than the
    last run, looked up by their numbers, with their whole window still counting."""
    persons = matching_persons(version, district_id=district_id, now=now)
    today = now.date()
    if since_incident_id is None:
        rows = pairs(persons, version, today=today)
    else:
        fresh = sorted(
            set(
                persons.filter(incident_id__gt=since_incident_id).values_list(
                    "id_number", flat=True
                )
            )
        )
        rows = []
        for chunk in chunked(fresh):
            rows += pairs(persons.filter(id_number__in=chunk), version, today=today)
    found: list[Candidate] = []
    incidents: dict[str, list[int]] = {}
    for *pair, ids in rows:
        if pair[0] == pair[1]:
            continue  # the adult's own link as a child of the household
        found.append(Candidate._make(pair))
        if pair[0] not in incidents:
            incidents[pair[0]] = [int(i) for i in ids.split(",")]
    return found, incidents
