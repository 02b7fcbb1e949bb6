"""The people a look at screening data is about, as the audit trail names them.

The audit trail finds every look at one person by ``person_id`` (a row of ``people.Person``),
which is how an administrator answers a data subject's request (GDPR art. 15, the log of
disclosures). Screening keeps identity numbers on its own rows, so the first audited look at a
child or an adult makes them a row in the screening register (``Person.Register.SCREENING``,
never matched with the referral register), and every later look names the same row. Only
people someone has looked at get one: a run's thousands of candidates do not.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from sporskifte.organisations.models import Organisation
from sporskifte.people.models import Person
from sporskifte.screening.models import Hit, Notification

# (identity number, name, birth date, sex) of one person looked at.
Subject = tuple[str, str, dt.date | None, str]
Looked = TypeVar("Looked", Hit, Notification)


def subject_person_ids(*, district_id: int, subjects: Iterable[Subject]) -> dict[str, int]:
    """The screening register's person id per identity number, made for those without one.
    One query when everyone has a row already (the usual case: a page looked at again); four
    when someone is new (the rows, the district's country for the kind of number, one INSERT
    of the missing, the rows again: a concurrent look making the same row is absorbed by the
    unique constraint, and the second SELECT reads whichever row won). A CPR number has 10
    digits and a personnummer 12, so the number alone finds the row within the district."""
    wanted = {number: (name, birth, sex) for number, name, birth, sex in subjects if number}
    if not wanted:
        return {}
    rows = Person.objects.filter(register=Person.Register.SCREENING, police_district_id=district_id)
    found = dict(rows.filter(id_number__in=wanted).values_list("id_number", "pk"))
    missing = [n for n in wanted if n not in found]
    if not missing:
        return found
    country = Organisation.objects.filter(pk=district_id).values_list("country", flat=True).get()
    kind = Person.IdKind.PERSONNUMMER if country == "SE" else Person.IdKind.CPR
    Person.objects.bulk_create(
        (
            Person(
                register=Person.Register.SCREENING,
                police_district_id=district_id,
                id_kind=kind,
                id_number=number,
                full_name=wanted[number][0][:200],
                birth_date=wanted[number][1],
                sex=wanted[number][2] if wanted[number][2] in Person.Sex.values else "U",
            )
            for number in missing
        ),
        ignore_conflicts=True,
    )
    return found | dict(rows.filter(id_number__in=missing).values_list("id_number", "pk"))


def _hit_subjects(hit: Hit) -> list[Subject]:
    return [
        (hit.child_id_number, hit.child_name, hit.child_birth_date, hit.child_sex),
        (hit.adult_id_number, "", None, "U"),
    ]


def _notification_subjects(notification: Notification) -> list[Subject]:
    """The child, and for a screening notification the adult whose incidents it recounts."""
    subjects: list[Subject] = [
        (
            notification.child_id_number,
            notification.child_name,
            notification.child_birth_date,
            notification.child_sex,
        )
    ]
    if notification.hit is not None:
        subjects.append((notification.hit.adult_id_number, "", None, "U"))
    return subjects


def hit_person_ids(hits: list[Hit]) -> dict[int, list[int]]:
    """Per hit, the person ids of its child and adult (child first)."""
    return _per_object(hits, _hit_subjects)


def notification_person_ids(notifications: list[Notification]) -> dict[int, list[int]]:
    """Per notification, the person ids of its child (first) and, from a hit, the adult."""
    return _per_object(notifications, _notification_subjects)


def _per_object(
    objects: Sequence[Looked], subjects_of: Callable[[Looked], list[Subject]]
) -> dict[int, list[int]]:
    by_district: dict[int, list[Looked]] = {}
    for obj in objects:
        by_district.setdefault(obj.police_district_id, []).append(obj)
    result: dict[int, list[int]] = {}
    for district_id, objs in by_district.items():
        ids = subject_person_ids(
            district_id=district_id, subjects=(s for o in objs for s in subjects_of(o))
        )
        for o in objs:
            result[o.pk] = [ids[s[0]] for s in subjects_of(o) if s[0] in ids]
    return result
