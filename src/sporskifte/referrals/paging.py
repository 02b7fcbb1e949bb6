"""Keyset ("seek") paging for the web lists: the partner inbox, the police overview, a case.

OFFSET makes the database build and throw away every row it skips (benchmarks/README.md): at
1,000,000 referrals the deep pages cost 2-11 times the first. Here a page starts where the last
one ended, on the list's index, so every page costs the same:

- ``?efter=<key>``: the next page, the rows after the row with that key in the list's order;
- ``?foer=<key>``: the previous page, the rows before it (read in reverse order, then turned);
- ``?side=<n>``: only the number the pager shows, carried from page to page. Without a key it
  means nothing, so a bookmarked ``?side=N`` of the old offset pager opens the first page.

The key of a row is its values of the ordering's fields, plainly: ``4711`` for ``-id``,
``<due_at in microseconds since 1970 UTC>.4711`` for ``(due_at, id)`` (times before 1970 are
not keyed: their link would give the first page). It is not signed: it only says where to start
inside a queryset the view has already scoped to the user, so a made-up key shows nothing the
user could not page to. A key that does not parse gives the first page, as does a key after
which (or before which) nothing is left, e.g. when those rows left the bucket.

An ordering must be total (end in the primary key) and the list's index should serve it: the
filter is ``f1 >= v1 AND (f1 > v1 OR f2 > v2)``, whose first term is a range on the index.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db.models import DateTimeField, IntegerField, Model, Q, QuerySet

PAGE = 50
AFTER, BEFORE, NUMBER = "efter", "foer", "side"

M = TypeVar("M", bound=Model)

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_MICROSECOND = dt.timedelta(microseconds=1)
_PART = re.compile(r"[0-9]{1,18}")  # < 2**63: SQLite's and PostgreSQL's bigint
_SEPARATOR = "."


@dataclass(frozen=True)
class Page(Generic[M]):
    """One page and what the pager needs: ``previous_key`` is None when the previous page is the
    first one (its link carries no key) or there is none."""

    rows: list[M]
    number: int
    has_previous: bool
    has_next: bool
    previous_key: str | None
    next_key: str | None

    @property
    def previous_number(self) -> int:
        return self.number - 1

    @property
    def next_number(self) -> int:
        return self.number + 1


class Keyset:
    """A list's ordering, e.g. ``Keyset("due_at", "id")`` or ``Keyset("-id")``, and its paging."""

    def __init__(self, *fields: str, size: int = PAGE) -> None:
        if not fields or fields[-1].lstrip("-") not in {"id", "pk"}:
            raise ValueError("A keyset ordering must end in the primary key, to be total.")
        self.fields = fields
        self.size = size
        self._names = [f.lstrip("-") for f in fields]
        self._descending = [f.startswith("-") for f in fields]

    # Keys ---------------------------------------------------------------------------------

    def key(self, row: Model | dict[str, Any]) -> str:
        """A row's key; a row may be a model or a ``values()`` dict holding the fields."""
        if isinstance(row, dict):
            return _SEPARATOR.join(_encode(row[name]) for name in self._names)
        return _SEPARATOR.join(_encode(getattr(row, name)) for name in self._names)

    def _decode(self, model: type[Model], token: str) -> list[Any] | None:
        parts = token.split(_SEPARATOR)
        if len(parts) != len(self._names) or not all(_PART.fullmatch(p) for p in parts):
            return None
        values: list[Any] = []
        for name, part in zip(self._names, parts, strict=True):
            field = model._meta.pk if name == "pk" else model._meta.get_field(name)
            number = int(part)
            if isinstance(field, DateTimeField):
                try:
                    values.append(_EPOCH + number * _MICROSECOND)
                except OverflowError:
                    return None
            elif isinstance(field, IntegerField):  # AutoField and BigAutoField too
                values.append(number)
            else:
                raise TypeError(f"Keyset paging does not support {field!r}.")
        return values

    # Queries ------------------------------------------------------------------------------

    def _seek(self, values: Sequence[Any], *, forward: bool) -> Q:
        """Rows after (forward) or before the key, in this ordering."""
        ops = ["lt" if desc == forward else "gt" for desc in self._descending]

        def strictly(i: int) -> Q:
            here = Q(**{f"{self._names[i]}__{ops[i]}": values[i]})
            if i == len(values) - 1:
                return here
            return here | (Q(**{self._names[i]: values[i]}) & strictly(i + 1))

        if len(values) == 1:
            return strictly(0)
        # The leading range lets the database start on the index at the key.
        return Q(**{f"{self._names[0]}__{ops[0]}e": values[0]}) & strictly(0)

    def _reversed(self) -> list[str]:
        pairs = zip(self._names, self._descending, strict=True)
        return [name if desc else f"-{name}" for name, desc in pairs]

    def page(self, queryset: QuerySet[M], params: Mapping[str, str]) -> Page[M]:
        """The page ``params`` (the request's GET) asks for: one query, or two when the key was
        stale (nothing left past it) and the first page is read instead."""
        after, before = params.get(AFTER), params.get(BEFORE)
        number = max(_number(params.get(NUMBER)), 2)
        if after is not None and before is None:
            values = self._decode(queryset.model, after)
            if values is not None:
                found = queryset.filter(self._seek(values, forward=True)).order_by(*self.fields)
                rows = list(found[: self.size + 1])
                if rows:
                    return self._page(
                        rows[: self.size], number, True, has_next=len(rows) > self.size
                    )
        elif before is not None and after is None:
            values = self._decode(queryset.model, before)
            if values is not None:
                found = queryset.filter(self._seek(values, forward=False))
                rows = list(found.order_by(*self._reversed())[: self.size + 1])
                if rows:
                    more = len(rows) > self.size
                    return self._page(
                        rows[: self.size][::-1], number if more else 1, more, has_next=True
                    )
        rows = list(queryset.order_by(*self.fields)[: self.size + 1])
        return self._page(rows[: self.size], 1, False, has_next=len(rows) > self.size)

    def _page(self, rows: list[M], number: int, has_previous: bool, *, has_next: bool) -> Page[M]:
        return Page(
            rows=rows,
            number=number,
            has_previous=has_previous,
            has_next=has_next,
            # Page 2's previous page is the first page: a plain link, so it is always full.
            previous_key=self.key(rows[0]) if has_previous and number > 2 else None,
            next_key=self.key(rows[-1]) if has_next else None,
        )


def _encode(value: object) -> str:
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return str((value - _EPOCH) // _MICROSECOND)
    if isinstance(value, int):
        return str(value)
    raise TypeError(f"Keyset paging cannot key on {value!r}.")


def _number(raw: str | None) -> int:
    """The page number the pager shows; anything odd counts as unknown (0)."""
    if raw is None or not re.fullmatch(r"[0-9]{1,9}", raw):
        return 0
    return int(raw)
