"""Writes of people. Identity numbers are validated and normalised here, and the birth date and
sex derived from them, so every path (form, CSV, API) stores the same thing."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from sporskifte.core.identity import normalise_phone, parse_identity
from sporskifte.people.models import Person, PersonDetailChange
from sporskifte.people.selectors import people_registered

if TYPE_CHECKING:
    from sporskifte.accounts.models import User
    from sporskifte.organisations.models import Municipality


def person_build(
    *,
    police_district_id: int,
    full_name: str,
    id_kind: str = Person.IdKind.NONE,
    id_number: str = "",
    birth_date: dt.date | None = None,
    phone: str = "",
    email: str = "",
    home_municipality: Municipality | None = None,
    is_test_data: bool = False,
) -> Person:
    """Validate and build an unsaved Person (so batch imports can bulk-insert).

    Raises ValidationError keyed by field name, with Danish messages.
    """
    errors: dict[str, str] = {}
    full_name = " ".join(full_name.split())
    if not full_name:
        errors["full_name"] = _("The name is required.")
    sex: str = Person.Sex.UNKNOWN
    number = ""
    if id_kind != Person.IdKind.NONE:
        try:
            ident = parse_identity(id_kind, id_number)
        except ValidationError as exc:
            errors["id_number"] = exc.messages[0]
        else:
            number, sex = ident.number, ident.sex
            if birth_date and birth_date != ident.birth_date:
                errors["birth_date"] = _("The birth date does not match the identity number.")
            birth_date = ident.birth_date
    elif id_number:
        errors["id_kind"] = _("Choose which kind of identity number this is.")
    if birth_date and birth_date > dt.date.today():
        errors["birth_date"] = _("The birth date is in the future.")
    country = home_municipality.country if home_municipality else "DK"
    if phone:
        try:
            phone = normalise_phone(phone, country)
        except ValidationError as exc:
            errors["phone"] = exc.messages[0]
    if errors:
        raise ValidationError(errors)
    return Person(
        police_district_id=police_district_id,
        full_name=full_name,
        id_kind=id_kind,
        id_number=number,
        birth_date=birth_date,
        sex=sex,
        phone=phone,
        email=email,
        home_municipality=home_municipality,
        is_test_data=is_test_data,
    )


# One person per identity number ---------------------------------------------------------------

TRACKED = ("full_name", "phone", "email", "home_municipality")


def _shown(person: Person, field: str) -> str:
    if field == "home_municipality":
        m = person.home_municipality
        return f"{m.code} {m.name}" if m else ""
    return str(getattr(person, field))


def _value(person: Person, field: str) -> object:
    return person.home_municipality_id if field == "home_municipality" else getattr(person, field)


def person_take_details(
    *,
    person: Person,
    new: Person,
    source: str,
    actor: User | None,
    keep_when_empty: bool = True,
) -> list[PersonDetailChange]:
    """Copy ``new``'s details onto ``person`` and return (unsaved) the history of what changed.

    A later registration that leaves a detail empty keeps the known one (a batch without phone
    numbers must not wipe them); an officer's correction sets exactly what it is given.
    The caller saves ``person`` and the changes, and writes the audit row.
    """
    changes = []
    for field in TRACKED:
        if _value(new, field) in ("", None) and keep_when_empty:
            continue
        if _value(new, field) == _value(person, field):
            continue
        old = _shown(person, field)
        if field == "home_municipality":
            person.home_municipality = new.home_municipality
        else:
            setattr(person, field, getattr(new, field))
        changes.append(
            PersonDetailChange(
                person=person,
                field=field,
                old_value=old,
                new_value=_shown(person, field),
                source=source,
                changed_by=actor,
            )
        )
    return changes


def person_register(*, actor: User, person: Person) -> tuple[Person, list[str]]:
    """Save an unsaved person, or update the one already registered with its identity number.

    Returns the saved person and the fields that changed on an existing one. Two requests
    registering the same number at once meet the unique constraint; the loser updates the
    winner's row instead of failing.
    """
    if not person.id_number or person.register != Person.Register.REFERRALS:
        person.save()
        return person, []
    key = (person.id_kind, person.id_number)
    existing = people_registered(police_district_id=person.police_district_id, numbers=[key])
    if key not in existing:
        try:
            with transaction.atomic():
                person.save()
            return person, []
        except IntegrityError:
            person.pk = None
            existing = people_registered(
                police_district_id=person.police_district_id, numbers=[key]
            )
    current = existing[key]
    changes = person_take_details(
        person=current, new=person, source=PersonDetailChange.Source.REGISTRATION, actor=actor
    )
    if changes:
        current.save(update_fields=[c.field for c in changes])
        PersonDetailChange.objects.bulk_create(changes)
    return current, [c.field for c in changes]
