"""What changed between a plan version and the one it supersedes: focus areas, their
activities and indicators added, removed or changed.

A new version copies the rows of the one before (``plans.plan_new_version``) without pointing
back at them, so parts are matched by what a reader recognises them by: a focus area by its
title, an activity by its description and an indicator by its definition, within the matched
focus area. A renamed part therefore shows as one removed and one added, which is also how a
council member would read it. Internal notes are left out: members see the comparison too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.utils.translation import gettext_lazy as _

from sporskifte.councils.models import Activity, FocusArea, Indicator, Plan

ADDED, REMOVED, CHANGED = "added", "removed", "changed"

T = TypeVar("T")


@dataclass(frozen=True)
class FieldChange:
    label: Any
    old: str
    new: str


@dataclass
class PartChange:
    kind: str  # ADDED, REMOVED or CHANGED
    name: str
    fields: list[FieldChange] = field(default_factory=list)


@dataclass
class AreaChange(PartChange):
    activities: list[PartChange] = field(default_factory=list)
    indicators: list[PartChange] = field(default_factory=list)


def previous_version(plan: Plan) -> Plan | None:
    """The version this one supersedes (or will, once published): the council's plan for the
    same year with the next lower version number."""
    return (
        Plan.objects.filter(council_id=plan.council_id, year=plan.year, version__lt=plan.version)
        .order_by("-version")
        .first()
    )


def _areas(plan: Plan) -> list[FocusArea]:
    return list(
        plan.focus_areas.select_related("owner").prefetch_related(
            "municipalities", "activities__owner", "activities__areas", "indicators"
        )
    )


def _pairs(
    old: Iterable[T],
    new: Iterable[T],
    key: Callable[[T], str],
    closest: Callable[[T], object] = id,
) -> list[tuple[T | None, T | None]]:
    """Old and new parts paired by ``key`` (in the new version's order, then the removed).
    Where several share a key (seed 002 gives several municipalities a focus area with the same
    title), the one equal by ``closest`` is taken first."""
    waiting: dict[str, list[T]] = {}
    for item in old:
        waiting.setdefault(key(item).casefold().strip(), []).append(item)
    pairs: list[tuple[T | None, T | None]] = []
    for item in new:
        same = waiting.get(key(item).casefold().strip())
        if not same:
            pairs.append((None, item))
            continue
        twin = next((c for c in same if closest(c) == closest(item)), same[0])
        same.remove(twin)
        pairs.append((twin, item))
    pairs += [(item, None) for items in waiting.values() for item in items]
    return pairs


def _fields(old: Any, new: Any, spec: list[tuple[Any, Callable[[Any], str]]]) -> list[FieldChange]:
    return [
        FieldChange(label, read(old), read(new)) for label, read in spec if read(old) != read(new)
    ]


AREA_FIELDS: list[tuple[Any, Callable[[FocusArea], str]]] = [
    (_("Scope"), lambda a: str(a.get_scope_display())),
    (_("Description"), lambda a: a.description),
    (_("Owner"), lambda a: str(a.owner)),
    (
        _("Municipalities covered"),
        lambda a: ", ".join(sorted(str(m) for m in a.municipalities.all())),
    ),
    (_("Runs until (year)"), lambda a: str(a.last_year)),
]
ACTIVITY_FIELDS: list[tuple[Any, Callable[[Activity], str]]] = [
    (_("Owner"), lambda a: str(a.owner)),
    (
        _("Prevention areas (forebyggelsesområder)"),
        lambda a: ", ".join(sorted(str(x) for x in a.areas.all())),
    ),
]
INDICATOR_FIELDS: list[tuple[Any, Callable[[Indicator], str]]] = [
    (_("Source"), lambda i: i.source),
    (_("Baseline"), lambda i: str(i.baseline)),
    (_("Target"), lambda i: str(i.target)),
    (_("Direction"), lambda i: str(i.get_direction_display())),
    (_("Fed by"), lambda i: str(i.get_feed_display())),
]


def _parts(
    old: Iterable[T], new: Iterable[T], name: Callable[[T], str], spec: list[Any]
) -> list[PartChange]:
    changes = []
    for before, after in _pairs(old, new, name):
        if before is None:
            changes.append(PartChange(ADDED, name(after)))  # type: ignore[arg-type]
        elif after is None:
            changes.append(PartChange(REMOVED, name(before)))
        elif fields := _fields(before, after, spec):
            changes.append(PartChange(CHANGED, name(after), fields))
    return changes


def _coverage(area: FocusArea) -> object:
    return (area.scope, frozenset(m.pk for m in area.municipalities.all()))


def plan_changes(older: Plan, newer: Plan) -> list[AreaChange]:
    """Every focus area that was added, removed or changed in itself, its activities or its
    indicators; unchanged ones are left out. Reads in a fixed number of queries."""
    changes: list[AreaChange] = []
    for before, after in _pairs(_areas(older), _areas(newer), lambda a: a.title, _coverage):
        if before is None or after is None:
            area = after or before
            assert area is not None
            changes.append(AreaChange(ADDED if before is None else REMOVED, area.title))
            continue
        change = AreaChange(
            CHANGED,
            after.title,
            _fields(before, after, AREA_FIELDS),
            activities=_parts(
                before.activities.all(),
                after.activities.all(),
                lambda a: a.description,
                ACTIVITY_FIELDS,
            ),
            indicators=_parts(
                before.indicators.all(),
                after.indicators.all(),
                lambda i: i.definition,
                INDICATOR_FIELDS,
            ),
        )
        if change.fields or change.activities or change.indicators:
            changes.append(change)
    return changes
