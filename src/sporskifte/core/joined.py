"""Rows read by a statement written once, built into model instances as the ORM builds them.

Two reads run on every request: the session's user with its membership and organisation, and
an API token with its service user's. Through the ORM each compiles a ``select_related`` (and,
for the user, an ``Exists``) anew every time: 1.5-2 ms of CPU measured on PostgreSQL, several
times what the database spends answering. Their shape never changes, so the statement is
written from the models' own metadata (tables, columns, quoting) with the values as
parameters, and costs 0.23-0.24 ms.

``Part`` is one model's columns in such a statement. ``build`` makes the instance the way
``select_related`` does: every concrete field converted as the ORM converts it (SQLite's
datetimes made aware, its booleans from integers), ``None`` for a LEFT JOIN that found nothing,
and ``relate`` caches a relation in both directions, so ``user.membership`` and
``membership.user`` read no more rows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper

Converter = Callable[[Any, Any, BaseDatabaseWrapper], Any]


class Part:
    def __init__(self, model: type[models.Model], alias: str) -> None:
        self.model = model
        self.alias = alias
        self.fields = list(model._meta.concrete_fields)
        self.attnames = [field.attname for field in self.fields]
        self.pk_index = self.fields.index(model._meta.pk)
        self._converters: dict[str, list[tuple[int, Any, list[Converter]]]] = {}

    @property
    def width(self) -> int:
        return len(self.fields)

    def column(self, connection: BaseDatabaseWrapper, name: str) -> str:
        """``alias."column"`` of one field, by the field's name (``pk`` for the primary key)."""
        meta = self.model._meta
        field = meta.pk if name == "pk" else meta.get_field(name)
        assert isinstance(field, models.Field)  # a relation's reverse side has no column
        return f"{self.alias}.{connection.ops.quote_name(_column(field))}"

    def table(self, connection: BaseDatabaseWrapper) -> str:
        return f"{connection.ops.quote_name(self.model._meta.db_table)} {self.alias}"

    def columns(self, connection: BaseDatabaseWrapper) -> str:
        quote = connection.ops.quote_name
        return ", ".join(f"{self.alias}.{quote(_column(f))}" for f in self.fields)

    def build(
        self, row: Sequence[Any], start: int, connection: BaseDatabaseWrapper
    ) -> models.Model | None:
        values = list(row[start : start + self.width])
        for index, expression, converters in self._converters_for(connection):
            value = values[index]
            for convert in converters:
                value = convert(value, expression, connection)
            values[index] = value
        if values[self.pk_index] is None:
            return None
        return self.model.from_db(connection.alias, self.attnames, values)

    def _converters_for(
        self, connection: BaseDatabaseWrapper
    ) -> list[tuple[int, Any, list[Converter]]]:
        """The backend's and the field's converters, as the ORM's compiler gathers them."""
        found = self._converters.get(connection.alias)
        if found is None:
            found = []
            for index, field in enumerate(self.fields):
                expression = field.get_col(self.alias)
                converters = connection.ops.get_db_converters(expression) + field.get_db_converters(
                    connection
                )
                if converters:
                    found.append((index, expression, converters))
            self._converters[connection.alias] = found
        return found


def _column(field: models.Field[Any, Any]) -> str:
    assert field.column is not None  # concrete fields have one
    return field.column


def relate(instance: models.Model, name: str, other: models.Model | None) -> None:
    """Cache ``instance.<name>`` (a foreign key, a one-to-one or its reverse) as
    ``select_related`` does, and the way back when ``other`` is an instance."""
    field = instance._meta.get_field(name)
    field.set_cached_value(instance, other)  # type: ignore[union-attr]
    if other is None:
        return
    if isinstance(field, models.OneToOneRel):
        field.field.set_cached_value(other, instance)
    elif isinstance(field, models.OneToOneField):
        field.remote_field.set_cached_value(other, instance)
