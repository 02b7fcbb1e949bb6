"""Batch intake of a case's suspects from CSV: all or nothing.

Every row is validated with the same rules as the single-offer form (``person_build``). One bad
row imports nothing; the caller gets every error with its row number (as in a spreadsheet:
the header is row 1) and column name, in Danish. A valid file is inserted with a few bulk
INSERTs, so 10,000 rows take seconds, not minutes (see benchmarks/batch_intake.py).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sporskifte.accounts.access import police_district_of
from sporskifte.audit.models import AuditEvent
from sporskifte.audit.services import audit_record_many
from sporskifte.core.errors import NotAllowed
from sporskifte.organisations.models import Municipality
from sporskifte.people.models import Person, PersonDetailChange
from sporskifte.people.selectors import people_registered
from sporskifte.people.services import (
    TRACKED,
    person_build,
    person_take_details,
)
from sporskifte.referrals.changes import note_offers
from sporskifte.referrals.models import Case, Change, Offer
from sporskifte.referrals.rollup import contribution_of, rollup_changes
from sporskifte.referrals.services import MUNICIPALITY_REQUIRED, needs_municipality, offer_build

if TYPE_CHECKING:
    from sporskifte.accounts.models import User

MAX_ROWS = 20_000
COLUMNS = {
    "navn": "full_name",
    "id_type": "id_kind",
    "id_nummer": "id_number",
    "fødselsdato": "birth_date",
    "telefon": "phone",
    "kommunekode": "home_municipality",
    "gerningsdato": "offence_date",
}
# Swedish users' templates carry Swedish column names; each means the Danish one.
SWEDISH_COLUMNS = {
    "namn": "navn",
    "id_typ": "id_type",
    "födelsedatum": "fødselsdato",
    "kommunkod": "kommunekode",
    "brottsdatum": "gerningsdato",
}
REQUIRED = ("navn", "gerningsdato")
ID_KINDS = {
    "": Person.IdKind.NONE,
    "ingen": Person.IdKind.NONE,
    "cpr": Person.IdKind.CPR,
    "personnummer": Person.IdKind.PERSONNUMMER,
}
FIELD_TO_COLUMN = {v: k for k, v in COLUMNS.items()}


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportResult:
    created: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _parse_date(value: str) -> dt.date:
    value = value.strip()
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(value)


def template_csv(country: str) -> bytes:
    """The file to fill in: the header in the user's language, as Excel reads it (a BOM makes
    Excel take UTF-8, so æøå and åäö survive; semicolons as Danish and Swedish Excel expect)."""
    names = list(COLUMNS)
    if country == "SE":
        danish = {v: k for k, v in SWEDISH_COLUMNS.items()}
        names = [danish.get(n, n) for n in names]
    return ("\ufeff" + ";".join(names) + "\r\n").encode("utf-8")


def _decode(data: bytes) -> str | None:
    """UTF-8 (with or without BOM), or what Danish and Swedish Excel save as plain "CSV":
    Windows-1252. Valid UTF-8 is tried first: Windows-1252 text with æøå is almost never."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _read(data: bytes) -> tuple[list[str], list[list[str]]] | RowError:
    text = _decode(data)
    if text is None:
        return RowError(
            0, "", _("The file is neither UTF-8 nor Windows text. Save it as CSV and try again.")
        )
    if not text.strip():
        return RowError(0, "", _("The file is empty."))
    first_line = text.splitlines()[0]
    delimiter = max(";,\t", key=first_line.count)
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    header = [h.strip().lower() for h in rows[0]]
    return [SWEDISH_COLUMNS.get(h, h) for h in header], rows[1:]


def _municipalities(codes: set[str], country: str) -> dict[str, Municipality]:
    """Danish and Swedish codes can coincide; a case looks up its own country's codes."""
    return {m.code: m for m in Municipality.objects.filter(country=country, code__in=codes)}


def parse_suspects(
    *,
    data: bytes,
    police_district_id: int,
    country: str = "DK",
    municipality_required: bool = False,
) -> tuple[list[tuple[Person, dt.date]], list[RowError]]:
    """Validate every row; returns the unsaved people with their offence dates, or the errors."""
    read = _read(data)
    if isinstance(read, RowError):
        return [], [read]
    header, rows = read
    missing = [c for c in REQUIRED if c not in header]
    unknown = [h for h in header if h and h not in COLUMNS]
    errors = [RowError(1, c, _("The column is missing.")) for c in missing]
    errors += [RowError(1, h, _("Unknown column.")) for h in unknown]
    if errors:
        return [], errors
    if len(rows) > MAX_ROWS:
        return [], [RowError(0, "", _("At most %(n)d rows per file.") % {"n": MAX_ROWS})]
    index = {name: i for i, name in enumerate(header)}
    codes = {
        r[index["kommunekode"]].strip().zfill(4)
        for r in rows
        if "kommunekode" in index
        and len(r) > index["kommunekode"]
        and r[index["kommunekode"]].strip()
    }
    municipalities = _municipalities(codes, country)
    people: list[tuple[Person, dt.date]] = []
    seen: dict[str, int] = {}
    today = timezone.localdate()
    for number, raw in enumerate(rows, start=2):
        if not any(cell.strip() for cell in raw):
            continue  # spreadsheets leave blank lines at the end
        if len(raw) != len(header):
            errors.append(
                RowError(
                    number,
                    "",
                    _("The row has %(got)d fields; the header has %(want)d.")
                    % {"got": len(raw), "want": len(header)},
                )
            )
            continue
        cell = {name: raw[i].strip() for name, i in index.items()}
        row_errors: list[RowError] = []
        kind = ID_KINDS.get(cell.get("id_type", "").lower())
        if kind is None:
            row_errors.append(
                RowError(number, "id_type", _("Use cpr, personnummer or leave it empty."))
            )
            kind = Person.IdKind.NONE
        birth = offence_date = None
        if cell.get("fødselsdato"):
            try:
                birth = _parse_date(cell["fødselsdato"])
            except ValueError:
                row_errors.append(
                    RowError(number, "fødselsdato", _("Not a date (use YYYY-MM-DD)."))
                )
        try:
            offence_date = _parse_date(cell["gerningsdato"])
            if offence_date > today:
                row_errors.append(RowError(number, "gerningsdato", _("The date is in the future.")))
        except ValueError:
            row_errors.append(RowError(number, "gerningsdato", _("Not a date (use YYYY-MM-DD).")))
        municipality = None
        if cell.get("kommunekode"):
            municipality = municipalities.get(cell["kommunekode"].zfill(4))
            if municipality is None:
                row_errors.append(RowError(number, "kommunekode", _("Unknown municipality code.")))
        elif municipality_required:
            row_errors.append(RowError(number, "kommunekode", str(MUNICIPALITY_REQUIRED)))
        try:
            person = person_build(
                police_district_id=police_district_id,
                full_name=cell["navn"],
                id_kind=kind,
                id_number=cell.get("id_nummer", ""),
                birth_date=birth,
                phone=cell.get("telefon", ""),
                home_municipality=municipality,
            )
        except ValidationError as exc:
            for fld, messages in exc.message_dict.items():
                row_errors.append(RowError(number, FIELD_TO_COLUMN.get(fld, fld), messages[0]))
        else:
            if person.id_number:
                if person.id_number in seen:
                    row_errors.append(
                        RowError(
                            number,
                            "id_nummer",
                            _(
                                "The same person is already on line %(line)d of the file "
                                "(suspect %(suspect)d of the list)."
                            )
                            % {
                                "line": seen[person.id_number],
                                "suspect": seen[person.id_number] - 1,
                            },
                        )
                    )
                seen[person.id_number] = number
            if not row_errors and offence_date:
                people.append((person, offence_date))
        errors.extend(row_errors)
    if not errors and not people:
        errors.append(RowError(0, "", _("The file has no rows after the header.")))
    return people, errors


@transaction.atomic
def case_import_suspects(*, actor: User, case: Case, data: bytes) -> ImportResult:
    """Validate all rows, then insert people, offers and audit rows in bulk; or nothing."""
    district = police_district_of(actor)
    if district is None or case.police_district_id != district:
        raise NotAllowed
    people, errors = parse_suspects(
        data=data,
        police_district_id=district,
        country=case.police_district.country,
        municipality_required=needs_municipality(case.programme),
    )
    if errors:
        if case.police_district.country == "SE":  # name the columns as the Swedish template does
            swedish = {v: k for k, v in SWEDISH_COLUMNS.items()}
            for e in errors:
                e.column = swedish.get(e.column, e.column)
        return ImportResult(errors=errors)
    # Someone already registered in this district (same identity number) is that person: the
    # row's contact details and municipality replace the old ones, which become history.
    existing = people_registered(
        police_district_id=district, numbers=[(p.id_kind, p.id_number) for p, _ in people]
    )
    changes: list[PersonDetailChange] = []
    changed: list[Person] = []
    for person, _date in people:
        known = existing.get((person.id_kind, person.id_number))
        if known is not None:
            taken = person_take_details(
                person=known,
                new=person,
                source=PersonDetailChange.Source.REGISTRATION,
                actor=actor,
            )
            changes += taken
            changed += [known] if taken else []
    Person.objects.bulk_update(changed, TRACKED, batch_size=1000)
    PersonDetailChange.objects.bulk_create(changes, batch_size=1000)
    new_people = [p for p, _ in people if (p.id_kind, p.id_number) not in existing]
    Person.objects.bulk_create(new_people, batch_size=1000)
    offers = []
    for person, offence_date in people:
        person = existing.get((person.id_kind, person.id_number), person)
        offers.append(
            offer_build(
                actor=actor,
                programme=case.programme,
                person=person,
                offence=case.offence,
                offence_date=offence_date,
                case=case,
            )
        )
    Offer.objects.bulk_create(offers, batch_size=1000)
    note_offers(offers, Change.Kind.CREATED)
    rollup_changes((None, contribution_of(o, None)) for o in offers)
    audit_record_many(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        object_type=AuditEvent.ObjectType.OFFER,
        items=((o.pk, o.person_id) for o in offers),
        purpose=AuditEvent.Purpose.SUSPECT_IMPORTED,
    )
    return ImportResult(created=len(offers))
