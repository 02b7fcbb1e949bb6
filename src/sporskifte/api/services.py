"""Writes the API needs beyond a single service call: a case with its suspects, all or nothing.

The suspects go through the same batch intake as the web page's CSV upload
(``referrals.imports``), so both paths share one set of rules: ``person_build`` per row, the
duplicate check, the reuse of people already registered in the district, the bulk inserts and
the audit rows. Access is the services' (``case_create`` and the intake refuse anything outside
the actor's district).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

from sporskifte.organisations.models import Municipality
from sporskifte.people.models import Person
from sporskifte.people.services import person_build
from sporskifte.referrals.imports import COLUMNS, RowError, case_import_suspects, parse_suspects
from sporskifte.referrals.models import Case, Offence, Programme
from sporskifte.referrals.services import case_create, needs_municipality

if TYPE_CHECKING:
    from sporskifte.accounts.models import User

PERSON_FIELDS = ("full_name", "id_kind", "id_number", "birth_date", "phone", "email")
FIRST_DATA_ROW = 2  # the intake numbers rows as a spreadsheet does: the header is row 1


def messages_of(exc: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return exc.message_dict
    return {"detail": exc.messages}


def municipalities_by_code(programme: Programme, codes: Iterable[str | None]) -> dict:
    """Codes are read in the programme's country: Danish and Swedish codes overlap."""
    wanted = {c.zfill(4) for c in codes if c}
    if not wanted:
        return {}
    found = Municipality.objects.filter(country=programme.police_district.country, code__in=wanted)
    return {m.code: m for m in found}


def person_from_input(
    *, programme: Programme, data: dict[str, Any], municipalities: dict[str, Municipality]
) -> tuple[Person | None, dict[str, list[str]]]:
    """An unsaved person built by ``person_build``, or the messages per field."""
    errors: dict[str, list[str]] = {}
    code = data.get("home_municipality")
    municipality = municipalities.get(code.zfill(4)) if code else None
    if code and municipality is None:
        errors["home_municipality"] = [_("Unknown municipality code.")]
    try:
        person = person_build(
            police_district_id=programme.police_district_id,
            home_municipality=municipality,
            **{name: data[name] for name in PERSON_FIELDS if name in data},
        )
    except DjangoValidationError as exc:
        errors.update(messages_of(exc))
        person = None
    return (None if errors else person), errors


def suspects_csv(suspects: list[dict[str, Any]]) -> bytes:
    """The suspects as the intake's CSV; the csv module quotes any delimiter in a value."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(COLUMNS)
    for s in suspects:
        birth = s.get("birth_date")
        writer.writerow(
            [
                s["full_name"],
                "" if s.get("id_kind", Person.IdKind.NONE) == Person.IdKind.NONE else s["id_kind"],
                s.get("id_number", ""),
                birth.isoformat() if birth else "",
                s.get("phone", ""),
                s.get("home_municipality") or "",
                s["offence_date"].isoformat(),
            ]
        )
    return out.getvalue().encode()


def _by_suspect(errors: list[RowError], count: int) -> tuple[dict[str, dict], list[str]]:
    """Row errors keyed by the suspect's number counted from 1 (CSV line - 1) and the API's
    field names; ``suspects_numbered_from_one`` gives the serializer's errors the same keys."""
    per_suspect: dict[str, dict[str, list[str]]] = {}
    general: list[str] = []
    for e in errors:
        number = e.row - FIRST_DATA_ROW + 1
        if 1 <= number <= count:
            field = COLUMNS.get(e.column, "detail")
            per_suspect.setdefault(str(number), {}).setdefault(field, []).append(e.message)
        else:
            general.append(e.message)
    return per_suspect, general


def suspects_numbered_from_one(errors: dict[str, Any]) -> dict[str, Any]:
    """DRF keys a list's item errors by position from 0; the API keys them by the suspect's
    number counted from 1, as the intake's errors are."""
    out = dict(errors)
    items = out.get("suspects")
    if isinstance(items, dict):
        out["suspects"] = {(str(k + 1) if isinstance(k, int) else k): e for k, e in items.items()}
    return out


@transaction.atomic
def case_create_with_suspects(
    *,
    actor: User,
    journal_number: str,
    title: str,
    programme: Programme,
    offence: Offence,
    suspects: list[dict[str, Any]],
) -> Case:
    """A case and one offer per suspect. One bad suspect and nothing is created; the error
    lists every problem by suspect index and field."""
    errors: dict[str, Any] = {}
    data = suspects_csv(suspects)
    row_errors: list[RowError] = []
    try:
        case = case_create(
            actor=actor,
            journal_number=journal_number,
            title=title,
            programme=programme,
            offence=offence,
        )
    except DjangoValidationError as exc:
        errors.update(messages_of(exc))
        if suspects:  # still check every suspect, so one answer lists every problem
            _, row_errors = parse_suspects(
                data=data,
                police_district_id=programme.police_district_id,
                country=programme.police_district.country,
                municipality_required=needs_municipality(programme),
            )
    else:
        if suspects:
            row_errors = case_import_suspects(actor=actor, case=case, data=data).errors
    if row_errors:
        per_suspect, general = _by_suspect(row_errors, len(suspects))
        errors["suspects"] = per_suspect
        if general:
            errors.setdefault("detail", []).extend(general)
    if errors:
        raise ValidationError(errors)  # inside the atomic block: the case is rolled back too
    return case
