"""The run's search (common table expressions, one GROUP BY joined to the household links) finds
exactly what a plain reference finds: every row read into Python and the rule applied there,
line by line as the design states it. Random worlds cover the edges one example would miss:
the window's ends, a future incident, an older version of an incident, another district, both
codes, an adult twice in one incident, a child who moved (several links), a link not yet or no
longer valid, a child outside the ages, an adult listed as their own child, a weekly run's
watermark."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sporskifte.organisations.models import Municipality, Organisation
from sporskifte.screening import engine
from sporskifte.screening.models import HouseholdLink, Incident, IncidentPerson, RuleVersion

pytestmark = pytest.mark.django_db

ADULTS = ["0101801001", "0202802002", "0303803003"]
# The first adult also appears as a "child" number: the search must never pair them with
# themselves.
CHILDREN = ["0101151001", "0202152002", "0303153003", ADULTS[0]]

incidents_st = st.lists(
    st.tuples(
        st.sampled_from(["A", "B", "Z"]),  # incident code
        st.sampled_from(["", "X"]),  # offence code
        # Days ago (-1: in the future; 30 and 400 can be a window's exact end).
        st.sampled_from([-1, 0, 1, 10, 29, 30, 31, 100, 399, 400, 401]),
        st.sampled_from([True, True, True, False]),  # current version
        st.sampled_from([True, True, True, False]),  # the district's own, else another's
    ),
    min_size=1,
    max_size=10,
)
persons_st = st.lists(
    st.tuples(
        st.integers(0, len(ADULTS) - 1),
        st.integers(0, 9),  # which incident (modulo their number)
        st.sampled_from(["suspect", "victim"]),
        st.sampled_from([None, 10, 17, 18, 40]),  # age, or no birth date
    ),
    max_size=20,
)
links_st = st.lists(
    st.tuples(
        st.integers(0, len(CHILDREN) - 1),
        st.integers(0, len(ADULTS) - 1),
        st.integers(0, 19),  # the child's age
        st.booleans(),  # born exactly that many years ago today (an age limit's edge)
        st.sampled_from([-5, 0, 1, 100, 800]),  # valid from, days ago (negative: not yet)
        st.sampled_from([None, None, -100, 0, 1, 100]),  # valid to, days ago
        st.sampled_from(["0661", "0657", "0791"]),
    ),
    max_size=10,
)
version_st = st.builds(
    RuleVersion,
    incident_codes=st.lists(st.sampled_from(["A", "B"]), min_size=1, max_size=2, unique=True),
    offence_codes=st.lists(st.just("X"), max_size=1),
    window_days=st.sampled_from([30, 365, 400]),
    threshold=st.integers(1, 3),
    roles=st.lists(st.sampled_from(["suspect", "victim"]), max_size=2, unique=True),
    child_min_age=st.integers(0, 2),
    child_max_age=st.integers(14, 17),
    adult_min_age=st.sampled_from([0, 18]),
)


def born(years: int, today: dt.date, *, exactly: bool = False) -> dt.date:
    return engine.years_before(today, years) - dt.timedelta(days=0 if exactly else 30)


def build(district: Organisation, other: Organisation, now, incidents, persons, links) -> None:
    today = now.date()
    municipalities = {m.code: m for m in Municipality.objects.filter(country="DK")}
    rows = Incident.objects.bulk_create(
        Incident(
            police_district=district if own else other,
            journal_number=f"EQ-{i}",
            is_current=current,
            incident_code=code,
            offence_code=offence,
            occurred_at=now - dt.timedelta(days=days),
        )
        for i, (code, offence, days, current, own) in enumerate(incidents)
    )
    IncidentPerson.objects.bulk_create(
        IncidentPerson(
            incident=rows[which % len(rows)],
            id_number=ADULTS[adult],
            role=role,
            birth_date=None if age is None else born(age, today),
            police_district_id=rows[which % len(rows)].police_district_id,
            is_current=rows[which % len(rows)].is_current,
            occurred_at=rows[which % len(rows)].occurred_at,
            incident_code=rows[which % len(rows)].incident_code,
            offence_code=rows[which % len(rows)].offence_code,
        )
        for adult, which, role, age in persons
    )
    HouseholdLink.objects.bulk_create(
        HouseholdLink(
            police_district=district,
            child_id_number=CHILDREN[child],
            child_name=f"Barn {child}-{n}",
            child_birth_date=born(age, today, exactly=exactly),
            adult_id_number=ADULTS[adult],
            address=f"Vej {n}",
            municipality=municipalities[code],
            valid_from=today - dt.timedelta(days=start),
            valid_to=None if end is None else today - dt.timedelta(days=end),
        )
        for n, (child, adult, age, exactly, start, end, code) in enumerate(links)
    )


def reference(
    version: RuleVersion, district_id: int, now: dt.datetime, since: int | None
) -> tuple[set[tuple[Any, ...]], dict[str, list[int]]]:
    today = now.date()
    adult_born_by = engine.years_before(today, version.adult_min_age)
    matched: dict[str, set[int]] = defaultdict(set)
    last_at: dict[str, dt.datetime] = {}
    codes, offences = version.incident_codes, version.offence_codes
    for p in IncidentPerson.objects.all():
        if not (
            p.police_district_id == district_id
            and p.is_current
            and now - dt.timedelta(days=version.window_days) < p.occurred_at <= now
            and (p.incident_code in codes or p.offence_code in offences)
            and (not version.roles or p.role in version.roles)
            and (not version.adult_min_age or p.birth_date is None or p.birth_date <= adult_born_by)
        ):
            continue
        matched[p.id_number].add(p.incident_id)
        last_at[p.id_number] = max(last_at.get(p.id_number, p.occurred_at), p.occurred_at)
    qualifying = {
        adult
        for adult, ids in matched.items()
        if len(ids) >= version.threshold and (since is None or max(ids) > since)
    }
    youngest = engine.years_before(today, version.child_min_age)
    oldest = engine.years_before(today, version.child_max_age + 1)
    newest: dict[tuple[str, str], HouseholdLink] = {}
    for h in HouseholdLink.objects.order_by("valid_from", "id"):
        if (
            h.adult_id_number in qualifying
            and h.child_id_number != h.adult_id_number
            and h.valid_from <= today
            and (h.valid_to is None or h.valid_to >= today)
            and oldest < h.child_birth_date <= youngest
        ):
            newest[(h.child_id_number, h.adult_id_number)] = h
    pairs = {
        (
            adult,
            child,
            h.child_name,
            h.child_birth_date,
            h.child_sex,
            h.address,
            h.municipality_id,
            len(matched[adult]),
            max(matched[adult]),
            last_at[adult],
        )
        for (child, adult), h in newest.items()
    }
    incidents = {adult: sorted(matched[adult]) for adult in {p[0] for p in pairs}}
    return pairs, incidents


# One world with every edge at once, so each is checked on every run, not only when drawn:
# adult 0 twice in one incident (counted once) and once at this very moment (the window's
# closed end), a child who moved (two links: the newest counts), a child born 18 years ago
# today (too old by one day), adult 0 listed as a child.
EDGES = {
    "incidents": [("A", "", 10, True, True), ("A", "", 0, True, True)],
    "persons": [(0, 0, "suspect", 40), (0, 0, "victim", 40), (0, 1, "suspect", 40)],
    "links": [
        (1, 0, 8, False, 800, None, "0661"),
        (1, 0, 8, False, 100, None, "0657"),
        (2, 0, 18, True, 800, None, "0791"),
        (3, 0, 8, False, 800, None, "0661"),
    ],
    "version": RuleVersion(
        incident_codes=["A"], offence_codes=[], window_days=365, threshold=2, roles=[]
    ),
}


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    incidents=incidents_st,
    persons=persons_st,
    links=links_st,
    version=version_st,
    cut=st.one_of(st.none(), st.integers(0, 10)),
)
@example(**EDGES, cut=None)
@example(**EDGES, cut=0)  # a weekly run: adult 0's newer incident is new
@example(**EDGES, cut=1)  # nothing new since the watermark
def test_the_search_finds_what_a_plain_reference_finds(
    district_a, incidents, persons, links, version, cut
):
    other = Organisation.objects.get(slug="sydoestjylland")
    now = timezone.now()
    with transaction.atomic():
        build(district_a, other, now, incidents, persons, links)
        ids = list(Incident.objects.order_by("pk").values_list("pk", flat=True))
        since = None if cut is None else ids[min(cut, len(ids) - 1)]
        found, incidents_of = engine.candidates(
            version, district_id=district_a.pk, now=now, since_incident_id=since
        )
        expected_pairs, expected_incidents = reference(version, district_a.pk, now, since)
        transaction.set_rollback(True)
    assert {tuple(c) for c in found} == expected_pairs
    assert len(found) == len(expected_pairs)  # and no pair twice
    assert {a: sorted(i) for a, i in incidents_of.items()} == expected_incidents
