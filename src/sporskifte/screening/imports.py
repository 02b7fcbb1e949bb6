"""Incident records and household files in: CSV or JSON lines, streamed, all or nothing.

A file of a national year (1,000,000 incidents) is read line by line and written in batches
inside one transaction, so memory stays flat however long the file is. Every bad cell is
reported with its row (the header is row 1; in JSON lines, the line) and column, and one error
rolls the whole file back. An incident already held with the same journal number and version is
skipped, so sending a file (or an API batch) twice changes nothing; a higher version replaces
the earlier one in the screening.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import IO, TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from sporskifte.audit.models import AuditEvent
from sporskifte.audit.services import audit_record
from sporskifte.audit.vocabulary import ObjectType, Purpose
from sporskifte.core.identity import IdentityNumber, parse_identity
from sporskifte.organisations.models import Municipality, Organisation
from sporskifte.screening.models import HouseholdLink, Incident, IncidentPerson, PersonRole
from sporskifte.screening.rows import insert_rows

if TYPE_CHECKING:
    from sporskifte.accounts.models import User

BATCH = 5_000
MAX_ERRORS = 200
ROLES = {r.value for r in PersonRole}

# CSV: one row per person in an incident; rows of one incident follow each other.
INCIDENT_COLUMNS = {
    "journalnummer": "journal_number",
    "version": "version",
    "haendelseskode": "incident_code",
    "gerningskode": "offence_code",
    "tidspunkt": "occurred_at",
    "adresse": "address",
    "kommunekode": "municipality_code",
    "cpr": "id_number",
    "navn": "name",
    "rolle": "role",
}
HOUSEHOLD_COLUMNS = {
    "barn_cpr": "child_id_number",
    "barn_navn": "child_name",
    "voksen_cpr": "adult_id_number",
    "adresse": "address",
    "kommunekode": "municipality_code",
    "fra": "valid_from",
    "til": "valid_to",
}


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportResult:
    created: int = 0
    skipped: int = 0
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _audit(actor: User | None, purpose: str, object_type: str, result: ImportResult) -> None:
    """One row per file: the rows hold identity numbers of their own, not people's ids."""
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        object_type=object_type,
        purpose=purpose,
        legal_basis="barnets-lov-133",
        detail={"created": result.created, "skipped": result.skipped, "rows": result.rows},
    )


class _Rollback(Exception):
    pass


Progress = Callable[[int], None]


def _csv_records(
    stream: IO[bytes], columns: dict[str, str]
) -> Iterator[tuple[int, dict[str, Any]]]:
    text = codecs.getreader("utf-8-sig")(stream)
    reader = csv.reader(text, delimiter=";")
    header = [h.strip().lower() for h in next(reader, [])]
    unknown = [h for h in header if h not in columns]
    missing = [
        c
        for c in columns
        if c not in header and c not in ("gerningskode", "til", "navn", "barn_navn", "adresse")
    ]
    if unknown or missing:
        raise ValidationError(
            [RowError(1, c, _("Unknown column.")) for c in unknown]
            + [RowError(1, c, _("The column is missing.")) for c in missing]
        )
    for number, raw in enumerate(reader, start=2):
        if not any(c.strip() for c in raw):
            continue
        if len(raw) != len(header):
            yield (
                number,
                {
                    "_error": _("The row has %(got)d fields; the header has %(want)d.")
                    % {"got": len(raw), "want": len(header)}
                },
            )
            continue
        yield number, {columns[h]: v.strip() for h, v in zip(header, raw, strict=True)}


def _jsonl_records(stream: IO[bytes]) -> Iterator[tuple[int, dict[str, Any]]]:
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except ValueError:
            yield number, {"_error": _("Not a JSON object.")}
            continue
        yield number, value if isinstance(value, dict) else {"_error": _("Not a JSON object.")}


@lru_cache(maxsize=65536)
def _parse_identity(kind: str, value: str) -> IdentityNumber:
    return parse_identity(kind, value)


class _Checker:
    """Validates one record's cells; remembers the district's municipality codes."""

    def __init__(self, district: Organisation) -> None:
        self.country = district.country
        self.municipalities = {
            m.code: m.pk for m in Municipality.objects.filter(country=district.country)
        }
        self.errors: list[RowError] = []
        self.kind = "personnummer" if self.country == "SE" else "cpr"

    def error(self, row: int, column: str, message: str) -> None:
        self.errors.append(RowError(row, column, message))

    def identity(self, row: int, column: str, value: object) -> tuple[str, dt.date | None, str]:
        try:
            parsed = _parse_identity(self.kind, str(value or ""))
        except ValidationError as exc:
            self.error(row, column, exc.messages[0])
            return "", None, "U"
        return parsed.number, parsed.birth_date, parsed.sex

    def municipality(
        self, row: int, column: str, value: object, required: bool = True
    ) -> int | None:
        code = str(value or "").strip()
        if not code and not required:
            return None
        found = self.municipalities.get(code.zfill(4))
        if found is None:
            self.error(row, column, _("Unknown municipality code."))
        return found

    def moment(self, row: int, column: str, value: object) -> dt.datetime | None:
        parsed = parse_datetime(str(value or "")) if value else None
        if parsed is None:
            self.error(row, column, _("Not a time (use YYYY-MM-DDTHH:MM)."))
            return None
        if timezone.is_naive(parsed):
            parsed = timezone.make_aware(parsed)
        return parsed

    def day(self, row: int, column: str, value: object, required: bool = True) -> dt.date | None:
        text = str(value or "").strip()
        if not text and not required:
            return None
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            self.error(row, column, _("Not a date (use YYYY-MM-DD)."))
            return None


def _incident_records(
    records: Iterable[tuple[int, dict[str, Any]]], check: _Checker, csv_mode: bool
) -> Iterator[tuple[int, dict[str, Any], list[dict[str, Any]]]]:
    """(row, incident, persons): CSV rows of one incident are gathered; JSON has a list."""
    column = {v: k for k, v in INCIDENT_COLUMNS.items()} if csv_mode else {}

    def col(name: str) -> str:
        return column.get(name, name)

    pending: tuple[int, dict[str, Any], list[dict[str, Any]]] | None = None
    for row, rec in records:
        if "_error" in rec:
            check.error(row, "", rec["_error"])
            continue
        persons_in = [rec] if csv_mode else rec.get("persons") or []
        if not csv_mode and not isinstance(persons_in, list):
            check.error(row, "persons", _("Must be a list."))
            continue
        persons = []
        for p in persons_in:
            number, birth, _sex = check.identity(row, col("id_number"), p.get("id_number"))
            role = str(p.get("role", "")).strip().lower()
            if role not in ROLES:
                check.error(row, col("role"), _("Use suspect, victim, involved or reporter."))
            persons.append(
                {
                    "id_number": number,
                    "name": str(p.get("name", ""))[:200],
                    "birth_date": birth,
                    "role": role,
                }
            )
        key = (str(rec.get("journal_number", "")).strip(), str(rec.get("version", "1")).strip())
        if (
            pending is not None
            and csv_mode
            and (pending[1]["journal_number"], str(pending[1]["version"])) == key
        ):
            pending[2].extend(persons)
            continue
        if pending is not None:
            yield pending
        if not key[0]:
            check.error(row, col("journal_number"), _("Enter the journal number."))
        try:
            version = int(key[1] or "1")
        except ValueError:
            check.error(row, col("version"), _("Not a whole number."))
            version = 1
        code = str(rec.get("incident_code", "")).strip().upper()
        if not code:
            check.error(row, col("incident_code"), _("Enter the incident code."))
        incident = {
            "journal_number": key[0][:32],
            "version": version,
            "incident_code": code[:16],
            "offence_code": str(rec.get("offence_code", "") or "").strip().upper()[:16],
            "occurred_at": check.moment(row, col("occurred_at"), rec.get("occurred_at")),
            "address": str(rec.get("address", "") or "")[:200],
            "municipality_id": check.municipality(
                row, col("municipality_code"), rec.get("municipality_code")
            ),
        }
        pending = (row, incident, persons)
    if pending is not None:
        yield pending


def _write_incidents(
    district: Organisation, batch: list[tuple[int, dict[str, Any], list[dict[str, Any]]]]
) -> tuple[int, int]:
    keys = {(i["journal_number"], i["version"]) for _r, i, _p in batch}
    held = set(
        Incident.objects.filter(
            police_district=district, journal_number__in={k[0] for k in keys}
        ).values_list("journal_number", "version")
    )
    fresh = [(i, p) for _r, i, p in batch if (i["journal_number"], i["version"]) not in held]
    seen: set[tuple[str, int]] = set()
    unique = []
    for i, p in fresh:  # the same incident twice in one file counts once
        k = (i["journal_number"], i["version"])
        if k not in seen:
            seen.add(k)
            unique.append((i, p))
    # Plain INSERTs (executemany): the ORM's bulk_create spends most of an import preparing
    # values row by row. The ids come back with one indexed SELECT per batch.
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    at = connection.ops.adapt_datetimefield_value
    insert_rows(
        Incident,
        [
            "police_district_id",
            "journal_number",
            "version",
            "is_current",
            "incident_code",
            "offence_code",
            "occurred_at",
            "address",
            "municipality_id",
            "received_at",
        ],
        [
            (
                district.pk,
                i["journal_number"],
                i["version"],
                True,
                i["incident_code"],
                i["offence_code"],
                at(i["occurred_at"]),
                i["address"],
                i["municipality_id"],
                now,
            )
            for i, _p in unique
        ],
    )
    ids = {
        (j, v): pk
        for pk, j, v in Incident.objects.filter(
            police_district=district, journal_number__in={i["journal_number"] for i, _p in unique}
        ).values_list("pk", "journal_number", "version")
    }
    insert_rows(
        IncidentPerson,
        [
            "incident_id",
            "id_number",
            "name",
            "birth_date",
            "role",
            "police_district_id",
            "is_current",
            "occurred_at",
            "incident_code",
            "offence_code",
        ],
        [
            (
                ids[(i["journal_number"], i["version"])],
                p["id_number"],
                p["name"],
                p["birth_date"],
                p["role"],
                district.pk,
                True,
                at(i["occurred_at"]),
                i["incident_code"],
                i["offence_code"],
            )
            for i, persons in unique
            for p in persons
        ],
    )
    rows = [Incident(journal_number=i["journal_number"], version=i["version"]) for i, _p in unique]
    # A newer version replaces the older ones in the screening; the older rows stay as
    # received until retention ends.
    newer: dict[str, int] = {}
    for row in rows:
        newer[row.journal_number] = max(newer.get(row.journal_number, 0), row.version)
    if any(v > 1 for v in newer.values()):
        for journal, version in newer.items():
            old = Incident.objects.filter(
                police_district=district, journal_number=journal, version__lt=version
            )
            old.update(is_current=False)
            IncidentPerson.objects.filter(incident__in=old).update(is_current=False)
    return len(rows), len(batch) - len(rows)


def incidents_import(
    *,
    district: Organisation,
    records: Iterable[tuple[int, dict[str, Any]]],
    csv_mode: bool = False,
    progress: Progress | None = None,
    actor: User | None = None,
) -> ImportResult:
    """Validate and write every incident in one transaction; on any error, nothing is kept."""
    check = _Checker(district)
    result = ImportResult()
    try:
        with transaction.atomic():
            batch: list[tuple[int, dict[str, Any], list[dict[str, Any]]]] = []
            for item in _incident_records(records, check, csv_mode):
                result.rows += 1
                if check.errors:
                    if len(check.errors) >= MAX_ERRORS:
                        break
                    continue  # keep validating; writing stops at the first error
                batch.append(item)
                if len(batch) >= BATCH:
                    created, skipped = _write_incidents(district, batch)
                    result.created += created
                    result.skipped += skipped
                    batch = []
                    if progress:
                        progress(result.rows)
            if batch and not check.errors:
                created, skipped = _write_incidents(district, batch)
                result.created += created
                result.skipped += skipped
            if check.errors:
                raise _Rollback
            _audit(actor, Purpose.INCIDENTS_IMPORTED, ObjectType.SCREENING_INCIDENT, result)
    except _Rollback:
        return ImportResult(rows=result.rows, errors=check.errors[:MAX_ERRORS])
    if progress:
        progress(result.rows)
    return result


def incidents_import_file(
    *,
    district: Organisation,
    stream: IO[bytes],
    name: str,
    progress: Progress | None = None,
    actor: User | None = None,
) -> ImportResult:
    csv_mode = not name.lower().endswith((".jsonl", ".ndjson", ".json"))
    try:
        records = _csv_records(stream, INCIDENT_COLUMNS) if csv_mode else _jsonl_records(stream)
        return incidents_import(
            district=district, records=records, csv_mode=csv_mode, progress=progress, actor=actor
        )
    except ValidationError as exc:
        return ImportResult(errors=_header_errors(exc))
    except UnicodeDecodeError:
        return ImportResult(errors=[RowError(0, "", _("The file is not UTF-8 text."))])


def _header_errors(exc: ValidationError) -> list[RowError]:
    return [e.message for e in exc.error_list if isinstance(e.message, RowError)]


def households_import_file(
    *,
    district: Organisation,
    stream: IO[bytes],
    name: str,
    progress: Progress | None = None,
    actor: User | None = None,
) -> ImportResult:
    csv_mode = not name.lower().endswith((".jsonl", ".ndjson", ".json"))
    check = _Checker(district)
    result = ImportResult()
    column = {v: k for k, v in HOUSEHOLD_COLUMNS.items()} if csv_mode else {}

    def col(name: str) -> str:
        return column.get(name, name)

    try:
        records = _csv_records(stream, HOUSEHOLD_COLUMNS) if csv_mode else _jsonl_records(stream)
        with transaction.atomic():
            batch: list[HouseholdLink] = []
            for row, rec in records:
                result.rows += 1
                if "_error" in rec:
                    check.error(row, "", rec["_error"])
                    continue
                child, birth, sex = check.identity(
                    row, col("child_id_number"), rec.get("child_id_number")
                )
                adult, _b, _s = check.identity(
                    row, col("adult_id_number"), rec.get("adult_id_number")
                )
                link = HouseholdLink(
                    police_district=district,
                    child_id_number=child,
                    child_name=str(rec.get("child_name", "") or "")[:200],
                    child_birth_date=birth or dt.date(2000, 1, 1),
                    child_sex=sex,
                    adult_id_number=adult,
                    address=str(rec.get("address", "") or "")[:200],
                    municipality_id=check.municipality(
                        row, col("municipality_code"), rec.get("municipality_code")
                    ),
                    valid_from=check.day(row, col("valid_from"), rec.get("valid_from"))
                    or dt.date.min,  # only kept when the row had no error
                    valid_to=check.day(row, col("valid_to"), rec.get("valid_to"), required=False),
                    source=HouseholdLink.Source.FILE,
                )
                if len(check.errors) >= MAX_ERRORS:
                    break
                if check.errors:
                    continue
                batch.append(link)
                if len(batch) >= BATCH:
                    HouseholdLink.objects.bulk_create(batch, batch_size=2000)
                    result.created += len(batch)
                    batch = []
                    if progress:
                        progress(result.rows)
            if check.errors:
                raise _Rollback
            HouseholdLink.objects.bulk_create(batch, batch_size=2000)
            result.created += len(batch)
            _audit(actor, Purpose.HOUSEHOLDS_IMPORTED, ObjectType.SCREENING_HOUSEHOLD, result)
    except _Rollback:
        return ImportResult(rows=result.rows, errors=check.errors[:MAX_ERRORS])
    except ValidationError as exc:
        return ImportResult(errors=_header_errors(exc))
    except UnicodeDecodeError:
        return ImportResult(errors=[RowError(0, "", _("The file is not UTF-8 text."))])
    return result
