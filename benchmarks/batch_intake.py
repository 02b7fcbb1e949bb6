"""Batch intake of a case's suspects from CSV: the bulk import against row-by-row saving.

    .venv/bin/python benchmarks/batch_intake.py                        # 10,000 rows, SQLite
    .venv/bin/python benchmarks/batch_intake.py --database-url postgres://…/bench_intake

1. ``case_import_suspects`` (validate every row, then bulk INSERT people, offers, audit rows).
2. The naive way, in the same run: the same kind of rows, each validated with ``person_build``
   and saved on its own through ``offer_register`` (one transaction per row).
3. A file of the same size with one bad row at the end: the time to reject it, and a check
   that nothing at all was inserted.

Each import gets people of its own (distinct fictitious CPR numbers), so the bulk import
cannot reuse people the naive run created. The database is emptied and migrated first.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import random
import sys
import time

import _common

HEADER = ["navn", "id_type", "id_nummer", "fødselsdato", "telefon", "kommunekode", "gerningsdato"]
# Midt- og Vestjyllands Politi's municipalities (the case's district).
CODES = ["657", "661", "756", "665", "773", "760", "740", "779", "671", "787", "791"]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--rows", type=int, default=10_000, help="rows per file (at most 20,000)")
    p.add_argument("--database-url", help="default: a temporary SQLite file")
    return p.parse_args(argv)


def make_rows(n: int, rng: random.Random, taken: set[str]) -> list[list[str]]:
    """Suspects as a police system exports them; CPR numbers unique across every file."""
    from django.utils import timezone

    from sporskifte.testing.factories import fictitious_cpr

    today = timezone.localdate()
    rows = []
    while len(rows) < n:
        birth = today - dt.timedelta(days=rng.randrange(15 * 365, 60 * 365))
        cpr = fictitious_cpr(birth, female=rng.random() < 0.3, rng=rng)
        if cpr in taken:
            continue
        taken.add(cpr)
        offence = today - dt.timedelta(days=rng.randrange(0, 60))
        rows.append(
            [
                f"Testperson {len(taken)}",
                "cpr",
                f"{cpr[:6]}-{cpr[6:]}",
                "",
                f"+45 {rng.randrange(26000000, 28999999)}",
                rng.choice(CODES),
                f"{offence:%Y-%m-%d}",
            ]
        )
    return rows


def to_csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode()  # as Excel's "CSV UTF-8" saves it


def setup_case(journal_number: str):
    from sporskifte.accounts.models import Role
    from sporskifte.referrals import services
    from sporskifte.referrals.models import Offence
    from sporskifte.testing.factories import ProgrammeFactory, district, member

    actor = member("bench_investigator", district("midt-vestjylland"), Role.INVESTIGATOR)
    programme = ProgrammeFactory(name=f"Benchmark {journal_number}")
    case = services.case_create(
        actor=actor,
        journal_number=journal_number,
        title="Benchmark",
        programme=programme,
        offence=Offence.objects.get(code="ESL-KOEB"),
    )
    return actor, case


def counts() -> tuple[int, int, int]:
    from sporskifte.audit.models import AuditEvent
    from sporskifte.people.models import Person
    from sporskifte.referrals.models import Offer

    return Person.objects.count(), Offer.objects.count(), AuditEvent.objects.count()


def run_batch(actor, case, data: bytes):
    from sporskifte.referrals.imports import case_import_suspects

    start = time.perf_counter()
    result = case_import_suspects(actor=actor, case=case, data=data)
    return result, time.perf_counter() - start


def run_naive(actor, case, rows: list[list[str]]) -> float:
    """Row by row: the same validation (``person_build``), one ``offer_register`` per row."""
    from sporskifte.organisations.models import Municipality
    from sporskifte.people.services import person_build
    from sporskifte.referrals.services import offer_register

    start = time.perf_counter()
    for name, kind, number, _birth, phone, code, offence in rows:
        person = person_build(
            police_district_id=case.police_district_id,
            full_name=name,
            id_kind=kind,
            id_number=number,
            phone=phone,
            home_municipality=Municipality.objects.get(country="DK", code=code.zfill(4)),
        )
        offer_register(
            actor=actor,
            programme=case.programme,
            person=person,
            offence=case.offence,
            offence_date=dt.date.fromisoformat(offence),
            case=case,
        )
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    url = args.database_url or _common.default_sqlite_url("sporskifte-bench-intake", reuse=False)
    _common.setup_django(url)
    try:
        return run(args, url)
    finally:
        if args.database_url is None:
            _common.remove_sqlite_file(url)


def run(args: argparse.Namespace, url: str) -> int:
    print(f"Database: {_common.redacted(url)} ({_common.vendor()}); {args.rows:,} rows per file")
    _common.prepare_database(reuse=False, fingerprint="batch_intake")
    rng = random.Random(20261122)
    taken: set[str] = set()
    ok_rows, naive_rows, bad_rows = (make_rows(args.rows, rng, taken) for _ in range(3))
    bad_rows[-1][5] = "9999"  # no such municipality, in the very last row

    actor, case = setup_case("4100-84110-00001-26")
    before = counts()
    result, batch_s = run_batch(actor, case, to_csv(ok_rows))
    after = counts()
    assert result.ok, result.errors[:5]
    assert result.created == args.rows and after[1] - before[1] == args.rows, (result, after)
    print(
        f"\nbatch  case_import_suspects: {args.rows:,} rows in {batch_s:6.2f} s "
        f"= {args.rows / batch_s:8,.0f} rows/s  (+{after[0] - before[0]:,} people, "
        f"+{after[1] - before[1]:,} offers, +{after[2] - before[2]:,} audit rows)"
    )

    actor, case_naive = setup_case("4100-84110-00002-26")
    before = counts()
    naive_s = run_naive(actor, case_naive, naive_rows)
    after = counts()
    assert after[1] - before[1] == args.rows
    print(
        f"naive  offer_register per row:  {args.rows:,} rows in {naive_s:6.2f} s "
        f"= {args.rows / naive_s:8,.0f} rows/s"
    )
    print(f"ratio  batch is {naive_s / batch_s:.1f} times faster than row by row")

    _actor, case_bad = setup_case("4100-84110-00003-26")
    before = counts()
    result, reject_s = run_batch(actor, case_bad, to_csv(bad_rows))
    after = counts()
    errors = [(e.row, e.column) for e in result.errors]
    nothing = after == before
    print(
        f"\nbad    one bad row (row {args.rows + 1}, kommunekode) in {args.rows:,}: rejected in "
        f"{reject_s:.2f} s; errors {errors}; nothing inserted: {nothing} "
        f"(people/offers/audit rows {before} → {after})"
    )
    return 0 if nothing and errors == [(args.rows + 1, "kommunekode")] else 1


if __name__ == "__main__":
    sys.exit(main())
