"""Writes of people. Identity numbers are validated and normalised here, and the birth date and
sex derived from them, so every path (form, CSV, API) stores the same thing."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from sporskifte.core.identity import normalise_phone, parse_identity
from sporskifte.people.models import Person

if TYPE_CHECKING:
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
